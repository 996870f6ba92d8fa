package track

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// permutations returns every ordering of 0…n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := range n {
			out = append(out, slices.Insert(slices.Clone(p), i, n-1))
		}
	}
	return out
}

// TestReplayedSnapshot checks order snapshots with the same history that
// name different appointments, as a replay of an order's events sends: an
// appointment booked before the requisition, then the order replayed with
// its first history and the appointment, then its requisition. Every
// arrival order gives the same value, the same stored form and the same
// changes, among them the appointment becoming active at the requisition.
func TestReplayedSnapshot(t *testing.T) {
	replay := orderEvent("o1", step{order.Ordered, 0, "a1"})
	replay.Order.UpdatedAt = at(0.7)
	events := []webhook.Event{
		orderEvent("o1", step{order.Ordered, 0, ""}),
		apptEvent("o1", "a1", 48, astep{appointment.Pending, 0.5}),
		apptEvent("o1", "a1", 48, astep{appointment.Pending, 0.5}, astep{appointment.Reserved, 0.6}),
		replay,
		orderEvent("o1", step{order.Ordered, 0, "a1"}, step{order.RequisitionCreated, 1, "a1"}),
	}
	want, wantChanges := run(t, events)
	assert.Contains(t, lines(wantChanges), "2026-11-23T10:00:00Z order o1 #101 active appointment none -> a1")
	wantJSON, err := want.MarshalJSON()
	require.NoError(t, err)
	var back Tracked
	require.NoError(t, back.UnmarshalJSON(wantJSON))
	assert.True(t, reflect.DeepEqual(want, back), "round trip of %s", wantJSON)
	for _, p := range permutations(len(events)) {
		deliveries := make([]webhook.Event, len(p))
		for i, k := range p {
			deliveries[i] = events[k]
		}
		got, changes := run(t, deliveries)
		gotJSON, err := got.MarshalJSON()
		require.NoError(t, err)
		require.JSONEq(t, string(wantJSON), string(gotJSON), "delivered %v: stored form", p)
		require.True(t, got.Equal(want), "delivered %v", p)
		require.ElementsMatch(t, lines(wantChanges), lines(changes), "delivered %v: changes", p)
	}
}
