package appointment

import (
	"errors"
	"strconv"
	"strings"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers branch with [errors.Is] and read details with [errors.As].
var (
	// ErrUnknownStatus reports text that is not a status of this lifecycle,
	// or a status value that is not valid. Junction calls its status enums
	// non-exhaustive, so callers should expect it and keep going.
	ErrUnknownStatus = errors.New("appointment: unknown status")
	// ErrUnknownTrigger reports text that is not an event of this lifecycle.
	ErrUnknownTrigger = errors.New("appointment: unknown trigger")
	// ErrNotAppointment reports a webhook whose event_type is not an
	// appointment event, such as labtest.order.updated: a webhook for
	// someone else, which a caller that routes on event_type can ignore.
	// It is not malformed input: an error wrapping it does not wrap
	// [ErrMalformed].
	ErrNotAppointment = errors.New("appointment: not an appointment webhook")
	// ErrInvalidTransition reports an event that is forbidden in a status,
	// or a history step that no event makes.
	ErrInvalidTransition = errors.New("appointment: invalid transition")
	// ErrReentrantFire reports a [Machine.Fire] called from one of the
	// same machine's callbacks with the context the callback was given,
	// which would otherwise wait forever.
	ErrReentrantFire = errors.New("appointment: fire called from a callback of the same machine")
	// ErrMachine reports a [Machine] that cannot be built as asked.
	ErrMachine = errors.New("appointment: invalid machine")
	// ErrMalformed reports input that does not have the shape Junction
	// documents: invalid JSON, a value of the wrong JSON type, a timestamp
	// that is not RFC 3339, a webhook without an event_type; and a value
	// that Junction's JSON cannot hold, such as a NaN coordinate or invalid
	// raw JSON. An unknown status is not malformed: it wraps
	// [ErrUnknownStatus] instead.
	ErrMalformed = errors.New("appointment: malformed input")
	// ErrInvalidHistory reports an events[] history that is not a path
	// through the lifecycle; see [ValidateHistory].
	ErrInvalidHistory = errors.New("appointment: invalid history")
	// ErrOutOfOrder reports a history entry whose created_at is earlier
	// than the entry before it.
	ErrOutOfOrder = errors.New("appointment: history goes back in time")
	// ErrNoStart reports an appointment without a start time, such as an
	// appointment-request appointment that is still pending.
	ErrNoStart = errors.New("appointment: no start time")
	// ErrUnknownZone reports an empty or unknown IANA time zone.
	ErrUnknownZone = errors.New("appointment: unknown time zone")
)

// ParseError reports text that does not name a value of this package, or a
// malformed timestamp. It unwraps to its sentinel, which depends on Kind:
//
//   - "status": a status [ParseStatus] does not accept, or an invalid
//     [Status] value being encoded; [ErrUnknownStatus].
//   - "event": an event [ParseTrigger] does not accept, or an invalid
//     [Trigger] value being encoded; [ErrUnknownTrigger].
//   - "time": a timestamp [ParseTime] does not accept, or a time outside
//     the years 0000 to 9999 being encoded; [ErrMalformed].
//   - "webhook type": a webhook's event_type; [ErrNotAppointment] for a type
//     that is not an appointment webhook's, [ErrMalformed] for an absent or
//     empty one.
type ParseError struct {
	Kind string // "status", "event", "time" or "webhook type"
	Text string // the rejected input
	Err  error  // the sentinel
}

// Error returns a message such as `appointment: unknown status "foo"` or
// `appointment: malformed time "noon"`.
func (e *ParseError) Error() string {
	what := "unknown "
	if e.Err == ErrMalformed {
		what = "malformed "
	}
	return "appointment: " + what + e.Kind + " " + strconv.Quote(e.Text)
}

// Unwrap returns the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

// TransitionError reports an event that is forbidden in a status. It
// unwraps to [ErrInvalidTransition]. [Next] and [Machine.Fire] return the
// same pre-built value for a given pair, so rejecting does not allocate.
type TransitionError struct {
	From  Status
	Event Trigger
}

// Error returns a message such as
// `appointment: invalid transition: start from pending`.
func (e *TransitionError) Error() string {
	return "appointment: invalid transition: " + e.Event.String() + " from " + e.From.String()
}

// Unwrap returns [ErrInvalidTransition].
func (e *TransitionError) Unwrap() error { return ErrInvalidTransition }

// DecodeError reports JSON that cannot be decoded into an [Appointment],
// a [Webhook], a [HistoryEntry], an [EventData] or a
// [CancellationReason]. The value being decoded into is left unchanged.
//
// It unwraps to its cause and, unless the cause is an unknown status or a
// webhook that is not an appointment's, to [ErrMalformed]: each error wraps
// exactly one of [ErrUnknownStatus] (a status this package does not know;
// Junction may add some), [ErrNotAppointment] (someone else's webhook) and
// ErrMalformed (input that is broken).
type DecodeError struct {
	// Field is the JSON path of the offending value, such as "start_at",
	// "address.zip_code" or "data.events[1].created_at"; empty when the
	// document as a whole is at fault, as it is when it is not valid JSON.
	Field string
	// Err is the cause: a *[ParseError] for a status, timestamp or webhook
	// type this package refuses; otherwise an error describing the JSON
	// fault, such as "unexpected end of JSON input" for invalid JSON or
	// "cannot read number as string" for a value of the wrong JSON type;
	// or nil when the document as a whole is malformed (it then unwraps to
	// [ErrMalformed] alone).
	Err error
}

// Error returns a message such as
// `appointment: decode status: unknown status "no_show"`,
// `appointment: decode start_at: malformed time "noon"` or
// `appointment: decode address.zip_code: unexpected JSON number`.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("appointment: decode")
	if e.Field != "" {
		b.WriteString(" " + e.Field)
	}
	b.WriteString(": ")
	var te *jsonwire.TypeError
	switch {
	case e.Err == nil:
		b.WriteString("malformed input")
	case errors.As(e.Err, &te):
		b.WriteString("unexpected JSON " + te.Got.String())
		if te.Value != "" {
			b.WriteString(" " + te.Value)
		}
	default:
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "appointment: "))
	}
	return b.String()
}

// Unwrap returns the cause, and [ErrMalformed] unless the cause already
// wraps it or wraps [ErrUnknownStatus] or [ErrNotAppointment].
func (e *DecodeError) Unwrap() []error { return causes(e.Err) }

// causes returns what a *DecodeError or *EncodeError with cause err
// unwraps to: the cause, and ErrMalformed unless the cause wraps one of the
// sentinels a JSON error may carry; ErrMalformed alone without a cause.
func causes(err error) []error {
	switch {
	case err == nil:
		return []error{ErrMalformed}
	case errors.Is(err, ErrUnknownStatus), errors.Is(err, ErrMalformed), errors.Is(err, ErrNotAppointment):
		return []error{err}
	}
	return []error{ErrMalformed, err}
}

// under returns e, met while decoding the value at path prefix, with the
// full path in its Field.
func (e *DecodeError) under(prefix string) *DecodeError {
	return &DecodeError{Field: joinPath(prefix, e.Field), Err: e.Err}
}

// EncodeError reports a value that cannot be encoded as Junction's JSON:
// a [Status] that is not valid, a time outside the years 0000 to 9999,
// raw JSON that is not valid (in [EventData].Extra or [HistoryEntry].Data),
// a coordinate that is NaN or infinite, or a [Webhook] whose event type is
// not an appointment webhook's. Every encoding error of the package is one,
// also when encoding/json wraps it in a *json.MarshalerError.
//
// Like [DecodeError], it unwraps to its cause and, unless the cause is an
// invalid status or a webhook that is not an appointment's, to
// [ErrMalformed].
type EncodeError struct {
	// Field is the JSON path of the offending value, such as "status",
	// "event_data.reason" or "data.events[1].data"; empty when the value
	// encoded is at fault as a whole.
	Field string
	// Err is the cause: a *[ParseError], a *json.SyntaxError for invalid
	// raw JSON, a *json.UnsupportedValueError for a NaN or infinite
	// number; nil when there is none to tell (it then unwraps to
	// ErrMalformed alone).
	Err error
}

// Error returns a message such as
// `appointment: encode events[1].data: unexpected end of JSON input`.
func (e *EncodeError) Error() string {
	var b strings.Builder
	b.WriteString("appointment: encode")
	if e.Field != "" {
		b.WriteString(" " + e.Field)
	}
	b.WriteString(": ")
	if e.Err == nil {
		b.WriteString("malformed input")
	} else {
		b.WriteString(strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "appointment: "), "json: "))
	}
	return b.String()
}

// Unwrap returns the cause, and [ErrMalformed] unless the cause already
// wraps it or wraps [ErrUnknownStatus] or [ErrNotAppointment].
func (e *EncodeError) Unwrap() []error { return causes(e.Err) }

// encodeError wraps err, met while encoding the value at path prefix, in
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

// HistoryError reports where an events[] history stops being a path
// through the lifecycle; see [ValidateHistory]. It unwraps to
// [ErrInvalidHistory] and to the reason: [ErrInvalidTransition] for a step
// no event makes, [ErrOutOfOrder] for a timestamp earlier than the one
// before, or a *[ParseError] wrapping [ErrUnknownStatus] for a status this
// package does not know.
type HistoryError struct {
	// Index is the position in the history of the first entry at fault.
	Index int
	// From is the status of the entry before Index: the zero Status for
	// the first entry, which follows the appointment's creation.
	From Status
	// To is the status of the entry at Index: the zero Status when its
	// text is unknown.
	To Status
	// Err is the reason.
	Err error
}

// Error returns a message such as `appointment: invalid history: events[2]:
// completed to confirmed: invalid transition`.
func (e *HistoryError) Error() string {
	msg := "appointment: invalid history: events[" + strconv.Itoa(e.Index) + "]"
	if e.To.IsValid() {
		from := "creation"
		if e.From != 0 {
			from = e.From.String()
		}
		msg += ": " + from + " to " + e.To.String()
	}
	if e.Err != nil {
		msg += ": " + strings.TrimPrefix(e.Err.Error(), "appointment: ")
	}
	return msg
}

// Unwrap returns [ErrInvalidHistory] and the reason.
func (e *HistoryError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidHistory}
	}
	return []error{ErrInvalidHistory, e.Err}
}

// ZoneError reports an appointment's IANA time zone that is empty or cannot
// be loaded. It unwraps to [ErrUnknownZone] and, when there is one, to the
// error of [time.LoadLocation].
type ZoneError struct {
	Zone string // the iana_timezone value
	Err  error  // the error of time.LoadLocation, or nil
}

// Error returns a message such as
// `appointment: unknown time zone "Mars/Olympus_Mons"`.
func (e *ZoneError) Error() string {
	return "appointment: unknown time zone " + strconv.Quote(e.Zone)
}

// Unwrap returns [ErrUnknownZone] and the cause.
func (e *ZoneError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrUnknownZone}
	}
	return []error{ErrUnknownZone, e.Err}
}
