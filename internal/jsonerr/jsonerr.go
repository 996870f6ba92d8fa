// Package jsonerr holds what the module's wire types share: what went
// wrong in an error of github.com/go-json-experiment/json, in words and
// where, and Junction's timestamps, read and written.
package jsonerr

import (
	"bytes"
	"cmp"
	"encoding"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Pointer returns the JSON Pointer of the innermost error of the json
// package in err's chain, following single Unwrap methods only: an error
// that unwraps to several (a package's own decoding error) ends the search.
func Pointer(err error) jsontext.Pointer {
	var p jsontext.Pointer
	for ; err != nil; err = errors.Unwrap(err) {
		switch e := err.(type) {
		case *json.SemanticError:
			p = e.JSONPointer
		case *jsontext.SyntacticError:
			p = e.JSONPointer
		}
	}
	return p
}

// Message describes err without its path: "repeated member", "unexpected
// end of JSON input", "invalid character '}' at start of value" for
// invalid JSON; "cannot read number as string" for a value of the wrong
// JSON type ("unexpected JSON number" when the Go type is not known); the
// cause's message for an error a method returned; else err's message.
func Message(err error) string {
	if syn, ok := errors.AsType[*jsontext.SyntacticError](err); ok && syn.Err != nil {
		switch {
		case errors.Is(syn.Err, jsontext.ErrDuplicateName):
			return "repeated member"
		case errors.Is(syn.Err, io.ErrUnexpectedEOF):
			return "unexpected end of JSON input"
		}
		return strings.TrimPrefix(syn.Err.Error(), "jsontext: ")
	}
	sem, ok := errors.AsType[*json.SemanticError](err)
	switch {
	case !ok:
		return err.Error()
	case sem.Err != nil && !errors.Is(sem.Err, strconv.ErrSyntax) && !errors.Is(sem.Err, strconv.ErrRange):
		return sem.Err.Error() // a method's error, not a number that does not fit
	case sem.GoType == nil:
		return "unexpected JSON " + kindName(sem)
	}
	return "cannot read " + kindName(sem) + " as " + TypeName(sem.GoType)
}

// kindName names the JSON kind of sem's value as JSON does, with the value
// of a number: "boolean", "number 1.5".
func kindName(sem *json.SemanticError) string {
	name := cmp.Or(kindNames[sem.JSONKind], "value")
	if sem.JSONKind == '0' && len(sem.JSONValue) > 0 {
		name += " " + string(sem.JSONValue)
	}
	return name
}

var kindNames = map[jsontext.Kind]string{'n': "null", 't': "boolean", 'f': "boolean", '"': "string", '0': "number",
	'{': "object", '[': "array"}

var textType = reflect.TypeFor[encoding.TextUnmarshaler]()

// TypeName names what a Go type is read from: "string" for a type that
// reads text (a date, a time), "object" for a struct or a map, "array" for
// a slice or an array, and its kind otherwise ("bool", "int64").
func TypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch k := t.Kind(); {
	case reflect.PointerTo(t).Implements(textType):
		return "string"
	case k == reflect.Struct || k == reflect.Map:
		return "object"
	case k == reflect.Slice || k == reflect.Array:
		return "array"
	default:
		return k.String()
	}
}

// ParseTime parses a timestamp as appointment.ParseTime documents it (RFC
// 3339 as time.RFC3339Nano reads it, or without a zone designator, which
// means UTC), in UTC, and reports whether it could: not for a date alone,
// a space instead of the T, or an instant outside the years 0000 to 9999.
func ParseTime(text string) (time.Time, bool) {
	// Each text is tried against one layout: the zone-less layout takes
	// nothing after the seconds but a fraction, and RFC 3339 wants a Z or
	// an offset after the T.
	layout := "2006-01-02T15:04:05"
	if _, clock, found := strings.Cut(text, "T"); !found || strings.ContainsAny(clock, "Z+-") {
		layout = time.RFC3339Nano
	}
	t, err := time.Parse(layout, text)
	t = t.UTC()
	return t, err == nil && InRange(t)
}

// ReadTime reads a timestamp that [ParseTime] accepts, or null for the
// zero time, from dec; for a string it refuses, the error bad returns for
// its text, for any other value a *json.SemanticError naming time.Time.
func ReadTime(dec *jsontext.Decoder, bad func(text string) error) (time.Time, error) {
	v, err := dec.ReadValue()
	switch k := v.Kind(); {
	case err != nil || k == 'n':
		return time.Time{}, err
	case k != '"':
		return time.Time{}, &json.SemanticError{JSONKind: k, GoType: reflect.TypeFor[time.Time]()}
	}
	t, ok := ParseTime(Unquoted(v)) // which keeps nothing of the text
	if !ok {
		return time.Time{}, bad(strings.Clone(Unquoted(v)))
	}
	return t, nil
}

// FormatTime writes t as [ParseTime] reads it back: RFC 3339 in UTC. An
// instant outside the years 0000 to 9999 ([InRange]) is written too, in
// the form time.Time.Format gives it, for messages.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// AppendTime appends t as a JSON string, in the form [FormatTime] gives
// it, and reports whether it is [InRange]; b is unchanged when it is not.
func AppendTime(b []byte, t time.Time) ([]byte, bool) {
	if !InRange(t) {
		return b, false
	}
	b = t.UTC().AppendFormat(append(b, '"'), time.RFC3339Nano)
	return append(b, '"'), true
}

// AppendString appends s as a JSON string, as github.com/go-json-experiment/json
// writes it by default, and reports false for invalid UTF-8, which that
// package refuses (b is then extended by an unspecified amount).
func AppendString(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		// c-' ' wraps around below ' ': one comparison finds both a
		// control character and a byte that is not ASCII.
		if c := s[i]; c-' ' >= utf8.RuneSelf-' ' || c == '"' || c == '\\' {
			b, err := jsontext.AppendQuote(b, s)
			return b, err == nil
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}

// Buffers is a pool of buffers to write JSON in, for reuse. The zero
// Buffers is ready to use.
type Buffers struct{ pool sync.Pool }

// MaxPooled is the capacity of the largest buffer a Buffers keeps.
const MaxPooled = 64 << 10

// Get returns a buffer of the pool's, or a new one, empty.
func (p *Buffers) Get() *[]byte {
	if b, ok := p.pool.Get().(*[]byte); ok {
		return b
	}
	return new([]byte)
}

// Put gives buf back to the pool, holding used, what was written in it,
// when that fits in MaxPooled bytes, and as it was otherwise.
func (p *Buffers) Put(buf *[]byte, used []byte) {
	if pooled(used) {
		*buf = used[:0]
	}
	p.pool.Put(buf)
}

// pooled reports whether a Buffers keeps b.
func pooled(b []byte) bool { return cap(b) <= MaxPooled }

// InRange reports whether t, in UTC, falls in the years RFC 3339 can write.
func InRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

// Unquoted returns the text of a JSON string as a decoder read it. The
// result shares the decoder's buffer when the string has no escape: it is
// valid only until the decoder reads on, and must be copied to be kept.
func Unquoted(quoted jsontext.Value) string {
	if !bytes.ContainsRune(quoted, '\\') {
		return unsafe.String(unsafe.SliceData(quoted[1:]), len(quoted)-2)
	}
	b, _ := jsontext.AppendUnquote(nil, quoted)
	return string(b)
}
