package track

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// extended returns e with entry appended to its order history.
func extended(e webhook.Event, entry order.HistoryEntry) webhook.Event {
	e = detached(e)
	e.Order.History = append(e.Order.History[:len(e.Order.History):len(e.Order.History)], entry)
	return e
}

// TestExtendOrder checks news that extends a held order history: only the
// new entries are checked, with the verdict of order.ValidateHistory over
// the whole history.
func TestExtendOrder(t *testing.T) {
	base := orderEvent("o1", step{order.Ordered, 2, ""}, step{order.RequisitionCreated, 3, ""})
	untimed := orderEvent("o1", step{order.Ordered, 2, ""}, step{order.RequisitionCreated, 3, ""})
	untimed.Order.History[1].CreatedAt = time.Time{}
	pending := func(h float64) order.HistoryEntry {
		return order.HistoryEntry{ID: 102, CreatedAt: at(h), Status: order.AppointmentPending}
	}
	for _, c := range []struct {
		name       string
		held, news webhook.Event
		want       error
	}{
		{"earlier than the last entry", base, extended(base, pending(2.5)), order.ErrOutOfOrder},
		{"earlier than the last entry with a time", untimed, extended(untimed, pending(1)), order.ErrOutOfOrder},
		{"id not increasing", base, extended(base, order.HistoryEntry{ID: 101, CreatedAt: at(4), Status: order.AppointmentPending}), order.ErrIDNotIncreasing},
		{"unknown status", base, extended(base, order.HistoryEntry{ID: 102, CreatedAt: at(4), StatusText: "collecting_sample.at_home_phlebotomy.lost"}), order.ErrUnknownStatus},
		{"not a step", base, extended(base, order.HistoryEntry{ID: 102, CreatedAt: at(4), Status: order.Completed}), order.ErrInvalidTransition},
	} {
		t.Run(c.name, func(t *testing.T) {
			held, _, err := Tracked{}.Apply(c.held)
			require.NoError(t, err)
			_, _, err = held.Apply(c.news)
			require.ErrorIs(t, err, c.want)
			he, ok := errors.AsType[*order.TransitionError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, 2, he.Index)
		})
	}
	t.Run("first entry not ordered", func(t *testing.T) {
		_, _, err := Tracked{}.Apply(orderEvent("o1", step{order.RequisitionCreated, 3, ""}))
		require.ErrorIs(t, err, order.ErrInvalidTransition)
	})

	// What the plain checks leave to the whole history's: a jump, and an
	// entry without a time after one with a time.
	held, _, err := Tracked{}.Apply(base)
	require.NoError(t, err)
	_, changes, err := held.Apply(extended(base, order.HistoryEntry{ID: 102, CreatedAt: at(4), Status: order.AppointmentScheduled}))
	require.NoError(t, err)
	require.Len(t, changes, 1)
	assert.Equal(t, OrderStep{OrderID: "o1", EventID: 102, At: at(4), From: order.RequisitionCreated, To: order.AppointmentScheduled,
		Jump: true, Transitions: []order.Transition{
			{From: order.RequisitionCreated, Trigger: order.PlaceAppointment, To: order.AppointmentPending},
			{From: order.AppointmentPending, Trigger: order.ScheduleAppointment, To: order.AppointmentScheduled},
		}}, changes[0])
	news := extended(base, order.HistoryEntry{ID: 102, Status: order.AppointmentPending})
	news = extended(news, order.HistoryEntry{ID: 103, CreatedAt: at(5), Status: order.AppointmentScheduled})
	_, changes, err = held.Apply(news)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"- order o1 #102 requisition_created -> appointment_pending",
		"2026-11-23T14:00:00Z order o1 #103 appointment_pending -> appointment_scheduled",
	}, lines(changes))
	// A plain step, and the steps of a fresh history.
	_, changes, err = held.Apply(extended(base, pending(4)))
	require.NoError(t, err)
	assert.Equal(t, []Change{OrderStep{OrderID: "o1", EventID: 102, At: at(4), From: order.RequisitionCreated, To: order.AppointmentPending,
		Transitions: []order.Transition{{From: order.RequisitionCreated, Trigger: order.PlaceAppointment, To: order.AppointmentPending}}}}, changes)
	_, changes, err = Tracked{}.Apply(base)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		OrderStep{OrderID: "o1", EventID: 100, At: at(2), To: order.Ordered},
		OrderStep{OrderID: "o1", EventID: 101, At: at(3), From: order.Ordered, To: order.RequisitionCreated,
			Transitions: []order.Transition{{From: order.Ordered, Trigger: order.CreateRequisition, To: order.RequisitionCreated}}},
	}, changes)
}

// TestExtendAppointment checks news that extends a held appointment
// history: the new entries are checked against the last known one with a
// time, and an error names the entry's place in the whole history.
func TestExtendAppointment(t *testing.T) {
	untimed := func(e webhook.Event, i ...int) webhook.Event {
		e = detached(e)
		e.Appointment.History = append([]appointment.HistoryEntry(nil), e.Appointment.History...)
		for _, k := range i {
			e.Appointment.History[k].CreatedAt = time.Time{}
		}
		return e
	}
	a := []astep{{appointment.Pending, 2}, {appointment.Confirmed, 3}}
	base := apptEvent("o1", "a1", 48, a...)
	lost := apptEvent("o1", "a1", 48, append(a, astep{appointment.InProgress, 4})...)
	lost.Appointment.History[2].Status = "lost"
	for _, c := range []struct {
		name       string
		held, news webhook.Event
		want       error
	}{
		{"earlier than the last entry", base, apptEvent("o1", "a1", 48, append(a, astep{appointment.InProgress, 2.5})...), appointment.ErrOutOfOrder},
		{"earlier than the last entry with a time", untimed(base, 1), untimed(apptEvent("o1", "a1", 48, append(a, astep{appointment.InProgress, 1})...), 1), appointment.ErrOutOfOrder},
		{"unknown status", base, lost, appointment.ErrUnknownStatus},
		{"not a step", base, apptEvent("o1", "a1", 48, append(a, astep{appointment.Pending, 4})...), appointment.ErrInvalidTransition},
	} {
		t.Run(c.name, func(t *testing.T) {
			held, _, err := Tracked{}.Apply(c.held)
			require.NoError(t, err)
			_, _, err = held.Apply(c.news)
			require.ErrorIs(t, err, c.want)
			he, ok := errors.AsType[*appointment.TransitionError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, 2, he.Index)
			assert.Equal(t, appointment.Confirmed, he.From)
		})
	}
	// No time anywhere before the news: nothing to compare it with.
	held, _, err := Tracked{}.Apply(untimed(base, 0, 1))
	require.NoError(t, err)
	_, changes, err := held.Apply(untimed(apptEvent("o1", "a1", 48, append(a, astep{appointment.InProgress, 1})...), 0, 1))
	require.NoError(t, err)
	assert.Equal(t, []string{"2026-11-23T10:00:00Z appointment a1 confirmed -> in_progress"}, lines(changes))
}

// TestAllocs checks that news of one plain step is read without going over
// the whole history again: a change, its transition, the changes, the
// snapshot and the point.
func TestAllocs(t *testing.T) {
	events := booked()
	held, _ := run(t, without(events, lastOrder))
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := held.Apply(events[lastOrder]); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 5.0)
}

// TestLifecycleOrder checks that the changes of one delivery come in the
// order of the history they are read from, also where an entry has no
// time.
func TestLifecycleOrder(t *testing.T) {
	o := orderEvent("o1", step{order.Ordered, 2, ""}, step{order.RequisitionCreated, 3, ""},
		step{order.AppointmentPending, 4, "a1"}, step{order.AppointmentScheduled, 5, "a1"})
	o.Order.History[2].CreatedAt = time.Time{}
	_, changes, err := Tracked{}.Apply(o)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"2026-11-23T11:00:00Z order o1 #100 created ordered",
		"2026-11-23T12:00:00Z order o1 #101 ordered -> requisition_created",
		"- order o1 #102 requisition_created -> appointment_pending",
		"2026-11-23T14:00:00Z order o1 #103 appointment_pending -> appointment_scheduled",
	}, lines(changes))
	a := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Confirmed, 2}, astep{appointment.InProgress, 3})
	a.Appointment.History[1].CreatedAt = time.Time{}
	_, changes, err = Tracked{}.Apply(a)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"2026-11-23T10:00:00Z appointment a1 created pending",
		"- appointment a1 pending -> confirmed",
		"2026-11-23T12:00:00Z appointment a1 confirmed -> in_progress",
	}, lines(changes))
}

// TestAutoCancelledByTime checks that the auto-cancellations an order
// delivery brings to light are merged with its steps in the order they
// happened, whatever the ids of their appointments.
func TestAutoCancelledByTime(t *testing.T) {
	var o Tracked
	for _, e := range []webhook.Event{
		apptEvent("o1", "a1", -1, astep{appointment.Pending, 1}, astep{appointment.Cancelled, 9.5}),
		apptEvent("o1", "a2", -1, astep{appointment.Pending, 1}, astep{appointment.Cancelled, 9}),
	} {
		var err error
		o, _, err = o.Apply(e)
		require.NoError(t, err)
	}
	_, changes, err := o.Apply(orderEvent("o1", step{order.Ordered, 0, ""}, step{order.RequisitionCreated, 10, ""}))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"2026-11-23T09:00:00Z order o1 #100 created ordered",
		"2026-11-23T18:00:00Z appointment a2 auto-cancelled (inferred: order_age)",
		"2026-11-23T18:30:00Z appointment a1 auto-cancelled (inferred: order_age)",
		"2026-11-23T19:00:00Z order o1 #101 ordered -> requisition_created",
	}, lines(changes))
	assert.Equal(t, 1, changes[1].(AutoCancelled).Index)

	// More auto-cancellations than steps.
	o, _, err = o.Apply(orderEvent("o1", step{order.Ordered, 0, ""}))
	require.NoError(t, err)
	_, changes, err = o.Apply(orderEvent("o1", step{order.Ordered, 0, ""}, step{order.RequisitionCreated, 10, ""}))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"2026-11-23T18:00:00Z appointment a2 auto-cancelled (inferred: order_age)",
		"2026-11-23T18:30:00Z appointment a1 auto-cancelled (inferred: order_age)",
		"2026-11-23T19:00:00Z order o1 #101 ordered -> requisition_created",
	}, lines(changes))
}

func TestSlotString(t *testing.T) {
	start, end := at(48), at(50)
	for _, c := range []struct {
		slot Slot
		want string
	}{
		{Slot{}, "none"},
		{Slot{Start: start, End: end}, "2026-11-25T09:00:00Z/2026-11-25T11:00:00Z"},
		{Slot{Start: start}, "2026-11-25T09:00:00Z/"},
		{Slot{End: end}, "/2026-11-25T11:00:00Z"},
	} {
		assert.Equal(t, c.want, slotText(c.slot), "%#v", c.slot)
	}
}
