package scheduling

import (
	"strconv"
	"strings"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// Snapshot returns the order as Junction's order endpoints and its
// labtest.order.* webhooks carry it now: an at-home phlebotomy order with
// its whole status history (Events, ids 1, 2, 3, …), LastEvent, the
// deprecated high-level status, the patient's date of birth and address
// (zip code as zip), activate_by, origin initial, and in its details the
// id of its latest appointment, which stays there after that appointment
// is cancelled (inferred: Junction names the active appointment, and the
// documentation does not say what it names once none is active). The
// flow knows no patient names, lab test, sample or order transaction:
// those fields are zero, for a caller to fill in.
//
// The snapshot shares its history with o: treat Events as read-only.
func (o Flow) Snapshot() order.Order { return o.snapshot() }

func (o *Flow) snapshot() order.Order {
	var s order.Order
	o.fillSnapshot(&s)
	return s
}

// fillSnapshot writes the order's snapshot into s, which is zero.
func (o *Flow) fillSnapshot(s *order.Order) {
	s.ID, s.TeamID, s.UserID = o.ID, o.TeamID, o.UserID
	s.Patient = o.Patient
	a := &o.Address
	s.Address = order.Address{FirstLine: a.FirstLine, SecondLine: a.SecondLine, City: a.City, State: a.State,
		ZipCode: a.ZipCode, Country: a.Country}
	s.Details.Type, s.Details.CreatedAt, s.Details.UpdatedAt = order.ModalityAtHomePhlebotomy, o.CreatedAt, o.CreatedAt
	s.CreatedAt, s.UpdatedAt, s.Origin = o.CreatedAt, o.CreatedAt, order.OriginInitial
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

// orderEvent writes into e, which is zero, the order webhook of type typ
// for the order's latest change.
func (o *Flow) orderEvent(e *webhook.Event, typ webhook.Type) {
	e.Type, e.UserID, e.ClientUserID, e.TeamID = typ, o.UserID, o.ClientUserID, o.TeamID
	e.Order = new(order.Order)
	o.fillSnapshot(e.Order)
}

// appointmentEvent writes into e, which is zero, the appointment webhook of
// type typ for the latest change of appointment i: the appointment with its
// history up to that change, which the snapshot shares.
func (o *Flow) appointmentEvent(e *webhook.Event, typ webhook.Type, i int) {
	e.Type, e.UserID, e.ClientUserID, e.TeamID = typ, o.UserID, o.ClientUserID, o.TeamID
	a := o.Appointments[i].Appointment
	n := len(a.History)
	a.History = a.History[:n:n]
	e.Appointment = &a
}

// name gives each event its message id: "msg_<order id>_o<history entry
// id>" for an order webhook, "msg_<appointment id>_<length of its
// history>" for an appointment webhook. The ids share one string, one
// allocation.
func name(hooks []webhook.Event) {
	var num [20]byte
	size := 0
	for i := range hooks {
		id, n := idParts(&hooks[i])
		size += len("msg_") + len(id) + len("_o") + len(strconv.AppendInt(num[:0], n, 10))
	}
	var b strings.Builder
	b.Grow(size)
	for i := range hooks {
		id, n := idParts(&hooks[i])
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
		id, n := idParts(&hooks[i])
		end := start + len("msg_") + len(id) + len("_") + len(strconv.AppendInt(num[:0], n, 10))
		if hooks[i].Type.IsOrder() {
			end++
		}
		hooks[i].ID = all[start:end]
		start = end
	}
}

// idParts returns the id of what e is about and the number its message id
// ends with.
func idParts(e *webhook.Event) (string, int64) {
	if e.Type.IsOrder() {
		return e.Order.ID, e.Order.LastEvent.ID
	}
	return e.Appointment.ID, int64(len(e.Appointment.History))
}
