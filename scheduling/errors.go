package scheduling

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// Sentinel errors of the rules. Every error this package returns wraps one
// of them, [ErrLeadTime], or one of the flow's ([ErrRequisitionRequired],
// [ErrNotAllowed], [ErrClock]), so callers branch with [errors.Is] and read
// details with [errors.As] (a *[RuleError], a *[StateError] or a
// *[DecodeError]); the one exception is [Flow.Book] and [Flow.Request]
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
	// auto-cancel the moment it is made.
	ErrAutoCancel = errors.New("scheduling: would be auto-cancelled at once")
	// ErrZone reports a patient's time zone that has no IANA name. A zone
	// has one when its name is neither "" nor "Local", [time.LoadLocation]
	// knows the name, and the zone it loads gives the same UTC offsets;
	// the offsets are compared on 1 January and 1 July of every year from
	// 1970 to 2037 (our decision: the span zone files describe transition
	// by transition, winter and summer).
	//
	// The zone database comes from the system: this package does not
	// embed one. A program that may run without one, such as in a scratch
	// container, imports time/tzdata in its main package or builds with
	// -tags timetzdata.
	ErrZone = errors.New("scheduling: no IANA time zone")
	// ErrRange reports an instant outside the years 0000 to 9999 in UTC,
	// or a date that is not valid, which a [Flow] cannot store.
	ErrRange = errors.New("scheduling: instant out of range")
	// ErrMalformed reports a stored order, or part of one, that cannot be
	// decoded, or a value that cannot be encoded exactly (a
	// [DecodeError] of Op "decode" or "encode").
	ErrMalformed = errors.New("scheduling: malformed order")
	// ErrSlot reports a missing, inverted or past appointment slot, or one
	// outside the years 0000 to 9999 in UTC.
	ErrSlot = errors.New("scheduling: invalid slot")
)

// ErrLeadTime reports a booking that starts sooner than its provider
// asks for (Getlabs: 48 hours), where the booking enforces the provider's
// lead time ([Booking.EnforceLead], [BookRequest.EnforceLead]); by default
// the lead time is a recommendation, not a rule (see [CheckLead]). Getlabs
// asks for the time so that the requisition can be received and sent to the
// phlebotomist: an appointment still without one is rescheduled by the
// provider, which tells the patient by SMS, whereas booking early lets
// Junction's auto-cancellation act first and send an appointment cancelled
// webhook.
var ErrLeadTime = errors.New("scheduling: booked too close to the start")

// RuleError reports a value that breaks one of the package's rules: a
// booking rule (age, address, notes, one active appointment, tier, slot,
// auto-cancellation, lead time), the patient's time zone, an instant the
// flow cannot store, or a command dated before the flow's last change. Err
// is the sentinel that names the rule; Field and Value say what is at
// fault. It unwraps to Err and, when there is one, to Cause.
//
// Field and Value, by sentinel:
//
//   - [ErrUnderage]: "dob", the date of birth (an [order.Date]; the zero
//     Date when it is missing);
//   - [ErrAddress]: "first_line", "zip_code", "city" or "state", the
//     field's text;
//   - [ErrNotesTooLong]: "access_notes" or "appointment_notes", the length
//     of the notes in characters (an int);
//   - [ErrActiveAppointment]: "existing" (the patient's appointments) or
//     "appointments" (the order's own), the ids of the active appointments
//     in the way, sorted (a []string);
//   - [ErrTierMismatch]: "provider", the [provider.Provider];
//   - [ErrSlot]: "start_at" or "end_at", the instant (a time.Time);
//   - [ErrAutoCancel]: "created_at" (rule 1, [OrderAge]) or "start_at"
//     (rule 2, [StartSoon]), the [Deadline] that has already passed: the
//     rule and the instant from which it holds;
//   - [ErrLeadTime]: "start_at", how far ahead the booking is made (a
//     time.Duration);
//   - [ErrZone]: "time_zone", the zone's name (a string); Cause is the
//     error of time.LoadLocation, if any;
//   - [ErrRange]: what the instant or date is ("now", "activate_by",
//     "dob", …), the time.Time or [order.Date];
//   - [ErrClock]: "now", the command's instant (a time.Time).
type RuleError struct {
	// Field names what is at fault.
	Field string
	// Value is the value at fault.
	Value any
	// Problem says what is wrong, in words: the message after the
	// sentinel's.
	Problem string
	// Err is the sentinel of the rule broken.
	Err error
	// Cause is an underlying error, such as time.LoadLocation's; nil
	// when there is none.
	Cause error
}

// Error returns the sentinel's message and the problem, such as
// "scheduling: unreachable address: first_line: no street number before the street name"
// or "scheduling: patient under 18: 17 on 2026-03-01 (born 2008-03-02)".
func (e *RuleError) Error() string {
	if e.Err == nil {
		return "scheduling: " + e.Problem
	}
	return e.Err.Error() + ": " + e.Problem
}

// Unwrap returns Err and, when there is one, Cause.
func (e *RuleError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// ageError returns the error of a patient born on birth who is age on day,
// under 18.
func ageError(birth order.Date, day time.Time, age int) *RuleError {
	if birth.IsZero() {
		return &RuleError{Field: "dob", Value: birth, Problem: "no date of birth", Err: ErrUnderage}
	}
	return &RuleError{Field: "dob", Value: birth, Err: ErrUnderage,
		Problem: strconv.Itoa(age) + " on " + day.Format(time.DateOnly) + " (born " + birth.String() + ")"}
}

// addressError returns the error of an address whose field f, holding
// value, has problem.
func addressError(f, value, problem string) *RuleError {
	return &RuleError{Field: f, Value: value, Problem: f + ": " + problem, Err: ErrAddress}
}

// activeError returns the error of active appointments ids standing in the
// way: with provider p, or the order's own when p is not valid.
func activeError(p provider.Provider, ids []string) *RuleError {
	field, with := "appointments", "on this order"
	if p.IsValid() {
		field, with = "existing", "with "+p.String()
	}
	return &RuleError{Field: field, Value: ids, Problem: with + ": " + strings.Join(ids, ", "), Err: ErrActiveAppointment}
}

// notesError returns the error of notes in field that are n characters
// long.
func notesError(field string, n int) *RuleError {
	return &RuleError{Field: field, Value: n, Err: ErrNotesTooLong,
		Problem: field + " has " + strconv.Itoa(n) + " characters, at most " + strconv.Itoa(MaxNotes)}
}

// tierError returns the error of a provider that does not offer a tier.
func tierError(p provider.Provider, tr tier.Tier) *RuleError {
	return &RuleError{Field: "provider", Value: p, Err: ErrTierMismatch,
		Problem: p.String() + " does not offer " + tr.String()}
}

// slotError returns the error of a slot whose field, at t, has problem.
func slotError(field string, t time.Time, problem string) *RuleError {
	return &RuleError{Field: field, Value: t, Problem: problem, Err: ErrSlot}
}

// autoCancelError returns the error of an appointment that rule cancels
// from at, already passed.
func autoCancelError(rule Rule, at time.Time) *RuleError {
	d := Deadline{Kind: CancelOrderAge, At: at}
	field := "created_at"
	if rule == StartSoon {
		d.Kind, field = CancelStartSoon, "start_at"
	}
	return &RuleError{Field: field, Value: d, Err: ErrAutoCancel,
		Problem: rule.String() + " holds since " + at.UTC().Format(time.RFC3339Nano)}
}

// zoneError returns the error of a time zone named zone that has no IANA
// name.
func zoneError(zone, problem string, cause error) *RuleError {
	return &RuleError{Field: "time_zone", Value: zone, Problem: strconv.Quote(zone) + ": " + problem, Err: ErrZone,
		Cause: cause}
}

// rangeError returns the error of an instant field outside the years
// 0000 to 9999 in UTC.
func rangeError(field string, t time.Time) *RuleError {
	return &RuleError{Field: field, Value: t, Err: ErrRange,
		Problem: field + " " + t.UTC().Format(time.RFC3339Nano) + " is outside the years 0000 to 9999"}
}

// clockError returns the error of a command dated now, before the last
// change at clock.
func clockError(now, clock time.Time) *RuleError {
	return &RuleError{Field: "now", Value: now, Err: ErrClock,
		Problem: now.Format(time.RFC3339Nano) + " is before the last change at " + clock.Format(time.RFC3339Nano)}
}

// DecodeError reports JSON that does not decode into a [Flow] or a
// [Placement] (Op "decode", see [Flow.UnmarshalJSON]; the value decoded
// into is left unchanged), or a value that cannot be written as JSON
// exactly (Op "encode", see [Flow.MarshalJSON]). It unwraps to
// [ErrMalformed] and to its cause.
type DecodeError struct {
	// Op is "decode" or "encode"; empty reads as "decode".
	Op string
	// Path is the JSON Pointer of the value at fault, such as "/clock",
	// "/time_zone", "/appointments/1/tier" or
	// "/appointments/0/appointment/status"; empty when the document as a
	// whole is at fault.
	Path string
	// Err is the cause. Decoding: a *json.SemanticError (a value of the
	// wrong JSON type, an unknown member), a *jsontext.SyntacticError
	// (invalid JSON, a member given twice, data after the value), a
	// status, tier or date that does not parse, a *[RuleError] wrapping
	// [ErrRange] or [ErrZone], the appointment package's error, or a plain
	// error for a missing member or a history out of order. Encoding:
	// [order.ErrUnknownStatus], [tier.ErrInvalidTier], a *[RuleError]
	// wrapping [ErrRange] or [ErrZone], the error of a value's own
	// encoding (a date that is not valid, an appointment record), or a
	// *jsontext.SyntacticError for a string that is not valid UTF-8.
	Err error
}

// Error returns a message such as
// `scheduling: decode /time_zone: no IANA time zone: "Mars/Olympus": unknown to the zone database` or
// "scheduling: encode /clock: instant out of range: clock 10000-01-01T00:00:00Z is outside the years 0000 to 9999".
func (e *DecodeError) Error() string {
	what := "scheduling: decode"
	if e.Op == "encode" {
		what = "scheduling: encode"
	}
	return codecMessage(what, e.Path, e.Err)
}

// Unwrap returns [ErrMalformed] and the cause.
func (e *DecodeError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}

func codecMessage(what, path string, err error) string {
	var b strings.Builder
	b.WriteString(what)
	if path != "" {
		b.WriteString(" " + path)
	}
	b.WriteString(": ")
	var pe *time.ParseError
	switch {
	case err == nil:
		b.WriteString("malformed")
	case errors.As(err, &pe):
		b.WriteString("malformed time " + strconv.Quote(pe.Value) + ", want RFC 3339 with a zone designator")
	default:
		b.WriteString(strings.TrimPrefix(jsonerr.Message(err), "scheduling: "))
	}
	return b.String()
}
