package webhookhttp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handlerNow is the fixed time of the handler tests: hours away from the
// real clock's reading, so that only Now can verify the deliveries.
var handlerNow = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

// canary is in every request body of the handler tests; no response may
// contain it.
const canary = "CANARY-7f3e"

// recorder is a Handler set up for a test, recording what it was told.
type recorder struct {
	mu       sync.Mutex
	handled  []webhook.Event
	ignored  []webhook.Event
	ignErrs  []error
	statuses []int
	errs     []error
	handle   func(ctx context.Context, e webhook.Event) error // what Handle does; nil returns nil
}

func (rec *recorder) handler() *Handler {
	return &Handler{
		Verifier: mustVerifier(vectorSecret),
		Now:      func() time.Time { return handlerNow },
		Handle: func(ctx context.Context, e webhook.Event) error {
			rec.mu.Lock()
			rec.handled = append(rec.handled, e)
			f := rec.handle
			rec.mu.Unlock()
			if f != nil {
				return f(ctx, e)
			}
			return nil
		},
		Ignored: func(ctx context.Context, e webhook.Event, err error) {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.ignored = append(rec.ignored, e)
			rec.ignErrs = append(rec.ignErrs, err)
		},
		Rejected: func(r *http.Request, status int, err error) {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.statuses = append(rec.statuses, status)
			rec.errs = append(rec.errs, err)
		},
	}
}

// phlebBody is a delivery body of an at-home phlebotomy order event that
// carries the canary.
func phlebBody(tb testing.TB) []byte {
	return bytes.Replace(wrap("labtest.order.updated", fixture(tb, "order-updated.json")), []byte(envTeamID), []byte(canary), 1)
}

// signed returns a POST of body signed as Junction would at handlerNow.
func signed(id string, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhooks/junction", bytes.NewReader(body))
	for k, v := range mustVerifier(vectorSecret).Sign(id, handlerNow, body) {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkRejected checks a response with an error status: the fixed reason
// as plain text, nothing of the request, and the Rejected hook told once.
func checkRejected(t *testing.T, rec *recorder, w *httptest.ResponseRecorder, status int, want ...error) {
	t.Helper()
	require.Equal(t, status, w.Code)
	assert.Equal(t, reason[status]+"\n", w.Body.String())
	assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
	assertNoCanary(t, w)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Equal(t, []int{status}, rec.statuses, "Rejected is told the status once")
	for _, target := range want {
		assert.ErrorIs(t, rec.errs[0], target)
	}
	assert.NotContains(t, rec.errs[0].Error(), canary, "the reason never holds the body")
	assert.Empty(t, rec.handled, "Handle is not called")
	assert.Empty(t, rec.ignored, "Ignored is not called")
}

func assertNoCanary(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	assert.NotContains(t, w.Body.String(), canary)
	for k, vs := range w.Header() {
		for _, v := range vs {
			assert.NotContains(t, k+v, canary)
		}
	}
}

func TestHandlerAccepts(t *testing.T) {
	rec := &recorder{}
	body := phlebBody(t)
	want, err := webhook.Decode(body)
	require.NoError(t, err)
	w := serve(rec.handler(), signed("msg_ok", body))

	require.Equal(t, http.StatusNoContent, w.Code)
	assert.Empty(t, w.Body.String())
	require.Len(t, rec.handled, 1, "Handle is called once")
	want.ID = "msg_ok"
	assert.Equal(t, want, rec.handled[0])
	assert.Empty(t, rec.statuses, "Rejected is not called")
	assert.Empty(t, rec.ignored)
}

func TestHandlerIgnores(t *testing.T) {
	for name, body := range map[string][]byte{
		"sleep data":      wrap("daily.data.sleep.created", []byte(`{"note": "`+canary+`"}`)),
		"critical result": wrap("labtest.result.critical", []byte(`{"order_id": "`+canary+`"}`)),
		"walk-in order":   bytes.Replace(wrap("labtest.order.updated", fixture(t, "order-walk-in.json")), []byte(envTeamID), []byte(canary), 1),
		"psc appointment": bytes.Replace(wrap("labtest.appointment.updated", fixture(t, "appointment-psc.json")), []byte(envTeamID), []byte(canary), 1),
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			want, werr := webhook.Decode(body)
			require.ErrorIs(t, werr, webhook.ErrNotPhlebotomy)
			w := serve(rec.handler(), signed("msg_"+name, body))

			require.Equal(t, http.StatusNoContent, w.Code)
			assert.Empty(t, w.Body.String())
			assert.Empty(t, rec.handled, "Handle is not called")
			assert.Empty(t, rec.statuses, "Rejected is not called")
			require.Len(t, rec.ignored, 1, "Ignored is called once")
			want.ID = "msg_" + name
			assert.Equal(t, want, rec.ignored[0])
			var de *webhook.DecodeError
			require.ErrorAs(t, rec.ignErrs[0], &de)
			require.ErrorIs(t, de, webhook.ErrNotPhlebotomy)
		})
	}
	// Without an Ignored hook too.
	h := (&recorder{}).handler()
	h.Ignored = nil
	body := wrap("daily.data.sleep.created", []byte(`{}`))
	assert.Equal(t, http.StatusNoContent, serve(h, signed("msg_1", body)).Code)
}

func TestHandlerMethod(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, "post"} {
		t.Run(method, func(t *testing.T) {
			rec := &recorder{}
			r := signed("msg_m", phlebBody(t))
			r.Method = method
			w := serve(rec.handler(), r)
			checkRejected(t, rec, w, http.StatusMethodNotAllowed, ErrRequest)
			assert.Equal(t, "POST", w.Header().Get("Allow"))
			var re *requestError
			require.ErrorAs(t, rec.errs[0], &re)
			assert.Equal(t, "method "+method+" not allowed", re.problem)
		})
	}
}

func TestHandlerBodyLimit(t *testing.T) {
	body := phlebBody(t)
	n := int64(len(body))
	for _, c := range []struct {
		name   string
		limit  int64
		length int64 // the declared Content-Length; -1 for none
		want   int
	}{
		{"at the limit", n, n, http.StatusNoContent},
		{"at the limit, length unknown", n, -1, http.StatusNoContent},
		{"one byte over", n - 1, n, http.StatusRequestEntityTooLarge},
		{"one byte over, length unknown", n - 1, -1, http.StatusRequestEntityTooLarge},
		{"far over", 10, n, http.StatusRequestEntityTooLarge},
		{"far over, length unknown", 10, -1, http.StatusRequestEntityTooLarge},
		{"declared over, body within", n - 1, n + 1, http.StatusRequestEntityTooLarge},
		{"default limit", 0, n, http.StatusNoContent},
		{"negative limit is the default", -1, -1, http.StatusNoContent},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			h := rec.handler()
			h.MaxBodyBytes = c.limit
			r := signed("msg_l", body)
			r.ContentLength = c.length
			if c.length < 0 {
				r.Body = io.NopCloser(iotest.HalfReader(bytes.NewReader(body))) // in small reads
			}
			w := serve(h, r)
			if c.want == http.StatusNoContent {
				require.Equal(t, c.want, w.Code, w.Body.String())
				require.Len(t, rec.handled, 1)
				assert.Equal(t, "msg_l", rec.handled[0].ID)
				return
			}
			checkRejected(t, rec, w, c.want, ErrRequest)
			var mbe *http.MaxBytesError
			require.ErrorAs(t, rec.errs[0], &mbe)
			assert.Equal(t, c.limit, mbe.Limit)
			assert.EqualError(t, rec.errs[0], "webhookhttp: bad request: body over "+strconv.FormatInt(c.limit, 10)+" bytes: http: request body too large")
		})
	}
	t.Run("over the default limit", func(t *testing.T) {
		rec := &recorder{}
		big := append(append([]byte(`{"pad": "`), bytes.Repeat([]byte("x"), DefaultMaxBodyBytes)...), `"}`...)
		for _, length := range []int64{int64(len(big)), -1} {
			rec.statuses, rec.errs = nil, nil
			r := signed("msg_big", big)
			r.ContentLength = length
			checkRejected(t, rec, serve(rec.handler(), r), http.StatusRequestEntityTooLarge, ErrRequest)
		}
	})
}

// TestHandlerBodyGrowth reads bodies of sizes around the buffer's first
// size and its growth, with and without a declared length, one byte per
// read: a body read short or long fails its signature.
func TestHandlerBodyGrowth(t *testing.T) {
	event := []byte(`{"event_type": "daily.data.sleep.created"}`)
	for _, size := range []int{len(event), 511, 512, 513, 1023, 1024, 1025, 4097} {
		body := append(append([]byte(nil), event...), bytes.Repeat([]byte(" "), size-len(event))...)
		for _, length := range []int64{int64(size), -1} {
			rec := &recorder{}
			r := signed("msg_g", body)
			r.ContentLength = length
			r.Body = io.NopCloser(iotest.OneByteReader(bytes.NewReader(body)))
			w := serve(rec.handler(), r)
			assert.Equal(t, http.StatusNoContent, w.Code, "size %d length %d", size, length)
			assert.Len(t, rec.ignored, 1, "size %d length %d", size, length)
		}
	}
}

// TestReadBodyAllocs checks that a body of declared length is read into one
// buffer.
func TestReadBodyAllocs(t *testing.T) {
	body := phlebBody(t)
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	rd := &bodyReader{}
	r.Body = rd
	w := httptest.NewRecorder()
	for _, length := range []int64{int64(len(body)), -1} {
		r.ContentLength = length
		allocs := testing.AllocsPerRun(20, func() {
			rd.Reset(body)
			b, err := readBody(w, r, DefaultMaxBodyBytes)
			if err != nil || len(b) != len(body) {
				t.Fatal(len(b), err)
			}
		})
		if length >= 0 {
			assert.Equal(t, 1.0, allocs, "one buffer")
		} else {
			assert.Greater(t, allocs, 1.0, "a body of unknown length grows its buffer")
		}
	}
}

// TestReadBodyBuffer checks the buffer a body is read into: the declared
// length and one byte more, so that the end is seen without growing it,
// up to 4 KiB; or 512 bytes to start with when the length is unknown.
func TestReadBodyBuffer(t *testing.T) {
	w := httptest.NewRecorder()
	for _, c := range []struct {
		body   string
		length int64
		cap    int
	}{
		{"", 0, 1},
		{"{}", 2, 3},
		{"", -1, 512},
		{"{}", -1, 512},
		{strings.Repeat(" ", 511), -1, 512},
		{strings.Repeat(" ", 4095), 4095, 4096},
		{"{}", DefaultMaxBodyBytes, 4096}, // a claim reserves no more
	} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(c.body))
		r.ContentLength = c.length
		b, err := readBody(w, r, DefaultMaxBodyBytes)
		require.NoError(t, err)
		assert.Equal(t, c.body, string(b))
		assert.Equal(t, c.cap, cap(b), "%d bytes declared as %d", len(c.body), c.length)
	}
}

func TestHandlerUnreadableBody(t *testing.T) {
	rec := &recorder{}
	r := signed("msg_r", phlebBody(t))
	r.Body = io.NopCloser(io.MultiReader(strings.NewReader(`{"event_type": `), iotest.ErrReader(io.ErrUnexpectedEOF)))
	r.ContentLength = -1
	checkRejected(t, rec, serve(rec.handler(), r), http.StatusBadRequest, ErrRequest, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, rec.errs[0], webhook.ErrMalformed)
	assert.EqualError(t, rec.errs[0], "webhookhttp: bad request: cannot read the body: unexpected EOF")
}

func TestHandlerEmptyBody(t *testing.T) {
	for _, length := range []int64{0, -1} {
		rec := &recorder{}
		r := signed("msg_e", nil)
		r.ContentLength = length
		checkRejected(t, rec, serve(rec.handler(), r), http.StatusBadRequest, webhook.ErrMalformed)
		var de *webhook.DecodeError
		require.ErrorAs(t, rec.errs[0], &de)
		assert.Equal(t, "webhook: decode: unexpected end of JSON input", de.Error())
	}
}

func TestHandlerNilBody(t *testing.T) {
	rec := &recorder{}
	r := signed("msg_n", nil)
	r.Body = nil
	r.ContentLength = 0
	checkRejected(t, rec, serve(rec.handler(), r), http.StatusBadRequest, webhook.ErrMalformed)

	rec = &recorder{}
	r = signed("msg_n", nil)
	r.Body, r.ContentLength = nil, 5
	h := rec.handler()
	h.MaxBodyBytes = 4
	checkRejected(t, rec, serve(h, r), http.StatusRequestEntityTooLarge, ErrRequest)
}

func TestHandlerMalformed(t *testing.T) {
	for name, body := range map[string][]byte{
		"no event type": []byte(`{"data": {"id": "` + canary + `"}}`),
		"no data":       []byte(`{"event_type": "labtest.order.updated", "team_id": "` + canary + `"}`),
		"bad history":   wrap("labtest.order.updated", []byte(`{"id": "`+canary+`", "details": {"type": "at_home_phlebotomy"}, "events": [{"created_at": "noon"}]}`)),
		"not JSON":      []byte(canary),
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			checkRejected(t, rec, serve(rec.handler(), signed("msg_bad", body)), http.StatusBadRequest, webhook.ErrMalformed)
		})
	}
}

func TestHandlerUnverified(t *testing.T) {
	body := phlebBody(t)
	without := func(name string) func(h http.Header) {
		return func(h http.Header) { h.Del(name) }
	}
	for _, c := range []struct {
		name   string
		change func(h http.Header)
		reason error
	}{
		{"no id", without(webhook.HeaderID), webhook.ErrMissingHeader},
		{"no timestamp", without(webhook.HeaderTimestamp), webhook.ErrMissingHeader},
		{"no signature", without(webhook.HeaderSignature), webhook.ErrMissingHeader},
		{"malformed timestamp", func(h http.Header) { h.Set(webhook.HeaderTimestamp, "1.5e9") }, webhook.ErrMalformedHeader},
		{"stale", func(h http.Header) {
			resign(h, body, handlerNow.Add(-webhook.Tolerance-time.Second))
		}, webhook.ErrStaleTimestamp},
		{"future", func(h http.Header) {
			resign(h, body, handlerNow.Add(webhook.Tolerance+time.Second))
		}, webhook.ErrFutureTimestamp},
		{"wrong signature", func(h http.Header) { h.Set(webhook.HeaderSignature, "v1,"+canary) }, webhook.ErrNoSignature},
		{"another secret", func(h http.Header) {
			h.Set(webhook.HeaderSignature, http.Header(mustVerifier(otherSecret).Sign(h.Get(webhook.HeaderID), handlerNow, body)).Get(webhook.HeaderSignature))
		}, webhook.ErrNoSignature},
		{"another id", func(h http.Header) { h.Set(webhook.HeaderID, "msg_other") }, webhook.ErrNoSignature},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			r := signed("msg_u", body)
			c.change(r.Header)
			checkRejected(t, rec, serve(rec.handler(), r), http.StatusUnauthorized, webhook.ErrUnverified, c.reason)
		})
	}
	t.Run("body changed", func(t *testing.T) {
		rec := &recorder{}
		r := signed("msg_u", body)
		r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte("appointment_scheduled"), []byte("draw_completed_____x"), 1)))
		checkRejected(t, rec, serve(rec.handler(), r), http.StatusUnauthorized, webhook.ErrUnverified, webhook.ErrNoSignature)
	})
	t.Run("unverified and malformed", func(t *testing.T) {
		rec := &recorder{}
		r := signed("msg_u", []byte(canary))
		r.Header.Set(webhook.HeaderSignature, "v1,AAAA")
		checkRejected(t, rec, serve(rec.handler(), r), http.StatusUnauthorized, webhook.ErrUnverified)
		assert.NotErrorIs(t, rec.errs[0], webhook.ErrMalformed, "an unverified body is not decoded")
	})
}

func resign(h http.Header, body []byte, at time.Time) {
	for k, v := range mustVerifier(vectorSecret).Sign(h.Get(webhook.HeaderID), at, body) {
		h[k] = v
	}
}

// TestHandlerClock checks that deliveries are verified at the time Now
// gives, never the real clock's.
func TestHandlerClock(t *testing.T) {
	body := phlebBody(t)
	for _, c := range []struct {
		name string
		now  time.Time
		want int
	}{
		{"at the signing time", handlerNow, http.StatusNoContent},
		{"at the tolerance", handlerNow.Add(webhook.Tolerance), http.StatusNoContent},
		{"past it", handlerNow.Add(webhook.Tolerance + time.Second), http.StatusUnauthorized},
		{"before it", handlerNow.Add(-webhook.Tolerance - time.Second), http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			h := rec.handler()
			calls := 0
			h.Now = func() time.Time { calls++; return c.now }
			assert.Equal(t, c.want, serve(h, signed("msg_c", body)).Code)
			assert.Equal(t, 1, calls, "Now is read once per delivery")
		})
	}
	// Without Now, the real clock: a delivery signed now verifies, and the
	// fixed time's does not.
	rec := &recorder{}
	h := rec.handler()
	h.Now = nil
	assert.Equal(t, http.StatusUnauthorized, serve(h, signed("msg_c", body)).Code)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	for k, v := range mustVerifier(vectorSecret).Sign("msg_now", time.Now(), body) {
		r.Header[k] = v
	}
	assert.Equal(t, http.StatusNoContent, serve(h, r).Code)
}

func TestHandlerUnknownStatus(t *testing.T) {
	rec := &recorder{}
	body := wrap("labtest.order.updated", []byte(`{"id": "`+canary+`", "details": {"type": "at_home_phlebotomy"}, "events": [{"id": 1, "status": "received.at_home_phlebotomy.on_hold"}]}`))
	checkRejected(t, rec, serve(rec.handler(), signed("msg_s", body)), http.StatusUnprocessableEntity, webhook.ErrUnknownStatus)
	var de *webhook.DecodeError
	require.ErrorAs(t, rec.errs[0], &de)
	assert.Equal(t, "/data/events/0/status", de.Path)
}

func TestHandlerHandleFails(t *testing.T) {
	body := phlebBody(t)
	errDB := errors.New("database unavailable")
	for _, c := range []struct {
		name    string
		timeout time.Duration
		ctx     func() (context.Context, context.CancelFunc)
		handle  func(ctx context.Context, e webhook.Event) error
		want    int
		reason  error
	}{
		{"error", 0, nil, func(ctx context.Context, e webhook.Event) error { return errDB }, http.StatusInternalServerError, errDB},
		{"slow, waiting on its context", 20 * time.Millisecond, nil, func(ctx context.Context, e webhook.Event) error {
			return waitDone(ctx, ctx.Err)
		}, http.StatusServiceUnavailable, context.DeadlineExceeded},
		{"slow, failing its own way", time.Millisecond, nil, func(ctx context.Context, e webhook.Event) error {
			return waitDone(ctx, func() error { return errDB })
		}, http.StatusServiceUnavailable, errDB},
		{"client gone", -1, func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			func(ctx context.Context, e webhook.Event) error {
				return waitDone(ctx, ctx.Err)
			}, http.StatusServiceUnavailable, context.Canceled},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{handle: c.handle}
			h := rec.handler()
			h.Timeout = c.timeout
			r := signed("msg_f", body)
			if c.ctx != nil {
				ctx, cancel := c.ctx()
				cancel()
				r = r.WithContext(ctx)
			}
			w := serve(h, r)
			require.Equal(t, c.want, w.Code)
			assert.Equal(t, reason[c.want]+"\n", w.Body.String())
			assertNoCanary(t, w)
			require.Len(t, rec.handled, 1, "Handle was called")
			assert.Equal(t, []int{c.want}, rec.statuses)
			assert.ErrorIs(t, rec.errs[0], c.reason)
		})
	}
}

// errNeverDone is what a Handle waiting on its context returns when the
// context is never done: the test then fails instead of hanging.
var errNeverDone = errors.New("the context was never done")

// waitDone waits until ctx is done and returns result(), or gives up after
// a time far beyond any of the tests' timeouts.
func waitDone(ctx context.Context, result func() error) error {
	select {
	case <-ctx.Done():
		return result()
	case <-time.After(10 * time.Second):
		return errNeverDone
	}
}

// TestHandlerContext checks the deadline Handle's context carries.
func TestHandlerContext(t *testing.T) {
	body := phlebBody(t)
	type key struct{}
	for _, c := range []struct {
		name     string
		timeout  time.Duration
		deadline bool
		min, max time.Duration // bounds of the time left, when there is a deadline
	}{
		{"default", 0, true, DefaultTimeout - 5*time.Second, DefaultTimeout},
		{"set", time.Hour, true, time.Hour - 5*time.Second, time.Hour},
		{"none", -1, false, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var left time.Duration
			var has bool
			var value any
			rec := &recorder{handle: func(ctx context.Context, e webhook.Event) error {
				var deadline time.Time
				deadline, has = ctx.Deadline()
				left = time.Until(deadline)
				value = ctx.Value(key{})
				return nil
			}}
			h := rec.handler()
			h.Timeout = c.timeout
			r := signed("msg_ctx", body)
			r = r.WithContext(context.WithValue(r.Context(), key{}, "request's"))
			require.Equal(t, http.StatusNoContent, serve(h, r).Code)
			assert.Equal(t, "request's", value, "derived from the request's context")
			require.Equal(t, c.deadline, has)
			if has {
				assert.Greater(t, left, c.min)
				assert.LessOrEqual(t, left, c.max)
			}
		})
	}
}

func TestHandlerNotSetUp(t *testing.T) {
	body := phlebBody(t)
	for _, c := range []struct {
		name string
		h    func(rec *recorder) *Handler
	}{
		{"nil Verifier", func(rec *recorder) *Handler { h := rec.handler(); h.Verifier = nil; return h }},
		{"zero Verifier", func(rec *recorder) *Handler { h := rec.handler(); h.Verifier = &webhook.Verifier{}; return h }},
		{"nil Handle", func(rec *recorder) *Handler { h := rec.handler(); h.Handle = nil; return h }},
		{"zero Handler", func(rec *recorder) *Handler { return &Handler{Rejected: rec.handler().Rejected} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, method := range []string{http.MethodPost, http.MethodGet} {
				rec := &recorder{}
				r := signed("msg_x", body)
				r.Method = method
				w := serve(c.h(rec), r)
				checkRejected(t, rec, w, http.StatusInternalServerError, ErrHandler)
			}
		})
	}
	var nilHandler *Handler
	w := httptest.NewRecorder()
	require.NotPanics(t, func() { nilHandler.ServeHTTP(w, signed("msg_x", body)) })
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Equal(t, reason[http.StatusInternalServerError]+"\n", w.Body.String())
	assertNoCanary(t, w)
}

func TestNewHandler(t *testing.T) {
	var got []webhook.Event
	h, err := NewHandler(vectorSecret, func(ctx context.Context, e webhook.Event) error {
		got = append(got, e)
		return nil
	})
	require.NoError(t, err)
	assert.Zero(t, h.MaxBodyBytes, "the defaults")
	assert.Zero(t, h.Timeout)
	assert.Nil(t, h.Now)
	assert.Nil(t, h.Ignored)
	assert.Nil(t, h.Rejected)
	h.Now = func() time.Time { return handlerNow }
	require.Equal(t, http.StatusNoContent, serve(h, signed("msg_new", phlebBody(t))).Code)
	require.Len(t, got, 1)
	assert.Equal(t, "msg_new", got[0].ID)

	// Without hooks, an error status is answered all the same.
	r := signed("msg_get", phlebBody(t))
	r.Method = http.MethodGet
	w := serve(h, r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, reason[http.StatusMethodNotAllowed]+"\n", w.Body.String())

	h, err = NewHandler("whsec_", func(ctx context.Context, e webhook.Event) error { return nil })
	assert.Nil(t, h)
	require.ErrorIs(t, err, webhook.ErrInvalidSecret)
	assert.EqualError(t, err, "webhook: invalid secret: empty")

	h, err = NewHandler(vectorSecret, nil)
	assert.Nil(t, h)
	require.ErrorIs(t, err, ErrHandler)
	assert.EqualError(t, err, "webhookhttp: handler not set up: no Handle function")
}

// TestHandlerServer runs deliveries through a real server, with a body
// sent in chunks of unknown length.
func TestHandlerServer(t *testing.T) {
	rec := &recorder{}
	h := rec.handler()
	h.MaxBodyBytes = 4096
	srv := httptest.NewServer(h)
	defer srv.Close()
	body := phlebBody(t)

	post := func(body io.Reader, hdr http.Header) *http.Response {
		req, err := http.NewRequest(http.MethodPost, srv.URL, body)
		require.NoError(t, err)
		for k, v := range hdr {
			req.Header[k] = v
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		return resp
	}
	hdr := mustVerifier(vectorSecret).Sign("msg_srv", handlerNow, body)
	resp := post(io.MultiReader(bytes.NewReader(body[:100]), bytes.NewReader(body[100:])), hdr) // chunked
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Len(t, rec.handled, 1)
	assert.Equal(t, "msg_srv", rec.handled[0].ID)

	big := bytes.Repeat([]byte("x"), 5000)
	resp = post(io.MultiReader(bytes.NewReader(big)), mustVerifier(vectorSecret).Sign("msg_big", handlerNow, big))
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, reason[http.StatusRequestEntityTooLarge]+"\n", string(got))
}

// TestHandlerConcurrent sends deliveries of every outcome at once; run it
// with -race.
func TestHandlerConcurrent(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec.handler())
	defer srv.Close()
	bodies := []struct {
		body []byte
		good bool // signed correctly
		want int
	}{
		{phlebBody(t), true, http.StatusNoContent},
		{acceptedBodies(t)["appointment webhook"], true, http.StatusNoContent},
		{wrap("daily.data.sleep.created", []byte(`{}`)), true, http.StatusNoContent},
		{phlebBody(t), false, http.StatusUnauthorized},
		{[]byte(`{"event_type": "labtest.order.updated"}`), true, http.StatusBadRequest},
	}
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				c := bodies[(w+i)%len(bodies)]
				id := "msg_" + strconv.Itoa(w) + "_" + strconv.Itoa(i)
				hdr := mustVerifier(vectorSecret).Sign(id, handlerNow, c.body)
				if !c.good {
					hdr = mustVerifier(otherSecret).Sign(id, handlerNow, c.body)
				}
				req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(c.body))
				req.Header = hdr
				resp, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != c.want {
					errs <- errors.New(id + ": status " + strconv.Itoa(resp.StatusCode) + ", want " + strconv.Itoa(c.want))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	// Each body is sent workers*each/len(bodies) times.
	n := workers * each / len(bodies)
	assert.Len(t, rec.handled, 2*n)
	assert.Len(t, rec.ignored, n)
	assert.Len(t, rec.statuses, 2*n)
	seen := map[string]bool{}
	for _, e := range rec.handled {
		assert.False(t, seen[e.ID], "each delivery handled once")
		seen[e.ID] = true
	}
}

// trickle is a request body that sends one byte of the many its request
// declares, then ends as a client that goes away does.
type trickle struct{ sent bool }

func (b *trickle) Read(p []byte) (int, error) {
	if b.sent || len(p) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	b.sent = true
	p[0] = '{'
	return 1, nil
}

func (*trickle) Close() error { return nil }

// TestHandlerClaimedLength sends requests that each declare a body of
// 1 MiB, the default limit, and send one byte: the memory the Handler
// takes for each must follow the bytes that arrived, not the length the
// request claims, or unauthenticated clients could hold a megabyte each
// for as long as they keep their connection open.
func TestHandlerClaimedLength(t *testing.T) {
	const n = 100
	h := (&recorder{}).handler()
	h.Rejected = nil
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = signed("msg_claim", nil)
		reqs[i].ContentLength = DefaultMaxBodyBytes
		reqs[i].Body = &trickle{}
	}
	ws := make([]*httptest.ResponseRecorder, n)
	for i := range ws {
		ws[i] = httptest.NewRecorder()
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, r := range reqs {
		h.ServeHTTP(ws[i], r)
	}
	runtime.ReadMemStats(&after)
	for _, w := range ws {
		require.Equal(t, http.StatusBadRequest, w.Code, "a body cut short cannot be read")
	}
	perRequest := (after.TotalAlloc - before.TotalAlloc) / n
	assert.Less(t, perRequest, uint64(16<<10), "bytes allocated per request claiming %d bytes and sending 1", DefaultMaxBodyBytes)
}
