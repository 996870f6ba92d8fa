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
// (the default), 50 or 100 miles. [ParseAreaInfo] (or
// github.com/go-json-experiment/json, through the struct tags and the few
// methods in json.go) decodes the response into an [AreaInfo], accepting
// both spellings of a provider's tier list (tier and service_types) and
// keeping unknown providers and tiers verbatim in each [Listing]. Decoding
// takes time linear in the size of the document, whatever its lists hold.
//
// Member names match exactly (case included) and unknown members are
// ignored, since Junction adds fields. A member repeated in one object is
// refused (our decision, the JSON package's default): which of the two
// values Junction meant cannot be known. It is a [*DecodeError] wrapping
// [ErrMalformed], like a member of the wrong type, invalid JSON or invalid
// UTF-8; the error's Path is the JSON Pointer of the fault, such as
// "/phlebotomy/providers/1/tier". A failed [ParseAreaInfo] or
// UnmarshalJSONFrom leaves the destination unchanged. Through json.Unmarshal,
// data after the value is reported by the JSON package itself, once the
// value has been decoded; use [ParseAreaInfo] to decode a whole document
// all or nothing.
//
// [AreaInfo.ForBooking] tells which provider the book endpoint will send,
// [AreaInfo.ForRequest] whether the request endpoint can name a provider,
// and [AreaInfo.Providers] lists the known providers offering a tier.
// Their failures are an [*Error] wrapping [ErrNotServed] or
// [ErrTierUnavailable].
//
// Every error is an [*Error] (a provider, a query parameter or an area that
// cannot serve what was asked: the value at fault and why) or a
// [*DecodeError] (a malformed document), wrapping one of the package's
// sentinels, so callers use [errors.Is] and [errors.As]; no function panics
// on any input.
package provider
