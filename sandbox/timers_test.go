package sandbox_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/webhook"
)

// ordersSince flushes the deliveries and returns, for the events received
// after the first n, the order each is about.
func (c *consumer) ordersSince(n int) []string {
	c.srv.Flush()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.events[n:] {
		out = append(out, e.OrderID())
	}
	return out
}

// TestTimersAtOneInstant checks the order in which what is due at the
// same instant happens: auto-cancellation, then providers' reschedules,
// confirmations, timeouts and simulation steps, and for the same kind the
// orders in the order they were created.
func TestTimersAtOneInstant(t *testing.T) {
	c := newConsumer(t, sandbox.WithAsyncConfirmDelay(time.Minute))
	a := c.placeOrder(phoenix, nil)
	b := c.placeOrder(phoenix, map[string]any{"user_id": "5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a10"})
	if err := c.srv.Apply(b.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	c.book(b.ID, thursday15, map[string]any{"async_confirmation": true}) // confirmed at t0+1m
	c.must(http.MethodPost, "/v3/order/"+a.ID+"/test?delay=60", nil)     // next step at t0+1m
	c.take()
	n := len(c.events)
	c.srv.Advance(time.Minute)
	got := c.ordersSince(n)
	if len(got) < 3 || got[0] != b.ID || got[1] != b.ID || got[2] != a.ID {
		t.Fatalf("at one instant, events of %v; want the confirmation of %s first", got, b.ID)
	}

	d := newConsumer(t)
	first := d.placeOrder(phoenix, nil)
	second := d.placeOrder(phoenix, map[string]any{"user_id": "5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a11"})
	d.must(http.MethodPost, "/v3/order/"+second.ID+"/test?delay=60", nil)
	d.must(http.MethodPost, "/v3/order/"+first.ID+"/test?delay=60", nil)
	d.take()
	n = len(d.events)
	d.srv.Advance(time.Minute)
	if got := slices.Compact(d.ordersSince(n)); !slices.Equal(got, []string{first.ID, second.ID}) {
		t.Fatalf("two simulation steps at one instant: events of %v, want %s then %s", got, first.ID, second.ID)
	}
}

func TestSampleID(t *testing.T) {
	c := newConsumer(t)
	a := c.placeOrder(phoenix, nil)
	b := c.placeOrder(phoenix, nil)
	if got := c.getOrder(a.ID).SampleID; got != "" {
		t.Fatalf("sample id before the requisition: %q", got)
	}
	if err := c.srv.Apply(a.ID, scheduling.Flow.BypassRequisition); err != nil {
		t.Fatal(err)
	}
	if err := c.srv.Apply(b.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	if got := c.getOrder(a.ID).SampleID; got != "1000000001" {
		t.Fatalf("sample id after the bypass: %q", got)
	}
	if got := c.getOrder(b.ID).SampleID; got != "1000000002" {
		t.Fatalf("sample id after the requisition: %q", got)
	}
	c.take()
	for _, e := range c.events {
		if want := e.Type != webhook.OrderCreated; (e.Order.SampleID != "") != want {
			t.Errorf("%s carries sample id %q", e, e.Order.SampleID)
		}
	}
}

// TestProviderReschedule checks when Getlabs reschedules an appointment
// still without a requisition: 24 hours before its start, each day again,
// never when that instant had gone by when it was booked, and PhlebFinders
// never.
func TestProviderReschedule(t *testing.T) {
	scheduled := map[string]any{"activate_by": "2026-12-20"} // no 8-hour rule
	c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
	o := c.placeOrder(phoenix, scheduled)
	c.book(o.ID, tuesday15, nil)
	c.take()
	c.srv.Advance(30 * time.Hour)
	c.expect("two days", "labtest.appointment.updated reserved (reschedule)", "labtest.appointment.updated reserved (reschedule)")
	got := decodeAppointment(t, c.must(http.MethodGet, "/v3/order/"+o.ID+"/phlebotomy/appointment", nil))
	if start := got.StartAt; !start.Equal(tuesday15.Add(48 * time.Hour)) {
		t.Fatalf("start after two reschedules: %v", start)
	}

	soon := newConsumer(t, sandbox.WithPreRequisitionScheduling())
	s := soon.placeOrder(phoenix, scheduled)
	today := time.Date(2026, 11, 23, 19, 0, 0, 0, time.UTC) // 10 hours away: Getlabs' instant has gone by
	soon.book(s.ID, today, nil)
	soon.take()
	soon.srv.Advance(8*time.Hour - time.Second)
	soon.expect("no reschedule", nil...)
	soon.srv.Advance(2 * time.Second)
	soon.expect("cancelled 2 hours before the start", apptCancelled)

	request := newConsumer(t, sandbox.WithPreRequisitionScheduling())
	r := request.placeOrder(onalaska, scheduled)
	request.request(r.ID)
	if err := request.srv.Apply(r.ID, pencilIn(tuesday15, time.Time{})); err != nil {
		t.Fatal(err)
	}
	request.take()
	request.srv.Advance(20 * time.Hour)
	if got := request.take(); len(got) != 0 {
		t.Fatalf("PhlebFinders' appointment: %s", strings.Join(got, ", "))
	}
}
