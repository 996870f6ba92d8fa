package order

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers branch with [errors.Is] and read details with [errors.As].
var (
	// ErrUnknownStatus reports text that is not a status of this lifecycle,
	// or a status value that is not valid. Junction calls its status enums
	// non-exhaustive, so callers should expect it and keep going.
	ErrUnknownStatus = errors.New("order: unknown status")
	// ErrUnknownEvent reports text that is not an event of this lifecycle.
	ErrUnknownEvent = errors.New("order: unknown event")
	// ErrInvalidTransition reports an event that is forbidden in a status.
	ErrInvalidTransition = errors.New("order: invalid transition")
	// ErrReentrantFire reports a [Machine.Fire] called from one of the
	// same machine's callbacks with the context the callback was given,
	// which would otherwise wait forever.
	ErrReentrantFire = errors.New("order: fire called from a callback of the same machine")
	// ErrMachine reports a [Machine] that cannot be built as asked.
	ErrMachine = errors.New("order: invalid machine")
)

// ParseError reports text that does not name a value of this package. It
// unwraps to [ErrUnknownStatus] or [ErrUnknownEvent].
type ParseError struct {
	Kind string // "status", "high-level status" or "event"
	Text string // the rejected input
	Err  error  // the sentinel
}

// Error returns a message such as `order: unknown status "foo"`.
func (e *ParseError) Error() string { return "order: unknown " + e.Kind + " " + strconv.Quote(e.Text) }

// Unwrap returns the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

// TransitionError reports an event that is forbidden in a status. It
// unwraps to [ErrInvalidTransition]. [Next] and [Machine.Fire] return the
// same pre-built value for a given pair, so rejecting does not allocate.
type TransitionError struct {
	From  Status
	Event Event
}

// Error returns a message such as
// `order: invalid transition: complete_draw from appointment_pending`.
func (e *TransitionError) Error() string {
	return "order: invalid transition: " + e.Event.String() + " from " + e.From.String()
}

// Unwrap returns [ErrInvalidTransition].
func (e *TransitionError) Unwrap() error { return ErrInvalidTransition }
