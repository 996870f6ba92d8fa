package jsonwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// canonicalCases are texts, valid JSON or not, and what AppendCanonical
// writes for them.
var canonicalCases = []struct{ raw, want string }{
	{``, ``},
	{`{"a": [1, 2]}`, `{"a":[1,2]}`},
	{`"a b"`, `"a b"`},
	{`"<&>" < `, `"\u003c\u0026\u003e"\u003c`},
	{"\"\u2028\u2029\"", `"\u2028\u2029"`},
	{"\"\u2027\u202a\u1028\"", "\"\u2027\u202a\u1028\""},
	// A cut U+2028 at the end of the text, as no valid JSON has it.
	{"\xe2", "\xe2"},
	{"\xe2\x80", "\xe2\x80"},
	{"\"\xe2\x80", "\"\xe2\x80"},
	{"x\xe2\x80", "x\xe2\x80"},
	{"\xe2\x80\xa8", `\u2028`},
	{`"\" "`, `"\" "`},
	{`"\`, `"\`},
	{`"a" "b"`, `"a""b"`},
}

// checkCanonical fails t unless AppendCanonical appends to dst without
// changing it and IsCanonical reports whether it leaves raw as it is.
func checkCanonical(t *testing.T, raw string) string {
	t.Helper()
	got := AppendCanonical([]byte("prefix"), raw)
	if string(got[:6]) != "prefix" {
		t.Fatalf("AppendCanonical(%q) changed dst: %q", raw, got)
	}
	out := string(got[6:])
	if IsCanonical(raw) != (out == raw) {
		t.Fatalf("IsCanonical(%q) = %t, but AppendCanonical writes %q", raw, IsCanonical(raw), out)
	}
	return out
}

// TestCanonicalAnyText checks AppendCanonical and IsCanonical on texts
// that are not all valid JSON: they never fail, and agree.
func TestCanonicalAnyText(t *testing.T) {
	for _, c := range canonicalCases {
		assert.Equal(t, c.want, checkCanonical(t, c.raw), "%q", c.raw)
	}
}

func FuzzCanonical(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add(c.raw)
	}
	for _, c := range corpus {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, raw string) { checkCanonical(t, raw) })
}
