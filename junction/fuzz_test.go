package junction_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/junction"
)

// errorBodies are error bodies and what DecodeErrorBody makes of them:
// the detail as Detail.String writes it, or that it fails.
var errorBodies = []struct {
	name string
	body string
	want string // the detail, or "" with fails
	fail bool
}{
	{"message", `{"detail": "Order not found"}`, "Order not found", false},
	{"transition", `{"detail":"Transition from completed to cancelled is not allowed"}`, "Transition from completed to cancelled is not allowed", false},
	{"problems", `{"detail":[{"loc":["body","user_id"],"msg":"field required","type":"value_error.missing"}]}`, "body.user_id: field required", false},
	{"two problems", `{"detail":[{"loc":["query","zip_code"],"msg":"a","type":"t"},{"loc":["body","slots",0,"start"],"msg":"b","type":"t"}]}`,
		"query.zip_code: a; body.slots.0.start: b", false},
	{"pydantic v2 members", `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":{"api_key":"x"},"ctx":{}}]}`,
		"body: Field required", false},
	{"problem without loc", `{"detail":[{"msg":"m","type":"t"}]}`, "m", false},
	{"empty list", `{"detail":[]}`, "", false},
	{"null detail", `{"detail":null}`, "", false},
	{"no detail", `{}`, "", false},
	{"object detail", `{"detail": {"error" : "x"}}`, `{"error":"x"}`, false},
	{"number detail", `{"detail": 5}`, `5`, false},
	{"other members", `{"detail":"x","status":"error"}`, "x", false},
	{"escaped", `{"detail":"\u00e9t\u00e9"}`, "été", false},
	{"not an object", `["detail"]`, "", true},
	{"null", `null`, "", true},
	{"empty", ``, "", true},
	{"html", `<html>Bad Gateway</html>`, "", true},
	{"repeated member", `{"detail":"a","detail":"b"}`, "", true},
	{"loc of objects", `{"detail":[{"loc":[{}],"msg":"m","type":"t"}]}`, "", true},
	{"loc of a fraction", `{"detail":[{"loc":[1.5],"msg":"m","type":"t"}]}`, "", true},
	{"loc of a huge number", `{"detail":[{"loc":[123456789012345678901234567890],"msg":"m","type":"t"}]}`, "", true},
	{"loc of null", `{"detail":[{"loc":[null],"msg":"m","type":"t"}]}`, "", true},
	{"msg a number", `{"detail":[{"loc":[],"msg":5,"type":"t"}]}`, "", true},
	{"list of strings", `{"detail":["a"]}`, "", true},
	{"truncated", `{"detail":"a`, "", true},
	{"invalid UTF-8", "{\"detail\":\"\xff\"}", "", true},
}

func TestDecodeErrorBody(t *testing.T) {
	for _, tt := range errorBodies {
		t.Run(tt.name, func(t *testing.T) {
			b, err := junction.DecodeErrorBody([]byte(tt.body))
			if tt.fail {
				assert.ErrorIs(t, err, junction.ErrMalformed)
				var de *junction.DecodeError
				assert.ErrorAs(t, err, &de)
				assert.Equal(t, junction.ErrorBody{}, b)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, b.Detail.String())
		})
	}
}

func TestDecodeErrorBodyMessages(t *testing.T) {
	_, err := junction.DecodeErrorBody([]byte(`{"detail":[{"loc":[{}],"msg":"m","type":"t"}]}`))
	assert.EqualError(t, err, "junction: decode /detail/0/loc/0: loc entry is neither a string nor an integer")
	_, err = junction.DecodeErrorBody([]byte(`[]`))
	assert.EqualError(t, err, "junction: decode: not a JSON object")
	_, err = junction.DecodeErrorBody([]byte(`{"detail":[{"msg":5}]}`))
	assert.EqualError(t, err, "junction: decode /detail/0/msg: wrong JSON type")
	_, err = junction.DecodeErrorBody([]byte(`{"detail":"a","detail":"b"}`))
	assert.EqualError(t, err, `junction: decode /detail: duplicate object member name`)
}

func TestProblemJSON(t *testing.T) {
	p := junction.Problem{Loc: []any{"body", "slots", 0}, Msg: "m", Type: "t"}
	b, err := json.Marshal(junction.ErrorBody{Detail: junction.Detail{Problems: []junction.Problem{p}}})
	require.NoError(t, err)
	assert.Equal(t, `{"detail":[{"loc":["body","slots",0],"msg":"m","type":"t"}]}`, string(b))
	b, err = json.Marshal(junction.Problem{Msg: "m"})
	require.NoError(t, err)
	assert.Equal(t, `{"loc":[],"msg":"m","type":""}`, string(b))
	_, err = json.Marshal(junction.Problem{Loc: []any{1.5}})
	assert.Error(t, err)
	b, err = json.Marshal(junction.ErrorBody{Detail: junction.Detail{Message: "Not Found"}})
	require.NoError(t, err)
	assert.Equal(t, `{"detail":"Not Found"}`, string(b))
	assert.Equal(t, "m", junction.Problem{Loc: []any{}, Msg: "m"}.String())
	assert.Equal(t, "body.?.x: m", junction.Problem{Loc: []any{"body", 2.5, "x"}, Msg: "m"}.String())
}

// FuzzDecodeErrorBody checks that any input decodes or fails with
// ErrMalformed, never panics, and that what decodes encodes to a body
// that decodes the same.
func FuzzDecodeErrorBody(f *testing.F) {
	for _, tt := range errorBodies {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := junction.DecodeErrorBody(data)
		if err != nil {
			if !errors.Is(err, junction.ErrMalformed) {
				t.Fatalf("DecodeErrorBody(%q) = %v, want ErrMalformed", data, err)
			}
			return
		}
		_ = b.Detail.String()
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("Marshal(%#v) = %v", b, err)
		}
		back, err := junction.DecodeErrorBody(out)
		if err != nil {
			t.Fatalf("DecodeErrorBody(%q) = %v after a round trip of %q", out, err, data)
		}
		again, err := json.Marshal(back)
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("round trip of %q: %q then %q (%v)", data, out, again, err)
		}
	})
}
