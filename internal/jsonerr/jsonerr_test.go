package jsonerr

import (
	"errors"
	"reflect"
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
