package appointment

import (
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
