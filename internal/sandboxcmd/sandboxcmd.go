// Package sandboxcmd is the command junction-sandbox
// (github.com/phlebkit/phlebkit/cmd/junction-sandbox): its flags, their
// environment fallbacks, and serving the sandbox until a signal comes. It
// is a package of its own so that its code is tested, and mutation
// tested, in process; the command's own test runs it as a process.
package sandboxcmd

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
)

// Timeouts of the server (our decisions): how long a client may take to
// send a request's headers and the whole request, to read the answer, and
// how long an idle keep-alive connection stays open.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// shutdownTimeout is how long a stop waits for requests under way (our
// decision) before it closes their connections. A variable only so that a
// test can stop with a request under way without waiting this long.
var shutdownTimeout = 5 * time.Second

// tick is how often the real-time clock moves the virtual clock.
const tick = 100 * time.Millisecond

// config is what the flags and the environment say.
type config struct {
	addr       string
	opts       []sandbox.Option
	secret     string // made up when none was given
	madeSecret bool
	realClock  bool
	speed      float64
}

// usageError is a bad flag or environment variable.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// parse reads the flags in args, each falling back on its environment
// variable read with getenv.
func parse(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("junction-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	addr := fs.String("addr", env("JUNCTION_SANDBOX_ADDR", "127.0.0.1:8484"), "where to listen")
	hookURL := fs.String("webhook-url", env("JUNCTION_SANDBOX_WEBHOOK_URL", ""), "where to deliver webhooks")
	secret := fs.String("webhook-secret", env("JUNCTION_SANDBOX_WEBHOOK_SECRET", ""), "the webhook signing secret (whsec_…)")
	keys := fs.String("api-keys", env("JUNCTION_SANDBOX_API_KEYS", ""), "comma-separated API keys accepted")
	seed := fs.String("chaos-seed", env("JUNCTION_SANDBOX_CHAOS_SEED", ""), "chaos seed for deliveries")
	start := fs.String("start", env("JUNCTION_SANDBOX_START", ""), "the virtual clock's first instant, RFC 3339")
	clock := fs.String("clock", env("JUNCTION_SANDBOX_CLOCK", "manual"), "manual or real")
	speed := fs.String("speed", env("JUNCTION_SANDBOX_SPEED", "1"), "virtual seconds per real second, with -clock real")
	preReq := fs.String("pre-requisition", env("JUNCTION_SANDBOX_PRE_REQUISITION", "false"), "allow booking before the requisition")
	partial := fs.String("partial-results-webhooks", env("JUNCTION_SANDBOX_PARTIAL_RESULTS_WEBHOOKS", "false"), "send partial results webhooks")
	if err := fs.Parse(args); err != nil {
		return config{}, &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return config{}, &usageError{"unexpected argument " + strconv.Quote(fs.Arg(0))}
	}
	c := config{addr: *addr, secret: *secret}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return config{}, &usageError{"-addr " + strconv.Quote(c.addr) + ": not host:port"}
	}
	switch {
	case *hookURL == "" && c.secret != "":
		return config{}, &usageError{"-webhook-secret without -webhook-url: nowhere to deliver"}
	case *hookURL == "":
	case c.secret == "":
		c.secret, c.madeSecret = newSecret(), true
		fallthrough
	default:
		c.opts = append(c.opts, sandbox.WithWebhookURL(*hookURL, c.secret))
	}
	if *keys != "" {
		c.opts = append(c.opts, sandbox.WithAPIKeys(strings.Split(*keys, ",")...))
	}
	if *seed != "" {
		n, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			return config{}, &usageError{"-chaos-seed " + strconv.Quote(*seed) + ": not a whole number"}
		}
		c.opts = append(c.opts, sandbox.WithChaos(n))
	}
	if *start != "" {
		t, err := time.Parse(time.RFC3339Nano, *start)
		if err != nil {
			return config{}, &usageError{"-start " + strconv.Quote(*start) + ": not an RFC 3339 instant such as 2026-11-23T09:00:00Z"}
		}
		c.opts = append(c.opts, sandbox.WithStart(t))
	}
	switch *clock {
	case "manual":
	case "real":
		c.realClock = true
	default:
		return config{}, &usageError{"-clock " + strconv.Quote(*clock) + ": want manual or real"}
	}
	s, err := strconv.ParseFloat(*speed, 64)
	if err != nil || !(s > 0) || s > 1e6 {
		return config{}, &usageError{"-speed " + strconv.Quote(*speed) + ": want a number above 0, at most 1000000"}
	}
	c.speed = s
	for _, b := range []struct {
		name, value string
		opt         sandbox.Option
	}{
		{"-pre-requisition", *preReq, sandbox.WithPreRequisitionScheduling()},
		{"-partial-results-webhooks", *partial, sandbox.WithPartialResultsWebhooks()},
	} {
		on, err := strconv.ParseBool(b.value)
		if err != nil {
			return config{}, &usageError{b.name + " " + strconv.Quote(b.value) + ": want true or false"}
		}
		if on {
			c.opts = append(c.opts, b.opt)
		}
	}
	return c, nil
}

// newSecret returns a new webhook signing secret: "whsec_" and 24 random
// bytes in base64.
func newSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// Run serves the sandbox as the flags in args and the environment (read
// with getenv) say, until a signal arrives on stop, and returns the exit
// status: 0 after a clean stop, 1 when the sandbox cannot start or serve,
// 2 for bad flags. It prints where it listens on stdout, and errors on
// stderr.
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	c, err := parse(args, getenv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "junction-sandbox:", err)
		return 2
	}
	srv, err := sandbox.New(c.opts...)
	if err != nil {
		fmt.Fprintln(stderr, "junction-sandbox:", err)
		return 2
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintln(stderr, "junction-sandbox:", err)
		return 1
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "junction-sandbox: listening on http://%s\n", ln.Addr())
	if c.madeSecret {
		fmt.Fprintf(stdout, "junction-sandbox: webhook secret %s\n", c.secret)
	}
	fmt.Fprintf(stdout, "junction-sandbox: virtual clock at %s (%s)\n", srv.Now().Format(time.RFC3339), clockMode(c))

	done := make(chan struct{})
	if c.realClock {
		go follow(srv, c.speed, done)
	}
	status := 0
	select {
	case <-stop:
	case err := <-served:
		fmt.Fprintln(stderr, "junction-sandbox:", err)
		status = 1
	}
	close(done)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintln(stderr, "junction-sandbox:", err)
	}
	_ = hs.Close() // the connections Shutdown gave up waiting for
	srv.Close()
	fmt.Fprintln(stdout, "junction-sandbox: stopped")
	return status
}

// clockMode describes how the virtual clock moves.
func clockMode(c config) string {
	if !c.realClock {
		return "moved by POST /_sandbox/clock/advance and /_sandbox/clock/set"
	}
	return "following the wall clock ×" + strconv.FormatFloat(c.speed, 'g', -1, 64)
}

// follow moves srv's clock with the wall clock, speed times as fast, until
// done is closed: the command's one reading of the wall clock.
func follow(srv *sandbox.Server, speed float64, done <-chan struct{}) {
	t := time.NewTicker(tick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			srv.Advance(time.Duration(float64(now.Sub(last)) * speed))
			last = now
		}
	}
}
