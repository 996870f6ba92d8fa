// Package lifecycle is the engine behind the order and appointment state
// machines: one table of (from, event, to) edges over small integer status and
// event types, from which every other view of a lifecycle is derived.
//
// Statuses are numbered 1..n and events 1..m; 0 is the invalid zero value of
// both. A [Table] is immutable once built and safe for concurrent use.
package lifecycle

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"github.com/looplab/fsm"
)

// Small is the constraint on status and event types: a defined uint8 type
// whose zero value is invalid.
type Small interface{ ~uint8 }

// MaxStatuses is the largest number of statuses a table may have, so that a
// set of statuses fits one uint64 bit mask (bit 0 is the invalid status).
const MaxStatuses = 63

// Edge is one allowed transition: Event fired in From leads to To.
type Edge[S, E Small] struct {
	From    S
	Trigger E
	To      S
}

// Spec describes a lifecycle: how many statuses and events it has, how they
// are spelled on the wire, and its edges.
type Spec[S, E Small] struct {
	// Name prefixes validation errors, e.g. "order".
	Name string
	// Statuses and Events count the valid values, numbered from 1.
	Statuses, Events int
	// Initial is the status a new instance starts in.
	Initial S
	// StatusName and EventName give the wire spelling of a valid value;
	// for any other value they must still return something printable.
	StatusName func(S) string
	EventName  func(E) string
	// Reject builds the error returned for a forbidden (status, event)
	// pair. It is called once per pair when the table is built, so that
	// rejecting at run time returns a pre-built value and never allocates.
	// Out-of-range inputs call it at run time.
	Reject func(S, E) error
	// Edges lists the allowed transitions.
	Edges []Edge[S, E]
}

// ErrSpec reports a malformed [Spec]: a programming error in a hard-coded
// table, caught by the package's tests.
var ErrSpec = errors.New("lifecycle: invalid table")

// cell is one (status, event) pair: where it leads, or, when to is 0, the
// pre-built error that rejects it.
type cell[S Small] struct {
	to  S
	err error
}

// Table is a lifecycle compiled from a [Spec].
type Table[S, E Small] struct {
	name       string
	nS, nE     int
	initial    S
	stride     int       // nE+1
	cells      []cell[S] // [from*stride+event], zero status and event included
	rejectFn   func(S, E) error
	statusFn   func(S) string
	eventFn    func(E) string
	edges      []Edge[S, E] // sorted by (From, Event)
	out        []uint64     // out[s]: bit set of direct successors
	reach      []uint64     // reach[s]: statuses reachable in one or more steps
	events     [][]E        // events[s]: events allowed in s, ascending
	statusName []string
	eventName  []string
	fsmEvents  fsm.Events // looplab's view, built once; never handed out
	idle       *Machine[S, E]
}

// New compiles spec. It reports an error wrapping [ErrSpec] when the spec is
// malformed: too many statuses, a missing name function, an unnamed or
// duplicated name, an edge from or to an unknown status or with an unknown
// event, or two edges for one (from, event) pair.
func New[S, E Small](spec Spec[S, E]) (*Table[S, E], error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrSpec, spec.Name, fmt.Sprintf(format, a...))
	}
	switch {
	case spec.Statuses < 1 || spec.Statuses > MaxStatuses:
		return nil, bad("%d statuses, want 1..%d", spec.Statuses, MaxStatuses)
	case spec.Events < 1 || spec.Events > 255:
		return nil, bad("%d events, want 1..255", spec.Events)
	case spec.StatusName == nil || spec.EventName == nil || spec.Reject == nil:
		return nil, bad("missing name or reject function")
	case int(spec.Initial) < 1 || int(spec.Initial) > spec.Statuses:
		return nil, bad("initial status %d out of range", spec.Initial)
	}
	t := &Table[S, E]{
		name:       spec.Name,
		nS:         spec.Statuses,
		nE:         spec.Events,
		initial:    spec.Initial,
		rejectFn:   spec.Reject,
		statusFn:   spec.StatusName,
		eventFn:    spec.EventName,
		stride:     spec.Events + 1,
		cells:      make([]cell[S], (spec.Statuses+1)*(spec.Events+1)),
		out:        make([]uint64, spec.Statuses+1),
		reach:      make([]uint64, spec.Statuses+1),
		events:     make([][]E, spec.Statuses+1),
		statusName: make([]string, spec.Statuses+1),
		eventName:  make([]string, spec.Events+1),
	}
	seen := map[string]bool{}
	for s := 1; s <= t.nS; s++ {
		n := spec.StatusName(S(s))
		if n == "" || seen[n] {
			return nil, bad("status %d has an empty or duplicate name %q", s, n)
		}
		seen[n] = true
		t.statusName[s] = n
	}
	clear(seen)
	for e := 1; e <= t.nE; e++ {
		n := spec.EventName(E(e))
		if n == "" || seen[n] {
			return nil, bad("event %d has an empty or duplicate name %q", e, n)
		}
		seen[n] = true
		t.eventName[e] = n
	}
	for _, e := range spec.Edges {
		switch {
		case !t.validStatus(e.From):
			return nil, bad("edge from unknown status %d", e.From)
		case !t.validStatus(e.To):
			return nil, bad("edge to unknown status %d", e.To)
		case !t.validEvent(e.Trigger):
			return nil, bad("edge with unknown event %d", e.Trigger)
		}
		c := &t.cells[t.index(e.From, e.Trigger)]
		if c.to != 0 {
			return nil, bad("two edges for (%s, %s)", t.statusName[e.From], t.eventName[e.Trigger])
		}
		c.to = e.To
		t.out[e.From] |= 1 << e.To
	}
	for s := 0; s <= t.nS; s++ {
		for e := 0; e <= t.nE; e++ {
			c := &t.cells[t.index(S(s), E(e))]
			if c.to == 0 {
				c.err = spec.Reject(S(s), E(e))
			} else {
				t.events[s] = append(t.events[s], E(e))
				t.edges = append(t.edges, Edge[S, E]{From: S(s), Trigger: E(e), To: c.to})
			}
		}
	}
	t.fsmEvents = t.buildFSMEvents()
	t.idle = &Machine[S, E]{t: t}
	// Transitive closure: iterate until no reach set grows.
	copy(t.reach, t.out)
	for changed := true; changed; {
		changed = false
		for s := 1; s <= t.nS; s++ {
			r := t.reach[s]
			for m := r; m != 0; m &= m - 1 {
				r |= t.reach[bits.TrailingZeros64(m)]
			}
			if r != t.reach[s] {
				t.reach[s], changed = r, true
			}
		}
	}
	return t, nil
}

// MustNew is like [New] but panics on a malformed spec. It is meant for
// package-level tables written in source, like regexp.MustCompile: the
// package's tests load the table, so a malformed one never ships.
func MustNew[S, E Small](spec Spec[S, E]) *Table[S, E] {
	t, err := New(spec)
	if err != nil {
		panic(err)
	}
	return t
}

func (t *Table[S, E]) index(s S, e E) int { return int(s)*t.stride + int(e) }

func (t *Table[S, E]) validStatus(s S) bool { return s >= 1 && int(s) <= t.nS }

func (t *Table[S, E]) validEvent(e E) bool { return e >= 1 && int(e) <= t.nE }

// ValidStatus reports whether s is one of the table's statuses.
func (t *Table[S, E]) ValidStatus(s S) bool { return t.validStatus(s) }

// ValidEvent reports whether e is one of the table's events.
func (t *Table[S, E]) ValidEvent(e E) bool { return t.validEvent(e) }

// Initial returns the status a new instance starts in.
func (t *Table[S, E]) Initial() S { return t.initial }

// Next returns the status that event e leads to from status from. A forbidden
// pair returns from unchanged and the spec's rejection error. The errors for
// every pair of valid or zero inputs are pre-built, so for those neither
// outcome allocates; Next is small enough to be inlined.
func (t *Table[S, E]) Next(from S, e E) (S, error) {
	if int(from) <= t.nS && int(e) < t.stride {
		c := &t.cells[int(from)*t.stride+int(e)]
		if c.to != 0 {
			return c.to, nil
		}
		return from, c.err
	}
	return t.outOfRange(from, e)
}

// cell returns the cell of (from, e), or nil when either is out of range.
func (t *Table[S, E]) cell(from S, e E) *cell[S] {
	if int(from) <= t.nS && int(e) < t.stride {
		return &t.cells[int(from)*t.stride+int(e)]
	}
	return nil
}

func (t *Table[S, E]) outOfRange(from S, e E) (S, error) { return from, t.rejectFn(from, e) }

// Allowed reports whether event e may be fired in status from.
func (t *Table[S, E]) Allowed(from S, e E) bool {
	return t.validStatus(from) && t.validEvent(e) && t.cells[t.index(from, e)].to != 0
}

// Edges returns a copy of the allowed transitions ordered by From, then by
// Event, both in declaration (numeric) order.
func (t *Table[S, E]) Edges() []Edge[S, E] { return slices.Clone(t.edges) }

// EventsFrom returns a copy of the events allowed in s, in numeric order.
func (t *Table[S, E]) EventsFrom(s S) []E {
	if !t.validStatus(s) {
		return nil
	}
	return slices.Clone(t.events[s])
}

// NumEventsFrom returns how many events are allowed in s.
func (t *Table[S, E]) NumEventsFrom(s S) int {
	if !t.validStatus(s) {
		return 0
	}
	return len(t.events[s])
}

// CanTransition reports whether one event leads from from to to.
func (t *Table[S, E]) CanTransition(from, to S) bool {
	return t.validStatus(from) && t.validStatus(to) && t.out[from]&(1<<to) != 0
}

// EventFor returns the event that leads from from to to in one step, the
// lowest-numbered one if several do.
func (t *Table[S, E]) EventFor(from, to S) (E, bool) {
	if !t.CanTransition(from, to) {
		return 0, false
	}
	for _, e := range t.events[from] {
		if t.cells[t.index(from, e)].to == to {
			return e, true
		}
	}
	return 0, false
}

// Terminal reports whether s is a valid status with no outgoing edge.
func (t *Table[S, E]) Terminal(s S) bool { return t.validStatus(s) && t.out[s] == 0 }

// Reachable reports whether to can be reached from from in one or more steps.
func (t *Table[S, E]) Reachable(from, to S) bool {
	return t.validStatus(from) && t.validStatus(to) && t.reach[from]&(1<<to) != 0
}

// ReachableFrom returns the statuses reachable from s in one or more steps, in
// numeric order. s itself is included only if a cycle leads back to it.
func (t *Table[S, E]) ReachableFrom(s S) []S {
	if !t.validStatus(s) {
		return nil
	}
	var out []S
	for m := t.reach[s]; m != 0; m &= m - 1 {
		out = append(out, S(bits.TrailingZeros64(m)))
	}
	return out
}

// Path returns a shortest sequence of edges leading from from to to, and
// whether one exists. From a status to itself the path is empty. Among paths
// of equal length it prefers lower-numbered events and statuses first, so
// the answer is deterministic.
func (t *Table[S, E]) Path(from, to S) ([]Edge[S, E], bool) {
	if !t.validStatus(from) || !t.validStatus(to) {
		return nil, false
	}
	if from == to {
		return []Edge[S, E]{}, true
	}
	// Breadth-first search over at most 63 statuses; via[s] is the edge that
	// first reached s. It ends when the queue is empty if to is unreachable.
	via := make([]Edge[S, E], t.nS+1)
	visited := uint64(1) << from
	queue := []S{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, e := range t.events[s] {
			n := t.cells[t.index(s, e)].to
			if visited&(1<<n) != 0 {
				continue
			}
			visited |= 1 << n
			via[n] = Edge[S, E]{From: s, Trigger: e, To: n}
			if n == to {
				var path []Edge[S, E]
				for c := to; c != from; c = via[c].From {
					path = append(path, via[c])
				}
				slices.Reverse(path)
				return path, true
			}
			queue = append(queue, n)
		}
	}
	return nil, false
}

// StatusName returns the wire spelling of a valid status, and what the
// spec's StatusName function makes of any other value.
func (t *Table[S, E]) StatusName(s S) string {
	if !t.validStatus(s) {
		return t.statusFn(s)
	}
	return t.statusName[s]
}

// EventName returns the wire spelling of a valid event, and what the spec's
// EventName function makes of any other value.
func (t *Table[S, E]) EventName(e E) string {
	if !t.validEvent(e) {
		return t.eventFn(e)
	}
	return t.eventName[e]
}
