package junction

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ErrorBody is the body of Junction's error answers: {"detail": …}, where
// the detail is a message (400, 401, 404, 429, …) or, for a request that
// does not validate (422, Junction's HTTPValidationError), a list of
// problems. [DecodeErrorBody] reads it.
type ErrorBody struct {
	// Detail is the detail member.
	Detail Detail `json:"detail"`
}

// Detail is the detail of an error answer: either Message or Problems is
// set. It is written as a string when Problems is nil, and as a list
// otherwise.
type Detail struct {
	// Message is the detail when Junction sends a string, such as "Order
	// not found". A detail of another kind (an object, a number) is kept
	// here as compact JSON.
	Message string
	// Problems is the detail when Junction sends a list, each a
	// [Problem]; nil otherwise.
	Problems []Problem
}

// String returns the detail as a person reads it: the message, or each
// problem as [Problem.String] writes it, joined by "; ".
func (d Detail) String() string {
	if d.Problems == nil {
		return d.Message
	}
	var b strings.Builder
	for i, p := range d.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// MarshalJSONTo writes d as a JSON string, or as a list when Problems is
// not nil, for github.com/go-json-experiment/json.
func (d Detail) MarshalJSONTo(enc *jsontext.Encoder) error {
	if d.Problems != nil {
		return json.MarshalEncode(enc, d.Problems)
	}
	return enc.WriteToken(jsontext.String(d.Message))
}

// UnmarshalJSONFrom reads a detail, for github.com/go-json-experiment/json:
// a string into Message, a list of problems into Problems, null as the
// zero Detail, and any other JSON value into Message as compact JSON. On
// error d is unchanged.
func (d *Detail) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if d == nil {
		return errNilDestination
	}
	var v Detail
	switch k := dec.PeekKind(); {
	case k == '"':
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		v.Message = tok.String()
	case k == '[':
		v.Problems = []Problem{}
		if err := json.UnmarshalDecode(dec, &v.Problems); err != nil {
			return err
		}
	default:
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if raw.Kind() != 'n' {
			c := jsontext.Value(bytes.Clone(raw))
			_ = c.Compact() // valid: the decoder has read it
			v.Message = string(c)
		}
	}
	*d = v
	return nil
}

// Problem is one entry of a 422 detail list (Junction's ValidationError):
// where the fault is, what it is, and its type. Members other than loc,
// msg and type (input, ctx) are dropped: input may echo what the request
// sent.
type Problem struct {
	// Loc is where the fault is: "body", "query" or "path", then the
	// member names (each a string) and list indices (each an int).
	Loc []any
	// Msg says what is wrong (msg), such as "field required".
	Msg string
	// Type names the kind of fault (type), such as "value_error.missing".
	Type string
}

// String returns the problem as "body.patient_details.dob: msg": its
// location joined by dots (an entry neither a string nor an int written
// "?"), then its message.
func (p Problem) String() string {
	var b strings.Builder
	for i, l := range p.Loc {
		if i > 0 {
			b.WriteByte('.')
		}
		switch l := l.(type) {
		case string:
			b.WriteString(l)
		case int:
			b.WriteString(strconv.Itoa(l))
		default:
			b.WriteByte('?')
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// problemWire is a [Problem] as Junction writes it.
type problemWire struct {
	Loc  []jsontext.Value `json:"loc"`
	Msg  string           `json:"msg"`
	Type string           `json:"type"`
}

// errLoc is the cause of a loc entry that is neither a string nor an
// integer.
var errLoc = errors.New("junction: loc entry is neither a string nor an integer")

// UnmarshalJSONFrom reads a problem, for github.com/go-json-experiment/json:
// each loc entry must be a string or an integer. On error p is unchanged.
func (p *Problem) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if p == nil {
		return errNilDestination
	}
	var w problemWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	v := Problem{Msg: w.Msg, Type: w.Type}
	if w.Loc != nil {
		v.Loc = make([]any, 0, len(w.Loc))
	}
	for i, raw := range w.Loc {
		switch k := raw.Kind(); {
		case k == '"':
			s, _ := jsontext.AppendUnquote(nil, raw) // valid: the decoder has read it
			v.Loc = append(v.Loc, string(s))
		case k == '0':
			n, err := strconv.Atoi(string(raw))
			if err != nil {
				return &json.SemanticError{JSONPointer: dec.StackPointer() + jsontext.Pointer("/loc/"+strconv.Itoa(i)), Err: errLoc}
			}
			v.Loc = append(v.Loc, n)
		default:
			return &json.SemanticError{JSONPointer: dec.StackPointer() + jsontext.Pointer("/loc/"+strconv.Itoa(i)), Err: errLoc}
		}
	}
	*p = v
	return nil
}

// MarshalJSONTo writes p as Junction does, for
// github.com/go-json-experiment/json: loc (an array, never null), msg and
// type. A loc entry other than a string or an int is an error.
func (p Problem) MarshalJSONTo(enc *jsontext.Encoder) error {
	w := problemWire{Loc: make([]jsontext.Value, 0, len(p.Loc)), Msg: p.Msg, Type: p.Type}
	for i, l := range p.Loc {
		var raw jsontext.Value
		switch l := l.(type) {
		case string:
			b, err := jsontext.AppendQuote(nil, l)
			if err != nil {
				return err
			}
			raw = b
		case int:
			raw = strconv.AppendInt(nil, int64(l), 10)
		default:
			return &json.SemanticError{JSONPointer: enc.StackPointer() + jsontext.Pointer("/loc/"+strconv.Itoa(i)), Err: errLoc}
		}
		w.Loc = append(w.Loc, raw)
	}
	return json.MarshalEncode(enc, &w)
}

// DecodeErrorBody reads Junction's error body {"detail": …} from data.
// It fails, with a *[DecodeError] wrapping [ErrMalformed], on JSON that is
// not an object in that shape (invalid JSON, a repeated member, a problem
// whose loc holds something other than strings and integers, a member of
// the wrong type). Its cost is linear in the length of data.
func DecodeErrorBody(data []byte) (ErrorBody, error) {
	var b ErrorBody
	if jsontext.Value(bytes.TrimLeft(data, " \t\r\n")).Kind() != '{' {
		return ErrorBody{}, &DecodeError{Err: ErrMalformed, Reason: "not a JSON object"}
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return ErrorBody{}, decodeError(err)
	}
	return b, nil
}
