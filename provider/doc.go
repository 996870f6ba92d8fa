// Package provider names the phlebotomy providers that take at-home
// bookings through Junction, decodes the area-info response that says who
// serves a zip code, and chooses between them.
//
// # Providers
//
// A [Provider] is [Getlabs] (appointment-ready) or [Phlebfinders]
// (appointment-request, beta). [Provider.Offers] restates Junction's
// service-tiers table; [Provider.Beta], [Provider.RecommendedLead] and
// [Provider.AutoRescheduleBefore] carry the facts the scheduling rules
// need. The text form is the wire name: [Parse], [Provider.String],
// [Provider.MarshalText] and [Provider.UnmarshalText] use it. Names that
// Junction's API knows but that take no at-home booking ("quest",
// "sonora_quest", "axlehealth") are rejected with [ErrNotAtHome], other
// text with [ErrUnknownProvider].
//
// # Area info
//
// [AreaQuery] validates and builds the query of GET /v3/order/area/info
// ([AreaInfoPath]): a five-digit zip code and a [Radius] of 10, 20, 25
// (the default), 50 or 100 miles. [ParseAreaInfo] (or [encoding/json])
// decodes the response into an [AreaInfo], accepting both spellings of a
// provider's tier list (tier and service_types) and keeping unknown
// providers and tiers verbatim in each [Listing]. Decoding takes time
// linear in the size of the document, whatever its lists hold.
//
// [AreaInfo.ForBooking] tells which provider the book endpoint will send,
// [AreaInfo.ForRequest] whether the request endpoint can name a provider,
// and [AreaInfo.Providers] lists the known providers offering a tier.
// Their failures are an [*AvailabilityError] wrapping [ErrNotServed] or
// [ErrTierUnavailable].
//
// Every error wraps one of the package's sentinels, so callers use
// [errors.Is] and [errors.As]; no function panics on any input.
package provider
