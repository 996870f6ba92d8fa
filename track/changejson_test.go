package track

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/scheduling"
)

func TestChangeForms(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 5, time.UTC)
	slot := Slot{Start: at.Add(48 * time.Hour), End: at.Add(50 * time.Hour)}
	for _, c := range []struct {
		change Change
		key    string
		json   string
	}{
		{OrderStep{OrderID: "o/1", EventID: 1, At: at, To: order.Ordered}, "o%2F1/order_step/1",
			`{"kind":"order_step","order_id":"o/1","event_id":1,"at":"2026-11-23T12:00:00.000000005Z","to":"ordered"}`},
		{OrderStep{OrderID: "o1", EventID: 3, From: order.RequisitionCreated, To: order.AppointmentScheduled, Detail: "why", Jump: true,
			Transitions: []order.Transition{
				{From: order.RequisitionCreated, Trigger: order.PlaceAppointment, To: order.AppointmentPending},
				{From: order.AppointmentPending, Trigger: order.ScheduleAppointment, To: order.AppointmentScheduled},
			}}, "o1/order_step/3",
			`{"kind":"order_step","order_id":"o1","event_id":3,"from":"requisition_created","to":"appointment_scheduled","detail":"why","jump":true,` +
				`"transitions":[{"from":"requisition_created","trigger":"place_appointment","to":"appointment_pending"},` +
				`{"from":"appointment_pending","trigger":"schedule_appointment","to":"appointment_scheduled"}]}`},
		{AppointmentStep{OrderID: "o1", AppointmentID: "a/1", Index: 0, At: at, To: appointment.Pending}, "o1/appointment_step/a%2F1/0",
			`{"kind":"appointment_step","order_id":"o1","appointment_id":"a/1","index":0,"at":"2026-11-23T12:00:00.000000005Z","to":"pending"}`},
		{AppointmentStep{OrderID: "o1", AppointmentID: "a1", Index: 2, From: appointment.Confirmed, To: appointment.Confirmed, Reschedule: true},
			"o1/appointment_step/a1/2",
			`{"kind":"appointment_step","order_id":"o1","appointment_id":"a1","index":2,"from":"confirmed","to":"confirmed","reschedule":true}`},
		{Rescheduled{OrderID: "o1", AppointmentID: "a1", Index: 2, At: at, From: Slot{}, To: slot}, "o1/rescheduled/a1/2",
			`{"kind":"rescheduled","order_id":"o1","appointment_id":"a1","index":2,"at":"2026-11-23T12:00:00.000000005Z","from":{},` +
				`"to":{"start":"2026-11-25T12:00:00.000000005Z","end":"2026-11-25T14:00:00.000000005Z"}}`},
		{ActiveChanged{OrderID: "o1", EventID: 4, At: at, From: "", To: "a1"}, "o1/active_changed/4//a1",
			`{"kind":"active_changed","order_id":"o1","event_id":4,"at":"2026-11-23T12:00:00.000000005Z","from":"","to":"a1"}`},
		{ActiveChanged{OrderID: "o1", EventID: 4, From: "a/1", To: "a2"}, "o1/active_changed/4/a%2F1/a2",
			`{"kind":"active_changed","order_id":"o1","event_id":4,"from":"a/1","to":"a2"}`},
		{AutoCancelled{OrderID: "o1", AppointmentID: "a1", Index: 2, At: at, Rule: scheduling.OrderAge}, "o1/auto_cancelled/a1/2",
			`{"kind":"auto_cancelled","order_id":"o1","appointment_id":"a1","index":2,"at":"2026-11-23T12:00:00.000000005Z","rule":"order_age"}`},
		{AutoCancelled{OrderID: "o1", AppointmentID: "a1", Index: 1, Rule: scheduling.StartSoon}, "o1/auto_cancelled/a1/1",
			`{"kind":"auto_cancelled","order_id":"o1","appointment_id":"a1","index":1,"rule":"start_soon"}`},
	} {
		t.Run(c.key, func(t *testing.T) {
			assert.Equal(t, c.key, c.change.Key())
			b, err := MarshalChange(c.change)
			require.NoError(t, err)
			assert.Equal(t, c.json, string(b))
			back, err := UnmarshalChange(b)
			require.NoError(t, err)
			assert.Equal(t, c.change, back)
		})
	}
}

func TestChangeFormErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		change Change
		msg    string
	}{
		{"nil", nil, "track: malformed stored order: encode change: no change"},
		{"no rule", AutoCancelled{OrderID: "o1"}, `track: malformed stored order: encode change order "o1" at /rule: no rule scheduling.Rule(0)`},
		{"bad rule", AutoCancelled{OrderID: "o1", Rule: 7}, `track: malformed stored order: encode change order "o1" at /rule: no rule scheduling.Rule(7)`},
		{"no status", OrderStep{OrderID: "o1"}, `track: malformed stored order: encode change order "o1" at /to: `},
		{"bad status", AppointmentStep{OrderID: "o2", From: 99, To: appointment.Pending}, `track: malformed stored order: encode change order "o2" at /from: `},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := MarshalChange(c.change)
			assert.Nil(t, b)
			require.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), c.msg)
			assert.Equal(t, c.msg, err.Error()[:min(len(err.Error()), len(c.msg))])
		})
	}
	for _, c := range []struct {
		name, json, orderID, path string
	}{
		{"not JSON", `{"kind": "order_step"`, "", ""},
		{"bad head", `{"kind": 1, "order_id": "o1"}`, "", "/kind"},
		{"twice", `{"kind": "order_step", "kind": "order_step"}`, "", "/kind"},
		{"no kind", `{"order_id": "o1"}`, "o1", "/kind"},
		{"unknown kind", `{"kind": "order_moved", "order_id": "o1"}`, "o1", "/kind"},
		{"unknown member", `{"kind": "order_step", "order_id": "o1", "to": "ordered", "colour": "red"}`, "o1", "/colour"},
		{"unknown status", `{"kind": "order_step", "order_id": "o1", "to": "lost"}`, "o1", "/to"},
		{"unknown trigger", `{"kind": "order_step", "order_id": "o1", "to": "ordered", "transitions": [{"from": "ordered", "trigger": "fly", "to": "ordered"}]}`,
			"o1", "/transitions/0/trigger"},
		{"appointment status", `{"kind": "appointment_step", "order_id": "o1", "to": "lost"}`, "o1", "/to"},
		{"rescheduled", `{"kind": "rescheduled", "order_id": "o1", "from": {"start": 3}}`, "o1", "/from/start"},
		{"active", `{"kind": "active_changed", "order_id": "o1", "event_id": "4"}`, "o1", "/event_id"},
		{"auto-cancelled", `{"kind": "auto_cancelled", "order_id": "o1", "index": -0.5}`, "o1", "/index"},
		{"unknown rule", `{"kind": "auto_cancelled", "order_id": "o1", "rule": "whim"}`, "o1", "/rule"},
		{"after", `{"kind": "active_changed", "order_id": "o1"} {}`, "o1", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch, err := UnmarshalChange([]byte(c.json))
			assert.Nil(t, ch)
			require.ErrorIs(t, err, ErrMalformed)
			e, ok := errors.AsType[*Error](err)
			require.True(t, ok)
			assert.Equal(t, "decode change", e.Op)
			assert.Equal(t, c.orderID, e.OrderID)
			assert.Equal(t, c.path, e.Path)
		})
	}
}
