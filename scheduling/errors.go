package scheduling

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// Sentinel errors of the rules. Every error this package returns wraps one
// of them or of the flow's ([ErrRequisitionRequired], [ErrNotAllowed],
// [ErrClock]), so callers branch with [errors.Is] and read details with
// [errors.As]; the one exception is [Flow.Book] and [Flow.Request]
// passing on the provider package's errors about an area.
var (
	// ErrUnderage reports a patient under 18 on the day of the appointment.
	ErrUnderage = errors.New("scheduling: patient under 18")
	// ErrAddress reports an address the phlebotomist cannot reach.
	ErrAddress = errors.New("scheduling: unreachable address")
	// ErrActiveAppointment reports a patient who already has an active
	// appointment with the provider, or an order that already has one.
	ErrActiveAppointment = errors.New("scheduling: active appointment exists")
	// ErrNotesTooLong reports notes longer than [MaxNotes] characters.
	ErrNotesTooLong = errors.New("scheduling: notes too long")
	// ErrTierMismatch reports a provider that does not offer the tier.
	ErrTierMismatch = errors.New("scheduling: provider does not offer tier")
	// ErrAutoCancel reports an appointment that Junction would
	// auto-cancel the moment it is made: see [AutoCancelError].
	ErrAutoCancel = errors.New("scheduling: would be auto-cancelled at once")
	// ErrZone reports a patient's time zone that has no IANA name: see
	// [ZoneError].
	ErrZone = errors.New("scheduling: no IANA time zone")
	// ErrRange reports an instant outside the years 0000 to 9999 in UTC,
	// which a [Flow] cannot store: see [RangeError].
	ErrRange = errors.New("scheduling: instant out of range")
	// ErrMalformed reports a stored order, or part of one, that cannot be
	// decoded ([DecodeError]), or a value that cannot be encoded exactly
	// ([EncodeError]).
	ErrMalformed = errors.New("scheduling: malformed order")
	// ErrSlot reports a missing, inverted or past appointment slot, or one
	// outside the years 0000 to 9999 in UTC.
	ErrSlot = errors.New("scheduling: invalid slot")
)

// AgeError reports a patient under 18 on the day of the appointment. It
// unwraps to [ErrUnderage].
type AgeError struct {
	BirthDate order.Date // the patient's date of birth
	On        time.Time  // the day of the appointment
	Age       int        // the patient's age in whole years on that day
}

// Error returns a message such as
// "scheduling: patient under 18: 17 on 2026-03-01 (born 2008-03-02)", or
// "scheduling: patient under 18: no date of birth" when BirthDate is zero.
func (e *AgeError) Error() string {
	if e.BirthDate.IsZero() {
		return "scheduling: patient under 18: no date of birth"
	}
	return fmt.Sprintf("scheduling: patient under 18: %d on %s (born %s)",
		e.Age, e.On.Format(time.DateOnly), e.BirthDate)
}

// Unwrap returns [ErrUnderage].
func (e *AgeError) Unwrap() error { return ErrUnderage }

// AddressError reports one reason an address cannot be reached. It unwraps
// to [ErrAddress].
type AddressError struct {
	Field   string // the address field at fault: first_line, zip_code, city, state
	Problem string // what is missing or wrong
}

// Error returns a message such as
// "scheduling: unreachable address: first_line: no street number".
func (e *AddressError) Error() string {
	return "scheduling: unreachable address: " + e.Field + ": " + e.Problem
}

// Unwrap returns [ErrAddress].
func (e *AddressError) Unwrap() error { return ErrAddress }

// ActiveAppointmentError reports appointments that are already active and
// stand in the way of a new one. It unwraps to [ErrActiveAppointment].
type ActiveAppointmentError struct {
	// Provider is the provider the conflict is with; the zero Provider when
	// the conflict is the order's own active appointment.
	Provider provider.Provider
	// IDs are the conflicting appointments' ids, sorted.
	IDs []string
}

// Error returns a message such as
// "scheduling: active appointment exists: with getlabs: a1, a2".
func (e *ActiveAppointmentError) Error() string {
	with := "on this order"
	if e.Provider.IsValid() {
		with = "with " + e.Provider.String()
	}
	return "scheduling: active appointment exists: " + with + ": " + strings.Join(e.IDs, ", ")
}

// Unwrap returns [ErrActiveAppointment].
func (e *ActiveAppointmentError) Unwrap() error { return ErrActiveAppointment }

// NotesError reports notes longer than [MaxNotes] characters. It unwraps to
// [ErrNotesTooLong].
type NotesError struct {
	Field  string // access_notes or appointment_notes
	Length int    // the length in characters (runes)
}

// Error returns a message such as
// "scheduling: notes too long: appointment_notes has 1001 characters, at most 1000".
func (e *NotesError) Error() string {
	return fmt.Sprintf("scheduling: notes too long: %s has %d characters, at most %d", e.Field, e.Length, MaxNotes)
}

// Unwrap returns [ErrNotesTooLong].
func (e *NotesError) Unwrap() error { return ErrNotesTooLong }

// TierError reports a provider that cannot take an appointment of a tier.
// It unwraps to [ErrTierMismatch].
type TierError struct {
	Provider provider.Provider
	Tier     tier.Tier
}

// Error returns a message such as
// "scheduling: provider does not offer tier: getlabs does not offer appointment-request".
func (e *TierError) Error() string {
	return "scheduling: provider does not offer tier: " + e.Provider.String() + " does not offer " + e.Tier.String()
}

// Unwrap returns [ErrTierMismatch].
func (e *TierError) Unwrap() error { return ErrTierMismatch }

// SlotError reports a slot that cannot be booked. It unwraps to [ErrSlot].
type SlotError struct {
	Problem string
}

// Error returns a message such as "scheduling: invalid slot: start is in the past".
func (e *SlotError) Error() string { return "scheduling: invalid slot: " + e.Problem }

// Unwrap returns [ErrSlot].
func (e *SlotError) Unwrap() error { return ErrSlot }

// AutoCancelError reports an appointment, made before its order's
// requisition exists, that one of Junction's auto-cancellation rules would
// cancel the moment it is made. It unwraps to [ErrAutoCancel].
type AutoCancelError struct {
	// Rule is the rule that holds: the first to have started to hold
	// when both do (see [AutoCancel.FiresAt]).
	Rule Rule
	// At is the instant from which Rule holds, at or before the instant of
	// the booking.
	At time.Time
}

// Error returns a message such as
// "scheduling: would be auto-cancelled at once: order_age holds since 2026-11-21T17:00:00.000000001Z".
func (e *AutoCancelError) Error() string {
	return "scheduling: would be auto-cancelled at once: " + e.Rule.String() + " holds since " +
		e.At.UTC().Format(time.RFC3339Nano)
}

// Unwrap returns [ErrAutoCancel].
func (e *AutoCancelError) Unwrap() error { return ErrAutoCancel }

// ZoneError reports a patient's time zone that has no IANA name, so that
// the appointment's iana_timezone could not name it. A zone has one when its
// name is neither "" nor "Local", [time.LoadLocation] knows the name, and
// the zone it loads gives the same UTC offsets; the offsets are compared on
// 1 January and 1 July of every year from 1970 to 2037 (our decision: the
// span zone files describe transition by transition, winter and summer).
// It unwraps to [ErrZone] and, when there is one, to the error of
// time.LoadLocation.
//
// The zone database comes from the system: this package does not embed
// one. A program that may run without one, such as in a scratch container,
// imports time/tzdata in its main package or builds with -tags timetzdata.
type ZoneError struct {
	Zone    string // the location's name
	Problem string // why it is not an IANA zone
	Err     error  // the error of time.LoadLocation, or nil
}

// Error returns a message such as
// `scheduling: no IANA time zone: "Local": not an IANA name`.
func (e *ZoneError) Error() string {
	return "scheduling: no IANA time zone: " + strconv.Quote(e.Zone) + ": " + e.Problem
}

// Unwrap returns [ErrZone] and the error of time.LoadLocation, if any.
func (e *ZoneError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrZone}
	}
	return []error{ErrZone, e.Err}
}

// RangeError reports an instant outside the years 0000 to 9999 in UTC,
// which an [Flow] cannot store as an RFC 3339 timestamp. It unwraps to
// [ErrRange].
type RangeError struct {
	Field string    // what the instant is: "now", "activate_by", "dob"
	At    time.Time // the instant
}

// Error returns a message such as
// "scheduling: instant out of range: now 10000-01-01T00:00:00Z is outside the years 0000 to 9999".
func (e *RangeError) Error() string {
	return "scheduling: instant out of range: " + e.Field + " " + e.At.UTC().Format(time.RFC3339Nano) +
		" is outside the years 0000 to 9999"
}

// Unwrap returns [ErrRange].
func (e *RangeError) Unwrap() error { return ErrRange }

// DecodeError reports JSON that does not decode into a [Flow] or a
// [Placement] (see [Flow.UnmarshalJSON]). The value decoded into
// is left unchanged. It unwraps to [ErrMalformed] and to its cause.
type DecodeError struct {
	// Field is the JSON path of the offending value, such as "clock",
	// "time_zone" or "appointments[1].tier"; empty when the
	// document as a whole is at fault.
	Field string
	// Err is the cause: a *json.SyntaxError or *json.UnmarshalTypeError,
	// a status or tier parse error, a *time.ParseError, a *[RangeError], a
	// *[ZoneError], an *appointment.DecodeError, or a plain error for a
	// missing member, an unknown member or data after the value.
	Err error
}

// Error returns a message such as
// `scheduling: decode time_zone: no IANA time zone: "Mars/Olympus": unknown to the zone database`.
func (e *DecodeError) Error() string { return codecMessage("scheduling: decode", e.Field, e.Err) }

// Unwrap returns [ErrMalformed] and the cause.
func (e *DecodeError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}

// EncodeError reports a value that cannot be written as JSON exactly (see
// [Flow.MarshalJSON]). It unwraps to [ErrMalformed] and to its cause.
type EncodeError struct {
	// Field is the JSON path of the offending value, such as
	// "appointments[0].appointment" or "time_zone".
	Field string
	// Err is the cause: a status or tier error, a *[RangeError], a
	// *[ZoneError], the appointment package's error, or an error saying a
	// string is not valid UTF-8.
	Err error
}

// Error returns a message such as
// "scheduling: encode clock: instant out of range: clock 10000-01-01T00:00:00Z is outside the years 0000 to 9999".
func (e *EncodeError) Error() string { return codecMessage("scheduling: encode", e.Field, e.Err) }

// Unwrap returns [ErrMalformed] and the cause.
func (e *EncodeError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}

func codecMessage(what, field string, err error) string {
	var b strings.Builder
	b.WriteString(what)
	if field != "" {
		b.WriteString(" " + field)
	}
	b.WriteString(": ")
	var ute *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case err == nil:
		b.WriteString("malformed")
	case errors.As(err, &ute):
		b.WriteString("unexpected JSON " + ute.Value)
	case errors.As(err, &pe) && pe.Layout == time.DateOnly:
		b.WriteString("malformed date " + strconv.Quote(pe.Value) + ", want YYYY-MM-DD")
	case errors.As(err, &pe):
		b.WriteString("malformed time " + strconv.Quote(pe.Value) + ", want RFC 3339 with a zone designator")
	default:
		b.WriteString(strings.TrimPrefix(err.Error(), "scheduling: "))
	}
	return b.String()
}

// decodeError returns err, met while decoding the value at path prefix, as
// a *DecodeError whose Field is the full path.
func decodeError(prefix string, err error) *DecodeError {
	var de *DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Field: joinPath(prefix, de.Field), Err: de.Err}
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return &DecodeError{Field: joinPath(prefix, ute.Field), Err: ute}
	}
	return &DecodeError{Field: prefix, Err: err}
}

// encodeError returns err, met while encoding the value at path prefix, as
// an *EncodeError whose Field is the full path.
func encodeError(prefix string, err error) *EncodeError {
	var ee *EncodeError
	if errors.As(err, &ee) {
		return &EncodeError{Field: joinPath(prefix, ee.Field), Err: ee.Err}
	}
	return &EncodeError{Field: prefix, Err: err}
}

func joinPath(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}
