package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"

	"github.com/phlebkit/phlebkit/tier"
)

// AreaInfo is the response of GET /v3/order/area/info: whether Junction's
// phlebotomy network serves a zip code, and by which providers.
//
// Decode it with [ParseAreaInfo] or [encoding/json]. Unknown fields are
// ignored; missing and null fields decode as zero values, so a null
// provider entry becomes an empty [Listing] that is never selected (our
// decision: encoding/json's rule for null); a field of the wrong type
// (is_served: "yes", providers not an array) is a [*MalformedError]
// wrapping [ErrMalformed], and a failed decode leaves the destination
// unchanged. Encoding writes Junction's field names.
type AreaInfo struct {
	// ZipCode is the zip code the response describes.
	ZipCode string `json:"zip_code"`
	// Phlebotomy says whether and by whom the area is served.
	Phlebotomy Coverage `json:"phlebotomy"`
	// CentralLabs is the response's central_labs object (patient service
	// centres per laboratory), kept as compact JSON and not interpreted; it
	// is nil when the response has none or has null. A decoded value is
	// stored compacted, with <, > and & escaped as encoding/json writes them,
	// so that decoding what [AreaInfo.MarshalJSON] wrote gives an equal
	// value.
	CentralLabs json.RawMessage `json:"central_labs,omitempty"`
}

// Coverage is the phlebotomy part of an area-info response.
type Coverage struct {
	// IsServed is Junction's is_served flag.
	IsServed bool `json:"is_served"`
	// Providers lists the providers serving the area, in the response's
	// order, including names this package does not know. It is nil when
	// the list is empty.
	Providers []Listing `json:"providers"`
}

// Listing is one provider as an area-info response lists it. Names and
// tiers are kept verbatim, known or not; [Listing.Provider] and
// [Listing.Offers] read them.
//
// Junction's OpenAPI schema names the tier list service_types; the
// documentation's example names it tier. Decoding accepts both. When a
// document has both, our decision is to keep service_types in its order
// and append the entries of tier it lacks. Encoding writes service_types,
// the schema's spelling.
type Listing struct {
	// Name is the provider's wire name, such as "getlabs".
	Name string `json:"name"`
	// Tiers holds the wire names of the tiers offered, such as
	// "appointment-ready". It is nil when the list is empty.
	Tiers []string `json:"service_types"`
}

// Provider returns the provider named by l, with the errors of [Parse]:
// [ErrNotAtHome] for a known name that takes no at-home booking,
// [ErrUnknownProvider] for any other unknown name.
func (l Listing) Provider() (Provider, error) { return Parse(l.Name) }

// Offers reports whether l lists tier t. It reports false for an invalid
// tier. It does not check that the name is a known provider.
func (l Listing) Offers(t tier.Tier) bool {
	return t.IsValid() && slices.Contains(l.Tiers, t.String())
}

// wireListing is a listing as it travels, in either spelling.
type wireListing struct {
	Name         string   `json:"name"`
	ServiceTypes []string `json:"service_types"`
	Tier         []string `json:"tier"`
}

// listing merges the two spellings of the tier list.
func (w *wireListing) listing() Listing {
	tiers := w.ServiceTypes
	if len(tiers) == 0 {
		tiers = w.Tier
	} else {
		tiers = mergeTiers(tiers, w.Tier)
	}
	if len(tiers) == 0 {
		tiers = nil
	}
	return Listing{Name: w.Name, Tiers: tiers}
}

// mergeTiers returns first followed by the entries of second that first
// lacks, each once, in second's order; it may append to first. Its cost is
// linear in the two lists: the known tiers seen are a bit set, and the
// other names a map, built only once second holds such a name.
func mergeTiers(first, second []string) []string {
	var seen tierSet
	for _, name := range first {
		if t, ok := lookupTier(name); ok {
			seen |= setOf(t)
		}
	}
	var others map[string]bool // names of no known tier, in first or kept
	out := first
	for _, name := range second {
		if t, ok := lookupTier(name); ok {
			if seen.has(t) {
				continue
			}
			seen |= setOf(t)
		} else {
			if others == nil {
				others = map[string]bool{}
				for _, f := range first {
					if _, ok := lookupTier(f); !ok {
						others[f] = true
					}
				}
			}
			if others[name] {
				continue
			}
			others[name] = true
		}
		out = append(out, name)
	}
	return out
}

// lookupTier returns the tier whose wire name is s, without allocating.
func lookupTier(s string) (tier.Tier, bool) {
	for t := tier.Tier(1); t.IsValid(); t++ {
		if t.String() == s {
			return t, true
		}
	}
	return 0, false
}

// UnmarshalJSON decodes a provider entry into a fresh value: encoding/json
// would otherwise decode a repeated "providers" key into the entries left
// from the first, mixing two providers' fields. A repeated key's last value
// wins whole, as it does for a scalar.
func (w *wireListing) UnmarshalJSON(data []byte) error {
	type plain wireListing
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*w = wireListing(p)
	return nil
}

// UnmarshalJSON decodes a phlebotomy object into a fresh value, so that a
// repeated "phlebotomy" key does not mix the two objects' fields.
func (w *wireCoverage) UnmarshalJSON(data []byte) error {
	type plain wireCoverage
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*w = wireCoverage(p)
	return nil
}

// wireCoverage is the phlebotomy object as it travels.
type wireCoverage struct {
	IsServed  bool          `json:"is_served"`
	Providers []wireListing `json:"providers"`
}

// coverage converts w, keeping the providers' order.
func (w *wireCoverage) coverage() Coverage {
	c := Coverage{IsServed: w.IsServed}
	if len(w.Providers) > 0 {
		c.Providers = make([]Listing, len(w.Providers))
		for i := range w.Providers {
			c.Providers[i] = w.Providers[i].listing()
		}
	}
	return c
}

// wireAreaInfo is the whole response as it travels.
type wireAreaInfo struct {
	ZipCode     string          `json:"zip_code"`
	Phlebotomy  wireCoverage    `json:"phlebotomy"`
	CentralLabs json.RawMessage `json:"central_labs"`
}

// outListing, outCoverage and outAreaInfo are what encoding writes: the
// schema's field names, lists never null.
type outListing struct {
	Name         string   `json:"name"`
	ServiceTypes []string `json:"service_types"`
}

type outCoverage struct {
	IsServed  bool         `json:"is_served"`
	Providers []outListing `json:"providers"`
}

type outAreaInfo struct {
	ZipCode     string          `json:"zip_code"`
	Phlebotomy  outCoverage     `json:"phlebotomy"`
	CentralLabs json.RawMessage `json:"central_labs,omitempty"`
}

func (l Listing) out() outListing {
	tiers := l.Tiers
	if tiers == nil {
		tiers = []string{}
	}
	return outListing{Name: l.Name, ServiceTypes: tiers}
}

func (c Coverage) out() outCoverage {
	o := outCoverage{IsServed: c.IsServed, Providers: make([]outListing, len(c.Providers))}
	for i, l := range c.Providers {
		o.Providers[i] = l.out()
	}
	return o
}

// ParseAreaInfo decodes an area-info document. Unlike [encoding/json.Unmarshal],
// which reports invalid JSON itself before any UnmarshalJSON method runs,
// it wraps every failure, syntax errors included, in a [*MalformedError]
// (unwrapping to [ErrMalformed]). A document that is the JSON null is
// malformed too.
func ParseAreaInfo(data []byte) (AreaInfo, error) {
	var w *wireAreaInfo
	if err := json.Unmarshal(data, &w); err != nil {
		return AreaInfo{}, &MalformedError{Err: err}
	}
	if w == nil {
		return AreaInfo{}, &MalformedError{Err: errors.New("document is null")}
	}
	return w.areaInfo(), nil
}

// areaInfo converts w, canonicalising central_labs.
func (w *wireAreaInfo) areaInfo() AreaInfo {
	a := AreaInfo{ZipCode: w.ZipCode, Phlebotomy: w.Phlebotomy.coverage()}
	if w.CentralLabs != nil && string(w.CentralLabs) != "null" {
		a.CentralLabs = canonicalJSON(w.CentralLabs)
	}
	return a
}

// canonicalJSON returns raw compacted, with <, > and & escaped the way
// encoding/json writes them. raw has been validated by the decoder; if
// compaction fails anyway, raw is returned as it is.
func canonicalJSON(raw []byte) json.RawMessage {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return bytes.Clone(raw)
	}
	var escaped bytes.Buffer
	json.HTMLEscape(&escaped, compact.Bytes())
	return escaped.Bytes()
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] with the rules of
// [ParseAreaInfo], except that the JSON null leaves a unchanged, as
// encoding/json's convention asks. On error a is left unchanged.
func (a *AreaInfo) UnmarshalJSON(data []byte) error {
	if a == nil {
		return &MalformedError{Err: errors.New("decode into a nil *provider.AreaInfo")}
	}
	var w *wireAreaInfo
	if err := json.Unmarshal(data, &w); err != nil {
		return &MalformedError{Err: err}
	}
	if w == nil {
		return nil
	}
	*a = w.areaInfo()
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler]. It writes Junction's
// field names: zip_code, phlebotomy.is_served, phlebotomy.providers (an
// array, never null), and for each provider name and service_types (the
// schema's spelling, never tier; an array, never null); central_labs only
// when present. CentralLabs that is not valid JSON yields a
// [*MalformedError].
func (a AreaInfo) MarshalJSON() ([]byte, error) {
	data, err := json.Marshal(outAreaInfo{
		ZipCode:     a.ZipCode,
		Phlebotomy:  a.Phlebotomy.out(),
		CentralLabs: a.CentralLabs,
	})
	if err != nil {
		return nil, &MalformedError{Err: err}
	}
	return data, nil
}

// UnmarshalJSON implements [encoding/json.Unmarshaler] for a phlebotomy
// object on its own, with the rules of [ParseAreaInfo]. On error c is left
// unchanged.
func (c *Coverage) UnmarshalJSON(data []byte) error {
	if c == nil {
		return &MalformedError{Err: errors.New("decode into a nil *provider.Coverage")}
	}
	var w *wireCoverage
	if err := json.Unmarshal(data, &w); err != nil {
		return &MalformedError{Err: err}
	}
	if w == nil {
		return nil
	}
	*c = w.coverage()
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler] with Junction's field
// names, as [AreaInfo.MarshalJSON] writes them.
func (c Coverage) MarshalJSON() ([]byte, error) { return json.Marshal(c.out()) }

// UnmarshalJSON implements [encoding/json.Unmarshaler] for one provider
// entry on its own, accepting both tier and service_types. On error l is
// left unchanged.
func (l *Listing) UnmarshalJSON(data []byte) error {
	if l == nil {
		return &MalformedError{Err: errors.New("decode into a nil *provider.Listing")}
	}
	var w *wireListing
	if err := json.Unmarshal(data, &w); err != nil {
		return &MalformedError{Err: err}
	}
	if w == nil {
		return nil
	}
	*l = w.listing()
	return nil
}

// MarshalJSON implements [encoding/json.Marshaler]: name and
// service_types, as [AreaInfo.MarshalJSON] writes them.
func (l Listing) MarshalJSON() ([]byte, error) { return json.Marshal(l.out()) }
