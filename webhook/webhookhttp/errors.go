package webhookhttp

import "errors"

// ErrRequest reports an HTTP request that a [Handler] cannot take for a
// delivery, before verifying it: a method other than POST, a body over the
// size limit, or a body that cannot be read.
var ErrRequest = errors.New("webhookhttp: bad request")

// requestError reports an HTTP request that a [Handler] cannot take for a
// delivery. It unwraps to [ErrRequest] and to the cause, if any: the
// *http.MaxBytesError of a body over the limit, which errors.As finds, or
// the error of reading the body. It never holds the body.
type requestError struct {
	problem string // what is wrong, such as "method GET not allowed"
	err     error  // the cause; nil for a method
}

// Error returns a message such as "webhookhttp: bad request: method GET not allowed".
func (e *requestError) Error() string {
	msg := ErrRequest.Error() + ": " + e.problem
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

// Unwrap returns [ErrRequest] and the cause.
func (e *requestError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrRequest}
	}
	return []error{ErrRequest, e.err}
}

// ErrHandler reports a [Handler] that is not set up: no Verifier, one
// without secrets, or no Handle.
var ErrHandler = errors.New("webhookhttp: handler not set up")

// handlerError says what a Handler lacks; it unwraps to ErrHandler.
type handlerError struct{ what string }

func (e *handlerError) Error() string { return ErrHandler.Error() + ": " + e.what }
func (e *handlerError) Unwrap() error { return ErrHandler }
