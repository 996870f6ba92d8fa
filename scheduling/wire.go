package scheduling

import (
	"strconv"
	"strings"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

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
func (o Flow) Snapshot() order.Order { return o.snapshot() }

func (o *Flow) snapshot() order.Order {
	var s order.Order
	o.fillSnapshot(&s)
	return s
}

// fillSnapshot writes the order's snapshot into s, which is zero.
func (o *Flow) fillSnapshot(s *order.Order) {
	s.ID, s.TeamID, s.UserID = o.ID, o.TeamID, o.UserID
	s.Patient, s.Address = o.Patient, o.Address
	s.Details.Type, s.Details.CreatedAt, s.Details.UpdatedAt = order.ModalityAtHomePhlebotomy, o.CreatedAt, o.CreatedAt
	s.CreatedAt, s.UpdatedAt, s.Origin = o.CreatedAt, o.CreatedAt, "initial"
	s.ActivateBy = o.ActivateBy
	if n := len(o.Appointments); n > 0 {
		s.Details.AppointmentID, s.Details.UpdatedAt = o.Appointments[n-1].ID, o.Appointments[n-1].PlacedAt
	}
	if n := len(o.History); n > 0 {
		s.History = o.History[:n:n]
		s.LastEvent = o.History[n-1]
		s.UpdatedAt = s.LastEvent.CreatedAt
		s.HighLevel = s.LastEvent.Status.HighLevel()
	}
}

// maxSubjects is how many webhooks of a command [tx.name] names from what
// the command recorded; beyond them it reads the snapshots. No command
// sends more than six.
const maxSubjects = 8

// subject is what a webhook's message id names: the order or appointment
// id and the number after it; for an appointment webhook whose snapshot is
// still to be taken, the appointment's index plus one (0 otherwise).
type subject struct {
	id   string
	n    int64
	appt int
}

// orderEvent sends the order webhook of type typ for the order's latest
// change, with its snapshot.
func (t *tx) orderEvent(typ webhook.Type) {
	// An order webhook follows the history entry of its change.
	h := t.o.History
	e := t.emit(typ, t.o.ID, h[len(h)-1].ID)
	if t.bare {
		return
	}
	if len(t.orderSnaps) == cap(t.orderSnaps) {
		// Room for the order webhooks the command usually sends; one
		// more at a time beyond them.
		t.orderSnaps = make([]order.Order, 0, max(t.orders, 1))
		t.orders = 0
	}
	t.orderSnaps = t.orderSnaps[:len(t.orderSnaps)+1]
	e.Order = &t.orderSnaps[len(t.orderSnaps)-1]
	t.o.fillSnapshot(e.Order)
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
	e := t.emit(typ, a.ID, int64(n))
	if t.bare {
		return
	}
	if k := len(t.hooks) - 1; k < maxSubjects {
		t.subjects[k].appt = i + 1
		return
	}
	e.Appointment = t.snapshot(i)
}

// snapshot returns a copy of appointment i, its history clipped, among the
// command's snapshots.
func (t *tx) snapshot(i int) *appointment.Appointment {
	a := &t.o.Appointments[i].Appointment
	n := len(a.History)
	if len(t.apptSnaps) == cap(t.apptSnaps) {
		t.apptSnaps = make([]appointment.Appointment, 0, max(t.appts, 1))
		t.appts = 0
	}
	t.apptSnaps = append(t.apptSnaps, *a)
	s := &t.apptSnaps[len(t.apptSnaps)-1]
	s.History = s.History[:n:n]
	return s
}

// touch takes the snapshot of a webhook still waiting for one of
// appointment i, which the command is about to change.
func (t *tx) touch(i int) {
	for k := range min(len(t.hooks), maxSubjects) {
		if t.subjects[k].appt == i+1 {
			t.hooks[k].Appointment = t.snapshot(i)
			t.subjects[k].appt = 0
		}
	}
}

// share gives the webhooks still waiting for a snapshot the appointment
// itself, as the command leaves it in the flow it returns, its history
// clipped: commands never change the appointments of a flow they are
// called on, so that the flow and the webhook can share it.
func (t *tx) share() {
	for k := range min(len(t.hooks), maxSubjects) {
		if i := t.subjects[k].appt - 1; i >= 0 {
			a := &t.o.Appointments[i].Appointment
			a.History = a.History[:len(a.History):len(a.History)]
			t.hooks[k].Appointment = a
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
	e := &t.hooks[i]
	if e.Type.IsOrder() {
		return e.Order.ID, e.Order.LastEvent.ID
	}
	return e.Appointment.ID, int64(len(e.Appointment.History))
}
