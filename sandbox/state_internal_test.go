package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

func TestRefusalWords(t *testing.T) {
	book := action{order.AppointmentScheduled, "booked"}
	orderOnly := action{order.DrawCompleted, ""}
	for _, tc := range []struct {
		err    error
		a      action
		status int
		want   string
	}{
		{&scheduling.StateError{Order: order.Cancelled}, book, 400, "Transition from cancelled to appointment_scheduled is not allowed"},
		{&scheduling.StateError{Order: order.AppointmentScheduled, Appointment: appointment.InProgress}, book, 400,
			"Appointment in status in_progress cannot be booked"},
		{&scheduling.StateError{Order: order.AppointmentScheduled, Appointment: appointment.Pending}, orderOnly, 400,
			"Transition from appointment_scheduled to draw_completed is not allowed"},
		{errors.Join(&scheduling.StateError{Order: order.Ordered, Appointment: appointment.Confirmed}, scheduling.ErrRequisitionRequired),
			book, 400, msgRequisition},
		{&scheduling.RuleError{Field: "existing", Err: scheduling.ErrActiveAppointment}, book, 400, msgPatientActive},
		{&scheduling.RuleError{Field: "appointments", Err: scheduling.ErrActiveAppointment}, book, 400, msgOrderActive},
		{scheduling.ErrUnderage, book, 422, msgUnderage},
		{scheduling.ErrAutoCancel, book, 422, msgAutoCancel},
		{scheduling.ErrTierMismatch, book, 422, msgTier},
		{provider.ErrTierUnavailable, book, 422, msgTier},
		{provider.ErrNotServed, book, 422, "The area is not served for at-home phlebotomy"},
		{scheduling.ErrSlot, book, 422, msgSlot},
		{scheduling.ErrNotesTooLong, book, 422, msgNotesTooLong},
		{scheduling.ErrAddress, book, 422, msgAddress},
		{scheduling.ErrClock, book, 422, msgCannotProcess},
	} {
		status, msg := refusal(tc.err, tc.a)
		if status != tc.status || msg != tc.want {
			t.Errorf("refusal(%v) = %d %q, want %d %q", tc.err, status, msg, tc.status, tc.want)
		}
	}
}

func TestAddressProblems(t *testing.T) {
	err := errors.Join(
		&scheduling.RuleError{Field: "first_line", Value: " ", Err: scheduling.ErrAddress},
		&scheduling.RuleError{Field: "zip_code", Value: "8500", Err: scheduling.ErrAddress},
		&scheduling.RuleError{Field: "first_line", Value: "Main Street", Err: scheduling.ErrAddress},
	)
	ps := addressProblems(err, "body", "address")
	want := []string{
		"body.address.first_line: field required",
		`body.address.zip_code: ` + msgAddressZip,
		"body.address.first_line: " + msgStreetNumber,
	}
	if len(ps) != len(want) {
		t.Fatalf("problems %v", ps)
	}
	for i, p := range ps {
		if p.String() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, p.String(), want[i])
		}
	}
	if ps := addressProblems(scheduling.ErrAddress, "body"); len(ps) != 1 || ps[0].String() != "body.address: field required" {
		t.Errorf("a bare refusal: %v", ps)
	}
}

func TestDeliveryError(t *testing.T) {
	for err, want := range map[error]string{
		ErrAnswerLost:                          "answer lost",
		fmt.Errorf("%w: %v", errPanicked, "x"): "webhook handler panicked",
		errors.New("dial tcp: refused"):        "no answer",
	} {
		if got := deliveryError(err); got != want {
			t.Errorf("deliveryError(%v) = %q, want %q", err, got, want)
		}
	}
	// Over HTTP: an endpoint that panics.
	s, err := New(WithStart(at0), WithWebhookHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}), testSecret))
	if err != nil {
		t.Fatal(err)
	}
	placeForFuzz(t, s)
	s.Flush()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ControlPrefix+"deliveries", nil))
	if !strings.Contains(rec.Body.String(), `"error":"webhook handler panicked"`) ||
		!strings.Contains(rec.Body.String(), `"status_code":500`) {
		t.Fatalf("deliveries %s", rec.Body.Bytes())
	}
}

func TestUsedKeysDropped(t *testing.T) {
	s, err := New(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range 2 * minUsedClean {
		exp := s.clock // expired at once
		if i%2 == 1 {
			exp = s.clock.Add(time.Nanosecond)
		}
		s.markUsed(fmt.Sprint("k", i), exp)
	}
	// Cleaned when the set reached 64 (32 expired dropped, next at 64),
	// and again at 64 (16 dropped, next at 96): 80 are left.
	if len(s.used) != 80 || s.usedCleanAt != 96 {
		t.Fatalf("%d used keys kept, next cleaning at %d", len(s.used), s.usedCleanAt)
	}
	s.clock = s.clock.Add(time.Hour)
	for i := range minUsedClean {
		s.markUsed(fmt.Sprint("l", i), s.clock.Add(time.Hour))
	}
	// At 96 every old key has expired (16 new left, next at 64); at 64
	// none has: 64 left, next at 128.
	if len(s.used) != minUsedClean || s.usedCleanAt != 2*minUsedClean {
		t.Fatalf("%d used keys kept, next cleaning at %d", len(s.used), s.usedCleanAt)
	}
}

func TestIdempotencyBounded(t *testing.T) {
	s, err := New(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	for i := range maxIdempotency + 1 {
		s.remember(fmt.Sprint("k", i), http.StatusOK, nil)
	}
	if len(s.idem) != maxIdempotency || len(s.idemQ) != maxIdempotency {
		t.Fatalf("%d results kept, %d queued", len(s.idem), len(s.idemQ))
	}
	if _, ok := s.recall("k0"); ok {
		t.Fatal("the oldest result kept")
	}
	if _, ok := s.recall("k1"); !ok {
		t.Fatal("the second result dropped")
	}
}

func TestIndexesStayBounded(t *testing.T) {
	s, err := New(WithStart(at0), WithRetention(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	id := placeForFuzz(t, s)
	e := s.orders[id]
	s.mu.Lock()
	for range 500 { // many changes of one order: the heap does not keep them all
		s.touch(e)
		s.settle()
	}
	if n := len(s.timers); n > 2*len(s.orders)+minUsedClean+1 {
		t.Errorf("%d timers in the heap for %d orders", n, len(s.orders))
	}
	s.mu.Unlock()
	s.simulate(e, order.Completed, 0) // booked (indexed), then finished: forgotten at once
	s.settle()
	if len(s.byUser) != 0 || len(s.orders) != 0 || len(s.finished) != 0 || !e.removed {
		t.Fatalf("after the order finished: %d users indexed, %d orders, %d finished", len(s.byUser), len(s.orders), len(s.finished))
	}
	if _, ok := s.nextTimer(); ok {
		t.Fatal("a timer of a forgotten order")
	}
}

// TestForgottenOrderStops checks that an order forgotten beyond the
// retention limit does nothing more: its simulation, under way, stops.
func TestForgottenOrderStops(t *testing.T) {
	s, err := New(WithStart(at0), WithRetention(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	e := s.orders[placeForFuzz(t, s)]
	s.mu.Lock()
	s.simulate(e, order.Corrected, time.Hour) // a step an hour: completed, then corrected
	s.settle()
	s.mu.Unlock()
	s.Advance(24 * time.Hour)
	if !e.removed || e.flow.Status != order.Completed {
		t.Fatalf("removed %v, status %s: the forgotten order moved on", e.removed, e.flow.Status)
	}
}

// twoActive places two orders of one patient with active appointments:
// one in Phoenix booked with Getlabs, one in Onalaska requested from
// PhlebFinders.
func twoActive(t *testing.T, s *Server) (booked, requested *entry) {
	t.Helper()
	booked = s.orders[placeForFuzz(t, s)]
	s.simulate(booked, order.AppointmentScheduled, 0)
	onalaska := strings.NewReplacer(`"zip": "85004"`, `"zip": "54650"`, `"city": "Phoenix"`, `"city": "Onalaska"`).
		Replace(validCreateOrder)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, newRequest(http.MethodPost, "/v3/order", strings.NewReader(onalaska)))
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
	}
	for _, e := range s.orders {
		if e != booked {
			requested = e
		}
	}
	s.simulate(requested, order.AppointmentPending, 0)
	return booked, requested
}

// TestExistingAppointments checks that the active appointments of the
// patient's other orders are those the one-active rule sees, the order's
// own left out.
func TestExistingAppointments(t *testing.T) {
	s, err := New(WithStart(at0), WithPreRequisitionScheduling())
	if err != nil {
		t.Fatal(err)
	}
	booked, requested := twoActive(t, s)
	third := s.orders[placeForFuzz(t, s)]
	for range 20 { // the index is a map: any order of iteration
		for _, tc := range []struct {
			e    *entry
			want []*entry
		}{{booked, []*entry{requested}}, {requested, []*entry{booked}}, {third, []*entry{booked, requested}}} {
			got := s.existing(tc.e)
			if len(got) != len(tc.want) {
				t.Fatalf("%d appointments of the patient's other orders, want %d", len(got), len(tc.want))
			}
			for _, w := range tc.want {
				act, _ := w.flow.Active()
				found := false
				for _, a := range got {
					found = found || a.ID == act.ID
				}
				if !found {
					t.Fatalf("appointment %s not among the others'", act.ID)
				}
			}
		}
	}
}

// TestIndexForgetsInactive checks that an order leaves its patient's index
// of active appointments when its appointment ends, and that the patient
// leaves the index with the last one, while the other orders stay.
func TestIndexForgetsInactive(t *testing.T) {
	s, err := New(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	a, b := twoActive(t, s)
	s.settle()
	user := a.flow.UserID
	if user != b.flow.UserID {
		t.Fatalf("two patients: %s and %s", user, b.flow.UserID)
	}
	if got := len(s.byUser[user]); got != 2 {
		t.Fatalf("%d orders indexed, want 2", got)
	}
	s.simulate(a, order.DrawCompleted, 0) // the appointment is over
	s.settle()
	if _, ok := s.byUser[user][a]; ok || len(s.byUser[user]) != 1 {
		t.Fatalf("index after one draw: %v, want only the other order", s.byUser[user])
	}
	if _, ok := s.byUser[user][b]; !ok {
		t.Fatal("the order still booked left the index")
	}
	s.simulate(b, order.DrawCompleted, 0)
	s.settle()
	if set, ok := s.byUser[user]; ok {
		t.Fatalf("the patient is still indexed with %d orders", len(set))
	}
}

// TestRefusedSimulationStops checks that a simulation stops where the
// rules refuse a step, with a delay between steps too.
func TestRefusedSimulationStops(t *testing.T) {
	s, err := New(WithStart(at0))
	if err != nil {
		t.Fatal(err)
	}
	minor := strings.Replace(validCreateOrder, `"dob": "1990-01-01T00:00:00+00:00"`, `"dob": "2015-01-01"`, 1)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, newRequest(http.MethodPost, "/v3/order", strings.NewReader(minor)))
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
	}
	var e *entry
	for _, o := range s.orders {
		e = o
	}
	s.mu.Lock()
	s.simulate(e, order.Completed, time.Hour)
	s.mu.Unlock()
	s.Advance(5 * time.Hour)
	if e.sim.on || e.flow.Status != order.RequisitionCreated {
		t.Fatalf("simulation on %v, status %s", e.sim.on, e.flow.Status)
	}
}
