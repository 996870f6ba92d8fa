package webhookhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/internal/secret"
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
// delivery with Verifier at the time Now gives, decodes it with [webhook.Decode],
// and calls Handle with each at-home phlebotomy event. It answers:
//
//   - 204 No Content when Handle returned nil, and for a verified event
//     that is not at-home phlebotomy ([webhook.ErrNotPhlebotomy]), without calling
//     Handle: Junction sends many event types to the same endpoint, and
//     they need no retry;
//   - 405 Method Not Allowed, with an Allow: POST header, for any method
//     but POST ([ErrRequest]);
//   - 413 Content Too Large for a body over MaxBodyBytes ([ErrRequest]),
//     at once when the request declares its length;
//   - 400 Bad Request for a body that cannot be read ([ErrRequest]), or
//     that is verified but malformed ([webhook.ErrMalformed]);
//   - 401 Unauthorized for a delivery that fails verification
//     ([webhook.ErrUnverified]); its body is not decoded;
//   - 422 Unprocessable Entity for a verified phlebotomy event with a
//     status this library does not know ([webhook.ErrUnknownStatus]): Junction
//     retries it for about a day and a half, time to upgrade;
//   - 503 Service Unavailable when Handle failed once its context was done
//     (its Timeout passed, or the client went away), and 500 Internal
//     Server Error when Handle failed otherwise, or the Handler is not set
//     up ([ErrHandler]): anything but 2xx makes Junction deliver again
//     later.
//
// The response body is a fixed reason in plain text; nothing of the
// request is ever echoed. A Handler is safe for concurrent use once set
// up; do not change its fields while it serves.
type Handler struct {
	// Verifier checks that deliveries come from Junction. Required: a nil
	// Verifier, or one without secrets, answers every request with 500.
	Verifier *webhook.Verifier
	// Handle processes one event. Its context is the request's, bounded
	// by Timeout. Junction may deliver an event more than once and out of
	// order: Handle must be idempotent (Event.ID is the same on every
	// delivery of a message). Return nil only once the event is safely
	// processed, since nil acknowledges the delivery. Required.
	Handle func(ctx context.Context, e webhook.Event) error
	// MaxBodyBytes is the largest body read; 0 or less means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Timeout bounds Handle's context; 0 means DefaultTimeout, a negative
	// value no bound beyond the request's own.
	Timeout time.Duration
	// Now returns the time deliveries are verified at; nil means
	// time.Now, the only place the library reads the clock.
	Now func() time.Time
	// Ignored, when set, is called with each verified event the Handler
	// acknowledges without calling Handle, and the *webhook.DecodeError saying
	// why, before the Handler answers.
	Ignored func(ctx context.Context, e webhook.Event, err error)
	// Rejected, when set, is called with each request answered with an
	// error status, before the answer: the status and the reason, for
	// logging. The reason wraps the sentinel the list above gives for the
	// status (for 500 and 503, it is Handle's error); it may quote the one
	// value at fault, such as a malformed timestamp, but never the body.
	Rejected func(r *http.Request, status int, err error)
}

// NewHandler returns a Handler that verifies deliveries with secret (see
// [webhook.NewVerifier]) and calls handle with each at-home phlebotomy
// event, with the defaults for everything else. A bad secret is an error
// wrapping [webhook.ErrInvalidSecret]; a nil handle is an error wrapping
// [ErrHandler].
func NewHandler(secret string, handle func(ctx context.Context, e webhook.Event) error) (*Handler, error) {
	if handle == nil {
		return nil, errNoHandle
	}
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	return &Handler{Verifier: v, Handle: handle}, nil
}

// ServeHTTP handles one delivery; see [Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h == nil || h.Handle == nil {
		h.reject(w, r, http.StatusInternalServerError, errNoHandle)
		return
	}
	if h.Verifier == nil || !secret.Held(h.Verifier) {
		h.reject(w, r, http.StatusInternalServerError, errNoVerifier)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, &requestError{problem: "method " + r.Method + " not allowed"})
		return
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		status := http.StatusBadRequest
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.reject(w, r, status, err)
		return
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	e, err := h.Verifier.Parse(r.Header, body, now())
	if err != nil {
		status := http.StatusBadRequest // ErrMalformed
		switch {
		case errors.Is(err, webhook.ErrNotPhlebotomy):
			if h.Ignored != nil {
				h.Ignored(r.Context(), e, err)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		case errors.Is(err, webhook.ErrUnverified):
			status = http.StatusUnauthorized
		case errors.Is(err, webhook.ErrUnknownStatus):
			status = http.StatusUnprocessableEntity
		}
		h.reject(w, r, status, err)
		return
	}
	ctx := r.Context()
	if timeout := h.Timeout; timeout >= 0 {
		if timeout == 0 {
			timeout = DefaultTimeout
		}
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

var (
	errNoHandle   = &handlerError{"no Handle function"}
	errNoVerifier = &handlerError{"no Verifier with a secret"}
)

// firstBuffer is the most readBody reserves before any byte arrives: a
// delivery of a declared length up to it (Junction's are a few KiB) is
// read into one buffer; a longer one grows as its bytes arrive.
const firstBuffer = 4 << 10

// readBody reads r's body, at most limit bytes. A request that declares a
// longer body is refused before reading. The buffer starts at the declared
// length and one byte more (so that the end is seen without growing it),
// but at most firstBuffer, or 512 bytes when the length is unknown, and
// grows only as bytes arrive: what a request claims reserves no memory.
// Any error is a *requestError.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, tooLarge(limit, &http.MaxBytesError{Limit: limit})
	}
	if r.Body == nil {
		return nil, nil
	}
	size := int64(512)
	if r.ContentLength >= 0 {
		size = min(r.ContentLength+1, firstBuffer)
	}
	body := make([]byte, 0, size)
	rd := http.MaxBytesReader(w, r.Body, limit)
	for {
		if len(body) == cap(body) {
			body = append(body, 0)[:len(body)]
		}
		n, err := rd.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		if err == io.EOF {
			return body, nil
		}
		if err == nil {
			continue
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit, err)
		}
		return nil, &requestError{problem: "cannot read the body", err: err}
	}
}

func tooLarge(limit int64, err error) *requestError {
	return &requestError{problem: "body over " + strconv.FormatInt(limit, 10) + " bytes", err: err}
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

// reject answers status with its fixed reason, after telling Rejected.
func (h *Handler) reject(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h != nil && h.Rejected != nil {
		h.Rejected(r, status, err)
	}
	http.Error(w, reason[status], status)
}
