package sandbox_test

// This file is a consumer's test: it uses the sandbox only through its
// constructor, its clock and its controls, speaks to it over HTTP, and
// reads what comes back with the library's decoders and webhooks with
// webhookhttp.Handler and track, as a service integrating Junction would.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// testSecret is the webhook endpoint's signing secret the tests choose.
const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// t0 is when the tests' virtual clock starts: Monday 23 November 2026,
// 09:00 UTC (02:00 in Phoenix).
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// consumer is a service under test: it calls the sandbox's API and
// receives its webhooks on a webhookhttp.Handler that records every event and
// applies it to a track.MemoryStore.
type consumer struct {
	t       testing.TB
	srv     *sandbox.Server
	http    *http.Client
	mu      sync.Mutex
	events  []webhook.Event
	seen    int // events already returned by take
	store   track.MemoryStore
	changes []track.Change
}

// newConsumer starts a sandbox delivering to a new consumer, at t0 unless
// opts say otherwise.
func newConsumer(t testing.TB, opts ...sandbox.Option) *consumer {
	t.Helper()
	c := &consumer{t: t, http: &http.Client{Timeout: 10 * time.Second, Transport: keyed{}}}
	recv, err := webhookhttp.NewHandler(testSecret, c.handle)
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]sandbox.Option{sandbox.WithStart(t0), sandbox.WithWebhookHandler(checkedReceiver(t, recv), testSecret)}, opts...)
	srv, err := sandbox.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	recv.Now = srv.Now // deliveries are signed at virtual time
	t.Cleanup(srv.Close)
	c.srv = srv
	return c
}

func (c *consumer) handle(ctx context.Context, e webhook.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, e)
	changes, err := track.Record(ctx, &c.store, e)
	c.changes = append(c.changes, changes...)
	return err
}

// call sends a request with body as JSON (none when nil) and returns the
// status and the body of the answer.
func (c *consumer) call(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	checkWire(c.t, resp.StatusCode, out)
	checkAnswer(c.t, method, path, resp.StatusCode, out)
	return resp.StatusCode, out
}

// must is call for a request that must succeed.
func (c *consumer) must(method, path string, body any) []byte {
	c.t.Helper()
	status, out := c.call(method, path, body)
	if status != http.StatusOK {
		c.t.Fatalf("%s %s = %d %s, want 200", method, path, status, out)
	}
	return out
}

// refused is call for a request that must be refused with want, whose
// detail must contain text.
func (c *consumer) refused(method, path string, body any, want int, text string) {
	c.t.Helper()
	status, out := c.call(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s = %d %s, want %d", method, path, status, out, want)
	}
	var e struct {
		Detail json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal(out, &e); err != nil || len(e.Detail) == 0 {
		c.t.Fatalf("%s %s: body %s is not {\"detail\": ...}", method, path, out)
	}
	if !strings.Contains(string(e.Detail), text) {
		c.t.Fatalf("%s %s: detail %s does not say %q", method, path, e.Detail, text)
	}
}

// decodeOrder decodes an order endpoint's answer: the order, or
// {"order": the order, "status", "message"}.
func decodeOrder(t testing.TB, body []byte) order.Order {
	t.Helper()
	var wrapped struct {
		Order json.RawMessage `json:"order"`
	}
	if err := json.Unmarshal(body, &wrapped); err == nil && len(wrapped.Order) > 0 {
		body = wrapped.Order
	}
	o, err := order.Decode(body)
	if err != nil {
		t.Fatalf("order.Decode: %v", err)
	}
	return o
}

// decodeAppointment decodes an appointment endpoint's answer.
func decodeAppointment(t testing.TB, body []byte) appointment.Appointment {
	t.Helper()
	a, err := appointment.Decode(body)
	if err != nil {
		t.Fatalf("appointment.Decode: %v", err)
	}
	return a
}

// The test patients' addresses: in Phoenix (Getlabs books) and in Onalaska
// (PhlebFinders takes requests).
var (
	phoenix = map[string]any{"first_line": "123 West Lincoln Street", "second_line": "Unit 14", "city": "Phoenix",
		"state": "AZ", "zip_code": "85004", "access_notes": "Gate code #1234, use side entrance"}
	onalaska = map[string]any{"first_line": "456 Main Street", "city": "Onalaska", "state": "WI", "zip_code": "54650"}
)

// placeOrder places an order for a patient at address and returns it.
func (c *consumer) placeOrder(address map[string]any, extra map[string]any) order.Order {
	c.t.Helper()
	body := map[string]any{
		"user_id":     "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		"lab_test_id": sandbox.LabTestAtHomePhlebotomy,
		"patient_details": map[string]any{"first_name": "John", "last_name": "Doe", "dob": "1990-01-01",
			"gender": "male", "phone_number": "+16025550123", "email": "john@example.com"},
		"patient_address": map[string]any{"receiver_name": "John Doe", "first_line": address["first_line"],
			"second_line": address["second_line"], "city": address["city"], "state": address["state"],
			"zip": address["zip_code"], "country": "US", "phone_number": "+16025550123",
			"access_notes": address["access_notes"]},
	}
	for k, v := range extra {
		body[k] = v
	}
	o := decodeOrder(c.t, c.must(http.MethodPost, "/v3/order", body))
	if o.Status() != order.Ordered {
		c.t.Fatalf("new order status = %v, want ordered", o.Status())
	}
	return o
}

// slot is a slot of the availability endpoint.
type slot struct {
	BookingKey string    `json:"booking_key"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// slots returns the slots at address from date on (today without one).
func (c *consumer) slots(address map[string]any, date string) []slot {
	c.t.Helper()
	path := "/v3/order/phlebotomy/appointment/availability"
	if date != "" {
		path += "?start_date=" + url.QueryEscape(date)
	}
	var av struct {
		Slots []struct {
			Date  string `json:"date"`
			Slots []slot `json:"slots"`
		} `json:"slots"`
		Timezone string `json:"timezone"`
	}
	if err := json.Unmarshal(c.must(http.MethodPost, path, address), &av); err != nil {
		c.t.Fatal(err)
	}
	var out []slot
	for _, d := range av.Slots {
		out = append(out, d.Slots...)
	}
	return out
}

// slotAt returns the slot at address that starts at start.
func (c *consumer) slotAt(address map[string]any, start time.Time) slot {
	c.t.Helper()
	for _, s := range c.slots(address, start.Format(time.DateOnly)) {
		if s.Start.Equal(start) {
			return s
		}
	}
	c.t.Fatalf("no slot at %v", start)
	return slot{}
}

// book books the slot starting at start for the order.
func (c *consumer) book(orderID string, start time.Time, extra map[string]any) appointment.Appointment {
	c.t.Helper()
	body := map[string]any{"booking_key": c.slotAt(phoenix, start).BookingKey, "appointment_notes": "Please bring photo ID"}
	for k, v := range extra {
		body[k] = v
	}
	return decodeAppointment(c.t, c.must(http.MethodPost, "/v3/order/"+orderID+"/phlebotomy/appointment/book", body))
}

// request requests an appointment with PhlebFinders for the order.
func (c *consumer) request(orderID string) appointment.Appointment {
	c.t.Helper()
	a := decodeAppointment(c.t, c.must(http.MethodPost, "/v3/order/"+orderID+"/phlebotomy/appointment/request",
		map[string]any{"address": onalaska, "provider": "phlebfinders"}))
	if a.EffectiveStatus() != appointment.Pending || !a.StartAt.IsZero() || a.CanReschedule {
		c.t.Fatalf("requested appointment = %v, start %v, can_reschedule %v; want pending, no time, false",
			a.EffectiveStatus(), a.StartAt, a.CanReschedule)
	}
	return a
}

// getOrder returns the order as the API has it now.
func (c *consumer) getOrder(id string) order.Order {
	c.t.Helper()
	return decodeOrder(c.t, c.must(http.MethodGet, "/v3/order/"+id, nil))
}

// summary is one line for an event: its type and the order's or the
// appointment's status.
func summary(e webhook.Event) string {
	if e.Type.IsOrder() {
		return e.Type.String() + " " + e.Order.Status().String()
	}
	s := e.Type.String() + " " + e.Appointment.EffectiveStatus().String()
	if e.Appointment.EventData.IsReschedule {
		s += " (reschedule)"
	}
	return s
}

// take flushes the sandbox's deliveries and returns the summaries of the
// events received since the last take, in the order they arrived.
func (c *consumer) take() []string {
	c.t.Helper()
	c.srv.Flush()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.events[c.seen:] {
		out = append(out, summary(e))
	}
	c.seen = len(c.events)
	return out
}

// expect checks that the events received since the last take are want.
func (c *consumer) expect(step string, want ...string) {
	c.t.Helper()
	if got := c.take(); !slices.Equal(got, want) {
		c.t.Fatalf("%s: webhooks\n%s\nwant\n%s", step, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// tracked returns what the consumer's store knows of the order.
func (c *consumer) tracked(id string) track.Tracked {
	c.t.Helper()
	o, _, err := c.store.Load(context.Background(), id)
	if err != nil {
		c.t.Fatal(err)
	}
	return o
}

// Event lines, as summary writes them.
const (
	orderCreated    = "labtest.order.created ordered"
	requisition     = "labtest.order.updated requisition_created"
	orderPending    = "labtest.order.updated appointment_pending"
	orderScheduled  = "labtest.order.updated appointment_scheduled"
	orderApptCancel = "labtest.order.updated appointment_cancelled"
	orderDrawn      = "labtest.order.updated draw_completed"
	orderCompleted  = "labtest.order.updated completed"
	orderCancelled  = "labtest.order.updated cancelled"
	apptCreated     = "labtest.appointment.created pending"
	apptReserved    = "labtest.appointment.updated reserved"
	apptConfirmed   = "labtest.appointment.updated confirmed"
	apptRescheduled = "labtest.appointment.updated confirmed (reschedule)"
	apptInProgress  = "labtest.appointment.updated in_progress"
	apptCompleted   = "labtest.appointment.updated completed"
	apptCancelled   = "labtest.appointment.updated cancelled"
)

// Slots of the tests, in UTC: Phoenix is UTC-7, so 8:00 there is 15:00
// UTC.
var (
	tuesday15  = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC) // 30 hours after t0
	thursday15 = time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC) // 78 hours after t0
	friday17   = time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
)

// TestConsumerFlows walks orders through every row of the table of how the
// order and appointment lifecycles drive each other, over HTTP, checking
// the webhooks a receiver gets, in the order it gets them, and what the
// API answers.
func TestConsumerFlows(t *testing.T) {
	t.Run("appointment-ready after the requisition, to results", func(t *testing.T) {
		c := newConsumer(t)
		o := c.placeOrder(phoenix, nil)
		c.expect("order placed", orderCreated)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.expect("requisition created, no appointment", requisition)
		a := c.book(o.ID, thursday15, nil)
		if a.EffectiveStatus() != appointment.Confirmed || a.AppointmentNotes != "Please bring photo ID" ||
			a.Address.AccessNotes != "Gate code #1234, use side entrance" || a.IANATimezone != "America/Phoenix" {
			t.Fatalf("booked appointment = %+v", a)
		}
		c.expect("appointment placed after the requisition (ready tier)", orderPending, apptCreated, orderScheduled, apptConfirmed)
		key := c.slotAt(phoenix, friday17).BookingKey
		b := decodeAppointment(t, c.must(http.MethodPatch, "/v3/order/"+o.ID+"/phlebotomy/appointment/reschedule",
			map[string]any{"booking_key": key}))
		if start := b.StartAt; !start.Equal(friday17) || b.AppointmentNotes != "Please bring photo ID" {
			t.Fatalf("rescheduled appointment starts %v with notes %q", start, b.AppointmentNotes)
		}
		c.expect("appointment rescheduled", orderScheduled, apptRescheduled)
		c.srv.Advance(friday17.Sub(c.srv.Now()))
		if err := c.srv.Apply(o.ID, scheduling.Flow.StartVisit); err != nil {
			t.Fatal(err)
		}
		if err := c.srv.Apply(o.ID, scheduling.Flow.CompleteDraw); err != nil {
			t.Fatal(err)
		}
		c.expect("visit starts, draw done", apptInProgress, apptCompleted, orderDrawn)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CompleteResults); err != nil {
			t.Fatal(err)
		}
		c.expect("results", orderCompleted)
		got := c.getOrder(o.ID)
		if got.Status() != order.Completed || got.LabTest.Name != "Testosterone" || got.Patient.FirstName != "John" ||
			got.Address.ZipCode != "85004" || got.AppointmentID() != a.ID {
			t.Fatalf("GET order = %+v", got)
		}
		if tr := c.tracked(o.ID); tr.Status() != order.Completed {
			t.Fatalf("tracked status = %v, want completed", tr.Status())
		}
		c.refused(http.MethodPost, "/v3/order/"+o.ID+"/cancel", nil, http.StatusBadRequest,
			"Transition from completed to cancelled is not allowed")
	})

	t.Run("appointment-request after the requisition, penciled in", func(t *testing.T) {
		c := newConsumer(t)
		o := c.placeOrder(onalaska, nil)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.expect("requisition", orderCreated, requisition)
		c.request(o.ID)
		c.expect("appointment placed after the requisition (request tier)", orderPending, apptCreated)
		if err := c.srv.Apply(o.ID, pencilIn(thursday15, thursday15.Add(2*time.Hour))); err != nil {
			t.Fatal(err)
		}
		c.expect("appointment penciled in", orderScheduled, apptConfirmed)
	})

	t.Run("appointment-ready booked before the requisition", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
		o := c.placeOrder(phoenix, nil)
		a := c.book(o.ID, thursday15, nil)
		if a.EffectiveStatus() != appointment.Reserved {
			t.Fatalf("booked before the requisition: %v, want reserved", a.EffectiveStatus())
		}
		c.expect("booked before the requisition", orderCreated, apptCreated, apptReserved)
		if got := c.getOrder(o.ID).Status(); got != order.Ordered {
			t.Fatalf("order = %v, want ordered", got)
		}
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.expect("requisition created while reserved", requisition, orderPending, orderScheduled, apptConfirmed)
	})

	t.Run("appointment-request before the requisition", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
		o := c.placeOrder(onalaska, nil)
		c.request(o.ID)
		c.expect("requested before the requisition", orderCreated, apptCreated)
		if err := c.srv.Apply(o.ID, pencilIn(thursday15, time.Time{})); err != nil {
			t.Fatal(err)
		}
		c.expect("penciled in before the requisition", apptReserved)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.expect("requisition created while reserved", requisition, orderPending, orderScheduled, apptConfirmed)

		d := c.placeOrder(onalaska, map[string]any{"user_id": "0b7c4c5e-2b7e-4a51-9f53-7c1b8f0a1d22"})
		c.request(d.ID)
		c.take()
		if err := c.srv.Apply(d.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.expect("requisition created while the request is pending", requisition, orderPending)
		act := decodeAppointment(t, c.must(http.MethodGet, "/v3/order/"+d.ID+"/phlebotomy/appointment", nil))
		if act.EffectiveStatus() != appointment.Pending {
			t.Fatalf("active appointment = %v, want pending", act.EffectiveStatus())
		}
	})

	t.Run("appointment cancelled before and after the requisition", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
		o := c.placeOrder(phoenix, nil)
		a := c.book(o.ID, thursday15, nil)
		c.take()
		cancelled := decodeAppointment(t, c.must(http.MethodPatch, "/v3/order/"+o.ID+"/phlebotomy/appointment/cancel",
			map[string]any{"cancellation_reason_id": "796da8c8-e654-4347-8ded-1026410c1976"}))
		if cancelled.ID != a.ID || cancelled.EffectiveStatus() != appointment.Cancelled {
			t.Fatalf("cancel answered %s %v", cancelled.ID, cancelled.EffectiveStatus())
		}
		c.expect("cancelled before the requisition", apptCancelled)
		if got := c.getOrder(o.ID).Status(); got != order.Ordered {
			t.Fatalf("order = %v, want ordered", got)
		}
		c.refused(http.MethodGet, "/v3/order/"+o.ID+"/phlebotomy/appointment", nil, http.StatusNotFound, "No active appointment")

		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.book(o.ID, thursday15, nil)
		c.take()
		c.must(http.MethodPatch, "/v3/order/"+o.ID+"/phlebotomy/appointment/cancel",
			map[string]any{"cancellation_reason_id": "5330c863-ac80-4316-901b-d305d0df74d5", "notes": "moved away"})
		c.expect("cancelled after the requisition", orderApptCancel, apptCancelled)
		c.book(o.ID, friday17, nil)
		c.expect("booked again", orderPending, apptCreated, orderScheduled, apptConfirmed)
		cs, err := c.srv.Cancellations(o.ID)
		if err != nil || len(cs) != 2 || !cs[0].Refundable || cs[1].Reason.Name != "No longer interested" {
			t.Fatalf("cancellations = %+v, %v", cs, err)
		}
	})

	t.Run("order cancelled", func(t *testing.T) {
		c := newConsumer(t)
		o := c.placeOrder(phoenix, nil)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		c.book(o.ID, thursday15, nil)
		c.take()
		got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+o.ID+"/cancel", nil))
		if got.Status() != order.Cancelled {
			t.Fatalf("cancel answered %v", got.Status())
		}
		c.expect("order cancelled", orderCancelled, apptCancelled)
		c.refused(http.MethodPost, "/v3/order/"+o.ID+"/cancel", nil, http.StatusBadRequest,
			"Transition from cancelled to cancelled is not allowed")
	})

	t.Run("auto-cancellation 8 hours after the order", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
		o := c.placeOrder(phoenix, nil)
		c.book(o.ID, thursday15, nil)
		c.take()
		c.srv.Advance(8 * time.Hour)
		c.expect("8 hours exactly", nil...)
		c.srv.Advance(time.Second)
		c.expect("auto-cancelled", apptCancelled)
		if !slices.ContainsFunc(c.changes, func(ch track.Change) bool {
			_, ok := ch.(track.AutoCancelled)
			return ok
		}) {
			t.Fatalf("track saw no auto-cancellation in %v", c.changes)
		}
	})

	t.Run("Getlabs reschedules an appointment still without a requisition", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
		o := c.placeOrder(phoenix, map[string]any{"activate_by": "2026-12-01"})
		a := c.book(o.ID, tuesday15, nil)
		c.take()
		c.srv.Advance(6 * time.Hour) // Getlabs: 24 hours before the start
		c.expect("Getlabs reschedules", "labtest.appointment.updated reserved (reschedule)")
		got := decodeAppointment(t, c.must(http.MethodGet, "/v3/order/"+o.ID+"/phlebotomy/appointment", nil))
		if start := got.StartAt; got.ID != a.ID || !start.Equal(tuesday15.Add(24*time.Hour)) {
			t.Fatalf("after Getlabs' reschedule the appointment starts %v", start)
		}
	})

	t.Run("asynchronous booking confirmed later, or cancelled at its timeout", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithAsyncConfirmDelay(90*time.Second))
		o := c.placeOrder(phoenix, nil)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		a := c.book(o.ID, thursday15, map[string]any{"async_confirmation": true})
		if a.EffectiveStatus() != appointment.Pending {
			t.Fatalf("async booking = %v, want pending", a.EffectiveStatus())
		}
		c.expect("async booking", orderCreated, requisition, orderPending, apptCreated)
		c.srv.Advance(89 * time.Second)
		c.expect("not yet confirmed", nil...)
		c.srv.Advance(time.Second)
		c.expect("confirmed", orderScheduled, apptConfirmed)

		slow := newConsumer(t, sandbox.WithAsyncConfirmDelay(2*time.Minute))
		d := slow.placeOrder(phoenix, nil)
		if err := slow.srv.Apply(d.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		slow.book(d.ID, thursday15, map[string]any{"async_confirmation": true, "async_confirmation_timeout_millisecond": 60000})
		slow.take()
		slow.srv.Advance(time.Minute)
		slow.expect("timed out", orderApptCancel, apptCancelled)
	})

	t.Run("partial results, sample error, corrected results", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPartialResultsWebhooks())
		for _, final := range []string{"sample_error", "corrected"} {
			o := c.placeOrder(phoenix, nil)
			c.must(http.MethodPost, "/v3/order/"+o.ID+"/test?final_status=draw_completed", nil)
			c.take()
			if err := c.srv.Apply(o.ID, scheduling.Flow.ReceivePartialResults); err != nil {
				t.Fatal(err)
			}
			c.expect("partial results", "labtest.order.updated partial_results")
			if final == "sample_error" {
				if err := c.srv.Apply(o.ID, scheduling.Flow.ReportSampleError); err != nil {
					t.Fatal(err)
				}
				c.expect("sample error", "labtest.order.updated sample_error")
				continue
			}
			if err := c.srv.Apply(o.ID, scheduling.Flow.CompleteResults); err != nil {
				t.Fatal(err)
			}
			if err := c.srv.Apply(o.ID, scheduling.Flow.CorrectResults); err != nil {
				t.Fatal(err)
			}
			c.expect("corrected", orderCompleted, "labtest.order.updated corrected")
		}
	})

	t.Run("simulation to completed with a delay", func(t *testing.T) {
		c := newConsumer(t)
		o := c.placeOrder(phoenix, nil)
		got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+o.ID+"/test?final_status="+
			url.QueryEscape("completed.at_home_phlebotomy.completed")+"&delay=60", nil))
		if got.Status() != order.RequisitionCreated {
			t.Fatalf("after the first step: %v", got.Status())
		}
		c.expect("first step", orderCreated, requisition)
		c.srv.Advance(10 * time.Minute)
		c.expect("the rest, a minute apart", orderPending, apptCreated, orderScheduled, apptConfirmed,
			apptInProgress, apptCompleted, orderDrawn, orderCompleted)
		if tr := c.tracked(o.ID); tr.Status() != order.Completed {
			t.Fatalf("tracked = %v", tr.Status())
		}
	})
}

// TestConsumerAreaInfo reads the area information of the sandbox's zip
// codes as a consumer does, with provider.ParseAreaInfo.
func TestConsumerAreaInfo(t *testing.T) {
	c := newConsumer(t)
	for _, tc := range []struct {
		zip    string
		served bool
		pick   provider.Provider
	}{{"85004", true, provider.Getlabs}, {"54650", true, 0}, {"10001", false, 0}} {
		info, err := provider.ParseAreaInfo(c.must(http.MethodGet, "/v3/order/area/info?zip_code="+tc.zip, nil))
		if err != nil {
			t.Fatal(err)
		}
		p, err := info.ForBooking()
		if info.Served() != tc.served || (err == nil) != tc.pick.IsValid() || p != tc.pick {
			t.Errorf("area %s: served %v, ForBooking %v %v", tc.zip, info.Served(), p, err)
		}
	}
}

// command is one of the flow's commands, as Server.Apply takes it.
type command = func(scheduling.Flow, time.Time) (scheduling.Flow, []scheduling.Webhook, error)

// pencilIn is the flow's PencilIn at start and end.
func pencilIn(start, end time.Time) command {
	return func(f scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return f.PencilIn(start, end, now)
	}
}
