package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// Defaults of a [Handler].
const (
	// DefaultMaxBodyBytes is the largest body a Handler reads: 1 MiB,
	// hundreds of times the size of Junction's order and appointment
	// payloads.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultTimeout bounds the time Handle has: Junction's deliveries
	// (through Svix) give up on an endpoint that has not answered within
	// 15 seconds, and retry.
	DefaultTimeout = 10 * time.Second
)

// Handler is an http.Handler for the endpoint Junction delivers webhooks
// to. For each POST it reads the body (at most MaxBodyBytes), verifies the
// delivery with Verifier at the time Now gives, decodes it with [Decode],
// and calls Handle with each at-home phlebotomy event. It answers:
//
//   - 204 No Content when Handle returned nil, and for a verified event
//     that is not at-home phlebotomy ([ErrNotPhlebotomy]): Junction sends
//     many event types to the same endpoint, and they need no retry;
//   - 405 Method Not Allowed for any method but POST;
//   - 413 Request Entity Too Large for a body over MaxBodyBytes;
//   - 400 Bad Request for a body that cannot be read, or that is verified
//     but malformed ([ErrMalformed]);
//   - 401 Unauthorized for a delivery that fails verification
//     ([ErrUnverified]);
//   - 422 Unprocessable Entity for a verified phlebotomy event with a
//     status this library does not know ([ErrUnknownStatus]): Junction
//     retries it for about a day and a half, time to upgrade;
//   - 503 Service Unavailable when Handle failed because its context was
//     done (its Timeout, or the client gone), and 500 Internal Server Error
//     when Handle failed otherwise or the Handler is not set up: anything
//     but 2xx makes Junction deliver again later.
//
// The response body is a short reason in plain text; nothing of the
// request body is ever echoed. A Handler is safe for concurrent use once
// set up; do not change its fields while it serves.
type Handler struct {
	// Verifier checks that deliveries come from Junction. Required.
	Verifier *Verifier
	// Handle processes one event. Its context is the request's, bounded
	// by Timeout. Junction may deliver an event more than once and out of
	// order: Handle must be idempotent (Event.ID is the same on every
	// delivery of a message). Return nil only once the event is safely
	// processed, since nil acknowledges the delivery. Required.
	Handle func(ctx context.Context, e Event) error
	// MaxBodyBytes is the largest body read; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Timeout bounds Handle's context; 0 means DefaultTimeout, a negative
	// value no bound beyond the request's own.
	Timeout time.Duration
	// Now returns the time deliveries are verified at; nil means
	// time.Now, the only place the library reads the clock.
	Now func() time.Time
	// Ignored, when set, is called with each verified event the Handler
	// acknowledges without calling Handle, and the *IgnoredError saying
	// why.
	Ignored func(ctx context.Context, e Event, err error)
	// Rejected, when set, is called with each request answered with an
	// error status, the status and the reason (never the body), for
	// logging.
	Rejected func(r *http.Request, status int, err error)
}

// NewHandler returns a Handler that verifies deliveries with secret (see
// [NewVerifier]) and calls handle with each at-home phlebotomy event, with
// the defaults for everything else. A bad secret is a *[SecretError]; a
// nil handle is an error wrapping [ErrHandler].
func NewHandler(secret string, handle func(ctx context.Context, e Event) error) (*Handler, error) {
	if handle == nil {
		return nil, errNoHandle
	}
	v, err := NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	return &Handler{Verifier: v, Handle: handle}, nil
}

var errNoHandle = &handlerError{"no Handle function"}

// ServeHTTP handles one delivery; see [Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case h == nil || h.Handle == nil:
		h.reject(w, r, http.StatusInternalServerError, errNoHandle)
		return
	case h.Verifier == nil:
		h.reject(w, r, http.StatusInternalServerError, &handlerError{"no Verifier"})
		return
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, errors.New("webhook: method "+r.Method+" not allowed"))
		return
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.reject(w, r, http.StatusRequestEntityTooLarge, errors.New("webhook: body over the size limit"))
			return
		}
		h.reject(w, r, http.StatusBadRequest, errors.New("webhook: cannot read the body"))
		return
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	e, err := h.Verifier.Parse(r.Header, body, now())
	switch {
	case errors.Is(err, ErrUnverified):
		h.reject(w, r, http.StatusUnauthorized, err)
		return
	case errors.Is(err, ErrNotPhlebotomy):
		if h.Ignored != nil {
			h.Ignored(r.Context(), e, err)
		}
		w.WriteHeader(http.StatusNoContent)
		return
	case errors.Is(err, ErrUnknownStatus):
		h.reject(w, r, http.StatusUnprocessableEntity, err)
		return
	case err != nil:
		h.reject(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := r.Context()
	timeout := h.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if err := h.Handle(ctx, e); err != nil {
		status := http.StatusInternalServerError
		if ctx.Err() != nil {
			status = http.StatusServiceUnavailable
		}
		h.reject(w, r, status, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// reason is the response body for each error status: fixed text, so that
// nothing of the request reaches the response.
var reason = map[int]string{
	http.StatusBadRequest:            "malformed webhook body",
	http.StatusUnauthorized:          "unverified delivery",
	http.StatusMethodNotAllowed:      "only POST is allowed",
	http.StatusRequestEntityTooLarge: "body too large",
	http.StatusUnprocessableEntity:   "unknown status: not processed",
	http.StatusInternalServerError:   "not processed",
	http.StatusServiceUnavailable:    "not processed in time",
}

func (h *Handler) reject(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h != nil && h.Rejected != nil {
		h.Rejected(r, status, err)
	}
	http.Error(w, reason[status], status)
}
