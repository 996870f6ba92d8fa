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
		{&requestError{}, "webhookhttp: bad request: ", ErrRequest},
		{&handlerError{}, "webhookhttp: handler not set up: ", ErrHandler},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.ErrorIs(t, c.err, c.want, c.msg)
	}
	assert.Equal(t, []error{ErrRequest}, (&requestError{}).Unwrap(), "no nil cause")
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err error
		msg string
	}{
		{&requestError{problem: "method GET not allowed"}, "webhookhttp: bad request: method GET not allowed"},
		{&requestError{problem: "cannot read the body", err: io.ErrUnexpectedEOF}, "webhookhttp: bad request: cannot read the body: unexpected EOF"},
		{&requestError{problem: "body over 10 bytes", err: &http.MaxBytesError{Limit: 10}}, "webhookhttp: bad request: body over 10 bytes: http: request body too large"},
	} {
		assert.EqualError(t, c.err, c.msg)
		assert.True(t, strings.HasPrefix(c.err.Error(), "webhookhttp: "))
	}
}
