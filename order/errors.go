package order

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
	ErrUnknownStatus = errors.New("order: unknown status")
	// ErrUnknownTrigger reports text that is not a trigger of this lifecycle.
	ErrUnknownTrigger = errors.New("order: unknown trigger")
	// ErrInvalidTransition reports a trigger that is forbidden in a status.
	ErrInvalidTransition = errors.New("order: invalid transition")
	// ErrReentrantFire reports a [Machine.Fire] called from one of the
	// same machine's callbacks with the context the callback was given,
	// which would otherwise wait forever.
	ErrReentrantFire = errors.New("order: fire called from a callback of the same machine")
	// ErrMachine reports a [Machine] that cannot be built as asked.
	ErrMachine = errors.New("order: invalid machine")
)

// ParseError reports text that is not a value of its kind, such as a status
// this package does not know or a timestamp that is not RFC 3339, or a value
// that cannot be written, such as a date that does not exist. It unwraps to
// its sentinel: [ErrUnknownStatus] or [ErrUnknownTrigger] for text that
// names no status or trigger, [ErrMalformed] for a date or time.
type ParseError struct {
	// Kind is what the text should have been: "status", "high-level
	// status", "trigger", "date" or "time".
	Kind string
	// Text is the rejected input, or the value that cannot be written.
	Text string
	// Err is the sentinel.
	Err error
}

// Error returns a message such as `order: unknown status "foo"` or
// `order: malformed time "noon"`.
func (e *ParseError) Error() string {
	what := "unknown "
	if errors.Is(e.Err, ErrMalformed) {
		what = "malformed "
	}
	return "order: " + what + e.Kind + " " + strconv.Quote(e.Text)
}

// Unwrap returns the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

// Sentinel errors of the order value and its history.
var (
	// ErrMalformed reports input that does not have the shape Junction
	// documents: invalid JSON, a value of the wrong JSON type, a timestamp
	// or a date that cannot be read; or a value that cannot be written,
	// such as a time outside the years 0000 to 9999. An unknown status is
	// not malformed: it wraps [ErrUnknownStatus] instead.
	ErrMalformed = errors.New("order: malformed input")
	// ErrNotPhlebotomy reports a history of an order that is not at-home
	// phlebotomy, whose statuses this package does not model; see
	// [ValidateHistory].
	ErrNotPhlebotomy = errors.New("order: not an at-home phlebotomy order")
	// ErrInvalidHistory reports an events[] history that is not a path
	// through the lifecycle; see [ValidateHistory].
	ErrInvalidHistory = errors.New("order: invalid history")
	// ErrOutOfOrder reports a history entry whose created_at is earlier
	// than the entry before it.
	ErrOutOfOrder = errors.New("order: history goes back in time")
	// ErrIDNotIncreasing reports a history entry whose id is not greater
	// than the id of the entry before it.
	ErrIDNotIncreasing = errors.New("order: history ids do not increase")
)

// DecodeError reports JSON that cannot be decoded into an [Order] (Op
// "decode"), or an Order that cannot be written as JSON (Op "encode"). The
// value decoded into is left unchanged.
//
// It unwraps to its cause and, unless the cause is an unknown status, to
// [ErrMalformed]: errors.Is(err, ErrUnknownStatus) tells a status this
// package does not know (Junction may add some) from input that is broken.
type DecodeError struct {
	// Op is "decode" or "encode".
	Op string
	// Path is the JSON Pointer (RFC 6901) of the value at fault, such as
	// "/events/2/status" or "/details/data/created_at"; empty when the
	// document as a whole is at fault.
	Path string
	// Err is the cause: a *[ParseError] for an unknown or invalid status,
	// or for a timestamp or date that cannot be read or written; for JSON
	// that is invalid or has a value of the wrong type, the
	// *jsontext.SyntacticError or *json.SemanticError of
	// github.com/go-json-experiment/json; nil when the destination cannot
	// be written (it then unwraps to [ErrMalformed] alone).
	Err error
}

// Error returns a message such as
// `order: decode /events/2/status: unknown status "no_show"` or
// `order: decode /id: cannot read number as string`.
func (e *DecodeError) Error() string {
	msg := "order: " + e.Op
	if msg == "order: " {
		msg = "order: decode"
	}
	if e.Path != "" {
		msg += " " + e.Path
	}
	if e.Err == nil {
		return msg + ": malformed input"
	}
	return msg + ": " + strings.TrimPrefix(jsonerr.Message(e.Err), "order: ")
}

// Unwrap returns the cause, and [ErrMalformed] unless the cause already
// wraps it or wraps [ErrUnknownStatus].
func (e *DecodeError) Unwrap() []error {
	switch {
	case e.Err == nil:
		return []error{ErrMalformed}
	case errors.Is(e.Err, ErrUnknownStatus), errors.Is(e.Err, ErrMalformed):
		return []error{e.Err}
	}
	return []error{ErrMalformed, e.Err}
}

// TransitionError reports a move the lifecycle forbids: a trigger fired in
// a status that does not allow it ([Next], [Machine.Fire]), or an entry of
// an events[] history that is not a step along the lifecycle
// ([ValidateHistory]).
//
// For a trigger, Err is nil and it unwraps to [ErrInvalidTransition];
// [Next] and [Machine.Fire] return the same pre-built value for a given
// pair, so rejecting does not allocate. For a history, Err is the reason
// and it unwraps to [ErrInvalidHistory] and the reason:
// [ErrInvalidTransition] for a step the table does not make,
// [ErrOutOfOrder] for a timestamp earlier than the one before,
// [ErrIDNotIncreasing] for an id that does not increase, a *[ParseError]
// wrapping [ErrUnknownStatus] for a status this package does not know, or
// [ErrNotPhlebotomy] for a status of another modality.
type TransitionError struct {
	// From is the status moved from: for a history, the status of the
	// entry before Index, the zero Status for the first entry, which
	// follows the order's creation.
	From Status
	// Trigger is the trigger fired; the zero Trigger for a history.
	Trigger Trigger
	// To is the status of the history entry at Index: the zero Status
	// when the entry has none this package knows, and for a trigger.
	To Status
	// Index is the position in the history of the first entry at fault;
	// 0 for a trigger.
	Index int
	// Err is the reason a history is invalid; nil for a trigger.
	Err error
}

// Error returns a message such as
// `order: invalid transition: complete_draw from appointment_pending` or
// `order: invalid history: events[2]: completed to appointment_scheduled: invalid transition`.
func (e *TransitionError) Error() string {
	if e.Err == nil {
		return "order: invalid transition: " + e.Trigger.String() + " from " + e.From.String()
	}
	msg := "order: invalid history: events[" + strconv.Itoa(e.Index) + "]"
	if e.To != 0 {
		from := "creation"
		if e.From != 0 {
			from = e.From.String()
		}
		msg += ": " + from + " to " + e.To.String()
	}
	return msg + ": " + strings.TrimPrefix(e.Err.Error(), "order: ")
}

// Unwrap returns [ErrInvalidTransition] for a trigger, and
// [ErrInvalidHistory] and the reason for a history.
func (e *TransitionError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidTransition}
	}
	return []error{ErrInvalidHistory, e.Err}
}
