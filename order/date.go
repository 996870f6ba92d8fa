package order

import (
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

// Date is a calendar date with no time of day and no time zone, such as a
// date of birth. The zero Date is absent. A valid Date has a year from 0000
// to 9999 and a day that exists in its month; two Dates compare with ==.
//
// Its text form is "2006-01-02"; the absent Date's is "".
type Date struct {
	// Year is the year, such as 1990.
	Year int
	// Month is the month of the year.
	Month time.Month
	// Day is the day of the month, from 1.
	Day int
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// dateTimeLayout is an RFC 3339 timestamp without its zone designator.
const dateTimeLayout = "2006-01-02T15:04:05"

// parseDate parses a date as Junction sends one: "2020-01-01", or an RFC
// 3339 timestamp with or without a zone designator, such as
// "1990-01-01T00:00:00+00:00". A timestamp gives the date it is written
// with, before any offset is applied: a date of birth has no time zone (our
// decision; Junction sends midnight with offset zero). Anything else,
// including the empty string, returns a *[ParseError] wrapping
// [ErrMalformed].
func parseDate(text string) (Date, error) {
	var (
		t   time.Time
		err error
	)
	if len(text) == len(time.DateOnly) {
		t, err = time.Parse(time.DateOnly, text)
	} else if t, err = time.Parse(time.RFC3339Nano, text); err != nil {
		t, err = time.Parse(dateTimeLayout, text)
	}
	if err != nil {
		return Date{}, &ParseError{Kind: "date", Text: text, Err: ErrMalformed}
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the absent Date.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d is a date that can be written: a year from 0000
// to 9999, a month from 1 to 12 and a day that exists in that month. The
// absent Date is not valid.
func (d Date) IsValid() bool {
	return d.Year >= 0 && d.Year <= 9999 && DateOf(d.midnight()) == d
}

// midnight returns midnight UTC at the start of d, or the zero time.Time
// when d is absent.
func (d Date) midnight() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns d as "2006-01-02", or "" when d is absent. A Date that is
// not valid prints its fields as they are, such as "2023-13-40".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendText(make([]byte, 0, len(time.DateOnly))))
}

func (d Date) appendText(b []byte) []byte {
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	return appendPadded(b, d.Day, 2)
}

// appendPadded appends n with leading zeros up to width digits; a negative
// n gets its sign first.
func appendPadded(b []byte, n, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// MarshalText writes "2006-01-02", or nothing for the absent Date. A Date
// that is neither absent nor valid is a *[ParseError] wrapping
// [ErrMalformed].
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if !d.IsValid() {
		return nil, &ParseError{Kind: "date", Text: d.String(), Err: ErrMalformed}
	}
	return d.appendText(make([]byte, 0, len(time.DateOnly))), nil
}

// UnmarshalText accepts a date as Junction sends one: "2020-01-01", or an
// RFC 3339 timestamp with or without a zone designator, such as
// "1990-01-01T00:00:00+00:00". A timestamp gives the date it is written
// with, before any offset is applied: a date of birth has no time zone (our
// decision; Junction sends midnight with offset zero). The empty text is
// the absent Date. Anything else is a *[ParseError] wrapping
// [ErrMalformed]. On error d is unchanged.
func (d *Date) UnmarshalText(text []byte) error {
	var v Date
	if len(text) > 0 {
		var err error
		if v, err = parseDate(string(text)); err != nil {
			return err
		}
	}
	if d == nil {
		return &ParseError{Kind: "date", Text: string(text), Err: ErrMalformed}
	}
	*d = v
	return nil
}

// MarshalJSONTo writes d as a JSON string "2006-01-02", or null for the
// absent Date, for github.com/go-json-experiment/json. A Date that is
// neither absent nor valid is a *[ParseError] wrapping [ErrMalformed].
func (d Date) MarshalJSONTo(enc *jsontext.Encoder) error {
	if d.IsZero() {
		return enc.WriteToken(jsontext.Null)
	}
	b, err := d.MarshalText()
	if err != nil {
		return err
	}
	return enc.WriteToken(jsontext.String(string(b)))
}

// UnmarshalJSONFrom reads a JSON string that [Date.UnmarshalText] accepts,
// or null for the absent Date, for github.com/go-json-experiment/json. On
// error d is unchanged.
func (d *Date) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if d == nil {
		return &ParseError{Kind: "date", Text: string(v), Err: ErrMalformed}
	}
	if k := v.Kind(); k == 'n' {
		*d = Date{}
		return nil
	} else if k != '"' {
		return &json.SemanticError{JSONKind: k, GoType: dateType}
	}
	return d.UnmarshalText([]byte(jsonerr.Unquoted(v)))
}
