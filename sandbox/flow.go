package sandbox

import (
	"container/heap"
	"slices"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/tier"
)

// entry is one order the server holds: its flow, and what only the server
// knows of it.
type entry struct {
	seq       uint64                      // creation order, for ties
	version   uint64                      // how many times it changed, for its timer in the heap
	dirty     bool                        // changed since the last settle
	finished  bool                        // counted among the finished orders
	removed   bool                        // forgotten: beyond the retention limit, or reset
	detailsID string                      // details.data.id
	flow      scheduling.Flow             // the order and its appointments
	req       junction.CreateOrderRequest // the create request, for decoration: Patient and Address set
	labTest   order.LabTest
	area      *Area  // the area of the patient's zip code, nil when not served
	txID      string // the order transaction's id
	// moved is when the active appointment was booked or last moved, by
	// the patient or by Getlabs: Getlabs reschedules it only if the
	// instant of its own reschedule came later. (Only Getlabs' bookings
	// need it: PhlebFinders does not reschedule on its own.)
	moved         time.Time
	async         asyncBooking
	sim           simulation
	fired         [numTimers]time.Time // the latest instant each timer fired at
	cancellations []Cancellation
}

// asyncBooking is an asynchronous booking waiting for the provider.
type asyncBooking struct {
	id        string    // the appointment; empty when none waits
	confirmAt time.Time // when the provider confirms; zero for never
	cancelAt  time.Time // when the booking times out
}

// simulation is POST /v3/order/{order_id}/test under way.
type simulation struct {
	on     bool
	target order.Status
	every  time.Duration
	next   time.Time
}

// timer is something an order has due at an instant, in the order they
// happen when several are due at once.
type timer uint8

const (
	autoCancelTimer timer = iota
	providerRescheduleTimer
	asyncConfirmTimer
	asyncTimeoutTimer
	simulationTimer
	numTimers
)

// Cancellation is a cancellation made through the cancel appointment
// endpoint, with the refund decision: what [Server.Cancellations]
// returns.
type Cancellation struct {
	// OrderID and AppointmentID say what was cancelled.
	OrderID, AppointmentID string
	// Reason is the cancellation reason given (cancellation_reason_id).
	Reason appointment.CancellationReason
	// Notes are the notes given with it.
	Notes string
	// At is the virtual instant of the cancellation.
	At time.Time
	// Start is the appointment's start; zero for an appointment-request
	// that had none yet.
	Start time.Time
	// RefundDeadline is the instant from which the cancellation is no
	// longer refunded (scheduling.RefundDeadline); zero without a start.
	RefundDeadline time.Time
	// Refundable reports whether the appointment is fully refunded: the
	// reason is refundable and, for an appointment with a start, the
	// cancellation came more than 24 hours before it
	// (scheduling.Refundable). An appointment without a start yet is
	// refunded when its reason is (our decision).
	Refundable bool
}

// timer returns e's earliest due timer: its instant and kind.
func (s *Server) timer(e *entry) (time.Time, timer, bool) {
	var (
		best     time.Time
		kind     timer
		has      bool
		consider = func(at time.Time, k timer) {
			if !e.fired[k].IsZero() && !at.After(e.fired[k]) {
				return // fired already at that instant
			}
			if !has || at.Before(best) {
				best, kind, has = at, k, true
			}
		}
	)
	act, _ := e.flow.Active() // the zero Appointment when none is active
	if ac, ok := e.flow.AutoCancel(); ok {
		if at, _, ok := ac.FiresAt(); ok {
			consider(at, autoCancelTimer)
		}
	}
	// A reserved appointment is active, has its slot, and its order no
	// requisition.
	if act.EffectiveStatus() == appointment.Reserved {
		p := act.Provider
		start := act.StartAt
		if at, ok := scheduling.ProviderRescheduleAt(p, start); ok {
			if at.After(e.moved) {
				consider(at, providerRescheduleTimer)
			}
		}
	}
	if e.async.id == act.ID && act.EffectiveStatus() == appointment.Pending {
		if !e.async.confirmAt.IsZero() && e.async.confirmAt.Before(e.async.cancelAt) {
			consider(e.async.confirmAt, asyncConfirmTimer)
		} else {
			consider(e.async.cancelAt, asyncTimeoutTimer)
		}
	}
	if e.sim.on {
		consider(e.sim.next, simulationTimer)
	}
	return best, kind, has
}

// fireTimers fires every timer due at or before the clock, earliest first,
// ties in timer order and then in the orders' creation order.
func (s *Server) fireTimers() {
	var due []timerItem
	for {
		it, ok := s.nextTimer()
		if !ok || it.at.After(s.clock) {
			break
		}
		heap.Pop(&s.timers)
		due = append(due, it)
	}
	for _, d := range due {
		d.e.fired[d.kind] = d.at
		s.touch(d.e)
		s.fire(d.e, d.kind, d.at)
	}
}

// fire makes e's timer of kind k, due at at, happen at the clock. A
// refusal leaves the order as it is: the timer has fired all the same.
func (s *Server) fire(e *entry, k timer, at time.Time) {
	switch k {
	case autoCancelTimer:
		_ = s.apply(e, scheduling.Flow.Tick)
	case providerRescheduleTimer:
		act, _ := e.flow.Active()
		start := act.StartAt
		end := act.EndAt
		start = start.Add(providerRescheduleShift)
		if !end.IsZero() {
			end = end.Add(providerRescheduleShift)
		}
		e.moved = s.clock
		_ = s.apply(e, func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Reschedule(start, end, "", now)
		})
	case asyncConfirmTimer:
		e.async = asyncBooking{}
		_ = s.apply(e, scheduling.Flow.Confirm)
	case asyncTimeoutTimer:
		e.async = asyncBooking{}
		_ = s.apply(e, scheduling.Flow.CancelAppointment)
	case simulationTimer:
		s.step(e)
	case numTimers:
	}
}

// providerRescheduleShift is how far Getlabs moves an appointment it
// reschedules itself (our decision: the same time the next day).
const providerRescheduleShift = 24 * time.Hour

// command is a command of the flow, at an instant: a method expression
// such as scheduling.Flow.CompleteDraw, or a closure over a command's
// other arguments.
type command = func(scheduling.Flow, time.Time) (scheduling.Flow, []scheduling.Webhook, error)

// apply runs cmd on e's flow at the clock and sends the webhooks it
// returns; on error the order is unchanged.
func (s *Server) apply(e *entry, cmd command) error {
	before, had := e.flow.Active()
	o, events, err := cmd(e.flow, s.clock)
	if err != nil {
		return err
	}
	e.flow = o
	s.touch(e)
	// Booked, requested, penciled in or moved (or no longer active: then
	// moved is not read until the next appointment sets it again).
	if after, _ := o.Active(); !had || !after.StartAt.Equal(before.StartAt) {
		e.moved = s.clock
	}
	for i := range events {
		s.send(e, events[i])
	}
	return nil
}

// send builds w's event, decorates it and schedules its delivery.
func (s *Server) send(e *entry, w scheduling.Webhook) {
	if !s.hooks.enabled() {
		return
	}
	// The event's snapshot is its own: it can be decorated in place.
	ev := w.Event()
	switch {
	case ev.Type.IsOrder() && ev.Order != nil:
		e.decorateOrder(ev.Order)
	case ev.Type.IsAppointment() && ev.Appointment != nil:
		e.decorateAppointment(ev.Appointment)
	}
	body, err := ev.MarshalJSON()
	if err != nil {
		// The flow writes only what Junction's JSON holds: unreachable.
		return
	}
	s.hooks.enqueue(&message{id: ev.ID, typ: ev.Type, orderID: ev.OrderID(), body: body}, s.clock)
}

// snapshot returns the order as the order endpoints return it now.
func (e *entry) snapshot() order.Order {
	o := e.flow.Snapshot()
	e.decorateOrder(&o)
	return o
}

// decorateOrder adds to an order snapshot what the flow does not know:
// the patient's names and contacts, the whole address, the lab test, a
// sample id once the requisition exists, and the order transaction.
func (e *entry) decorateOrder(o *order.Order) {
	p := *e.req.Patient
	p.DOB = o.Patient.DOB
	o.Patient = p
	o.Address = *e.req.Address
	o.LabTest = e.labTest
	o.Details.ID = e.detailsID
	if scheduling.PreRequisitionOf(*o) == nil { // the requisition exists
		o.SampleID = strconv.FormatUint(1_000_000_000+e.seq, 10)
	}
	last, _ := o.Current()
	status := "active"
	if h := last.Status.HighLevel(); h == order.HighLevelCompleted {
		status = "completed"
	} else if h == order.HighLevelCancelled {
		status = "cancelled"
	}
	o.Transaction = order.Transaction{ID: e.txID, Status: status, Orders: []order.TransactionOrder{{
		ID: o.ID, Status: last.Status, StatusCreatedAt: last.CreatedAt, Origin: "initial",
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}}}
}

// decorateAppointment adds to an appointment what the flow does not know:
// the area's coordinates and the order transaction.
func (e *entry) decorateAppointment(a *appointment.Appointment) {
	if e.area != nil {
		a.Location = e.area.Location
	}
	a.OrderTransactionID = e.txID
}

// appointmentByID returns the decorated appointment with id id.
func (e *entry) appointmentByID(id string) (appointment.Appointment, bool) {
	for _, a := range e.flow.Appointments {
		if a.ID == id {
			w := a.Appointment
			e.decorateAppointment(&w)
			return w, true
		}
	}
	return appointment.Appointment{}, false
}

// existing returns the active appointments of the patient's other orders,
// for the one-active-appointment-per-provider rule.
func (s *Server) existing(e *entry) []appointment.Appointment {
	s.settle()
	var out []appointment.Appointment
	for o := range s.byUser[e.flow.UserID] {
		if o == e {
			continue
		}
		if a, ok := o.flow.Active(); ok {
			out = append(out, a.Appointment)
		}
	}
	return out
}

// newID returns a new id shaped like Junction's UUIDs.
func (s *Server) newID(kind byte) string {
	s.idSeq++
	return uuidOf(kind, s.idSeq)
}

// The kinds of ids the server makes.
const (
	orderKind       = 'o'
	appointmentKind = 'a'
	transactionKind = 't'
	detailsKind     = 'd'
)

// lookup returns the order with id id, for the call op.
func (s *Server) lookup(op, id string) (*entry, error) {
	if e, ok := s.orders[id]; ok {
		return e, nil
	}
	return nil, &Error{Op: op, OrderID: id, Err: ErrUnknownOrder}
}

// Apply runs one of the flow's commands on the order at the current
// virtual instant, as what Junction, the laboratory or a provider does on
// its own: cmd is a method expression such as
// scheduling.Flow.CreateRequisition (what Junction's dashboard does in
// its sandbox, where it never happens on its own),
// scheduling.Flow.StartVisit or scheduling.Flow.CompleteResults, or a
// closure giving a command its other arguments, such as a function
// literal returning f.PencilIn(start, end, now) for the flow f at now.
//
// The command's webhooks are delivered by the next [Server.Flush] or
// [Server.Advance]. An unknown order is an *[Error] wrapping
// [ErrUnknownOrder]; a command the flow refuses an *[Error] wrapping
// [ErrRefused] and the flow's error, and the order is unchanged.
func (s *Server) Apply(orderID string, cmd func(scheduling.Flow, time.Time) (scheduling.Flow, []scheduling.Webhook, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookup("Apply", orderID)
	if err != nil {
		return err
	}
	if cmd == nil {
		return &Error{Op: "Apply", OrderID: orderID, Problem: "nil command", Err: ErrRefused}
	}
	if err := s.apply(e, cmd); err != nil {
		return &Error{Op: "Apply", OrderID: orderID, Err: ErrRefused, Cause: err}
	}
	s.settle()
	return nil
}

// Cancellations returns the cancellations made through the cancel
// appointment endpoint on the order, oldest first, each with its refund
// decision; an unknown order is an *[Error] wrapping [ErrUnknownOrder].
func (s *Server) Cancellations(orderID string) ([]Cancellation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookup("Cancellations", orderID)
	if err != nil {
		return nil, err
	}
	return slices.Clone(e.cancellations), nil
}

// Order returns the order as GET /v3/order/{order_id} would; an unknown
// order is an *[Error] wrapping [ErrUnknownOrder].
func (s *Server) Order(orderID string) (order.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookup("Order", orderID)
	if err != nil {
		return order.Order{}, err
	}
	return e.snapshot(), nil
}

// simulate begins a simulation of e towards target, one step every every,
// the first now; with every zero, all steps happen now.
func (s *Server) simulate(e *entry, target order.Status, every time.Duration) {
	s.touch(e)
	e.sim = simulation{on: true, target: target, every: every, next: s.clock}
	if every > 0 {
		s.step(e)
		return
	}
	// A shortest path enters each status once at most, and one step more
	// starts the visit before the draw: there are no more steps than
	// statuses. The bound only guards the loop.
	for range order.Statuses() {
		if !e.sim.on {
			return
		}
		s.step(e)
	}
	e.sim.on = false
	s.touch(e)
}

// step makes the simulation's next step at the clock, and schedules the
// one after, or ends it when the order reached its target or cannot go
// further. The step is the first transition of a shortest path of the
// order lifecycle from the order's status to the target (order.Path),
// performed by the flow's command for its trigger ([performers]).
func (s *Server) step(e *entry) {
	path, _ := order.Path(e.flow.Status, e.sim.target)
	var cmd command
	if len(path) > 0 {
		if p, ok := performers[path[0].Trigger]; ok {
			cmd = p.command(s, e, len(path) == 1)
		}
	}
	defer s.touch(e)
	if cmd == nil || s.apply(e, cmd) != nil || e.flow.Status == e.sim.target {
		e.sim.on = false
		return
	}
	e.sim.next = s.clock.Add(e.sim.every)
}

// performer is how the server fires an order trigger on an order: with
// which of the flow's commands.
type performer struct {
	// appoints reports whether the trigger gives an order without an
	// active appointment one, which its area must allow.
	appoints bool
	// command returns the command that fires the trigger on e, or one
	// step towards it (a visit starts before the draw completes), or nil
	// when there is none; last reports whether the trigger's status ends
	// the simulation.
	command func(s *Server, e *entry, last bool) command
}

// performers maps each order trigger to the flow's command that fires it,
// the way Junction's simulation goes: along the success path, an
// appointment-ready provider preferred to one that takes requests.
var performers = map[order.Trigger]performer{
	order.CreateRequisition:     always(scheduling.Flow.CreateRequisition),
	order.BypassRequisition:     always(scheduling.Flow.BypassRequisition),
	order.PlaceAppointment:      {appoints: true, command: (*Server).place},
	order.ScheduleAppointment:   {appoints: true, command: (*Server).schedule},
	order.RescheduleAppointment: {command: (*Server).moveToFirstSlot},
	order.CancelAppointment:     always(scheduling.Flow.CancelAppointment),
	order.CompleteDraw:          {command: (*Server).draw},
	order.ReceivePartialResults: always(scheduling.Flow.ReceivePartialResults),
	order.Complete:              always(scheduling.Flow.CompleteResults),
	order.ReportSampleError:     always(scheduling.Flow.ReportSampleError),
	order.CorrectResults:        always(scheduling.Flow.CorrectResults),
	order.Cancel:                always(scheduling.Flow.Cancel),
}

// always is a performer that runs cmd.
func always(cmd command) performer {
	return performer{command: func(*Server, *entry, bool) command { return cmd }}
}

// place returns the command that gives e an appointment: a booking in the
// first slot where the area has an appointment-ready provider
// (asynchronous when appointment_pending ends the simulation, so that it
// stays there), else a request; nil when the area has neither.
func (s *Server) place(e *entry, last bool) command {
	info := e.areaInfo()
	if p, err := info.ForBooking(); err == nil {
		w, ok := s.firstSlot(e)
		if !ok {
			return nil
		}
		r := scheduling.BookRequest{ID: s.newID(appointmentKind), Start: w.start, End: w.end, Provider: p,
			Existing: s.existing(e), Async: last}
		return func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(r, now)
		}
	}
	for _, p := range info.Providers(tier.AppointmentRequest) {
		r := scheduling.RequestAppointment{ID: s.newID(appointmentKind), Provider: p, Existing: s.existing(e)}
		return func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Request(r, now)
		}
	}
	return nil
}

// schedule returns the command that schedules e's appointment: the
// provider confirms a booking, or pencils a request in at the first slot;
// without an active appointment, a new one (a booking is scheduled at
// once).
func (s *Server) schedule(e *entry, _ bool) command {
	act, ok := e.flow.Active()
	if !ok {
		return s.place(e, false)
	}
	if act.Tier != tier.AppointmentRequest {
		return scheduling.Flow.Confirm
	}
	w, ok := s.firstSlot(e)
	if !ok {
		return nil
	}
	return func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return o.PencilIn(w.start, w.end, now)
	}
}

// moveToFirstSlot returns the command that reschedules e's appointment
// to the first slot.
func (s *Server) moveToFirstSlot(e *entry, _ bool) command {
	w, ok := s.firstSlot(e)
	if !ok {
		return nil
	}
	return func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return o.Reschedule(w.start, w.end, "", now)
	}
}

// draw returns the command that takes e to its draw: the visit starts
// first when it has not.
func (s *Server) draw(e *entry, _ bool) command {
	if act, ok := e.flow.Active(); ok && act.EffectiveStatus() == appointment.Confirmed {
		return scheduling.Flow.StartVisit
	}
	return scheduling.Flow.CompleteDraw
}

// appoints reports whether an order without an active appointment must
// get one on path.
func appoints(path []order.Transition) bool {
	return slices.ContainsFunc(path, func(t order.Transition) bool { return performers[t.Trigger].appoints })
}

// canPlace reports whether e can get an appointment: its area has an
// appointment-ready provider, or one that takes requests.
func (s *Server) canPlace(e *entry) bool {
	info := e.areaInfo()
	_, err := info.ForBooking()
	return err == nil || len(info.Providers(tier.AppointmentRequest)) > 0
}

// areaInfo returns the area-info of e's zip code: not served when the
// server does not serve it.
func (e *entry) areaInfo() provider.AreaInfo {
	if e.area == nil {
		return provider.AreaInfo{}
	}
	return e.area.info()
}

// firstSlot returns the first availability window of e's area that
// starts after the clock; there is none when the area is not served, or at
// the end of the year 9999.
func (s *Server) firstSlot(e *entry) (window, bool) {
	if e.area == nil {
		return window{}, false
	}
	for _, w := range windows(e.area, s.clock, s.clock) {
		return w, true
	}
	return window{}, false
}
