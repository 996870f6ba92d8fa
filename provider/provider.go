package provider

import (
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/tier"
)

// Provider is a phlebotomy provider that takes at-home bookings through
// Junction. Its text form is the wire name (getlabs); the zero value is
// invalid and reported by [Provider.IsValid].
type Provider uint8

const (
	_ Provider = iota
	// Getlabs offers the appointment-ready tier: appointments are booked
	// for a date and time through the book endpoint. Junction recommends
	// booking it 48 hours ahead ([Provider.RecommendedLead]), and it
	// reschedules appointments that still lack a requisition about 24 hours
	// before their start ([Provider.AutoRescheduleBefore]).
	Getlabs
	// Phlebfinders (beta) offers the appointment-request tier:
	// appointments are requested through the request endpoint and a
	// phlebotomist agrees the date and time with the patient later.
	Phlebfinders

	numProviders = iota - 1
)

// tierSet is a set of tiers, one bit per [tier.Tier] value.
type tierSet uint8

// has reports whether t is in s.
func (s tierSet) has(t tier.Tier) bool { return t.IsValid() && s&(1<<t) != 0 }

// setOf returns the set holding ts.
func setOf(ts ...tier.Tier) tierSet {
	var s tierSet
	for _, t := range ts {
		s |= 1 << t
	}
	return s
}

// meta is what the documentation says about one provider.
type meta struct {
	name   string  // wire name
	offers tierSet // the service-tiers table
	beta   bool
	// recommendedLead is how far ahead Junction recommends booking.
	recommendedLead time.Duration
	// autoReschedule is how long before the start the provider itself
	// reschedules an appointment that still has no requisition; zero when
	// it does not.
	autoReschedule time.Duration
}

// providers is the one table of provider facts; every method below reads
// it. It restates the service-tiers table of Junction's documentation.
var providers = [...]meta{
	Getlabs: {
		name:            "getlabs",
		offers:          setOf(tier.AppointmentReady),
		recommendedLead: 48 * time.Hour,
		autoReschedule:  24 * time.Hour,
	},
	Phlebfinders: {
		name:   "phlebfinders",
		offers: setOf(tier.AppointmentRequest),
		beta:   true,
	},
}

// notAtHome lists the names Junction's API enums hold that cannot take an
// at-home booking today, with the reason their [*Error] gives.
var notAtHome = [...]struct{ name, reason string }{
	{"quest", "patient service centre network: the patient walks in"},
	{"sonora_quest", "patient service centre network: the patient walks in"},
	{"axlehealth", "retired"},
}

// All returns every valid provider, in declaration order. The slice is
// new on each call, so the caller may change it.
func All() []Provider {
	all := make([]Provider, 0, numProviders)
	for p := Provider(1); p <= numProviders; p++ {
		all = append(all, p)
	}
	return all
}

// IsValid reports whether p is one of the package's constants.
func (p Provider) IsValid() bool { return p >= 1 && p <= numProviders }

// String returns the wire name of p, such as "getlabs". For an invalid
// provider it returns a Go-syntax form such as "provider.Provider(7)"; it
// never panics.
func (p Provider) String() string {
	if !p.IsValid() {
		return "provider.Provider(" + strconv.Itoa(int(p)) + ")"
	}
	return providers[p].name
}

// lookup returns the provider whose wire name is s, without allocating.
func lookup(s string) (Provider, bool) {
	for p := Provider(1); p <= numProviders; p++ {
		if providers[p].name == s {
			return p, true
		}
	}
	return 0, false
}

// Parse returns the provider whose wire name is s. Only the exact wire
// text is accepted: no trimming, no case folding.
//
// A name from Junction's API enums that cannot take an at-home booking
// ("quest", "sonora_quest": patient service centres; "axlehealth":
// retired) yields an [*Error] wrapping [ErrNotAtHome], with the reason;
// any other text yields an [*Error] wrapping [ErrUnknownProvider].
func Parse(s string) (Provider, error) {
	if p, ok := lookup(s); ok {
		return p, nil
	}
	for _, n := range notAtHome {
		if n.name == s {
			return 0, &Error{Value: n.name, Reason: n.reason, Err: ErrNotAtHome}
		}
	}
	return 0, &Error{Value: s, Err: ErrUnknownProvider}
}

// MarshalText implements [encoding.TextMarshaler]: it returns the wire
// name. An invalid provider yields an [*Error] wrapping [ErrInvalidProvider]
// instead of text, so
// a forgotten field is never written as a provider.
func (p Provider) MarshalText() ([]byte, error) {
	if !p.IsValid() {
		return nil, &Error{Value: p.String(), Err: ErrInvalidProvider}
	}
	return []byte(providers[p].name), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with the rules of
// [Parse]. On error the receiver is left unchanged. A nil p cannot hold a
// provider: any text is then an [*Error] wrapping [ErrUnknownProvider].
func (p *Provider) UnmarshalText(text []byte) error {
	if p == nil {
		return &Error{Value: string(text), Err: ErrUnknownProvider}
	}
	parsed, err := Parse(string(text))
	if err != nil {
		return err
	}
	*p = parsed
	return nil
}

// Offers reports whether p offers tier t according to Junction's
// service-tiers table: Getlabs offers appointment-ready only, Phlebfinders
// appointment-request only. It reports false for an invalid provider or
// tier.
//
// This is the documented table, not the answer for one area: what an area
// offers today comes from its area-info response ([AreaInfo.ForBooking],
// [AreaInfo.ForRequest]).
func (p Provider) Offers(t tier.Tier) bool { return p.IsValid() && providers[p].offers.has(t) }

// Beta reports whether Junction labels p as beta. Phlebfinders is.
func (p Provider) Beta() bool { return p.IsValid() && providers[p].beta }

// RecommendedLead returns how far ahead of an appointment's start Junction
// recommends booking with p: 48 hours for Getlabs; zero for the others,
// for which the documentation says nothing (our decision).
//
// Junction strongly recommends booking Getlabs appointments at least 48
// hours in advance, so that the requisition has time to be received and
// sent to the phlebotomist. It is a recommendation, not a rejection: the
// scheduling rules may warn but should not refuse. Booking this far ahead
// also lets Junction's auto-cancellation (no requisition 8 hours after the
// order was created) act before Getlabs reschedules on its own (see
// [Provider.AutoRescheduleBefore]), so that the customer, not Getlabs,
// talks to the patient.
func (p Provider) RecommendedLead() time.Duration {
	if !p.IsValid() {
		return 0
	}
	return providers[p].recommendedLead
}

// AutoRescheduleBefore returns how long before an appointment's start p
// reschedules, on its own, an appointment that still has no requisition,
// and whether p does so at all: (24h, true) for Getlabs, (0, false) for
// the others.
//
// Getlabs automatically reschedules appointments without a requisition
// form around 24 hours before their start and tells the patient directly
// by SMS. The documentation says "around": the duration is a guide, not an
// exact deadline.
func (p Provider) AutoRescheduleBefore() (time.Duration, bool) {
	if !p.IsValid() || providers[p].autoReschedule == 0 {
		return 0, false
	}
	return providers[p].autoReschedule, true
}
