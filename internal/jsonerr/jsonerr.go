// Package jsonerr says in words what went wrong in an error of
// github.com/go-json-experiment/json, and where, for the messages of the
// module's decoding and encoding errors.
package jsonerr

import (
	"encoding"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

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
// cause's own message for an error a method returned; err's message for any
// other error.
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
	name, ok := kindNames[sem.JSONKind]
	if !ok {
		return "value"
	}
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
