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
)

// EventError reports an event that cannot be applied. It unwraps to
// [ErrInvalidEvent] and, where there is one, to the cause, such as an
// order.HistoryError.
type EventError struct {
	Reason string // what is wrong
	Err    error  // the cause, or nil
}

// Error returns a message such as
// "track: invalid event: order history: order: invalid history: …".
func (e *EventError) Error() string {
	msg := "track: invalid event: " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrInvalidEvent] and the cause.
func (e *EventError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidEvent}
	}
	return []error{ErrInvalidEvent, e.Err}
}

// OrderError reports an event about another order. It unwraps to
// [ErrInvalidEvent] and [ErrOtherOrder].
type OrderError struct {
	Held, Received string // the tracked order's id and the event's
}

// Error returns a message such as
// `track: event of another order: "ord-2", tracking "ord-1"`.
func (e *OrderError) Error() string {
	return "track: event of another order: " + strconv.Quote(e.Received) + ", tracking " + strconv.Quote(e.Held)
}

// Unwrap returns [ErrInvalidEvent] and [ErrOtherOrder].
func (e *OrderError) Unwrap() []error { return []error{ErrInvalidEvent, ErrOtherOrder} }

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

// MalformedError reports a stored form that cannot be decoded or a value
// that cannot be encoded. It unwraps to [ErrMalformed] and the cause.
type MalformedError struct {
	Reason string
	Err    error // the cause, or nil
}

// Error returns a message such as "track: malformed stored order: appointments not in id order".
func (e *MalformedError) Error() string {
	msg := "track: malformed stored order: " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrMalformed] and the cause.
func (e *MalformedError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}
