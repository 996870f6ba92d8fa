package sandbox_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
)

var chaosSeeds = flag.Int("sandbox.seeds", 30, "how many chaos seeds TestChaosReachesInOrderChanges runs")

// story drives several orders through the sandbox, with time passing
// between changes so that chaos can reorder deliveries across them, and
// returns their ids. The calls, and so the changes, are the same whatever
// the deliveries do.
func story(c *consumer) []string {
	c.t.Helper()
	step := func() { c.srv.Advance(90 * time.Second) }
	var ids []string

	// Booked after the requisition, rescheduled, drawn, results, corrected.
	a := c.placeOrder(phoenix, nil)
	ids = append(ids, a.ID)
	step()
	if err := c.srv.Apply(a.ID, scheduling.Flow.CreateRequisition); err != nil {
		c.t.Fatal(err)
	}
	step()
	c.book(a.ID, thursday15, nil)
	step()
	c.must(http.MethodPatch, "/v3/order/"+a.ID+"/phlebotomy/appointment/reschedule",
		map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey, "appointment_notes": "Ring twice"})
	step()

	// Booked before the requisition, auto-cancelled, booked again after it.
	b := c.placeOrder(phoenix, map[string]any{"user_id": "5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a01"})
	ids = append(ids, b.ID)
	c.book(b.ID, thursday15, map[string]any{"async_confirmation": true})
	step()

	// Requested, penciled in, cancelled by the patient, requested again,
	// then the order cancelled.
	d := c.placeOrder(onalaska, map[string]any{"user_id": "5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a02"})
	ids = append(ids, d.ID)
	if err := c.srv.Apply(d.ID, scheduling.Flow.CreateRequisition); err != nil {
		c.t.Fatal(err)
	}
	c.request(d.ID)
	step()
	if err := c.srv.Apply(d.ID, pencilIn(thursday15, thursday15.Add(time.Hour))); err != nil {
		c.t.Fatal(err)
	}
	step()
	c.must(http.MethodPatch, "/v3/order/"+d.ID+"/phlebotomy/appointment/cancel",
		map[string]any{"cancellation_reason_id": "796da8c8-e654-4347-8ded-1026410c1976"})
	step()
	c.request(d.ID)
	step()
	c.must(http.MethodPost, "/v3/order/"+d.ID+"/cancel", nil)
	step()

	// Simulated to a sample error, a step every two minutes.
	e := c.placeOrder(phoenix, map[string]any{"user_id": "5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a03"})
	ids = append(ids, e.ID)
	c.must(http.MethodPost, "/v3/order/"+e.ID+"/test?final_status=sample_error&delay=120", nil)

	c.srv.Advance(friday17.Sub(c.srv.Now()))
	if err := c.srv.Apply(a.ID, scheduling.Flow.StartVisit); err != nil {
		c.t.Fatal(err)
	}
	step()
	if err := c.srv.Apply(a.ID, scheduling.Flow.CompleteDraw); err != nil {
		c.t.Fatal(err)
	}
	step()
	if err := c.srv.Apply(a.ID, scheduling.Flow.CompleteResults); err != nil {
		c.t.Fatal(err)
	}
	step()
	if err := c.srv.Apply(a.ID, scheduling.Flow.CorrectResults); err != nil {
		c.t.Fatal(err)
	}
	if err := c.srv.Apply(b.ID, scheduling.Flow.CreateRequisition); err != nil {
		c.t.Fatal(err)
	}
	c.book(b.ID, time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), nil)

	// Long enough for every retry to be made.
	c.srv.Advance(2 * 24 * time.Hour)
	if n := c.srv.Pending(); n != 0 {
		c.t.Fatalf("%d attempts still pending", n)
	}
	return ids
}

// outcome is what a consumer learned: each order's changes, as text and
// sorted, and its tracked value.
type outcome struct {
	changes map[string][]string
	orders  map[string]track.Tracked
}

func (c *consumer) outcome(ids []string) outcome {
	c.t.Helper()
	out := outcome{changes: map[string][]string{}, orders: map[string]track.Tracked{}}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.changes {
		out.changes[changeOrder(ch)] = append(out.changes[changeOrder(ch)], fmt.Sprint(ch))
	}
	for _, id := range ids {
		slices.Sort(out.changes[id])
		o, _, err := c.store.Load(context.Background(), id)
		if err != nil {
			c.t.Fatal(err)
		}
		out.orders[id] = o
	}
	return out
}

// changeOrder returns the id of the order a change is about.
func changeOrder(ch track.Change) string {
	switch ch := ch.(type) {
	case track.OrderStep:
		return ch.OrderID
	case track.AppointmentStep:
		return ch.OrderID
	case track.Rescheduled:
		return ch.OrderID
	case track.ActiveChanged:
		return ch.OrderID
	case track.AutoCancelled:
		return ch.OrderID
	}
	return ""
}

// TestChaosReachesInOrderChanges delivers the same story in chaos mode,
// for many seeds, to a webhookhttp.Handler recording into track, and checks
// that the consumer reaches exactly the changes, and the tracked orders,
// that in-order delivery gives.
func TestChaosReachesInOrderChanges(t *testing.T) {
	calm := newConsumer(t, sandbox.WithPreRequisitionScheduling(), sandbox.WithAsyncConfirmDelay(-1))
	ids := story(calm)
	want := calm.outcome(ids)
	if len(want.changes[ids[0]]) == 0 || calm.tracked(ids[1]).Status().String() != "appointment_scheduled" {
		t.Fatalf("in-order outcome = %v", want.changes)
	}
	reordered := 0
	for seed := range uint64(*chaosSeeds) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling(), sandbox.WithAsyncConfirmDelay(-1), sandbox.WithChaos(seed))
		got := c.outcome(story(c))
		var dups, lost int
		for _, d := range c.srv.Deliveries() {
			if d.Copy == 2 {
				dups++
			}
			if d.Err != nil {
				lost++
			}
		}
		for i, id := range ids {
			if !slices.Equal(got.changes[id], want.changes[id]) {
				t.Fatalf("seed %d, order %d: changes\n%v\nwant\n%v", seed, i, got.changes[id], want.changes[id])
			}
			if !got.orders[id].Equal(want.orders[id]) {
				t.Fatalf("seed %d, order %d: tracked order differs from in-order delivery's", seed, i)
			}
		}
		if !slices.Equal(arrivals(c), arrivals(calm)) {
			reordered++
		}
		if dups == 0 && lost == 0 {
			t.Errorf("seed %d: chaos neither duplicated nor lost anything", seed)
		}
	}
	if *chaosSeeds > 0 && reordered == 0 {
		t.Error("chaos never changed the order of arrival")
	}
}

// arrivals returns the ids of the messages c received, each once, in the
// order they first arrived.
func arrivals(c *consumer) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.events {
		if !slices.Contains(out, e.ID) {
			out = append(out, e.ID)
		}
	}
	return out
}
