package track

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"
	"weak"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// apply applies events in turn, failing the test on an error.
func apply(t *testing.T, o Tracked, events ...webhook.Event) Tracked {
	t.Helper()
	for _, e := range events {
		next, _, err := o.Apply(e)
		require.NoError(t, err, "Apply(%v)", e)
		o = next
	}
	return o
}

// roundTrip checks that o reads back equal from its stored form.
func roundTrip(t *testing.T, o Tracked) {
	t.Helper()
	b, err := json.Marshal(o)
	require.NoError(t, err)
	var back Tracked
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	assert.True(t, back.Equal(o))
}

// TestActive checks which appointment Active names when what has arrived
// shows several active ones (a stale snapshot of one cancelled since): the
// one created last, and of those created together the greatest id.
func TestActive(t *testing.T) {
	pending := func(id string, h float64) webhook.Event {
		return apptEvent("o1", id, 48, astep{appointment.Pending, h})
	}
	cancelled := apptEvent("o1", "a0", 48, astep{appointment.Pending, 0.5}, astep{appointment.Cancelled, 0.6})
	noHistory := webhook.Event{Type: webhook.AppointmentCreated, Appointment: &appointment.Appointment{ID: "a9", OrderID: "o1",
		Type: appointment.Phlebotomy, Status: appointment.Pending}}
	for _, c := range []struct {
		name   string
		events []webhook.Event
		want   string
	}{
		{"none", []webhook.Event{cancelled}, ""},
		{"after an inactive one", []webhook.Event{cancelled, pending("a1", 1)}, "a1"},
		{"created last", []webhook.Event{pending("a1", 1), pending("a2", 2), pending("a3", 1.5)}, "a2"},
		{"created last, lower id", []webhook.Event{pending("a1", 3), pending("a2", 2)}, "a1"},
		{"created together", []webhook.Event{pending("a2", 2), pending("a1", 2), pending("a3", 2), cancelled}, "a3"},
		{"without a history: created at no known time", []webhook.Event{noHistory, pending("a1", 1)}, "a1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, ok := apply(t, Tracked{}, c.events...).Active()
			assert.Equal(t, c.want != "", ok)
			assert.Equal(t, c.want, a.ID)
		})
	}
}

// TestEqual checks that a value that cannot be stored equals nothing.
func TestEqual(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	e := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1})
	e.Appointment.StartAt = far
	bad := apply(t, Tracked{}, e)
	good := apply(t, Tracked{}, apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}))
	assert.True(t, good.Equal(good))
	assert.False(t, bad.Equal(bad))
	assert.False(t, good.Equal(bad))
	assert.False(t, bad.Equal(good))
	_, err := bad.MarshalJSON()
	require.ErrorIs(t, err, ErrMalformed)
	require.ErrorIs(t, err, appointment.ErrMalformed)
	_, err = bad.Value()
	require.ErrorIs(t, err, ErrMalformed)

	o := orderEvent("o1", step{order.Ordered, 0, ""})
	o.Order.UpdatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = apply(t, Tracked{}, o).MarshalJSON()
	require.ErrorIs(t, err, ErrMalformed)
	te, ok := errors.AsType[*Error](err)
	require.True(t, ok)
	assert.Equal(t, Error{Op: "encode", OrderID: "o1", Path: "/order", Err: ErrMalformed, Cause: te.Cause}, *te)
}

// TestSameHistory checks snapshots whose history is the one held: an
// order snapshot updated later replaces the one held, without a change;
// one updated earlier, or a shorter one updated later, does not.
func TestSameHistory(t *testing.T) {
	steps := []step{{order.Ordered, 0, ""}, {order.RequisitionCreated, 1, ""}}
	held := apply(t, Tracked{}, orderEvent("o1", steps[:1]...), orderEvent("o1", steps...))

	later := orderEvent("o1", steps...)
	later.Order.UpdatedAt = at(5)
	later.Order.Notes = "updated"
	next, changes, err := held.Apply(later)
	require.NoError(t, err)
	assert.Empty(t, changes)
	snap, _ := next.Snapshot()
	assert.Equal(t, "updated", snap.Notes)
	assert.Len(t, next.points, 2, "no point added twice")
	roundTrip(t, next)

	earlier := orderEvent("o1", steps...)
	earlier.Order.UpdatedAt = at(0.5)
	earlier.Order.Notes = "earlier"
	again, changes, err := next.Apply(earlier)
	require.NoError(t, err)
	assert.Empty(t, changes)
	assert.True(t, again.Equal(next))

	shorter := orderEvent("o1", steps[:1]...)
	shorter.Order.UpdatedAt = at(9)
	again, changes, err = next.Apply(shorter)
	require.NoError(t, err)
	assert.Empty(t, changes)
	assert.True(t, again.Equal(next))

	// An appointment snapshot with the history held keeps the one held.
	a := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1})
	withA := apply(t, next, a)
	moved := apptEvent("o1", "a1", 72, astep{appointment.Pending, 1})
	again, changes, err = withA.Apply(moved)
	require.NoError(t, err)
	assert.Empty(t, changes)
	assert.True(t, again.Equal(withA))
}

// TestEmptyHistory checks snapshots that carry no history yet.
func TestEmptyHistory(t *testing.T) {
	e := webhook.Event{Type: webhook.OrderCreated, Order: &order.Order{ID: "o1", UpdatedAt: at(1),
		Details: order.Details{Type: order.ModalityAtHomePhlebotomy}}}
	o, changes, err := Tracked{}.Apply(e)
	require.NoError(t, err)
	assert.Empty(t, changes)
	_, ok := o.Snapshot()
	assert.True(t, ok)
	assert.Empty(t, o.points)
	roundTrip(t, o)
	_, changes, err = o.Apply(e)
	require.NoError(t, err)
	assert.Nil(t, changes)
}

// TestDivergingShorter checks a snapshot no longer than the one held that
// rewrites its past: a conflict, not a stale snapshot.
func TestDivergingShorter(t *testing.T) {
	held := apply(t, Tracked{}, apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Confirmed, 2}))
	_, _, err := held.Apply(apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Cancelled, 2}))
	require.ErrorIs(t, err, ErrConflict)
	_, _, err = held.Apply(apptEvent("o1", "a1", 48, astep{appointment.Reserved, 1}))
	require.ErrorIs(t, err, ErrConflict)
}

// TestRescheduledFirst checks a reschedule at the second entry of a
// history that starts confirmed, as Junction's example does.
func TestRescheduledFirst(t *testing.T) {
	o := apply(t, Tracked{}, apptEvent("o1", "a1", 48, astep{appointment.Confirmed, 1}))
	_, changes, err := o.Apply(apptEvent("o1", "a1", 72, astep{appointment.Confirmed, 1}, astep{appointment.Confirmed, 2}))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"2026-11-23T11:00:00Z appointment a1 confirmed rescheduled",
		"2026-11-23T11:00:00Z appointment a1 moved from 2026-11-25T09:00:00Z/2026-11-25T11:00:00Z to 2026-11-26T09:00:00Z/2026-11-26T11:00:00Z",
	}, lines(changes))
}

// TestStoredWithoutID checks stored forms whose snapshots have no order id.
func TestStoredWithoutID(t *testing.T) {
	o := orderEvent("", step{order.Ordered, 0, ""}).Order
	a := apptEvent("", "a1", 48, astep{appointment.Pending, 1}).Appointment
	for name, doc := range map[string]string{
		"order":       `{"id":"","order":` + mustJSON(t, o) + `}`,
		"appointment": `{"id":"","appointments":[{"appointment":` + mustJSON(t, a) + `,"slots":[{"events":1}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			var v Tracked
			require.ErrorIs(t, v.UnmarshalJSON([]byte(doc)), ErrMalformed)
		})
	}
}

// TestEncodedSnapshotsGo: the JSON kept for the snapshots of values no
// longer reachable goes with them.
func TestEncodedSnapshotsGo(t *testing.T) {
	type entry struct {
		key uintptr // the snapshot's address: it keeps nothing alive
		s   *snapshotJSON
	}
	var entries []entry
	func() {
		for i := range 50 {
			o := apply(t, Tracked{}, orderEvent(fmt.Sprint("gone-", i), step{order.Ordered, 0, ""}),
				apptEvent(fmt.Sprint("gone-", i), "a1", 48, astep{appointment.Pending, 1}))
			_, err := o.MarshalJSON()
			require.NoError(t, err)
			for _, k := range []uintptr{uintptr(unsafe.Pointer(o.snap)), uintptr(unsafe.Pointer(o.appts[0].snap))} {
				s, ok := encodedSnapshots.Load(k)
				require.True(t, ok, "kept while the value is")
				entries = append(entries, entry{k, s.(*snapshotJSON)})
			}
		}
	}()
	kept := func() int {
		n := 0
		for _, e := range entries {
			if s, ok := encodedSnapshots.Load(e.key); ok && s == e.s {
				n++
			}
		}
		return n
	}
	for range 1000 {
		if kept() == 0 {
			return
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the JSON of %d snapshots no longer reachable is kept", kept())
}

// TestEncodedAddressReused: the entry of a snapshot gone is not taken for
// that of another snapshot at the same address, which is encoded and
// replaces it; one encoded meanwhile is returned as it is.
func TestEncodedAddressReused(t *testing.T) {
	o, _ := run(t, booked())
	p := o.snap
	k := uintptr(unsafe.Pointer(p))
	encodedSnapshots.Delete(k)
	gone := new(order.Order)
	stale := &snapshotJSON{of: weak.Make(gone), json: []byte(`"stale"`)}
	runtime.KeepAlive(gone)
	runtime.GC() // gone is unreachable: its weak pointer is now nil
	require.Nil(t, stale.of.(weak.Pointer[order.Order]).Value())
	encodedSnapshots.Store(k, stale)
	s, err := encoded(p)
	require.NoError(t, err)
	want, err := jsonv2.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(s.json))
	got, _ := encodedSnapshots.Load(k)
	assert.Same(t, s, got, "the stale entry replaced")
	again, err := encoded(p)
	require.NoError(t, err)
	assert.Same(t, s, again, "encoded once")

	// The entry of a snapshot of the other type that was at the address.
	encodedSnapshots.Store(k, &snapshotJSON{of: weak.Make(&appointment.Appointment{}), json: []byte(`"other"`)})
	s, err = encoded(p)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(s.json))

	// Another snapshot's entry at a key where none was: stored, not replaced.
	q := new(order.Order)
	*q = *p
	kq := uintptr(unsafe.Pointer(q))
	encodedSnapshots.Delete(kq)
	first, err := encoded(q)
	require.NoError(t, err)
	second, err := encoded(q)
	require.NoError(t, err)
	assert.Same(t, first, second)
	runtime.KeepAlive(q)
}

// TestMarshalJSONAllocates: MarshalJSON writes the stored form into a
// buffer kept for reuse, and allocates it once, at its size, besides the
// lists of the snapshots' JSON and of each appointment's slots.
func TestMarshalJSONAllocates(t *testing.T) {
	o, _ := run(t, booked())
	want, err := o.MarshalJSON() // encodes the snapshots, once
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		got, err := o.MarshalJSON()
		if err != nil || string(got) != string(want) {
			t.Fatalf("MarshalJSON: %s, %v", got, err)
		}
	})
	t.Logf("%.1f allocations", allocs)
	if !raceEnabled {
		assert.LessOrEqual(t, allocs, 2.0)
	}
}

// TestMarshalSnapshot: a snapshot's JSON is what json.Marshal writes,
// written through its MarshalJSON, which allocates only the bytes; an
// error is json.Marshal's, with the path of the fault.
func TestMarshalSnapshot(t *testing.T) {
	o, _ := run(t, booked())
	require.NotEmpty(t, o.appts)
	for _, p := range []any{o.snap, o.appts[0].snap} {
		want, err := jsonv2.Marshal(p)
		require.NoError(t, err)
		got, err := marshalSnapshot(p)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
		allocs := testing.AllocsPerRun(100, func() { _, _ = marshalSnapshot(p) })
		if !raceEnabled {
			assert.LessOrEqual(t, allocs, 1.0, "allocations of %T", p)
		}
	}
	bad := *o.snap
	bad.History = append([]order.HistoryEntry(nil), bad.History...)
	bad.History[1].Status = 200
	_, want := jsonv2.Marshal(&bad)
	require.Error(t, want)
	_, err := marshalSnapshot(&bad)
	assert.Equal(t, want, err)
	var de *order.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/events/1/status", de.Path)
}

// TestAppendJSON: AppendJSON appends what MarshalJSON returns, and on
// error returns the buffer as it was, with MarshalJSON's error.
func TestAppendJSON(t *testing.T) {
	o, _ := run(t, booked())
	want, err := o.MarshalJSON()
	require.NoError(t, err)
	got, err := o.AppendJSON([]byte("prefix"))
	require.NoError(t, err)
	assert.Equal(t, "prefix"+string(want), string(got))
	got, err = o.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	e := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1})
	e.Appointment.StartAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	bad := apply(t, Tracked{}, e)
	_, want2 := bad.MarshalJSON()
	buf := make([]byte, 3, 64)
	copy(buf, "abc")
	got, err = bad.AppendJSON(buf)
	assert.Equal(t, want2, err)
	require.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, "abc", string(got))
	assert.Equal(t, 64, cap(got), "the buffer given back")
}

// TestAppendSlots: the slots are written as json.Marshal writes their
// storedSlot, and left to it (which refuses them) exactly when a time is
// one RFC 3339 cannot hold.
func TestAppendSlots(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		when := func(label string) time.Time {
			if rapid.Bool().Draw(t, label+" zero") {
				return time.Time{}
			}
			offset := rapid.OneOf(rapid.IntRange(-25*3600, 25*3600), rapid.SampledFrom([]int{-24 * 3600, 24 * 3600, -24*3600 + 1, 24*3600 - 1, 0})).Draw(t, label+" offset")
			return time.Date(rapid.OneOf(rapid.IntRange(-2, 10001), rapid.SampledFrom([]int{-1, 0, 9999, 10000})).Draw(t, label+" year"), time.Month(rapid.IntRange(1, 12).Draw(t, label+" month")),
				rapid.IntRange(1, 28).Draw(t, label+" day"), rapid.IntRange(0, 23).Draw(t, label+" hour"), rapid.IntRange(0, 59).Draw(t, label+" minute"),
				rapid.IntRange(0, 59).Draw(t, label+" second"), rapid.SampledFrom([]int{0, 1, 500_000_000, 123_456_789}).Draw(t, label+" nanosecond"),
				rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("", offset)}).Draw(t, label+" zone"))
		}
		var slots []slotPoint
		var stored []storedSlot
		for i := range rapid.IntRange(0, 3).Draw(t, "slots") {
			sl := slotPoint{n: rapid.IntRange(-2, 1000).Draw(t, fmt.Sprintf("events %d", i)), slot: Slot{Start: when(fmt.Sprintf("start %d", i)), End: when(fmt.Sprintf("end %d", i))}}
			slots = append(slots, sl)
			stored = append(stored, storedSlot{Events: sl.n, StartAt: sl.slot.Start, EndAt: sl.slot.End})
		}
		want, err := jsonv2.Marshal(stored)
		got, ok := appendSlots([]byte("x"), slots)
		if ok != (err == nil) {
			t.Fatalf("appendSlots reports %v, json.Marshal %v", ok, err)
		}
		if ok && string(got) != "x"+string(want) {
			t.Fatalf("appendSlots wrote %s, json.Marshal %s", got, want)
		}
	})
}

// TestMarshalJSONBadSlot: a slot RFC 3339 cannot hold is refused, named by
// its JSON Pointer.
func TestMarshalJSONBadSlot(t *testing.T) {
	for name, at := range map[string]time.Time{
		"year":   time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"offset": time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	} {
		o, _ := run(t, booked())
		o.appts[0].slots = append([]slotPoint(nil), o.appts[0].slots...)
		o.appts[0].slots[1].slot.End = at
		_, err := o.MarshalJSON()
		var e *Error
		require.ErrorAs(t, err, &e, name)
		assert.ErrorIs(t, err, ErrMalformed, name)
		assert.Equal(t, "/appointments/0/slots/1/end_at", e.Path, name)
	}
}

// TestEncodedConcurrently: goroutines encoding one snapshot at once, over
// no entry or the entry of a snapshot gone, all get the one kept.
func TestEncodedConcurrently(t *testing.T) {
	o, _ := run(t, booked())
	gone := new(order.Order)
	stale := &snapshotJSON{of: weak.Make(gone), json: []byte(`"stale"`)}
	runtime.KeepAlive(gone)
	runtime.GC()
	for i := range 200 {
		q := new(order.Order)
		*q = *o.snap
		k := uintptr(unsafe.Pointer(q))
		if i%2 == 0 {
			encodedSnapshots.Store(k, stale)
		}
		start := make(chan struct{})
		got := make([]*snapshotJSON, 4)
		var wg sync.WaitGroup
		for g := range got {
			wg.Go(func() {
				<-start
				s, err := encoded(q)
				if err == nil {
					got[g] = s
				}
			})
		}
		close(start)
		wg.Wait()
		kept, _ := encodedSnapshots.Load(k)
		for g, s := range got {
			require.Same(t, kept, s, "goroutine %d of round %d", g, i)
		}
		runtime.KeepAlive(q)
	}
}

// TestKeep: keep stores an entry where none is, returns the snapshot's own
// entry where one is, and replaces an entry of a snapshot gone, of either
// type; an entry it stores goes with its snapshot.
func TestKeep(t *testing.T) {
	o, _ := run(t, booked())
	dead := func() *snapshotJSON {
		gone := new(order.Order)
		s := &snapshotJSON{of: weak.Make(gone), json: []byte(`"gone"`)}
		runtime.KeepAlive(gone)
		runtime.GC()
		return s
	}()
	require.Nil(t, dead.of.(weak.Pointer[order.Order]).Value())
	other := &snapshotJSON{of: weak.Make(&appointment.Appointment{}), json: []byte(`"other"`)}

	var kept []uintptr // keys whose entry must go with their snapshot
	var mine []*snapshotJSON
	for _, c := range []struct {
		name   string
		before func(p *order.Order) *snapshotJSON // the entry at p's address before, nil for none
		wantIt bool                               // whether keep returns that entry
	}{
		{"none", func(*order.Order) *snapshotJSON { return nil }, false},
		{"the snapshot's own", func(p *order.Order) *snapshotJSON { return &snapshotJSON{of: weak.Make(p)} }, true},
		{"a snapshot gone", func(*order.Order) *snapshotJSON { return dead }, false},
		{"another type's", func(*order.Order) *snapshotJSON { return other }, false},
	} {
		p := new(order.Order)
		*p = *o.snap
		k := uintptr(unsafe.Pointer(p))
		before := c.before(p)
		if before != nil {
			encodedSnapshots.Store(k, before)
		} else {
			encodedSnapshots.Delete(k)
		}
		s := &snapshotJSON{of: weak.Make(p), json: []byte(`"new"`)}
		got := keep(k, p, s)
		now, _ := encodedSnapshots.Load(k)
		if c.wantIt {
			assert.Same(t, before, got, c.name)
		} else {
			assert.Same(t, s, got, c.name)
			kept, mine = append(kept, k), append(mine, s)
		}
		assert.Same(t, got, now, "%s: what is returned is what is stored", c.name)
		runtime.KeepAlive(p)
	}
	for range 1000 {
		left := 0
		for i, k := range kept {
			if v, ok := encodedSnapshots.Load(k); ok && v == mine[i] {
				left++
			}
		}
		if left == 0 {
			return
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	t.Fatal("an entry keep stored outlived its snapshot")
}

// TestAppendTime: a slot's time is written in its own zone, as json.Marshal
// writes it, for any offset under 24 hours; a year of other than four
// digits, and an offset of 24 hours or more, are left to json.Marshal.
func TestAppendTime(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	for _, off := range []int{0, -5 * 3600, -(24*3600 - 60), 24*3600 - 60, 3600 + 1800} {
		tm := at.In(time.FixedZone("", off))
		got, ok := appendTime([]byte("x"), `,"t":`, tm)
		require.True(t, ok, "offset %d", off)
		want, err := jsonv2.Marshal(tm)
		require.NoError(t, err)
		assert.Equal(t, `x,"t":`+string(want), string(got))
	}
	for _, tm := range []time.Time{at.In(time.FixedZone("", 24*3600)), at.In(time.FixedZone("", -24*3600)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, ok := appendTime(nil, `,"t":`, tm)
		assert.False(t, ok, "%v", tm)
		_, err := jsonv2.Marshal(tm)
		assert.Error(t, err, "json.Marshal refuses %v too", tm)
	}
	got, ok := appendTime([]byte("x"), `,"t":`, time.Time{})
	assert.True(t, ok)
	assert.Equal(t, "x", string(got), "a zero time is left out")
}
