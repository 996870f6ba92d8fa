package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // the areas' time zones, wherever the tests run

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// Server is an in-process fake of Junction's at-home phlebotomy API, with a
// virtual clock the test controls: what net/http/httptest is for HTTP. It
// is an http.Handler answering the endpoints of Junction's at-home
// phlebotomy flow (see the package documentation for the list) with
// Junction's paths, methods, bodies and errors; [NewServer] also serves it
// on a loopback port, at URL.
//
// # The flow behind it
//
// Each order is a scheduling.Flow: every change, whether a request made
// over HTTP, a command run from Go ([Server.Apply]) or the passing of
// virtual time, is one of its
// commands, and the webhook events that command returns are what the
// server delivers, decorated with what the order's create request gave
// (patient names and contacts, lab test, the address's receiver and phone)
// since the flow knows none of them, and with what the server makes up
// (our decisions): a sample_id once the requisition exists, an
// order_transaction holding the order alone, the area's coordinates on
// appointments, and the user_id as client_user_id, since the server keeps
// no users. What only HTTP has is the server's own: booking keys,
// cancellation reasons and refund decisions, error bodies, and delivery.
//
// # Virtual time
//
// The clock starts at [WithStart] (by default the wall clock's current
// second when [New] runs) and moves only when the test calls
// [Server.Advance]. Every request and command happens at the clock's
// current instant. While virtual time passes, what Junction and its
// providers do on their own happens at its instant, earliest first:
//
//   - auto-cancellation of appointments booked before the requisition
//     (scheduling.Flow.Tick), at the instant its rule starts to hold;
//   - the provider's answer to an asynchronous booking: confirmed
//     [WithAsyncConfirmDelay] after it (one minute by default), or
//     cancelled when async_confirmation_timeout_millisecond runs out
//     first;
//   - Getlabs' own reschedule of an appointment still lacking a
//     requisition, 24 hours before its start
//     (scheduling.ProviderRescheduleAt): the slot moves 24 hours later
//     (our decision: the documentation does not say by how much; the
//     same time the next day), through scheduling.Flow.Reschedule. When
//     that instant had already passed when the appointment was booked or
//     last moved, Getlabs does not reschedule it;
//   - the steps of POST /v3/order/{order_id}/test with a delay.
//
// # Webhooks
//
// With [WithWebhookURL] or [WithWebhookHandler] each event becomes a
// message delivered as Junction delivers through Svix: an HTTP POST of the
// event's JSON body with svix-id (the event's id, the same on every
// attempt), svix-timestamp (the attempt's virtual instant, in Unix seconds)
// and svix-signature (webhook.Sign with the endpoint's secret). A receiver
// verifies at the server's virtual time: set webhookhttp.Handler's Now to
// [Server.Now]. An attempt answered with anything but 2xx, or with no
// answer, is retried on Svix's schedule ([RetrySchedule]) in virtual time,
// and given up after the eighth. [Server.Deliveries] logs every attempt.
//
// Deliveries are made only by [Server.Advance] and [Server.Flush], never by
// a request or a command: a message is due at the instant its event
// happened (with chaos, up to [ChaosMaxDelay] later), and is attempted by
// the first Advance or Flush whose time reaches its due instant. Advance
// makes, in virtual-time order, every attempt due up to the new instant,
// interleaved with the timed changes above; Flush makes those due up to
// the current instant. Attempts due at the same instant are made in the
// order they were scheduled. Without chaos, the events of one change are
// therefore delivered in the order Junction sends them.
//
// # Chaos
//
// With [WithChaos], deliveries are unreliable as Junction warns they may
// be: each message's first attempt is delayed by up to [ChaosMaxDelay],
// which reorders messages; [ChaosDuplicatePercent] of messages are
// delivered twice; and [ChaosLostPercent] of 2xx answers are lost, so that
// the message is retried although it was processed. All draws come from
// one random source seeded with the seed: the same seed and the same
// calls, in the same order, give the same deliveries.
//
// # Concurrency
//
// A Server is safe for concurrent use: requests, commands and clock calls
// may come from many goroutines. One mutex guards all its state; it is
// released while an attempt is delivered, so that a webhook handler may
// call the server's API (to read an order, as Junction advises) and
// [Server.Now]. Only one Advance or Flush runs at a time: one called while
// another runs (from another goroutine, or from a webhook handler during a
// delivery) extends that run to its own target and returns at once,
// without waiting for it.
type Server struct {
	// URL is the base URL of the API, such as "http://127.0.0.1:41234",
	// set by [Server.Start]: read it once Start has returned.
	URL string

	cfg         config
	mu          sync.Mutex
	clock       time.Time
	target      time.Time
	running     bool
	orders      map[string]*entry
	byUser      map[string]map[*entry]struct{} // orders with an active appointment, by user
	timers      timerHeap
	dirty       []*entry // orders changed since the last settle
	finished    []*entry // finished orders, oldest first
	orderSeq    uint64
	idSeq       uint64
	keys        keyCodec
	keySeq      uint64
	used        map[string]time.Time // booking keys used up, until they expire
	usedCleanAt int
	idem        map[string]*idemResult
	idemQ       []*idemResult // oldest first
	reasons     []appointment.CancellationReason
	areas       map[string]*Area
	labTests    map[string]order.LabTest
	hooks       *deliverer
	mux         *http.ServeMux
	httpSrv     *http.Server
	listening   bool
	closed      bool
}

// New returns a Server configured by opts, not yet listening: use it as an
// http.Handler, or call [Server.Start]. A bad option is an *[Error]
// wrapping [ErrOption].
func New(opts ...Option) (*Server, error) {
	c := defaultConfig()
	for _, o := range opts {
		if o.apply == nil {
			continue
		}
		if err := o.apply(&c); err != nil {
			return nil, err
		}
	}
	if !c.areasSet {
		c.areas = DefaultAreas()
		for i := range c.areas {
			if err := c.areas[i].check(); err != nil {
				return nil, err
			}
		}
	}
	if !c.labTestsSet {
		c.labTests = DefaultLabTests()
	}
	reasons, err := appointment.DecodeCancellationReasons(reasonsJSON)
	if err != nil {
		return nil, &Error{Op: "cancellation reasons", Problem: "cannot decode", Err: ErrOption, Cause: err}
	}
	if c.start.IsZero() {
		c.start = time.Now().UTC().Truncate(time.Second) // the documented default clock
	}
	s := &Server{
		cfg: c, clock: c.start, target: c.start, keys: keyCodec{secret: mix(uint64(c.start.UnixNano()))},
		reasons: reasons, areas: map[string]*Area{}, labTests: map[string]order.LabTest{}, hooks: newDeliverer(&c),
	}
	s.clear()
	s.mux = s.routes()
	for i := range c.areas {
		s.areas[c.areas[i].ZipCode] = &c.areas[i]
	}
	for _, t := range c.labTests {
		s.labTests[t.ID] = t
	}
	return s, nil
}

// Timeouts of the started server (our decisions): how long a client may
// take to send a request's headers, to send the whole request, and to read
// the answer; and how long an idle keep-alive connection stays open.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// closeTimeout is how long Close waits for requests under way (a variable
// so that tests may shorten it).
var closeTimeout = 5 * time.Second

// NewServer returns a Server configured by opts and listening on a
// loopback port, as httptest.NewServer does: [New] then [Server.Start].
// Call [Server.Close] when done.
func NewServer(opts ...Option) (*Server, error) {
	s, err := New(opts...)
	if err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

// Start serves the API on a loopback port (127.0.0.1, or [::1] where IPv4
// is missing) and sets URL. Starting twice, or after Close, is a
// *[Error] wrapping [ErrServer].
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listening || s.closed {
		return &Error{Op: "Start", Problem: "already started or closed", Err: ErrServer}
	}
	ln, err4 := net.Listen("tcp", "127.0.0.1:0")
	if err4 != nil {
		var err6 error
		if ln, err6 = net.Listen("tcp6", "[::1]:0"); err6 != nil {
			return &Error{Op: "Start", Problem: "cannot listen on a loopback port", Err: ErrServer, Cause: errors.Join(err4, err6)}
		}
	}
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
	s.listening = true
	s.URL = "http://" + ln.Addr().String()
	go func(srv *http.Server) { _ = srv.Serve(ln) }(s.httpSrv)
	return nil
}

// Close stops serving, waiting for requests under way to finish, at most
// five seconds, after which it closes their connections. Webhooks
// still due are not delivered, then or later: after Close, [Server.Advance]
// moves the clock and lets time-based rules act, but delivers nothing, and
// no change schedules a delivery. Closing twice does nothing.
func (s *Server) Close() {
	s.mu.Lock()
	srv := s.httpSrv
	s.closed, s.httpSrv = true, nil
	s.hooks.drop()
	s.mu.Unlock()
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		_ = srv.Shutdown(ctx)
		_ = srv.Close() // the connections Shutdown gave up waiting for; nothing after a clean Shutdown
	}
}

// Now returns the virtual clock's current instant, in UTC.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock
}

// Advance moves the virtual clock d later (a negative d counts as 0) and
// makes everything that happens in that time happen at its instant:
// auto-cancellations, providers' confirmations and reschedules, the steps
// of simulations, and every webhook attempt due, in virtual-time order.
// It returns once the clock has reached the new instant, unless another
// Advance or Flush is running, which it then extends (see [Server]).
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runTo(s.clock.Add(max(d, 0)))
}

// advanceTo is [Server.Advance] to the instant t; it reports false, and
// does nothing, when t is before the clock.
func (s *Server) advanceTo(t time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.Before(s.clock) {
		return false
	}
	s.runTo(t.UTC())
	return true
}

// runTo runs the clock to t, or extends the run under way to it.
func (s *Server) runTo(t time.Time) {
	if t.After(s.target) {
		s.target = t
	}
	s.run()
}

// Flush makes every webhook attempt due at or before the current virtual
// instant, without moving the clock: Advance(0). An attempt that fails is
// retried later, by an Advance that reaches its time.
func (s *Server) Flush() { s.Advance(0) }

// run moves the clock to s.target, step by step, unless a run is already
// under way. It holds s.mu, and releases it while an attempt is delivered.
func (s *Server) run() {
	if s.running {
		return
	}
	s.running = true
	defer func() { s.running = false }()
	for {
		if a, ok := s.hooks.popDue(s.clock); ok {
			s.mu.Unlock()
			r := s.hooks.send(a)
			s.mu.Lock()
			s.hooks.record(a, r)
			continue
		}
		at, ok := s.nextDue()
		if !ok || at.After(s.target) {
			s.clock = s.target
			return
		}
		if at.After(s.clock) {
			s.clock = at
		}
		s.fireTimers()
	}
}

// nextDue returns the earliest instant at which something is due: an
// attempt or an order's timer.
func (s *Server) nextDue() (time.Time, bool) {
	at, ok := s.hooks.next()
	if it, has := s.nextTimer(); has && (!ok || it.at.Before(at)) {
		at, ok = it.at, true
	}
	return at, ok
}

// clear empties the server of orders, used booking keys, idempotency
// results, deliveries to come and the delivery log.
func (s *Server) clear() {
	s.orders, s.byUser = map[string]*entry{}, map[string]map[*entry]struct{}{}
	s.timers, s.dirty, s.finished = nil, nil, nil
	s.used, s.usedCleanAt = map[string]time.Time{}, minUsedClean
	s.idem, s.idemQ = map[string]*idemResult{}, nil
	s.hooks.q, s.hooks.log, s.hooks.head = nil, nil, 0
}

// Reset forgets every order, every webhook attempt still to come, the
// delivery log, the booking keys used up and the answers kept for
// idempotency keys, as if the server were new; the clock stays where it
// is, and ids and booking keys made later differ from those made before.
// A delivery under way when Reset is called is logged after it.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
}

// Deliveries returns the log of the webhook attempts made so far, oldest
// first: every attempt, or the latest ones within the retention limit
// ([WithRetention]).
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hooks.kept()
}

// Pending returns how many webhook attempts are scheduled and not yet
// made: first attempts of messages not yet due, and retries.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hooks.q)
}
