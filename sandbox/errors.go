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
	// ErrRefused reports a command ([Server.Apply]) that Junction's rules
	// do not allow on the order as it is; the order is unchanged.
	ErrRefused = errors.New("sandbox: refused")
	// ErrServer reports a [Server.Start] that could not listen, or one made
	// on a server that is already started or closed.
	ErrServer = errors.New("sandbox: cannot serve")
)

// Error reports what the server's Go API refused, in the io/fs.PathError
// style: the call or option, the order it was about, and the sentinel. It
// unwraps to Err and to Cause.
type Error struct {
	// Op is the option or call, such as "WithBookingKeyTTL", "Apply" or
	// "Start".
	Op string
	// OrderID is the order the call was about; empty for options and
	// Start.
	OrderID string
	// Problem says what is wrong when Cause does not, or is empty.
	Problem string
	// Err is the sentinel: [ErrOption], [ErrUnknownOrder], [ErrRefused]
	// or [ErrServer].
	Err error
	// Cause is what caused it, such as the flow's refusal (a
	// scheduling error wrapping scheduling.ErrNotAllowed), a
	// webhook.ErrInvalidSecret or the listener's error; or nil.
	Cause error
}

// Error returns a message such as
// "sandbox: invalid option: WithBookingKeyTTL: not positive" or
// `sandbox: refused: Apply "ord-1": scheduling: not allowed: …`.
func (e *Error) Error() string {
	msg := "sandbox"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	msg += ": " + e.Op
	if e.OrderID != "" {
		msg += " " + strconv.Quote(e.OrderID)
	}
	if e.Problem != "" {
		msg += ": " + e.Problem
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the sentinel and the cause, those that are set.
func (e *Error) Unwrap() []error {
	var out []error
	for _, err := range []error{e.Err, e.Cause} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}
