package track

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/webhook"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// step is one entry of a hand-built order history: a status at an hour, and
// the active appointment the snapshot names.
type step struct {
	s    order.Status
	h    float64
	appt string
}

// orderEvent returns the order event whose history is steps.
func orderEvent(id string, steps ...step) webhook.Event {
	o := order.Order{ID: id, CreatedAt: at(0), UpdatedAt: at(steps[len(steps)-1].h),
		Details: order.Details{Type: order.ModalityAtHomePhlebotomy, AppointmentID: steps[len(steps)-1].appt}}
	for i, s := range steps {
		o.History = append(o.History, order.HistoryEntry{ID: int64(100 + i), CreatedAt: at(s.h), Status: s.s})
	}
	typ := webhook.OrderUpdated
	if len(steps) == 1 {
		typ = webhook.OrderCreated
	}
	return webhook.Event{Type: typ, Order: &o}
}

// detached returns e with a copy of its snapshot, which the caller may
// change without changing e's.
func detached(e webhook.Event) webhook.Event {
	if e.Order != nil {
		o := *e.Order
		e.Order = &o
	}
	if e.Appointment != nil {
		a := *e.Appointment
		e.Appointment = &a
	}
	return e
}

// astep is one entry of a hand-built appointment history.
type astep struct {
	s appointment.Status
	h float64
}

// apptEvent returns the appointment event whose history is steps, with the
// slot starting at start hours (none when negative).
func apptEvent(orderID, id string, start float64, steps ...astep) webhook.Event {
	a := appointment.Appointment{ID: id, OrderID: orderID, Type: appointment.Phlebotomy, Provider: provider.Getlabs}
	if start >= 0 {
		a.StartAt, a.EndAt = at(start), at(start+2)
	}
	for i, s := range steps {
		e := appointment.HistoryEntry{CreatedAt: at(s.h), Status: s.s.EventStatus()}
		if i > 0 && s.s == steps[i-1].s {
			e.Data = jsontext.Value(`{"is_reschedule":true}`)
		}
		a.History = append(a.History, e)
	}
	last := steps[len(steps)-1].s
	a.Status, a.EventStatus = last, last
	typ := webhook.AppointmentUpdated
	if len(steps) == 1 {
		typ = webhook.AppointmentCreated
	}
	return webhook.Event{Type: typ, Appointment: &a}
}

// booked is one order booked after its requisition, rescheduled once, drawn:
// the deliveries Junction sends, in order.
func booked() []webhook.Event {
	o := []step{{order.Ordered, 0, ""}, {order.RequisitionCreated, 1, ""}, {order.AppointmentPending, 2, "a1"},
		{order.AppointmentScheduled, 2, "a1"}, {order.AppointmentScheduled, 3, "a1"}, {order.DrawCompleted, 50, "a1"}}
	a := []astep{{appointment.Pending, 2}, {appointment.Confirmed, 2}, {appointment.Confirmed, 3},
		{appointment.InProgress, 49}, {appointment.Completed, 50}}
	slot := []float64{-1, 48, 50, 50, 50}
	return []webhook.Event{
		orderEvent("o1", o[:1]...), orderEvent("o1", o[:2]...), orderEvent("o1", o[:3]...),
		apptEvent("o1", "a1", slot[0], a[:1]...), orderEvent("o1", o[:4]...), apptEvent("o1", "a1", slot[1], a[:2]...),
		orderEvent("o1", o[:5]...), apptEvent("o1", "a1", slot[2], a[:3]...),
		apptEvent("o1", "a1", slot[3], a[:4]...), apptEvent("o1", "a1", slot[4], a[:5]...), orderEvent("o1", o[:6]...),
	}
}

// run applies events in turn and returns the value and every change.
func run(t testing.TB, events []webhook.Event) (Tracked, []Change) {
	t.Helper()
	var o Tracked
	var all []Change
	for _, e := range events {
		next, changes, err := o.Apply(e)
		require.NoError(t, err, "Apply(%v)", e)
		o = next
		all = append(all, changes...)
	}
	return o, all
}

func lines(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

func TestInOrder(t *testing.T) {
	o, changes := run(t, booked())
	assert.Equal(t, []string{
		"2026-11-23T09:00:00Z order o1 #100 created ordered",
		"2026-11-23T10:00:00Z order o1 #101 ordered -> requisition_created",
		"2026-11-23T11:00:00Z order o1 #102 requisition_created -> appointment_pending",
		"2026-11-23T11:00:00Z order o1 #102 active appointment none -> a1",
		"2026-11-23T11:00:00Z appointment a1 created pending",
		"2026-11-23T11:00:00Z order o1 #103 appointment_pending -> appointment_scheduled",
		"2026-11-23T11:00:00Z appointment a1 pending -> confirmed",
		"2026-11-23T12:00:00Z order o1 #104 appointment_scheduled -> appointment_scheduled",
		"2026-11-23T12:00:00Z appointment a1 confirmed rescheduled",
		"2026-11-23T12:00:00Z appointment a1 moved from 2026-11-25T09:00:00Z/2026-11-25T11:00:00Z to 2026-11-25T11:00:00Z/2026-11-25T13:00:00Z",
		"2026-11-25T10:00:00Z appointment a1 confirmed -> in_progress",
		"2026-11-25T11:00:00Z appointment a1 in_progress -> completed",
		"2026-11-25T11:00:00Z order o1 #105 appointment_scheduled -> draw_completed",
	}, lines(changes))
	assert.Equal(t, "o1", o.ID())
	assert.Equal(t, order.DrawCompleted, o.Status())
	require.Len(t, o.Appointments(), 1)
	a := o.Appointments()[0]
	assert.Equal(t, "a1", a.ID)
	assert.Equal(t, appointment.Completed, a.EffectiveStatus())
	_, ok := o.Active()
	assert.False(t, ok, "a completed appointment is not active")
	snap, ok := o.Snapshot()
	require.True(t, ok)
	assert.Len(t, snap.History, 6)
	assert.Len(t, o.Appointments(), 1)
}

// TestAnyOrder delivers the booked order's events in many orders, with
// duplicates and late redeliveries: the value and the changes, each once,
// are those of in-order delivery.
func TestAnyOrder(t *testing.T) {
	events := booked()
	want, wantChanges := run(t, events)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		deliveries := slices.Clone(events)
		for range rng.IntN(6) {
			deliveries = append(deliveries, events[rng.IntN(len(events))])
		}
		rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
		got, changes := run(t, deliveries)
		require.True(t, reflect.DeepEqual(want, got), "delivery %d: value differs", i)
		require.ElementsMatch(t, lines(wantChanges), lines(changes), "delivery %d", i)
	}
}

func TestNoOp(t *testing.T) {
	events := booked()
	o, _ := run(t, events)
	for _, e := range events {
		next, changes, err := o.Apply(e)
		require.NoError(t, err)
		assert.Empty(t, changes)
		assert.True(t, reflect.DeepEqual(o, next))
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, e := range events {
			_, _, _ = o.Apply(e)
		}
	})
	assert.Zero(t, allocs, "a stale or duplicate delivery allocates nothing")
}

func TestJump(t *testing.T) {
	// Junction's own example history goes from requisition_created to
	// appointment_scheduled.
	_, changes := run(t, []webhook.Event{orderEvent("o1",
		step{order.Ordered, 0, ""}, step{order.RequisitionCreated, 1, ""}, step{order.AppointmentScheduled, 2, "a1"})})
	require.Len(t, changes, 3)
	s := changes[2].(OrderStep)
	assert.True(t, s.Jump)
	assert.Equal(t, []order.Transition{
		{From: order.RequisitionCreated, Trigger: order.PlaceAppointment, To: order.AppointmentPending},
		{From: order.AppointmentPending, Trigger: order.ScheduleAppointment, To: order.AppointmentScheduled},
	}, s.Transitions)
	assert.Equal(t, "2026-11-23T11:00:00Z order o1 #102 requisition_created -> appointment_scheduled (jump via appointment_pending)", s.String())
}

func TestRefused(t *testing.T) {
	o, _ := run(t, booked()[:5])
	walkIn := orderEvent("o1", step{order.Ordered, 0, ""})
	walkIn.Order.Details.Type = order.ModalityWalkInTest
	psc := apptEvent("o1", "a9", 5, astep{appointment.Pending, 1})
	psc.Appointment.Type = appointment.PatientServiceCenter
	noID := apptEvent("o1", "", 5, astep{appointment.Pending, 1})
	// o holds the order up to appointment_scheduled and the appointment
	// pending: these extend them with a step that is not a transition.
	badHistory := orderEvent("o1", step{order.Ordered, 0, ""}, step{order.RequisitionCreated, 1, ""},
		step{order.AppointmentPending, 2, "a1"}, step{order.AppointmentScheduled, 2, "a1"}, step{order.Completed, 3, "a1"})
	badAppt := apptEvent("o1", "a1", 5, astep{appointment.Pending, 2}, astep{appointment.Completed, 3})
	diverging := orderEvent("o1", step{order.Ordered, 0, ""}, step{order.Cancelled, 1, ""})
	divergingAppt := apptEvent("o1", "a1", 5, astep{appointment.Pending, 1.5}, astep{appointment.Cancelled, 2})
	noOrderID := apptEvent("", "a1", 5, astep{appointment.Pending, 1})
	for _, c := range []struct {
		name string
		e    webhook.Event
		want error
		path string // of the *Error, "" for a *ConflictError
	}{
		{"another order", orderEvent("o2", step{order.Ordered, 0, ""}), ErrOtherOrder, "/data/id"},
		{"no type", webhook.Event{}, ErrInvalidEvent, "/event_type"},
		{"order event without its order", webhook.Event{Type: webhook.OrderUpdated}, ErrInvalidEvent, "/data/id"},
		{"appointment event without its appointment", webhook.Event{Type: webhook.AppointmentUpdated}, ErrInvalidEvent, "/data/order_id"},
		{"no order id", orderEvent("", step{order.Ordered, 0, ""}), ErrInvalidEvent, "/data/id"},
		{"appointment without order id", noOrderID, ErrInvalidEvent, "/data/order_id"},
		{"walk-in order", walkIn, ErrInvalidEvent, "/data/details/type"},
		{"patient service centre appointment", psc, ErrInvalidEvent, "/data/type"},
		{"appointment without id", noID, ErrInvalidEvent, "/data/id"},
		{"history not a path", badHistory, order.ErrInvalidHistory, "/data/events"},
		{"appointment history not a path", badAppt, appointment.ErrInvalidHistory, "/data/events"},
		{"diverging order history", diverging, ErrConflict, ""},
		{"diverging appointment history", divergingAppt, ErrConflict, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			next, changes, err := o.Apply(c.e)
			require.ErrorIs(t, err, c.want)
			require.ErrorIs(t, err, ErrInvalidEvent)
			if c.path != "" {
				e, ok := errors.AsType[*Error](err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, "apply", e.Op)
				assert.Equal(t, "o1", e.OrderID)
				assert.Equal(t, c.path, e.Path)
			}
			assert.Regexp(t, `^track: `, err.Error())
			assert.Nil(t, changes)
			assert.True(t, reflect.DeepEqual(o, next), "the value is unchanged")
		})
	}
	_, _, err := o.Apply(diverging)
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 1, ce.Index)
	assert.Len(t, ce.HeldOrder, 4, "both histories stay visible")
	assert.Len(t, ce.ReceivedOrder, 2)
	assert.Equal(t, `track: diverging histories: order "o1" at events[1]`, ce.Error())
	_, _, err = o.Apply(divergingAppt)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "a1", ce.AppointmentID)
	assert.Equal(t, 0, ce.Index)
	assert.Len(t, ce.HeldAppointment, 1)
	assert.Len(t, ce.ReceivedAppointment, 2)
}

// TestReschedule checks that a reschedule's slots come from the snapshots
// just before and after it, whichever arrives first.
func TestReschedule(t *testing.T) {
	a := []astep{{appointment.Pending, 1}, {appointment.Confirmed, 1}, {appointment.Confirmed, 2}, {appointment.Confirmed, 3}}
	before := apptEvent("o1", "a1", 48, a[:2]...)
	after := apptEvent("o1", "a1", 72, a[:3]...)
	again := apptEvent("o1", "a1", 96, a[:4]...)
	for _, order := range [][]webhook.Event{
		{before, after, again}, {again, after, before}, {after, again, before}, {again, before, after},
	} {
		_, changes := run(t, order)
		var moves []string
		for _, c := range changes {
			if r, ok := c.(Rescheduled); ok {
				moves = append(moves, r.From.Start.Format(time.RFC3339)+" -> "+r.To.Start.Format(time.RFC3339))
			}
		}
		assert.ElementsMatch(t, []string{
			"2026-11-25T09:00:00Z -> 2026-11-26T09:00:00Z",
			"2026-11-26T09:00:00Z -> 2026-11-27T09:00:00Z",
		}, moves)
	}
	// Only the last snapshot: the steps are known, the slots are not.
	_, changes := run(t, []webhook.Event{again})
	assert.Len(t, changes, 4)
	for _, c := range changes {
		assert.IsType(t, AppointmentStep{}, c)
	}
	assert.True(t, changes[3].(AppointmentStep).Reschedule)
}

func TestActiveChanged(t *testing.T) {
	s := []step{{order.Ordered, 0, ""}, {order.RequisitionCreated, 1, ""}, {order.AppointmentPending, 2, "a1"},
		{order.AppointmentCancelled, 3, "a1"}, {order.AppointmentPending, 4, "a2"}}
	var events []webhook.Event
	for i := range s {
		events = append(events, orderEvent("o1", s[:i+1]...))
	}
	_, changes := run(t, events)
	var active []ActiveChanged
	for _, c := range changes {
		if a, ok := c.(ActiveChanged); ok {
			active = append(active, a)
		}
	}
	require.Len(t, active, 2)
	assert.False(t, active[0].Replaced())
	assert.Equal(t, "2026-11-23T13:00:00Z order o1 #104 active appointment a1 -> a2", active[1].String())
	assert.True(t, active[1].Replaced())
	// Missing the snapshot before the change, it is not reported yet.
	_, changes = run(t, []webhook.Event{events[4], events[1]})
	for _, c := range changes {
		assert.NotEqual(t, "ActiveChanged", fmt.Sprintf("%T", c))
	}
}

// autoCancels returns the AutoCancelled changes among cs.
func autoCancels(cs []Change) []AutoCancelled {
	var out []AutoCancelled
	for _, c := range cs {
		if a, ok := c.(AutoCancelled); ok {
			out = append(out, a)
		}
	}
	return out
}

func TestAutoCancelled(t *testing.T) {
	ordered := orderEvent("o1", step{order.Ordered, 0, ""})
	// Booked before the requisition, reserved, cancelled 8 hours and a bit
	// after the order was created: rule 1.
	reserved := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Reserved, 1},
		astep{appointment.Cancelled, 8.5})
	_, changes := run(t, []webhook.Event{ordered, reserved})
	acs := autoCancels(changes)
	require.Len(t, acs, 1)
	assert.Equal(t, scheduling.OrderAge, acs[0].Rule)
	assert.Equal(t, "2026-11-23T17:30:00Z appointment a1 auto-cancelled (inferred: order_age)", acs[0].String())
	assert.Equal(t, at(8.5), acs[0].when())
	// The appointment's event first: inferred when the order arrives.
	_, changes = run(t, []webhook.Event{reserved, ordered})
	assert.Len(t, autoCancels(changes), 1)
	// Exactly at the 8 hours, the rule does not hold yet.
	edge := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Reserved, 1},
		astep{appointment.Cancelled, 8})
	_, changes = run(t, []webhook.Event{ordered, edge})
	assert.Empty(t, autoCancels(changes))
	// Cancelled within the rules (the customer cancelled): not inferred.
	early := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Reserved, 1},
		astep{appointment.Cancelled, 2})
	_, changes = run(t, []webhook.Event{ordered, early})
	assert.Empty(t, autoCancels(changes))
	// Start soon: rule 2, for an appointment starting 3 hours after booking
	// and cancelled 1.5 hours before.
	soon := apptEvent("o1", "a1", 4, astep{appointment.Pending, 1}, astep{appointment.Reserved, 1},
		astep{appointment.Cancelled, 2.5})
	_, changes = run(t, []webhook.Event{ordered, soon})
	acs = autoCancels(changes)
	require.Len(t, acs, 1)
	assert.Equal(t, scheduling.StartSoon, acs[0].Rule)
	// A pending request, cancelled 9 hours after the order: inferred only
	// once the order's history shows no requisition before and goes on past
	// the cancellation.
	pending := apptEvent("o1", "a1", -1, astep{appointment.Pending, 1}, astep{appointment.Cancelled, 9})
	_, changes = run(t, []webhook.Event{ordered, pending})
	assert.Empty(t, autoCancels(changes))
	later := orderEvent("o1", step{order.Ordered, 0, ""}, step{order.RequisitionCreated, 10, ""})
	for _, events := range [][]webhook.Event{{ordered, pending, later}, {later, pending}, {pending, later, ordered}} {
		_, changes = run(t, events)
		assert.Len(t, autoCancels(changes), 1)
	}
	// With the requisition before the cancellation: not an auto-cancellation.
	reqFirst := orderEvent("o1", step{order.Ordered, 0, ""}, step{order.RequisitionCreated, 5, ""},
		step{order.AppointmentPending, 5, "a1"}, step{order.AppointmentCancelled, 9, "a1"})
	_, changes = run(t, []webhook.Event{reqFirst, pending})
	assert.Empty(t, autoCancels(changes))
	// A scheduled order (activate_by) is not subject to rule 1.
	scheduled := orderEvent("o1", step{order.Ordered, 0, ""})
	scheduled.Order.ActivateBy = order.DateOf(at(24))
	_, changes = run(t, []webhook.Event{scheduled, reserved})
	assert.Empty(t, autoCancels(changes))
}

func TestStored(t *testing.T) {
	var empty Tracked
	b, err := json.Marshal(empty)
	require.NoError(t, err)
	var back Tracked
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, reflect.DeepEqual(empty, back))

	o, _ := run(t, booked())
	b, err = json.Marshal(o)
	require.NoError(t, err)
	back = Tracked{}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, reflect.DeepEqual(o, back), "JSON round trip")
	assert.True(t, o.Equal(back))
	v, err := o.Value()
	require.NoError(t, err)
	var scanned Tracked
	require.NoError(t, scanned.Scan(v))
	assert.True(t, reflect.DeepEqual(o, scanned), "database round trip")
	require.NoError(t, scanned.Scan(string(v.([]byte))))
	assert.True(t, reflect.DeepEqual(o, scanned))

	// A value read back behaves as the original.
	extra := apptEvent("o1", "a2", 100, astep{appointment.Pending, 60})
	n1, c1, err1 := o.Apply(extra)
	n2, c2, err2 := back.Apply(extra)
	require.NoError(t, err1)
	require.NoError(t, err2)
	assert.Equal(t, lines(c1), lines(c2))
	assert.True(t, reflect.DeepEqual(n1, n2))
	assert.False(t, n1.Equal(o))

	for name, doc := range map[string]string{
		"not JSON":            `{`,
		"unknown field":       `{"id":"o1","extra":1}`,
		"trailing data":       `{"id":"o1"} {}`,
		"order of another":    `{"id":"o2","order":` + mustJSON(t, *o.snap) + `}`,
		"point beyond":        `{"id":"o1","points":[{"events":1,"appointment_id":""}]}`,
		"points out of order": `{"id":"o1","order":` + mustJSON(t, *o.snap) + `,"points":[{"events":2},{"events":1}]}`,
		"points repeated":     `{"id":"o1","order":` + mustJSON(t, *o.snap) + `,"points":[{"events":1},{"events":1}]}`,
		"appointments repeated": `{"id":"o1","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":0}]},` +
			`{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":0}]}]}`,
		"points out of id order": `{"id":"o1","order":` + mustJSON(t, *o.snap) +
			`,"points":[{"events":1,"appointment_id":"a2"},{"events":1,"appointment_id":"a1"}]}`,
		"slots repeated":               `{"id":"o1","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":1},{"events":1}]}]}`,
		"slot before the history":      `{"id":"o1","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":-1}]}]}`,
		"no id":                        `{"order":` + mustJSON(t, *o.snap) + `}`,
		"appointment of another order": `{"id":"o2","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":0}]}]}`,
		"no slot":                      `{"id":"o1","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[]}]}`,
		"slot beyond":                  `{"id":"o1","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":9}]}]}`,
		"bad appointment":              `{"id":"o1","appointments":[{"appointment":{"status":"x"},"slots":[{"events":0}]}]}`,
		"bad order":                    `{"id":"o1","order":{"events":7}}`,
		"order history not a path":     `{"id":"o1","order":` + mustJSON(t, orderEvent("o1", step{order.RequisitionCreated, 1, ""}).Order) + `}`,
		"appointment history not a path": `{"id":"o1","appointments":[{"appointment":` +
			mustJSON(t, apptEvent("o1", "a1", 5, astep{appointment.Completed, 1}, astep{appointment.Pending, 2}).Appointment) + `,"slots":[{"events":0}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			keep := o
			err := keep.UnmarshalJSON([]byte(doc))
			require.ErrorIs(t, err, ErrMalformed)
			assert.True(t, reflect.DeepEqual(o, keep), "unchanged on error")
		})
	}
	// The error names the order, the member at fault and the cause.
	for _, c := range []struct {
		name, doc, id, path string
		cause               error
	}{
		{"cause", `{"id":"o1","order":{"events":7}}`, "o1", "/order/events", order.ErrMalformed},
		{"repeated member", `{"id":"o1","points":[],"id":"o1"}`, "o1", "/id", nil},
		{"unknown member", `{"id":"o1","Points":[]}`, "o1", "/Points", nil},
		{"wrong type", `{"id":"o1","points":[{"events":"1"}]}`, "o1", "/points/0/events", nil},
		{"truncated", `{"id":"o1","points":[`, "o1", "/points", nil},
		{"point", `{"id":"o1","order":` + mustJSON(t, *o.snap) + `,"points":[{"events":2},{"events":1}]}`, "o1", "/points/1", nil},
		{"slot", `{"id":"o1","appointments":[{"appointment":` + mustJSON(t, *o.appts[0].snap) + `,"slots":[{"events":9}]}]}`,
			"o1", "/appointments/0/slots/0", nil},
		{"no id", `{"order":` + mustJSON(t, *o.snap) + `}`, "", "/order", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := back.UnmarshalJSON([]byte(c.doc))
			e, ok := errors.AsType[*Error](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, "decode", e.Op)
			assert.Equal(t, c.id, e.OrderID)
			assert.Equal(t, c.path, e.Path)
			assert.Equal(t, ErrMalformed, e.Err)
			if c.cause != nil {
				require.ErrorIs(t, err, c.cause)
			}
			assert.Regexp(t, `^track: malformed stored order: decode `, err.Error())
		})
	}
	assert.Equal(t, []error{ErrMalformed}, (&Error{Op: "decode", Reason: "no id", Err: ErrMalformed}).Unwrap())
	assert.Equal(t, `track: malformed stored order: decode order "o1" at /id: no id`,
		(&Error{Op: "decode", OrderID: "o1", Path: "/id", Reason: "no id", Err: ErrMalformed}).Error())

	// An appointment whose snapshot had no history yet: its slot is at 0.
	noHistory := webhook.Event{Type: webhook.AppointmentCreated, Appointment: &appointment.Appointment{ID: "a1", OrderID: "o1",
		Type: appointment.Phlebotomy, StartAt: at(48)}}
	fresh, _, err := Tracked{}.Apply(noHistory)
	require.NoError(t, err)
	b, err = json.Marshal(fresh)
	require.NoError(t, err)
	back = Tracked{}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, reflect.DeepEqual(fresh, back), "%s", b)

	require.ErrorIs(t, scanned.Scan(nil), ErrMalformed)
	require.ErrorIs(t, scanned.Scan(42), ErrMalformed)
	require.NoError(t, scanned.UnmarshalJSON([]byte("null")))
	var nilOrder *Tracked
	require.ErrorIs(t, nilOrder.UnmarshalJSON(b), ErrMalformed)
}

func mustJSON(t *testing.T, v any) string {
	b, err := jsonv2.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestRecordConcurrent has receivers apply a shuffled stream, with
// duplicates, to one store: they converge on the in-order value, and each
// change is returned once.
func TestRecordConcurrent(t *testing.T) {
	events := booked()
	want, wantChanges := run(t, events)
	for round := range 20 {
		var store MemoryStore
		rng := rand.New(rand.NewPCG(uint64(round), 7))
		stream := append(slices.Clone(events), events...)
		rng.Shuffle(len(stream), func(i, j int) { stream[i], stream[j] = stream[j], stream[i] })
		var (
			mu  sync.Mutex
			got []Change
			wg  sync.WaitGroup
		)
		next := make(chan webhook.Event)
		for range 8 {
			wg.Go(func() {
				for e := range next {
					changes, err := Record(context.Background(), &store, e)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					got = append(got, changes...)
					mu.Unlock()
				}
			})
		}
		for _, e := range stream {
			next <- e
		}
		close(next)
		wg.Wait()
		held, version, err := store.Load(context.Background(), "o1")
		require.NoError(t, err)
		assert.Positive(t, version)
		require.True(t, reflect.DeepEqual(want, held))
		require.ElementsMatch(t, lines(wantChanges), lines(got))
	}
}

type failingStore struct {
	load, swap error
	lose       bool
	loads      *int64 // counts loads, the version Load returns; nil for 0
}

func (s failingStore) Load(context.Context, string) (Tracked, int64, error) {
	if s.loads == nil {
		return Tracked{}, 0, s.load
	}
	*s.loads++
	return Tracked{}, *s.loads, s.load
}
func (s failingStore) Swap(context.Context, string, int64, Tracked) (bool, error) {
	return !s.lose, s.swap
}

func TestRecordErrors(t *testing.T) {
	e := booked()[0]
	boom := errors.New("boom")
	_, err := Record(context.Background(), failingStore{load: boom}, e)
	require.ErrorIs(t, err, boom)
	_, err = Record(context.Background(), failingStore{swap: boom}, e)
	require.ErrorIs(t, err, boom)
	loads := int64(0)
	_, err = Record(context.Background(), failingStore{lose: true, loads: &loads}, e)
	require.ErrorIs(t, err, ErrContention)
	assert.Equal(t, `track: too much contention: record order "o1": 100 swaps lost in a row`, err.Error())
	assert.Equal(t, int64(100), loads)
	_, err = Record(context.Background(), failingStore{lose: true}, e)
	require.ErrorIs(t, err, ErrBrokenStore)
	require.NotErrorIs(t, err, ErrContention)
	assert.Equal(t, `track: store refused a swap at its own version: record order "o1": Swap refused version 0, which Load still returns`, err.Error())
	_, err = Record(context.Background(), &MemoryStore{}, webhook.Event{})
	require.ErrorIs(t, err, ErrInvalidEvent)
	// Nothing new: no write.
	var store MemoryStore
	_, err = Record(context.Background(), &store, e)
	require.NoError(t, err)
	changes, err := Record(context.Background(), &store, e)
	require.NoError(t, err)
	assert.Empty(t, changes)
	_, version, _ := store.Load(context.Background(), "o1")
	assert.Equal(t, int64(1), version)
}
