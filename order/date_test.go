package order

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		text string
		want Date
	}{
		{"2020-01-01", Date{2020, time.January, 1}},
		{"2024-02-29", Date{2024, time.February, 29}},
		{"0000-01-01", Date{0, time.January, 1}},
		{"9999-12-31", Date{9999, time.December, 31}},
		{"1990-01-01T00:00:00+00:00", Date{1990, time.January, 1}},
		{"1990-01-01T00:00:00Z", Date{1990, time.January, 1}},
		{"1990-01-01T00:00:00", Date{1990, time.January, 1}},
		{"1990-01-01T12:00:00.5", Date{1990, time.January, 1}},
		// The date as written, not as it falls in UTC.
		{"1990-01-01T23:00:00-05:00", Date{1990, time.January, 1}},
		{"1990-01-01T00:30:00+01:00", Date{1990, time.January, 1}},
		{"0000-01-01T00:00:00+01:00", Date{0, time.January, 1}},
	} {
		got, err := parseDate(c.text)
		if err != nil || got != c.want {
			t.Errorf("parseDate(%q) = %v, %v, want %v", c.text, got, err, c.want)
		}
	}
}

var rejectedDates = []string{
	"", "2023-02-29", "2020-13-01", "2020-00-10", "2020-01-00", "2020-1-1", "20200101", "2020/01/01",
	"01/01/2020", "2020-01-01T", "2020-01-01 00:00:00", "2020-01-01Z", " 2020-01-01", "10000-01-01",
	"2020-01-01T00:00:00+0100", "2020-01-01T25:00:00Z", "-001-01-01",
}

func TestParseDateRejects(t *testing.T) {
	for _, text := range rejectedDates {
		got, err := parseDate(text)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) || pe.Text != text || pe.Kind != "date" || !got.IsZero() {
			t.Errorf("parseDate(%q) = %v, %v, want a *ParseError", text, got, err)
			continue
		}
		assert.Equal(t, `order: malformed date "`+text+`"`, err.Error())
	}
}

func TestDateValues(t *testing.T) {
	for _, c := range []struct {
		d     Date
		valid bool
		text  string
	}{
		{Date{}, false, ""},
		{Date{2020, time.January, 1}, true, "2020-01-01"},
		{Date{5, time.March, 7}, true, "0005-03-07"},
		{Date{0, time.January, 1}, true, "0000-01-01"},
		{Date{9999, time.December, 31}, true, "9999-12-31"},
		{Date{10000, time.January, 1}, false, "10000-01-01"},
		{Date{-1, time.December, 31}, false, "-0001-12-31"},
		{Date{2020, 0, 10}, false, "2020-00-10"},
		{Date{2020, 13, 1}, false, "2020-13-01"},
		{Date{2020, time.January, 0}, false, "2020-01-00"},
		{Date{2020, time.January, 31}, true, "2020-01-31"},
		{Date{2020, time.January, 32}, false, "2020-01-32"},
		{Date{2023, time.February, 29}, false, "2023-02-29"},
		{Date{2024, time.February, 29}, true, "2024-02-29"},
		{Date{Day: 1}, false, "0000-00-01"},
	} {
		assert.Equal(t, c.valid, c.d.IsValid(), "%#v.IsValid()", c.d)
		assert.Equal(t, c.text, c.d.String(), "%#v.String()", c.d)
		assert.Equal(t, c.d == Date{}, c.d.IsZero(), "%#v.IsZero()", c.d)
		b, err := c.d.MarshalText()
		switch {
		case c.d.IsZero():
			require.NoError(t, err)
			assert.Empty(t, b)
		case c.valid:
			require.NoError(t, err)
			assert.Equal(t, c.text, string(b))
			back, err := parseDate(string(b))
			require.NoError(t, err)
			assert.Equal(t, c.d, back)
			assert.Equal(t, time.Date(c.d.Year, c.d.Month, c.d.Day, 0, 0, 0, 0, time.UTC), c.d.midnight())
			assert.Equal(t, c.d, DateOf(c.d.midnight()))
		default:
			assert.ErrorIs(t, err, ErrMalformed, "%#v.MarshalText()", c.d)
			_, err = json.Marshal(c.d)
			assert.ErrorIs(t, err, ErrMalformed, "json.Marshal(%#v)", c.d)
		}
	}
	assert.True(t, Date{}.midnight().IsZero())
	assert.Equal(t, Date{2024, time.March, 1}, DateOf(time.Date(2024, 3, 1, 23, 0, 0, 0, time.FixedZone("", -5*3600))))
}

func TestDateText(t *testing.T) {
	d := Date{2001, time.May, 5}
	require.NoError(t, d.UnmarshalText([]byte("1990-01-01T00:00:00+00:00")))
	assert.Equal(t, Date{1990, time.January, 1}, d)
	require.NoError(t, d.UnmarshalText(nil))
	assert.Equal(t, Date{}, d, "empty text is the absent Date")

	d = Date{2001, time.May, 5}
	err := d.UnmarshalText([]byte("2001-05-32"))
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, Date{2001, time.May, 5}, d, "unchanged on error")

	var nilDate *Date
	var pe *ParseError
	assert.ErrorAs(t, nilDate.UnmarshalText([]byte("2001-05-05")), &pe)
	assert.ErrorIs(t, nilDate.UnmarshalText([]byte("2001-05-05")), ErrMalformed)
	assert.ErrorIs(t, nilDate.UnmarshalText([]byte("x")), ErrMalformed)
}

// TestDateJSON checks a Date inside a document: its text form, null for the
// absent Date (left out with omitzero), and null or "" read as the absent
// Date.
func TestDateJSON(t *testing.T) {
	type doc struct {
		DOB  Date `json:"dob"`
		Next Date `json:"next"`
		Skip Date `json:"skip,omitzero"`
	}
	in := doc{DOB: Date{1990, time.January, 1}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Equal(t, `{"dob":"1990-01-01","next":null}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	for _, c := range []struct {
		data string
		want Date
		err  bool
	}{
		{`null`, Date{}, false},
		{` null `, Date{}, false},
		{`"2020-02-02"`, Date{2020, time.February, 2}, false},
		{`"1990-01-01T00:00:00+00:00"`, Date{1990, time.January, 1}, false},
		{`""`, Date{}, false},
		{`"2020-02-30"`, Date{2001, time.May, 5}, true},
		{`20200202`, Date{2001, time.May, 5}, true},
		// The reader finds what follows the value once the value is read.
		{`"2020-02-02" x`, Date{2020, time.February, 2}, true},
		{`"2020-02-02`, Date{2001, time.May, 5}, true},
		{`{}`, Date{2001, time.May, 5}, true},
		{`"\u0032020-02-02"`, Date{2020, time.February, 2}, false},
	} {
		d := Date{2001, time.May, 5}
		err := json.Unmarshal([]byte(c.data), &d)
		if !c.err {
			assert.NoError(t, err, "Unmarshal(%s)", c.data)
			assert.Equal(t, c.want, d, "Unmarshal(%s)", c.data)
			continue
		}
		assert.Error(t, err, "Unmarshal(%s)", c.data)
		assert.Equal(t, c.want, d, "unchanged on error: Unmarshal(%s)", c.data)
		if c.data == `"2020-02-30"` {
			assert.ErrorIs(t, err, ErrMalformed)
		}
	}
	var nilDate *Date
	assert.ErrorIs(t, nilDate.UnmarshalJSONFrom(jsontext.NewDecoder(strings.NewReader(`null`))), ErrMalformed)
	assert.Error(t, (&Date{}).UnmarshalJSONFrom(jsontext.NewDecoder(strings.NewReader(``))))
}

func FuzzParseDate(f *testing.F) {
	for _, s := range rejectedDates {
		f.Add(s)
	}
	for _, s := range []string{"2020-01-01", "1990-01-01T00:00:00+00:00", "1990-01-01T23:00:00-05:00",
		"0000-01-01", "9999-12-31T23:59:59.999Z", "2024-02-29T00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := parseDate(text)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || !d.IsZero() {
				t.Fatalf("parseDate(%q) = %v, %v", text, d, err)
			}
			return
		}
		if !d.IsValid() || len(text) < 10 || text[:10] != d.String() {
			t.Fatalf("parseDate(%q) = %#v, which is not the date it starts with", text, d)
		}
		if back, err := parseDate(d.String()); err != nil || back != d {
			t.Fatalf("parseDate(%q) = %v, which reads back as %v, %v", text, d, back, err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("encoding %v: %v", d, err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Fatalf("JSON round trip of %v through %s = %v, %v", d, b, back, err)
		}
	})
}
