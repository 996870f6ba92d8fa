package scheduling

import (
	"slices"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// TestWireSnapshots follows one order, booked, cancelled and booked again,
// through the snapshots its webhooks carry.
func TestWireSnapshots(t *testing.T) {
	p := placeOrder()
	p.Address.SecondLine, p.Address.Country = "Apt 4", "US"
	p.TeamID, p.ClientUserID, p.ActivateBy = "team-1", "client-1", adate(30)
	p.Patient.FirstName, p.Patient.LastName = "Jane", "Doe"
	o, hooks, err := Place(p, t0)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	created := hooks[0].Event()
	assert.Equal(t, webhook.Event{ID: "msg_ord_o1", Type: webhook.OrderCreated, UserID: "user-1", ClientUserID: "client-1",
		TeamID: "team-1", Order: &order.Order{
			ID: "ord", TeamID: "team-1", UserID: "user-1",
			Patient: order.Patient{DOB: dob(1990, 6, 15), FirstName: "Jane", LastName: "Doe"},
			Address: order.Address{FirstLine: "123 Main St.", SecondLine: "Apt 4", City: "Phoenix", State: "AZ", ZipCode: "85004",
				Country: "US", AccessNotes: "Gate code #1234"},
			Details:   order.Details{Type: order.ModalityAtHomePhlebotomy, CreatedAt: t0, UpdatedAt: t0},
			CreatedAt: t0, UpdatedAt: t0,
			History:   []order.HistoryEntry{{ID: 1, CreatedAt: t0, Status: order.Ordered}},
			LastEvent: order.HistoryEntry{ID: 1, CreatedAt: t0, Status: order.Ordered},
			HighLevel: order.HighLevelReceived, ActivateBy: order.DateOf(at(30)), Origin: "initial",
		}}, created)
	assert.Equal(t, *created.Order, o.Snapshot())

	o, _ = must(t)(o.CreateRequisition(at(1)))
	o, hooks = must(t)(o.Book(book(72), at(2)))
	require.Equal(t, []string{ordPending, apCreated, ordScheduled, apConfirmed}, seq(hooks))
	assert.Equal(t, []string{"msg_ord_o3", "msg_ord-a1_1", "msg_ord_o4", "msg_ord-a1_2"}, ids(hooks))
	// The order names the appointment from the webhook that moves it to
	// appointment_pending on.
	assert.Equal(t, "ord-a1", hooks[0].Event().Order.AppointmentID())
	assert.Equal(t, at(2), hooks[0].Event().Order.Details.UpdatedAt)
	assert.Equal(t, order.HighLevelCollectingSample, hooks[0].Event().Order.HighLevel)
	// Each snapshot has the history up to its change, and no more.
	assert.Len(t, hooks[0].Event().Order.History, 3)
	assert.Len(t, hooks[2].Event().Order.History, 4)
	assert.Equal(t, []string{"pending"}, statuses(*hooks[1].Event().Appointment))
	assert.Equal(t, appointment.Pending, hooks[1].Event().Appointment.Status)
	assert.Equal(t, []string{"pending", "scheduled"}, statuses(*hooks[3].Event().Appointment))
	assert.Equal(t, appointment.Confirmed, hooks[3].Event().Appointment.Status)
	assert.Equal(t, appointment.Phlebotomy, hooks[3].Event().Appointment.Type)
	assert.True(t, hooks[3].Event().Appointment.CanReschedule)

	o, hooks = must(t)(o.CancelAppointment(at(3)))
	require.Equal(t, []string{ordApptCanc, apCancelled}, seq(hooks))
	assert.Equal(t, "ord-a1", hooks[0].Event().Order.AppointmentID(), "the cancelled appointment stays named")
	o, hooks = must(t)(o.Book(book(80), at(4)))
	assert.Equal(t, "ord-a2", hooks[0].Event().Order.AppointmentID())
	assert.Equal(t, "msg_ord-a2_1", hooks[1].ID)

	// Partial results without their webhook still enter the history: the
	// next order webhook carries them.
	o, _ = must(t)(o.CompleteDraw(at(80)))
	o, hooks = must(t)(o.ReceivePartialResults(at(81)))
	assert.Empty(t, hooks)
	o, hooks = must(t)(o.CompleteResults(at(82)))
	require.Len(t, hooks, 1)
	h := hooks[0].Event().Order.History
	assert.Equal(t, []order.Status{order.PartialResults, order.Completed}, []order.Status{h[len(h)-2].Status, h[len(h)-1].Status})
	assert.Equal(t, o.History, h)
	for i, e := range o.History {
		assert.Equal(t, int64(i+1), e.ID)
	}
}

// TestSnapshotAddress shows that an order webhook carries the flow's
// address as it is at its command, also when the caller changed it after
// the appointment was placed at the old one.
func TestSnapshotAddress(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	o, hooks := must(t)(o.Book(book(72), at(2)))
	assert.Equal(t, o.Address, hooks[0].Event().Order.Address)
	old := o.Address
	o.Address.City = "Tempe"
	o, hooks = must(t)(o.Reschedule(at(80), at(82), "", at(3)))
	require.Equal(t, webhook.OrderUpdated, hooks[0].Type)
	assert.Equal(t, "Tempe", hooks[0].Event().Order.Address.City)
	assert.Equal(t, "Tempe", o.Snapshot().Address.City)
	assert.Equal(t, old, hooks[1].Event().Appointment.Address, "the appointment keeps the address it was placed at")
	o.Address = old
	_, hooks = must(t)(o.StartVisit(at(79)))
	assert.Equal(t, old, o.Snapshot().Address)
	assert.Equal(t, "ord-a1", o.Snapshot().AppointmentID())
	assert.Len(t, hooks, 1)
}

func ids(hooks []Webhook) []string {
	var out []string
	for _, h := range hooks {
		out = append(out, h.ID)
	}
	return out
}

func statuses(a appointment.Appointment) []string {
	var out []string
	for _, e := range a.History {
		out = append(out, e.Status)
	}
	return out
}

// TestSnapshotsShareNothingWritable shows that a later command cannot
// change a snapshot already sent.
func TestSnapshotsShareNothingWritable(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	o, booked := must(t)(o.Book(book(72), at(2)))
	before := booked[3].Event().Appointment.History
	order0 := booked[2].Event().Order.History
	_, _ = must(t)(o.Reschedule(at(90), at(92), "", at(3)))
	_, _ = must(t)(o.CancelAppointment(at(3)))
	assert.Len(t, before, 2)
	assert.Equal(t, "scheduled", before[1].Status)
	assert.Len(t, order0, 4)
	assert.Equal(t, order.AppointmentScheduled, order0[3].Status)
}

func TestAsyncBooking(t *testing.T) {
	async := book(72)
	async.Async = true
	t.Run("confirmed after the requisition", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, hooks := must(t)(o.Book(async, at(2)))
		assert.Equal(t, []string{ordPending, apCreated}, seq(hooks))
		assert.Equal(t, order.AppointmentPending, o.Status)
		o, hooks = must(t)(o.Confirm(at(3)))
		assert.Equal(t, []string{ordScheduled, apConfirmed}, seq(hooks))
		_, _, err := o.Confirm(at(4))
		assert.ErrorIs(t, err, ErrNotAllowed, "a confirmed booking is not confirmed again")
	})
	t.Run("reserved before the requisition", func(t *testing.T) {
		o, hooks := must(t)(place(beta).Book(async, at(1)))
		assert.Equal(t, []string{apCreated}, seq(hooks))
		o, hooks = must(t)(o.Confirm(at(2)))
		assert.Equal(t, []string{apReserved}, seq(hooks))
		assert.Equal(t, order.Ordered, o.Status)
	})
	t.Run("declined", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(async, at(2)))
		_, hooks := must(t)(o.CancelAppointment(at(3)))
		assert.Equal(t, []string{ordApptCanc, apCancelled}, seq(hooks))
	})
	t.Run("refused", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		_, _, err := o.Confirm(at(2))
		assert.ErrorIs(t, err, ErrNotAllowed, "nothing to confirm")
		o, _ = must(t)(o.Request(request(), at(2)))
		_, _, err = o.Confirm(at(3))
		assert.ErrorIs(t, err, ErrNotAllowed, "a request is penciled in, not confirmed")
		var se *StateError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "confirm", se.Command)
	})
}

// TestHistoryFromNothing runs a command on an order built by hand, without
// a history: the history starts at id 1.
func TestHistoryFromNothing(t *testing.T) {
	o := Flow{ID: "ord", Status: order.Ordered, CreatedAt: t0, Clock: t0, UserID: "user-1", Patient: jane(), Address: home()}
	o, hooks := must(t)(o.CreateRequisition(at(1)))
	assert.Equal(t, []order.HistoryEntry{{ID: 1, CreatedAt: at(1), Status: order.RequisitionCreated}}, o.History)
	assert.Equal(t, "msg_ord_o1", hooks[0].ID)
}

// TestSnapshotOfNothing takes the snapshot of an order built by hand with
// neither history nor appointments.
func TestSnapshotOfNothing(t *testing.T) {
	s := Flow{ID: "ord"}.Snapshot()
	assert.Equal(t, "ord", s.ID)
	assert.Nil(t, s.History)
	assert.Empty(t, s.AppointmentID())
	_, ok := s.Current()
	assert.False(t, ok)
}

// booking returns an order with its requisition, and a booking on it that
// has sent its four webhooks and is still to end.
func booking(t *testing.T) (Flow, tx) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	var tr tx
	require.NoError(t, o.begin(&tr, "book", at(2), 2, 2))
	require.NoError(t, tr.book(book(72)))
	require.Len(t, tr.hooks, 4)
	return o, tr
}

// TestNameAllocatesOnce checks that a command's message ids share one
// string, and that ids past the ones a command records are read from the
// snapshots.
func TestNameAllocatesOnce(t *testing.T) {
	_, tr := booking(t)
	tr.name()
	tr.share()
	want := ids(tr.hooks)
	assert.Equal(t, []string{"msg_ord_o3", "msg_ord-a1_1", "msg_ord_o4", "msg_ord-a1_2"}, want)
	assert.Equal(t, 1.0, testing.AllocsPerRun(10, tr.name))
	assert.Equal(t, want, ids(tr.hooks))

	// More webhooks than a command records: the rest are named from
	// their snapshots.
	var many tx
	for range 3 {
		many.hooks = append(many.hooks, tr.hooks...)
	}
	copy(many.subjects[:], append(append([]subject{}, tr.subjects[:4]...), tr.subjects[:4]...))
	many.name()
	assert.Equal(t, append(append(append([]string{}, want...), want...), want...), ids(many.hooks))
}

// TestTouch: an appointment webhook whose appointment its command moves on
// by a step of the lifecycle records the change back to its moment and
// shares the appointment; a change of anything else, or event data the
// change cannot hold, makes it take a copy, as it was at its moment.
func TestTouch(t *testing.T) {
	o, tr := booking(t)
	created := tr.hooks[1]
	assert.True(t, tr.subjects[1].changed)
	assert.Equal(t, apptChange{status: appointment.Pending, eventStatus: appointment.Pending, flags: changeSet}, created.change)
	assert.Equal(t, int32(1), created.n)
	assert.Nil(t, created.appt, "shared when the command ends")
	assert.False(t, tr.subjects[3].changed)
	// Another step keeps the change back to the webhook's own moment.
	tr.touch(0, true)
	assert.Equal(t, created.change, tr.hooks[1].change)
	assert.Equal(t, int32(1), tr.hooks[1].n)
	assert.Equal(t, apptChange{status: appointment.Confirmed, eventStatus: appointment.Confirmed, flags: changeSet | changeCanReschedule}, tr.hooks[3].change)

	// A change of something else than a step: both take copies, each as
	// it was at its moment.
	tr.touch(0, false)
	for k, want := range map[int]appointment.Status{1: appointment.Pending, 3: appointment.Confirmed} {
		w := tr.hooks[k]
		require.NotNil(t, w.appt, "webhook %d", k)
		assert.NotSame(t, &tr.o.Appointments[0].Appointment, w.appt, "webhook %d", k)
		assert.Equal(t, apptChange{}, w.change, "webhook %d", k)
		assert.Zero(t, tr.subjects[k].appt, "webhook %d", k)
		assert.False(t, tr.subjects[k].changed, "webhook %d", k)
		a := w.Event().Appointment
		assert.Equal(t, want, a.Status, "webhook %d", k)
		assert.Equal(t, want, a.EventStatus, "webhook %d", k)
		assert.Equal(t, k == 3, a.CanReschedule, "webhook %d", k)
		assert.Len(t, a.History, k/2+1, "webhook %d", k)
	}
	tr.o.Appointments[0].StartAt = at(99)
	assert.Equal(t, at(72), tr.hooks[1].Event().Appointment.StartAt)

	// Event data with more than is_reschedule: a copy at once.
	o, _ = must(t)(o.Book(book(72), at(2)))
	o.Appointments = slices.Clone(o.Appointments)
	o.Appointments[0].EventData = appointment.EventData{Origin: "provider", IsReschedule: true}
	var tr2 tx
	require.NoError(t, o.begin(&tr2, "start_visit", at(3), 0, 1))
	tr2.appointmentEvent(webhook.AppointmentUpdated, 0)
	tr2.touch(0, true)
	require.NotNil(t, tr2.hooks[0].appt)
	assert.False(t, tr2.subjects[0].changed)
	assert.Equal(t, appointment.EventData{Origin: "provider", IsReschedule: true}, tr2.hooks[0].Event().Appointment.EventData)
	assert.Len(t, tr2.hooks[0].Event().Appointment.History, 2)

	// A reschedule's event data is held by the change.
	c, ok := changeOf(&appointment.Appointment{Status: appointment.Reserved, CanReschedule: true, EventData: appointment.EventData{IsReschedule: true}})
	assert.True(t, ok)
	assert.Equal(t, apptChange{status: appointment.Reserved, flags: changeSet | changeCanReschedule | changeIsReschedule}, c)
	_, ok = changeOf(&appointment.Appointment{EventData: appointment.EventData{Extra: map[string]jsontext.Value{}}})
	assert.False(t, ok)
	a := appointment.Appointment{EventData: appointment.EventData{Origin: "provider"}, History: make([]appointment.HistoryEntry, 3)}
	apptChange{status: appointment.Reserved, flags: changeSet | changeIsReschedule}.apply(&a, 2)
	assert.Equal(t, appointment.Appointment{Status: appointment.Reserved, EventData: appointment.EventData{IsReschedule: true},
		History: make([]appointment.HistoryEntry, 2)}, a)
	assert.Equal(t, 2, cap(a.History), "clipped")
	a = appointment.Appointment{}
	apptChange{}.apply(&a, 0)
	assert.Equal(t, appointment.Appointment{}, a, "no change, nothing applied")
}

// TestSnapshotsOfOneCommand: each appointment webhook of a command carries
// the appointment as it was at that change; the last is the appointment of
// the flow the command returns, which later commands leave as it is.
func TestSnapshotsOfOneCommand(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	o, hooks := must(t)(o.Book(book(72), at(2)))
	require.Len(t, hooks, 4)
	assert.Equal(t, appointment.Pending, hooks[1].Event().Appointment.Status)
	assert.Len(t, hooks[1].Event().Appointment.History, 1)
	assert.Equal(t, appointment.Confirmed, hooks[3].Event().Appointment.Status)
	assert.Same(t, &o.Appointments[0].Appointment, hooks[3].appt, "the flow's own appointment")
	assert.Equal(t, len(hooks[3].Event().Appointment.History), cap(hooks[3].Event().Appointment.History), "clipped")
	before := *hooks[3].Event().Appointment
	r, rh := must(t)(o.Reschedule(at(90), at(92), "Left arm", at(3)))
	c, _ := must(t)(r.CancelAppointment(at(4)))
	assert.Equal(t, before, *hooks[3].Event().Appointment)
	assert.Equal(t, "Left arm", rh[1].Event().Appointment.AppointmentNotes)
	assert.Equal(t, appointment.Cancelled, c.Appointments[0].Status)
	assert.Equal(t, appointment.Confirmed, rh[1].Event().Appointment.Status)
	// An auto-cancellation before the command's own change: the
	// cancellation's snapshot, then the order's.
	b, _ := must(t)(place(beta).Book(book(72), at(1)))
	tk, hooks := must(t)(b.Tick(at(9)))
	require.Len(t, hooks, 1)
	assert.Equal(t, appointment.Cancelled, hooks[0].Event().Appointment.Status)
	assert.Same(t, &tk.Appointments[0].Appointment, hooks[0].appt)
	assert.Equal(t, appointment.Reserved, b.Appointments[0].Status)
}

// TestSnapshotsStayAsSent walks a lifecycle and, from every flow on the
// way, a second branch, then changes every event built from a webhook,
// extending its snapshot's history, as a receiver might: each webhook
// still builds the event it built when it arrived, and each flow holds
// what it held when it was returned.
func TestSnapshotsStayAsSent(t *testing.T) {
	var all []heldEvent
	keep := func(hooks []Webhook) {
		for _, w := range hooks {
			e := w.Event()
			all = append(all, heldEvent{hook: w, copy: deepEvent(e), built: e})
		}
	}
	p := placeOrder()
	p.Settings = Settings{PreRequisitionScheduling: true, PartialResultsWebhooks: true}
	o, hooks, err := Place(p, t0)
	require.NoError(t, err)
	keep(hooks)
	flows, copies := []Flow{o}, []Flow{deepCopy(o)}
	steps := []func(Flow) (Flow, []Webhook, error){
		func(o Flow) (Flow, []Webhook, error) { return o.Book(book(72), at(1)) },
		func(o Flow) (Flow, []Webhook, error) { return o.CreateRequisition(at(2)) },
		func(o Flow) (Flow, []Webhook, error) { return o.Reschedule(at(80), at(82), "", at(3)) },
		func(o Flow) (Flow, []Webhook, error) { return o.StartVisit(at(79)) },
		func(o Flow) (Flow, []Webhook, error) { return o.CompleteDraw(at(80)) },
		func(o Flow) (Flow, []Webhook, error) { return o.ReceivePartialResults(at(90)) },
		func(o Flow) (Flow, []Webhook, error) { return o.CompleteResults(at(100)) },
	}
	for _, step := range steps {
		o, hooks, err = step(o)
		require.NoError(t, err)
		keep(hooks)
		flows, copies = append(flows, o), append(copies, deepCopy(o))
	}
	// A second branch from every flow: cancelled there, the events built
	// from its webhooks changed by their receiver.
	for _, f := range flows {
		_, hooks, err := f.Cancel(at(100))
		if err != nil {
			continue
		}
		for _, w := range hooks {
			scribble(w.Event())
		}
	}
	// Every receiver changes the event it built.
	for _, h := range all {
		scribble(h.built)
	}
	for i, h := range all {
		assert.Equal(t, h.copy, h.hook.Event(), "webhook %d", i)
		assert.NotEqual(t, h.copy, h.built, "webhook %d: the receiver's event unchanged", i)
	}
	for i := range flows {
		assert.Equal(t, copies[i], flows[i], "flow %d", i)
	}
	// The lifecycle's flows share one history.
	assert.Same(t, &flows[0].History[0], &flows[len(flows)-1].History[0])
}

// TestHistoryOfCallerNotWritten runs commands on a flow whose history the
// caller built with spare capacity: the flow never writes to it.
func TestHistoryOfCallerNotWritten(t *testing.T) {
	o := place(beta)
	h := append(make([]order.HistoryEntry, 0, 8), o.History...)
	o.History = h
	r, _ := must(t)(o.CreateRequisition(at(1)))
	assert.Len(t, r.History, 2)
	assert.Equal(t, make([]order.HistoryEntry, 7), h[1:cap(h)])
}

// TestBranchesAtOnce runs commands on one flow from several goroutines at
// once, racing for the room after its histories: each gets the flow and the
// webhooks of its own command (run it with -race).
func TestBranchesAtOnce(t *testing.T) {
	o, _ := must(t)(place(beta).Book(book(72), at(1)))
	require.Greater(t, cap(o.History), len(o.History))
	require.Greater(t, cap(o.Appointments[0].History), len(o.Appointments[0].History))
	// The same flow, its histories without room the flow made: commands
	// copy it.
	other := deepCopy(o)
	requisition, requisitionHooks := must(t)(other.CreateRequisition(at(2)))
	cancelled, cancelledHooks := must(t)(other.Cancel(at(2)))
	type result struct {
		want, got           Flow
		wantHooks, gotHooks []Webhook
	}
	results := make(chan result, 8)
	for i := range 8 {
		go func() {
			if i%2 == 0 {
				got, hooks, _ := o.CreateRequisition(at(2))
				results <- result{requisition, got, requisitionHooks, hooks}
			} else {
				got, hooks, _ := o.Cancel(at(2))
				results <- result{cancelled, got, cancelledHooks, hooks}
			}
		}()
	}
	var all []result
	for range 8 {
		r := <-results
		assert.Equal(t, r.want, r.got)
		all = append(all, r)
	}
	// Once every branch has taken its entries, each webhook still builds
	// its own command's events.
	for _, r := range all {
		assert.Equal(t, events(r.wantHooks), events(r.gotHooks))
	}
}

// events returns the events of hooks.
func events(hooks []Webhook) []webhook.Event {
	var out []webhook.Event
	for _, w := range hooks {
		out = append(out, w.Event())
	}
	return out
}

// TestEventIsFresh checks that each call of Event builds values of its
// own, equal each time, and that the zero Webhook has no data.
func TestEventIsFresh(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	_, hooks := must(t)(o.Book(book(72), at(2)))
	for _, w := range hooks {
		a, b := w.Event(), w.Event()
		assert.Equal(t, a, b)
		if w.Type.IsOrder() {
			assert.NotSame(t, a.Order, b.Order)
			assert.Nil(t, a.Appointment)
		} else {
			assert.NotSame(t, a.Appointment, b.Appointment)
			assert.Nil(t, a.Order)
		}
	}
	assert.Equal(t, webhook.Event{}, Webhook{}.Event())
	assert.Equal(t, webhook.Event{ID: "x", Type: webhook.AppointmentUpdated}, Webhook{ID: "x", Type: webhook.AppointmentUpdated}.Event())
}
