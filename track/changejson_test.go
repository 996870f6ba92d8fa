package track

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

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

// checkAppendChange holds appendChange to the general path it stands in
// for: it writes exactly the bytes marshalChangeForm writes, after what the
// buffer held, or reports false exactly when marshalChangeForm fails.
func checkAppendChange(tb interface {
	Helper()
	Fatalf(string, ...any)
}, c Change) {
	tb.Helper()
	want, err := marshalChangeForm(c)
	got, ok := appendChange([]byte("[0,"), c)
	switch {
	case ok != (err == nil):
		tb.Fatalf("appendChange(%#v) reports %v, the general path %v", c, ok, err)
	case string(got[:3]) != "[0,":
		tb.Fatalf("appendChange(%#v) wrote over the buffer: %q", c, got)
	case ok && string(got[3:]) != string(want):
		tb.Fatalf("appendChange(%#v) =\n%s\nthe general path writes\n%s", c, got[3:], want)
	}
	if b, merr := MarshalChange(c); string(b) != string(want) || (merr == nil) != (err == nil) {
		tb.Fatalf("MarshalChange(%#v) = %s, %v; want %s, %v", c, b, merr, want, err)
	}
}

// TestAppendChange checks appendChange on every kind of change, each
// member in each of its forms, refusals too.
func TestAppendChange(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 5, time.UTC)
	zoned := at.In(time.FixedZone("EST", -5*3600))
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := order.Transition{From: order.Ordered, Trigger: order.CreateRequisition, To: order.RequisitionCreated}
	for _, c := range []struct{ change Change }{
		{change: OrderStep{OrderID: "o1", EventID: -1, To: order.Ordered}},
		{change: OrderStep{OrderID: "o\"1\xff", EventID: 1, To: order.Ordered}},
		{change: OrderStep{OrderID: "o1", EventID: 2, At: at, From: order.Ordered, To: order.RequisitionCreated, Detail: "d é",
			Jump: true, Transitions: []order.Transition{tr, tr}}},
		{change: OrderStep{OrderID: "o1", At: at, To: order.Completed, Transitions: []order.Transition{tr}}},
		{change: OrderStep{OrderID: "o1", To: order.Completed, Transitions: []order.Transition{{Trigger: 200, To: order.Ordered}}}},
		{change: OrderStep{OrderID: "o1", To: order.Completed, Transitions: []order.Transition{{From: order.Ordered, Trigger: 200, To: 250}}}},
		{change: OrderStep{OrderID: "o1", To: order.Completed, Transitions: []order.Transition{{From: order.Ordered, Trigger: 200, To: order.Ordered}}}},
		{change: OrderStep{OrderID: "o1", To: order.Completed, Detail: "\xff"}},
		{change: OrderStep{OrderID: "o1", From: 200, To: order.Completed}},
		{change: OrderStep{OrderID: "o1"}},
		{change: OrderStep{OrderID: "o1", At: zoned, To: order.Ordered}},
		{change: OrderStep{OrderID: "o1", At: far, To: order.Ordered}},
		{change: OrderStep{OrderID: "o1", At: time.Time{}.In(time.FixedZone("z", 60)), To: order.Ordered}},
		{change: AppointmentStep{OrderID: "o1", AppointmentID: "a1", Index: 3, At: at, From: appointment.Pending, To: appointment.Confirmed,
			Reschedule: true}},
		{change: AppointmentStep{OrderID: "o1", AppointmentID: "a\\1", To: appointment.Pending}},
		{change: AppointmentStep{OrderID: "o1", AppointmentID: "\xff", To: appointment.Pending}},
		{change: AppointmentStep{OrderID: "o1", AppointmentID: "a1", From: 200, To: appointment.Pending}},
		{change: AppointmentStep{OrderID: "o1", AppointmentID: "a1"}},
		{change: AppointmentStep{OrderID: "o1", AppointmentID: "a1", At: zoned, To: appointment.Pending}},
		{change: Rescheduled{OrderID: "o1", AppointmentID: "a1", Index: 2, At: at, From: Slot{at, at.Add(time.Hour)}, To: Slot{at, at}}},
		{change: Rescheduled{OrderID: "o1", AppointmentID: "a1"}},
		{change: Rescheduled{OrderID: "o1", AppointmentID: "a1", From: Slot{End: at}, To: Slot{Start: at}}},
		{change: Rescheduled{OrderID: "o1", AppointmentID: "a1", To: Slot{Start: far}}},
		{change: Rescheduled{OrderID: "o1", AppointmentID: "\xff"}},
		{change: Rescheduled{OrderID: "o1", AppointmentID: "a1", From: Slot{End: zoned}}},
		{change: ActiveChanged{OrderID: "o1", EventID: 4, At: at, From: "a1", To: "a2"}},
		{change: ActiveChanged{OrderID: "o1"}},
		{change: ActiveChanged{OrderID: "o1", To: "\xff"}},
		{change: ActiveChanged{OrderID: "o1", At: far}},
		{change: AutoCancelled{OrderID: "o1", AppointmentID: "a1", Index: 5, At: at, Rule: scheduling.OrderAge}},
		{change: AutoCancelled{OrderID: "o1", AppointmentID: "a1", Rule: scheduling.StartSoon}},
		{change: AutoCancelled{OrderID: "o1", AppointmentID: "a1"}},
		{change: AutoCancelled{OrderID: "o1", AppointmentID: "a1", Rule: 9}},
		{change: AutoCancelled{OrderID: "\xff", AppointmentID: "a1", Rule: scheduling.StartSoon}},
		{change: nil},
	} {
		checkAppendChange(t, c.change)
	}
}

// TestAppendChangeProperty checks appendChange on arbitrary changes.
func TestAppendChangeProperty(t *testing.T) {
	str := rapid.OneOf(rapid.SampledFrom([]string{"", "o1", "a/1", "x\"y\\", "é", "\x01", "\xff"}), rapid.String())
	when := rapid.OneOf(rapid.SampledFrom([]time.Time{{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600)), time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("", 24*3600))}),
		rapid.Custom(func(t *rapid.T) time.Time {
			tm := time.Unix(rapid.Int64Range(-62167219200, 253402300799).Draw(t, "s"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).UTC()
			if rapid.Bool().Draw(t, "zoned") {
				tm = tm.In(time.FixedZone("", rapid.IntRange(-24*3600, 24*3600).Draw(t, "offset")))
			}
			return tm
		}))
	ost := rapid.Custom(func(t *rapid.T) order.Status { return order.Status(rapid.IntRange(0, 40).Draw(t, "status")) })
	ast := rapid.Custom(func(t *rapid.T) appointment.Status {
		return appointment.Status(rapid.IntRange(0, 12).Draw(t, "status"))
	})
	slot := rapid.Custom(func(t *rapid.T) Slot { return Slot{when.Draw(t, "start"), when.Draw(t, "end")} })
	rapid.Check(t, func(t *rapid.T) {
		var c Change
		switch rapid.IntRange(0, 4).Draw(t, "kind") {
		case 0:
			s := OrderStep{OrderID: str.Draw(t, "order"), EventID: rapid.Int64().Draw(t, "event"), At: when.Draw(t, "at"),
				From: ost.Draw(t, "from"), To: ost.Draw(t, "to"), Detail: str.Draw(t, "detail"), Jump: rapid.Bool().Draw(t, "jump")}
			s.Transitions = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) order.Transition {
				return order.Transition{From: ost.Draw(t, "from"), Trigger: order.Trigger(rapid.IntRange(0, 30).Draw(t, "trigger")),
					To: ost.Draw(t, "to")}
			}), -1, 3).Draw(t, "transitions")
			c = s
		case 1:
			s := AppointmentStep{OrderID: str.Draw(t, "order"), AppointmentID: str.Draw(t, "appointment"), Index: rapid.Int().Draw(t, "index"),
				At: when.Draw(t, "at"), From: ast.Draw(t, "from"), To: ast.Draw(t, "to"), Reschedule: rapid.Bool().Draw(t, "reschedule")}
			c = s
		case 2:
			s := Rescheduled{OrderID: str.Draw(t, "order"), AppointmentID: str.Draw(t, "appointment"), Index: rapid.Int().Draw(t, "index"),
				At: when.Draw(t, "at"), From: slot.Draw(t, "from"), To: slot.Draw(t, "to")}
			c = s
		case 3:
			s := ActiveChanged{OrderID: str.Draw(t, "order"), EventID: rapid.Int64().Draw(t, "event"), At: when.Draw(t, "at"),
				From: str.Draw(t, "from"), To: str.Draw(t, "to")}
			c = s
		default:
			s := AutoCancelled{OrderID: str.Draw(t, "order"), AppointmentID: str.Draw(t, "appointment"), Index: rapid.Int().Draw(t, "index"),
				At: when.Draw(t, "at"), Rule: scheduling.Rule(rapid.IntRange(0, 3).Draw(t, "rule"))}
			c = s
		}
		checkAppendChange(t, c)
	})
}
