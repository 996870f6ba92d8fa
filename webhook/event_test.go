package webhook

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// types are the valid types, in declaration order: every Type IsValid
// accepts.
var types = func() []Type {
	var ts []Type
	for t := range Type(255) {
		if t.IsValid() {
			ts = append(ts, t)
		}
	}
	return ts
}()

func TestTypes(t *testing.T) {
	want := []struct {
		t           Type
		text        string
		order, appt bool
	}{
		{OrderCreated, "labtest.order.created", true, false},
		{OrderUpdated, "labtest.order.updated", true, false},
		{AppointmentCreated, "labtest.appointment.created", false, true},
		{AppointmentUpdated, "labtest.appointment.updated", false, true},
	}
	require.Len(t, types, len(want))
	for i, c := range want {
		t.Run(c.text, func(t *testing.T) {
			assert.Equal(t, c.t, types[i], "declaration order")
			assert.True(t, c.t.IsValid())
			assert.Equal(t, c.order, c.t.IsOrder())
			assert.Equal(t, c.appt, c.t.IsAppointment())
			assert.Equal(t, c.text, c.t.String())

			text, err := c.t.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, c.text, string(text))
			got, err := ParseType(string(text))
			require.NoError(t, err)
			assert.Equal(t, c.t, got)
			var u Type
			require.NoError(t, u.UnmarshalText(text))
			assert.Equal(t, c.t, u)

			b, err := json.Marshal(map[string]Type{"t": c.t})
			require.NoError(t, err)
			assert.JSONEq(t, `{"t": "`+c.text+`"}`, string(b))
		})
	}
	got, err := ParseType("labtest.appointment.update")
	require.NoError(t, err)
	assert.Equal(t, AppointmentUpdated, got, "the legacy spelling")
}

func TestInvalidTypes(t *testing.T) {
	for _, c := range []struct {
		t    Type
		text string
	}{{0, "webhook.Type(0)"}, {AppointmentUpdated + 1, "webhook.Type(5)"}, {255, "webhook.Type(255)"}} {
		assert.False(t, c.t.IsValid(), c.text)
		assert.False(t, c.t.IsOrder(), c.text)
		assert.False(t, c.t.IsAppointment(), c.text)
		assert.Equal(t, c.text, c.t.String())
		b, err := c.t.MarshalText()
		assert.Nil(t, b)
		require.ErrorIs(t, err, ErrUnknownType)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, &DecodeError{Op: "encode", Value: c.text, Err: ErrUnknownType}, de)
		_, err = json.Marshal(c.t)
		require.ErrorIs(t, err, ErrUnknownType)
	}
	for _, text := range []string{"", "daily.data.sleep.created", "labtest.result.critical", "labtest.order.deleted",
		"labtest.order.update", "Labtest.order.created", "labtest.order.created ", "webhook.Type(1)", "1", "OrderCreated"} {
		got, err := ParseType(text)
		assert.Equal(t, Type(0), got, text)
		require.ErrorIs(t, err, ErrUnknownType, text)
		assert.NotErrorIs(t, err, ErrNotPhlebotomy)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, &DecodeError{Op: "parse", Value: text, Err: ErrUnknownType}, de)

		u := OrderUpdated
		require.ErrorIs(t, u.UnmarshalText([]byte(text)), ErrUnknownType)
		assert.Equal(t, OrderUpdated, u, "a failed UnmarshalText changes nothing")
		require.Error(t, json.Unmarshal([]byte(`"`+text+`"`), &u))
		assert.Equal(t, OrderUpdated, u)
	}
	_, err := ParseType("daily.data.sleep.created")
	assert.EqualError(t, err, `webhook: unknown event type "daily.data.sleep.created"`)

	var nilType *Type
	require.ErrorIs(t, nilType.UnmarshalText([]byte("labtest.order.created")), ErrUnknownType, "no panic on a nil receiver")
}

func TestEventAccessors(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	ord := order.Order{
		ID:      "ord-1",
		Details: order.Details{Type: order.ModalityAtHomePhlebotomy},
		History: []order.HistoryEntry{
			{ID: 1, CreatedAt: at.Add(-time.Hour), Status: order.Ordered},
			{ID: 2, CreatedAt: at, Status: order.RequisitionCreated},
		},
	}
	appt := appointment.Appointment{
		ID: "ord-1-a1", OrderID: "ord-1", Type: appointment.Phlebotomy,
		Status: appointment.Confirmed, EventStatus: appointment.Confirmed,
		EventData: appointment.EventData{IsReschedule: true},
		History: []appointment.HistoryEntry{
			{CreatedAt: at.Add(-time.Hour), Status: "scheduled"},
			{CreatedAt: at.Add(30 * time.Minute), Status: "scheduled"},
		},
	}
	// An order whose last_event is later than its history.
	lastOnly := order.Order{ID: "ord-2", LastEvent: order.HistoryEntry{ID: 7, CreatedAt: at, StatusText: "received.walk_in_test.ordered"}}
	for _, c := range []struct {
		name    string
		e       Event
		orderID string
		at      time.Time
		str     string
	}{
		{"order", Event{Type: OrderUpdated, Order: &ord, Appointment: &appt}, "ord-1", at,
			"2026-11-23T09:00:00Z labtest.order.updated ord-1 received.at_home_phlebotomy.requisition_created"},
		{"order created", Event{Type: OrderCreated, Order: &ord}, "ord-1", at,
			"2026-11-23T09:00:00Z labtest.order.created ord-1 received.at_home_phlebotomy.requisition_created"},
		{"order without history", Event{Type: OrderCreated, Order: &order.Order{ID: "ord-3"}}, "ord-3", time.Time{},
			"labtest.order.created ord-3"},
		{"order with last_event only", Event{Type: OrderUpdated, Order: &lastOnly}, "ord-2", at,
			"2026-11-23T09:00:00Z labtest.order.updated ord-2 received.walk_in_test.ordered"},
		{"appointment rescheduled", Event{Type: AppointmentUpdated, Order: &ord, Appointment: &appt}, "ord-1", at.Add(30 * time.Minute),
			"2026-11-23T09:30:00Z labtest.appointment.updated ord-1-a1 confirmed (reschedule)"},
		{"appointment created", Event{Type: AppointmentCreated, Appointment: &appointment.Appointment{ID: "a2", OrderID: "ord-9", Status: appointment.Pending,
			History: []appointment.HistoryEntry{{CreatedAt: at.Add(123 * time.Millisecond), Status: "pending"}}}},
			"ord-9", at.Add(123 * time.Millisecond), "2026-11-23T09:00:00.123Z labtest.appointment.created a2 pending"},
		{"appointment without history", Event{Type: AppointmentCreated, Order: &ord, Appointment: &appointment.Appointment{ID: "a3", OrderID: "ord-4"}},
			"ord-4", time.Time{}, "labtest.appointment.created a3 appointment.Status(0)"},
		{"appointment entry without a time", Event{Type: AppointmentUpdated, Appointment: &appointment.Appointment{ID: "a4",
			History: []appointment.HistoryEntry{{Status: "pending"}}}}, "", time.Time{}, "labtest.appointment.updated a4 appointment.Status(0)"},
		{"zero event", Event{}, "", time.Time{}, "webhook.Type(0)"},
		{"event of no type", Event{Order: &ord, Appointment: &appt}, "ord-1", at, "2026-11-23T09:00:00Z webhook.Type(0)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.orderID, c.e.OrderID())
			assert.Equal(t, c.at, c.e.At())
			assert.Equal(t, c.str, c.e.String())
		})
	}
	// A time in another zone is written in UTC.
	local := Event{Type: OrderCreated, Order: &order.Order{ID: "o", History: []order.HistoryEntry{{ID: 1, CreatedAt: at.In(time.FixedZone("X", 3600)), StatusText: "s"}}}}
	assert.Equal(t, "2026-11-23T09:00:00Z labtest.order.created o s", local.String())
}
