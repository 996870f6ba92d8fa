package sandbox

import (
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/order"
)

// TestPerformersCoverTriggers checks that the simulation can fire every
// trigger of the order lifecycle.
func TestPerformersCoverTriggers(t *testing.T) {
	for _, tr := range order.Triggers() {
		if p, ok := performers[tr]; !ok || p.command == nil {
			t.Errorf("no performer for %s", tr)
		}
	}
	if len(performers) != len(order.Triggers()) {
		t.Errorf("%d performers for %d triggers", len(performers), len(order.Triggers()))
	}
}

// TestPerformersOnTheirOwn checks the performers no shortest path takes
// (a reschedule), and those that find no slot.
func TestPerformersOnTheirOwn(t *testing.T) {
	s, err := New(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	id := placeForFuzz(t, s)
	e := s.orders[id]
	s.simulate(e, order.AppointmentScheduled, 0)
	if e.flow.Status != order.AppointmentScheduled {
		t.Fatalf("status %v", e.flow.Status)
	}
	before, _ := e.flow.Active()
	s.clock = s.clock.Add(24 * time.Hour)
	if err := s.apply(e, performers[order.RescheduleAppointment].command(s, e, false)); err != nil {
		t.Fatal(err)
	}
	after, _ := e.flow.Active()
	if e.flow.Status != order.AppointmentScheduled || !after.StartAt.After(before.StartAt) || !e.moved.Equal(s.clock) {
		t.Fatalf("rescheduled %v → %v, moved %v, status %v", before.StartAt, after.StartAt, e.moved, e.flow.Status)
	}
	if cmd := performers[order.CompleteDraw].command(s, e, false); cmd == nil {
		t.Fatal("no command to draw")
	} else if o, _, err := cmd(e.flow, s.clock); err != nil || o.Status != order.AppointmentScheduled {
		t.Fatalf("the first step to the draw is the visit: %v, %v", o.Status, err)
	}

	// Without an area, there is no slot to book, pencil in or move to.
	e.area = nil
	for _, tr := range []order.Trigger{order.PlaceAppointment, order.RescheduleAppointment} {
		if cmd := performers[tr].command(s, e, false); cmd != nil {
			t.Errorf("%s without an area: a command", tr)
		}
	}
	if _, ok := s.firstSlot(e); ok {
		t.Error("a slot without an area")
	}
	if !appoints([]order.Transition{{Trigger: order.ScheduleAppointment}}) ||
		appoints([]order.Transition{{Trigger: order.CompleteDraw}, {Trigger: order.Complete}}) {
		t.Error("appoints")
	}
}
