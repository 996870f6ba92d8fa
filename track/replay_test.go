package track

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
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

// TestStoredJSONv2 checks the stored form through JSON v2, alone and as a
// member, and through a database column: each reads back the same value,
// and a repeated member is refused.
func TestStoredJSONv2(t *testing.T) {
	o, _ := run(t, booked())
	type row struct {
		Order Tracked `json:"order"`
	}
	b, err := jsonv2.Marshal(row{Order: o})
	require.NoError(t, err)
	var back row
	require.NoError(t, jsonv2.Unmarshal(b, &back))
	assert.True(t, reflect.DeepEqual(o, back.Order), "JSON v2 round trip")

	v, err := o.Value()
	require.NoError(t, err)
	var scanned Tracked
	require.NoError(t, scanned.Scan(v))
	assert.True(t, reflect.DeepEqual(o, scanned), "database round trip")
	again, err := scanned.Value()
	require.NoError(t, err)
	assert.Equal(t, v, again, "the stored form is stable")

	doc := v.([]byte)
	repeated := append([]byte(`{"id":"o1",`), doc[1:]...)
	err = scanned.Scan(repeated)
	require.ErrorIs(t, err, ErrMalformed)
	e, ok := errors.AsType[*Error](err)
	require.True(t, ok)
	assert.Equal(t, Error{Op: "decode", OrderID: "o1", Path: "/id", Err: ErrMalformed, Cause: e.Cause}, *e)
	assert.True(t, reflect.DeepEqual(o, scanned), "unchanged on error")

	for _, c := range []struct {
		src  any
		want string
	}{
		{nil, "track: malformed stored order: scan: NULL"},
		{42, "track: malformed stored order: scan: a int"},
	} {
		assert.EqualError(t, scanned.Scan(c.src), c.want)
	}
	assert.Equal(t, "track: error", (&Error{}).Error())
	assert.Equal(t, []error{ErrOtherOrder, ErrInvalidEvent}, (&Error{Err: ErrOtherOrder}).Unwrap())
}

// TestReplayedAtOnce checks order snapshots of one history updated at the
// same time that name different appointments: the one naming the greater
// id is kept, whichever arrives first.
func TestReplayedAtOnce(t *testing.T) {
	a1 := orderEvent("o1", step{order.Ordered, 0, "a1"})
	a2 := orderEvent("o1", step{order.Ordered, 0, "a2"})
	for _, events := range [][]webhook.Event{{a1, a2}, {a2, a1}} {
		o, _ := run(t, events)
		snap, _ := o.Snapshot()
		assert.Equal(t, "a2", snap.AppointmentID())
		assert.Len(t, o.points, 2, "a point for each appointment named")
	}
}

// TestErrorMessage checks the parts of an Error's message.
func TestErrorMessage(t *testing.T) {
	for _, c := range []struct {
		err  Error
		want string
	}{
		{Error{Op: "apply", OrderID: "o1", Path: "/data/events", Err: ErrInvalidEvent, Cause: errors.New("order: bad")},
			`track: invalid event: apply order "o1" at /data/events: order: bad`},
		{Error{Op: "scan", Reason: "NULL", Err: ErrMalformed}, `track: malformed stored order: scan: NULL`},
		{Error{Op: "decode", Path: "/id", Err: ErrMalformed}, `track: malformed stored order: decode at /id`},
		{Error{Reason: "x", Err: ErrContention}, `track: too much contention: x`},
	} {
		assert.EqualError(t, &c.err, c.want)
	}
}
