package jsonwire

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		text string
		want time.Time
	}{
		{"2022-01-01T00:00:00Z", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2022-01-01T00:00:00", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2023-05-15T16:00:00+00:00", time.Date(2023, 5, 15, 16, 0, 0, 0, time.UTC)},
		{"2023-05-15T09:00:00-07:00", time.Date(2023, 5, 15, 16, 0, 0, 0, time.UTC)},
		{"2023-05-15T16:00:00.250", time.Date(2023, 5, 15, 16, 0, 0, 250e6, time.UTC)},
		{"2023-05-15T16:00:00,5Z", time.Date(2023, 5, 15, 16, 0, 0, 500e6, time.UTC)},
		{"2023-05-15T16:00:00.1234567891+05:30", time.Date(2023, 5, 15, 10, 30, 0, 123456789, time.UTC)},
		{"0000-01-01T00:00:00Z", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"0000-01-01T00:30:00+00:30", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9999-12-31T23:59:59.999999999Z", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"9999-12-31T23:59:59+00:00", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
	} {
		t.Run(c.text, func(t *testing.T) {
			got, ok := ParseTime(c.text)
			if !ok || got != c.want {
				t.Fatalf("ParseTime(%q) = %v, %t, want %v", c.text, got, ok, c.want)
			}
			assert.Equal(t, time.UTC, got.Location())
		})
	}
}

var rejectedTimes = []string{
	"", "2022-01-01", "2022-01-01 00:00:00", "2022-01-01t00:00:00z", "2022-01-01T00:00:00z",
	"2022-02-30T00:00:00Z", "2022-01-01T24:00:00Z", "2022-01-01T00:00:00+0100", " 2022-01-01T00:00:00Z",
	"2022-01-01T00:00:00Z ", "0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "10000-01-01T00:00:00Z",
	"-0001-01-01T00:00:00Z", "noon",
}

func TestParseTimeRejects(t *testing.T) {
	for _, text := range rejectedTimes {
		if got, ok := ParseTime(text); ok || !got.IsZero() {
			t.Errorf("ParseTime(%q) = %v, %t, want a refusal", text, got, ok)
		}
	}
}

func TestFormatTime(t *testing.T) {
	plusOne := time.FixedZone("", 3600)
	for _, c := range []struct {
		t    time.Time
		want string // "" for a refusal
	}{
		{time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), "2022-01-01T00:00:00Z"},
		{time.Date(2022, 1, 1, 1, 0, 0, 500e6, plusOne), "2022-01-01T00:00:00.5Z"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00Z"},
		{time.Date(0, 1, 1, 0, 59, 59, 0, plusOne), ""},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), "9999-12-31T23:59:59.999999999Z"},
		{time.Date(10000, 1, 1, 0, 30, 0, 0, plusOne), "9999-12-31T23:30:00Z"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC), ""},
	} {
		got, ok := FormatTime(c.t)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("FormatTime(%v) = %q, %t, want %q", c.t, got, ok, c.want)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range rejectedTimes {
		f.Add(s)
	}
	for _, s := range []string{
		"2022-01-01T00:00:00", "2022-01-01T00:00:00Z", "2023-05-15T16:00:00+00:00", "2023-05-15T09:00:00-07:00",
		"2023-05-15T16:00:00.123456789+05:30", "2023-05-15T16:00:00,5Z", "2023-05-15T16:00:00.250",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := ParseTime(text)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("ParseTime(%q) = %v, false", text, got)
			}
			return
		}
		if got.Location() != time.UTC || got.Year() < 0 || got.Year() > 9999 {
			t.Fatalf("ParseTime(%q) = %v", text, got)
		}
		out, ok := FormatTime(got)
		if !ok {
			t.Fatalf("FormatTime(%v) refused what ParseTime(%q) gave", got, text)
		}
		if back, ok := ParseTime(out); !ok || back != got {
			t.Fatalf("ParseTime(%q) = %v, which reads back through %q as %v, %t", text, got, out, back, ok)
		}
	})
}

func FuzzFormatTime(f *testing.F) {
	f.Add(int64(0), int64(0))
	f.Add(int64(-62167219200), int64(0))     // 0000-01-01
	f.Add(int64(-62167219201), int64(0))     // just before
	f.Add(int64(253402300799), int64(1e9-1)) // 9999-12-31T23:59:59.999999999
	f.Add(int64(253402300800), int64(0))     // 10000-01-01
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		in := time.Unix(sec, nsec)
		out, ok := FormatTime(in)
		y := in.UTC().Year()
		if ok != (y >= 0 && y <= 9999) || (out == "") == ok {
			t.Fatalf("FormatTime(%v) = %q, %t", in, out, ok)
		}
		if !ok {
			return
		}
		back, ok := ParseTime(out)
		if !ok || !back.Equal(in) || back != in.UTC() {
			t.Fatalf("FormatTime(%v) = %q, which reads back as %v, %t", in, out, back, ok)
		}
	})
}

// parseTimeBothLayouts is ParseTime as first written: RFC 3339, then the
// zone-less layout. ParseTime picks one layout instead; both must accept
// the same texts and read them the same.
func parseTimeBothLayouts(text string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		t, err = time.Parse(localLayout, text)
	}
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC()
	if !inRange(t) {
		return time.Time{}, false
	}
	return t, true
}

var layoutEdges = []string{
	"2022-01-01T00:00:00", "2022-01-01T00:00:00Z", "2022-01-01T00:00:00+01:00", "2022-01-01T00:00:00-01:00",
	"2022-01-01T0:00:00Z", "2022-01-01T0:00:00", "2022-01-01T00:00:00.5", "2022-01-01T00:00:00,5",
	"2022-01-01T00:00:00.5-00:00", "2022-01-01T00:00:00Zx", "2022-01-01T00:00:00 Z", "2022-01-01T00:00:00+01",
	"2022-01-01T00:00:00+0100", "2022-01-01t00:00:00Z", "2022-01-01", "T", "TZ", "Z", "-", "2022-01-01TT00:00:00",
	"2022-01-01T00:00:00.Z", "2022-01-01T00:00:00.", "+2022-01-01T00:00:00", "2022-1-01T00:00:00",
	"2022-01-01T00:00:00.123456789123", "2022-01-01T00:00:00.123456789123Z", "2022-01-01T00:00:00Z07:00",
}

func TestParseTimeLayouts(t *testing.T) {
	for _, text := range append(append(layoutEdges, rejectedTimes...), "2023-05-15T16:00:00.250") {
		got, ok := ParseTime(text)
		want, wok := parseTimeBothLayouts(text)
		if ok != wok || got != want {
			t.Errorf("ParseTime(%q) = %v, %t, want %v, %t", text, got, ok, want, wok)
		}
	}
	// Reading a zone-less text tries one layout: no failed parse, no
	// error to allocate.
	if n := testing.AllocsPerRun(100, func() { ParseTime("2022-01-01T00:00:00") }); n != 0 {
		t.Errorf("ParseTime of a zone-less text allocates %v times", n)
	}
}

func FuzzParseTimeLayouts(f *testing.F) {
	for _, s := range append(layoutEdges, rejectedTimes...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := ParseTime(text)
		want, wok := parseTimeBothLayouts(text)
		if ok != wok || got != want {
			t.Fatalf("ParseTime(%q) = %v, %t, but trying both layouts gives %v, %t", text, got, ok, want, wok)
		}
	})
}
