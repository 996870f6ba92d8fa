package sandbox_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/webhook"
)

// capture is a webhook endpoint that records each request and answers
// with the status its answer function gives.
type capture struct {
	mu       sync.Mutex
	requests []captured
	answer   func(n int) int // the status of the n-th request, from 1
}

type captured struct {
	header http.Header
	body   []byte
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.requests = append(c.requests, captured{r.Header.Clone(), body})
	n := len(c.requests)
	c.mu.Unlock()
	status := http.StatusNoContent
	if c.answer != nil {
		status = c.answer(n)
	}
	w.WriteHeader(status)
}

func (c *capture) all() []captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

// newPlain starts a sandbox at t0 delivering to h, without a consumer.
func newPlain(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, *consumer) {
	t.Helper()
	srv, err := sandbox.NewServer(append([]sandbox.Option{sandbox.WithStart(t0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, &consumer{t: t, srv: srv, http: &http.Client{Timeout: 10 * time.Second, Transport: keyed{}}}
}

func TestRetrySchedule(t *testing.T) {
	rec := &capture{answer: func(int) int { return http.StatusInternalServerError }}
	srv, c := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret))
	c.placeOrder(phoenix, nil)
	if got := srv.Deliveries(); len(got) != 0 {
		t.Fatalf("delivered before Flush: %v", got)
	}
	srv.Flush()
	srv.Advance(4 * time.Second)
	if got := srv.Deliveries(); len(got) != 1 || got[0].Attempt != 1 || got[0].StatusCode != 500 || got[0].OK || got[0].Final {
		t.Fatalf("after the first attempt: %v", got)
	}
	srv.Advance(2 * 24 * time.Hour)
	log := srv.Deliveries()
	sched := sandbox.RetrySchedule()
	if len(log) != len(sched) || srv.Pending() != 0 {
		t.Fatalf("%d attempts, %d pending; want %d, 0", len(log), srv.Pending(), len(sched))
	}
	at := t0
	for i, d := range log {
		at = at.Add(sched[i])
		if d.Attempt != i+1 || !d.At.Equal(at) || d.Copy != 1 || d.Type != webhook.OrderCreated || d.Final != (i == 7) {
			t.Errorf("attempt %d = %v, want at %v", i+1, d, at)
		}
	}
	if !strings.HasSuffix(log[7].String(), "attempt 8: 500, given up") {
		t.Errorf("last attempt = %q", log[7].String())
	}
	want := []time.Duration{0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}
	if !slices.Equal(sched, want) {
		t.Errorf("RetrySchedule() = %v", sched)
	}
	sched[0] = time.Hour
	if sandbox.RetrySchedule()[0] != 0 {
		t.Error("RetrySchedule shares its array")
	}
	// Every attempt carries the same message id, signed at its own time.
	for i, r := range rec.all() {
		if r.header.Get(webhook.HeaderID) != log[i].MessageID ||
			r.header.Get(webhook.HeaderTimestamp) != strconv.FormatInt(log[i].At.Unix(), 10) {
			t.Errorf("attempt %d headers %v", i+1, r.header)
		}
		if err := testVerifier.Verify(r.header, r.body, log[i].At); err != nil {
			t.Errorf("attempt %d: %v", i+1, err)
		}
	}
}

func TestRetryUntilAnswered(t *testing.T) {
	rec := &capture{answer: func(n int) int {
		if n < 3 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	}}
	srv, c := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret))
	c.placeOrder(phoenix, nil)
	srv.Advance(time.Hour)
	log := srv.Deliveries()
	if len(log) != 3 || !log[2].OK || !log[2].Final || !log[2].At.Equal(t0.Add(5*time.Second+5*time.Minute)) {
		t.Fatalf("log = %v", log)
	}
}

func TestDeliveryToURL(t *testing.T) {
	rec := &capture{}
	hook := httptest.NewServer(rec)
	defer hook.Close()
	srv, c := newPlain(t, sandbox.WithWebhookURL(hook.URL+"/webhooks", testSecret))
	o := c.placeOrder(phoenix, nil)
	srv.Flush()
	got := rec.all()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	if err := testVerifier.Verify(got[0].header, got[0].body, t0); err != nil {
		t.Fatal(err)
	}
	e, err := webhook.Decode(got[0].body)
	if err != nil || e.Type != webhook.OrderCreated || e.Order.ID != o.ID || e.TeamID != sandbox.DefaultTeamID ||
		got[0].header.Get("Content-Type") != "application/json" {
		t.Fatalf("delivered %+v, %v", e, err)
	}

	// Nobody listens: the transport's error, and retries.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	srv2, c2 := newPlain(t, sandbox.WithWebhookURL(closed, testSecret))
	c2.placeOrder(phoenix, nil)
	srv2.Advance(10 * time.Second)
	log := srv2.Deliveries()
	if len(log) != 2 || log[0].StatusCode != 0 || log[0].Err == nil || log[0].OK || !strings.Contains(log[0].String(), "(") {
		t.Fatalf("log = %v", log)
	}
}

func TestDeliveryHandlerPanics(t *testing.T) {
	srv, c := newPlain(t, sandbox.WithWebhookHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}), testSecret))
	c.placeOrder(phoenix, nil)
	srv.Flush()
	log := srv.Deliveries()
	if len(log) != 1 || log[0].StatusCode != 500 || log[0].Err == nil || !strings.Contains(log[0].Err.Error(), "boom") {
		t.Fatalf("log = %v", log)
	}
}

func TestNoEndpoint(t *testing.T) {
	srv, c := newPlain(t)
	o := c.placeOrder(phoenix, nil)
	if err := srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	srv.Advance(time.Hour)
	if len(srv.Deliveries()) != 0 || srv.Pending() != 0 {
		t.Fatal("a server without an endpoint delivered")
	}
}

// TestReentrantAdvance calls the server from the webhook handler during a
// delivery: its API over HTTP, Now, Advance and Flush.
func TestReentrantAdvance(t *testing.T) {
	var srv *sandbox.Server
	var calls []time.Time
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := strings.CutPrefix(r.Header.Get(webhook.HeaderID), "msg_")
		id, _, _ = strings.Cut(id, "_")
		resp, err := apiClient.Get(srv.URL + "/v3/order/" + id)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET from the handler: %v %v", resp, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
		calls = append(calls, srv.Now())
		srv.Advance(time.Hour) // extends the run under way
		srv.Flush()
		w.WriteHeader(http.StatusNoContent)
	})
	srv, c := newPlain(t, sandbox.WithWebhookHandler(h, testSecret))
	c.placeOrder(phoenix, nil)
	srv.Flush()
	if len(calls) != 1 || !calls[0].Equal(t0) || !srv.Now().Equal(t0.Add(time.Hour)) {
		t.Fatalf("handler ran at %v; clock now %v", calls, srv.Now())
	}
}

// chaosRun places orders and drives them on a chaotic server with seed,
// and returns its delivery log.
func chaosRun(t *testing.T, seed uint64) []string {
	rec := &capture{answer: func(n int) int {
		if n%7 == 0 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	}}
	srv, c := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret), sandbox.WithChaos(seed))
	for range 4 {
		o := c.placeOrder(phoenix, nil)
		c.must(http.MethodPost, "/v3/order/"+o.ID+"/test?delay=30", nil)
		srv.Advance(time.Minute)
	}
	srv.Advance(2 * 24 * time.Hour)
	var out []string
	for _, d := range srv.Deliveries() {
		out = append(out, d.String())
	}
	if srv.Pending() != 0 {
		t.Fatalf("%d attempts still pending", srv.Pending())
	}
	return out
}

func TestChaosDeterministic(t *testing.T) {
	a, b, other := chaosRun(t, 7), chaosRun(t, 7), chaosRun(t, 8)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave different deliveries")
	}
	if slices.Equal(a, other) {
		t.Fatal("two seeds gave the same deliveries")
	}
	var dup, lost, late bool
	for _, line := range a {
		dup = dup || strings.Contains(line, "copy 2")
		lost = lost || strings.Contains(line, sandbox.ErrAnswerLost.Error())
	}
	for seed := range uint64(5) {
		rec := &capture{}
		srv, c := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret), sandbox.WithChaos(seed))
		c.placeOrder(phoenix, nil)
		srv.Advance(sandbox.ChaosMaxDelay)
		for _, d := range srv.Deliveries() {
			if d.At.Sub(t0) > sandbox.ChaosMaxDelay || d.At.Before(t0) {
				t.Fatalf("first attempt at %v", d.At)
			}
			late = late || d.At.After(t0)
		}
	}
	if !dup || !lost || !late {
		t.Fatalf("chaos made no duplicate (%v), lost no answer (%v) or delayed nothing (%v)", dup, lost, late)
	}
}

func TestOptions(t *testing.T) {
	bad := map[string]sandbox.Option{
		"start":          sandbox.WithStart(time.Time{}),
		"url scheme":     sandbox.WithWebhookURL("ftp://example.com", testSecret),
		"url":            sandbox.WithWebhookURL("://", testSecret),
		"url secret":     sandbox.WithWebhookURL("http://example.com", "whsec_!!"),
		"nil handler":    sandbox.WithWebhookHandler(nil, testSecret),
		"handler secret": sandbox.WithWebhookHandler(http.NotFoundHandler(), ""),
		"nil client":     sandbox.WithHTTPClient(nil),
		"ttl":            sandbox.WithBookingKeyTTL(0),
		"team":           sandbox.WithTeamID(""),
		"zip":            sandbox.WithAreas(sandbox.Area{ZipCode: "8500", TimeZone: "UTC"}),
		"provider":       sandbox.WithAreas(sandbox.Area{ZipCode: "85004", TimeZone: "UTC", Providers: []provider.Provider{0}}),
		"no zone":        sandbox.WithAreas(sandbox.Area{ZipCode: "85004"}),
		"local zone":     sandbox.WithAreas(sandbox.Area{ZipCode: "85004", TimeZone: "Local"}),
		"unknown zone":   sandbox.WithAreas(sandbox.Area{ZipCode: "85004", TimeZone: "Mars/Olympus_Mons"}),
		"same zip":       sandbox.WithAreas(sandbox.Area{ZipCode: "85004", TimeZone: "UTC"}, sandbox.Area{ZipCode: "85004", TimeZone: "UTC"}),
		"lab test":       sandbox.WithLabTests(sandbox.DefaultLabTests()[0], sandbox.DefaultLabTests()[0]),
	}
	for name, opt := range bad {
		_, err := sandbox.New(opt)
		var oe *sandbox.Error
		if !errors.Is(err, sandbox.ErrOption) || !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), "sandbox: invalid option: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := sandbox.New(sandbox.WithWebhookURL("http://example.com", "whsec_!!")); !errors.Is(err, webhook.ErrInvalidSecret) {
		t.Errorf("a bad secret does not wrap webhook.ErrInvalidSecret: %v", err)
	}
	srv, err := sandbox.New(sandbox.Option{}, sandbox.WithHTTPClient(http.DefaultClient), sandbox.WithTeamID("team-1"),
		sandbox.WithLabTests(sandbox.DefaultLabTests()[0]))
	if err != nil {
		t.Fatal(err)
	}
	// The options after the zero Option count.
	for _, tc := range []struct {
		labTest string
		status  int
		want    string
	}{{sandbox.LabTestAtHomePhlebotomy, http.StatusOK, `"team_id":"team-1"`}, {sandbox.LabTestWalkIn, 422, "lab test not found"}} {
		body, _ := json.Marshal(orderBody(phoenix, map[string]any{"lab_test_id": tc.labTest}))
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, newRequest(http.MethodPost, "/v3/order", bytes.NewReader(body)))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("lab test %s: %d %s", tc.labTest, rec.Code, rec.Body.String())
		}
	}
	if now := srv.Now(); now.IsZero() || now.Nanosecond() != 0 || now.Location() != time.UTC {
		t.Errorf("default start = %v", now)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); !errors.Is(err, sandbox.ErrServer) {
		t.Errorf("second Start: %v", err)
	}
	srv.Close()
	srv.Close()
	if err := srv.Start(); !errors.Is(err, sandbox.ErrServer) || err.Error() != "sandbox: cannot serve: Start: already started or closed" {
		t.Errorf("Start after Close: %v", err)
	}
}

func TestErrorMessages(t *testing.T) {
	cause := errors.New("cause")
	for _, tc := range []struct {
		err      error
		msg      string
		sentinel error
	}{
		{&sandbox.Error{Op: "WithX", Problem: "bad", Err: sandbox.ErrOption}, "sandbox: invalid option: WithX: bad", sandbox.ErrOption},
		{&sandbox.Error{Op: "WithX", Problem: "bad", Err: sandbox.ErrOption, Cause: cause}, "sandbox: invalid option: WithX: bad: cause", cause},
		{&sandbox.Error{Op: "Order", OrderID: "o", Err: sandbox.ErrUnknownOrder}, `sandbox: unknown order: Order "o"`, sandbox.ErrUnknownOrder},
		{&sandbox.Error{Op: "Apply", OrderID: "o", Err: sandbox.ErrRefused}, `sandbox: refused: Apply "o"`, sandbox.ErrRefused},
		{&sandbox.Error{Op: "Apply", OrderID: "o", Err: sandbox.ErrRefused, Cause: cause}, `sandbox: refused: Apply "o": cause`, cause},
		{&sandbox.Error{Op: "Start", Problem: "p", Err: sandbox.ErrServer}, "sandbox: cannot serve: Start: p", sandbox.ErrServer},
		{&sandbox.Error{Op: "Start", Problem: "p", Err: sandbox.ErrServer, Cause: cause}, "sandbox: cannot serve: Start: p: cause", cause},
		{&sandbox.Error{Op: "X"}, "sandbox: X", nil},
	} {
		if tc.err.Error() != tc.msg || tc.sentinel != nil && !errors.Is(tc.err, tc.sentinel) ||
			tc.sentinel == nil && len(tc.err.(interface{ Unwrap() []error }).Unwrap()) != 0 {
			t.Errorf("%q, want %q wrapping %v", tc.err.Error(), tc.msg, tc.sentinel)
		}
	}
}

// TestDeliveryOrderWithoutChaos checks that without chaos the events of
// several changes arrive in the order they were sent, attempts due at the
// same instant in the order they were scheduled.
func TestDeliveryOrderWithoutChaos(t *testing.T) {
	rec := &capture{}
	srv, c := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret))
	o := c.placeOrder(phoenix, nil)
	c.must(http.MethodPost, "/v3/order/"+o.ID+"/test", nil)
	srv.Flush()
	var ids []int64
	for _, r := range rec.all() {
		e, err := webhook.Decode(r.body)
		if err != nil {
			t.Fatal(err)
		}
		if e.Type.IsOrder() {
			ids = append(ids, e.Order.LastEvent.ID)
		}
	}
	if !slices.IsSorted(ids) || len(ids) != 6 {
		t.Fatalf("order events arrived as %v", ids)
	}
	if !bytes.Contains(rec.all()[0].body, []byte(`"event_type":"labtest.order.created"`)) {
		t.Fatal("first delivery is not labtest.order.created")
	}
}

// TestCloseStopsDeliveries checks that webhooks still due when the server
// closes are never delivered, even when virtual time passes afterwards, and
// that changes made after Close send none either.
func TestCloseStopsDeliveries(t *testing.T) {
	rec := &capture{answer: func(int) int { return http.StatusInternalServerError }}
	srv, c := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret))
	o := c.placeOrder(phoenix, nil)
	srv.Flush() // one failed attempt, a retry scheduled
	if n := len(rec.all()); n != 1 {
		t.Fatalf("%d attempts before Close, want 1", n)
	}
	srv.Close()
	if err := srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	srv.Advance(48 * time.Hour)
	if n := len(rec.all()); n != 1 {
		t.Errorf("%d attempts after Close, want still 1", n)
	}
	if n := srv.Pending(); n != 0 {
		t.Errorf("Pending() = %d after Close, want 0", n)
	}
	if got := srv.Now(); !got.Equal(t0.Add(48 * time.Hour)) {
		t.Errorf("Now() = %v after Advance, want the clock moved", got)
	}
}

// testVerifier verifies deliveries signed with testSecret.
var testVerifier = func() *webhook.Verifier {
	v, err := webhook.NewVerifier(testSecret)
	if err != nil {
		panic(err)
	}
	return v
}()
