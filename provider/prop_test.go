package provider_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/go-json-experiment/json"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// Names and tiers the generators draw from: known providers, names that
// take no at-home booking, garbage, and tiers known and unknown.
var (
	genNames = []string{"getlabs", "phlebfinders", "quest", "sonora_quest", "axlehealth", "mobile-draws", ""}
	genTiers = []string{ready, request, "walk-in", ""}
)

func genListing() *rapid.Generator[provider.Listing] {
	return rapid.Custom(func(t *rapid.T) provider.Listing {
		l := provider.Listing{Name: rapid.SampledFrom(genNames).Draw(t, "name")}
		if tiers := rapid.SliceOfN(rapid.SampledFrom(genTiers), 0, 3).Draw(t, "tiers"); len(tiers) > 0 {
			l.Tiers = tiers
		}
		return l
	})
}

func genArea() *rapid.Generator[provider.AreaInfo] {
	return rapid.Custom(func(t *rapid.T) provider.AreaInfo {
		a := provider.AreaInfo{
			ZipCode: rapid.StringMatching(`[0-9]{5}`).Draw(t, "zip"),
			Phlebotomy: provider.Coverage{
				IsServed: rapid.Bool().Draw(t, "served"),
			},
		}
		if ls := rapid.SliceOfN(genListing(), 0, 6).Draw(t, "providers"); len(ls) > 0 {
			a.Phlebotomy.Providers = ls
		}
		return a
	})
}

// listedWith reports whether a lists the provider named name with tier
// wire name tt.
func listedWith(a provider.AreaInfo, name, tt string) bool {
	for _, l := range a.Phlebotomy.Providers {
		if l.Name == name && slices.Contains(l.Tiers, tt) {
			return true
		}
	}
	return false
}

// served is the model of "the area is served".
func served(a provider.AreaInfo) bool {
	return a.Phlebotomy.IsServed && len(a.Phlebotomy.Providers) > 0
}

// firstReady is the model of ForBooking: the first listing whose name is
// a known provider and whose tiers hold appointment-ready.
func firstReady(a provider.AreaInfo) (provider.Provider, bool) {
	for _, l := range a.Phlebotomy.Providers {
		if p, err := provider.Parse(l.Name); err == nil && slices.Contains(l.Tiers, ready) {
			return p, true
		}
	}
	return 0, false
}

// TestPropForBookingListed: whatever ForBooking returns is listed in the
// area with appointment-ready, and it fails only when no known provider is.
func TestPropForBookingListed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genArea().Draw(t, "area")
		p, err := a.ForBooking()
		if err == nil {
			if !p.IsValid() || !served(a) || !listedWith(a, p.String(), ready) {
				t.Fatalf("ForBooking() = %v, which is not listed with %s in a served area", p, ready)
			}
			return
		}
		switch {
		case !served(a):
			if !errors.Is(err, provider.ErrNotServed) {
				t.Fatalf("ForBooking() on an area not served: %v, want ErrNotServed", err)
			}
		default:
			if !errors.Is(err, provider.ErrTierUnavailable) {
				t.Fatalf("ForBooking() on a served area: %v, want ErrTierUnavailable", err)
			}
			for _, known := range provider.All() {
				if listedWith(a, known.String(), ready) {
					t.Fatalf("ForBooking() failed although %v is listed with %s", known, ready)
				}
			}
		}
	})
}

// TestPropForRequest: ForRequest(p) succeeds exactly when the area is
// served and lists p with appointment-request.
func TestPropForRequest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genArea().Draw(t, "area")
		p := rapid.SampledFrom(provider.All()).Draw(t, "provider")
		err := a.ForRequest(p)
		want := served(a) && listedWith(a, p.String(), request)
		if (err == nil) != want {
			t.Fatalf("ForRequest(%v) = %v, want success %t", p, err, want)
		}
		if err != nil && !errors.Is(err, provider.ErrNotServed) && !errors.Is(err, provider.ErrTierUnavailable) {
			t.Fatalf("ForRequest(%v) = %v, want ErrNotServed or ErrTierUnavailable", p, err)
		}
		if (err == nil) != slices.Contains(a.Providers(tier.AppointmentRequest), p) {
			t.Fatalf("ForRequest(%v) = %v disagrees with Providers(%s)", p, err, request)
		}
	})
}

// TestPropShuffle: shuffling the provider list changes ForBooking's answer
// only by order: it is always the first ready provider of the shuffled
// list, it succeeds or fails as before, and the candidates are the same.
func TestPropShuffle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genArea().Draw(t, "area")
		b := a
		b.Phlebotomy.Providers = rapid.Permutation(a.Phlebotomy.Providers).Draw(t, "shuffled")
		if len(b.Phlebotomy.Providers) == 0 {
			b.Phlebotomy.Providers = nil
		}

		pa, errA := a.ForBooking()
		pb, errB := b.ForBooking()
		if (errA == nil) != (errB == nil) ||
			errors.Is(errA, provider.ErrNotServed) != errors.Is(errB, provider.ErrNotServed) ||
			errors.Is(errA, provider.ErrTierUnavailable) != errors.Is(errB, provider.ErrTierUnavailable) {
			t.Fatalf("shuffling changed the outcome: %v, %v before; %v, %v after", pa, errA, pb, errB)
		}
		if want, ok := firstReady(b); errB == nil && (!ok || pb != want) {
			t.Fatalf("ForBooking() on the shuffled list = %v, want its first ready provider %v", pb, want)
		}
		before := a.Providers(tier.AppointmentReady)
		after := b.Providers(tier.AppointmentReady)
		slices.Sort(before)
		slices.Sort(after)
		if !slices.Equal(before, after) {
			t.Fatalf("shuffling changed the candidates: %v before, %v after", before, after)
		}
		if errB == nil && !slices.Contains(after, pb) {
			t.Fatalf("ForBooking() = %v, not among the candidates %v", pb, after)
		}
	})
}

// TestPropProvidersOrder: Providers lists known providers listed with the
// tier, each once, in the order of their first appearance.
func TestPropProvidersOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genArea().Draw(t, "area")
		tt := rapid.SampledFrom(tier.All()).Draw(t, "tier")
		var want []provider.Provider
		if served(a) {
			for _, l := range a.Phlebotomy.Providers {
				p, err := provider.Parse(l.Name)
				if err == nil && l.Offers(tt) && !slices.Contains(want, p) {
					want = append(want, p)
				}
			}
		}
		if got := a.Providers(tt); !slices.Equal(got, want) {
			t.Fatalf("Providers(%v) = %v, want %v", tt, got, want)
		}
	})
}

// mergeModel is the documented merge of a listing's two tier lists, written
// the plain way: service_types in its order, then each entry of tier that
// the result does not hold yet; tier alone is kept verbatim.
func mergeModel(serviceTypes, tiers []string) []string {
	out := slices.Clone(serviceTypes)
	if len(out) == 0 {
		out = slices.Clone(tiers)
	} else {
		for _, t := range tiers {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// TestPropMergeTiers checks the decoded tier list of a provider entry
// against mergeModel, for lists of known tiers, unknown names and
// duplicates, each key present or not.
func TestPropMergeTiers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := rapid.SampledFrom([]string{ready, request, "walk-in", "a", ""})
		entry := map[string]any{"name": "getlabs"}
		var lists [2][]string
		for i, key := range []string{"service_types", "tier"} {
			if rapid.Bool().Draw(t, key+" present") {
				lists[i] = rapid.SliceOfN(names, 0, 8).Draw(t, key)
				entry[key] = lists[i]
			}
		}
		data, err := json.Marshal(map[string]any{"phlebotomy": map[string]any{"providers": []any{entry}}})
		if err != nil {
			t.Fatal(err)
		}
		info, err := provider.ParseAreaInfo(data)
		if err != nil {
			t.Fatalf("ParseAreaInfo(%s): %v", data, err)
		}
		want := mergeModel(lists[0], lists[1])
		if got := info.Phlebotomy.Providers[0].Tiers; !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("ParseAreaInfo(%s) tiers = %q, want %q", data, got, want)
		}
	})
}
