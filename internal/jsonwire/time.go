package jsonwire

import (
	"strings"
	"time"
)

// localLayout is an RFC 3339 timestamp without its zone designator, as some
// Junction payloads send it ("2022-01-01T00:00:00"); it means UTC.
const localLayout = "2006-01-02T15:04:05"

// ParseTime parses a timestamp as Junction sends it: RFC 3339 with a zone
// designator ("2023-05-15T16:00:00+00:00", "2022-01-01T00:00:00Z") or
// without one ("2022-01-01T00:00:00"), which means UTC; fractional seconds
// are accepted in both. The result is in UTC, with the offset applied, and
// has no monotonic clock reading, so that two results compare with ==.
//
// RFC 3339 is read as Go's time.RFC3339Nano layout reads it: it also takes
// a comma before the fraction and more than nine fractional digits
// (truncated), and wants upper-case T and Z. ParseTime reports false for
// anything else, including a date alone, a space instead of the T, the empty
// string, and an instant outside the years 0000 to 9999 once in UTC; the
// caller wraps that in its own error.
func ParseTime(text string) (time.Time, bool) {
	// Each text is tried against one layout: the zone-less layout takes
	// nothing after the seconds but a fraction, and RFC 3339 wants a Z or
	// an offset after the T. Trying both in turn would cost a second parse
	// and the allocation of the first one's error.
	layout := localLayout
	if hasZone(text) {
		layout = time.RFC3339Nano
	}
	t, err := time.Parse(layout, text)
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC()
	if !inRange(t) {
		return time.Time{}, false
	}
	return t, true
}

// FormatTime writes t in UTC as [ParseTime] reads it back, with as many
// fractional digits as needed ("2022-01-01T00:00:00Z",
// "2022-01-01T00:00:00.5Z"). It reports false, and returns "", for an
// instant outside the years 0000 to 9999 in UTC, which RFC 3339 cannot
// write.
func FormatTime(t time.Time) (string, bool) {
	t = t.UTC()
	if !inRange(t) {
		return "", false
	}
	return t.Format(time.RFC3339Nano), true
}

// hasZone reports whether text has a zone designator, Z or an offset, after
// its first T; text without a T is read as RFC 3339, which refuses it as the
// zone-less layout would.
func hasZone(text string) bool {
	_, clock, found := strings.Cut(text, "T")
	return !found || strings.ContainsAny(clock, "Z+-")
}

// inRange reports whether t, in UTC, falls in the years RFC 3339 can write.
func inRange(t time.Time) bool {
	y := t.Year()
	return y >= 0 && y <= 9999
}
