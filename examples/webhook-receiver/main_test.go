package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

var update = flag.Bool("update", false, "rewrite testdata/changes.golden")

// secret is the endpoint's signing secret in these tests: the one of
// Svix's published test vector.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// Fixed instants: the lifecycle starts on monday; every delivery is sent,
// and verified, at deliveredAt, a week later, as when Junction's retries
// reach an endpoint that was down, all together and in any order.
var (
	monday      = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	deliveredAt = hours(170)
)

func hours(h float64) time.Time { return monday.Add(time.Duration(h * float64(time.Hour))) }

var address = order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"}

// lifecycle returns the events Junction sends for one order, in the order
// it sends them: the order is placed, its requisition created, an
// appointment booked, rescheduled and cancelled, another booked, the
// visit started, the blood drawn, and the results completed.
func lifecycle(t testing.TB) []webhook.Event {
	t.Helper()
	o, events, err := scheduling.Place(scheduling.PlaceOrder{
		ID: "ord-1", TeamID: "team-1", ClientUserID: "client-1", UserID: "user-1",
		Patient: order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}}, Address: address,
	}, hours(0))
	require.NoError(t, err)
	type command = func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error)
	for _, s := range []struct {
		what string
		do   command
	}{
		{"the lab accepts the requisition", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CreateRequisition(hours(1))
		}},
		{"the patient books Wednesday afternoon", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(53), End: hours(55)}, hours(2))
		}},
		{"moves it to Thursday", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Reschedule(hours(77), hours(79), "", hours(24))
		}},
		{"cancels it", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CancelAppointment(hours(26))
		}},
		{"books Friday morning", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(97), End: hours(99)}, hours(27))
		}},
		{"the phlebotomist is on the way", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.StartVisit(hours(96.5))
		}},
		{"the blood is drawn", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteDraw(hours(97.5))
		}},
		{"the results are complete", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteResults(hours(168))
		}},
	} {
		next, more, err := s.do(o)
		require.NoError(t, err, s.what)
		require.NotEmpty(t, more, s.what)
		o, events = next, append(events, more...)
	}
	return eventsOf(events)
}

// eventsOf returns the events of the webhooks hooks, as the receiver gets
// them.
func eventsOf(hooks []scheduling.Webhook) []webhook.Event {
	out := make([]webhook.Event, len(hooks))
	for i, w := range hooks {
		out[i] = w.Event()
	}
	return out
}

// delivery is one message as Junction sends it: its id and body.
type delivery struct {
	id   string
	body []byte
}

// deliveries encodes events as Junction's bodies.
func deliveries(t testing.TB, events []webhook.Event) []delivery {
	t.Helper()
	ds := make([]delivery, len(events))
	seen := map[string]bool{}
	for i, e := range events {
		body, err := e.MarshalJSON()
		require.NoError(t, err, "MarshalJSON(%v)", e)
		require.NotEmpty(t, e.ID, "event %v has no message id", e)
		require.False(t, seen[e.ID], "message id %s is not unique", e.ID)
		seen[e.ID] = true
		ds[i] = delivery{id: e.ID, body: body}
	}
	return ds
}

// shuffled returns ds with about a third of them twice, all in an order
// seed decides.
func shuffled(ds []delivery, seed uint64) []delivery {
	rng := rand.New(rand.NewPCG(seed, 0))
	out := slices.Clone(ds)
	for _, d := range ds {
		if rng.IntN(3) == 0 {
			out = append(out, d)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the lines written so far.
func (b *lockedBuffer) lines() []string {
	s := b.String()
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// testReceiver is the receiver behind a test HTTP server, on a SQLite
// file of its own, with a fixed clock, its dispatcher running, its output
// and its log.
type testReceiver struct {
	url       string
	h         http.Handler
	r         *receiver
	out, logs *lockedBuffer
}

// newReceiver returns a receiver on a new SQLite file in the outbox mode,
// or in the in-transaction mode when tx is set.
func newReceiver(t *testing.T, tx bool) *testReceiver {
	t.Helper()
	return newReceiverOn(t, filepath.Join(t.TempDir(), "receiver.db"), tx, func() time.Time { return deliveredAt })
}

// newReceiverOn returns a receiver on database, verifying deliveries at
// the time now gives.
func newReceiverOn(t *testing.T, database string, tx bool, now func() time.Time) *testReceiver {
	t.Helper()
	db, err := openDatabase(t.Context(), database)
	require.NoError(t, err)
	tr := &testReceiver{out: &lockedBuffer{}, logs: &lockedBuffer{}}
	logger := slog.New(slog.NewJSONHandler(tr.logs, nil))
	st, err := openStore(t.Context(), db, tx, time.Minute, tracksql.WithLogger(logger))
	require.NoError(t, err)
	tr.r = &receiver{db: db, store: st, out: tr.out, log: logger, tx: tx}
	h, err := tr.r.handler(secret, now)
	require.NoError(t, err)
	tr.h = h
	srv := httptest.NewServer(h)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tr.r.dispatch(ctx) }()
	t.Cleanup(func() {
		srv.Close()
		cancel()
		assert.NoError(t, <-done)
		assert.NoError(t, db.Close())
	})
	tr.url = srv.URL + path
	return tr
}

// lines returns the lines the handler printed once every change recorded
// has been handed to it, without their keys.
func (r *testReceiver) lines(t *testing.T) []string {
	t.Helper()
	r.settle(t)
	return withoutKeys(t, r.out.lines())
}

// settle waits until every change recorded has been handed to the handler.
func (r *testReceiver) settle(t *testing.T) {
	t.Helper()
	waitDone(t, r.r.db)
}

// waitDone waits until every change recorded in db is done: handed to
// the handler, which accepted it.
func waitDone(t *testing.T, db *sql.DB) {
	t.Helper()
	for {
		var n int
		require.NoError(t, db.QueryRowContext(t.Context(), "SELECT count(*) FROM phlebkit_changes WHERE done_at IS NULL").Scan(&n))
		if n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// withoutKeys returns lines without the key each ends with.
func withoutKeys(t testing.TB, lines []string) []string {
	t.Helper()
	out := make([]string, len(lines))
	for i, l := range lines {
		line, _, ok := strings.Cut(l, " key=")
		require.True(t, ok, "line %q has no key", l)
		out[i] = line
	}
	return out
}

// post sends body with the headers h and returns the status.
func (r *testReceiver) post(t testing.TB, h http.Header, body []byte) int {
	t.Helper()
	return send(t, http.MethodPost, r.url, h, body)
}

func send(t testing.TB, method, url string, h http.Header, body []byte) int {
	t.Helper()
	status, err := request(method, url, h, body)
	require.NoError(t, err)
	return status
}

// request sends body to url with the headers h and returns the status.
func request(method, url string, h http.Header, body []byte) (int, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, errors.Join(err, resp.Body.Close())
}

// signed returns the headers of a delivery of body with message id id,
// sent at at.
func signed(t testing.TB, id string, at time.Time, body []byte) http.Header {
	t.Helper()
	h, err := webhook.Sign(secret, id, at, body)
	require.NoError(t, err)
	return h
}

// deliver sends each delivery in turn, signed at deliveredAt, and checks
// that each is acknowledged.
func (r *testReceiver) deliver(t testing.TB, ds []delivery) {
	t.Helper()
	for _, d := range ds {
		status := r.post(t, signed(t, d.id, deliveredAt, d.body), d.body)
		require.Equal(t, http.StatusNoContent, status, "delivery %s: status %d; log:\n%s", d.id, status, r.logs)
	}
}

// inOrder returns what the receiver prints when every event arrives once,
// in the order Junction sends them.
func inOrder(t *testing.T, ds []delivery) []string {
	t.Helper()
	r := newReceiver(t, false)
	r.deliver(t, ds)
	return r.lines(t)
}

// TestGolden delivers the lifecycle shuffled, with duplicates, and checks
// the lines printed against testdata/changes.golden (run go test -update
// to rewrite it) and against what delivery in order prints: the same
// lines, each order's and each appointment's steps in the same order.
func TestGolden(t *testing.T) {
	ds := deliveries(t, lifecycle(t))
	r := newReceiver(t, false)
	r.deliver(t, shuffled(ds, 1))
	got := r.lines(t)
	printed := strings.Join(got, "\n") + "\n"

	golden := filepath.Join("testdata", "changes.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(printed), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), printed, "output differs from %s (run go test -update to accept)", golden)

	sameChanges(t, got, inOrder(t, ds))
	assert.NotContains(t, r.logs.String(), `"level":"WARN"`, "nothing refused")
	assert.NotContains(t, r.logs.String(), `"msg":"ignored"`, "nothing ignored")
	for _, private := range []string{secret, "1990-06-15", address.FirstLine, "Phoenix"} {
		assert.NotContains(t, r.logs.String(), private, "the log holds no secret and nothing of a body")
	}
	assert.Contains(t, r.logs.String(), `"msg":"recorded","msg_id":"`+ds[0].id+`","order_id":"ord-1","type":"labtest.order.created","changes":1`)
}

// TestInOrder checks what delivery in order prints: each order step and
// appointment step in lifecycle order, and the changes a newcomer expects
// to see.
func TestInOrder(t *testing.T) {
	got := inOrder(t, deliveries(t, lifecycle(t)))
	for _, want := range []string{
		"ord-1 2026-11-23T09:00:00Z order ord-1 #1 created ordered",
		"ord-1 2026-11-23T10:00:00Z order ord-1 #2 ordered -> requisition_created",
		"ord-1 2026-11-24T09:00:00Z appointment ord-1-a1 confirmed rescheduled",
		"ord-1 2026-11-24T09:00:00Z appointment ord-1-a1 moved from 2026-11-25T14:00:00Z/2026-11-25T16:00:00Z to 2026-11-26T14:00:00Z/2026-11-26T16:00:00Z",
		"ord-1 2026-11-24T11:00:00Z appointment ord-1-a1 confirmed -> cancelled",
		"ord-1 2026-11-24T12:00:00Z appointment ord-1-a2 created pending",
		"ord-1 2026-11-27T09:30:00Z appointment ord-1-a2 confirmed -> in_progress",
		"ord-1 2026-11-30T09:00:00Z order ord-1 #10 draw_completed -> completed",
	} {
		assert.Contains(t, got, want)
	}
	var active []string
	for _, l := range got {
		if strings.Contains(l, " active appointment ") {
			active = append(active, l)
		}
	}
	assert.Len(t, active, 2, "the first appointment, then its replacement: %q", active)
	for i := 1; i < len(got); i++ {
		assert.LessOrEqual(t, stamp(t, got[i-1]), stamp(t, got[i]), "in order, the changes come in time order: %q, then %q", got[i-1], got[i])
	}
}

// stamp returns the time a printed line starts with, after the order id.
func stamp(t *testing.T, line string) string {
	t.Helper()
	f := strings.Fields(line)
	require.GreaterOrEqual(t, len(f), 2, "line %q", line)
	return f[1]
}

// TestShuffles delivers the lifecycle in many orders, with duplicates:
// each prints the same lines as delivery in order. -receiver.seeds sets
// how many orders.
func TestShuffles(t *testing.T) {
	ds := deliveries(t, lifecycle(t))
	want := inOrder(t, ds)
	for seed := range uint64(*sandboxSeeds) {
		r := newReceiver(t, false)
		r.deliver(t, shuffled(ds, seed))
		if !sameChanges(t, r.lines(t), want) {
			t.Fatalf("seed %d", seed)
		}
	}
}

// TestConcurrent delivers the lifecycle from several goroutines at once,
// each event twice: the store's compare-and-swap keeps each change printed
// once.
func TestConcurrent(t *testing.T) {
	ds := deliveries(t, lifecycle(t))
	want := inOrder(t, ds)
	r := newReceiver(t, false)
	all := shuffled(append(slices.Clone(ds), ds...), 7)
	headers := make([]http.Header, len(all))
	for i, d := range all {
		headers[i] = signed(t, d.id, deliveredAt, d.body)
	}
	var wg sync.WaitGroup
	const workers = 4
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(all); i += workers {
				status, err := request(http.MethodPost, r.url, headers[i], all[i].body)
				if err != nil || status != http.StatusNoContent {
					t.Errorf("delivery %s: status %d, error %v", all[i].id, status, err)
				}
			}
		})
	}
	wg.Wait()
	assert.ElementsMatch(t, want, r.lines(t))
}

// sameChanges checks that got and want hold the same lines, and the steps
// of each order and each appointment in the same order; it reports whether
// they do.
func sameChanges(t *testing.T, got, want []string) bool {
	t.Helper()
	ok := assert.ElementsMatch(t, want, got, "the same changes, each once")
	return assert.Equal(t, steps(t, want), steps(t, got), "the steps of each order and appointment in lifecycle order") && ok
}

// steps returns the lines of order and appointment steps, by the order or
// appointment they are of: "order ord-1" or "appointment ord-1-a1". A line
// is "<order id> <time> order <id> #<n> …" or "<order id> <time>
// appointment <id> …"; the lines of an active appointment changing, a
// reschedule's slots or an auto-cancellation are left out, as they are
// printed once both snapshots they compare have arrived.
func steps(t *testing.T, lines []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		require.GreaterOrEqual(t, len(f), 6, "line %q", l)
		switch f[2] {
		case "order":
			if f[5] == "active" {
				continue
			}
		case "appointment":
			if f[4] == "moved" || f[4] == "auto-cancelled" {
				continue
			}
		default:
			t.Fatalf("line %q is neither an order's nor an appointment's", l)
		}
		key := f[2] + " " + f[3]
		out[key] = append(out[key], l)
	}
	return out
}

// TestUnverified sends deliveries Junction did not sign: each is answered
// 401 and prints nothing, and the real delivery is still recorded after.
func TestUnverified(t *testing.T) {
	d := deliveries(t, lifecycle(t))[0]
	r := newReceiver(t, false)
	other, err := webhook.Sign("whsec_"+"c2VjcmV0IG9mIGFub3RoZXIgZW5kcG9pbnQ=", d.id, deliveredAt, d.body)
	require.NoError(t, err)
	tampered := bytes.Replace(d.body, []byte(`"ord-1"`), []byte(`"ord-9"`), 1)
	require.NotEqual(t, string(d.body), string(tampered))
	otherID := signed(t, d.id+"x", deliveredAt, d.body)
	otherID.Set(webhook.HeaderID, d.id)
	for _, c := range []struct {
		name string
		h    http.Header
		body []byte
	}{
		{"another secret", other, d.body},
		{"body changed", signed(t, d.id, deliveredAt, d.body), tampered},
		{"another message id", otherID, d.body},
		{"sent too long ago", signed(t, d.id, deliveredAt.Add(-webhook.Tolerance-time.Second), d.body), d.body},
		{"no headers", nil, d.body},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, http.StatusUnauthorized, r.post(t, c.h, c.body))
			assert.Empty(t, r.lines(t))
		})
	}
	assert.Contains(t, r.logs.String(), `"msg":"rejected","status":401,"method":"POST","path":"`+path+`"`)

	r.deliver(t, []delivery{d})
	assert.Equal(t, []string{"ord-1 2026-11-23T09:00:00Z order ord-1 #1 created ordered"}, r.lines(t))
}

// TestNotOurs sends signed events that are not about at-home phlebotomy:
// each is acknowledged, so that Junction does not send it again, and
// prints nothing.
func TestNotOurs(t *testing.T) {
	r := newReceiver(t, false)
	for i, body := range []string{
		`{"event_type":"daily.data.sleep.created","data":{"user_id":"user-1","date":"2026-11-23"},"user_id":"user-1","client_user_id":"client-1","team_id":"team-1"}`,
		`{"event_type":"labtest.result.critical","data":{"order_id":"ord-1"},"user_id":"user-1","client_user_id":"client-1","team_id":"team-1"}`,
		`{"event_type":"labtest.order.created","data":{"id":"ord-2","details":{"type":"walk_in_test","data":{}},"events":[]},"user_id":"user-1","client_user_id":"client-1","team_id":"team-1"}`,
	} {
		id := fmt.Sprintf("msg_other_%d", i)
		assert.Equal(t, http.StatusNoContent, r.post(t, signed(t, id, deliveredAt, []byte(body)), []byte(body)), body)
		assert.Contains(t, r.logs.String(), `"msg":"ignored","msg_id":"`+id+`"`)
	}
	assert.Empty(t, r.lines(t))
}

// TestRequest sends requests that are not deliveries at all.
func TestRequest(t *testing.T) {
	d := deliveries(t, lifecycle(t))[0]
	r := newReceiver(t, false)
	h := signed(t, d.id, deliveredAt, d.body)
	assert.Equal(t, http.StatusMethodNotAllowed, send(t, http.MethodGet, r.url, h, nil))
	assert.Equal(t, http.StatusNotFound, send(t, http.MethodPost, strings.TrimSuffix(r.url, path)+"/other", h, d.body))
	malformed := []byte(`{"event_type":"labtest.order.created","data":{"id":7}}`)
	assert.Equal(t, http.StatusBadRequest, r.post(t, signed(t, "msg_bad", deliveredAt, malformed), malformed))
	assert.Empty(t, r.lines(t))
}

// TestNotRecorded sends an order event whose history contradicts the one
// recorded: it is acknowledged, since delivering it again would not help,
// logged, and prints nothing.
func TestNotRecorded(t *testing.T) {
	events := lifecycle(t)
	first, second := events[0], events[1]
	require.Equal(t, webhook.OrderUpdated, second.Type)
	other := second
	other.Order = new(*second.Order) // the flow's snapshot is read-only
	other.Order.History = slices.Clone(second.Order.History)
	other.Order.History[1].Status = order.Cancelled
	other.ID = "msg_other"

	r := newReceiver(t, false)
	r.deliver(t, deliveries(t, []webhook.Event{first, second}))
	printed := r.lines(t)
	r.deliver(t, deliveries(t, []webhook.Event{other}))
	assert.Equal(t, printed, r.lines(t), "nothing more printed")
	assert.Contains(t, r.logs.String(), `"msg":"not recorded","msg_id":"msg_other","order_id":"ord-1"`)
	assert.Contains(t, r.logs.String(), track.ErrConflict.Error())
}

// TestHandlerSecret checks that a secret that cannot be used is refused.
func TestHandlerSecret(t *testing.T) {
	for _, sec := range []string{"", "whsec_", "whsec_not base64!"} {
		r := &receiver{log: slog.New(slog.DiscardHandler)}
		_, err := r.handler(sec, nil)
		assert.ErrorIs(t, err, webhook.ErrInvalidSecret, "handler(%q)", sec)
	}
}

// TestRunRefuses checks what run refuses before it listens.
func TestRunRefuses(t *testing.T) {
	env := func(s string) func(string) string {
		return func(name string) string {
			if name == secretVar {
				return s
			}
			return ""
		}
	}
	for _, c := range []struct {
		name   string
		args   []string
		secret string
		want   string
		is     error
	}{
		{name: "no secret", args: []string{"-addr", "127.0.0.1:0"}, want: secretVar + " is not set"},
		{name: "bad secret", args: []string{"-addr", "127.0.0.1:0"}, secret: "whsec_!", want: secretVar + ": webhook: invalid secret", is: webhook.ErrInvalidSecret},
		{name: "unknown flag", args: []string{"-port", "80"}, secret: secret, want: "flag provided but not defined: -port"},
		{name: "argument", args: []string{"serve"}, secret: secret, want: `unexpected argument "serve"`},
		{name: "bad address", args: []string{"-addr", "127.0.0.1:http-alt-x"}, secret: secret, want: "listen tcp"},
		{name: "no lease", args: []string{"-lease", "0s"}, secret: secret, want: "-lease and -keep must be positive"},
		{name: "bad database", args: []string{"-db", "postgres://127.0.0.1:1/none?connect_timeout=1"}, secret: secret, want: "database: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"-db", filepath.Join(t.TempDir(), "r.db")}, c.args...)
			err := run(t.Context(), args, env(c.secret), &stdout, &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			if c.is != nil {
				assert.ErrorIs(t, err, c.is)
			}
			assert.Empty(t, stdout.String())
		})
	}

	var stderr bytes.Buffer
	require.NoError(t, run(t.Context(), []string{"-h"}, env(""), io.Discard, &stderr), "-h")
	assert.Contains(t, stderr.String(), "usage: "+secretVar+"=whsec_... webhook-receiver")
}

// TestRun runs the program's run function on a free port: it serves a
// signed delivery, prints its change, and returns nil once its context is
// cancelled.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdout := &lockedBuffer{}
	stderr, lines := logLines(t)
	getenv := func(name string) string {
		if name == secretVar {
			return secret
		}
		return ""
	}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "r.db")}, getenv, stdout, stderr)
		_ = stderr.Close()
	}()

	url := listeningURL(t, lines)
	d := deliveries(t, lifecycle(t))[0]
	now := time.Now() // the program verifies with the system clock
	assert.Equal(t, http.StatusNoContent, send(t, http.MethodPost, url, signed(t, d.id, now, d.body), d.body))
	assert.Equal(t, http.StatusOK, send(t, http.MethodGet, strings.TrimSuffix(url, path)+healthPath, nil, nil))

	cancel()
	require.NoError(t, <-done)
	assert.Equal(t, []string{"ord-1 2026-11-23T09:00:00Z order ord-1 #1 created ordered"}, withoutKeys(t, stdout.lines()))
}

// TestServeGraceful checks that a delivery under way when the program is
// asked to stop is answered before serve returns.
func TestServeGraceful(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	logw, logs := logLines(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, h, idle, slog.New(slog.NewJSONHandler(logw, nil)))
		_ = logw.Close()
	}()
	answered := make(chan int, 1)
	go func() {
		status, err := request(http.MethodPost, "http://"+ln.Addr().String()+path, nil, nil)
		assert.NoError(t, err)
		answered <- status
	}()

	<-started
	cancel()
	assert.Equal(t, "shutting down", logMessage(t, <-logs))
	close(release)
	assert.Equal(t, http.StatusNoContent, <-answered)
	require.NoError(t, <-done)
}

// TestServeListenerFails checks that serve returns when its listener fails.
func TestServeListenerFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	err = serve(t.Context(), ln, http.NotFoundHandler(), idle, slog.New(slog.DiscardHandler))
	assert.ErrorIs(t, err, net.ErrClosed)
}

// TestHTTPServer checks the server's timeouts: slow clients cannot hold a
// connection, idle ones are closed, and the Handler has time to answer
// once Handle's time is out.
func TestHTTPServer(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler())
	assert.Positive(t, srv.ReadHeaderTimeout)
	assert.Positive(t, srv.ReadTimeout)
	assert.Positive(t, srv.IdleTimeout, "an idle keep-alive connection is closed")
	assert.LessOrEqual(t, srv.ReadTimeout, 15*time.Second, "Junction waits 15 seconds")
	assert.Greater(t, srv.WriteTimeout, webhookhttp.DefaultTimeout)
	assert.Positive(t, shutdownGrace)
}

// idle is a dispatcher with nothing to dispatch.
func idle(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

// logLines returns a writer for a program's log and a channel of the lines
// written to it, closed when the writer is.
func logLines(t *testing.T) (*io.PipeWriter, <-chan string) {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { _ = pw.Close() })
	return pw, scanLines(pr)
}

// scanLines sends each line read from r on the channel it returns, and
// closes it at the end of r.
func scanLines(r io.Reader) <-chan string {
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// listeningURL reads log lines until the one saying where the program
// listens, and returns the endpoint's URL.
func listeningURL(t *testing.T, lines <-chan string) string {
	t.Helper()
	for l := range lines {
		var rec struct{ Msg, URL string }
		if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "listening" {
			url := rec.URL
			go func() { // drain the rest of the log
				for range lines {
				}
			}()
			return url
		}
	}
	t.Fatal("the program ended without listening")
	return ""
}

// logMessage returns the message of a JSON log line.
func logMessage(t *testing.T, line string) string {
	t.Helper()
	var rec struct{ Msg string }
	require.NoError(t, json.Unmarshal([]byte(line), &rec), "log line %q", line)
	return rec.Msg
}

// mainEnv, when set in the environment, makes the test binary run main
// with the arguments it holds, separated by spaces: so that a test runs
// the program as go run does.
const mainEnv = "WEBHOOK_RECEIVER_MAIN_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(mainEnv); ok {
		os.Args = append([]string{"webhook-receiver"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// program returns the command that runs main in a copy of the test binary
// with args and the environment env, and no secret besides.
func program(t *testing.T, args string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	dieWithTest(cmd)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, secretVar+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append(env, mainEnv+"="+args)...)
	return cmd
}

// TestMainWithoutSecret runs the program without a secret: it says so and
// exits with status 1.
func TestMainWithoutSecret(t *testing.T) {
	var stdout, stderr bytes.Buffer
	cmd := program(t, "")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Equal(t, "webhook-receiver: "+secretVar+" is not set: export the endpoint's signing secret (whsec_…) from Junction's dashboard\n", stderr.String())
	assert.Empty(t, stdout.String())
}

// TestMainSignal runs the program, sends it a delivery, then SIGTERM: it
// prints the change, shuts down and exits with status 0.
func TestMainSignal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on windows")
	}
	cmd := program(t, "-addr 127.0.0.1:0 -db "+filepath.Join(t.TempDir(), "r.db"), secretVar+"="+secret)
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	cmd.Stdout, cmd.Stderr = outW, errW
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		_ = outW.Close()
		_ = errW.Close()
		exited <- err
	}()
	out := scanLines(outR)

	url := listeningURL(t, scanLines(errR))
	d := deliveries(t, lifecycle(t))[0]
	assert.Equal(t, http.StatusNoContent, send(t, http.MethodPost, url, signed(t, d.id, time.Now(), d.body), d.body))
	line, _, _ := strings.Cut(<-out, " key=")
	assert.Equal(t, "ord-1 2026-11-23T09:00:00Z order ord-1 #1 created ordered", line)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, <-exited)
	var rest []string
	for l := range out {
		rest = append(rest, l)
	}
	assert.Empty(t, rest, "nothing more printed")
}

// cutKey splits a printed line into the change, as the line without its
// key, and the key.
func cutKey(t testing.TB, l string) (line, key string) {
	t.Helper()
	line, key, ok := strings.Cut(l, " key=")
	require.True(t, ok, "line %q has no key", l)
	return line, key
}

// TestPrune deletes the changes handled long enough ago, and keeps the
// others (on SQLite, the one recorded last too).
func TestPrune(t *testing.T) {
	r := newReceiver(t, false)
	r.deliver(t, deliveries(t, lifecycle(t)))
	r.settle(t)
	count := func() (n int) {
		require.NoError(t, r.r.db.QueryRowContext(t.Context(), "SELECT count(*) FROM phlebkit_changes").Scan(&n))
		return n
	}
	handled := count()
	require.Positive(t, handled)
	r.r.keep = time.Hour
	r.r.prune(t.Context(), time.Now())
	assert.Equal(t, handled, count(), "handled within the hour: kept")
	r.r.prune(t.Context(), time.Now().Add(2*time.Hour))
	assert.Equal(t, 1, count())
	assert.Contains(t, r.logs.String(), `"msg":"pruned","changes":`+strconv.Itoa(handled-1))
}
