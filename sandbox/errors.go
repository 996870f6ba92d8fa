package sandbox

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package's Go API returns wraps one of
// them. (What the HTTP API answers is Junction's: a status and a JSON
// {"detail": ...} body; see [Server].)
var (
	// ErrOption reports an option [New] cannot use, such as a webhook
	// secret that is not one or an area without an IANA time zone.
	ErrOption = errors.New("sandbox: invalid option")
	// ErrUnknownOrder reports an order id the server does not hold.
	ErrUnknownOrder = errors.New("sandbox: unknown order")
	// ErrRefused reports a control ([Server.CreateRequisition],
	// [Server.CompleteDraw], …) that Junction's rules do not allow on the
	// order as it is; the order is unchanged.
	ErrRefused = errors.New("sandbox: refused")
	// ErrServer reports a [Server.Start] that could not listen, or one made
	// on a server that is already started or closed.
	ErrServer = errors.New("sandbox: cannot serve")
)

// OptionError reports an option [New] cannot use. It unwraps to
// [ErrOption] and to the cause, if any.
type OptionError struct {
	Option  string // the option, such as "WithWebhookURL"
	Problem string // what is wrong
	Err     error  // the cause, such as a webhook.SecretError, or nil
}

// Error returns a message such as
// "sandbox: invalid option: WithBookingKeyTTL: not positive".
func (e *OptionError) Error() string {
	msg := "sandbox: invalid option: " + e.Option + ": " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrOption] and the cause.
func (e *OptionError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrOption}
	}
	return []error{ErrOption, e.Err}
}

// OrderError reports an order id the server does not hold. It unwraps to
// [ErrUnknownOrder].
type OrderError struct {
	ID string // the order id asked for
}

// Error returns a message such as `sandbox: unknown order "ord-1"`.
func (e *OrderError) Error() string { return "sandbox: unknown order " + strconv.Quote(e.ID) }

// Unwrap returns [ErrUnknownOrder].
func (e *OrderError) Unwrap() error { return ErrUnknownOrder }

// ControlError reports a control that the order's flow refused. It unwraps
// to [ErrRefused] and to the flow's error (such as a *scheduling.StateError
// wrapping scheduling.ErrNotAllowed).
type ControlError struct {
	Control string // the control, such as "complete_draw"
	OrderID string // the order
	Err     error  // the flow's refusal
}

// Error returns a message such as
// "sandbox: refused: complete_draw on ord-1: scheduling: not allowed: …".
func (e *ControlError) Error() string {
	msg := "sandbox: refused: " + e.Control + " on " + e.OrderID
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrRefused] and the flow's error.
func (e *ControlError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrRefused}
	}
	return []error{ErrRefused, e.Err}
}

// ServerError reports a [Server.Start] that failed. It unwraps to
// [ErrServer] and to the cause, if any.
type ServerError struct {
	Problem string // what went wrong
	Err     error  // the cause, such as the listener's error, or nil
}

// Error returns a message such as "sandbox: cannot serve: already started".
func (e *ServerError) Error() string {
	msg := "sandbox: cannot serve: " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrServer] and the cause.
func (e *ServerError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrServer}
	}
	return []error{ErrServer, e.Err}
}
