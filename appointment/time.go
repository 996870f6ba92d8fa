package appointment

import (
	"bytes"
	"encoding/json"
	"time"
)

// localLayout is an RFC 3339 timestamp without its zone designator, as some
// Junction payloads send it ("2022-01-01T00:00:00"); it means UTC.
const localLayout = "2006-01-02T15:04:05"

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
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		t, err = time.Parse(localLayout, text)
	}
	if err != nil {
		return time.Time{}, &ParseError{Kind: "time", Text: text, Err: ErrMalformed}
	}
	t = t.UTC()
	if checkYear(t) != nil {
		return time.Time{}, &ParseError{Kind: "time", Text: text, Err: ErrMalformed}
	}
	return t, nil
}

// checkYear reports, as a *ParseError, an instant outside the years 0000 to
// 9999 in UTC, which RFC 3339 cannot write.
func checkYear(t time.Time) error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return &ParseError{Kind: "time", Text: t.String(), Err: ErrMalformed}
	}
	return nil
}

// formatTime writes t as [ParseTime] reads it back.
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
	if isNull(data) {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return decodeError("", err)
	}
	v, err := ParseTime(s)
	if err != nil {
		return &DecodeError{Err: err}
	}
	if t == nil {
		return &DecodeError{}
	}
	*t = Time{t: v, ok: true}
	return nil
}

// isNull reports whether data is the JSON literal null, as encoding/json
// hands it to an UnmarshalJSON method, with only JSON's own white space
// around it.
func isNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }
