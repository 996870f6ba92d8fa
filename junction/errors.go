package junction

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/appointment"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// that callers branch with [errors.Is]; the details are in an *[APIError],
// a *[RequestError] or a *[DecodeError] for [errors.As] ([New]'s errors,
// wrapping [ErrConfig], say what is wrong in their text).
var (
	// ErrValidation reports a request Junction refused as invalid (422), or
	// that the client's local checks refused before sending it: a missing
	// or malformed member, or a scheduling rule (age, address, notes,
	// auto-cancellation, lead time).
	ErrValidation = errors.New("junction: invalid request")
	// ErrRefused reports a command the order's or appointment's status
	// does not allow (400), such as "Transition from completed to
	// cancelled is not allowed", or one the active-appointment rule
	// refuses.
	ErrRefused = errors.New("junction: refused")
	// ErrNotFound reports an order, appointment or path Junction does not
	// have (404).
	ErrNotFound = errors.New("junction: not found")
	// ErrUnauthorized reports an API key that is missing, wrong, or not
	// allowed to make the call (401, 403).
	ErrUnauthorized = errors.New("junction: unauthorized")
	// ErrRateLimited reports too many requests (429), after the client's
	// retries.
	ErrRateLimited = errors.New("junction: rate limited")
	// ErrServer reports a failure on Junction's side (5xx), after the
	// client's retries.
	ErrServer = errors.New("junction: server error")
	// ErrStatus reports any other status that is not a success.
	ErrStatus = errors.New("junction: unexpected status")
	// ErrTransport reports a request that got no answer: the connection
	// failed, the context was cancelled or its deadline passed, or the
	// client's retry budget ran out first.
	ErrTransport = errors.New("junction: no answer")
	// ErrMalformed reports an answer whose body cannot be read as the
	// endpoint's JSON, or one larger than the client reads.
	ErrMalformed = errors.New("junction: malformed answer")
	// ErrConfig reports an option the client cannot use, such as a base
	// URL that is not absolute http or https.
	ErrConfig = errors.New("junction: invalid configuration")
)

// errNilDestination is the error of decoding into a nil pointer.
var errNilDestination = &DecodeError{Reason: "nil destination", Err: ErrMalformed}

// APIError is a refusal: an answer of Junction's API that is not a
// success, with its status code and Junction's detail, or the same
// refusal made by the client's local checks without calling Junction
// (Local), with the status Junction would answer.
//
// It unwraps to the sentinel of its status ([ErrValidation] 422,
// [ErrRefused] 400, [ErrUnauthorized] 401 and 403, [ErrNotFound] 404,
// [ErrRateLimited] 429, [ErrServer] 5xx, [ErrStatus] otherwise) and, for a
// local check, to the rule's own error, such as a *scheduling.RuleError
// wrapping scheduling.ErrUnderage.
type APIError struct {
	// Op names the call, such as "book".
	Op string
	// StatusCode is the HTTP status of the answer, such as 422.
	StatusCode int
	// Detail is Junction's detail: a message, or the list of problems of a
	// 422.
	Detail Detail
	// Local reports that the client's local checks refused the request:
	// nothing was sent.
	Local bool
	// RetryAfter is the answer's Retry-After header as sent (seconds, or
	// an HTTP date), such as on a 429 or a 503; empty when there was none.
	RetryAfter string
	// Cause is what a local check refused (a scheduling rule's error); nil
	// for an answer of Junction's.
	Cause error
}

// Error returns "junction: book: 422 Unprocessable Entity: " followed by
// the detail.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("junction: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	if e.Local {
		b.WriteString("refused locally: ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if d := e.Detail.String(); d != "" {
		b.WriteString(": " + d)
	}
	return b.String()
}

// Unwrap returns the sentinel of the status and, for a local check, the
// rule's error.
func (e *APIError) Unwrap() []error {
	if e.Cause != nil {
		return []error{statusSentinel(e.StatusCode), e.Cause}
	}
	return []error{statusSentinel(e.StatusCode)}
}

// statusSentinel returns the sentinel of a status that is not a success.
func statusSentinel(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return ErrRefused
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return ErrUnauthorized
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusUnprocessableEntity:
		return ErrValidation
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500 && code <= 599:
		return ErrServer
	}
	return ErrStatus
}

// RequestError reports a call that got no answer to act on: the
// transport failed (Err is the cause, such as a *url.Error), or the
// context ended (Err is the context's error), perhaps while the client
// waited to retry after Last. It unwraps to [ErrTransport], Err and Last,
// so that errors.Is(err, context.DeadlineExceeded) and, after a wait cut
// short, errors.Is(err, ErrRateLimited) both hold.
type RequestError struct {
	// Op names the call, such as "book".
	Op string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the cause.
	Err error
	// Last is the error of the last attempt when the context ended while
	// the client waited to retry; nil otherwise.
	Last error
}

// Error returns "junction: book: " followed by the cause.
func (e *RequestError) Error() string {
	msg := "junction: "
	if e.Op != "" {
		msg += e.Op + ": "
	}
	if e.Err == nil {
		return msg + "no answer"
	}
	msg += "no answer: " + e.Err.Error()
	if e.Last != nil {
		msg += " (after " + strings.TrimPrefix(e.Last.Error(), "junction: ") + ")"
	}
	return msg
}

// Unwrap returns [ErrTransport], the cause and the last attempt's error.
func (e *RequestError) Unwrap() []error {
	errs := []error{ErrTransport}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	if e.Last != nil {
		errs = append(errs, e.Last)
	}
	return errs
}

// DecodeError reports JSON that cannot be read: an answer's body that is
// not the endpoint's JSON, or an error body [DecodeErrorBody] refuses. Path
// is the JSON Pointer of the fault, when there is one. It unwraps to
// [ErrMalformed] and the decoder's error.
type DecodeError struct {
	// Op names the call, such as "book"; empty for [DecodeErrorBody].
	Op string
	// StatusCode is the HTTP status of the answer; zero for
	// [DecodeErrorBody].
	StatusCode int
	// Path is the JSON Pointer of the value at fault, such as
	// "/detail/0/loc/1"; empty when the fault is not in one value.
	Path string
	// Reason says what is wrong, when Err does not.
	Reason string
	// Err is [ErrMalformed] or the decoder's error.
	Err error
}

// Error returns "junction: decode: " followed by the path and the
// fault.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("junction: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString("decode")
	if e.StatusCode != 0 {
		b.WriteString(" " + strconv.Itoa(e.StatusCode) + " answer")
	}
	if e.Path != "" {
		b.WriteString(" " + e.Path)
	}
	switch {
	case e.Reason != "":
		b.WriteString(": " + e.Reason)
	case e.Err != nil && e.Err != ErrMalformed:
		b.WriteString(": " + strings.TrimPrefix(e.Err.Error(), "jsontext: "))
	}
	return b.String()
}

// Unwrap returns [ErrMalformed] and the decoder's error.
func (e *DecodeError) Unwrap() []error {
	if e.Err == nil || e.Err == ErrMalformed {
		return []error{ErrMalformed}
	}
	return []error{ErrMalformed, e.Err}
}

// decodeError turns an error of the JSON decoder into a *DecodeError
// naming the JSON Pointer of the fault.
func decodeError(err error) *DecodeError {
	de := &DecodeError{Err: err}
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		de.Path = string(syn.JSONPointer)
		de.Reason = message(syn.Err)
	case errors.As(err, &sem):
		de.Path = string(sem.JSONPointer)
		var ae *appointment.DecodeError
		if errors.As(sem.Err, &ae) { // an appointment reports the rest of the path
			de.Path += ae.Path
		}
		if sem.Err != nil {
			de.Reason = message(sem.Err)
		} else {
			de.Reason = "wrong JSON type"
		}
	}
	return de
}

// message returns an error's text without a package prefix.
func message(err error) string {
	if err == nil {
		return "invalid JSON"
	}
	s := err.Error()
	for _, p := range [...]string{"jsontext: ", "json: ", "junction: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}
