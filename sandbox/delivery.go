package sandbox

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
)

// retrySchedule is when Svix, which delivers Junction's webhooks, attempts
// a message: at once, then after each failure 5 seconds, 5 minutes, 30
// minutes, 2, 5, 10 and 10 hours later; after the eighth attempt it gives
// up.
var retrySchedule = [...]time.Duration{
	0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute,
	2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// RetrySchedule returns the delays of the attempts of one message, each
// counted from the attempt before it: 0 (the first attempt is at once), 5
// seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours and 10 hours.
// After the last one fails the message is given up.
func RetrySchedule() []time.Duration { return append([]time.Duration(nil), retrySchedule[:]...) }

// What chaos does ([WithChaos]).
const (
	// ChaosMaxDelay is the longest chaos delays the first attempt of a
	// message, or of its duplicate: each is delayed by a whole number of
	// seconds drawn uniformly from 0 to ChaosMaxDelay.
	ChaosMaxDelay = 10 * time.Minute
	// ChaosDuplicatePercent is how often, in percent, chaos delivers a
	// message twice: the duplicate has the same svix-id and its own delay
	// and retries.
	ChaosDuplicatePercent = 25
	// ChaosLostPercent is how often, in percent, chaos loses the 2xx
	// answer to an attempt, as when the receiver is too slow: the receiver
	// has processed the message, but the attempt counts as failed and is
	// retried.
	ChaosLostPercent = 10
)

// answerTimeout is how long Junction gives an endpoint to answer a
// delivery: the default client's timeout.
const answerTimeout = 15 * time.Second

// errPanicked is the Err of a logged attempt whose in-process handler
// panicked, with the panic's value.
var errPanicked = errors.New("sandbox: webhook handler panicked")

// ErrAnswerLost is the Err of a logged attempt whose 2xx answer chaos
// lost ([ChaosLostPercent]).
var ErrAnswerLost = errors.New("sandbox: answer lost")

// Delivery is one attempt to deliver a webhook, as [Server.Deliveries]
// logs it.
type Delivery struct {
	// MessageID is the message's id, sent as svix-id: the same on every
	// attempt and on a duplicate.
	MessageID string
	// Type is the event type.
	Type webhook.Type
	// OrderID is the order the event is about.
	OrderID string
	// Copy is 1, or 2 for the duplicate chaos made of the message.
	Copy int
	// Attempt is the attempt's number for this copy, from 1 to 8.
	Attempt int
	// At is the attempt's virtual time, also its svix-timestamp.
	At time.Time
	// StatusCode is the receiver's answer, 0 when there was none.
	StatusCode int
	// Err says why an attempt without a 2xx answer failed: the
	// transport's error, a panic of the handler, or [ErrAnswerLost].
	// It is nil when StatusCode says enough.
	Err error
	// OK reports whether the attempt succeeded: a 2xx answer that reached
	// the server.
	OK bool
	// Final reports whether this copy will not be attempted again: it
	// succeeded, or it failed for the eighth time and was given up.
	Final bool
}

// String returns a one-line summary such as
// "2026-11-21T09:00:05Z msg_ord-1_o2 labtest.order.updated copy 1 attempt 2: 204".
func (d Delivery) String() string {
	s := d.At.UTC().Format(time.RFC3339Nano) + " " + d.MessageID + " " + d.Type.String() +
		" copy " + strconv.Itoa(d.Copy) + " attempt " + strconv.Itoa(d.Attempt) + ": " + strconv.Itoa(d.StatusCode)
	if d.Err != nil {
		s += " (" + d.Err.Error() + ")"
	}
	if d.Final && !d.OK {
		s += ", given up"
	}
	return s
}

// message is one webhook to deliver: its id, type, order and body.
type message struct {
	id      string
	typ     webhook.Type
	orderID string
	body    []byte
}

// attempt is an attempt due at a virtual instant.
type attempt struct {
	due  time.Time
	seq  uint64 // order among attempts due at the same instant
	msg  *message
	copy int
	n    int // the attempt's number, from 1
}

// queue is the attempts to come, earliest first.
type queue []*attempt

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	a, b := q[i], q[j]
	return a.due.Before(b.due) || a.due.Equal(b.due) && a.seq < b.seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*attempt)) }
func (q *queue) Pop() any {
	old := *q
	a := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return a
}

// deliverer holds the delivery engine's state; the Server's mutex guards
// it, except for the fields set once by New (target, verifier, client,
// chaos).
type deliverer struct {
	url      string
	handler  http.Handler
	verifier *webhook.Verifier
	client   *http.Client
	chaos    bool
	rng      *rand.Rand
	q        queue
	seq      uint64
	log      []Delivery
	head     int  // where the oldest entry of a full log is
	keep     int  // how many entries of the log are kept
	closed   bool // nothing more is delivered
}

func newDeliverer(c *config) *deliverer {
	d := &deliverer{url: c.hookURL, handler: c.hookHandler, verifier: c.verifier, client: c.client, chaos: c.chaos,
		keep: c.keepDeliveries}
	if d.client == nil {
		d.client = &http.Client{Timeout: answerTimeout}
	}
	if c.chaos {
		d.rng = newRand(c.seed)
	}
	return d
}

// newRand returns chaos's random source for seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, chaosStream)) }

// chaosStream is the second half of the random source's seed, fixed: the
// seed given picks the run.
const chaosStream = 0x9e3779b97f4a7c15

// enabled reports whether there is an endpoint to deliver to.
func (d *deliverer) enabled() bool { return d.verifier != nil }

// enqueue schedules the first attempt of m at now, and with chaos its
// delay and its duplicate.
func (d *deliverer) enqueue(m *message, now time.Time) {
	if !d.enabled() || d.closed {
		return
	}
	copies := 1
	if d.chaos && d.rng.IntN(100) < ChaosDuplicatePercent {
		copies = 2
	}
	for c := 1; c <= copies; c++ {
		due := now
		if d.chaos {
			due = due.Add(time.Duration(d.rng.Int64N(int64(ChaosMaxDelay/time.Second)+1)) * time.Second)
		}
		d.push(&attempt{due: due, msg: m, copy: c, n: 1})
	}
}

func (d *deliverer) push(a *attempt) {
	d.seq++
	a.seq = d.seq
	heap.Push(&d.q, a)
}

// drop gives up every attempt still scheduled, and every later one: the
// server is closed.
func (d *deliverer) drop() {
	d.q, d.closed = nil, true
}

// next returns when the next attempt is due, and whether there is one.
func (d *deliverer) next() (time.Time, bool) {
	if len(d.q) == 0 {
		return time.Time{}, false
	}
	return d.q[0].due, true
}

// popDue removes and returns the next attempt if it is due at or before
// now.
func (d *deliverer) popDue(now time.Time) (*attempt, bool) {
	if len(d.q) == 0 || d.q[0].due.After(now) {
		return nil, false
	}
	return heap.Pop(&d.q).(*attempt), true
}

// result is what an attempt got: the answer's status, or 0 and the error
// when there was no answer (a handler that panicked answers 500). An
// attempt with an error has no 2xx status.
type result struct {
	status int
	err    error
}

// send makes attempt a at its due time, without the server's lock: it
// reads only what New set.
func (d *deliverer) send(a *attempt) result {
	h := http.Header(d.verifier.Sign(a.msg.id, a.due, a.msg.body))
	h.Set("Content-Type", "application/json")
	if d.handler != nil {
		return d.serve(h, a.msg.body)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, d.url, bytes.NewReader(a.msg.body))
	if err != nil {
		return result{err: err}
	}
	req.Header = h
	resp, err := d.client.Do(req)
	if err != nil {
		return result{err: err}
	}
	_, _ = io.Copy(io.Discard, resp.Body) // so that the connection is reused
	_ = resp.Body.Close()
	return result{status: resp.StatusCode}
}

// serve delivers to the in-process handler. A handler that panics answers
// 500, as net/http's server would have the connection fail.
func (d *deliverer) serve(h http.Header, body []byte) (res result) {
	req := httptest.NewRequest(http.MethodPost, "http://sandbox.invalid/webhooks/junction", bytes.NewReader(body))
	req.Header = h
	rec := httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			res = result{status: http.StatusInternalServerError, err: fmt.Errorf("%w: %v", errPanicked, p)}
		}
	}()
	d.handler.ServeHTTP(rec, req)
	return result{status: rec.Code}
}

// kept returns the log, oldest first: the latest entries within the
// retention limit.
func (d *deliverer) kept() []Delivery {
	return append(slices.Clone(d.log[d.head:]), d.log[:d.head]...)
}

// logged adds an entry to the log: a ring of at most keep entries, whose
// oldest is at head once it is full.
func (d *deliverer) logged(e Delivery) {
	switch {
	case d.keep == 0:
	case len(d.log) < d.keep:
		d.log = append(d.log, e)
	default:
		d.log[d.head] = e
		d.head = (d.head + 1) % d.keep
	}
}

// record logs the attempt's result and schedules the next attempt of a
// failed one, or gives it up after the last.
func (d *deliverer) record(a *attempt, r result) {
	ok := r.status >= 200 && r.status < 300
	if ok && d.chaos && d.rng.IntN(100) < ChaosLostPercent {
		ok, r.err = false, ErrAnswerLost
	}
	final := ok || a.n >= len(retrySchedule)
	d.logged(Delivery{
		MessageID: a.msg.id, Type: a.msg.typ, OrderID: a.msg.orderID, Copy: a.copy, Attempt: a.n,
		At: a.due, StatusCode: r.status, Err: r.err, OK: ok, Final: final,
	})
	if !final && !d.closed { // no retry once Close came during the attempt
		d.push(&attempt{due: a.due.Add(retrySchedule[a.n]), msg: a.msg, copy: a.copy, n: a.n + 1})
	}
}
