package jsonwire

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAny reads any value the way json.Unmarshal into an any does: objects
// as map[string]any, arrays as []any, numbers as float64.
func readAny(r *Reader) any {
	switch r.Peek() {
	case Null:
		r.Null()
		return nil
	case Bool:
		return r.Bool()
	case Number:
		return r.Float64()
	case String:
		return r.Text()
	case Object:
		m := map[string]any{}
		if r.Object() {
			for k, ok := r.Key(); ok; k, ok = r.Key() {
				m[k] = readAny(r)
			}
		}
		return m
	case Array:
		a := []any{}
		if r.Array() {
			for r.More() {
				a = append(a, readAny(r))
			}
		}
		return a
	case Invalid:
	}
	r.start() // records the syntax error
	return nil
}

// decodeAny reads a whole document with readAny.
func decodeAny(data []byte) (any, error) {
	var r Reader
	r.Reset(data)
	v := readAny(&r)
	return v, r.End()
}

// checkAgainstStdlib fails t when the reader and encoding/json disagree on
// data: whether it is valid, whether it decodes into an any, and what it
// decodes to.
func checkAgainstStdlib(t *testing.T, data []byte) {
	t.Helper()
	var r Reader
	r.Reset(data)
	r.Skip()
	skipErr := r.End()
	if valid := json.Valid(data); valid != (skipErr == nil) {
		t.Fatalf("Skip(%q) = %v, json.Valid = %t", data, skipErr, valid)
	}
	got, err := decodeAny(data)
	var want any
	werr := json.Unmarshal(data, &want)
	if (err == nil) != (werr == nil) {
		t.Fatalf("decode(%q) = %v, encoding/json: %v", data, err, werr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("decode(%q) = %#v, encoding/json: %#v", data, got, want)
	}
	if skipErr != nil {
		var e *Error
		require.ErrorAs(t, skipErr, &e)
		_ = e.Error() // works out the path on any input
		checkSyntaxError(t, data, skipErr)
		return
	}
	checkPaths(t, data)
	r.Reset(data)
	raw := r.Raw()
	want2, err := json.Marshal(json.RawMessage(data))
	require.NoError(t, err)
	if got := AppendCanonical(nil, raw); string(got) != string(want2) {
		t.Fatalf("AppendCanonical(%q) = %q, encoding/json writes %q", raw, got, want2)
	}
	if IsCanonical(raw) != (raw == string(want2)) {
		t.Fatalf("IsCanonical(%q) = %t", raw, IsCanonical(raw))
	}
}

// checkSyntaxError fails t unless err, the reader's error for data, says
// what encoding/json's says, at the same place: encoding/json counts the
// bytes read up to and including the bad one, the reader gives the bad
// byte's offset. At the end of the input the reader always reports an
// unexpected end, where encoding/json sometimes names the space it feeds
// its scanner.
func checkSyntaxError(t *testing.T, data []byte, err error) {
	t.Helper()
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	var v any
	var jse *json.SyntaxError
	require.ErrorAs(t, json.Unmarshal(data, &v), &jse)
	if se.Msg == jse.Error() && int64(se.Offset)+1 == jse.Offset {
		return
	}
	if se.Msg == "unexpected end of JSON input" && se.Offset == len(data) &&
		(jse.Error() == se.Msg || strings.HasPrefix(jse.Error(), "invalid character ' '")) {
		return
	}
	t.Fatalf("reading %q: %q at %d, encoding/json: %q after %d bytes", data, se.Msg, se.Offset, jse.Error(), jse.Offset)
}

var corpus = []string{
	`null`, `true`, `false`, `0`, `-0`, `1`, `-1`, `12.5e3`, `1E-2`, `1e+2`, `1.0`, `9007199254740993`,
	`""`, `"a"`, `"\u00e9\n\t\"\\\/\b\f\r"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`,
	`"\ud83d\u0041"`, "\"\xff\"", "\"a\xc3\"", "\"\xed\xa0\x80\"", `"<&>"`, "\"\u2028\u2029\"",
	`{}`, `[]`, ` { "a" : [ 1 , 2 , { "b" : null } ] , "c" : "d" } `, `{"a":1,"a":2}`, `[[[]]]`,
	`{"\u0061":1}`, `{"a\"b":{"c":[true,false]}}`,
	// Invalid documents.
	``, ` `, `nul`, `nulll`, `tru`, `fals`, `01`, `-`, `-a`, `1.`, `1.e3`, `1e`, `1e+`, `.5`, `+1`,
	`"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\x01\"", `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,}`,
	`{"a" 1}`, `{1:2}`, `{"a":1 "b":2}`, `[`, `[1`, `[1,]`, `[,1]`, `[1 2]`, `]`, `}`, `1 2`, `{}}`,
	`[1]]`, `"a" x`, `{"a":1}x`, `'a'`, `NaN`, `Infinity`, `1e400`, `-1e400`, `[1e999]`,
	// Faults at the end of the input and in escapes.
	`{"a":1,`, `{"a":1, `, `[1,`, `[1, `, `nulx`, `{"a" "b"}`, `"\`, `"a\`, `"a\n`, `"\u`, `"\u12`, `"\u123`,
	`"\u0041`, `"\ud83d\`, `"\ud83d\u`, `"\ud83d\ude0"`, `"\ud83dxxde00"`, `"\ud83d\n"`, "\"\ufffd\"",
	"\"\\n\ufffd\xff\"", "\"\\n\xc3\xa9\"", `[[], [], {}]`, `"\u0041\u0042"`, `"\ud83d\ud83d"`, `"\uD83D\uDE00"`,
	// Every digit at each place of a number.
	`9`, `-9`, `1.9`, `1.09`, `1.90`, `1e0`, `1e9`, `1E+09`, `0.5e-0`, `19e19`, `-0.0e00`,
	// The bounds of each byte class in strings: hexadecimal digits, control
	// characters and white space, ASCII and the first byte above it, and
	// the runes beside U+2028 and U+2029.
	`"\uaaff\uAAFF\u0aF0\u9009"`, `"\u00/0"`, `"\u00:0"`, `"\u00@0"`, `"\u00G0"`, "\"\\u00`0\"", `"\u00g0"`,
	`"a b"`, `"a\n b"`, "\"\x1f\"", "\"\\n\x1f\"",
	"\"\x7f\x80\"", "\"\\n\x7f\x80\"", "\"\u1028\u2027\u202a\"", "\"\u2028x\u2029\"",
}

func TestAgainstStdlib(t *testing.T) {
	for _, c := range corpus {
		t.Run(c, func(t *testing.T) { checkAgainstStdlib(t, []byte(c)) })
	}
}

func FuzzAgainstStdlib(f *testing.F) {
	for _, c := range corpus {
		f.Add([]byte(c))
	}
	f.Fuzz(checkAgainstStdlib)
}

func TestDepth(t *testing.T) {
	for _, n := range []int{MaxDepth - 1, MaxDepth, MaxDepth + 1} {
		for _, open := range []string{"[", `{"a":`} {
			close := "]"
			if open != "[" {
				close = "}"
			}
			doc := []byte(strings.Repeat(open, n) + "0" + strings.Repeat(close, n))
			var r Reader
			r.Reset(doc)
			r.Skip()
			err := r.End()
			assert.Equal(t, json.Valid(doc), err == nil, "depth %d of %s", n, open)
			assert.Equal(t, n <= MaxDepth, err == nil, "depth %d of %s", n, open)
		}
	}
}

// TestDepthOfSiblings: depth counts the containers open, not the ones met.
func TestDepthOfSiblings(t *testing.T) {
	doc := "[" + strings.Repeat("[],{},", MaxDepth) + "[]]"
	var r Reader
	r.ResetString(doc)
	r.Skip()
	assert.NoError(t, r.End())
}

func TestNumbers(t *testing.T) {
	for _, c := range []struct {
		doc  string
		i    int64
		ierr bool
		f    float64
		ferr bool
	}{
		{doc: `0`},
		{doc: `null`},
		{doc: `-42`, i: -42, f: -42},
		{doc: `9223372036854775807`, i: math.MaxInt64, f: 9223372036854775807},
		{doc: `-9223372036854775808`, i: math.MinInt64, f: -9223372036854775808},
		{doc: `9223372036854775808`, ierr: true, f: 9223372036854775808},
		{doc: `1.5`, ierr: true, f: 1.5},
		{doc: `1e2`, ierr: true, f: 100},
		{doc: `1e400`, ierr: true, ferr: true},
		{doc: `"1"`, ierr: true, ferr: true},
		{doc: `true`, ierr: true, ferr: true},
	} {
		t.Run(c.doc, func(t *testing.T) {
			var r Reader
			r.ResetString(c.doc)
			i := r.Int64()
			err := r.End()
			assert.Equal(t, c.ierr, err != nil, "Int64(%s): %v", c.doc, err)
			var ti int64
			assert.Equal(t, c.ierr, json.Unmarshal([]byte(c.doc), &ti) != nil && c.doc != "null", "encoding/json agrees")
			if !c.ierr {
				assert.Equal(t, c.i, i)
			} else {
				var te *TypeError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, "int64", te.Want)
			}
			r.ResetString(c.doc)
			f := r.Float64()
			err = r.End()
			assert.Equal(t, c.ferr, err != nil, "Float64(%s): %v", c.doc, err)
			if !c.ferr {
				assert.Equal(t, c.f, f)
			}
		})
	}
}

func TestTypeErrors(t *testing.T) {
	for _, c := range []struct {
		doc  string
		read func(*Reader)
		want string
	}{
		{`1`, func(r *Reader) { r.Text() }, "cannot read number as string"},
		{`"a"`, func(r *Reader) { r.Bool() }, "cannot read string as bool"},
		{`[]`, func(r *Reader) { r.Object() }, "cannot read array as object"},
		{`{}`, func(r *Reader) { r.Array() }, "cannot read object as array"},
		{`1.5`, func(r *Reader) { r.Int64() }, "cannot read number 1.5 as int64"},
		{`true`, func(r *Reader) { r.Float64() }, "cannot read bool as float64"},
	} {
		var r Reader
		r.ResetString(c.doc)
		c.read(&r)
		err := r.End()
		require.Error(t, err, c.doc)
		assert.Equal(t, c.want, err.Error())
		var te *TypeError
		assert.ErrorAs(t, err, &te)
		assert.Equal(t, 0, err.(*Error).Offset)
	}
}

// TestPath checks the path and offset reported for errors met while reading
// with the typed methods, met while skipping, and reported with Fail.
func TestPath(t *testing.T) {
	doc := `{"data": {"id": "x", "events": [{"created_at": "a"}, {"created_at": 7, "status": "b"}]}}`
	var r Reader
	r.ResetString(doc)
	require.True(t, r.Object())
	k, _ := r.Key()
	require.Equal(t, "data", k)
	require.True(t, r.Object())
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		if k != "events" {
			r.Skip()
			continue
		}
		if !r.Array() {
			break
		}
		for r.More() {
			if !r.Object() {
				continue
			}
			for k, ok := r.Key(); ok; k, ok = r.Key() {
				if k == "created_at" {
					r.Text()
				} else {
					r.Skip()
				}
			}
		}
	}
	err := r.End()
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "data.events[1].created_at", e.Path())
	assert.Equal(t, strings.Index(doc, "7"), e.Offset)
	assert.Equal(t, "data.events[1].created_at: cannot read number as string", err.Error())

	// Fail names the value read last.
	r.ResetString(`{"a": [1, {"b": "bad"}]}`)
	r.Object()
	r.Key()
	r.Array()
	r.More()
	r.Int64()
	r.More()
	r.Object()
	r.Key()
	r.Text()
	cause := errors.New("not a time")
	r.Fail(cause)
	r.Fail(errors.New("later errors are dropped"))
	err = r.End()
	require.ErrorIs(t, err, cause)
	assert.Equal(t, "a[1].b: not a time", err.Error())

	for _, c := range []struct{ doc, path string }{
		{`{"a": {"b": [1, 2, tru]}}`, "a.b[2]"},
		{`{"a": {"b": [1, 2]`, "a"},
		{`{"a": "\x"}`, "a"},
		{`{"a\x": 1}`, ""},
		{`[1, 2`, ""},
		{`{"a": 1 "b": 2}`, ""},
		{`x`, ""},
	} {
		r.ResetString(c.doc)
		r.Skip()
		err := r.End()
		require.ErrorAs(t, err, &e, c.doc)
		assert.Equal(t, c.path, e.Path(), c.doc)
		var se *SyntaxError
		assert.ErrorAs(t, err, &se, c.doc)
	}
}

// TestSubstrings checks that plain strings share the document's memory and
// escaped ones do not.
func TestSubstrings(t *testing.T) {
	var r Reader
	r.ResetString("[\"plain\", \"esc\\naped\", \"é\", \"\ufffd\", \"white space\", \"\x7f~\"]")
	require.True(t, r.Array())
	var got []string
	for r.More() {
		got = append(got, r.Text())
	}
	require.NoError(t, r.End())
	assert.Equal(t, []string{"plain", "esc\naped", "é", "\ufffd", "white space", "\x7f~"}, got)
	src := r.Source()
	assert.True(t, strings.Contains(src, got[0]) && sameMemory(src, got[0]))
	assert.False(t, sameMemory(src, got[1]))
	assert.True(t, sameMemory(src, got[2]))
	assert.True(t, sameMemory(src, got[3]), "a valid U+FFFD is plain text")
	assert.True(t, sameMemory(src, got[4]), "a space is plain text")
	assert.True(t, sameMemory(src, got[5]), "DEL is plain text")
}

func sameMemory(outer, inner string) bool {
	if inner == "" {
		return false
	}
	return strings.Contains(outer, inner) &&
		uintptrOf(inner) >= uintptrOf(outer) && uintptrOf(inner) < uintptrOf(outer)+uintptr(len(outer))
}

func TestKind(t *testing.T) {
	assert.Equal(t, "number", Number.String())
	assert.Equal(t, "invalid", Kind(99).String())
	assert.Equal(t, "invalid", Kind(Array+1).String())
	assert.Equal(t, "array", Array.String())
	var r Reader
	assert.Equal(t, Invalid, r.Peek())
	assert.NoError(t, r.End(), "End checks only what follows the value read")
	r.Skip()
	assert.EqualError(t, r.End(), "unexpected end of JSON input")
}

func uintptrOf(s string) uintptr { return uintptr(unsafe.Pointer(unsafe.StringData(s))) }

// TestEscapedStringMemory checks that reading an escaped string costs memory
// for the string alone, wherever it stands in the document.
func TestEscapedStringMemory(t *testing.T) {
	const pad = 1 << 18
	doc := strings.Repeat(" ", pad) + `"a\nb"`
	var r Reader
	var before, after runtime.MemStats
	const n = 8
	got := make([]string, n)
	runtime.ReadMemStats(&before)
	for i := range got {
		r.ResetString(doc)
		got[i] = r.Text()
	}
	runtime.ReadMemStats(&after)
	require.NoError(t, r.End())
	for _, s := range got {
		require.Equal(t, "a\nb", s)
	}
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > pad/16 {
		t.Errorf("reading an escaped string %d bytes into the document allocates %d bytes", pad, per)
	}
}
