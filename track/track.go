package track

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/webhook"
)

// Tracked is what a consumer knows of one at-home phlebotomy order from the
// webhook events it received: the latest order snapshot, every appointment
// of the order by id with its latest snapshot, and the snapshots' points in
// the histories that later changes need. The zero Tracked knows nothing; the
// first event names the order.
//
// A Tracked is a value. [Tracked.Apply] returns a new one and never changes
// the one it is called on; the new value may share memory with the old, so
// treat what the accessors return as read-only. Which snapshot is newer is
// decided by the histories the snapshots carry, never by the order in which
// they arrive: an order's events[] grows by one entry per status change,
// with increasing ids, and an appointment's events[] by one entry per
// change. A snapshot whose history extends the one held is news; one whose
// history is a prefix of it is stale; two histories where neither extends
// the other are a *[ConflictError].
//
// Applying a set of events in any order, each any number of times, gives
// the same Tracked, and reports each [Change] exactly once over the run:
// Apply is commutative, associative and idempotent. So several receivers
// sharing a store through compare-and-swap converge (see [Record]).
// Order snapshots with the same history may differ: replaying an order's
// events sends its earlier histories with what holds now, such as an
// appointment booked since. Of those, the one updated last is kept (at the
// same time: the one naming the greater appointment id), and every
// appointment any of them names counts for [ActiveChanged]. One caveat:
// two appointment snapshots with the same history that differ otherwise
// (which Junction does not send for one change) keep the one held, as do
// two order snapshots updated at the same time naming the same
// appointment.
//
// A Tracked round-trips through JSON ([Tracked.MarshalJSON]) and a database
// column ([Tracked.Value], [Tracked.Scan]) exactly.
type Tracked struct {
	id     string
	snap   *order.Order // the latest order snapshot, never written to; nil until one arrives
	points []point      // order history lengths seen, with the appointments named, ascending
	appts  []appt       // by id
}

// point is an order snapshot's place in the history: its length, and the
// active appointment it named. Snapshots of one length that name
// different appointments (a replay) have a point each.
type point struct {
	n             int
	appointmentID string
}

// appt is one appointment of the order.
type appt struct {
	snap  *appointment.Appointment // the latest snapshot, never written to
	slots []slotPoint              // history lengths seen, ascending
}

// slotPoint is an appointment snapshot's place in its history, and its
// slot then.
type slotPoint struct {
	n    int
	slot Slot
}

// ID returns the order's id, empty for the zero Tracked.
func (o Tracked) ID() string { return o.id }

// Snapshot returns the latest order snapshot and whether one has arrived.
func (o Tracked) Snapshot() (order.Order, bool) { return *o.ord(), o.snap != nil }

// Status returns the order's status: that of the latest entry of the
// latest snapshot's history, zero until an order event arrives.
func (o Tracked) Status() order.Status { return o.ord().Status() }

// noOrder stands for the snapshot of a Tracked that has none; never written
// to.
var noOrder order.Order

// ord returns the latest order snapshot, or the zero Order.
func (o *Tracked) ord() *order.Order {
	if o.snap == nil {
		return &noOrder
	}
	return o.snap
}

// Appointments returns the latest snapshot of each of the order's
// appointments, ordered by id.
func (o Tracked) Appointments() []appointment.Appointment {
	out := make([]appointment.Appointment, len(o.appts))
	for i, a := range o.appts {
		out[i] = *a.snap
	}
	return out
}

// Active returns the order's active appointment (pending, reserved,
// confirmed or in progress), and whether it has one. When several are
// active on what has arrived, the one created last wins.
func (o Tracked) Active() (appointment.Appointment, bool) {
	var best appointment.Appointment
	var bestAt time.Time
	found := false
	for _, a := range o.appts { // in id order: a tie goes to the greater id
		if !a.snap.EffectiveStatus().Active() {
			continue
		}
		if at := created(a.snap); !found || !at.Before(bestAt) {
			best, bestAt, found = *a.snap, at, true
		}
	}
	return best, found
}

// created returns when an appointment was created: its first history
// entry's time, zero when unknown.
func created(a *appointment.Appointment) time.Time {
	if len(a.History) == 0 {
		return time.Time{}
	}
	t := a.History[0].CreatedAt
	return t
}

func (o Tracked) find(id string) (int, bool) {
	return slices.BinarySearchFunc(o.appts, id, func(a appt, id string) int { return strings.Compare(a.snap.ID, id) })
}

// Equal reports whether o and p know the same: whether their stored forms
// ([Tracked.MarshalJSON]) are the same.
func (o Tracked) Equal(p Tracked) bool {
	x, err := o.MarshalJSON()
	y, _ := p.MarshalJSON() // nil on error, while x is not empty
	return err == nil && bytes.Equal(x, y)
}

// Apply applies one event to o and returns the new value and the changes
// the event revealed, in lifecycle order: an order event's changes in the
// order of the order's history (an entry's [OrderStep], then the
// [ActiveChanged] it brought), with any [AutoCancelled] it brought to
// light merged in by time; an appointment event's in the order of the
// appointment's history (an entry's [AppointmentStep], then its
// [Rescheduled] or [AutoCancelled]). An event that reveals nothing new (a
// duplicate, or a stale snapshot) returns o unchanged and no change,
// without allocating. The entries a snapshot shares with the history held
// are compared with it, not checked again: only the new ones are read
// against the lifecycle.
//
// It refuses, returning o unchanged and a typed error wrapping
// [ErrInvalidEvent]: an event of another order (an *[Error] wrapping
// [ErrOtherOrder] too); an event that is not about an at-home phlebotomy
// order or appointment, or has no order id, appointment id or valid type;
// a snapshot whose history is not a path of its lifecycle or holds a status
// this library does not know (an *[Error] whose Cause is the history
// package's error); and a snapshot whose history diverges from the one
// held (*[ConflictError], which keeps both).
func (o Tracked) Apply(e webhook.Event) (Tracked, []Change, error) {
	next, changes, _, err := o.apply(&e)
	return next, changes, err
}

// apply is Apply, also reporting whether the value changed.
func (o Tracked) apply(e *webhook.Event) (Tracked, []Change, bool, error) {
	orderID, idPath := e.OrderID(), "/data/id"
	if e.Type.IsAppointment() {
		idPath = "/data/order_id"
	}
	switch {
	case !e.Type.IsValid():
		return o, nil, false, refused(cmp.Or(o.id, orderID), "/event_type", "event type "+e.Type.String()+" is not an order or appointment event", nil)
	case orderID == "":
		return o, nil, false, refused(o.id, idPath, "no order id", nil)
	case o.id != "" && orderID != o.id:
		return o, nil, false, &Error{Op: "apply", OrderID: o.id, Path: idPath, Reason: "the event is about order " + strconv.Quote(orderID), Err: ErrOtherOrder}
	}
	if e.Type.IsOrder() {
		return o.applyOrder(e.Order)
	}
	return o.applyAppointment(e.Appointment)
}

// applyOrder applies an order snapshot.
func (o Tracked) applyOrder(s *order.Order) (Tracked, []Change, bool, error) {
	if !s.IsPhlebotomy() {
		return o, nil, false, refused(s.ID, "/data/details/type", "order of modality "+quoteOr(string(s.Details.Type), "none")+" is not at-home phlebotomy", nil)
	}
	held := o.ord().History
	n := len(s.History)
	i := commonPrefix(held, s.History)
	stale := i == n && n <= len(held)
	if !stale && i < len(held) {
		return o, nil, false, &ConflictError{OrderID: s.ID, Index: i, HeldOrder: held, ReceivedOrder: s.History}
	}
	newer := !stale || n == len(held) && updatedLater(s, o.ord())
	active := s.Details.AppointmentID // s.AppointmentID() without copying s: s is phlebotomy
	pi, havePoint := findPoint(o.points, n, active)
	if !newer && (havePoint || n == 0) { // !newer: stale, and not updated since
		return o, nil, false, nil // nothing new: no allocation
	}
	var changes []Change
	if !stale {
		var err error
		if changes, err = orderSteps(s.ID, s.History, len(held)); err != nil {
			return o, nil, false, err
		}
	}
	before := o
	if newer {
		snap := *s
		o.snap = &snap
	}
	o.id = s.ID
	if !havePoint && n > 0 {
		o.points = inserted(o.points, pi, point{n: n, appointmentID: active})
		changes = o.activeChanges(changes, n, active)
	}
	// The order's changes come in the order of its history; what they show
	// of its appointments' cancellations is merged in by time.
	return o, byTime(changes, o.inferAutoCancels(before, nil, o.appts)), true, nil
}

// orderSteps returns an OrderStep for each entry of events from index from
// on. events[:from] is known to be a valid history (it was checked when it
// arrived): only the new entries are read, each against the one before, in
// one pass. Where one is not a plain step of the table with an increasing
// id and time (a jump, an entry without a time, or a fault), the whole
// history is read again with [order.ValidateHistory], whose steps or error
// are then those reported.
func orderSteps(id string, events []order.HistoryEntry, from int) ([]Change, error) {
	var (
		prev   order.Status
		prevID int64
		seen   time.Time // the latest time so far
	)
	if from > 0 {
		prev, prevID = events[from-1].Status, events[from-1].ID
	}
	for k := from - 1; k >= 0 && seen.IsZero(); k-- {
		seen = events[k].CreatedAt
	}
	var (
		changes []Change
		trs     []order.Transition // one per entry after the first
	)
	for k := from; k < len(events); k++ {
		e := &events[k]
		st := OrderStep{OrderID: id, EventID: e.ID, At: e.CreatedAt, From: prev, To: e.Status, Detail: e.Detail}
		plain := e.Status.IsValid() && !e.CreatedAt.Before(seen)
		if k == 0 {
			plain = plain && e.Status == order.Ordered
		} else {
			ev, ok := order.TriggerFor(prev, e.Status)
			plain = plain && ok && e.ID > prevID
			trs = append(trs, order.Transition{From: prev, Trigger: ev, To: e.Status})
			st.Transitions = trs[len(trs)-1 : len(trs) : len(trs)]
		}
		if !plain {
			return allOrderSteps(id, events, from)
		}
		changes = append(changes, st)
		prev, prevID, seen = e.Status, e.ID, e.CreatedAt
	}
	return changes, nil
}

// allOrderSteps returns an OrderStep for each entry of events from index
// from on, read with [order.ValidateHistory].
func allOrderSteps(id string, events []order.HistoryEntry, from int) ([]Change, error) {
	steps, err := order.ValidateHistory(events)
	if err != nil {
		return nil, refused(id, "/data/events", "", err)
	}
	var changes []Change
	for _, st := range steps[from:] {
		changes = append(changes, OrderStep{
			OrderID: id, EventID: st.Entry.ID, At: st.Entry.CreatedAt, From: st.From, To: st.Entry.Status,
			Detail: st.Entry.Detail, Jump: st.Jump, Transitions: st.Transitions,
		})
	}
	return changes, nil
}

// activeChanges appends the ActiveChanged that the point (n, id), just
// added, brings: from each other appointment named at length n-1 to id, at
// the entry n-1, then from id to each other one named at length n+1, at
// the entry n. (Points are lengths of 1 and more, within the order's
// history.)
func (o Tracked) activeChanges(changes []Change, n int, id string) []Change {
	// The point (n, id) follows those of length n-1: no bound is needed.
	for k, _ := findPoint(o.points, n-1, ""); o.points[k].n == n-1; k++ {
		changes = o.activeChanged(changes, n, o.points[k].appointmentID, id)
	}
	for k, _ := findPoint(o.points, n+1, ""); k < len(o.points) && o.points[k].n == n+1; k++ {
		changes = o.activeChanged(changes, n+1, id, o.points[k].appointmentID)
	}
	return changes
}

// activeChanged appends the ActiveChanged from from to to at the order's
// entry n-1, unless they are the same.
func (o Tracked) activeChanged(changes []Change, n int, from, to string) []Change {
	if from == to {
		return changes
	}
	entry := o.snap.History[n-1] // o.snap is set: it has n entries
	return append(changes, ActiveChanged{OrderID: o.id, EventID: entry.ID, At: entry.CreatedAt, From: from, To: to})
}

// updatedLater reports whether order snapshot s, of the same history as
// held, is the later of the two: updated later, or, updated at the same
// time, naming an active appointment whose id sorts after held's. Both are
// phlebotomy orders (or held the zero Order), so the active appointment is
// details.data.appointment_id.
func updatedLater(s, held *order.Order) bool {
	return s.UpdatedAt.After(held.UpdatedAt) ||
		s.UpdatedAt.Equal(held.UpdatedAt) && s.Details.AppointmentID > held.Details.AppointmentID
}

// applyAppointment applies an appointment snapshot.
func (o Tracked) applyAppointment(s *appointment.Appointment) (Tracked, []Change, bool, error) {
	switch {
	case !s.IsPhlebotomy():
		return o, nil, false, refused(s.OrderID, "/data/type", "appointment of type "+quoteOr(string(s.Type), "none")+" is not at-home phlebotomy", nil)
	case s.ID == "":
		return o, nil, false, refused(s.OrderID, "/data/id", "no appointment id", nil)
	}
	ai, known := o.find(s.ID)
	var held []appointment.HistoryEntry
	var slots []slotPoint
	if known {
		held, slots = o.appts[ai].snap.History, o.appts[ai].slots
	}
	n := len(s.History)
	i := commonEntries(held, s.History)
	// An appointment not known yet is stale only without a history; it is
	// added all the same.
	stale := i == n && n <= len(held)
	if !stale && i < len(held) {
		return o, nil, false, &ConflictError{OrderID: s.OrderID, AppointmentID: s.ID, Index: i, HeldAppointment: held, ReceivedAppointment: s.History}
	}
	si, haveSlot := findSlot(slots, n)
	if stale && haveSlot {
		return o, nil, false, nil // nothing new: no allocation
	}
	var changes []Change
	if !stale {
		var err error
		if changes, err = appointmentSteps(s, len(held)); err != nil {
			return o, nil, false, err
		}
	}
	before := o
	o.id = s.OrderID
	if known {
		o.appts = slices.Clone(o.appts)
		if !stale {
			snap := *s
			o.appts[ai].snap = &snap
		}
	} else {
		snap := *s
		o.appts = inserted(o.appts, ai, appt{snap: &snap})
	}
	a := &o.appts[ai]
	if !haveSlot {
		a.slots = inserted(a.slots, si, slotPoint{n: n, slot: Slot{Start: s.StartAt, End: s.EndAt}})
		changes = a.rescheduled(changes, o.id, n)
		changes = a.rescheduled(changes, o.id, n+1)
	}
	// The order did not change: only this appointment's cancellation can
	// have come to light.
	changes = o.inferAutoCancels(before, changes, o.appts[ai:ai+1])
	return o, changes, true, nil
}

// appointmentSteps returns an AppointmentStep for each entry of s's history
// from index from on. The history's first from entries are known to be
// valid (they were checked when they arrived): only the new entries are
// checked, by [appointment.ValidateHistory] over the history from the last
// known entry with a time on, since the check of an entry depends only on
// the status before it and the latest time. An error names the entry's
// place in the whole history.
func appointmentSteps(s *appointment.Appointment, from int) ([]Change, error) {
	events := s.History
	j := max(from-1, 0)
	for j > 0 && events[j].CreatedAt.IsZero() {
		j--
	}
	if err := appointment.ValidateHistory(events[j:]); err != nil {
		if he, ok := errors.AsType[*appointment.TransitionError](err); ok {
			at := *he
			at.Index += j
			err = &at
		}
		return nil, refused(s.OrderID, "/data/events", "appointment "+strconv.Quote(s.ID), err)
	}
	var (
		changes []Change
		prev    appointment.Status
	)
	if from > 0 {
		prev, _ = appointment.ParseStatus(events[from-1].Status)
	}
	for k := from; k < len(events); k++ {
		to, _ := appointment.ParseStatus(events[k].Status) // checked above
		st := AppointmentStep{OrderID: s.OrderID, AppointmentID: s.ID, Index: k, From: prev, To: to, Reschedule: isReschedule(prev, to)}
		st.At = events[k].CreatedAt
		changes = append(changes, st)
		prev = to
	}
	return changes, nil
}

// rescheduled appends the Rescheduled of the history entry n-1, if it is a
// reschedule and the slots at lengths n-1 and n are both known.
func (a *appt) rescheduled(changes []Change, orderID string, n int) []Change {
	ev := a.snap.History
	if n < 2 || n > len(ev) {
		return changes
	}
	from, _ := appointment.ParseStatus(ev[n-2].Status)
	to, _ := appointment.ParseStatus(ev[n-1].Status)
	if !isReschedule(from, to) {
		return changes
	}
	i, ok := findSlot(a.slots, n)
	j, ok2 := findSlot(a.slots, n-1)
	if !ok || !ok2 {
		return changes
	}
	at := ev[n-1].CreatedAt
	return append(changes, Rescheduled{
		OrderID: orderID, AppointmentID: a.snap.ID, Index: n - 1, At: at,
		From: a.slots[j].slot, To: a.slots[i].slot,
	})
}

// isReschedule reports whether a history step from from to to is a
// reschedule: the lifecycle's self-loops on reserved and confirmed. Any
// other repeated status is a repeated entry, not a move.
func isReschedule(from, to appointment.Status) bool {
	return from == to && (to == appointment.Reserved || to == appointment.Confirmed)
}

// inferAutoCancels appends an AutoCancelled for each of the appointments
// of o in appts whose cancellation o shows as an auto-cancellation and
// before did not.
func (o Tracked) inferAutoCancels(before Tracked, changes []Change, appts []appt) []Change {
	for _, a := range appts {
		if rule, at, ok := o.autoCancelled(a.snap); ok {
			if _, _, was := before.autoCancelledID(a.snap.ID); !was {
				changes = append(changes, AutoCancelled{OrderID: o.id, AppointmentID: a.snap.ID, Index: len(a.snap.History) - 1, At: at, Rule: rule})
			}
		}
	}
	return changes
}

func (o Tracked) autoCancelledID(id string) (scheduling.Rule, time.Time, bool) {
	i, ok := o.find(id)
	if !ok {
		return 0, time.Time{}, false
	}
	return o.autoCancelled(o.appts[i].snap)
}

// autoCancelled reports whether a's history ends in a cancellation that o
// shows as an auto-cancellation, and by which rule; see [AutoCancelled].
func (o Tracked) autoCancelled(a *appointment.Appointment) (scheduling.Rule, time.Time, bool) {
	ev := a.History
	n := len(ev)
	if n < 2 || o.snap == nil {
		return 0, time.Time{}, false
	}
	last, _ := appointment.ParseStatus(ev[n-1].Status)
	prev, _ := appointment.ParseStatus(ev[n-2].Status)
	if last != appointment.Cancelled {
		return 0, time.Time{}, false
	}
	at := ev[n-1].CreatedAt
	if at.IsZero() {
		return 0, time.Time{}, false
	}
	// Without a requisition at the time of cancellation: a reserved
	// appointment has none (the requisition confirms it at once);
	// otherwise the order's history must go on past the cancellation and
	// show no requisition before it.
	if prev != appointment.Reserved {
		past := false
		for _, e := range o.snap.History {
			switch {
			case e.CreatedAt.After(at):
				past = true
			case e.Status == order.RequisitionCreated || e.Status == order.RequisitionBypassed:
				return 0, time.Time{}, false
			}
		}
		if !past {
			return 0, time.Time{}, false
		}
	}
	ac := scheduling.AutoCancel{OrderCreatedAt: o.snap.CreatedAt, ActivateBy: o.snap.ActivateBy, Start: a.StartAt}
	rule, fires := ac.Fires(at)
	return rule, at, fires
}

// commonPrefix returns how many leading entries a and b share.
func commonPrefix(a, b []order.HistoryEntry) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// commonEntries returns how many leading entries a and b share.
func commonEntries(a, b []appointment.HistoryEntry) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i].CreatedAt != b[i].CreatedAt || a[i].Status != b[i].Status || !bytes.Equal(a[i].Data, b[i].Data) {
			return i
		}
	}
	return n
}

// inserted returns a copy of s with v inserted at index i, leaving s,
// which other values may share, as it is.
func inserted[S ~[]E, E any](s S, i int, v E) S {
	out := make(S, len(s)+1)
	copy(out, s[:i])
	out[i] = v
	copy(out[i+1:], s[i:])
	return out
}

// findPoint returns where the point (n, id) is or would be in ps.
func findPoint(ps []point, n int, id string) (int, bool) {
	return slices.BinarySearchFunc(ps, point{n: n, appointmentID: id}, comparePoints)
}

// comparePoints orders points by length, then by appointment id.
func comparePoints(a, b point) int {
	if a.n != b.n {
		return a.n - b.n
	}
	return strings.Compare(a.appointmentID, b.appointmentID)
}

func findSlot(ss []slotPoint, n int) (int, bool) {
	return slices.BinarySearchFunc(ss, n, func(s slotPoint, n int) int { return s.n - n })
}

// byTime returns the changes of cs and of acs merged, each kept in its
// order: a change of acs goes before the first change of cs that happened
// after it. acs, which is changed, holds auto-cancellations in id order of
// their appointments; they are taken in the order they happened.
func byTime(cs, acs []Change) []Change {
	if len(acs) == 0 {
		return cs
	}
	slices.SortStableFunc(acs, func(a, b Change) int { return a.when().Compare(b.when()) })
	out := make([]Change, 0, len(cs)+len(acs))
	for _, c := range cs {
		for len(acs) > 0 && acs[0].when().Before(c.when()) {
			out, acs = append(out, acs[0]), acs[1:]
		}
		out = append(out, c)
	}
	return append(out, acs...)
}

// refused returns the error of an event Apply refuses: of order orderID,
// at path in the event's JSON, for reason, caused by cause.
func refused(orderID, path, reason string, cause error) *Error {
	return &Error{Op: "apply", OrderID: orderID, Path: path, Reason: reason, Err: ErrInvalidEvent, Cause: cause}
}

func quoteOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return `"` + s + `"`
}
