package provider

import (
	"errors"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/tier"
)

// This file is the wire layer of the area-info response: struct tags on
// [AreaInfo], [Coverage] and [Listing] say how each travels, and methods
// exist only where the wire form is special: the two spellings of a
// provider's tier list, lists normalised to nil when empty, the JSON null
// leaving a value as it was, CentralLabs stored as it is written, and
// errors typed as [*DecodeError].

// wireListing is a provider entry as it travels, in either spelling.
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
	ZipCode     string         `json:"zip_code"`
	Phlebotomy  wireCoverage   `json:"phlebotomy"`
	CentralLabs jsontext.Value `json:"central_labs"`
}

// areaInfo converts w, storing central_labs as encoding writes it.
func (w *wireAreaInfo) areaInfo() (AreaInfo, error) {
	a := AreaInfo{ZipCode: w.ZipCode, Phlebotomy: w.Phlebotomy.coverage()}
	if len(w.CentralLabs) > 0 && w.CentralLabs.Kind() != 'n' {
		labs, err := json.Marshal(w.CentralLabs)
		if err != nil {
			// The decoder has validated it: unreachable.
			return AreaInfo{}, &DecodeError{Path: "/central_labs", Err: err}
		}
		if string(labs) != emptyObject {
			a.CentralLabs = labs
		}
	}
	return a, nil
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

// decodeError types err, from the JSON package, as a [*DecodeError] with
// the JSON Pointer of the fault.
func decodeError(err error) error {
	d := &DecodeError{Err: err}
	var se *json.SemanticError
	var sy *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		d.Path = string(se.JSONPointer)
	case errors.As(err, &sy):
		d.Path = string(sy.JSONPointer)
	}
	return d
}

// errNilDestination is the cause of a decode into a nil pointer.
var errNilDestination = errors.New("decode into a nil pointer")

// decode reads one value from dec into a new W. It returns nil for the
// JSON null, and a [*DecodeError] on failure.
func decode[W any](dec *jsontext.Decoder) (*W, error) {
	var w *W
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return nil, decodeError(err)
	}
	return w, nil
}

// ParseAreaInfo decodes an area-info document, with the rules of
// [AreaInfo]. Every failure, syntax errors included, is a [*DecodeError]
// wrapping [ErrMalformed]; a document that is the JSON null is malformed
// too, since it carries no area info.
func ParseAreaInfo(data []byte) (AreaInfo, error) {
	var w *wireAreaInfo
	if err := json.Unmarshal(data, &w); err != nil {
		return AreaInfo{}, decodeError(err)
	}
	if w == nil {
		return AreaInfo{}, &DecodeError{Err: errors.New("document is null")}
	}
	return w.areaInfo()
}

// UnmarshalJSONFrom decodes an area-info document from dec with the rules
// of [ParseAreaInfo], except that the JSON null leaves a unchanged. On
// error a is left unchanged.
func (a *AreaInfo) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if a == nil {
		return &DecodeError{Err: errNilDestination}
	}
	w, err := decode[wireAreaInfo](dec)
	if err != nil || w == nil {
		return err
	}
	v, err := w.areaInfo()
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// plainAreaInfo is an [AreaInfo] without its methods, written by its tags.
type plainAreaInfo AreaInfo

// emptyObject is central_labs when no laboratory is listed.
const emptyObject = "{}"

// MarshalJSONTo writes a to enc with Junction's member names: zip_code,
// phlebotomy.is_served, phlebotomy.providers (an array, never null), for
// each provider name and service_types (the schema's spelling, never tier;
// an array, never null), and central_labs (an empty object when
// CentralLabs is nil).
// CentralLabs that is not valid JSON is a [*DecodeError] wrapping
// [ErrMalformed], reported before anything is written.
func (a AreaInfo) MarshalJSONTo(enc *jsontext.Encoder) error {
	if a.CentralLabs != nil && !a.CentralLabs.IsValid() {
		return &DecodeError{Path: "/central_labs", Err: errors.New("central_labs is not valid JSON")}
	}
	if a.CentralLabs == nil {
		a.CentralLabs = jsontext.Value(emptyObject)
	}
	return json.MarshalEncode(enc, (*plainAreaInfo)(&a))
}

// UnmarshalJSONFrom decodes a phlebotomy object on its own from dec, with
// the rules of [AreaInfo]; the JSON null leaves c unchanged. On error c is
// left unchanged.
func (c *Coverage) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if c == nil {
		return &DecodeError{Err: errNilDestination}
	}
	w, err := decode[wireCoverage](dec)
	if err != nil || w == nil {
		return err
	}
	*c = w.coverage()
	return nil
}

// UnmarshalJSONFrom decodes one provider entry on its own from dec,
// accepting both tier and service_types (see [Listing]); the JSON null
// leaves l unchanged. On error l is left unchanged.
func (l *Listing) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if l == nil {
		return &DecodeError{Err: errNilDestination}
	}
	w, err := decode[wireListing](dec)
	if err != nil || w == nil {
		return err
	}
	*l = w.listing()
	return nil
}
