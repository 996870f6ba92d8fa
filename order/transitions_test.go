package order

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/internal/lifecycle"
)

// expected is DOMAIN.md §1 written out by hand, independently of the
// production table: for each status, the events it allows and where they
// lead. Every pair not listed is forbidden.
var expected = map[Status]map[Trigger]Status{
	Ordered: {
		CreateRequisition: RequisitionCreated,
		BypassRequisition: RequisitionBypassed,
		Cancel:            Cancelled,
	},
	RequisitionCreated: {
		PlaceAppointment: AppointmentPending,
		Cancel:           Cancelled,
	},
	RequisitionBypassed: {
		PlaceAppointment: AppointmentPending,
		Cancel:           Cancelled,
	},
	AppointmentPending: {
		ScheduleAppointment: AppointmentScheduled,
		CancelAppointment:   AppointmentCancelled,
		Cancel:              Cancelled,
	},
	AppointmentScheduled: {
		RescheduleAppointment: AppointmentScheduled,
		CancelAppointment:     AppointmentCancelled,
		CompleteDraw:          DrawCompleted,
		Cancel:                Cancelled,
	},
	DrawCompleted: {
		ReceivePartialResults: PartialResults,
		Complete:              Completed,
		ReportSampleError:     SampleError,
		Cancel:                Cancelled,
	},
	AppointmentCancelled: {
		PlaceAppointment:    AppointmentPending,
		ScheduleAppointment: AppointmentScheduled,
		Cancel:              Cancelled,
	},
	PartialResults: {
		ReceivePartialResults: PartialResults,
		Complete:              Completed,
		ReportSampleError:     SampleError,
	},
	Completed: {
		CorrectResults: Corrected,
	},
	SampleError: {},
	Cancelled:   {},
	Corrected: {
		CorrectResults: Corrected,
	},
}

// allStatuses and allEvents list the constants by hand, with one invalid
// value on each side, so that a constant added without a test shows up.
var (
	allStatuses = []Status{Ordered, RequisitionCreated, RequisitionBypassed, AppointmentPending,
		AppointmentScheduled, DrawCompleted, AppointmentCancelled, PartialResults, Completed,
		SampleError, Cancelled, Corrected}
	allEvents = []Trigger{CreateRequisition, BypassRequisition, PlaceAppointment, ScheduleAppointment,
		RescheduleAppointment, CancelAppointment, CompleteDraw, ReceivePartialResults, Complete,
		ReportSampleError, CorrectResults, Cancel}
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
	for _, from := range append([]Status{0, numStatuses + 1}, allStatuses...) {
		for _, e := range append([]Trigger{0, numEvents + 1}, allEvents...) {
			got, err := next(from, e)
			want, ok := expected[from][e]
			switch {
			case ok && (err != nil || got != want):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) = %q, %v; want %q", from, e, got, err, want))
			case !ok && (err == nil || got != from):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) = %q, %v; want rejection", from, e, got, err))
			case !ok && !errors.Is(err, ErrInvalidTransition):
				diffs = append(diffs, fmt.Sprintf("Next(%q, %q) error %v does not wrap ErrInvalidTransition", from, e, err))
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
			assert.Equal(t, fmt.Sprintf("order: invalid transition: %s from %s", e, from), err.Error())
			_, again := Next(from, e)
			assert.Same(t, err, again, "Next(%q, %q) must return the pre-built error", from, e)
		}
	}
	_, err := Next(Status(200), Trigger(200))
	assert.EqualError(t, err, "order: invalid transition: order.Trigger(200) from order.Status(200)")
	assert.ErrorIs(t, err, ErrInvalidTransition)
}

// TestMutationsAreCaught shows that the exhaustive comparison catches every
// single-entry change of the table: each edge removed, and each edge
// redirected to every other status.
func TestMutationsAreCaught(t *testing.T) {
	build := func(es []lifecycle.Edge[Status, Trigger]) func(Status, Trigger) (Status, error) {
		tb, err := lifecycle.New(lifecycle.Spec[Status, Trigger]{
			Name: "order", Statuses: numStatuses, Events: numEvents, Initial: Ordered,
			StatusName: Status.String, EventName: Trigger.String,
			Reject: func(s Status, e Trigger) error { return &TransitionError{From: s, Trigger: e} },
			Edges:  es,
		})
		require.NoError(t, err)
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
	}
	// An added edge: every forbidden pair, allowed.
	for _, from := range allStatuses {
		for _, ev := range allEvents {
			if _, ok := expected[from][ev]; ok {
				continue
			}
			added := append(slices.Clone(edges), lifecycle.Edge[Status, Trigger]{From: from, Trigger: ev, To: Cancelled})
			assert.NotEmpty(t, diffNext(build(added)), "allowing %q in %q went unnoticed", ev, from)
		}
	}
}

func TestCanTransitionExhaustive(t *testing.T) {
	for _, from := range append([]Status{0, numStatuses + 1}, allStatuses...) {
		for _, to := range append([]Status{0, numStatuses + 1}, allStatuses...) {
			want := false
			var wantEvent Trigger
			for e, dst := range expected[from] {
				if dst == to {
					want, wantEvent = true, e
				}
			}
			assert.Equal(t, want, table.CanTransition(from, to), "table.CanTransition(%q, %q)", from, to)
			e, ok := TriggerFor(from, to)
			assert.Equal(t, want, ok, "EventFor(%q, %q)", from, to)
			assert.Equal(t, wantEvent, e, "EventFor(%q, %q)", from, to)
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
	assert.Nil(t, Status(0).Triggers())
}

func TestTerminalAndCancellable(t *testing.T) {
	terminal := map[Status]bool{SampleError: true, Cancelled: true}
	// The cancellation guide's lists.
	cancellable := map[Status]bool{Ordered: true, RequisitionCreated: true, RequisitionBypassed: true,
		AppointmentPending: true, AppointmentScheduled: true, AppointmentCancelled: true, DrawCompleted: true}
	neverCancellable := []Status{Completed, PartialResults, SampleError, Cancelled}
	for _, s := range allStatuses {
		assert.Equal(t, terminal[s], s.Terminal(), "%q.Terminal()", s)
		assert.Equal(t, cancellable[s], s.Cancellable(), "%q.Cancellable()", s)
	}
	for _, s := range neverCancellable {
		assert.False(t, s.Cancellable(), "%q.Cancellable()", s)
	}
	for _, s := range []Status{0, numStatuses + 1, 255} {
		assert.False(t, s.Terminal())
		assert.False(t, s.Cancellable())
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
		var wantList []Status
		for _, to := range allStatuses {
			if want[to] {
				wantList = append(wantList, to)
			}
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
		assert.Equal(t, wantList, table.ReachableFrom(from), "table.ReachableFrom(%q)", from)
	}
	// Every status is reachable from ordered, and ordered from none.
	assert.Len(t, table.ReachableFrom(Ordered), numStatuses-1)
	for _, s := range allStatuses {
		assert.False(t, Reachable(s, Ordered))
		assert.False(t, Reachable(0, s))
		assert.False(t, Reachable(s, 0))
	}
	_, ok := Path(0, Ordered)
	assert.False(t, ok)
	assert.Nil(t, table.ReachableFrom(0))
}

// checkPath asserts that path leads from from to to through the expected
// table and is as short as a breadth-first search says it can be.
func checkPath(t *testing.T, from, to Status, path []Transition) {
	t.Helper()
	cur := from
	for _, step := range path {
		require.Equal(t, cur, step.From)
		require.Equal(t, expected[cur][step.Trigger], step.To, "step %v", step)
		require.Contains(t, expected[cur], step.Trigger)
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

func TestObservedJumpIsAPath(t *testing.T) {
	// An older webhook example goes from requisition_created straight to
	// appointment_scheduled: not one step, but a valid path.
	assert.False(t, table.CanTransition(RequisitionCreated, AppointmentScheduled))
	path, ok := Path(RequisitionCreated, AppointmentScheduled)
	require.True(t, ok)
	assert.Equal(t, []Transition{
		{From: RequisitionCreated, Trigger: PlaceAppointment, To: AppointmentPending},
		{From: AppointmentPending, Trigger: ScheduleAppointment, To: AppointmentScheduled},
	}, path)
}

// TestNextDoesNotAllocate checks every pair of valid or zero inputs, the
// last status and the last event included: accepted or rejected, Next
// answers from the pre-built table.
func TestNextDoesNotAllocate(t *testing.T) {
	for _, from := range append([]Status{0}, allStatuses...) {
		for _, e := range append([]Trigger{0}, allEvents...) {
			allocs := testing.AllocsPerRun(10, func() { _, _ = Next(from, e) })
			assert.Zero(t, allocs, "Next(%q, %q) allocates", from, e)
		}
	}
}

// TestNextBounds exercises Next at the edges of its table: the last status
// and the last event, accepted and rejected, and one past each.
func TestNextBounds(t *testing.T) {
	last, lastEvent := allStatuses[len(allStatuses)-1], allEvents[len(allEvents)-1]
	require.Equal(t, Corrected, last)
	require.Equal(t, Cancel, lastEvent)
	for _, c := range []struct {
		from Status
		e    Trigger
		want Status // zero: rejected
	}{
		{Corrected, CorrectResults, Corrected},
		{Corrected, Cancel, 0},
		{Ordered, Cancel, Cancelled},
		{DrawCompleted, Cancel, Cancelled},
		{Completed, Cancel, 0},
		{Corrected + 1, CorrectResults, 0},
		{Corrected + 1, Cancel + 1, 0},
		{Ordered, Cancel + 1, 0},
		{Corrected, Cancel + 1, 0},
	} {
		got, err := Next(c.from, c.e)
		if c.want != 0 {
			require.NoError(t, err, "Next(%q, %q)", c.from, c.e)
			assert.Equal(t, c.want, got, "Next(%q, %q) = %q, want %q", c.from, c.e, got, c.want)
			continue
		}
		var te *TransitionError
		require.ErrorAs(t, err, &te, "Next(%q, %q)", c.from, c.e)
		assert.Equal(t, TransitionError{From: c.from, Trigger: c.e}, *te)
		assert.Equal(t, c.from, got, "Next(%q, %q) = %q, want it unchanged", c.from, c.e, got)
	}
}

func TestMermaid(t *testing.T) {
	m := Mermaid()
	assert.Equal(t, m, Mermaid())
	lines := []string{"stateDiagram-v2", "    [*] --> ordered"}
	for _, tr := range slices.Clone(transitions) {
		lines = append(lines, fmt.Sprintf("    %s --> %s: %s", tr.From, tr.To, tr.Trigger))
	}
	lines = append(lines, "    sample_error --> [*]", "    cancelled --> [*]")
	want := ""
	for _, l := range lines {
		want += l + "\n"
	}
	assert.Equal(t, want, m)
}
