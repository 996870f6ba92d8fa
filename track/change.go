package track

import (
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/scheduling"
)

// Change is something that happened to an order or one of its
// appointments, revealed by a delivery: an [OrderStep], an
// [AppointmentStep], a [Rescheduled], an [ActiveChanged] or an
// [AutoCancelled]. Switch on its type; each has At, when it happened. Over
// all the deliveries of an order, whatever their order and however often
// each arrives, each change is reported exactly once.
//
// Each change has a key that names it among all the changes of all orders:
// its order's id, its kind, and what places it in the order's or the
// appointment's history (the entry's id or index, and for an
// [ActiveChanged] the two appointments), joined by "/", each id escaped as
// a URL path segment. Since each change is reported once, the key is what a
// side effect can be made idempotent on. [MarshalChange] and
// [UnmarshalChange] give a change's stored form.
type Change interface {
	// String returns a one-line description.
	String() string
	// Key returns the change's key, such as "ord-1/order_step/3".
	Key() string
	when() time.Time
}

// OrderStep is one entry of the order's status history: the order moved
// from From to To. Junction's history has one entry per status change, so
// every step is reported, also those of deliveries that never arrived on
// their own (a later history holds them).
type OrderStep struct {
	OrderID string
	// EventID is the history entry's id.
	EventID int64
	// At is when the order entered To.
	At time.Time
	// From is the status before; the zero Status for the first entry,
	// which follows the order's creation.
	From order.Status
	// To is the status entered.
	To order.Status
	// Detail says more about To, such as why a sample failed; empty when
	// Junction sends none.
	Detail string
	// Jump reports a step that skips statuses the lifecycle passes
	// through: requisition_created to appointment_scheduled, as Junction's
	// own example history does. Transitions then lists the moves it stands
	// for.
	Jump bool
	// Transitions are the lifecycle's moves the step stands for: none for
	// the first entry, one for a step, several for a jump.
	Transitions []order.Transition
}

// AppointmentStep is one entry of an appointment's history: the
// appointment moved from From to To. The first entry of an appointment,
// From zero, is its creation; a step from a status to itself is a
// reschedule.
type AppointmentStep struct {
	OrderID, AppointmentID string
	// Index is the entry's position in the appointment's history.
	Index int
	// At is when the appointment entered To; zero when the entry has no
	// time.
	At time.Time
	// From is the status before; zero for the first entry.
	From appointment.Status
	// To is the status entered.
	To appointment.Status
	// Reschedule reports a step from reserved or confirmed to itself: the
	// appointment moved to another slot (see [Rescheduled] for the slots).
	Reschedule bool
}

// Slot is an appointment's time slot, in UTC; a zero bound is absent.
type Slot struct {
	Start, End time.Time
}

// slotText returns the slot as "start/end" in RFC 3339 (an absent bound
// empty), or "none".
func slotText(s Slot) string {
	if s.Start.IsZero() && s.End.IsZero() {
		return "none"
	}
	return rfc3339(s.Start) + "/" + rfc3339(s.End)
}

// rfc3339 returns t in UTC in RFC 3339, or "" when t is zero.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Rescheduled is a reschedule with the slots before and after it.
// Junction's history entries carry no slot: the slots come from the
// snapshots of the appointment sent just before and just after the
// reschedule, so Rescheduled is reported once both have arrived, while the
// [AppointmentStep] of the reschedule is reported as soon as any history
// shows it.
type Rescheduled struct {
	OrderID, AppointmentID string
	// Index is the reschedule's position in the appointment's history.
	Index int
	// At is when the appointment was rescheduled.
	At time.Time
	// From and To are the slot before and after.
	From, To Slot
}

// ActiveChanged reports that the order's active appointment
// (details.data.appointment_id) changed between two consecutive entries of
// its history: a first appointment placed, or a new one replacing a
// cancelled one. It is reported once the order's snapshots at both entries
// have arrived. An appointment placed before the requisition exists shows
// here only with the order's next status change, since the order sends no
// webhook of its own until then. Where snapshots with the same history name
// different appointments (a replay of the order's events sends its earlier
// histories with the appointment it names now), one change is reported for
// each appointment named at the earlier entry and each other one named at
// the later: what is reported depends on which snapshots arrived, never
// on the order they arrived in.
type ActiveChanged struct {
	OrderID string
	// EventID and At are those of the history entry at which the order
	// named To.
	EventID int64
	At      time.Time
	// From is the appointment the order named before, empty for none; To
	// the one it names now.
	From, To string
}

// Replaced reports whether the change replaced an appointment (From is
// set), rather than placing the order's first.
func (c ActiveChanged) Replaced() bool { return c.From != "" && c.To != "" }

// AutoCancelled reports that an appointment was, by inference, cancelled
// by Junction's auto-cancellation (see [scheduling.AutoCancel]): Junction
// does not say why an appointment was cancelled. The inference: the
// appointment was cancelled while the order had no requisition (it was
// reserved, which only happens before the requisition, or the order's
// history shows no requisition before the cancellation and goes on past
// it) and a rule's deadline had passed at the time of cancellation. It is
// reported once the order's snapshot and the cancellation are both known.
type AutoCancelled struct {
	OrderID, AppointmentID string
	// Index is the cancellation's position in the appointment's history.
	Index int
	// At is when the appointment was cancelled.
	At time.Time
	// Rule is the rule whose deadline had passed.
	Rule scheduling.Rule
}

func (c OrderStep) when() time.Time       { return c.At }
func (c AppointmentStep) when() time.Time { return c.At }
func (c Rescheduled) when() time.Time     { return c.At }
func (c ActiveChanged) when() time.Time   { return c.At }
func (c AutoCancelled) when() time.Time   { return c.At }

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// String returns a line such as
// "2026-11-23T12:00:00Z order ord-1 #2 ordered -> requisition_created".
func (c OrderStep) String() string {
	var b strings.Builder
	b.WriteString(stamp(c.At) + " order " + c.OrderID + " #" + strconv.FormatInt(c.EventID, 10) + " ")
	if c.From == 0 {
		b.WriteString("created " + c.To.String())
	} else {
		b.WriteString(c.From.String() + " -> " + c.To.String())
	}
	if c.Jump {
		b.WriteString(" (jump via")
		for _, t := range c.Transitions[:len(c.Transitions)-1] {
			b.WriteString(" " + t.To.String())
		}
		b.WriteString(")")
	}
	if c.Detail != "" {
		b.WriteString(" (" + string(c.Detail) + ")")
	}
	return b.String()
}

// String returns a line such as
// "2026-11-23T12:00:00Z appointment ord-1-a1 reserved -> confirmed".
func (c AppointmentStep) String() string {
	s := stamp(c.At) + " appointment " + c.AppointmentID + " "
	switch {
	case c.From == 0:
		return s + "created " + c.To.String()
	case c.Reschedule:
		return s + c.To.String() + " rescheduled"
	}
	return s + c.From.String() + " -> " + c.To.String()
}

// String returns a line such as "2026-11-23T12:00:00Z appointment ord-1-a1
// moved from 2026-11-25T14:00:00Z/2026-11-25T16:00:00Z to …".
func (c Rescheduled) String() string {
	return stamp(c.At) + " appointment " + c.AppointmentID + " moved from " + slotText(c.From) + " to " + slotText(c.To)
}

// String returns a line such as
// "2026-11-23T12:00:00Z order ord-1 #4 active appointment ord-1-a1 -> ord-1-a2".
func (c ActiveChanged) String() string {
	return stamp(c.At) + " order " + c.OrderID + " #" + strconv.FormatInt(c.EventID, 10) + " active appointment " +
		orNone(c.From) + " -> " + orNone(c.To)
}

func orNone(id string) string {
	if id == "" {
		return "none"
	}
	return id
}

// String returns a line such as "2026-11-23T17:00:00Z appointment ord-1-a1
// auto-cancelled (inferred: order_age)".
func (c AutoCancelled) String() string {
	return stamp(c.At) + " appointment " + c.AppointmentID + " auto-cancelled (inferred: " + c.Rule.String() + ")"
}
