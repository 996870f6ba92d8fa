package jsonerr

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
)

type doc struct {
	S string         `json:"s"`
	N int64          `json:"n"`
	F float64        `json:"f"`
	B bool           `json:"b"`
	O struct{}       `json:"o"`
	M map[string]int `json:"m"`
	A []int          `json:"a"`
	T time.Time      `json:"t"`
	P *struct{}      `json:"p"`
}

func TestMessageAndPointer(t *testing.T) {
	for in, want := range map[string]struct{ msg, ptr string }{
		`{"s": 1}`:            {"cannot read number as string", "/s"},
		`{"n": 1.5}`:          {"cannot read number 1.5 as int64", "/n"},
		`{"n": 1e40}`:         {"cannot read number 1e40 as int64", "/n"},
		`{"f": "x"}`:          {"cannot read string as float64", "/f"},
		`{"b": null, "b": 1}`: {"repeated member", "/b"},
		`{"o": []}`:           {"cannot read array as object", "/o"},
		`{"m": true}`:         {"cannot read boolean as object", "/m"},
		`{"a": {}}`:           {"cannot read object as array", "/a"},
		`{"t": 5}`:            {"cannot read number as string", "/t"},
		`{"p": "x"}`:          {"cannot read string as object", "/p"},
		`{"s": "a"`:           {"unexpected end of JSON input", ""},
		`{"s" 1}`:             {"invalid character '1' after object name (expecting ':')", "/s"},
		`[]`:                  {"cannot read array as object", ""},
	} {
		var d doc
		err := json.Unmarshal([]byte(in), &d)
		assert.Equal(t, want.msg, Message(err), in)
		assert.Equal(t, want.ptr, string(Pointer(err)), in)
	}
	assert.Equal(t, "boom", Message(errors.New("boom")))
	assert.Equal(t, "", string(Pointer(errors.New("boom"))))
	assert.Equal(t, "unexpected JSON null", Message(&json.SemanticError{JSONKind: 'n'}))
	assert.Equal(t, "unexpected JSON value", Message(&json.SemanticError{JSONKind: '}'}))
	assert.Equal(t, "unexpected JSON number", Message(&json.SemanticError{JSONKind: '0'}))
	assert.Equal(t, "cause", Message(&json.SemanticError{JSONKind: '"', Err: errors.New("cause")}))
	inner := &json.SemanticError{JSONPointer: "/a/b"}
	assert.Equal(t, "/a/b", string(Pointer(&json.SemanticError{JSONPointer: "/a", Err: inner})), "the innermost")
	assert.Equal(t, "/a", string(Pointer(&json.SemanticError{JSONPointer: "/a", Err: multi{inner}})), "not through an error of several")
	assert.Equal(t, "/x", string(Pointer(&jsontext.SyntacticError{JSONPointer: "/x"})))
	assert.Equal(t, "string", TypeName(reflect.TypeFor[*time.Time]()))
	assert.Equal(t, "array", TypeName(reflect.TypeFor[[2]int]()))
	assert.Equal(t, "bool", TypeName(reflect.TypeFor[bool]()))
}

type multi struct{ err error }

func (m multi) Error() string   { return m.err.Error() }
func (m multi) Unwrap() []error { return []error{m.err} }

func TestTimes(t *testing.T) {
	for text, want := range map[string]string{
		"2023-05-15T16:00:00+02:00":     "2023-05-15T14:00:00Z",
		"2022-01-01T00:00:00Z":          "2022-01-01T00:00:00Z",
		"2022-01-01T00:00:00":           "2022-01-01T00:00:00Z",
		"2022-01-01T00:00:00.5":         "2022-01-01T00:00:00.5Z",
		"2022-01-01T10:00:00.25-01:00":  "2022-01-01T11:00:00.25Z",
		"2022-01-01":                    "",
		"2022-01-01 00:00:00Z":          "",
		"0000-01-01T00:00:00+01:00":     "",
		"9999-12-31T23:00:00-02:00":     "",
		"2022-01-01T00:00:00Z trailing": "",
		"":                              "",
	} {
		got, ok := ParseTime(text)
		assert.Equal(t, want != "", ok, text)
		if ok {
			assert.Equal(t, want, FormatTime(got), text)
			assert.Equal(t, time.UTC, got.Location(), text)
		}
	}
	assert.True(t, InRange(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.True(t, InRange(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)))
	assert.False(t, InRange(time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC)))
	assert.False(t, InRange(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.False(t, InRange(time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600))), "in UTC")
}

func TestReadTime(t *testing.T) {
	bad := func(text string) error { return errors.New("bad " + text) }
	read := func(in string) (time.Time, error) {
		return ReadTime(jsontext.NewDecoder(strings.NewReader(in)), bad)
	}
	got, err := read(`"2022-01-01T00:00:00"`)
	assert.NoError(t, err)
	assert.Equal(t, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), got)
	got, err = read(`"2022-01-01T00:00:00\u005a"`)
	assert.NoError(t, err, "an escaped Z")
	assert.Equal(t, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), got)
	got, err = read(`null`)
	assert.NoError(t, err)
	assert.True(t, got.IsZero())
	_, err = read(`"noon"`)
	assert.EqualError(t, err, "bad noon")
	_, err = read(`"n\u006fon"`)
	assert.EqualError(t, err, "bad noon", "the text unquoted")
	_, err = read(`5`)
	sem, ok := errors.AsType[*json.SemanticError](err)
	if assert.True(t, ok, "%v", err) {
		assert.Equal(t, jsontext.Kind('0'), sem.JSONKind)
		assert.Equal(t, reflect.TypeFor[time.Time](), sem.GoType)
		assert.Equal(t, "cannot read number as string", Message(err))
	}
	_, err = read(`"cut`)
	assert.Error(t, err)
}

func TestUnquoted(t *testing.T) {
	assert.Equal(t, "abc", Unquoted(jsontext.Value(`"abc"`)))
	assert.Equal(t, `a"b\c`, Unquoted(jsontext.Value(`"a\"b\\c"`)))
	assert.Equal(t, "", Unquoted(jsontext.Value(`""`)))
}

// TestAppendString: AppendString writes what the json package writes for a
// string, after what the buffer held, and refuses invalid UTF-8 as it does.
func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", " ~", "\x1f", "\x7f", "\"", "\\", "<&>", "é", "\u2028", "\x00end", "a\xffb", "\xc3", "\x80", "x\x7f\x80"} {
		want, werr := json.Marshal(s)
		got, ok := AppendString([]byte("x"), s)
		if ok != (werr == nil) {
			t.Errorf("AppendString(%q) reports %v, json.Marshal %v", s, ok, werr)
		} else if ok && string(got) != "x"+string(want) {
			t.Errorf("AppendString(%q) = %s, want x%s", s, got, want)
		}
	}
}

// TestAppendTime: AppendTime writes FormatTime's text as a JSON string, and
// refuses, leaving the buffer as it was, a time out of range.
func TestAppendTime(t *testing.T) {
	for _, tm := range []time.Time{{}, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2024, 2, 29, 23, 0, 0, 500, time.FixedZone("", -3600))} {
		got, ok := AppendTime([]byte("x"), tm)
		assert.True(t, ok, "%v", tm)
		assert.Equal(t, `x"`+FormatTime(tm)+`"`, string(got))
	}
	for _, tm := range []time.Time{time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -3600))} {
		got, ok := AppendTime([]byte("x"), tm)
		assert.False(t, ok, "%v", tm)
		assert.Equal(t, "x", string(got))
	}
}

// TestBuffers: a buffer given back holds what was written in it, emptied,
// up to MaxPooled bytes; beyond, it is left as it was.
func TestBuffers(t *testing.T) {
	assert.True(t, pooled(make([]byte, 0, MaxPooled)))
	assert.False(t, pooled(make([]byte, 0, MaxPooled+1)))
	var p Buffers
	buf := p.Get()
	assert.Empty(t, *buf)
	used := append(*buf, "written"...)
	p.Put(buf, used)
	assert.Empty(t, *buf)
	assert.GreaterOrEqual(t, cap(*buf), len("written"), "kept")
	before := *buf
	p.Put(buf, make([]byte, 10, MaxPooled+1))
	assert.Equal(t, cap(before), cap(*buf), "too large to keep")
	assert.Empty(t, *p.Get())
}
