package tier

import "strconv"

// Tier is a phlebotomy service tier: how an at-home appointment is made.
// Its text form is the wire value (appointment-ready); the zero value is
// invalid and reported by [Tier.IsValid].
type Tier uint8

const (
	_ Tier = iota
	// AppointmentReady: the customer books a date and time synchronously,
	// through the book endpoint, with a booking key taken from the
	// availability slots. Junction chooses an appointment-ready provider.
	// The appointment is created pending and at once becomes reserved (no
	// requisition yet) or confirmed (requisition exists).
	AppointmentReady
	// AppointmentRequest: the customer requests an appointment with the
	// patient's address, through the request endpoint, naming a provider
	// that offers this tier. A phlebotomist later assigns themselves and
	// agrees the date and time with the patient; until then the appointment
	// stays pending, with no date or time.
	AppointmentRequest

	numTiers = iota - 1
)

// meta is what the documentation says about one tier.
type meta struct {
	name             string // wire value
	synchronous      bool   // the customer fixes the date and time when booking
	hasTimeAtCreated bool   // the appointment has a start time when created
	requiresProvider bool   // the create call must name a provider
	pattern          string // path of the create endpoint
}

// tiers is the one table of tier facts; every method below reads it.
var tiers = [...]meta{
	AppointmentReady: {
		name:             "appointment-ready",
		synchronous:      true,
		hasTimeAtCreated: true,
		requiresProvider: false,
		pattern:          "/v3/order/{order_id}/phlebotomy/appointment/book",
	},
	AppointmentRequest: {
		name:             "appointment-request",
		synchronous:      false,
		hasTimeAtCreated: false,
		requiresProvider: true,
		pattern:          "/v3/order/{order_id}/phlebotomy/appointment/request",
	},
}

// All returns every valid tier, in declaration order. The slice is new on
// each call, so the caller may change it.
func All() []Tier {
	all := make([]Tier, 0, numTiers)
	for t := Tier(1); t <= numTiers; t++ {
		all = append(all, t)
	}
	return all
}

// IsValid reports whether t is one of the package's constants.
func (t Tier) IsValid() bool { return t >= 1 && t <= numTiers }

// String returns the wire value of t, such as "appointment-ready". For an
// invalid tier it returns a Go-syntax form such as "tier.Tier(7)"; it never
// panics.
func (t Tier) String() string {
	if !t.IsValid() {
		return "tier.Tier(" + strconv.Itoa(int(t)) + ")"
	}
	return tiers[t].name
}

// Parse returns the tier whose wire value is s. Only the exact wire text
// is accepted: no trimming, no case folding. Any other text yields a
// [*Error] that wraps [ErrUnknownTier].
func Parse(s string) (Tier, error) {
	for t := Tier(1); t <= numTiers; t++ {
		if tiers[t].name == s {
			return t, nil
		}
	}
	return 0, &Error{Value: s, Err: ErrUnknownTier}
}

// MarshalText implements [encoding.TextMarshaler]: it returns the wire
// value. An invalid tier yields an [*Error] wrapping [ErrInvalidTier] instead of text, so a
// forgotten field is never written as a tier.
func (t Tier) MarshalText() ([]byte, error) {
	if !t.IsValid() {
		return nil, &Error{Value: t.String(), Err: ErrInvalidTier}
	}
	return []byte(tiers[t].name), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with the rules of
// [Parse]. On error the receiver is left unchanged. A nil t cannot hold a
// tier: any text is then an [*Error] wrapping [ErrUnknownTier].
func (t *Tier) UnmarshalText(text []byte) error {
	if t == nil {
		return &Error{Value: string(text), Err: ErrUnknownTier}
	}
	parsed, err := Parse(string(text))
	if err != nil {
		return err
	}
	*t = parsed
	return nil
}

// Synchronous reports whether the customer books the date and time
// directly and gets the result in the same call (appointment-ready), as
// opposed to requesting an appointment that a phlebotomist schedules later
// (appointment-request). It reports false for an invalid tier.
func (t Tier) Synchronous() bool { return t.IsValid() && tiers[t].synchronous }

// HasTimeAtCreation reports whether an appointment of this tier has a date
// and time as soon as it is created. Appointment-request appointments start
// pending with no date or time until the phlebotomist agrees one with the
// patient. It reports false for an invalid tier.
func (t Tier) HasTimeAtCreation() bool { return t.IsValid() && tiers[t].hasTimeAtCreated }

// RequiresProvider reports whether the create call of this tier must name
// a provider. The request endpoint needs a provider that offers
// appointment-request in the patient's area; the book endpoint chooses an
// appointment-ready provider on the caller's behalf. It reports false for
// an invalid tier.
func (t Tier) RequiresProvider() bool { return t.IsValid() && tiers[t].requiresProvider }

// Endpoint returns the Junction endpoint that creates an appointment of
// this tier, so a service can route its call from the tier. For an invalid
// tier it returns an invalid [Endpoint] whose [Endpoint.Path] fails.
func (t Tier) Endpoint() Endpoint { return Endpoint{tier: t} }
