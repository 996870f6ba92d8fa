package appointment

import (
	"encoding/json"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

// ParseTime parses a timestamp as Junction sends it: RFC 3339 with a zone
// designator ("2023-05-15T16:00:00+00:00", "2022-01-01T00:00:00Z") or
// without one ("2022-01-01T00:00:00"), which means UTC; fractional seconds
// are accepted in both. The result is in UTC, with the offset applied:
// Junction's times are UTC, and a value in UTC compares with ==.
//
// RFC 3339 is read as Go's time.RFC3339Nano layout reads it: it also
// takes a comma before the fraction and more than nine fractional digits
// (truncated), and wants upper-case T and Z. Anything else, including a
// date alone, a space instead of the T, the empty string, and an instant
// outside the years 0000 to 9999 once in UTC, returns a *[ParseError]
// wrapping [ErrMalformed].
func ParseTime(text string) (time.Time, error) {
	t, ok := jsonwire.ParseTime(text)
	if !ok {
		return time.Time{}, &ParseError{Kind: "time", Text: text, Err: ErrMalformed}
	}
	return t, nil
}

// formatTime writes t as [ParseTime] reads it back. It is meant for
// messages: an instant outside the years 0000 to 9999 is written too, in
// the form time.Time.Format gives it.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Time is an instant that may be absent, as start_at and end_at are for an
// appointment-request appointment that has no slot yet. The zero Time is
// absent. A present Time is held in UTC, so two Times compare with ==.
//
// In JSON an absent Time is null and a present one an RFC 3339 string in
// UTC; decoding accepts what [ParseTime] accepts.
type Time struct {
	t  time.Time
	ok bool
}

// TimeOf returns t as a present Time, converted to UTC and without its
// monotonic clock reading.
func TimeOf(t time.Time) Time { return Time{t: t.UTC(), ok: true} }

// Get returns the instant in UTC and whether it is present; an absent Time
// returns the zero time.Time and false.
func (t Time) Get() (time.Time, bool) { return t.t, t.ok }

// IsZero reports whether t is absent. It lets the omitzero JSON option
// leave an absent Time out.
func (t Time) IsZero() bool { return !t.ok }

// String returns the instant in RFC 3339 in UTC, or "" when absent.
func (t Time) String() string {
	if !t.ok {
		return ""
	}
	return formatTime(t.t)
}

// MarshalJSON writes an RFC 3339 string in UTC, or null when t is absent.
// An instant outside the years 0000 to 9999 is an *[EncodeError] wrapping
// [ErrMalformed].
func (t Time) MarshalJSON() ([]byte, error) {
	s, err := timeText(t)
	if err != nil {
		return nil, &EncodeError{Err: err}
	}
	if s == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*s)
}

// UnmarshalJSON accepts a string that [ParseTime] accepts. Like the
// standard library's decoders it leaves t unchanged for null; on error
// (a *[DecodeError]) t is unchanged too.
func (t *Time) UnmarshalJSON(data []byte) error {
	var r jsonwire.Reader
	r.Reset(data)
	v := readTime(&r) // absent for null
	if err := finish(&r); err != nil || !v.ok {
		return asError(err)
	}
	if t == nil {
		return &DecodeError{}
	}
	*t = v
	return nil
}
