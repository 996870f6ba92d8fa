package scheduling

import (
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// Webhook is one webhook a command says Junction sends, in the order it
// sends them: its message id, its type and envelope, and what its data is
// built from. [Webhook.Event] gives it as a consumer receives it.
//
// A Webhook holds no copy of the order. An order webhook refers to data
// its command allocates once and shares among its order webhooks: a copy
// of the parts of the order no command changes (its id, patient and
// dates), the order's history (shared with the flow; the webhook carries
// its entries up to its change) and the order's latest appointment, whose
// id and placed-at, and whose address when it is the order's, it shares
// (with a copy of the order's address otherwise). An appointment webhook
// refers to the appointment as it was at its change; or, when its command
// moved the appointment on by further steps of its lifecycle, to the
// appointment as the command left it, with what those steps changed (the
// statuses, can_reschedule, the event data, the length of the history),
// which its event is built back from. What a webhook refers to is never
// written again, by later commands, by commands on other flows descending
// from the same one, or by changes the caller makes to the [Flow] it got
// back or to the events it built: its event is the same whenever it is
// built. The zero Webhook has no data.
type Webhook struct {
	// ID is the message id (svix-id) Junction gives the webhook, the same
	// on every retry: made up and stable (our decision),
	// "msg_<order id>_o<history entry id>" for an order webhook,
	// "msg_<appointment id>_<length of its history>" for an appointment
	// webhook.
	ID string
	// Type is the webhook's event type.
	Type webhook.Type

	// change is what differs from appt, for an appointment webhook whose
	// appointment the command changed again (see [tx.touch]).
	change apptChange
	// n is how many entries of order.history an order webhook carries, or
	// of events an appointment webhook with a change (a history of 2³¹
	// entries cannot be held in memory).
	n int32
	// The envelope's ids: the order's.
	userID, clientUserID, teamID string
	// order is what the command's order webhooks are built from; nil for
	// an appointment webhook, and for a webhook built without data (a
	// benchmark's baseline).
	order *orderData
	// appt is the appointment at its change, for an appointment webhook.
	appt *appointment.Appointment
}

// Event returns the webhook as a consumer receives it: the
// [webhook.Event] with its envelope (the order's user, client user and
// team) and its data: for an order webhook a fresh [order.Order], built
// from what the webhook holds as [Flow.Snapshot] builds one, with the
// history up to the webhook's change; for an appointment webhook a fresh
// copy of the appointment as it was at its change. Each call returns values
// of its own, which the caller may change; only the entries of their
// histories are shared, so treat those as read-only (appending to a
// history copies it). Building the order allocates it: build the events a
// consumer is given, not those of webhooks only looked at by Type.
func (w Webhook) Event() webhook.Event {
	e := webhook.Event{ID: w.ID, Type: w.Type, UserID: w.userID, ClientUserID: w.clientUserID, TeamID: w.teamID}
	switch {
	case w.order != nil:
		s := new(order.Order)
		w.order.fill(s, w.teamID, w.userID, int(w.n))
		e.Order = s
	case w.appt != nil:
		a := new(appointment.Appointment)
		*a = *w.appt
		a.History = a.History[:len(a.History):len(a.History)]
		w.change.apply(a, w.n)
		e.Appointment = a
	}
	return e
}

// apptChange holds what a step of the lifecycle changes in an
// appointment, besides its history: its statuses, whether it can be
// rescheduled, and its event data, which the flow sets to nothing but
// is_reschedule. An appointment webhook whose appointment its command
// changes again by such steps only shares the appointment as the command
// leaves it, with the change that takes it back to the webhook's
// moment, where it would need a copy.
type apptChange struct {
	status, eventStatus appointment.Status
	flags               uint8
}

// The flags of an apptChange.
const (
	changeSet uint8 = 1 << iota
	changeCanReschedule
	changeIsReschedule
)

// changeOf returns the change that takes an appointment back to a, and
// whether there is one: not when a's event data holds more than
// is_reschedule.
func changeOf(a *appointment.Appointment) (apptChange, bool) {
	if a.EventData.Origin != "" || a.EventData.Extra != nil {
		return apptChange{}, false
	}
	c := apptChange{status: a.Status, eventStatus: a.EventStatus, flags: changeSet}
	if a.CanReschedule {
		c.flags |= changeCanReschedule
	}
	if a.EventData.IsReschedule {
		c.flags |= changeIsReschedule
	}
	return c, true
}

// apply takes a, a copy of the appointment, back to the change's moment,
// when its history had n entries.
func (c apptChange) apply(a *appointment.Appointment, n int32) {
	if c.flags&changeSet == 0 {
		return
	}
	a.Status, a.EventStatus = c.status, c.eventStatus
	a.CanReschedule = c.flags&changeCanReschedule != 0
	a.EventData = appointment.EventData{IsReschedule: c.flags&changeIsReschedule != 0}
	a.History = a.History[:n:n]
}

// orderData is what the order webhooks of one command are built from,
// besides the envelope: the parts of the order no command changes, the
// order's history, with the entries of every webhook of the command, and
// its latest appointment (the same for every order webhook of a command:
// a command that makes an appointment makes it before its first order
// webhook).
type orderData struct {
	id         string
	patient    order.Patient
	createdAt  time.Time
	activateBy order.Date
	history    []order.HistoryEntry
	// address is the order's address: that of its latest appointment when
	// the two are equal, a copy otherwise. Commands write an appointment's
	// address only when they place it, and never write the appointments of
	// a flow they are called on, so the webhook may share it.
	address *order.Address
	// latest is the order's latest appointment, whose id and placed-at no
	// command changes; nil when it has none.
	latest *Placement
}

// data returns what an order snapshot of o is built from, its history
// clipped: one allocation, with room for a copy of the address when the
// latest appointment's differs.
func (o *Flow) data() *orderData {
	var latest *Placement
	if k := len(o.Appointments); k > 0 {
		latest = &o.Appointments[k-1]
	}
	var d *orderData
	if latest != nil && latest.Address == o.Address {
		d = &orderData{address: &latest.Address}
	} else {
		b := &struct {
			data    orderData
			address order.Address
		}{address: o.Address}
		d = &b.data
		d.address = &b.address
	}
	n := len(o.History)
	d.id, d.patient, d.createdAt, d.activateBy = o.ID, o.Patient, o.CreatedAt, o.ActivateBy
	d.history, d.latest = o.History[:n:n], latest
	return d
}

// Snapshot returns the order as Junction's order endpoints and its
// labtest.order.* webhooks carry it now: an at-home phlebotomy order with
// its whole status history (History, ids 1, 2, 3, …), LastEvent, the
// deprecated high-level status, the patient and the address as the flow
// holds them, activate_by, origin initial, and in its details the id of its
// latest appointment, which stays there after that appointment is
// cancelled (inferred: Junction names the active appointment, and the
// documentation does not say what it names once none is active). The flow
// knows no lab test, sample or order transaction: those fields are zero,
// for a caller to fill in.
//
// The snapshot shares its history with o: treat History as read-only.
func (o Flow) Snapshot() order.Order {
	var s order.Order
	o.data().fill(&s, o.TeamID, o.UserID, len(o.History))
	return s
}

// fill writes into s, which is zero, the snapshot of the order of team
// teamID and user userID with the first n entries of its history.
func (d *orderData) fill(s *order.Order, teamID, userID string, n int) {
	s.ID, s.TeamID, s.UserID = d.id, teamID, userID
	s.Patient, s.Address = d.patient, *d.address
	s.Details.Type, s.Details.CreatedAt, s.Details.UpdatedAt = order.ModalityAtHomePhlebotomy, d.createdAt, d.createdAt
	s.CreatedAt, s.UpdatedAt, s.Origin = d.createdAt, d.createdAt, "initial"
	s.ActivateBy = d.activateBy
	if d.latest != nil {
		s.Details.AppointmentID, s.Details.UpdatedAt = d.latest.ID, d.latest.PlacedAt
	}
	if n > 0 {
		s.History = d.history[:n:n]
		s.LastEvent = s.History[n-1]
		s.UpdatedAt = s.LastEvent.CreatedAt
		s.HighLevel = s.LastEvent.Status.HighLevel()
	}
}

// maxSubjects is how many webhooks of a command [tx.name] names from what
// the command recorded; beyond them it reads what the webhooks hold. No command
// sends more than six.
const maxSubjects = 8

// subject is what a webhook's message id names: the order or appointment
// id and the number after it; for an appointment webhook whose snapshot is
// still to be taken, the appointment's index plus one (0 otherwise), and
// whether the webhook holds the change back to its moment already.
type subject struct {
	id      string
	n       int64
	appt    int
	changed bool
}

// orderEvent sends the order webhook of type typ for the order's latest
// change: it carries the history up to that change, which the command's
// order data holds from then on.
func (t *tx) orderEvent(typ webhook.Type) {
	// An order webhook follows the history entry of its change.
	h := t.o.History
	n := len(h)
	w := t.emit(typ, t.o.ID, h[n-1].ID)
	if t.bare {
		return
	}
	if t.data == nil {
		t.data = t.o.data()
	}
	// The history only grows during a command: the data keeps the
	// longest, whose first n entries are this webhook's.
	t.data.history = h[:n:n]
	w.order, w.n = t.data, int32(n)
}

// appointmentEvent sends the appointment webhook of type typ for the
// latest change of appointment i: the appointment with its history up to
// that change, which the snapshot shares. The snapshot is taken when the
// command changes the appointment again ([tx.touch]); the last one of a
// command is the appointment in the flow the command returns
// ([tx.share]), not a copy.
func (t *tx) appointmentEvent(typ webhook.Type, i int) {
	a := &t.o.Appointments[i].Appointment
	n := len(a.History)
	w := t.emit(typ, a.ID, int64(n))
	if t.bare {
		return
	}
	if k := len(t.hooks) - 1; k < maxSubjects {
		t.subjects[k].appt = i + 1
		return
	}
	w.appt = t.snapshot(i)
}

// snapshot returns a copy of appointment i, its history clipped, among the
// command's snapshots.
func (t *tx) snapshot(i int) *appointment.Appointment {
	a := &t.o.Appointments[i].Appointment
	n := len(a.History)
	if len(t.apptSnaps) == cap(t.apptSnaps) {
		// Room for the snapshots of the appointment webhooks the command
		// usually sends but the last, which shares the flow's appointment
		// ([tx.share]); one more at a time beyond them.
		t.apptSnaps = make([]appointment.Appointment, 0, max(t.appts-1, 1))
		t.appts = 0
	}
	t.apptSnaps = append(t.apptSnaps, *a)
	s := &t.apptSnaps[len(t.apptSnaps)-1]
	s.History = s.History[:n:n]
	return s
}

// touch readies the webhooks still waiting for a snapshot of appointment
// i, which the command is about to change: a step of the lifecycle
// ([tx.appt]) when step is true, which the webhooks record the change back
// from (they share the appointment as the command leaves it, [tx.share]);
// otherwise a change of anything else, before which each takes a copy.
func (t *tx) touch(i int, step bool) {
	for k := range min(len(t.hooks), maxSubjects) {
		sub := &t.subjects[k]
		if sub.appt != i+1 {
			continue
		}
		w := &t.hooks[k]
		if step {
			if !sub.changed {
				a := &t.o.Appointments[i].Appointment
				if c, ok := changeOf(a); ok {
					w.change, w.n, sub.changed = c, int32(len(a.History)), true
				}
			}
			if sub.changed {
				continue
			}
		}
		s := t.snapshot(i)
		w.change.apply(s, w.n)
		w.appt, w.change = s, apptChange{}
		sub.appt, sub.changed = 0, false
	}
}

// share gives the webhooks still waiting for a snapshot the appointment
// itself, as the command leaves it in the flow it returns: commands never
// change the appointments of a flow they are called on, so that the flow
// and the webhook can share it. [Webhook.Event] clips the history it
// copies, which keeps the room after it for the flow's next command.
func (t *tx) share() {
	for k := range min(len(t.hooks), maxSubjects) {
		if i := t.subjects[k].appt - 1; i >= 0 {
			t.hooks[k].appt = &t.o.Appointments[i].Appointment
		}
	}
}

// name gives each webhook its message id: "msg_<order id>_o<history entry
// id>" for an order webhook, "msg_<appointment id>_<length of its
// history>" for an appointment webhook. The ids share one string, one
// allocation.
func (t *tx) name() {
	hooks := t.hooks
	var num [20]byte
	size := 0
	for i := range hooks {
		id, n := t.subject(i)
		size += len("msg_") + len(id) + len("_o") + len(strconv.AppendInt(num[:0], n, 10))
	}
	var b strings.Builder
	b.Grow(size)
	for i := range hooks {
		id, n := t.subject(i)
		b.WriteString("msg_")
		b.WriteString(id)
		if hooks[i].Type.IsOrder() {
			b.WriteString("_o")
		} else {
			b.WriteByte('_')
		}
		b.Write(strconv.AppendInt(num[:0], n, 10))
	}
	all, start := b.String(), 0
	for i := range hooks {
		id, n := t.subject(i)
		end := start + len("msg_") + len(id) + len("_") + len(strconv.AppendInt(num[:0], n, 10))
		if hooks[i].Type.IsOrder() {
			end++
		}
		hooks[i].ID = all[start:end]
		start = end
	}
}

// subject returns the id webhook i is about and the number its message id
// ends with.
func (t *tx) subject(i int) (string, int64) {
	if i < maxSubjects {
		return t.subjects[i].id, t.subjects[i].n
	}
	w := &t.hooks[i]
	if w.Type.IsOrder() {
		return w.order.id, w.order.history[w.n-1].ID
	}
	if w.change.flags&changeSet != 0 {
		return w.appt.ID, int64(w.n)
	}
	return w.appt.ID, int64(len(w.appt.History))
}
