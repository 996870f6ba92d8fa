// Command webhook-receiver is a deployable receiver of Junction's
// lab-testing webhooks. It serves the endpoint with [webhookhttp.NewHandler],
// which verifies each delivery's signature and decodes it; records each
// at-home phlebotomy event durably in a database with package tracksql,
// which stores the order's new value and the changes the event revealed in
// one transaction; and hands each change to a handler that prints it, the
// place where a team puts its own side effects (tell the patient, alert
// someone, update a row), whatever order Junction delivers the events in,
// however often it delivers each, and however often the receiver is
// killed and restarted.
//
// Run it with the endpoint's signing secret (whsec_…) in the environment:
//
//	JUNCTION_WEBHOOK_SECRET=whsec_... go run ./examples/webhook-receiver
//
// By default it keeps its data in a SQLite file, webhook-receiver.db in
// the working directory (-db names another). Several receivers behind a
// load balancer share one PostgreSQL database instead: give its URL with
// -db or in the environment as DATABASE_URL:
//
//	DATABASE_URL=postgres://user:password@host:5432/dbname JUNCTION_WEBHOOK_SECRET=whsec_... \
//		go run ./examples/webhook-receiver -addr :8080
//
// It serves POST /webhooks/junction and GET /healthz (200 while the
// database answers, else 503), logs in JSON to standard error (never a
// secret, a database password or a delivery's body), and stops cleanly on
// an interrupt (Ctrl-C) or SIGTERM: it stops accepting deliveries, lets
// those under way and the change being handled finish, for a bounded
// time, and exits. Junction delivers to a public HTTPS URL only: while
// developing, open an HTTPS tunnel to the port, add
// https://<tunnel host>/webhooks/junction as a webhook endpoint in
// Junction's dashboard, and export the signing secret the dashboard shows
// for that endpoint. Without the secret the program says so and exits
// with status 1.
//
// The handler prints one line per change it is handed, on standard
// output: the order's id, the change, and its key, such as
//
//	ord-1 2026-11-23T10:00:00Z order ord-1 #2 ordered -> requisition_created key=ord-1/order_step/2
//
// What it guarantees. Each change of an order is recorded exactly once,
// in the same transaction as the order's new value, however many
// receivers run and whenever one is killed. Each recorded change is then
// handed to the handler at least once: a receiver killed after handling a
// change and before marking it done, or one whose handler outlives
// -lease, hands it again, with the same key, so a handler that must act
// once keys its effect on it. With -tx each change is also written,
// inside the transaction that records it, to the receiver_notifications
// table of the same database: a side effect that is a write to that
// database takes effect exactly once. The changes handled are deleted
// once -keep has passed.
//
// The tests prove this on the program built with go build and run as a
// process: fed a whole chaotic lifecycle from package sandbox, killed with
// SIGKILL at random points and restarted, on SQLite and PostgreSQL
// (PHLEBKIT_POSTGRES_URL); three receivers sharing one PostgreSQL; the
// database down or read-only, a corrupt stored order, tables of a newer
// version. More seeds: go test ./examples/webhook-receiver
// -receiver.crash-seeds=20 -receiver.scale-seeds=10 -receiver.seeds=50.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/phlebkit/phlebkit/track/tracksql"
	"github.com/phlebkit/phlebkit/webhook"
)

// Environment variables the program reads.
const (
	// secretVar holds the endpoint's signing secret.
	secretVar = "JUNCTION_WEBHOOK_SECRET"
	// databaseVar holds the database: a PostgreSQL URL or a SQLite file.
	databaseVar = "DATABASE_URL"
)

// defaultDatabase is the SQLite file used when neither -db nor
// DATABASE_URL names a database.
const defaultDatabase = "webhook-receiver.db"

// Paths served.
const (
	path       = "/webhooks/junction"
	healthPath = "/healthz"
)

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

// config is what the command line and the environment say.
type config struct {
	addr     string
	database string
	tx       bool
	lease    time.Duration
	keep     time.Duration
	secret   string
}

// parseConfig reads args and the environment. It returns flag.ErrHelp
// when -h was asked for, after printing the usage to stderr.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	flags := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&c.addr, "addr", ":8080", "the address to listen on")
	flags.StringVar(&c.database, "db", "", "the database: a postgres:// URL, or a SQLite file (default $"+databaseVar+", else "+defaultDatabase+")")
	flags.BoolVar(&c.tx, "tx", false, "handle each change inside the transaction that records it (exactly once, for writes to the same database)")
	flags.DurationVar(&c.lease, "lease", time.Minute, "how long a change being handled is held before another receiver may hand it out again")
	flags.DurationVar(&c.keep, "keep", 7*24*time.Hour, "how long the changes handled are kept before they are deleted")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s=whsec_... webhook-receiver [-addr host:port] [-db URL or file] [-tx]\n", secretVar)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return c, err
	}
	if flags.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	if c.lease <= 0 || c.keep <= 0 {
		return c, errors.New("-lease and -keep must be positive")
	}
	if c.database == "" {
		c.database = getenv(databaseVar)
	}
	if c.database == "" {
		c.database = defaultDatabase
	}
	c.secret = getenv(secretVar)
	if c.secret == "" {
		return c, errors.New(secretVar + " is not set: export the endpoint's signing secret (whsec_…) from Junction's dashboard")
	}
	return c, nil
}

// run parses args, reads the secret and the database with getenv, opens
// the database (creating or migrating its tables), and serves until ctx is
// done, then shuts down gracefully. The handler's lines go to stdout, the
// JSON log to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	// Check the secret before touching the database.
	if _, err := webhook.NewVerifier(c.secret); err != nil {
		return fmt.Errorf("%s: %w", secretVar, err)
	}
	db, err := openDatabase(ctx, c.database)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := openStore(ctx, db, c.tx, c.lease, tracksql.WithLogger(logger))
	if err != nil {
		return err // tracksql.ErrSchema for tables of a newer version: upgrade
	}
	r := &receiver{db: db, store: st, out: stdout, log: logger, tx: c.tx, keep: c.keep}
	h, err := r.handler(c.secret, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", secretVar, err)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	mode := "outbox"
	if c.tx {
		mode = "in-transaction"
	}
	logger.Info("listening", "url", "http://"+ln.Addr().String()+path, "database", st.Dialect().String(), "mode", mode)
	return serve(ctx, ln, h, r.dispatch, logger)
}

// Bounds of a graceful shutdown.
const (
	// shutdownGrace is how long deliveries under way may take to finish
	// once the program is asked to stop.
	shutdownGrace = 15 * time.Second
	// dispatchGrace is how long the change being handled may take to
	// finish after that.
	dispatchGrace = 5 * time.Second
)

// serve serves h on ln and runs dispatch until ctx is done, then
// shuts down gracefully: it stops accepting connections and lets the
// deliveries under way finish, for shutdownGrace at most, then stops the
// dispatcher, letting the change it is handling finish, for dispatchGrace
// at most. An unanswered delivery is sent again later, and a change whose
// handling was cut short is handed again after a restart; it is better to
// finish them now.
func serve(ctx context.Context, ln net.Listener, h http.Handler, dispatch func(context.Context) error, logger *slog.Logger) error {
	srv := newHTTPServer(h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	dispatchCtx, stopDispatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDispatch()
	dispatched := make(chan error, 1)
	go func() { dispatched <- dispatch(dispatchCtx) }()

	var err error
	select {
	case err = <-served: // the listener failed
		stopDispatch()
		<-dispatched
		return err
	case err = <-dispatched: // the dispatcher failed
		logger.Error("dispatcher stopped", "err", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = errors.Join(err, srv.Shutdown(shutdownCtx))
	<-served // http.ErrServerClosed, at once
	stopDispatch()
	select {
	case derr := <-dispatched:
		if derr != nil && !errors.Is(derr, context.Canceled) {
			err = errors.Join(err, derr)
		}
	case <-time.After(dispatchGrace):
		err = errors.Join(err, errors.New("the dispatcher did not stop in time"))
	}
	logger.Info("stopped")
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
