package appointment

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/internal/lifecycle"
)

// expected is DOMAIN.md §2 written out by hand, independently of the
// production table: for each status, the events it allows and where they
// lead. Every pair not listed is forbidden.
var expected = map[Status]map[Trigger]Status{
	Pending: {
		Reserve: Reserved,
		Confirm: Confirmed,
		Cancel:  Cancelled,
	},
	Reserved: {
		Confirm:    Confirmed,
		Reschedule: Reserved,
		Cancel:     Cancelled,
	},
	Confirmed: {
		Reschedule: Confirmed,
		Start:      InProgress,
		Complete:   Completed,
		Cancel:     Cancelled,
	},
	InProgress: {
		Complete: Completed,
		Cancel:   Cancelled,
	},
	Completed: {},
	Cancelled: {},
}

// allStatuses and allEvents list the constants by hand, so that a constant
// added without a test shows up.
var (
	allStatuses = []Status{Pending, Reserved, Confirmed, InProgress, Completed, Cancelled}
	allEvents   = []Trigger{Reserve, Confirm, Reschedule, Start, Complete, Cancel}
	// invalidStatuses and invalidEvents are values on each side of the
	// valid range.
	invalidStatuses = []Status{0, numStatuses + 1, 255}
	invalidEvents   = []Trigger{0, numEvents + 1, 255}
)

func TestConstantsAreListed(t *testing.T) {
	assert.Equal(t, allStatuses, Statuses())
	assert.Equal(t, allEvents, Triggers())
	assert.Len(t, expected, len(allStatuses))
}

// diffNext compares next with the expected table over every status × event,
// invalid ones included, and describes each difference.
func diffNext(next func(Status, Trigger) (Status, error)) []string {
	var diffs []string
	for _, from := range append(slices.Clone(invalidStatuses), allStatuses...) {
		for _, e := range append(slices.Clone(invalidEvents), allEvents...) {
			got, err := next(from, e)
			want, ok := expected[from][e]
			var te *TransitionError
			switch {
			case ok && (err != nil || got != want):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) = %q, %v; want %q", from, e, got, err, want))
			case !ok && (err == nil || got != from):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) = %q, %v; want rejection", from, e, got, err))
			case !ok && !errors.Is(err, ErrInvalidTransition):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) error %v does not wrap ErrInvalidTransition", from, e, err))
			case !ok && (!errors.As(err, &te) || te.From != from || te.Trigger != e):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) error %#v is not the pair's *TransitionError", from, e, err))
			}
		}
	}
	return diffs
}

func TestNextExhaustive(t *testing.T) {
	for _, d := range diffNext(Next) {
		t.Error(d)
	}
}

func TestNextRejectionIsTyped(t *testing.T) {
	for _, from := range allStatuses {
		for _, e := range allEvents {
			if _, ok := expected[from][e]; ok {
				continue
			}
			_, err := Next(from, e)
			var te *TransitionError
			require.ErrorAs(t, err, &te, "Next(%q, %q)", from, e)
			assert.Equal(t, TransitionError{From: from, Trigger: e}, *te)
			assert.Equal(t, fmt.Sprintf("appointment: invalid transition: %s from %s", e, from), err.Error())
			_, again := Next(from, e)
			assert.Same(t, err, again, "Next(%q, %q) must return the pre-built error", from, e)
		}
	}
	_, err := Next(Status(200), Trigger(200))
	assert.EqualError(t, err, "appointment: invalid transition: appointment.Trigger(200) from appointment.Status(200)")
	assert.ErrorIs(t, err, ErrInvalidTransition)
}

// TestMutationsAreCaught shows that the exhaustive comparison catches every
// single-entry change of the table: each edge removed, each edge redirected
// to every other status, each edge moved to every other event, and each
// forbidden pair allowed.
func TestMutationsAreCaught(t *testing.T) {
	build := func(es []lifecycle.Edge[Status, Trigger]) func(Status, Trigger) (Status, error) {
		tb, err := lifecycle.New(lifecycle.Spec[Status, Trigger]{
			Name: "appointment", Statuses: numStatuses, Events: numEvents, Initial: Pending,
			StatusName: Status.String, EventName: Trigger.String,
			Reject: func(s Status, e Trigger) error { return &TransitionError{From: s, Trigger: e} },
			Edges:  es,
		})
		if err != nil {
			return nil // a duplicate pair: not a table that could ship
		}
		return tb.Next
	}
	require.Empty(t, diffNext(build(edges)))
	for i, e := range edges {
		removed := slices.Delete(slices.Clone(edges), i, i+1)
		assert.NotEmpty(t, diffNext(build(removed)), "removing %v went unnoticed", e)
		for _, to := range allStatuses {
			if to == e.To {
				continue
			}
			changed := slices.Clone(edges)
			changed[i].To = to
			assert.NotEmpty(t, diffNext(build(changed)), "redirecting %v to %q went unnoticed", e, to)
		}
		for _, ev := range allEvents {
			if ev == e.Trigger {
				continue
			}
			changed := slices.Clone(edges)
			changed[i].Trigger = ev
			if next := build(changed); next != nil {
				assert.NotEmpty(t, diffNext(next), "moving %v to event %q went unnoticed", e, ev)
			}
		}
	}
	for _, from := range allStatuses {
		for _, ev := range allEvents {
			if _, ok := expected[from][ev]; ok {
				continue
			}
			for _, to := range allStatuses {
				added := append(slices.Clone(edges), lifecycle.Edge[Status, Trigger]{From: from, Trigger: ev, To: to})
				assert.NotEmpty(t, diffNext(build(added)), "allowing %q in %q went unnoticed", ev, from)
			}
		}
	}
}

func TestCanTransitionExhaustive(t *testing.T) {
	for _, from := range append(slices.Clone(invalidStatuses), allStatuses...) {
		for _, to := range append(slices.Clone(invalidStatuses), allStatuses...) {
			want := false
			var wantEvent Trigger
			for e, dst := range expected[from] {
				if dst == to {
					want, wantEvent = true, e
				}
			}
			e, ok := TriggerFor(from, to)
			assert.Equal(t, want, ok, "TriggerFor(%q, %q)", from, to)
			assert.Equal(t, wantEvent, e, "TriggerFor(%q, %q)", from, to)
		}
	}
}

func TestTransitions(t *testing.T) {
	var want []Transition
	for _, from := range allStatuses {
		for _, e := range allEvents {
			if to, ok := expected[from][e]; ok {
				want = append(want, Transition{From: from, Trigger: e, To: to})
			}
		}
	}
	got := Transitions()
	assert.Equal(t, want, got)
	got[0].To = Cancelled
	assert.Equal(t, want, Transitions(), "Transitions must return a copy")
}

func TestStatusEvents(t *testing.T) {
	for _, s := range allStatuses {
		var want []Trigger
		for _, e := range allEvents {
			if _, ok := expected[s][e]; ok {
				want = append(want, e)
			}
		}
		assert.Equal(t, want, s.Triggers(), "%q.Events()", s)
	}
	for _, s := range invalidStatuses {
		assert.Nil(t, s.Triggers())
	}
}

func TestActiveAndTerminal(t *testing.T) {
	// DOMAIN.md §2: completed and cancelled are terminal; active = pending,
	// reserved, confirmed, in_progress.
	terminal := map[Status]bool{Completed: true, Cancelled: true}
	active := map[Status]bool{Pending: true, Reserved: true, Confirmed: true, InProgress: true}
	for _, s := range allStatuses {
		assert.Equal(t, terminal[s], s.Terminal(), "%q.Terminal()", s)
		assert.Equal(t, active[s], s.Active(), "%q.Active()", s)
		assert.Equal(t, len(expected[s]) == 0, s.Terminal(), "%q.Terminal() must agree with the table", s)
		assert.NotEqual(t, s.Active(), s.Terminal(), "%q is either active or terminal", s)
	}
	for _, s := range invalidStatuses {
		assert.False(t, s.Terminal(), "%q.Terminal()", s)
		assert.False(t, s.Active(), "%q.Active()", s)
	}
}

// reachable computes reachability from the expected table by search.
func reachable(from Status) map[Status]bool {
	seen := map[Status]bool{}
	stack := []Status{from}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, to := range expected[s] {
			if !seen[to] {
				seen[to] = true
				stack = append(stack, to)
			}
		}
	}
	return seen
}

func TestReachability(t *testing.T) {
	for _, from := range allStatuses {
		want := reachable(from)
		for _, to := range allStatuses {
			assert.Equal(t, want[to], Reachable(from, to), "Reachable(%q, %q)", from, to)
			path, ok := Path(from, to)
			if from == to {
				assert.True(t, ok)
				assert.Empty(t, path)
				continue
			}
			require.Equal(t, want[to], ok, "Path(%q, %q)", from, to)
			if ok {
				checkPath(t, from, to, path)
			}
		}
	}
	// Every other status is reachable from pending, and pending from none.
	for _, s := range []Status{Reserved, Confirmed, InProgress, Completed, Cancelled} {
		assert.True(t, Reachable(Pending, s))
	}
	for _, s := range allStatuses {
		assert.False(t, Reachable(s, Pending))
	}
	for _, s := range invalidStatuses {
		_, ok := Path(s, Pending)
		assert.False(t, ok)
		_, ok = Path(Pending, s)
		assert.False(t, ok)
		assert.False(t, Reachable(s, Cancelled))
		assert.False(t, Reachable(Pending, s))
	}
}

// checkPath asserts that path leads from from to to through the expected
// table and is as short as a breadth-first search says it can be.
func checkPath(t *testing.T, from, to Status, path []Transition) {
	t.Helper()
	cur := from
	for _, step := range path {
		require.Equal(t, cur, step.From)
		require.Contains(t, expected[cur], step.Trigger)
		require.Equal(t, expected[cur][step.Trigger], step.To, "step %v", step)
		cur = step.To
	}
	require.Equal(t, to, cur)
	dist := map[Status]int{from: 0}
	queue := []Status{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range expected[s] {
			if _, ok := dist[n]; !ok {
				dist[n] = dist[s] + 1
				queue = append(queue, n)
			}
		}
	}
	require.Equal(t, dist[to], len(path), "Path(%q, %q) = %v is not shortest", from, to, path)
}

func TestPathExamples(t *testing.T) {
	path, ok := Path(Pending, Completed)
	require.True(t, ok)
	assert.Equal(t, []Transition{
		{From: Pending, Trigger: Confirm, To: Confirmed},
		{From: Confirmed, Trigger: Complete, To: Completed},
	}, path)
	_, ok = Path(Completed, Confirmed)
	assert.False(t, ok)
}

func TestNextDoesNotAllocate(t *testing.T) {
	accept := testing.AllocsPerRun(100, func() { _, _ = Next(Confirmed, Reschedule) })
	reject := testing.AllocsPerRun(100, func() { _, _ = Next(Completed, Cancel) })
	assert.Zero(t, accept)
	assert.Zero(t, reject)
}

func TestMermaid(t *testing.T) {
	m := Mermaid()
	assert.Equal(t, m, Mermaid(), "Mermaid must be deterministic")
	assert.True(t, strings.HasPrefix(m, "stateDiagram-v2\n    [*] --> pending\n"), m)
	assert.True(t, strings.HasSuffix(m, "\n"))
	lines := strings.Split(strings.TrimSuffix(m, "\n"), "\n")
	for from, evs := range expected {
		for e, to := range evs {
			assert.Contains(t, lines, fmt.Sprintf("    %s --> %s: %s", from, to, e))
		}
	}
	assert.Contains(t, lines, "    completed --> [*]")
	assert.Contains(t, lines, "    cancelled --> [*]")
	// The start marker, one line per edge, one per terminal status.
	assert.Len(t, lines, 1+1+len(Transitions())+2)
}

// TestNextBounds calls Next on the last status and the last event, and one
// past each: the edges of its dense table. Inside the table, an allowed
// pair leads on and a forbidden one returns its pre-built error without
// allocating; outside, the pair is rejected with a fresh error.
func TestNextBounds(t *testing.T) {
	last, lastEvent := Status(numStatuses), Trigger(numEvents)
	require.Equal(t, Cancelled, last)
	require.Equal(t, Cancel, lastEvent)

	// The last event, allowed and forbidden.
	for _, from := range allStatuses {
		got, err := Next(from, lastEvent)
		if want, ok := expected[from][lastEvent]; ok {
			require.NoError(t, err, "Next(%q, %q)", from, lastEvent)
			assert.Equal(t, want, got, "Next(%q, %q)", from, lastEvent)
			continue
		}
		assert.Equal(t, from, got)
		require.ErrorIs(t, err, ErrInvalidTransition)
		_, again := Next(from, lastEvent)
		assert.Same(t, err, again, "Next(%q, %q) must return the pre-built error", from, lastEvent)
	}
	// The last status: terminal, every event forbidden by a pre-built error.
	for _, e := range allEvents {
		got, err := Next(last, e)
		assert.Equal(t, last, got)
		var te *TransitionError
		require.ErrorAs(t, err, &te, "Next(%q, %q)", last, e)
		assert.Equal(t, TransitionError{From: last, Trigger: e}, *te)
		_, again := Next(last, e)
		assert.Same(t, err, again, "Next(%q, %q) must return the pre-built error", last, e)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = Next(last, lastEvent) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = Next(Confirmed, lastEvent) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = Next(last, Reserve) }))

	// One past the last status or the last event: rejected, naming the pair.
	for _, c := range []struct {
		from Status
		e    Trigger
	}{
		{last + 1, lastEvent}, {last + 1, Reserve}, {Confirmed, lastEvent + 1}, {Pending, lastEvent + 1}, {last + 1, lastEvent + 1},
	} {
		got, err := Next(c.from, c.e)
		assert.Equal(t, c.from, got)
		var te *TransitionError
		require.ErrorAs(t, err, &te, "Next(%q, %q)", c.from, c.e)
		assert.Equal(t, TransitionError{From: c.from, Trigger: c.e}, *te)
	}
}
