package junction_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/provider"
)

// apiKey is the key the tests' clients send.
const apiKey = "sk_us_secret_0123456789"

// seen is what a test server received.
type seen struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
}

func (s *seen) add(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.bodies = append(s.bodies, string(body))
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// answer is one answer of a test server.
type answer struct {
	status int
	body   string
	header map[string]string
}

// script serves the answers in turn, the last one for ever after, and
// records the requests.
func script(t *testing.T, answers ...answer) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		a := answers[min(s.count(), len(answers))-1]
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

// waits records the client's waits.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

// fixed is the client's clock in these tests.
func fixed() time.Time { return t0 }

// client returns a client of srv that records its waits, with jitter j.
func client(t *testing.T, srv *httptest.Server, j float64, opts ...junction.Option) (*junction.Client, *waits) {
	t.Helper()
	w := &waits{}
	c, err := junction.New(apiKey, append([]junction.Option{junction.WithBaseURL(srv.URL), junction.WithSleep(w.sleep),
		junction.WithJitter(func() float64 { return j }), junction.WithClock(fixed)}, opts...)...)
	require.NoError(t, err)
	return c, w
}

const (
	reasonsBody = `[{"id":"5c0257ef-6fea-4a22-b20a-3ddab573d5c9","name":"Did not fast for appointment","is_refundable":true}]`
	apptBody    = `{"id":"a-1","status":"confirmed","provider":"getlabs","type":"phlebotomy"}`
	unavailable = `{"detail":"Service Unavailable"}`
)

func TestRetriesGet(t *testing.T) {
	srv, seen := script(t, answer{503, unavailable, nil}, answer{502, ``, nil}, answer{200, reasonsBody, nil})
	c, w := client(t, srv, 0)
	reasons, err := c.CancellationReasons(context.Background())
	require.NoError(t, err)
	assert.Len(t, reasons, 1)
	assert.Equal(t, 3, seen.count())
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, w.d) // half the backoff: jitter 0
}

func TestBackoff(t *testing.T) {
	srv, seen := script(t, answer{500, unavailable, nil})
	c, w := client(t, srv, 0.5, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 6, BaseDelay: time.Second,
		MaxDelay: 5 * time.Second, MaxElapsed: time.Minute}))
	_, err := c.Order(context.Background(), "o-1")
	requireAPIError(t, err, 500, junction.ErrServer, false)
	assert.Equal(t, 6, seen.count())
	// 1, 2, 4, 5 (capped), 5 s, each three quarters: jitter 0.5.
	assert.Equal(t, []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second,
		3750 * time.Millisecond, 3750 * time.Millisecond}, w.d)

	for _, j := range []float64{-1, 0.999999, 2} {
		srv, _ := script(t, answer{500, unavailable, nil})
		c, w := client(t, srv, j, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second}))
		_, _ = c.Order(context.Background(), "o-1")
		require.Len(t, w.d, 1)
		assert.GreaterOrEqual(t, w.d[0], 500*time.Millisecond, "jitter %v", j)
		assert.LessOrEqual(t, w.d[0], time.Second, "jitter %v", j)
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name  string
		after string
		want  time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"seconds with spaces", " 3 ", 3 * time.Second},
		{"zero", "0", 250 * time.Millisecond}, // no wait given: the backoff
		{"a date", t0.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second},
		{"a date past", t0.Add(-time.Hour).Format(http.TimeFormat), 250 * time.Millisecond},
		{"unreadable", "soon", 250 * time.Millisecond},
		{"negative", "-5", 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := script(t, answer{429, `{"detail":"Too Many Requests"}`, map[string]string{"Retry-After": tt.after}},
				answer{200, apptBody, nil})
			c, w := client(t, srv, 0)
			_, err := c.Appointment(context.Background(), "o-1")
			require.NoError(t, err)
			assert.Equal(t, 2, seen.count())
			assert.Equal(t, []time.Duration{tt.want}, w.d)
		})
	}
}

func TestRetryBudget(t *testing.T) {
	// A Retry-After beyond the budget ends the call at once.
	srv, seen := script(t, answer{429, `{"detail":"Too Many Requests"}`, map[string]string{"Retry-After": "31"}})
	c, w := client(t, srv, 0)
	_, err := c.Appointment(context.Background(), "o-1")
	ae := requireAPIError(t, err, 429, junction.ErrRateLimited, false)
	assert.Equal(t, "31", ae.RetryAfter)
	assert.Equal(t, 1, seen.count())
	assert.Empty(t, w.d)

	// Exactly the budget is still waited.
	srv, seen = script(t, answer{429, `{"detail":"Too Many Requests"}`, map[string]string{"Retry-After": "30"}}, answer{200, apptBody, nil})
	c, _ = client(t, srv, 0)
	_, err = c.Appointment(context.Background(), "o-1")
	require.NoError(t, err)
	assert.Equal(t, 2, seen.count())

	// The clock moves: the budget counts from the first attempt.
	now := t0
	srv, seen = script(t, answer{503, unavailable, nil})
	c, w = client(t, srv, 0, junction.WithClock(func() time.Time { now = now.Add(10 * time.Second); return now }))
	_, err = c.Appointment(context.Background(), "o-1")
	requireAPIError(t, err, 503, junction.ErrServer, false)
	assert.Equal(t, 2, seen.count())
	assert.Len(t, w.d, 1)

	// One attempt only.
	srv, seen = script(t, answer{503, unavailable, nil})
	c, w = client(t, srv, 0, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 1}))
	_, err = c.Appointment(context.Background(), "o-1")
	requireAPIError(t, err, 503, junction.ErrServer, false)
	assert.Equal(t, 1, seen.count())
	assert.Empty(t, w.d)
}

func TestNoRetry(t *testing.T) {
	ctx := context.Background()
	for _, status := range []int{400, 401, 403, 404, 409, 422} {
		srv, seen := script(t, answer{status, `{"detail":"no"}`, nil})
		c, _ := client(t, srv, 0)
		_, err := c.Order(ctx, "o-1")
		var ae *junction.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, status, ae.StatusCode)
		assert.Equal(t, 1, seen.count(), "status %d", status)
	}
	// A POST or PATCH without an idempotency key is sent once.
	calls := map[string]func(*junction.Client) error{
		"book": func(c *junction.Client) error {
			_, err := c.Book(ctx, "o-1", junction.BookRequest{BookingKey: "k"})
			return err
		},
		"request": func(c *junction.Client) error {
			_, err := c.Request(ctx, "o-1", junction.RequestAppointmentRequest{Address: &home, Provider: provider.Phlebfinders})
			return err
		},
		"reschedule": func(c *junction.Client) error {
			_, err := c.Reschedule(ctx, "o-1", junction.RescheduleRequest{BookingKey: "k"})
			return err
		},
		"cancel appointment": func(c *junction.Client) error {
			_, err := c.CancelAppointment(ctx, "o-1", junction.CancelAppointmentRequest{CancellationReasonID: "r"})
			return err
		},
		"cancel order": func(c *junction.Client) error { _, err := c.CancelOrder(ctx, "o-1"); return err },
		"simulate":     func(c *junction.Client) error { return c.Simulate(ctx, "o-1", junction.SimulateRequest{}) },
		"create order without a key": func(c *junction.Client) error {
			_, err := c.CreateOrder(ctx, newOrderRequest(""), junction.WithIdempotencyKey(""))
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			srv, seen := script(t, answer{503, unavailable, nil})
			c, w := client(t, srv, 0)
			requireAPIError(t, call(c), 503, junction.ErrServer, false)
			assert.Equal(t, 1, seen.count())
			assert.Empty(t, w.d)
			assert.Empty(t, seen.requests[0].Header.Get("X-Idempotency-Key"))
		})
	}
}

func TestIdempotencyKey(t *testing.T) {
	ctx := context.Background()
	orderBody := `{"order":{"id":"o-1"},"status":"success","message":"Order created successfully"}`
	srv, seen := script(t, answer{500, unavailable, nil}, answer{429, `{"detail":"Too Many Requests"}`, nil}, answer{200, orderBody, nil})
	n := 0
	c, _ := client(t, srv, 0, junction.WithIdempotencyKeys(func() string { n++; return "key-" + strconv.Itoa(n) }))
	placed, err := c.CreateOrder(ctx, newOrderRequest(""))
	require.NoError(t, err)
	assert.Equal(t, "o-1", placed.Order.ID)
	require.Equal(t, 3, seen.count())
	for i, r := range seen.requests {
		assert.Equal(t, "key-1", r.Header.Get("X-Idempotency-Key"), "attempt %d", i+1)
		assert.Equal(t, seen.bodies[0], seen.bodies[i], "attempt %d", i+1)
	}
	assert.Contains(t, seen.bodies[0], `"zip":"85004"`)

	// A key given replaces the client's; a book with one is retried.
	srv, seen = script(t, answer{503, unavailable, nil}, answer{200, apptBody, nil})
	c, _ = client(t, srv, 0)
	a, err := c.Book(ctx, "o-1", junction.BookRequest{BookingKey: "k"}, junction.WithIdempotencyKey("mine"))
	require.NoError(t, err)
	assert.Equal(t, "a-1", a.ID)
	require.Equal(t, 2, seen.count())
	assert.Equal(t, "mine", seen.requests[1].Header.Get("X-Idempotency-Key"))

	// The default keys are random version-4 UUIDs, one per call.
	srv, seen = script(t, answer{200, orderBody, nil})
	c, err = junction.New(apiKey, junction.WithBaseURL(srv.URL), junction.WithIdempotencyKeys(nil))
	require.NoError(t, err)
	for range 2 {
		_, err = c.CreateOrder(ctx, newOrderRequest(""), nil)
		require.NoError(t, err)
	}
	k1, k2 := seen.requests[0].Header.Get("X-Idempotency-Key"), seen.requests[1].Header.Get("X-Idempotency-Key")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, k1)
	assert.NotEqual(t, k1, k2)
}

func TestHeaders(t *testing.T) {
	srv, seen := script(t, answer{200, apptBody, nil})
	c, _ := client(t, srv, 0, junction.WithUserAgent(" booking/2.1 "))
	_, err := c.Book(context.Background(), "o/1 x", junction.BookRequest{BookingKey: "k"})
	require.NoError(t, err)
	r := seen.requests[0]
	assert.Equal(t, apiKey, r.Header.Get("X-Vital-Api-Key"))
	assert.Equal(t, "booking/2.1 "+junction.UserAgent, r.Header.Get("User-Agent"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/v3/order/o%2F1%20x/phlebotomy/appointment/book", r.URL.EscapedPath())
	assert.JSONEq(t, `{"booking_key":"k"}`, seen.bodies[0])

	srv, seen = script(t, answer{200, `{"zip_code":"85004","phlebotomy":{"is_served":false,"providers":[]}}`, nil})
	c, _ = client(t, srv, 0, junction.WithUserAgent(""))
	_, err = c.AreaInfo(context.Background(), provider.AreaQuery{ZipCode: "85004", Radius: 50})
	require.NoError(t, err)
	r = seen.requests[0]
	assert.Equal(t, junction.UserAgent, r.Header.Get("User-Agent"))
	assert.Empty(t, r.Header.Get("Content-Type"))
	assert.Equal(t, "/v3/order/area/info", r.URL.Path)
	assert.Equal(t, "radius=50&zip_code=85004", r.URL.RawQuery)
	assert.Empty(t, seen.bodies[0])

	// A base URL with a path prefixes the endpoints.
	c, _ = client(t, srv, 0, junction.WithBaseURL(srv.URL+"/junction/"))
	_, _ = c.CancellationReasons(context.Background())
	assert.Equal(t, "/junction/v3/order/phlebotomy/appointment/cancellation-reasons", seen.requests[1].URL.Path)
	assert.Equal(t, http.MethodGet, seen.requests[1].Method)
}

// TestSecretNotEchoed checks that no error holds the API key, even when
// the server sends it back.
func TestSecretNotEchoed(t *testing.T) {
	srv, _ := script(t, answer{401, `{"detail":"Invalid API key"}`, nil})
	c, _ := client(t, srv, 0)
	_, err := c.Order(context.Background(), "o-1")
	ae := requireAPIError(t, err, 401, junction.ErrUnauthorized, false)
	assert.Equal(t, "Invalid API key", ae.Detail.Message)
	assert.NotContains(t, err.Error(), apiKey)

	srv, _ = script(t, answer{500, `<html>` + apiKey + `</html>`, nil})
	c, _ = client(t, srv, 0, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 1}))
	_, err = c.Order(context.Background(), "o-1")
	requireAPIError(t, err, 500, junction.ErrServer, false)
	assert.NotContains(t, err.Error(), apiKey)
	assert.Equal(t, "junction: get order: 500 Internal Server Error", err.Error())
}

func TestTransportErrors(t *testing.T) {
	// The connection is dropped twice, then the answer comes.
	var n int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		if k <= 2 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		_, _ = io.WriteString(w, apptBody)
	}))
	t.Cleanup(srv.Close)
	c, w := client(t, srv, 0)
	_, err := c.Appointment(context.Background(), "o-1")
	require.NoError(t, err)
	assert.Len(t, w.d, 2)

	// A book is not retried: the drop is a *RequestError.
	mu.Lock()
	n = 0
	mu.Unlock()
	_, err = c.Book(context.Background(), "o-1", junction.BookRequest{BookingKey: "k"})
	var re *junction.RequestError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, junction.ErrTransport)
	assert.Equal(t, 1, re.Attempts)
	assert.Equal(t, "book", re.Op)
	assert.True(t, strings.HasPrefix(err.Error(), "junction: book: no answer: "), err.Error())

	// Nothing listens.
	srv.Close()
	c, w = client(t, srv, 0, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 3}))
	_, err = c.Appointment(context.Background(), "o-1")
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Attempts)
	assert.Len(t, w.d, 2)
}

func TestCancellation(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	t.Cleanup(func() { close(block); srv.Close() })
	c, w := client(t, srv, 0)

	// A deadline that passes during a call.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Appointment(ctx, "o-1")
	assert.ErrorIs(t, err, junction.ErrTransport)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Empty(t, w.d, "a call whose context ended is not retried")

	// A context already cancelled sends nothing.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = c.Appointment(ctx, "o-1")
	var re *junction.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 0, re.Attempts)
	assert.ErrorIs(t, err, context.Canceled)

	//lint:ignore SA1012 a nil context is refused, not a panic
	_, err = c.Appointment(nil, "o-1") //nolint:staticcheck
	assert.ErrorIs(t, err, junction.ErrTransport)
}

func TestCancelledWhileWaiting(t *testing.T) {
	srv, seen := script(t, answer{429, `{"detail":"Too Many Requests"}`, map[string]string{"Retry-After": "5"}})
	ctx, cancel := context.WithCancel(context.Background())
	c, err := junction.New(apiKey, junction.WithBaseURL(srv.URL), junction.WithSleep(func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}))
	require.NoError(t, err)
	_, err = c.Appointment(ctx, "o-1")
	assert.ErrorIs(t, err, junction.ErrTransport)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, junction.ErrRateLimited, "the last answer is kept")
	assert.Equal(t, 1, seen.count())
	assert.Contains(t, err.Error(), "(after get appointment: 429 Too Many Requests: Too Many Requests)")

	// The default sleep ends with the context.
	// The context ends once the first answer has been read, however long
	// that took, so the client is waiting out Retry-After when it ends.
	srv, _ = script(t, answer{503, unavailable, map[string]string{"Retry-After": "3600"}})
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil {
			resp.Body = closeHook{resp.Body, cancel}
		}
		return resp, err
	})}
	c, err = junction.New(apiKey, junction.WithBaseURL(srv.URL), junction.WithSleep(nil), junction.WithHTTPClient(hc),
		junction.WithRetryPolicy(junction.RetryPolicy{MaxElapsed: 2 * time.Hour}))
	require.NoError(t, err)
	_, err = c.Appointment(ctx, "o-1")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, junction.ErrServer)
}

// closeHook calls done once the body it wraps is closed.
type closeHook struct {
	io.ReadCloser
	done func()
}

func (h closeHook) Close() error {
	err := h.ReadCloser.Close()
	h.done()
	return err
}

func TestDefaultSleepWaits(t *testing.T) {
	srv, seen := script(t, answer{503, unavailable, map[string]string{"Retry-After": "0"}}, answer{200, apptBody, nil})
	c, err := junction.New(apiKey, junction.WithBaseURL(srv.URL), junction.WithRetryPolicy(junction.RetryPolicy{BaseDelay: time.Millisecond}),
		junction.WithJitter(nil), junction.WithClock(nil), junction.WithHTTPClient(nil))
	require.NoError(t, err)
	_, err = c.Appointment(context.Background(), "o-1")
	require.NoError(t, err)
	assert.Equal(t, 2, seen.count())
}

func TestMalformedAnswers(t *testing.T) {
	ctx := context.Background()
	srv, _ := script(t, answer{200, `{"id": 5}`, nil})
	c, _ := client(t, srv, 0)
	_, err := c.Appointment(ctx, "o-1")
	var de *junction.DecodeError
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, junction.ErrMalformed)
	assert.Equal(t, "get appointment", de.Op)
	assert.Equal(t, 200, de.StatusCode)
	assert.Equal(t, "/id", de.Path)

	srv, seen := script(t, answer{200, `[` + strings.Repeat(reasonsBody[1:len(reasonsBody)-1]+",", 20) + `{}]`, nil})
	c, _ = client(t, srv, 0, junction.WithMaxResponseBytes(512))
	_, err = c.CancellationReasons(ctx)
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "junction: cancellation reasons: decode 200 answer: answer larger than 512 bytes", err.Error())
	assert.Equal(t, 1, seen.count(), "a body too large is not retried")

	// An error body that is not Junction's keeps no detail.
	srv, _ = script(t, answer{404, `Not Found`, nil})
	c, _ = client(t, srv, 0)
	_, err = c.Order(ctx, "o-1")
	ae := requireAPIError(t, err, 404, junction.ErrNotFound, false)
	assert.Equal(t, junction.Detail{}, ae.Detail)

	// A success without a body to read is fine where none is read.
	srv, _ = script(t, answer{200, `not json`, nil})
	c, _ = client(t, srv, 0)
	require.NoError(t, c.Simulate(ctx, "o-1", junction.SimulateRequest{}))
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		key  string
		opt  junction.Option
		want string
	}{
		{"no key", "", nil, "junction: invalid configuration: api key: empty"},
		{"key with a line break", "sk\n", nil, "junction: invalid configuration: api key: holds a line break"},
		{"relative URL", "k", junction.WithBaseURL("/v3"), "base URL"},
		{"ftp URL", "k", junction.WithBaseURL("ftp://example.com"), "base URL"},
		{"URL without host", "k", junction.WithBaseURL("https://"), "base URL"},
		{"URL with query", "k", junction.WithBaseURL("https://example.com?a=b"), "base URL"},
		{"URL with fragment", "k", junction.WithBaseURL("https://example.com#a"), "base URL"},
		{"URL with user", "k", junction.WithBaseURL("https://u:p@example.com"), "base URL"},
		{"URL unparsable", "k", junction.WithBaseURL("https://example.com/%zz"), "base URL"},
		{"user agent with a line break", "k", junction.WithUserAgent("a\r\nb"), "user agent"},
		{"negative attempts", "k", junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: -1}), "retry policy"},
		{"negative delay", "k", junction.WithRetryPolicy(junction.RetryPolicy{BaseDelay: -1}), "retry policy"},
		{"negative cap", "k", junction.WithRetryPolicy(junction.RetryPolicy{MaxDelay: -1}), "retry policy"},
		{"negative budget", "k", junction.WithRetryPolicy(junction.RetryPolicy{MaxElapsed: -1}), "retry policy"},
		{"no body", "k", junction.WithMaxResponseBytes(0), "max response bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := junction.New(tt.key, tt.opt)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, junction.ErrConfig)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	for _, base := range []string{junction.ProductionUS, junction.ProductionEU, junction.SandboxUS, junction.SandboxEU, "http://127.0.0.1:8080/"} {
		_, err := junction.New("k", junction.WithBaseURL(base))
		assert.NoError(t, err, base)
	}
}

// TestDefaultBaseURL checks that a client without WithBaseURL calls
// Junction's US production API.
func TestDefaultBaseURL(t *testing.T) {
	var host string
	hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		host = r.URL.Scheme + "://" + r.URL.Host
		return nil, errors.New("offline")
	})}
	c, err := junction.New("k", junction.WithHTTPClient(hc), junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.CancellationReasons(context.Background())
	assert.ErrorIs(t, err, junction.ErrTransport)
	assert.Equal(t, junction.ProductionUS, host)
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// failingBody fails on its first read.
type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("reset") }
func (failingBody) Close() error             { return nil }

func TestBodyReadFails(t *testing.T) {
	n := 0
	hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		n++
		return &http.Response{StatusCode: 200, Body: failingBody{}, Header: http.Header{}}, nil
	})}
	c, err := junction.New("k", junction.WithHTTPClient(hc), junction.WithSleep(noSleep))
	require.NoError(t, err)
	_, err = c.CancellationReasons(context.Background())
	assert.ErrorIs(t, err, junction.ErrTransport)
	assert.Equal(t, junction.DefaultRetryPolicy.MaxAttempts, n)
}
