// Command webhook-receiver is a starting point for receiving Junction's
// lab-testing webhooks. It serves the endpoint with [webhookhttp.NewHandler],
// which verifies each delivery's signature and decodes it; keeps what is
// known of each at-home phlebotomy order in a [track.Store], with
// [track.Record]; and prints each change of an order once, as a line with
// the order's id and the change, whatever order Junction delivers the
// events in and however often it delivers each.
//
// Run it with the endpoint's signing secret (whsec_…) in the environment:
//
//	JUNCTION_WEBHOOK_SECRET=whsec_... go run ./examples/webhook-receiver -addr :8080
//
// It serves POST /webhooks/junction and stops cleanly on an interrupt
// (Ctrl-C) or SIGTERM. Junction delivers to a public HTTPS URL only: while
// developing, open an HTTPS tunnel to the port, add
// https://<tunnel host>/webhooks/junction as a webhook endpoint in
// Junction's dashboard, and export the signing secret the dashboard shows
// for that endpoint. Without the secret the program says so and exits
// with status 1.
//
// The changes go to standard output, one per line; what the endpoint
// refuses or ignores is logged to standard error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// secretVar names the environment variable that holds the endpoint's
// signing secret.
const secretVar = "JUNCTION_WEBHOOK_SECRET"

// path is where the endpoint is served.
const path = "/webhooks/junction"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // a second signal stops the program at once
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "webhook-receiver:", err)
		stop()
		os.Exit(1)
	}
}

// run parses args, reads the secret with getenv, and serves until ctx is
// done, then shuts down gracefully: requests under way finish first. The
// changes go to stdout, the log and the address listened on to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", ":8080", "the address to listen on")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s=whsec_... webhook-receiver [-addr host:port]\n", secretVar)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	secret := getenv(secretVar)
	if secret == "" {
		return errors.New(secretVar + " is not set: export the endpoint's signing secret (whsec_…) from Junction's dashboard")
	}
	logger := log.New(stderr, "", log.LstdFlags)
	// A MemoryStore forgets everything on restart. A database implements
	// the same track.Store interface with compare-and-swap on a row (the
	// order's id, its stored track.Tracked, a version): see track.Store.
	store := &track.MemoryStore{}
	h, err := newServer(secret, store, stdout, logger, time.Now)
	if err != nil {
		return fmt.Errorf("%s: %w", secretVar, err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Printf("listening on http://%s%s", ln.Addr(), path)
	return serve(ctx, ln, h, logger)
}

// shutdownGrace is how long deliveries under way may take to finish once
// the program is asked to stop.
const shutdownGrace = 15 * time.Second

// serve serves h on ln until ctx is done, then shuts down gracefully: it
// stops accepting connections and lets the deliveries under way finish, for
// shutdownGrace at most. An unanswered delivery is sent again later, but it
// is better to answer it now.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *log.Logger) error {
	srv := newHTTPServer(h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err // the listener failed
	case <-ctx.Done():
	}
	logger.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	<-served // http.ErrServerClosed, at once
	return err
}

// newHTTPServer returns the server of h, with timeouts that keep slow
// clients from holding connections: reading the headers, reading the whole
// request, writing the answer, and waiting idle between two requests of a
// kept-alive connection. Junction gives up on a delivery not answered
// within 15 seconds; the Handler gives its Handle 10
// (webhookhttp.DefaultTimeout), and the write timeout leaves it time to
// answer after that.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
}

// newServer returns the HTTP handler of the receiver: Junction's webhook
// endpoint at POST /webhooks/junction, verifying deliveries with secret at
// the time now gives (nil for the system clock), recording each event in
// store and writing each change it reveals to out as one line: the order's
// id, then the change. What the endpoint refuses or ignores goes to logger.
// A secret that cannot be used is an error wrapping webhook.ErrInvalidSecret.
func newServer(secret string, store track.Store, out io.Writer, logger *log.Logger, now func() time.Time) (http.Handler, error) {
	r := &receiver{store: store, out: out, log: logger}
	h, err := webhookhttp.NewHandler(secret, r.handle)
	if err != nil {
		return nil, err
	}
	h.Now = now
	// Junction sends every event type of the team to the endpoint: the
	// Handler acknowledges those that are not at-home phlebotomy (2xx, so
	// that they are not sent again) without calling r.handle.
	h.Ignored = func(_ context.Context, e webhook.Event, err error) {
		logger.Printf("ignored %s: %v", e.ID, err)
	}
	h.Rejected = func(req *http.Request, status int, err error) {
		logger.Printf("answered %d to %s %s: %v", status, req.Method, req.URL.Path, err)
	}
	mux := http.NewServeMux()
	mux.Handle(path, h) // the Handler answers 405 to other methods itself
	return mux, nil
}

// receiver records events and prints the changes they reveal.
type receiver struct {
	store track.Store
	log   *log.Logger
	mu    sync.Mutex // serialises writes to out
	out   io.Writer
}

// handle records one at-home phlebotomy event. Junction may deliver it
// more than once, and after events that happened later: track.Record
// decides from the histories the event carries what is new, and returns
// each change exactly once over all deliveries, so handle needs no
// deduplication of its own.
func (r *receiver) handle(ctx context.Context, e webhook.Event) error {
	changes, err := track.Record(ctx, r.store, e)
	if errors.Is(err, track.ErrInvalidEvent) {
		// The event contradicts what is held, or its history is not a
		// path of the lifecycle: delivering it again would not help.
		// Acknowledge it and leave it to a person, who can ask Junction's
		// API for the order.
		r.log.Printf("not recorded %s (%s): %v", e.ID, e, err)
		return nil
	}
	if err != nil {
		// The store failed: answer 500, and Junction delivers the event
		// again later.
		return err
	}
	// Act on the changes here: notify the patient, update the order's
	// row, … Record returns them once the new value is stored, so a change
	// is lost if the process stops right now. Where that matters, apply
	// the event with track.Tracked.Apply in a database transaction of your
	// own, and store the changes (an outbox table) in the same transaction
	// as the order's new value.
	r.mu.Lock()
	defer r.mu.Unlock()
	id := e.OrderID()
	for _, c := range changes {
		fmt.Fprintf(r.out, "%s %s\n", id, c)
	}
	return nil
}
