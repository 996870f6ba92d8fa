// Command booking is a small booking back end built on the junction
// client: it places orders, offers the slots available at the patient's
// address, and books, reschedules and cancels appointments, with no HTTP
// of its own toward Junction. See [Backend] for its endpoints. It makes
// Getlabs' 48 hours of lead time a rule, which the client checks before
// calling Junction.
//
// With an API key in the environment it serves its API against
// Junction's (the US sandbox unless JUNCTION_BASE_URL names another
// host):
//
//	JUNCTION_API_KEY=sk_us_... go run ./examples/booking -addr :8080
//
// and stops cleanly on an interrupt (Ctrl-C) or SIGTERM. Without one it
// runs against an in-process sandbox instead, walks one patient through
// the flow (area, availability, book, reschedule, cancel) by calling its
// own API over HTTP, prints each step and exits.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "booking:", err)
		stop()
		os.Exit(1)
	}
}

// Timeouts of the back end's server.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 40 * time.Second // a call to Junction may be retried for 30 s
	idleTimeout       = time.Minute
	shutdownTimeout   = 10 * time.Second
)

// run serves the back end against Junction when JUNCTION_API_KEY is set,
// until ctx is done; otherwise it walks the demonstration against a
// sandbox and writes it to stdout.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("booking", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", ":8080", "the address to listen on, with JUNCTION_API_KEY")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	key := getenv("JUNCTION_API_KEY")
	if key == "" {
		return demo(ctx, stdout)
	}
	base := getenv("JUNCTION_BASE_URL")
	if base == "" {
		base = junction.SandboxUS
	}
	c, err := junction.New(key, junction.WithBaseURL(base), junction.WithUserAgent("phlebkit-booking-example"),
		junction.WithLeadTime())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "booking: serving on http://%s, calling %s\n", ln.Addr(), base)
	return serve(ctx, ln, NewBackend(c, time.Now).Handler())
}

// serve serves h on ln until ctx is done, then shuts down: requests under
// way have shutdownTimeout to finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		_ = srv.Close()
	}
	<-done
	return err
}

// demoStart is when the demonstration's sandbox starts: Monday 23
// November 2026, 09:00 UTC.
var demoStart = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// demo runs the back end against an in-process sandbox, on a loopback
// port, and walks one patient through it over HTTP.
func demo(ctx context.Context, stdout io.Writer) error {
	sb, err := sandbox.NewServer(sandbox.WithStart(demoStart))
	if err != nil {
		return err
	}
	defer sb.Close()
	c, err := junction.New("sk_us_sandbox", junction.WithBaseURL(sb.URL), junction.WithClock(sb.Now),
		junction.WithLeadTime())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serve(sctx, ln, NewBackend(c, sb.Now).Handler()) }()
	err = walk(ctx, "http://"+ln.Addr().String(), sb, stdout)
	stop()
	if serr := <-served; err == nil {
		err = serr
	}
	return err
}

// walk is the patient's app: it calls the back end at base, and does in
// the sandbox what Junction's dashboard would.
func walk(ctx context.Context, base string, sb *sandbox.Server, stdout io.Writer) error {
	var placed struct {
		OrderID string `json:"order_id"`
		Status  string `json:"status"`
	}
	err := call(ctx, http.MethodPost, base+"/orders", junction.CreateOrderRequest{
		UserID: "202b2c2f-fb4c-44dc-a4f8-621186fde227", LabTestID: sandbox.LabTestAtHomePhlebotomy,
		Patient: &order.Patient{FirstName: "Ada", LastName: "Lovelace", DOB: order.Date{Year: 1990, Month: 6, Day: 15},
			Gender: "female", PhoneNumber: "+16025550123", Email: "ada@example.com"},
		Address: &order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004",
			Country: "US", AccessNotes: "gate code 1234"},
	}, &placed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "order placed: %s\n", placed.Status)
	if err := sb.Apply(placed.OrderID, scheduling.Flow.CreateRequisition); err != nil { // the dashboard
		return err
	}
	fmt.Fprintln(stdout, "requisition created")

	var offered struct {
		Provider string              `json:"provider"`
		Timezone string              `json:"timezone"`
		Slots    []junction.TimeSlot `json:"slots"`
	}
	if err := call(ctx, http.MethodGet, base+"/orders/"+placed.OrderID+"/slots", nil, &offered); err != nil {
		return err
	}
	zone, err := time.LoadLocation(offered.Timezone)
	if err != nil {
		return err
	}
	local := func(t time.Time) string { return t.In(zone).Format("Mon 2 Jan 15:04 MST") }
	fmt.Fprintf(stdout, "%d slots from %s, with %s\n", len(offered.Slots), local(offered.Slots[0].Start), offered.Provider)

	type appointmentView struct {
		Status  string    `json:"status"`
		StartAt time.Time `json:"start_at"`
	}
	var a appointmentView
	path := base + "/orders/" + placed.OrderID + "/appointment"
	err = call(ctx, http.MethodPost, path, change{BookingKey: offered.Slots[0].BookingKey}, &a)
	fmt.Fprintf(stdout, "book %s: %v\n", local(offered.Slots[0].Start), err)
	i := 0 // the first slot Getlabs' 48 hours allow
	for i < len(offered.Slots)-2 && offered.Slots[i].Start.Before(sb.Now().Add(48*time.Hour)) {
		i++
	}
	if err := call(ctx, http.MethodPost, path, change{BookingKey: offered.Slots[i].BookingKey}, &a); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "booked: %s for %s\n", a.Status, local(a.StartAt))
	if err := call(ctx, http.MethodPatch, path, change{BookingKey: offered.Slots[i+1].BookingKey, Notes: "ring twice"}, &a); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rescheduled: %s for %s\n", a.Status, local(a.StartAt))
	if err := call(ctx, http.MethodDelete, path, nil, &a); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "cancelled: %s\n", a.Status)
	err = call(ctx, http.MethodPatch, path, change{BookingKey: offered.Slots[i+2].BookingKey}, &a)
	fmt.Fprintf(stdout, "reschedule after the cancellation: %v\n", err)
	return nil
}

// call sends v's JSON (none when nil) to url and decodes a 2xx answer
// into out; another answer is an error with the back end's message.
func call(ctx context.Context, method, url string, v, out any) error {
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		return fmt.Errorf("%s: %s", resp.Status, e.Error)
	}
	return json.Unmarshal(data, out)
}
