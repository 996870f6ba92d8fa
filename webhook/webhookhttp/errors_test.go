package webhookhttp

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestZeroErrors checks that each error type's zero value has a message
// and unwraps to its sentinel, so that a hand-built error never panics.
func TestZeroErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		msg  string
		want error
	}{
		{&RequestError{}, "webhookhttp: bad request: ", ErrRequest},
		{&handlerError{}, "webhookhttp: handler not set up: ", ErrHandler},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.ErrorIs(t, c.err, c.want, c.msg)
	}
	assert.Equal(t, []error{ErrRequest}, (&RequestError{}).Unwrap(), "no nil cause")
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err error
		msg string
	}{
		{&RequestError{Problem: "method GET not allowed"}, "webhookhttp: bad request: method GET not allowed"},
		{&RequestError{Problem: "cannot read the body", Err: io.ErrUnexpectedEOF}, "webhookhttp: bad request: cannot read the body: unexpected EOF"},
		{&RequestError{Problem: "body over 10 bytes", Err: &http.MaxBytesError{Limit: 10}}, "webhookhttp: bad request: body over 10 bytes: http: request body too large"},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.True(t, strings.HasPrefix(c.err.Error(), "webhookhttp: "))
	}
}
