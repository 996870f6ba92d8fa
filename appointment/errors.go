package appointment

import (
	"errors"
	"strconv"
	"strings"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers branch with [errors.Is] and read details with [errors.As].
var (
	// ErrUnknownStatus reports text that is not a status of this lifecycle,
	// or a status value that is not valid. Junction calls its status enums
	// non-exhaustive, so callers should expect it and keep going.
	ErrUnknownStatus = errors.New("appointment: unknown status")
	// ErrUnknownTrigger reports text that is not a trigger of this
	// lifecycle, or a trigger value that is not valid.
	ErrUnknownTrigger = errors.New("appointment: unknown trigger")
	// ErrInvalidTransition reports a trigger that is forbidden in a
	// status, or a history step that no trigger makes.
	ErrInvalidTransition = errors.New("appointment: invalid transition")
	// ErrReentrantFire reports a [Machine.Fire] called from one of the
	// same machine's callbacks with the context the callback was given,
	// which would otherwise wait forever.
	ErrReentrantFire = errors.New("appointment: fire called from a callback of the same machine")
	// ErrMachine reports a [Machine] that cannot be built as asked.
	ErrMachine = errors.New("appointment: invalid machine")
	// ErrMalformed reports input that does not have the shape Junction
	// documents: invalid JSON, a value of the wrong JSON type, a repeated
	// member, a timestamp that is not RFC 3339; and a value that Junction's
	// JSON cannot hold, such as a NaN coordinate or invalid raw JSON. An
	// unknown status is not malformed: it wraps [ErrUnknownStatus]
	// instead.
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

// DecodeError reports text or JSON that this package cannot decode (Op
// "decode"), or a value that it cannot write (Op "encode").
//
// Decoding: JSON that is not an [Appointment], an [EventData], a
// [HistoryEntry] or a list of [CancellationReason] values; text that
// [ParseStatus], [ParseTrigger] or [ParseTime] refuses; a status read from
// a database; an appointment's time zone that cannot be loaded. The value
// being decoded into is left unchanged.
//
// Encoding: as Junction's JSON, a [Status] or [Trigger] that is not valid,
// a time outside the years 0000 to 9999, raw JSON that is not valid (in
// [EventData].Extra or [HistoryEntry].Data), or a coordinate that is NaN
// or infinite; or an invalid Status or Trigger as text.
//
// Like [io/fs.PathError] it says where (Path), what (Text) and why (Err).
// It unwraps to Err and, unless Err already wraps one of the package's
// sentinels, to [ErrMalformed]: each error wraps exactly one of
// [ErrUnknownStatus] (a status this package does not know; Junction may add
// some), [ErrUnknownTrigger], [ErrUnknownZone] and ErrMalformed (input that
// is broken).
type DecodeError struct {
	// Op is "decode" or "encode"; empty reads as "decode".
	Op string
	// Path is the JSON Pointer (RFC 6901) of the value at fault, such as
	// "/start_at", "/address/zip_code", "/events/1/created_at" or
	// "/event_data/reason"; empty for text decoded or encoded on its own,
	// and for a document or value that is at fault as a whole, as a
	// document that is not valid JSON is.
	Path string
	// Text is the text at fault, when there is one: an unknown status or
	// trigger, a malformed time, a time zone; when encoding, an invalid
	// status or trigger, a time out of range.
	Text string
	// Err is the cause: a sentinel of this package, a *json.SemanticError
	// for a value of the wrong JSON type (or, when encoding, a NaN
	// coordinate), a *jsontext.SyntacticError for invalid JSON or a
	// repeated member; nil when the document or value as a whole is
	// malformed (it then unwraps to [ErrMalformed] alone).
	Err error
}

// Error returns a message such as `appointment: unknown status "foo"`,
// `appointment: decode /status: unknown status "no_show"`,
// `appointment: decode /start_at: malformed time "noon"`,
// `appointment: decode /address/zip_code: cannot read number as string`,
// `appointment: encode /status: unknown status "appointment.Status(9)"` or
// `appointment: encode /events/1/data: unexpected end of JSON input`.
func (e *DecodeError) Error() string {
	op := "decode"
	if e.Op == "encode" {
		op = "encode"
	}
	return message(op, e.Path, e.Text, e.Err)
}

// Unwrap returns the cause, and [ErrMalformed] unless the cause already
// wraps a sentinel of this package.
func (e *DecodeError) Unwrap() []error { return causes(e.Err) }

// message writes the message of a *DecodeError: op and path
// unless the error is about text alone.
func message(op, path, text string, err error) string {
	textual := text != "" || errors.Is(err, ErrUnknownStatus) || errors.Is(err, ErrUnknownTrigger) ||
		errors.Is(err, ErrUnknownZone) || errors.Is(err, errMalformedTime)
	var b strings.Builder
	b.WriteString("appointment: ")
	if path != "" || !textual {
		b.WriteString(op)
		if path != "" {
			b.WriteString(" " + path)
		}
		b.WriteString(": ")
	}
	switch {
	case textual:
		b.WriteString(what(err) + " " + strconv.Quote(text))
	case err == nil:
		b.WriteString("malformed input")
	default:
		b.WriteString(strings.TrimPrefix(jsonerr.Message(err), "appointment: "))
	}
	return b.String()
}

// what names the fault of a text by the sentinel it wraps.
func what(err error) string {
	switch {
	case errors.Is(err, ErrUnknownStatus):
		return "unknown status"
	case errors.Is(err, ErrUnknownTrigger):
		return "unknown trigger"
	case errors.Is(err, ErrUnknownZone):
		return "unknown time zone"
	}
	return "malformed time" // the only text that is malformed
}

// causes returns what a *DecodeError with cause err
// unwraps to: the cause, and ErrMalformed unless the cause wraps one of the
// package's sentinels; ErrMalformed alone without a cause.
func causes(err error) []error {
	switch {
	case err == nil:
		return []error{ErrMalformed}
	case errors.Is(err, ErrUnknownStatus), errors.Is(err, ErrMalformed), errors.Is(err, ErrUnknownTrigger),
		errors.Is(err, ErrUnknownZone):
		return []error{err}
	}
	return []error{ErrMalformed, err}
}

// TransitionError reports a move the lifecycle forbids: a trigger fired in
// a status that does not allow it ([Next], [Machine.Fire]), or a step of
// an events[] history that is not a path through the lifecycle
// ([ValidateHistory]).
//
// For a trigger, Err is nil and it unwraps to [ErrInvalidTransition];
// [Next] and [Machine.Fire] return the same pre-built value for a given
// pair, so rejecting does not allocate. For a history, Err is the reason
// and it unwraps to [ErrInvalidHistory] and the reason:
// ErrInvalidTransition for a step no trigger makes, [ErrOutOfOrder] for a
// timestamp earlier than the one before, or a *[DecodeError] wrapping
// [ErrUnknownStatus] for a status this package does not know.
type TransitionError struct {
	// From is the status moved from: for a history, the status of the
	// entry before Index, the zero Status for the first entry.
	From Status
	// Trigger is the trigger fired; the zero Trigger for a history.
	Trigger Trigger
	// To is the status of the history entry at Index: the zero Status
	// when its text is unknown, and for a trigger.
	To Status
	// Index is the position in the history of the first entry at fault;
	// 0 for a trigger.
	Index int
	// Err is the reason a history is invalid; nil for a trigger.
	Err error
}

// Error returns a message such as
// `appointment: invalid transition: start from pending` or
// `appointment: invalid history: events[2]: completed to confirmed: invalid transition`.
func (e *TransitionError) Error() string {
	if e.Err == nil {
		return "appointment: invalid transition: " + e.Trigger.String() + " from " + e.From.String()
	}
	msg := "appointment: invalid history: events[" + strconv.Itoa(e.Index) + "]"
	if e.To.IsValid() {
		from := "creation"
		if e.From != 0 {
			from = e.From.String()
		}
		msg += ": " + from + " to " + e.To.String()
	}
	return msg + ": " + strings.TrimPrefix(e.Err.Error(), "appointment: ")
}

// Unwrap returns [ErrInvalidTransition] for a trigger, and
// [ErrInvalidHistory] and the reason for a history.
func (e *TransitionError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidTransition}
	}
	return []error{ErrInvalidHistory, e.Err}
}
