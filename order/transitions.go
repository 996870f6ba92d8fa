package order

import (
	"slices"

	"github.com/phlebkit/phlebkit/internal/lifecycle"
)

// Transition is one allowed move of the order lifecycle: Trigger fired in From
// leads to To.
type Transition struct {
	From    Status
	Trigger Trigger
	To      Status
}

// edges is the order lifecycle: the only place its transitions are written.
// Provenance: D is an arrow of Junction's lifecycle diagram, T is stated in
// its documentation, I is inferred (our decision, noted on the constants).
var edges = []lifecycle.Edge[Status, Trigger]{
	{From: Ordered, Trigger: CreateRequisition, To: RequisitionCreated},                    // D
	{From: Ordered, Trigger: BypassRequisition, To: RequisitionBypassed},                   // T: imported orders
	{From: RequisitionCreated, Trigger: PlaceAppointment, To: AppointmentPending},          // D
	{From: RequisitionBypassed, Trigger: PlaceAppointment, To: AppointmentPending},         // T: same as requisition_created
	{From: AppointmentCancelled, Trigger: PlaceAppointment, To: AppointmentPending},        // D
	{From: AppointmentPending, Trigger: ScheduleAppointment, To: AppointmentScheduled},     // D
	{From: AppointmentCancelled, Trigger: ScheduleAppointment, To: AppointmentScheduled},   // D
	{From: AppointmentScheduled, Trigger: RescheduleAppointment, To: AppointmentScheduled}, // D: self-loop
	{From: AppointmentPending, Trigger: CancelAppointment, To: AppointmentCancelled},       // D
	{From: AppointmentScheduled, Trigger: CancelAppointment, To: AppointmentCancelled},     // D
	{From: AppointmentScheduled, Trigger: CompleteDraw, To: DrawCompleted},                 // D
	{From: DrawCompleted, Trigger: ReceivePartialResults, To: PartialResults},              // D
	{From: PartialResults, Trigger: ReceivePartialResults, To: PartialResults},             // T: several partial updates
	{From: DrawCompleted, Trigger: Complete, To: Completed},                                // D
	{From: PartialResults, Trigger: Complete, To: Completed},                               // D
	{From: DrawCompleted, Trigger: ReportSampleError, To: SampleError},                     // I: only a drawn sample can fail
	{From: PartialResults, Trigger: ReportSampleError, To: SampleError},                    // I
	{From: Completed, Trigger: CorrectResults, To: Corrected},                              // I
	{From: Corrected, Trigger: CorrectResults, To: Corrected},                              // I: a second correction
	{From: Ordered, Trigger: Cancel, To: Cancelled},                                        // D
	{From: RequisitionCreated, Trigger: Cancel, To: Cancelled},                             // D
	{From: RequisitionBypassed, Trigger: Cancel, To: Cancelled},                            // T: cancellation guide
	{From: AppointmentPending, Trigger: Cancel, To: Cancelled},                             // D
	{From: AppointmentScheduled, Trigger: Cancel, To: Cancelled},                           // T: cancellation guide
	{From: AppointmentCancelled, Trigger: Cancel, To: Cancelled},                           // D
	{From: DrawCompleted, Trigger: Cancel, To: Cancelled},                                  // T: cancellation guide
}

var table = lifecycle.MustNew(lifecycle.Spec[Status, Trigger]{
	Name:       "order",
	Statuses:   numStatuses,
	Events:     numEvents,
	Initial:    Ordered,
	StatusName: Status.String,
	EventName:  Trigger.String,
	Reject:     func(s Status, e Trigger) error { return &TransitionError{From: s, Trigger: e} },
	Edges:      edges,
})

// transitions is table.Edges() in this package's type.
var transitions = func() []Transition {
	es := table.Edges()
	out := make([]Transition, len(es))
	for i, e := range es {
		out[i] = Transition(e)
	}
	return out
}()

// dense is table laid out as a fixed-size array, so that Next is one
// bounds-checked load: the generic table's own lookup is not inlined across
// packages. Every cell of a forbidden pair holds its pre-built error.
var dense = func() (d [numStatuses + 1][numEvents + 1]struct {
	to  Status
	err error
}) {
	for s := range d {
		for e := range d[s] {
			to, err := table.Next(Status(s), Trigger(e))
			if err != nil {
				to = 0
			}
			d[s][e].to, d[s][e].err = to, err
		}
	}
	return d
}()

// Next returns the status that trigger e leads to from status from. A
// forbidden pair (or an invalid status or trigger) returns from unchanged and
// a *[TransitionError] wrapping [ErrInvalidTransition]. For valid inputs
// neither outcome allocates: each forbidden pair has one pre-built error.
func Next(from Status, e Trigger) (Status, error) {
	if from <= numStatuses && e <= numEvents {
		c := &dense[from][e]
		if c.to != 0 {
			return c.to, nil
		}
		return from, c.err
	}
	// Past the last status or trigger: invalid, so forbidden.
	return from, &TransitionError{From: from, Trigger: e}
}

// TriggerFor returns the trigger that leads from from to to in one step, and
// whether there is one. In this lifecycle at most one trigger links two
// statuses.
func TriggerFor(from, to Status) (Trigger, bool) { return table.EventFor(from, to) }

// Transitions returns every allowed transition, ordered by From, then by
// Trigger, both in declaration order.
func Transitions() []Transition { return slices.Clone(transitions) }

// Reachable reports whether to can be reached from from in one or more
// transitions. Every status but ordered is reachable from ordered; nothing
// is reachable from sample_error or cancelled.
func Reachable(from, to Status) bool { return table.Reachable(from, to) }

// Path returns a shortest sequence of transitions from from to to, and
// whether one exists; from a status to itself it is empty. It says what the
// lifecycle allows, not what happened: because of the self-loops and the
// cycle through appointment_cancelled, a path exists between many pairs of
// statuses in both directions, so Path cannot tell whether a webhook is
// newer than the status a consumer holds. An order's events[] history can:
// each delivery carries the whole history, and a delivery whose history
// extends the one held is news.
func Path(from, to Status) ([]Transition, bool) {
	es, ok := table.Path(from, to)
	if !ok {
		return nil, false
	}
	out := make([]Transition, len(es))
	for i, e := range es {
		out[i] = Transition(e)
	}
	return out, true
}

// Terminal reports whether s is a valid status with no way out: sample_error
// and cancelled. Completed is not terminal: results may be corrected.
func (s Status) Terminal() bool { return table.Terminal(s) }

// Cancellable reports whether an order in status s may be cancelled. Per
// Junction's cancellation guide that is ordered, requisition_created,
// requisition_bypassed, appointment_pending, appointment_scheduled,
// appointment_cancelled and draw_completed; completed, partial_results,
// sample_error and cancelled are not (Junction answers HTTP 400
// "Transition from current_status to cancelled is not allowed"), nor is
// corrected.
func (s Status) Cancellable() bool { return table.Allowed(s, Cancel) }

// Triggers returns the triggers allowed in s, in declaration order.
func (s Status) Triggers() []Trigger { return table.EventsFrom(s) }

// Mermaid returns the order lifecycle as a Mermaid stateDiagram-v2, drawn
// from the transition table: the initial status, every transition labelled
// with its trigger, and the terminal statuses.
func Mermaid() string { return table.Mermaid() }
