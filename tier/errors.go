package tier

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns is an [*Error] that
// wraps one of them, so callers branch with [errors.Is] and read the value
// at fault with [errors.As].
var (
	// ErrUnknownTier reports text that is not the wire name of a tier.
	// Junction may add tiers; callers should expect it and keep going.
	ErrUnknownTier = errors.New("tier: unknown tier")
	// ErrInvalidTier reports a [Tier] value that is not one of the
	// package's constants, such as the zero value.
	ErrInvalidTier = errors.New("tier: invalid tier")
	// ErrInvalidOrderID reports an order id that cannot be placed in an
	// endpoint path.
	ErrInvalidOrderID = errors.New("tier: invalid order id")
)

// Error reports a value the package refuses, in the manner of
// [io/fs.PathError]: the value at fault and the sentinel it breaks.
type Error struct {
	// Value is the value at fault: text that names no tier (also text
	// decoded into a nil *Tier), an invalid tier in Go syntax such as
	// "tier.Tier(7)", or an order id.
	Value string
	// Reason says why an order id was refused; it is empty otherwise.
	Reason string
	// Err is [ErrUnknownTier], [ErrInvalidTier] or [ErrInvalidOrderID].
	Err error
}

// Error returns a message such as `tier: unknown tier "foo"`,
// `tier: invalid tier tier.Tier(0)` or
// `tier: invalid order id "a/b": contains a character that needs escaping`.
func (e *Error) Error() string {
	if e.Err == nil {
		return "tier: " + strconv.Quote(e.Value)
	}
	msg := e.Err.Error() + " "
	if e.Err == ErrInvalidTier {
		msg += e.Value // already in Go syntax
	} else {
		msg += strconv.Quote(e.Value)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }
