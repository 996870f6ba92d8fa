package provider

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns is an [*Error] or a
// [*DecodeError] wrapping one of them, so callers branch with [errors.Is]
// and read details with [errors.As].
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
	// invalid JSON, a field of the wrong type, or a member repeated in one
	// object.
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

// Error reports a value the package refuses, in the manner of
// [io/fs.PathError]: the value at fault, why, and the sentinel it breaks.
// Parse, MarshalText and UnmarshalText return it for a provider name or
// value; [AreaQuery] for a zip code or radius; [AreaInfo.ForBooking] and
// [AreaInfo.ForRequest] for an area that cannot serve what was asked.
type Error struct {
	// Value is the value at fault: the text given for a provider name,
	// an invalid [Provider] in Go syntax such as "provider.Provider(7)",
	// a query's zip code or radius, or the zip code of an area-info
	// response that cannot serve what was asked.
	Value string
	// Reason says why, where the sentinel does not say it all, such as
	// "retired" or "no getlabs for appointment-request"; it may be empty.
	Reason string
	// Err is the sentinel: [ErrUnknownProvider], [ErrNotAtHome],
	// [ErrInvalidProvider], [ErrInvalidZipCode], [ErrInvalidRadius],
	// [ErrNotServed] or [ErrTierUnavailable].
	Err error
}

// Error returns a message in the words of the sentinel, such as
// `provider: unknown provider "foo"`,
// `provider: "axlehealth" cannot take an at-home booking: retired`,
// `provider: invalid provider provider.Provider(0)`,
// `provider: invalid zip_code "8500": want exactly five ASCII digits`,
// `provider: zip 85004 has no getlabs for appointment-request` or
// `provider: zip 99999 is not served: no provider for appointment-ready`.
func (e *Error) Error() string {
	q := strconv.Quote(e.Value)
	var msg string
	switch e.Err {
	case ErrNotAtHome:
		msg = "provider: " + q + " cannot take an at-home booking"
	case ErrInvalidProvider:
		msg = "provider: invalid provider " + e.Value // already in Go syntax
	case ErrInvalidZipCode:
		msg = "provider: invalid zip_code " + q
	case ErrInvalidRadius:
		msg = "provider: invalid radius " + q
	case ErrNotServed, ErrTierUnavailable:
		zip := e.Value
		if !validZipCode(zip) {
			zip = q
		}
		if e.Err == ErrNotServed {
			return "provider: zip " + zip + " is not served: " + e.Reason
		}
		return "provider: zip " + zip + " has " + e.Reason
	case nil:
		msg = "provider: " + q
	default:
		msg = e.Err.Error() + " " + q
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// DecodeError reports an area-info document that cannot be decoded, or an
// [AreaInfo] whose CentralLabs is not JSON and so cannot be encoded. It
// unwraps to both [ErrMalformed] and its cause, such as a
// *[github.com/go-json-experiment/json.SemanticError] or a
// *[github.com/go-json-experiment/json/jsontext.SyntacticError].
type DecodeError struct {
	// Path is the JSON Pointer of the value at fault, such as
	// "/phlebotomy/is_served"; empty when the document as a whole is.
	Path string
	// Err is the cause.
	Err error
}

// Error returns a message such as
// `provider: malformed area info at /phlebotomy/is_served: json: cannot unmarshal ...`.
func (e *DecodeError) Error() string {
	msg := "provider: malformed area info"
	if e.Path != "" {
		msg += " at " + e.Path
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrMalformed] and the cause.
func (e *DecodeError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}
