package track_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
)

var (
	monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	jane   = scheduling.PlaceOrder{
		ID: "ord-1", UserID: "user-1", Patient: order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}},
		Address: order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
	}
)

func hours(h float64) time.Time { return monday.Add(time.Duration(h * float64(time.Hour))) }

// webhooks runs commands of the scheduling flow on one order and returns
// the webhook events Junction would send, in the order it sends them.
func webhooks(settings scheduling.Settings, commands ...func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error)) []webhook.Event {
	p := jane
	p.Settings = settings
	o, hooks, err := scheduling.Place(p, monday)
	if err != nil {
		panic(err)
	}
	for _, c := range commands {
		var more []scheduling.Webhook
		if o, more, err = c(o); err != nil {
			panic(err)
		}
		hooks = append(hooks, more...)
	}
	events := make([]webhook.Event, len(hooks))
	for i, w := range hooks {
		events[i] = w.Event()
	}
	return events
}

// booked is an order whose appointment is booked after the requisition,
// rescheduled once, and drawn.
func booked() []webhook.Event {
	return webhooks(scheduling.Settings{},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CreateRequisition(hours(2))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(50), End: hours(52)}, hours(3))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Reschedule(hours(74), hours(76), "", hours(4))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteDraw(hours(74))
		},
	)
}

// Apply each delivery in turn: each change is reported once, in lifecycle
// order.
func ExampleTracked_Apply() {
	var o track.Tracked
	for _, e := range booked() {
		next, changes, err := o.Apply(e)
		if err != nil {
			fmt.Println(err)
			continue
		}
		o = next
		for _, c := range changes {
			fmt.Println(c)
		}
	}
	fmt.Println(o.Status())
	// Output:
	// 2026-11-23T09:00:00Z order ord-1 #1 created ordered
	// 2026-11-23T11:00:00Z order ord-1 #2 ordered -> requisition_created
	// 2026-11-23T12:00:00Z order ord-1 #3 requisition_created -> appointment_pending
	// 2026-11-23T12:00:00Z order ord-1 #3 active appointment none -> ord-1-a1
	// 2026-11-23T12:00:00Z appointment ord-1-a1 created pending
	// 2026-11-23T12:00:00Z order ord-1 #4 appointment_pending -> appointment_scheduled
	// 2026-11-23T12:00:00Z appointment ord-1-a1 pending -> confirmed
	// 2026-11-23T13:00:00Z order ord-1 #5 appointment_scheduled -> appointment_scheduled
	// 2026-11-23T13:00:00Z appointment ord-1-a1 confirmed rescheduled
	// 2026-11-23T13:00:00Z appointment ord-1-a1 moved from 2026-11-25T11:00:00Z/2026-11-25T13:00:00Z to 2026-11-26T11:00:00Z/2026-11-26T13:00:00Z
	// 2026-11-26T11:00:00Z appointment ord-1-a1 confirmed -> completed
	// 2026-11-26T11:00:00Z order ord-1 #6 appointment_scheduled -> draw_completed
	// draw_completed
}

// Deliveries in any order, some twice, give the same value and the same
// changes, each once. Here they come last first: the latest order delivery
// reveals every step of the order's history at once, the latest
// appointment delivery every step of the appointment's; a stale delivery
// reveals only what its own snapshot adds (the slot before the reschedule,
// the appointment the order named at its point), and a retried message
// nothing.
func ExampleTracked_Apply_outOfOrder() {
	events := booked()
	var inOrder track.Tracked
	for _, e := range events {
		inOrder, _, _ = inOrder.Apply(e)
	}
	deliveries := slices.Clone(events)
	slices.Reverse(deliveries)
	deliveries = append(deliveries, events[0])
	var o track.Tracked
	total := 0
	for _, e := range deliveries {
		next, changes, err := o.Apply(e)
		if err != nil {
			fmt.Println(err)
			continue
		}
		o = next
		fmt.Println(e.ID, len(changes))
		total += len(changes)
	}
	fmt.Println(total, "changes; same value:", o.Equal(inOrder))
	// Output:
	// msg_ord-1_o6 6
	// msg_ord-1-a1_4 4
	// msg_ord-1-a1_3 0
	// msg_ord-1_o5 0
	// msg_ord-1-a1_2 1
	// msg_ord-1_o4 0
	// msg_ord-1-a1_1 0
	// msg_ord-1_o3 0
	// msg_ord-1_o2 1
	// msg_ord-1_o1 0
	// msg_ord-1_o1 0
	// 12 changes; same value: true
}

// Record applies each delivery to the order's value in a store, with
// compare-and-swap, so that receivers sharing the store report each change
// once. A duplicate delivery, a retry of the same message, changes nothing.
func ExampleRecord() {
	var store track.MemoryStore
	ctx := context.Background()
	events := booked()
	for _, e := range []webhook.Event{events[0], events[1], events[1], events[2]} {
		changes, err := track.Record(ctx, &store, e)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(e.ID, len(changes), "changes")
	}
	o, version, _ := store.Load(ctx, "ord-1")
	fmt.Println(o.Status(), "version", version)
	// Output:
	// msg_ord-1_o1 1 changes
	// msg_ord-1_o2 1 changes
	// msg_ord-1_o2 0 changes
	// msg_ord-1_o3 2 changes
	// appointment_pending version 3
}

// A Store is any table with a version column; MemoryStore keeps it in
// memory. Swap writes only over the version it was given.
func ExampleMemoryStore() {
	var store track.MemoryStore
	ctx := context.Background()
	o, _, _ := track.Tracked{}.Apply(booked()[0])
	ok, _ := store.Swap(ctx, "ord-1", 0, o)
	fmt.Println("first write:", ok)
	ok, _ = store.Swap(ctx, "ord-1", 0, o)
	fmt.Println("write over version 0 again:", ok)
	_, version, _ := store.Load(ctx, "ord-1")
	fmt.Println("version:", version)
	_, version, _ = store.Load(ctx, "ord-2")
	fmt.Println("unknown order's version:", version)
	// Output:
	// first write: true
	// write over version 0 again: false
	// version: 1
	// unknown order's version: 0
}

// What a Tracked knows: the latest snapshot of the order and of each
// appointment.
func ExampleTracked() {
	var o track.Tracked
	for _, e := range booked()[:4] {
		o, _, _ = o.Apply(e)
	}
	fmt.Println(o.ID(), o.Status())
	snap, ok := o.Snapshot()
	fmt.Println(ok, len(snap.History), snap.AppointmentID())
	for _, a := range o.Appointments() {
		fmt.Println(a.ID, a.EffectiveStatus())
	}
	fmt.Println(o.Appointments()[0].Provider)
	active, ok := o.Active()
	fmt.Println(ok, active.ID)
	// Output:
	// ord-1 appointment_pending
	// true 3 ord-1-a1
	// ord-1-a1 pending
	// getlabs
	// true ord-1-a1
}

// The stored form is JSON: store it, read it back, and go on applying.
func ExampleTracked_MarshalJSON() {
	events := booked()
	var o track.Tracked
	for _, e := range events[:3] {
		o, _, _ = o.Apply(e)
	}
	b, err := json.Marshal(o)
	if err != nil {
		fmt.Println(err)
		return
	}
	var back track.Tracked
	if err := json.Unmarshal(b, &back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Equal(o), back.Status())
	_, changes, _ := back.Apply(events[3])
	fmt.Println(changes)
	err = back.UnmarshalJSON([]byte(`{"id":"ord-1","points":[{"events":9,"appointment_id":""}]}`))
	fmt.Println(errors.Is(err, track.ErrMalformed), back.Equal(o))
	// Output:
	// true appointment_pending
	// [2026-11-23T12:00:00Z appointment ord-1-a1 created pending]
	// true true
}

// A receiver that writes stored forms into a buffer of its own appends
// them to it.
func ExampleTracked_AppendJSON() {
	var o track.Tracked
	for _, e := range booked()[:3] {
		o, _, _ = o.Apply(e)
	}
	buf := make([]byte, 0, 4096)
	buf, err := o.AppendJSON(buf[:0])
	if err != nil {
		fmt.Println(err)
		return
	}
	var back track.Tracked
	fmt.Println(back.UnmarshalJSON(buf), back.Equal(o), len(buf) <= cap(buf))
	// Output:
	// <nil> true true
}

// In a database column, a Tracked is a driver.Valuer and a sql.Scanner of
// its stored form.
func ExampleTracked_Value() {
	var o track.Tracked
	for _, e := range booked() {
		o, _, _ = o.Apply(e)
	}
	v, err := o.Value() // what database/sql writes for o
	if err != nil {
		fmt.Println(err)
		return
	}
	var back track.Tracked
	if err := back.Scan(v); err != nil { // what database/sql does reading the column
		fmt.Println(err)
		return
	}
	fmt.Println(back.Equal(o), back.Status())
	fmt.Println(errors.Is(back.Scan(nil), track.ErrMalformed))
	// Output:
	// true draw_completed
	// true
}

// Junction's own example history skips appointment_pending: the step is
// reported, flagged as a jump, with the moves it stands for.
func ExampleOrderStep() {
	at := func(h float64, s order.Status) order.HistoryEntry {
		return order.HistoryEntry{ID: int64(h) + 1, CreatedAt: hours(h), Status: s}
	}
	e := webhook.Event{Type: webhook.OrderUpdated, Order: &order.Order{ID: "ord-1", CreatedAt: monday,
		Details: order.Details{Type: order.ModalityAtHomePhlebotomy, AppointmentID: "ord-1-a1"},
		History: []order.HistoryEntry{at(0, order.Ordered), at(1, order.RequisitionCreated), at(2, order.AppointmentScheduled)}}}
	_, changes, _ := track.Tracked{}.Apply(e)
	jump := changes[2].(track.OrderStep)
	fmt.Println(jump)
	fmt.Println(jump.Jump, jump.Transitions)
	// Output:
	// 2026-11-23T11:00:00Z order ord-1 #3 requisition_created -> appointment_scheduled (jump via appointment_pending)
	// true [{requisition_created place_appointment appointment_pending} {appointment_pending schedule_appointment appointment_scheduled}]
}

// A step with a detail, such as why the sample failed.
func ExampleOrderStep_String() {
	fmt.Println(track.OrderStep{OrderID: "ord-1", EventID: 7, At: hours(80), From: order.DrawCompleted,
		To: order.SampleError, Detail: "sample_hemolyzed"})
	fmt.Println(track.OrderStep{OrderID: "ord-1", EventID: 1, At: monday, To: order.Ordered})
	// Output:
	// 2026-11-26T17:00:00Z order ord-1 #7 draw_completed -> sample_error (sample_hemolyzed)
	// 2026-11-23T09:00:00Z order ord-1 #1 created ordered
}

func ExampleAppointmentStep_String() {
	fmt.Println(track.AppointmentStep{AppointmentID: "ord-1-a1", At: hours(3), To: appointment.Pending})
	fmt.Println(track.AppointmentStep{AppointmentID: "ord-1-a1", Index: 1, At: hours(3), From: appointment.Pending, To: appointment.Confirmed})
	fmt.Println(track.AppointmentStep{AppointmentID: "ord-1-a1", Index: 2, At: hours(4), From: appointment.Confirmed,
		To: appointment.Confirmed, Reschedule: true})
	fmt.Println(track.AppointmentStep{AppointmentID: "ord-1-a1", Index: 3, From: appointment.Confirmed, To: appointment.Cancelled})
	// Output:
	// 2026-11-23T12:00:00Z appointment ord-1-a1 created pending
	// 2026-11-23T12:00:00Z appointment ord-1-a1 pending -> confirmed
	// 2026-11-23T13:00:00Z appointment ord-1-a1 confirmed rescheduled
	// - appointment ord-1-a1 confirmed -> cancelled
}

func ExampleRescheduled_String() {
	fmt.Println(track.Rescheduled{AppointmentID: "ord-1-a1", Index: 2, At: hours(4),
		From: track.Slot{Start: hours(50), End: hours(52)},
		To:   track.Slot{Start: hours(74), End: hours(76)}})
	// A slot not known (no snapshot showed one) is "none".
	fmt.Println(track.Rescheduled{AppointmentID: "ord-1-a2", Index: 1, At: hours(5),
		To: track.Slot{Start: hours(74), End: hours(76)}})
	// Output:
	// 2026-11-23T13:00:00Z appointment ord-1-a1 moved from 2026-11-25T11:00:00Z/2026-11-25T13:00:00Z to 2026-11-26T11:00:00Z/2026-11-26T13:00:00Z
	// 2026-11-23T14:00:00Z appointment ord-1-a2 moved from none to 2026-11-26T11:00:00Z/2026-11-26T13:00:00Z
}

// A cancelled appointment replaced by a new one: the order names the new
// one from the history entry at which it was placed.
func ExampleActiveChanged() {
	events := webhooks(scheduling.Settings{},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CreateRequisition(hours(1))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(50), End: hours(52)}, hours(2))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CancelAppointment(hours(3))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(74), End: hours(76)}, hours(4))
		},
	)
	var o track.Tracked
	for _, e := range events {
		next, changes, _ := o.Apply(e)
		o = next
		for _, c := range changes {
			if a, ok := c.(track.ActiveChanged); ok {
				fmt.Println(a, a.Replaced())
			}
		}
	}
	// Output:
	// 2026-11-23T11:00:00Z order ord-1 #3 active appointment none -> ord-1-a1 false
	// 2026-11-23T13:00:00Z order ord-1 #6 active appointment ord-1-a1 -> ord-1-a2 true
}

// An appointment booked before the requisition (a team setting) and left
// without one is cancelled by Junction 8 hours after the order was
// created. Junction does not say why an appointment was cancelled: the
// cause is inferred.
func ExampleAutoCancelled() {
	events := webhooks(scheduling.Settings{PreRequisitionScheduling: true},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(50), End: hours(52)}, hours(1))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Tick(hours(9)) },
	)
	var o track.Tracked
	for _, e := range events {
		next, changes, _ := o.Apply(e)
		o = next
		for _, c := range changes {
			fmt.Println(c)
		}
	}
	// Output:
	// 2026-11-23T09:00:00Z order ord-1 #1 created ordered
	// 2026-11-23T10:00:00Z appointment ord-1-a1 created pending
	// 2026-11-23T10:00:00Z appointment ord-1-a1 pending -> reserved
	// 2026-11-23T17:00:00.000000001Z appointment ord-1-a1 reserved -> cancelled
	// 2026-11-23T17:00:00.000000001Z appointment ord-1-a1 auto-cancelled (inferred: order_age)
}

// Refusals wrap ErrInvalidEvent, and a sentinel for each kind; the value
// is left as it was.
func Example_errors() {
	events := booked()
	var o track.Tracked
	for _, e := range events[:3] {
		o, _, _ = o.Apply(e)
	}

	other := events[0]
	other.Order = new(*other.Order) // a copy, to change
	other.Order.ID = "ord-2"
	_, _, err := o.Apply(other)
	fmt.Println(errors.Is(err, track.ErrInvalidEvent), errors.Is(err, track.ErrOtherOrder))
	fmt.Println(err)

	// A history that rewrites the past: the requisition was bypassed.
	diverging := events[1]
	diverging.Order = new(*diverging.Order) // a copy, to change
	diverging.Order.History = slices.Clone(diverging.Order.History)
	diverging.Order.History[1].Status = order.RequisitionBypassed
	next, _, err := o.Apply(diverging)
	fmt.Println(errors.Is(err, track.ErrConflict), next.Equal(o))
	if ce, ok := errors.AsType[*track.ConflictError](err); ok {
		fmt.Println(ce, ce.HeldOrder[ce.Index].Status, ce.ReceivedOrder[ce.Index].Status)
	}

	// Not a step of the lifecycle: from ordered straight to draw_completed.
	skipping := events[0]
	skipping.Order = new(*skipping.Order) // a copy, to change
	skipping.Order.History = append(slices.Clone(skipping.Order.History[:1]),
		order.HistoryEntry{ID: 9, CreatedAt: hours(5), Status: order.DrawCompleted})
	_, _, err = track.Tracked{}.Apply(skipping)
	fmt.Println(errors.Is(err, track.ErrInvalidEvent), errors.Is(err, order.ErrInvalidTransition))

	walkIn := events[0]
	walkIn.Order = new(*walkIn.Order) // a copy, to change
	walkIn.Order.Details.Type = order.ModalityWalkInTest
	_, _, err = track.Tracked{}.Apply(walkIn)
	fmt.Println(err)
	// Output:
	// true true
	// track: event of another order: apply order "ord-1" at /data/id: the event is about order "ord-2"
	// true true
	// track: diverging histories: order "ord-1" at events[1] requisition_created requisition_bypassed
	// true true
	// track: invalid event: apply order "ord-1" at /data/details/type: order of modality "walk_in_test" is not at-home phlebotomy
}

// losing is a store whose every compare-and-swap loses to another writer,
// which moves the version on each time.
type losing struct{ version int64 }

func (l *losing) Load(context.Context, string) (track.Tracked, int64, error) {
	l.version++
	return track.Tracked{}, l.version, nil
}

func (*losing) Swap(context.Context, string, int64, track.Tracked) (bool, error) { return false, nil }

// updateOnly is a store whose Swap only updates: it never writes an
// order's first value, so nothing is ever stored.
type updateOnly struct{ track.MemoryStore }

func (*updateOnly) Swap(context.Context, string, int64, track.Tracked) (bool, error) {
	return false, nil
}

// Record gives up after losing the compare-and-swap 100 times in a row to
// other writers. A store that refuses a swap at the version it still
// reports is broken, not contended.
func ExampleRecord_contention() {
	_, err := track.Record(context.Background(), &losing{}, booked()[0])
	fmt.Println(errors.Is(err, track.ErrContention), err)
	_, err = track.Record(context.Background(), &updateOnly{}, booked()[0])
	fmt.Println(errors.Is(err, track.ErrBrokenStore), err)
	// Output:
	// true track: too much contention: record order "ord-1": 100 swaps lost in a row
	// true track: store refused a swap at its own version: record order "ord-1": Swap refused version 0, which Load still returns
}

// A change's stored form, and its key: what a table of changes (an outbox)
// holds, read back into an equal value.
func ExampleMarshalChange() {
	var o track.Tracked
	var changes []track.Change
	for _, e := range booked()[:3] {
		next, cs, _ := o.Apply(e)
		o, changes = next, append(changes, cs...)
	}
	for _, c := range changes[2:4] {
		b, err := track.MarshalChange(c)
		if err != nil {
			panic(err)
		}
		back, err := track.UnmarshalChange(b)
		fmt.Println(c.Key())
		fmt.Println(string(b))
		fmt.Println(reflect.DeepEqual(c, back), err)
	}
	_, err := track.UnmarshalChange([]byte(`{"kind": "order_step", "order_id": "ord-1", "to": "lost"}`))
	fmt.Println(errors.Is(err, track.ErrMalformed))
	// Output:
	// ord-1/order_step/3
	// {"kind":"order_step","order_id":"ord-1","event_id":3,"at":"2026-11-23T12:00:00Z","from":"requisition_created","to":"appointment_pending","transitions":[{"from":"requisition_created","trigger":"place_appointment","to":"appointment_pending"}]}
	// true <nil>
	// ord-1/active_changed/3//ord-1-a1
	// {"kind":"active_changed","order_id":"ord-1","event_id":3,"at":"2026-11-23T12:00:00Z","from":"","to":"ord-1-a1"}
	// true <nil>
	// true
}
