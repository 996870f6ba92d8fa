package provider

import (
	"errors"
	"strconv"

	"github.com/phlebkit/phlebkit/tier"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers branch with [errors.Is] and read details with [errors.As].
var (
	// ErrUnknownProvider reports text that names no provider this package
	// knows. An area-info response may still list such a name; it is kept
	// but never selected.
	ErrUnknownProvider = errors.New("provider: unknown provider")
	// ErrNotAtHome reports a name Junction's API knows that cannot take an
	// at-home phlebotomy booking today, such as a patient service centre
	// network or a retired provider. It is distinct from
	// [ErrUnknownProvider] so that callers can tell "known, not bookable at
	// home" from garbage.
	ErrNotAtHome = errors.New("provider: not an at-home provider")
	// ErrInvalidProvider reports a [Provider] value that is not one of the
	// package's constants, such as the zero value.
	ErrInvalidProvider = errors.New("provider: invalid provider")
	// ErrMalformed reports an area-info document that cannot be decoded:
	// invalid JSON, or a field of the wrong type.
	ErrMalformed = errors.New("provider: malformed area info")
	// ErrNotServed reports an area that Junction's phlebotomy network does
	// not serve: is_served is false, or no provider is listed.
	ErrNotServed = errors.New("provider: area not served")
	// ErrTierUnavailable reports a served area where no listed provider
	// this package knows offers the tier asked for, or where the provider
	// asked for is not listed with that tier.
	ErrTierUnavailable = errors.New("provider: tier unavailable in area")
	// ErrInvalidZipCode reports a zip code that is not exactly five ASCII
	// digits.
	ErrInvalidZipCode = errors.New("provider: invalid zip code")
	// ErrInvalidRadius reports a search radius that is not one of 10, 20,
	// 25, 50 or 100 miles.
	ErrInvalidRadius = errors.New("provider: invalid radius")
)

// ParseError reports text that names no provider, or text decoded into a
// nil pointer. It unwraps to [ErrUnknownProvider].
type ParseError struct {
	Text string // the rejected input
}

// Error returns a message such as `provider: unknown provider "foo"`.
func (e *ParseError) Error() string { return "provider: unknown provider " + strconv.Quote(e.Text) }

// Unwrap returns [ErrUnknownProvider].
func (e *ParseError) Unwrap() error { return ErrUnknownProvider }

// NotAtHomeError reports a provider name that Junction's API knows but
// that cannot take an at-home phlebotomy booking. It unwraps to
// [ErrNotAtHome].
type NotAtHomeError struct {
	Name   string // the wire name, such as "quest"
	Reason string // why it takes no at-home booking
}

// Error returns a message such as
// `provider: "axlehealth" cannot take an at-home booking: retired`.
func (e *NotAtHomeError) Error() string {
	return "provider: " + strconv.Quote(e.Name) + " cannot take an at-home booking: " + e.Reason
}

// Unwrap returns [ErrNotAtHome].
func (e *NotAtHomeError) Unwrap() error { return ErrNotAtHome }

// InvalidError reports a [Provider] value that is not one of the package's
// constants. It unwraps to [ErrInvalidProvider].
type InvalidError struct {
	Provider Provider // the rejected value
}

// Error returns a message such as `provider: invalid provider provider.Provider(0)`.
func (e *InvalidError) Error() string { return "provider: invalid provider " + e.Provider.String() }

// Unwrap returns [ErrInvalidProvider].
func (e *InvalidError) Unwrap() error { return ErrInvalidProvider }

// MalformedError reports an area-info document that cannot be decoded or
// an [AreaInfo] that cannot be encoded. It unwraps to both [ErrMalformed]
// and the underlying error, such as a [*encoding/json.SyntaxError] or a
// [*encoding/json.UnmarshalTypeError].
type MalformedError struct {
	Err error // the underlying error
}

// Error returns a message such as `provider: malformed area info: json: ...`.
func (e *MalformedError) Error() string {
	if e.Err == nil {
		return "provider: malformed area info"
	}
	return "provider: malformed area info: " + e.Err.Error()
}

// Unwrap returns [ErrMalformed] and the underlying error.
func (e *MalformedError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}

// AvailabilityError reports that an area-info response offers no provider
// for what was asked. It unwraps to [ErrNotServed] or [ErrTierUnavailable].
type AvailabilityError struct {
	ZipCode  string    // the zip code of the response
	Tier     tier.Tier // the tier asked for
	Provider Provider  // the provider asked for; zero when none was named
	Err      error     // [ErrNotServed] or [ErrTierUnavailable]
}

// Error returns a message such as
// `provider: zip 85004 has no provider for appointment-request` or
// `provider: zip 99999 is not served: no provider for appointment-ready`.
func (e *AvailabilityError) Error() string {
	who := "provider"
	if e.Provider != 0 {
		who = e.Provider.String()
	}
	zip := e.ZipCode
	if !validZipCode(zip) {
		zip = strconv.Quote(zip)
	}
	if errors.Is(e.Err, ErrNotServed) {
		return "provider: zip " + zip + " is not served: no " + who + " for " + e.Tier.String()
	}
	return "provider: zip " + zip + " has no " + who + " for " + e.Tier.String()
}

// Unwrap returns [ErrNotServed] or [ErrTierUnavailable].
func (e *AvailabilityError) Unwrap() error { return e.Err }

// QueryError reports an [AreaQuery] parameter that Junction would reject.
// It unwraps to [ErrInvalidZipCode] or [ErrInvalidRadius].
type QueryError struct {
	Param  string // the query parameter: "zip_code" or "radius"
	Value  string // the rejected value, as text
	Reason string // what is wanted instead
	Err    error  // [ErrInvalidZipCode] or [ErrInvalidRadius]
}

// Error returns a message such as
// `provider: invalid zip_code "8500": want exactly five ASCII digits`.
func (e *QueryError) Error() string {
	return "provider: invalid " + e.Param + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

// Unwrap returns [ErrInvalidZipCode] or [ErrInvalidRadius].
func (e *QueryError) Unwrap() error { return e.Err }
