package track

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/tier"
	"github.com/phlebkit/phlebkit/webhook"
)

// schedulesPerLifecycle is how many delivery schedules TestFlowDeliveries
// draws for each lifecycle.
const schedulesPerLifecycle = 10

// TestFlowDeliveries proves Apply against the scheduling flow. Each check
// draws a whole lifecycle of one order from the flow's commands (both
// tiers, booking before and after the requisition, reschedules,
// cancellations and rebookings, auto-cancellations, partial results with
// and without their webhook, sample errors, order cancellations, corrected
// results), collects every webhook event the commands return, and applies
// them in order: the changes must be those the events' histories hold
// (every order and appointment entry, each active appointment change and
// reschedule whose snapshots were sent, the auto-cancellations the flow
// made, when they can be told). Then it draws delivery schedules: the
// events permuted, some delivered twice, some dropped (lost before or
// after the receiver applied them) and delivered again later, as decoded
// from their JSON body or not. Some lifecycles also carry replays of order
// snapshots, as resending an order's events sends: the history of an
// earlier snapshot, updated later or at the same time, naming another
// appointment or none. Every schedule must end with the value of
// in-order delivery (Equal, and the same stored JSON), and report the same
// changes, each once: the same per order and per appointment, in lifecycle
// order within each delivery.
//
// The default run draws 100 lifecycles, 1000 schedules; draw more with
// rapid's flag, such as
//
//	go test ./track -run TestFlowDeliveries -rapid.checks=10000
//
// (-rapid.seed replays a run).
func TestFlowDeliveries(t *testing.T) {
	var seen coverage
	rapid.Check(t, func(t *rapid.T) {
		lc := drawLifecycle(t, "ord-1")
		want, wantChanges := inOrder(t, lc.events)
		checkInOrder(t, lc, wantChanges)
		checkStoredChanges(t, wantChanges)
		seen.add(lc, wantChanges)
		wire := wireForms(t, lc.events)
		for s := range schedulesPerLifecycle {
			sched := drawSchedule(t, len(lc.events), fmt.Sprint("schedule ", s))
			got, changes := deliver(t, lc.events, wire, sched)
			require.True(t, got.Equal(want), "schedule %d: the value differs from in-order delivery", s)
			gotJSON, err := got.MarshalJSON()
			require.NoError(t, err)
			wantJSON, err := want.MarshalJSON()
			require.NoError(t, err)
			require.JSONEq(t, string(wantJSON), string(gotJSON), "schedule %d: stored form", s)
			require.Equal(t, sortedStreams(wantChanges), sortedStreams(changes), "schedule %d: changes", s)
		}
	})
	seen.check(t)
}

// checkStoredChanges checks that each change of an order's lifecycle has a
// key of its own and round-trips exactly through its stored form.
func checkStoredChanges(t require.TestingT, changes []Change) {
	keys := map[string]Change{}
	for _, c := range changes {
		k := c.Key()
		prev, dup := keys[k]
		require.False(t, dup, "key %s of %v and %v", k, prev, c)
		keys[k] = c
		b, err := MarshalChange(c)
		require.NoError(t, err)
		back, err := UnmarshalChange(b)
		require.NoError(t, err)
		require.Equal(t, c, back, "round trip of %s", b)
		require.Equal(t, k, back.Key())
	}
}

// A lifecycle is what the flow did to one order: the webhook events of its
// commands in the order Junction sends them, the order at the end, and
// which appointment cancellations were auto-cancellations.
type lifecycle struct {
	events   []webhook.Event
	flow     scheduling.Flow
	auto     map[string]bool // appointment id: cancelled by auto-cancellation
	commands []string        // the commands the flow took, for failure messages
	replays  int             // order snapshots replayed with another appointment
}

var (
	flowStart   = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	flowAddress = order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004",
		AccessNotes: "Gate code #1234"}
)

// nextCommands returns the commands that move o on from where it is,
// with weights: those that end the story are rare, so that most
// lifecycles go on. Any command may be drawn besides (see drawLifecycle).
func nextCommands(rng *rand.Rand, o scheduling.Flow) []string {
	// rapid draws small indices more often: what moves the order on comes
	// first, what ends it last.
	var names []string
	add := func(name string, weight int) {
		for range weight {
			names = append(names, name)
		}
	}
	a, active := o.Active()
	switch {
	case active:
		switch a.EffectiveStatus() {
		case appointment.Pending:
			if a.Tier == tier.AppointmentRequest {
				add("pencil_in", 4)
			} else {
				add("confirm", 4)
			}
		case appointment.Reserved:
			add("reschedule", 2)
		case appointment.Confirmed:
			add("start_visit", 3)
			add("complete_draw", 3)
			add("reschedule", 3)
		case appointment.InProgress:
			add("complete_draw", 4)
		case appointment.Completed, appointment.Cancelled:
		}
	case o.Requisition || o.Settings.PreRequisitionScheduling:
		switch o.Status {
		case order.Ordered, order.RequisitionCreated, order.RequisitionBypassed, order.AppointmentCancelled:
			add("book", 4)
			add("request", 3)
		case order.AppointmentPending, order.AppointmentScheduled, order.DrawCompleted, order.PartialResults,
			order.Completed, order.SampleError, order.Cancelled, order.Corrected:
		}
	}
	switch o.Status {
	case order.DrawCompleted, order.PartialResults:
		add("partial_results", 5)
		add("complete", 2)
		add("sample_error", 1)
	case order.Completed, order.Corrected:
		add("correct", 2)
	case order.Ordered, order.RequisitionCreated, order.RequisitionBypassed, order.AppointmentPending,
		order.AppointmentScheduled, order.AppointmentCancelled, order.SampleError, order.Cancelled:
	}
	if !o.Requisition {
		// With pre-requisition scheduling, mostly book first.
		if !o.Settings.PreRequisitionScheduling || active {
			add("create_requisition", 2)
		}
		add("create_requisition", 1)
		add("bypass_requisition", 1)
	}
	add("tick", 2)
	if active {
		add("cancel_appointment", 1)
	}
	if o.Status.Cancellable() && rng.IntN(3) == 0 {
		add("cancel", 1)
	}
	return names
}

// flowCommands are all the commands drawLifecycle knows.
var flowCommands = []string{"create_requisition", "bypass_requisition", "book", "confirm", "request", "pencil_in",
	"reschedule", "cancel_appointment", "start_visit", "complete_draw", "partial_results", "complete",
	"sample_error", "correct", "cancel", "tick"}

// drawLifecycle places an order and runs up to 40 commands of the flow on
// it, mostly ones that move it on, at times that mostly move in small steps
// and now and then jump past an auto-cancellation deadline. Refused
// commands send nothing and are left out.
func drawLifecycle(t *rapid.T, id string) lifecycle {
	p := scheduling.PlaceOrder{ID: id, TeamID: "team-1", ClientUserID: "client-1", UserID: "user-1",
		Patient: order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}}, Address: flowAddress}
	p.Settings = scheduling.Settings{
		PreRequisitionScheduling: rapid.Bool().Draw(t, "pre-requisition scheduling"),
		PartialResultsWebhooks:   rapid.Bool().Draw(t, "partial results webhooks"),
	}
	if rapid.IntRange(0, 4).Draw(t, "scheduled order") == 0 {
		p.ActivateBy = order.DateOf(flowStart.Add(48 * time.Hour))
	}
	// The commands and their times come from a generator seeded by rapid:
	// rapid favours small and extreme values, which would make the
	// weights of the commands mean little.
	rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 1))
	o, hooks, err := scheduling.Place(p, flowStart)
	require.NoError(t, err)
	lc := lifecycle{events: eventsOf(hooks), auto: map[string]bool{}}
	for range 1 + rng.IntN(40) {
		names := nextCommands(rng, o)
		if rng.IntN(10) == 0 {
			names = flowCommands // mostly refused: nothing is sent
		}
		name, run := flowCommand(rng, o.Clock, names[rng.IntN(len(names))])
		next, hooks, err := run(o)
		if err != nil {
			continue
		}
		more := eventsOf(hooks)
		markAutoCancellations(lc.auto, name, more)
		o = next
		lc.events = append(lc.events, more...)
		lc.commands = append(lc.commands, name)
	}
	lc.flow = o
	if rng.IntN(3) == 0 {
		lc.replay(rng)
	}
	return lc
}

// replay adds one to three replays of order snapshots to lc's events, each
// sent after the snapshot it replays: its history, updated later (or, now
// and then, at the same time), naming the appointment it named, another of
// the order's, or none.
func (lc *lifecycle) replay(rng *rand.Rand) {
	ids := []string{""}
	for _, a := range lc.flow.Appointments {
		ids = append(ids, a.ID)
	}
	for r := range 1 + rng.IntN(3) {
		var sent []int
		for i, e := range lc.events {
			if e.Type.IsOrder() {
				sent = append(sent, i)
			}
		}
		k := sent[rng.IntN(len(sent))]
		e := lc.events[k]
		e.Order = new(*e.Order) // a copy: the snapshot sent is read-only
		e.ID = fmt.Sprintf("%s-replay-%d", e.ID, r)
		e.Type = webhook.OrderUpdated
		if rng.IntN(4) > 0 {
			e.Order.UpdatedAt = e.Order.UpdatedAt.Add(time.Duration(1+rng.IntN(600)) * time.Minute)
		}
		e.Order.Details.AppointmentID = ids[rng.IntN(len(ids))]
		if e.Order.AppointmentID() != lc.events[k].Order.AppointmentID() {
			lc.replays++
		}
		at := k + 1 + rng.IntN(len(lc.events)-k)
		lc.events = slices.Insert(lc.events, at, e)
	}
}

// markAutoCancellations records which of the appointment cancellations
// among a command's events are auto-cancellations. Every command first
// applies auto-cancellation, so a cancellation is the command's own only
// when the command cancels: cancel_appointment, or cancel after its order
// event (Junction sends the order's cancellation first).
// eventsOf returns the events of the webhooks hooks, as a consumer
// receives them.
func eventsOf(hooks []scheduling.Webhook) []webhook.Event {
	out := make([]webhook.Event, len(hooks))
	for i, w := range hooks {
		out[i] = w.Event()
	}
	return out
}

func markAutoCancellations(auto map[string]bool, command string, events []webhook.Event) {
	orderSent := false
	for _, e := range events {
		if e.Type.IsOrder() {
			orderSent = true
			continue
		}
		h := e.Appointment.History
		if last, _ := appointment.ParseStatus(h[len(h)-1].Status); last == appointment.Cancelled {
			auto[e.Appointment.ID] = command != "cancel_appointment" && (command != "cancel" || !orderSent)
		}
	}
}

// flowCommand returns the flow's command name, dated after clock, with
// arguments drawn from rng.
func flowCommand(rng *rand.Rand, clock time.Time, name string) (string, func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error)) {
	limit := 3 * time.Hour
	if rng.IntN(5) == 0 {
		limit = 30 * time.Hour // past an auto-cancellation deadline
	}
	now := clock.Add(time.Duration(rng.Int64N(int64(limit))))
	ahead := func() time.Time {
		lo, hi := 3*time.Hour, 80*time.Hour
		if rng.IntN(8) == 0 {
			lo, hi = -time.Hour, 3*time.Hour
		}
		return now.Add(lo + time.Duration(rng.Int64N(int64(hi-lo)))).Truncate(time.Minute)
	}
	var run func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error)
	switch name {
	case "create_requisition":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CreateRequisition(now)
		}
	case "bypass_requisition":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.BypassRequisition(now)
		}
	case "book":
		start := ahead()
		r := scheduling.BookRequest{Provider: provider.Getlabs, Start: start, End: start.Add(2 * time.Hour),
			Async: rng.IntN(4) == 0}
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Book(r, now) }
	case "confirm":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Confirm(now) }
	case "request":
		r := scheduling.RequestAppointment{Provider: provider.Phlebfinders}
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Request(r, now) }
	case "pencil_in":
		start := ahead()
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.PencilIn(start, start.Add(time.Hour), now)
		}
	case "reschedule":
		start := ahead()
		notes := []string{"", "Ring twice"}[rng.IntN(2)]
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Reschedule(start, start.Add(2*time.Hour), notes, now)
		}
	case "cancel_appointment":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CancelAppointment(now)
		}
	case "start_visit":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.StartVisit(now) }
	case "complete_draw":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.CompleteDraw(now) }
	case "partial_results":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.ReceivePartialResults(now)
		}
	case "complete":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.CompleteResults(now) }
	case "sample_error":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.ReportSampleError(now)
		}
	case "correct":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.CorrectResults(now) }
	case "cancel":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Cancel(now) }
	case "tick":
		run = func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Tick(now) }
	}
	return name, run
}

// inOrder applies events once each, in the order they were sent.
func inOrder(t require.TestingT, events []webhook.Event) (Tracked, []Change) {
	var o Tracked
	var all []Change
	for _, e := range events {
		next, changes, err := o.Apply(e)
		require.NoError(t, err, "Apply(%v)", e)
		checkDelivery(t, changes)
		o = next
		all = append(all, changes...)
	}
	return o, all
}

// wireForms returns each event as a receiver gets it: its JSON body
// decoded, with the message id of the delivery.
func wireForms(t require.TestingT, events []webhook.Event) []webhook.Event {
	out := make([]webhook.Event, len(events))
	for i, e := range events {
		body, err := e.MarshalJSON()
		require.NoError(t, err)
		d, err := webhook.Decode(body)
		require.NoError(t, err, "Decode(%s)", body)
		d.ID = e.ID
		out[i] = d
	}
	return out
}

// A delivery is one attempt to deliver one event. A dropped one fails: the
// receiver never got it, or (applied) the receiver applied it and its
// answer was lost. Either way the message is delivered again later.
type delivery struct {
	event            int
	dropped, applied bool
	wire             bool // the event decoded from its JSON body
}

// drawSchedule draws how n events are delivered: each at least once, in
// any order, some twice or more, some dropped and delivered again later;
// as they are, from their JSON bodies, or some of each.
func drawSchedule(t *rapid.T, n int, label string) []delivery {
	order := rapid.Permutation(indices(n)).Draw(t, label+" order")
	ds := make([]delivery, len(order))
	for i, e := range order {
		ds[i].event = e
	}
	for range rapid.IntRange(0, n/2).Draw(t, label+" duplicates") {
		at := rapid.IntRange(0, len(ds)).Draw(t, label+" duplicate at")
		ds = slices.Insert(ds, at, delivery{event: rapid.IntRange(0, n-1).Draw(t, label+" duplicate of")})
	}
	for range rapid.IntRange(0, n/3).Draw(t, label+" drops") {
		k := rapid.IntRange(0, len(ds)-1).Draw(t, label+" dropped")
		if ds[k].dropped {
			continue
		}
		ds[k].dropped, ds[k].applied = true, rapid.Bool().Draw(t, label+" applied before the drop")
		at := rapid.IntRange(k+1, len(ds)).Draw(t, label+" delivered again at")
		ds = slices.Insert(ds, at, delivery{event: ds[k].event})
	}
	switch rapid.IntRange(0, 2).Draw(t, label+" form") {
	case 1:
		for i := range ds {
			ds[i].wire = true
		}
	case 2:
		for i := range ds {
			ds[i].wire = rapid.Bool().Draw(t, label+" from JSON")
		}
	}
	return ds
}

func indices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// deliver applies a schedule's deliveries and returns the value and every
// change reported.
func deliver(t require.TestingT, events, wire []webhook.Event, sched []delivery) (Tracked, []Change) {
	var o Tracked
	var all []Change
	for _, d := range sched {
		if d.dropped && !d.applied {
			continue
		}
		e := events[d.event]
		if d.wire {
			e = wire[d.event]
		}
		next, changes, err := o.Apply(e)
		require.NoError(t, err, "Apply(%v)", e)
		checkDelivery(t, changes)
		o = next
		all = append(all, changes...)
	}
	return o, all
}

// position returns the stream a change belongs to (its order's or its
// appointment's) and its place in that stream's lifecycle: the history
// entry, then what the entry implies after its step, then, for changes of
// the active appointment at one entry (after a replay), the appointments.
func position(c Change) (stream string, entry int64, rank int, apps string) {
	switch c := c.(type) {
	case OrderStep:
		return "order " + c.OrderID, c.EventID, 0, ""
	case ActiveChanged:
		return "order " + c.OrderID, c.EventID, 1, c.From + "\x00" + c.To
	case AppointmentStep:
		return "appointment " + c.AppointmentID, int64(c.Index), 0, ""
	case Rescheduled:
		return "appointment " + c.AppointmentID, int64(c.Index), 1, ""
	case AutoCancelled:
		return "appointment " + c.AppointmentID, int64(c.Index), 2, ""
	}
	panic(fmt.Sprintf("unknown change %T", c))
}

// before reports whether a comes before b in their stream's lifecycle.
func before(a, b Change) bool {
	_, ea, ra, pa := position(a)
	_, eb, rb, pb := position(b)
	return ea < eb || ea == eb && (ra < rb || ra == rb && pa < pb)
}

// checkDelivery checks that the changes of one delivery come, within each
// stream, in lifecycle order.
func checkDelivery(t require.TestingT, changes []Change) {
	last := map[string]Change{}
	for _, c := range changes {
		s, _, _, _ := position(c)
		if p, ok := last[s]; ok {
			require.True(t, before(p, c), "%v reported before %v", p, c)
		}
		last[s] = c
	}
}

// streams returns each stream's changes, in the order given, each as the
// text of all its fields.
func streams(changes []Change) map[string][]string {
	out := map[string][]string{}
	for _, c := range changes {
		s, _, _, _ := position(c)
		out[s] = append(out[s], text(c))
	}
	return out
}

// text returns a change as its type and all its fields.
func text(c Change) string { return fmt.Sprintf("%T%+v", c, c) }

// sortedStreams returns streams of the changes put in lifecycle order.
func sortedStreams(changes []Change) map[string][]string {
	sorted := slices.Clone(changes)
	slices.SortStableFunc(sorted, func(a, b Change) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
	return streams(sorted)
}

// checkInOrder checks the changes of in-order delivery against what the
// flow did, read from the events it sent.
func checkInOrder(t *rapid.T, lc lifecycle, changes []Change) {
	// One message id per event: a retry of a message carries the same
	// snapshot, which is what makes a repeated id a no-op.
	ids := map[string]bool{}
	for _, e := range lc.events {
		require.False(t, ids[e.ID], "message id %s sent twice", e.ID)
		ids[e.ID] = true
	}

	// Each stream in lifecycle order, each change once. (A replay reveals
	// what happened before the changes already reported.)
	if lc.replays == 0 {
		for s, cs := range groupBy(changes) {
			for i := 1; i < len(cs); i++ {
				require.True(t, before(cs[i-1], cs[i]), "%s: %v then %v", s, cs[i-1], cs[i])
			}
		}
	}

	// What the snapshots sent hold: the order's longest history, and the
	// active appointments its snapshots of each length name; each
	// appointment's longest history, and its slot at each length sent.
	var orderHistory []order.HistoryEntry
	activeAt := map[int][]string{}
	apptHistory := map[string][]appointment.HistoryEntry{}
	slotAt := map[string]map[int]Slot{}
	for _, e := range lc.events {
		if e.Type.IsOrder() {
			orderHistory = longer(orderHistory, e.Order.History)
			n := len(e.Order.History)
			if id := e.Order.AppointmentID(); !slices.Contains(activeAt[n], id) {
				activeAt[n] = append(activeAt[n], id)
				slices.Sort(activeAt[n])
			}
			continue
		}
		a := e.Appointment
		apptHistory[a.ID] = longer(apptHistory[a.ID], a.History)
		if slotAt[a.ID] == nil {
			slotAt[a.ID] = map[int]Slot{}
		}
		slotAt[a.ID][len(a.History)] = Slot{Start: a.StartAt, End: a.EndAt}
	}
	require.Equal(t, lc.flow.History[:len(orderHistory)], orderHistory, "the order's history is the flow's")

	var want []string
	for i, h := range orderHistory {
		var from order.Status
		var trs []order.Transition
		if i > 0 {
			from = orderHistory[i-1].Status
			ev, ok := order.TriggerFor(from, h.Status)
			require.True(t, ok, "the flow moved from %v to %v", from, h.Status)
			trs = []order.Transition{{From: from, Trigger: ev, To: h.Status}}
		}
		want = append(want, text(OrderStep{OrderID: lc.flow.ID, EventID: h.ID, At: h.CreatedAt, From: from,
			To: h.Status, Detail: h.Detail, Transitions: trs}))
		for _, prev := range activeAt[i] {
			for _, next := range activeAt[i+1] {
				if prev != next {
					want = append(want, text(ActiveChanged{OrderID: lc.flow.ID, EventID: h.ID, At: h.CreatedAt,
						From: prev, To: next}))
				}
			}
		}
	}
	got := sortedStreams(changes)
	assert.Equal(t, want, got["order "+lc.flow.ID], "the order's changes (%v)", lc.commands)

	for id, h := range apptHistory {
		want = nil
		var prev appointment.Status
		for k, e := range h {
			to, err := appointment.ParseStatus(e.Status)
			require.NoError(t, err)
			at := e.CreatedAt
			want = append(want, text(AppointmentStep{OrderID: lc.flow.ID, AppointmentID: id, Index: k, At: at,
				From: prev, To: to, Reschedule: k > 0 && to == prev && (to == appointment.Reserved || to == appointment.Confirmed)}))
			from, ok1 := slotAt[id][k]
			next, ok2 := slotAt[id][k+1]
			if k > 0 && to == prev && (to == appointment.Reserved || to == appointment.Confirmed) && ok1 && ok2 {
				want = append(want, text(Rescheduled{OrderID: lc.flow.ID, AppointmentID: id, Index: k, At: at,
					From: from, To: next}))
			}
			prev = to
		}
		if inferable(lc, orderHistory, h) {
			ac := autoCancels(changes)
			i := slices.IndexFunc(ac, func(a AutoCancelled) bool { return a.AppointmentID == id })
			require.NotEqual(t, -1, i, "appointment %s: no AutoCancelled (%v)", id, lc.commands)
			want = append(want, text(ac[i]))
		}
		assert.Equal(t, want, got["appointment "+id], "appointment %s's changes (%v)", id, lc.commands)
	}
	for _, c := range autoCancels(changes) {
		require.True(t, lc.auto[c.AppointmentID], "%v: the flow's own cancellation taken for an auto-cancellation (%v)", c, lc.commands)
		h := apptHistory[c.AppointmentID]
		at := h[len(h)-1].CreatedAt
		assert.Equal(t, len(h)-1, c.Index)
		assert.Equal(t, at, c.At)
	}
}

// inferable reports whether an appointment with history h was
// auto-cancelled and the order's history shows it: the appointment was
// reserved (which it is only before the requisition), or the order's
// history goes on past the cancellation with no requisition up to it.
func inferable(lc lifecycle, orderHistory []order.HistoryEntry, h []appointment.HistoryEntry) bool {
	n := len(h)
	if n < 2 || !lc.auto[lc.idOf(h)] {
		return false
	}
	if prev, _ := appointment.ParseStatus(h[n-2].Status); prev == appointment.Reserved {
		return true
	}
	at := h[n-1].CreatedAt
	past := false
	for _, e := range orderHistory {
		switch {
		case e.CreatedAt.After(at):
			past = true
		case e.Status == order.RequisitionCreated || e.Status == order.RequisitionBypassed:
			return false
		}
	}
	return past
}

// idOf returns the id of the flow's appointment whose history starts as h.
func (lc lifecycle) idOf(h []appointment.HistoryEntry) string {
	for _, a := range lc.flow.Appointments {
		if len(a.History) >= len(h) && commonEntries(a.History, h) == len(h) {
			return a.ID
		}
	}
	return ""
}

func longer[E any](a, b []E) []E {
	if len(b) > len(a) {
		return b
	}
	return a
}

func groupBy(changes []Change) map[string][]Change {
	out := map[string][]Change{}
	for _, c := range changes {
		s, _, _, _ := position(c)
		out[s] = append(out[s], c)
	}
	return out
}

// coverage counts the lifecycles that show each thing the proof is to
// cover, so that a generator that stopped reaching one fails the test.
type coverage struct {
	mu     sync.Mutex
	runs   int
	counts map[string]int
}

func (c *coverage) add(lc lifecycle, changes []Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.runs++
	seen := map[string]bool{}
	for _, e := range lc.flow.History {
		switch e.Status {
		case order.PartialResults:
			if lc.flow.Settings.PartialResultsWebhooks {
				seen["partial results with their webhook"] = true
			} else {
				seen["partial results without a webhook"] = true
			}
		case order.SampleError, order.Cancelled, order.Corrected, order.DrawCompleted, order.RequisitionBypassed:
			seen[e.Status.String()] = true
		case order.Ordered, order.RequisitionCreated, order.AppointmentPending, order.AppointmentScheduled,
			order.AppointmentCancelled, order.Completed:
		}
	}
	for _, a := range lc.flow.Appointments {
		seen[a.Tier.String()] = true
	}
	for _, ch := range changes {
		switch ch := ch.(type) {
		case AppointmentStep:
			if ch.To == appointment.Reserved {
				seen["booked before the requisition"] = true
			}
		case Rescheduled:
			seen["rescheduled"] = true
		case ActiveChanged:
			if ch.Replaced() {
				seen["rebooked"] = true
			}
		case AutoCancelled:
			seen["auto-cancelled"] = true
		case OrderStep:
		}
	}
	if lc.replays > 0 {
		seen["replayed with another appointment"] = true
	}
	for _, auto := range lc.auto {
		if auto {
			seen["auto-cancelled by the flow"] = true
		}
	}
	for k := range seen {
		c.counts[k]++
	}
}

// check fails when, over at least 100 lifecycles, something was never
// seen.
func (c *coverage) check(t *testing.T) {
	if c.runs < 100 {
		return
	}
	for _, k := range []string{"appointment-ready", "appointment-request", "booked before the requisition",
		"rescheduled", "rebooked", "auto-cancelled", "auto-cancelled by the flow", "partial results with their webhook",
		"partial results without a webhook", "sample_error", "cancelled", "corrected", "draw_completed",
		"requisition_bypassed", "replayed with another appointment"} {
		assert.Positive(t, c.counts[k], "no lifecycle of %d showed %s", c.runs, k)
	}
	t.Logf("%d lifecycles: %v", c.runs, c.counts)
}

// TestFlowRecordConcurrent has receivers record the shuffled webhook
// events of several flow lifecycles, with duplicates, into one shared
// store: each order converges on the value of in-order delivery, and each
// change is returned by exactly one Record.
func TestFlowRecordConcurrent(t *testing.T) {
	lifecycles := rapid.Custom(func(t *rapid.T) []lifecycle {
		var out []lifecycle
		for i := range 4 {
			out = append(out, drawLifecycle(t, fmt.Sprint("ord-", i)))
		}
		return out
	})
	for seed := range 10 {
		lcs := lifecycles.Example(seed)
		var stream []webhook.Event
		want := map[string]Tracked{}
		var wantChanges []Change
		for _, lc := range lcs {
			o, changes := inOrder(t, lc.events)
			want[lc.flow.ID] = o
			wantChanges = append(wantChanges, changes...)
			stream = append(stream, lc.events...)
			stream = append(stream, lc.events...)
		}
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		rng.Shuffle(len(stream), func(i, j int) { stream[i], stream[j] = stream[j], stream[i] })

		var (
			store MemoryStore
			mu    sync.Mutex
			got   []Change
			wg    sync.WaitGroup
		)
		next := make(chan webhook.Event)
		for range 8 {
			wg.Go(func() {
				for e := range next {
					changes, err := Record(context.Background(), &store, e)
					if err != nil {
						t.Error(err)
						continue
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

		for id, w := range want {
			held, _, err := store.Load(context.Background(), id)
			require.NoError(t, err)
			require.True(t, held.Equal(w), "seed %d: order %s differs from in-order delivery", seed, id)
		}
		require.Equal(t, streams(sortedChanges(wantChanges)), sortedStreams(got), "seed %d", seed)
	}
}

// sortedChanges returns changes put in lifecycle order within each stream.
func sortedChanges(changes []Change) []Change {
	out := slices.Clone(changes)
	slices.SortStableFunc(out, func(a, b Change) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
	return out
}
