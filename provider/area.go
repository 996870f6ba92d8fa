package provider

import (
	"slices"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/tier"
)

// AreaInfo is the response of GET /v3/order/area/info: whether Junction's
// phlebotomy network serves a zip code, and by which providers.
//
// Decode it with [ParseAreaInfo] or github.com/go-json-experiment/json
// (through [AreaInfo.UnmarshalJSONFrom]). Member names match exactly, case
// included; unknown members are ignored; missing and null members decode
// as zero values, so a null provider entry becomes an empty [Listing] that
// is never selected (our decision). A member of the wrong type
// (is_served: "yes", providers not an array), a member repeated in one
// object (our decision, the JSON package's default: which of two values
// Junction meant cannot be known) and invalid UTF-8 are a [*DecodeError]
// wrapping [ErrMalformed], and a failed decode leaves the destination
// unchanged. Encoding ([AreaInfo.MarshalJSONTo]) writes Junction's member
// names, every member its OpenAPI schema requires.
type AreaInfo struct {
	// ZipCode is the zip code the response describes.
	ZipCode string `json:"zip_code"`
	// Phlebotomy says whether and by whom the area is served.
	Phlebotomy Coverage `json:"phlebotomy"`
	// CentralLabs is the response's central_labs object (patient service
	// centres per laboratory), kept as JSON and not interpreted; it is nil
	// when the response has none, null or an empty object, and written as
	// an empty object when nil (Junction's schema requires the member). A
	// decoded value is stored as [AreaInfo.MarshalJSONTo] writes it
	// (compact), so that decoding what was encoded gives an equal value.
	CentralLabs jsontext.Value `json:"central_labs"`
}

// Coverage is the phlebotomy part of an area-info response.
type Coverage struct {
	// IsServed is Junction's is_served flag.
	IsServed bool `json:"is_served"`
	// Providers lists the providers serving the area, in the response's
	// order, including names this package does not know. It is nil when
	// the list is empty; it is written as an array, never null.
	Providers []Listing `json:"providers"`
}

// Listing is one provider as an area-info response lists it. Names and
// tiers are kept verbatim, known or not: [Parse] reads the name and
// [Listing.Offers] the tiers.
//
// Junction's OpenAPI schema names the tier list service_types; the
// documentation's example names it tier. Decoding
// ([Listing.UnmarshalJSONFrom]) accepts both. When a document has both, our
// decision is to keep service_types in its order and append the entries of
// tier it lacks, in time linear in the two lists. Encoding writes
// service_types, the schema's spelling, as an array, never null.
type Listing struct {
	// Name is the provider's wire name, such as "getlabs".
	Name string `json:"name"`
	// Tiers holds the wire names of the tiers offered, such as
	// "appointment-ready". It is nil when the list is empty.
	Tiers []string `json:"service_types"`
}

// Offers reports whether l lists tier t. It reports false for an invalid
// tier. It does not check that the name is a known provider.
func (l Listing) Offers(t tier.Tier) bool {
	return t.IsValid() && slices.Contains(l.Tiers, t.String())
}
