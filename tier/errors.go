package tier

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers branch with [errors.Is] and read details with [errors.As].
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

// ParseError reports text that does not name a tier, or text decoded into
// a nil pointer. It unwraps to [ErrUnknownTier].
type ParseError struct {
	Text string // the rejected input
}

// Error returns a message such as `tier: unknown tier "foo"`.
func (e *ParseError) Error() string { return "tier: unknown tier " + strconv.Quote(e.Text) }

// Unwrap returns [ErrUnknownTier].
func (e *ParseError) Unwrap() error { return ErrUnknownTier }

// InvalidError reports a [Tier] value that is not one of the package's
// constants. It unwraps to [ErrInvalidTier].
type InvalidError struct {
	Tier Tier // the rejected value
}

// Error returns a message such as `tier: invalid tier tier.Tier(0)`.
func (e *InvalidError) Error() string { return "tier: invalid tier " + e.Tier.String() }

// Unwrap returns [ErrInvalidTier].
func (e *InvalidError) Unwrap() error { return ErrInvalidTier }

// OrderIDError reports an order id that [Endpoint.Path] refuses to place
// in a path. It unwraps to [ErrInvalidOrderID].
type OrderIDError struct {
	OrderID string // the rejected input
	Reason  string // why it was rejected
}

// Error returns a message such as
// `tier: invalid order id "a/b": contains a character that needs escaping`.
func (e *OrderIDError) Error() string {
	return "tier: invalid order id " + strconv.Quote(e.OrderID) + ": " + e.Reason
}

// Unwrap returns [ErrInvalidOrderID].
func (e *OrderIDError) Unwrap() error { return ErrInvalidOrderID }
