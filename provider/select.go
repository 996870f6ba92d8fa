package provider

import "github.com/phlebkit/phlebkit/tier"

// Served reports whether the area is served for at-home phlebotomy:
// is_served is true and at least one provider is listed. Our decision: a
// response that says is_served but lists nobody is treated as not served,
// since nobody can be booked.
func (a AreaInfo) Served() bool {
	return a.Phlebotomy.IsServed && len(a.Phlebotomy.Providers) > 0
}

// Providers returns the known providers listed with tier t, in the
// response's order, each once. Names this package does not know, and
// names that take no at-home booking, are skipped. It returns nil when the
// area is not served ([AreaInfo.Served]) or t is invalid.
//
// Our decision: the response, not the documented table of
// [Provider.Offers], is the authority, since it says what an area offers
// today; a known provider is returned when the response lists it with t.
func (a AreaInfo) Providers(t tier.Tier) []Provider {
	if !a.Served() || !t.IsValid() {
		return nil
	}
	var out []Provider
	for _, l := range a.Phlebotomy.Providers {
		p, ok := lookup(l.Name)
		if !ok || !l.Offers(t) || containsProvider(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// containsProvider reports whether ps holds p.
func containsProvider(ps []Provider, p Provider) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// ForBooking predicts the provider the book endpoint
// (POST /v3/order/{order_id}/phlebotomy/appointment/book) will use in this
// area, so that a caller can show the patient who will come. To pick a
// provider for the request endpoint, take one of
// Providers(tier.AppointmentRequest) and check it with [AreaInfo.ForRequest].
//
// Junction chooses an appointment-ready provider on the caller's behalf
// and does not document how. Our decision: the choice is reproduced
// deterministically as the first known provider, in the response's order,
// listed with appointment-ready; it is the first element of
// Providers(tier.AppointmentReady).
//
// It fails with an [*Error] wrapping [ErrNotServed] when the
// area is not served, or [ErrTierUnavailable] when no known provider is
// listed with appointment-ready.
func (a AreaInfo) ForBooking() (Provider, error) {
	const t = tier.AppointmentReady
	if !a.Served() {
		return 0, unavailable(a.ZipCode, 0, t, ErrNotServed)
	}
	for _, l := range a.Phlebotomy.Providers {
		if p, ok := lookup(l.Name); ok && l.Offers(t) {
			return p, nil
		}
	}
	return 0, unavailable(a.ZipCode, 0, t, ErrTierUnavailable)
}

// ForRequest checks that the request endpoint
// (POST /v3/order/{order_id}/phlebotomy/appointment/request) can name p in
// this area: the area is served and the response lists p with
// appointment-request. It returns nil when it can. As for
// [AreaInfo.Providers], the response is the authority, not
// [Provider.Offers] (our decision).
//
// It fails with an [*Error] wrapping [ErrInvalidProvider] for an invalid
// p, [ErrNotServed] or [ErrTierUnavailable].
func (a AreaInfo) ForRequest(p Provider) error {
	const t = tier.AppointmentRequest
	if !p.IsValid() {
		return &Error{Value: p.String(), Err: ErrInvalidProvider}
	}
	if !a.Served() {
		return unavailable(a.ZipCode, p, t, ErrNotServed)
	}
	name := p.String()
	for _, l := range a.Phlebotomy.Providers {
		if l.Name == name && l.Offers(t) {
			return nil
		}
	}
	return unavailable(a.ZipCode, p, t, ErrTierUnavailable)
}

// unavailable returns the [*Error] of an area that cannot serve tier t:
// its Value is the zip code, its Reason names the provider asked for (any
// provider when p is zero) and the tier, such as
// "no getlabs for appointment-request".
func unavailable(zip string, p Provider, t tier.Tier, sentinel error) error {
	who := "provider"
	if p != 0 {
		who = p.String()
	}
	return &Error{Value: zip, Reason: "no " + who + " for " + t.String(), Err: sentinel}
}
