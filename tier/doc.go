// Package tier names Junction's at-home phlebotomy service tiers and what
// each one means for a caller.
//
// There are two tiers, both values of [Tier]:
//
//   - [AppointmentReady] (appointment-ready): the customer books a date and
//     time synchronously ([Tier.Synchronous]) through the book endpoint; a
//     provider is chosen for the caller ([Tier.RequiresProvider] is false)
//     and the appointment has a time from the start
//     ([Tier.HasTimeAtCreation]).
//   - [AppointmentRequest] (appointment-request): the customer requests an
//     appointment with the patient's address through the request endpoint,
//     naming a provider that offers the tier; a phlebotomist later agrees
//     the date and time with the patient, and until then the appointment is
//     pending with no date or time.
//
// [Tier.Endpoint] returns the create endpoint of a tier as an [Endpoint]
// value, so that a service routes its API call from the tier instead of
// hard-coding it; [Endpoint.Path] fills in the order id and rejects ids
// that would need escaping.
//
// The statuses an appointment of each tier goes through are those of package
// github.com/phlebkit/phlebkit/appointment; the booking flow in package
// github.com/phlebkit/phlebkit/scheduling applies them. This package
// imports neither, so that both may import it.
//
// The text form of a tier is its wire value: [Parse], [Tier.String],
// [Tier.MarshalText] and [Tier.UnmarshalText] use it, so JSON and
// databases see "appointment-ready". The zero value is invalid
// ([Tier.IsValid]); unknown text is an error wrapping [ErrUnknownTier],
// never a default. Every error is an [*Error] holding the value at fault
// and wrapping one of the sentinels.
//
// Which providers offer which tier is the business of package
// github.com/phlebkit/phlebkit/provider, which imports this one.
package tier
