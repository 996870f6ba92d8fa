package order

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// t0 is the first of the fixed instants the history tests use.
var t0 = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// hist builds a history of the given statuses, ids 1, 2, … and one hour
// apart.
func hist(statuses ...Status) []HistoryEntry {
	out := make([]HistoryEntry, len(statuses))
	for i, s := range statuses {
		out[i] = HistoryEntry{ID: int64(i + 1), CreatedAt: t0.Add(time.Duration(i) * time.Hour), Status: s}
	}
	return out
}

// jumpPaths are the documented jumps written out by hand, independently of
// the production code.
var jumpPaths = map[[2]Status][]Transition{
	{RequisitionCreated, AppointmentScheduled}: {
		{RequisitionCreated, PlaceAppointment, AppointmentPending},
		{AppointmentPending, ScheduleAppointment, AppointmentScheduled},
	},
	{RequisitionBypassed, AppointmentScheduled}: {
		{RequisitionBypassed, PlaceAppointment, AppointmentPending},
		{AppointmentPending, ScheduleAppointment, AppointmentScheduled},
	},
}

// wantSteps works out from the expected table and jumpPaths the steps of a
// history that is valid.
func wantSteps(t require.TestingT, h []HistoryEntry) []Step {
	steps := make([]Step, len(h))
	for i, e := range h {
		steps[i] = Step{Index: i, Entry: e}
		if i == 0 {
			continue
		}
		from := h[i-1].Status
		steps[i].From = from
		if path, ok := jumpPaths[[2]Status{from, e.Status}]; ok {
			steps[i].Transitions, steps[i].Jump = path, true
			continue
		}
		found := false
		for ev, to := range expected[from] {
			if to == e.Status {
				steps[i].Transitions, found = []Transition{{from, ev, to}}, true
			}
		}
		require.True(t, found, "%v to %v is not a step", from, e.Status)
	}
	return steps
}

func TestValidateHistoryValid(t *testing.T) {
	year0 := time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)
	for name, h := range map[string][]HistoryEntry{
		"empty":              nil,
		"created":            hist(Ordered),
		"junction's example": hist(Ordered, RequisitionCreated, AppointmentScheduled),
		"bypassed jump":      hist(Ordered, RequisitionBypassed, AppointmentScheduled, DrawCompleted),
		"imported":           hist(Ordered, RequisitionBypassed),
		"the long way": hist(Ordered, RequisitionCreated, AppointmentPending, AppointmentScheduled, AppointmentScheduled,
			DrawCompleted, PartialResults, PartialResults, Completed, Corrected, Corrected),
		"cancellations": hist(Ordered, RequisitionCreated, AppointmentPending, AppointmentCancelled, AppointmentPending,
			AppointmentScheduled, AppointmentCancelled, AppointmentScheduled, AppointmentCancelled, Cancelled),
		"sample error":      hist(Ordered, RequisitionCreated, AppointmentPending, AppointmentScheduled, DrawCompleted, SampleError),
		"cancelled at once": hist(Ordered, Cancelled),
		"same timestamps": {
			{ID: 74769, CreatedAt: t0, Status: Ordered}, {ID: 74770, CreatedAt: t0, Status: RequisitionBypassed},
		},
		"missing timestamps": {
			{ID: 1, CreatedAt: t0.Add(5 * time.Hour), Status: Ordered}, {ID: 2, Status: RequisitionCreated},
			{ID: 3, CreatedAt: t0.Add(6 * time.Hour), Status: AppointmentPending},
		},
		"gaps and negative ids": {{ID: -10, Status: Ordered}, {ID: 0, Status: Cancelled}},
		"year 0":                {{ID: 1, CreatedAt: year0, Status: Ordered}, {ID: 2, CreatedAt: year0, Status: Cancelled}},
		"times in other zones": {
			{ID: 1, CreatedAt: t0, Status: Ordered},
			{ID: 2, CreatedAt: t0.In(time.FixedZone("", -5*3600)), Status: RequisitionCreated},
		},
	} {
		t.Run(name, func(t *testing.T) {
			steps, err := ValidateHistory(h)
			require.NoError(t, err)
			assert.Equal(t, wantSteps(t, h), steps)
			for i, s := range steps {
				assert.Equal(t, h[i].Status, s.Entry.Status)
			}
		})
	}
	steps, err := ValidateHistory(hist(Ordered, RequisitionCreated, AppointmentScheduled))
	require.NoError(t, err)
	assert.True(t, steps[2].Jump)
	assert.Len(t, steps[2].Transitions, 2)
	assert.Equal(t, 2, cap(steps[2].Transitions), "a step's transitions cannot be appended into the next step's")
	assert.Nil(t, steps[0].Transitions)
}

func TestValidateHistoryInvalid(t *testing.T) {
	withIDs := func(h []HistoryEntry, ids ...int64) []HistoryEntry {
		for i, id := range ids {
			h[i].ID = id
		}
		return h
	}
	withTimes := func(h []HistoryEntry, hours ...int) []HistoryEntry {
		for i, n := range hours {
			if n < 0 {
				h[i].CreatedAt = time.Time{}
				continue
			}
			h[i].CreatedAt = t0.Add(time.Duration(n) * time.Hour)
		}
		return h
	}
	text := func(h []HistoryEntry, i int, s string) []HistoryEntry {
		h[i].Status, h[i].StatusText = 0, s
		return h
	}
	for name, c := range map[string]struct {
		h        []HistoryEntry
		index    int
		from, to Status
		reason   error
		msg      string
	}{
		"starts late": {h: hist(RequisitionCreated, AppointmentPending), index: 0, to: RequisitionCreated,
			reason: ErrInvalidTransition,
			msg:    "order: invalid history: events[0]: creation to requisition_created: invalid transition"},
		"starts cancelled": {h: hist(Cancelled), index: 0, to: Cancelled, reason: ErrInvalidTransition},
		"ordered twice": {h: hist(Ordered, Ordered), index: 1, from: Ordered, to: Ordered, reason: ErrInvalidTransition,
			msg: "order: invalid history: events[1]: ordered to ordered: invalid transition"},
		"pending twice": {h: hist(Ordered, RequisitionCreated, AppointmentPending, AppointmentPending), index: 3,
			from: AppointmentPending, to: AppointmentPending, reason: ErrInvalidTransition},
		"completed twice": {h: hist(Ordered, RequisitionCreated, AppointmentScheduled, DrawCompleted, Completed, Completed),
			index: 5, from: Completed, to: Completed, reason: ErrInvalidTransition},
		"cancelled twice": {h: hist(Ordered, Cancelled, Cancelled), index: 2, from: Cancelled, to: Cancelled,
			reason: ErrInvalidTransition},
		"backwards": {h: hist(Ordered, RequisitionCreated, Ordered), index: 2, from: RequisitionCreated, to: Ordered,
			reason: ErrInvalidTransition},
		"undocumented skip": {h: hist(Ordered, AppointmentScheduled), index: 1, from: Ordered, to: AppointmentScheduled,
			reason: ErrInvalidTransition},
		"skip to the draw": {h: hist(Ordered, RequisitionCreated, DrawCompleted), index: 2, from: RequisitionCreated,
			to: DrawCompleted, reason: ErrInvalidTransition},
		"pending to draw": {h: hist(Ordered, RequisitionCreated, AppointmentPending, DrawCompleted), index: 3,
			from: AppointmentPending, to: DrawCompleted, reason: ErrInvalidTransition},
		"jump backwards": {h: hist(Ordered, RequisitionCreated, AppointmentScheduled, RequisitionCreated), index: 3,
			from: AppointmentScheduled, to: RequisitionCreated, reason: ErrInvalidTransition},
		"out of a terminal": {h: hist(Ordered, Cancelled, RequisitionCreated), index: 2, from: Cancelled,
			to: RequisitionCreated, reason: ErrInvalidTransition},
		"completed to scheduled": {h: hist(Ordered, RequisitionCreated, AppointmentScheduled, DrawCompleted, Completed,
			AppointmentScheduled), index: 5, from: Completed, to: AppointmentScheduled, reason: ErrInvalidTransition},
		"partial results cancelled": {h: hist(Ordered, RequisitionCreated, AppointmentScheduled, DrawCompleted,
			PartialResults, Cancelled), index: 5, from: PartialResults, to: Cancelled, reason: ErrInvalidTransition},
		"equal ids": {h: withIDs(hist(Ordered, RequisitionCreated), 7, 7), index: 1, from: Ordered, to: RequisitionCreated,
			reason: ErrIDNotIncreasing, msg: "order: invalid history: events[1]: ordered to requisition_created: " +
				"history ids do not increase: 7 after 7"},
		"decreasing ids": {h: withIDs(hist(Ordered, RequisitionCreated, AppointmentPending), 1, 3, 2), index: 2,
			from: RequisitionCreated, to: AppointmentPending, reason: ErrIDNotIncreasing},
		"back in time": {h: withTimes(hist(Ordered, RequisitionCreated, AppointmentPending), 2, 3, 1), index: 2,
			from: RequisitionCreated, to: AppointmentPending, reason: ErrOutOfOrder,
			msg: "order: invalid history: events[2]: requisition_created to appointment_pending: history goes back in time: " +
				"2022-01-01T01:00:00Z is before 2022-01-01T03:00:00Z"},
		"back in time across a missing timestamp": {h: withTimes(hist(Ordered, RequisitionCreated, AppointmentPending), 2, -1, 1),
			index: 2, from: RequisitionCreated, to: AppointmentPending, reason: ErrOutOfOrder},
		"back in time at the first step": {h: withTimes(hist(Ordered, Cancelled), 2, 1), index: 1, from: Ordered,
			to: Cancelled, reason: ErrOutOfOrder},
		"unknown status": {h: text(hist(Ordered, RequisitionCreated, AppointmentPending), 1, "redraw_available"), index: 1,
			from: Ordered, reason: ErrUnknownStatus,
			msg: `order: invalid history: events[1]: unknown status "redraw_available"`},
		"empty status":   {h: text(hist(Ordered, RequisitionCreated), 1, ""), index: 1, from: Ordered, reason: ErrUnknownStatus},
		"invalid status": {h: hist(Ordered, Corrected+1), index: 1, from: Ordered, reason: ErrUnknownStatus},
		"walk-in": {h: text(text(hist(0, 0), 0, "received.walk_in_test.ordered"), 1, "received.walk_in_test.requisition_created"),
			index: 0, reason: ErrNotPhlebotomy,
			msg: `order: invalid history: events[0]: not an at-home phlebotomy order: "received.walk_in_test.ordered"`},
		"walk-in after ours": {h: text(hist(Ordered, 0), 1, "received.walk_in_test.requisition_created"), index: 1,
			from: Ordered, reason: ErrNotPhlebotomy},
		"unknown modality": {h: text(hist(0), 0, "received.drone.ordered"), index: 0, reason: ErrNotPhlebotomy},
		"left unparsed": {h: text(hist(0), 0, "received.at_home_phlebotomy.ordered"), index: 0, reason: ErrNotPhlebotomy,
			msg: `order: invalid history: events[0]: not an at-home phlebotomy order: "received.at_home_phlebotomy.ordered" was not parsed`},
		"short form left unparsed": {h: text(hist(0), 0, "ordered"), index: 0, reason: ErrNotPhlebotomy},
		"no high-level part":       {h: text(hist(0), 0, ".walk_in_test.ordered"), index: 0, reason: ErrUnknownStatus},
		"no modality":              {h: text(hist(0), 0, "received..ordered"), index: 0, reason: ErrUnknownStatus},
		"no low-level part":        {h: text(hist(0), 0, "received.walk_in_test."), index: 0, reason: ErrUnknownStatus},
		"two parts":                {h: text(hist(0), 0, "received.walk_in_test"), index: 0, reason: ErrUnknownStatus},
		"four parts":               {h: text(hist(0), 0, "received.walk_in_test.ordered.x"), index: 0, reason: ErrUnknownStatus},
		"status before id": {h: text(withIDs(hist(Ordered, RequisitionCreated), 2, 1), 1, "x"), index: 1, from: Ordered,
			reason: ErrUnknownStatus},
		"id before step": {h: withIDs(hist(Ordered, Completed), 2, 1), index: 1, from: Ordered, to: Completed,
			reason: ErrIDNotIncreasing},
		"step before time": {h: withTimes(hist(Ordered, Completed), 2, 1), index: 1, from: Ordered, to: Completed,
			reason: ErrInvalidTransition},
		"first entry before time": {h: withTimes(hist(RequisitionCreated), 1), index: 0, to: RequisitionCreated,
			reason: ErrInvalidTransition},
	} {
		t.Run(name, func(t *testing.T) {
			orig := append([]HistoryEntry(nil), c.h...)
			steps, err := ValidateHistory(c.h)
			assert.Equal(t, orig, c.h, "ValidateHistory changed its input")
			require.ErrorIs(t, err, ErrInvalidHistory)
			require.ErrorIs(t, err, c.reason)
			var he *TransitionError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, c.index, he.Index)
			assert.Equal(t, c.from, he.From)
			assert.Equal(t, c.to, he.To)
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}
			for _, other := range []error{ErrInvalidTransition, ErrIDNotIncreasing, ErrOutOfOrder, ErrUnknownStatus, ErrNotPhlebotomy} {
				if other != c.reason {
					assert.NotErrorIs(t, err, other)
				}
			}
			if c.reason == ErrUnknownStatus {
				var pe *ParseError
				require.ErrorAs(t, err, &pe)
				want := c.h[c.index].StatusText
				if c.h[c.index].Status != 0 {
					want = c.h[c.index].Status.String()
				}
				assert.Equal(t, want, pe.Text)
			}
			require.Len(t, steps, c.index, "the steps before the fault")
			if c.index > 0 {
				assert.Equal(t, wantSteps(t, c.h[:c.index]), steps)
			}
		})
	}
}

func TestTransitionErrorMessage(t *testing.T) {
	assert.Equal(t, "order: invalid history: events[3]: history goes back in time",
		(&TransitionError{Index: 3, Err: ErrOutOfOrder}).Error())
	assert.Equal(t, []error{ErrInvalidHistory, ErrOutOfOrder}, (&TransitionError{Err: ErrOutOfOrder}).Unwrap())
	assert.Equal(t, []error{ErrInvalidTransition}, (&TransitionError{}).Unwrap())
	assert.Equal(t, "order: invalid history: events[1]: creation to ordered: boom",
		(&TransitionError{Index: 1, To: Ordered, Err: errors.New("boom")}).Error())
	assert.Equal(t, "order: invalid history: events[2]: completed to ordered: boom",
		(&TransitionError{Index: 2, From: Completed, To: Ordered, Err: errors.New("boom")}).Error())
	assert.Equal(t, "order: invalid transition: cancel from completed",
		(&TransitionError{From: Completed, Trigger: Cancel}).Error())
}

// walk draws a valid history from the expected table and the documented
// jumps: ordered first, then moves that the table or a jump allows, with ids
// that increase by random gaps and timestamps that never go backwards (some
// missing).
func walk(t *rapid.T, label string) []HistoryEntry {
	n := rapid.IntRange(1, 30).Draw(t, label+"_len")
	h := []HistoryEntry{{ID: rapid.Int64Range(-5, 5).Draw(t, label+"_id0"), CreatedAt: t0, Status: Ordered}}
	at := t0
	for len(h) < n {
		cur := h[len(h)-1].Status
		var next []Status
		for _, to := range expected[cur] {
			next = append(next, to)
		}
		for j := range jumpPaths {
			if j[0] == cur {
				next = append(next, j[1])
			}
		}
		if len(next) == 0 {
			break
		}
		next = sortStatuses(next)
		at = at.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, label+"_gap")) * time.Hour)
		e := HistoryEntry{
			ID:     h[len(h)-1].ID + rapid.Int64Range(1, 3).Draw(t, label+"_step"),
			Status: rapid.SampledFrom(next).Draw(t, label+"_next"),
		}
		if rapid.IntRange(0, 4).Draw(t, label+"_timed") > 0 {
			e.CreatedAt = at
		}
		h = append(h, e)
	}
	return h
}

// sortStatuses orders statuses so that draws do not depend on map order.
func sortStatuses(s []Status) []Status {
	out := make([]Status, 0, len(s))
	for _, st := range allStatuses {
		for _, x := range s {
			if x == st {
				out = append(out, st)
				break
			}
		}
	}
	return out
}

// TestValidateHistoryWalks checks that every walk of the table validates,
// with the steps worked out independently, jumps reported as jumps.
func TestValidateHistoryWalks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := walk(t, "h")
		steps, err := ValidateHistory(h)
		if err != nil {
			t.Fatalf("ValidateHistory(%v) = %v", h, err)
		}
		want := wantSteps(t, h)
		if !assert.ObjectsAreEqual(want, steps) {
			t.Fatalf("ValidateHistory(%v) = %+v, want %+v", h, steps, want)
		}
		for i, s := range steps {
			if _, isJump := jumpPaths[[2]Status{s.From, s.Entry.Status}]; isJump != s.Jump || (i > 0 && len(s.Transitions) == 0) {
				t.Fatalf("step %d = %+v", i, s)
			}
			prev := s.From
			for _, tr := range s.Transitions {
				if tr.From != prev {
					t.Fatalf("step %d: transitions do not chain: %+v", i, s.Transitions)
				}
				if next, err := Next(tr.From, tr.Trigger); err != nil || next != tr.To {
					t.Fatalf("step %d: %+v is not a transition of the table", i, tr)
				}
				prev = tr.To
			}
			if i > 0 && prev != s.Entry.Status {
				t.Fatalf("step %d: transitions end in %v, not %v", i, prev, s.Entry.Status)
			}
		}
	})
}

// TestValidateHistoryOneFault checks that a single fault put into a valid
// walk is reported at its index with its reason, whatever follows it.
func TestValidateHistoryOneFault(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := walk(t, "h")
		k := rapid.IntRange(0, len(h)-1).Draw(t, "k")
		prev := Status(0)
		if k > 0 {
			prev = h[k-1].Status
		}
		var reason error
		switch kind := rapid.IntRange(0, 3).Draw(t, "kind"); {
		case kind == 0 || k == 0:
			// A status that no step, repeat or jump reaches from prev.
			var bad []Status
			for _, s := range allStatuses {
				_, jump := jumpPaths[[2]Status{prev, s}]
				_, edge := stepEvent(prev, s)
				if !jump && !edge && !(k == 0 && s == Ordered) {
					bad = append(bad, s)
				}
			}
			h[k].Status = rapid.SampledFrom(bad).Draw(t, "bad")
			reason = ErrInvalidTransition
		case kind == 1:
			h[k].ID = h[k-1].ID - rapid.Int64Range(0, 2).Draw(t, "back")
			reason = ErrIDNotIncreasing
		case kind == 2:
			last := time.Time{}
			for _, e := range h[:k] {
				if !e.CreatedAt.IsZero() {
					last = e.CreatedAt
				}
			}
			if last.IsZero() {
				t.Skip("no timestamp before k")
			}
			h[k].CreatedAt = last.Add(-time.Duration(rapid.IntRange(1, 90).Draw(t, "minutes")) * time.Minute)
			reason = ErrOutOfOrder
		default:
			h[k].Status, h[k].StatusText = 0, rapid.SampledFrom([]string{"lost", "received.testkit.ordered"}).Draw(t, "text")
			reason = ErrUnknownStatus
			if h[k].StatusText != "lost" {
				reason = ErrNotPhlebotomy
			}
		}
		steps, err := ValidateHistory(h)
		var he *TransitionError
		if !errors.As(err, &he) || he.Index != k || !errors.Is(err, reason) || len(steps) != k {
			t.Fatalf("ValidateHistory(%v) = %d steps, %v; want %v at %d", h, len(steps), err, reason, k)
		}
	})
}

// stepEvent returns the event of the expected table from a to b.
func stepEvent(a, b Status) (Trigger, bool) {
	for ev, to := range expected[a] {
		if to == b {
			return ev, true
		}
	}
	return 0, false
}

func TestJumpsAreDerived(t *testing.T) {
	for j, want := range jumpPaths {
		got, ok := jump(j[0], j[1])
		require.True(t, ok, fmt.Sprint(j))
		assert.Equal(t, want, got)
	}
	_, ok := jump(AppointmentPending, AppointmentScheduled)
	assert.False(t, ok)
	_, ok = jump(RequisitionCreated, AppointmentPending)
	assert.False(t, ok)
}
