package appointment

import (
	"slices"

	"github.com/phlebkit/phlebkit/internal/lifecycle"
)

// Transition is one allowed move of the appointment lifecycle: Event fired
// in From leads to To.
type Transition struct {
	From    Status
	Trigger Trigger
	To      Status
}

// edges is the appointment lifecycle: the only place its transitions are
// written. Provenance: D is an arrow of Junction's lifecycle diagram, T is
// stated in its documentation, I is inferred (our decision, noted on the
// constants).
var edges = []lifecycle.Edge[Status, Trigger]{
	{From: Pending, Trigger: Reserve, To: Reserved},       // T: held before the requisition exists
	{From: Pending, Trigger: Confirm, To: Confirmed},      // D, T: reserved is skipped once a requisition exists
	{From: Reserved, Trigger: Confirm, To: Confirmed},     // T: the requisition was created
	{From: Reserved, Trigger: Reschedule, To: Reserved},   // I: Getlabs reschedules appointments still without a requisition
	{From: Confirmed, Trigger: Reschedule, To: Confirmed}, // D: self-loop; T: webhook example with is_reschedule
	{From: Confirmed, Trigger: Start, To: InProgress},     // D
	{From: Confirmed, Trigger: Complete, To: Completed},   // T: providers may skip in_progress
	{From: InProgress, Trigger: Complete, To: Completed},  // D
	{From: Pending, Trigger: Cancel, To: Cancelled},       // D
	{From: Reserved, Trigger: Cancel, To: Cancelled},      // D, T: auto-cancellation
	{From: Confirmed, Trigger: Cancel, To: Cancelled},     // D
	{From: InProgress, Trigger: Cancel, To: Cancelled},    // D
}

var table = lifecycle.MustNew(lifecycle.Spec[Status, Trigger]{
	Name:       "appointment",
	Statuses:   numStatuses,
	Events:     numEvents,
	Initial:    Pending,
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
// neither outcome allocates: each forbidden pair has one pre-built error,
// while a status or trigger out of range gets a new one.
//
// The reschedule self-loop on reserved is inferred (our decision): Getlabs
// reschedules appointments that still lack a requisition.
func Next(from Status, e Trigger) (Status, error) {
	if from <= numStatuses && e <= numEvents {
		c := &dense[from][e]
		if c.to != 0 {
			return c.to, nil
		}
		return from, c.err
	}
	return from, &TransitionError{From: from, Trigger: e}
}

// Transitions returns every allowed transition, ordered by From, then by
// Trigger, both in declaration order.
func Transitions() []Transition { return slices.Clone(transitions) }

// TriggerFor returns the trigger that leads from from to to in one step, and
// whether there is one. In this lifecycle at most one trigger links two
// statuses.
func TriggerFor(from, to Status) (Trigger, bool) { return table.EventFor(from, to) }

// Reachable reports whether to can be reached from from in one or more
// transitions. Every status is reachable from pending; nothing is reachable
// from completed or cancelled.
func Reachable(from, to Status) bool { return table.Reachable(from, to) }

// Path returns a shortest sequence of transitions from from to to, and
// whether one exists; from a status to itself it is empty. Webhooks may
// arrive late, out of order or not at all, so a consumer that last saw from
// and now sees to can use Path to tell a jump along the lifecycle from a
// move that cannot happen.
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

// Terminal reports whether s is a valid status with no way out: completed
// and cancelled. It is derived from the transition table.
func (s Status) Terminal() bool { return table.Terminal(s) }

// Triggers returns the triggers allowed in s, in declaration order.
func (s Status) Triggers() []Trigger { return table.EventsFrom(s) }

// Mermaid returns the appointment lifecycle as a Mermaid stateDiagram-v2,
// drawn from the transition table: the initial status, every transition
// labelled with its trigger, and the terminal statuses. The output is
// deterministic.
func Mermaid() string { return table.Mermaid() }
