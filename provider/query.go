package provider

import (
	"net/url"
	"strconv"
)

// AreaInfoPath is the path of Junction's area-info endpoint, which
// answers with an [AreaInfo].
const AreaInfoPath = "/v3/order/area/info"

// Radius is the search radius of an area-info query, in miles, such as
// Radius(50). Junction accepts 10, 20, 25, 50 and 100 ([Radius.IsValid]).
// The zero value means "not set" and is sent as [DefaultRadius].
type Radius int

// DefaultRadius is the radius Junction uses when none is given, 25 miles,
// and the one [AreaQuery] sends for a zero Radius.
const DefaultRadius Radius = 25

// IsValid reports whether r is one of the radii Junction accepts. The zero
// value is not valid on its own; [AreaQuery] replaces it with
// [DefaultRadius].
func (r Radius) IsValid() bool {
	switch r {
	case 10, 20, 25, 50, 100:
		return true
	}
	return false
}

// AreaQuery is the query of GET /v3/order/area/info. It is a plain value:
// set the fields, call [AreaQuery.Validate] or one of the builders, and
// send the request with any HTTP client.
type AreaQuery struct {
	// ZipCode is the zip code to check: exactly five ASCII digits.
	ZipCode string
	// Radius is the search radius; zero means [DefaultRadius].
	Radius Radius
}

// validZipCode reports whether s is exactly five ASCII digits.
func validZipCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// radius returns the radius to send.
func (q AreaQuery) radius() Radius {
	if q.Radius == 0 {
		return DefaultRadius
	}
	return q.Radius
}

// Validate returns nil when Junction would accept q, or else a
// [*Error] wrapping [ErrInvalidZipCode] or [ErrInvalidRadius]; the
// zip code is checked first.
func (q AreaQuery) Validate() error {
	if !validZipCode(q.ZipCode) {
		return &Error{Value: q.ZipCode, Reason: "want exactly five ASCII digits", Err: ErrInvalidZipCode}
	}
	if !q.radius().IsValid() {
		return &Error{Value: strconv.Itoa(int(q.Radius)), Reason: "want 10, 20, 25, 50 or 100 miles", Err: ErrInvalidRadius}
	}
	return nil
}

// Values returns the query parameters of q, zip_code and radius, with the
// radius always set, for a caller who adds parameters of its own. It fails
// as [AreaQuery.Validate] does.
func (q AreaQuery) Values() (url.Values, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return url.Values{
		"zip_code": {q.ZipCode},
		"radius":   {strconv.Itoa(int(q.radius()))},
	}, nil
}

// Encode returns the query string of q, such as "zip_code=85004&radius=25",
// with the radius always set (our decision: sending the default
// explicitly makes the request say what it asks for). Both values are digits, so nothing needs
// escaping. It fails as [AreaQuery.Validate] does.
func (q AreaQuery) Encode() (string, error) {
	if err := q.Validate(); err != nil {
		return "", err
	}
	return "zip_code=" + q.ZipCode + "&radius=" + strconv.Itoa(int(q.radius())), nil
}

// Path returns the request path and query of q, such as
// "/v3/order/area/info?zip_code=85004&radius=25", to be joined to the base
// URL of Junction's API. It fails as [AreaQuery.Validate] does.
func (q AreaQuery) Path() (string, error) {
	s, err := q.Encode()
	if err != nil {
		return "", err
	}
	return AreaInfoPath + "?" + s, nil
}
