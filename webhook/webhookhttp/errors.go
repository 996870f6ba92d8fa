package webhookhttp

import "errors"

// ErrRequest reports an HTTP request that a [Handler] cannot take for a
// delivery, before verifying it: a method other than POST, a body over the
// size limit, or a body that cannot be read.
var ErrRequest = errors.New("webhookhttp: bad request")

// RequestError reports an HTTP request that a [Handler] cannot take for a
// delivery. It unwraps to [ErrRequest] and to the cause, if any. It never
// holds the body.
type RequestError struct {
	// Problem is what is wrong, such as "method GET not allowed" or "body
	// over 1048576 bytes".
	Problem string
	// Err is the cause: the *http.MaxBytesError of a body over the limit,
	// the error of reading the body; nil for a method.
	Err error
}

// Error returns a message such as "webhookhttp: bad request: method GET not allowed".
func (e *RequestError) Error() string {
	msg := ErrRequest.Error() + ": " + e.Problem
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns [ErrRequest] and the cause.
func (e *RequestError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrRequest}
	}
	return []error{ErrRequest, e.Err}
}

// ErrHandler reports a [Handler] that is not set up: no Verifier, one
// without secrets, or no Handle.
var ErrHandler = errors.New("webhookhttp: handler not set up")

// handlerError says what a Handler lacks; it unwraps to ErrHandler.
type handlerError struct{ what string }

func (e *handlerError) Error() string { return ErrHandler.Error() + ": " + e.what }
func (e *handlerError) Unwrap() error { return ErrHandler }
