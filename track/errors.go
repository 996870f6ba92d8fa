package track

import (
	"errors"
	"strconv"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// Sentinel errors. Every error this package returns wraps one of them.
var (
	// ErrInvalidEvent reports an event [Tracked.Apply] refuses: of another
	// order, not about at-home phlebotomy, or with a history that is not a
	// path of its lifecycle or diverges from the one held.
	ErrInvalidEvent = errors.New("track: invalid event")
	// ErrOtherOrder reports an event about another order than the one
	// tracked.
	ErrOtherOrder = errors.New("track: event of another order")
	// ErrConflict reports a snapshot whose history neither extends nor is
	// a prefix of the one held: two versions of the past that cannot both
	// be true.
	ErrConflict = errors.New("track: diverging histories")
	// ErrMalformed reports a stored form that cannot be decoded, or a value
	// that cannot be encoded.
	ErrMalformed = errors.New("track: malformed stored order")
	// ErrContention reports a [Record] that gave up after losing the
	// compare-and-swap too many times in a row.
	ErrContention = errors.New("track: too much contention")
	// ErrBrokenStore reports a [Store] that refused a swap at the version
	// it still reports: not contention, since no other writer changed the
	// version, but a store that does not implement Swap as [Store] says
	// (such as one that does not insert an order's first value).
	ErrBrokenStore = errors.New("track: store refused a swap at its own version")
)

// Error reports what this package refuses, other than diverging
// histories ([ConflictError]): an event [Tracked.Apply] cannot apply, a
// stored form that cannot be read, a value that cannot be written, a
// [Record] that gave up. Like [io/fs.PathError] it says what was done, to
// which order, where and why; branch with errors.Is on the sentinel it
// unwraps to.
type Error struct {
	// Op is what failed: "apply", "decode", "encode", "scan" or "record".
	Op string
	// OrderID is the order: the one tracked, or the one the event or the
	// stored form names; empty when none is known.
	OrderID string
	// Path is where the fault is, as a JSON Pointer: into the stored form
	// (such as "/points/1/events"), or into the event's JSON (such as
	// "/data/details/type"); empty when it is not one member.
	Path string
	// Reason says what is wrong; empty when Err and Cause say it.
	Reason string
	// Err is the sentinel: [ErrInvalidEvent], [ErrOtherOrder],
	// [ErrMalformed], [ErrContention] or [ErrBrokenStore].
	Err error
	// Cause is what caused the fault, such as an *order.TransitionError;
	// nil when there is none.
	Cause error
}

// Error returns a message such as
// `track: malformed stored order: decode order "ord-1" at /points/1/events: beyond the history`.
func (e *Error) Error() string {
	msg := "track: error"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Op != "" {
		msg += ": " + e.Op
		if e.OrderID != "" {
			msg += " order " + strconv.Quote(e.OrderID)
		}
		if e.Path != "" {
			msg += " at " + e.Path
		}
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns Err ([ErrOtherOrder] with [ErrInvalidEvent], since an
// event of another order is one Apply refuses) and Cause.
func (e *Error) Unwrap() []error {
	errs := []error{e.Err}
	if e.Err == ErrOtherOrder {
		errs = append(errs, ErrInvalidEvent)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// ConflictError reports a snapshot whose history diverges from the one
// held. It keeps both, so that nothing is silently dropped. It unwraps to
// [ErrInvalidEvent] and [ErrConflict].
type ConflictError struct {
	OrderID string
	// AppointmentID names the appointment whose histories diverge; empty
	// for the order's own.
	AppointmentID string
	// Index is the first entry at which the histories differ.
	Index int
	// HeldOrder and ReceivedOrder are the two order histories, for the
	// order's own.
	HeldOrder, ReceivedOrder []order.HistoryEntry
	// HeldAppointment and ReceivedAppointment are the two appointment
	// histories, for an appointment's.
	HeldAppointment, ReceivedAppointment []appointment.HistoryEntry
}

// Error returns a message such as
// `track: diverging histories: order "ord-1" at events[2]`.
func (e *ConflictError) Error() string {
	what := "order " + strconv.Quote(e.OrderID)
	if e.AppointmentID != "" {
		what = "appointment " + strconv.Quote(e.AppointmentID)
	}
	return "track: diverging histories: " + what + " at events[" + strconv.Itoa(e.Index) + "]"
}

// Unwrap returns [ErrInvalidEvent] and [ErrConflict].
func (e *ConflictError) Unwrap() []error { return []error{ErrInvalidEvent, ErrConflict} }
