package scheduling

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// TestAppendHistory follows the room of an order's history and of an
// appointment's: taken by the first append on a history, refused to a
// second append on the same history, which copies; never the tag that
// ends the room; never the room of a history the caller built.
func TestAppendHistory(t *testing.T) {
	t.Run("order", func(t *testing.T) {
		testRoom(t, appendHistory, historyRoom,
			func(n int) order.HistoryEntry {
				return order.HistoryEntry{ID: int64(n), CreatedAt: at(float64(n)), Status: order.Ordered}
			},
			func(n int) order.HistoryEntry { return order.HistoryEntry{ID: int64(n), StatusText: roomTag} },
			func(n int) order.HistoryEntry { return order.HistoryEntry{ID: int64(n)} })
	})
	t.Run("appointment", func(t *testing.T) {
		testRoom(t, appendApptHistory, apptRoom,
			func(n int) appointment.HistoryEntry {
				return appointment.HistoryEntry{CreatedAt: at(float64(n)), Status: "scheduled", Data: []byte{byte(n)}}
			},
			func(n int) appointment.HistoryEntry {
				return appointment.HistoryEntry{CreatedAt: time.Unix(int64(n), 0), Status: roomTag}
			},
			func(n int) appointment.HistoryEntry {
				return appointment.HistoryEntry{CreatedAt: time.Unix(int64(n), 0)}
			})
	})
}

// testRoom checks appendRoom as add, whose first history has room for
// size entries, with entry(n) the nth entry of a history, tag(n) the tag
// of a room with n entries in use and counted(n) an entry that counts n
// as a tag does but lacks its mark.
func testRoom[E any](t *testing.T, add func([]E, E) []E, size int, entry, tag, counted func(n int) E) {
	tagOf := func(h []E) E { return h[:cap(h)][cap(h)-1] }

	h1 := add(nil, entry(1))
	require.Equal(t, []E{entry(1)}, h1)
	require.Equal(t, size+1, cap(h1), "room for a lifecycle and the tag")
	assert.Equal(t, tag(1), tagOf(h1))

	// The first append on h1 takes the room; a second, on h1 again, copies.
	h2 := add(h1, entry(2))
	assert.Equal(t, []E{entry(1), entry(2)}, h2)
	assert.Same(t, &h1[0], &h2[0])
	assert.Equal(t, tag(2), tagOf(h1))
	other := add(h1, entry(3))
	assert.Equal(t, []E{entry(1), entry(3)}, other)
	assert.NotSame(t, &h1[0], &other[0])
	assert.Equal(t, []E{entry(1), entry(2)}, h2, "the copy left the first branch as it was")
	assert.Equal(t, size+1, cap(other))
	assert.Equal(t, tag(2), tagOf(other))

	// The room fills up to the tag, which stays.
	h := h2
	for n := 3; n <= size; n++ {
		next := add(h, entry(n))
		require.Same(t, &h[0], &next[0], "entry %d", n)
		h = next
	}
	require.Len(t, h, size)
	full := add(h, entry(size+1))
	assert.NotSame(t, &h[0], &full[0])
	assert.Equal(t, tag(size), tagOf(h), "the tag is kept")
	assert.Equal(t, append(h[:len(h):len(h)], entry(size+1)), full)
	assert.Equal(t, 2*(size+1)+1, cap(full), "room doubles")
	assert.Equal(t, tag(size+1), tagOf(full))

	// A history the caller built, with room after it.
	mine := make([]E, 1, 4)
	mine[0] = entry(1)
	got := add(mine, entry(2))
	assert.Equal(t, []E{entry(1), entry(2)}, got)
	assert.Equal(t, make([]E, 3), mine[1:4], "the caller's room is not written")

	// One whose last entry counts its entries as a tag would.
	mine = make([]E, 1, 4)
	mine[0] = entry(1)
	mine[:4][3] = counted(1)
	got = add(mine, entry(2))
	assert.Equal(t, []E{entry(1), entry(2)}, got)
	assert.Equal(t, []E{*new(E), *new(E), counted(1)}, mine[1:4], "the caller's room is not written")
}

// TestHandedOutHistoriesAreClipped checks that the appointment histories
// a flow hands out, with room after them in the flow, come clipped to
// their length: appending to one leaves the room to the flow's next
// command.
func TestHandedOutHistoriesAreClipped(t *testing.T) {
	o, hooks := must(t)(place(beta).Book(book(72), at(1)))
	h := o.Appointments[0].History
	require.Greater(t, cap(h), len(h), "the flow keeps the room")
	a, ok := o.Active()
	require.True(t, ok)
	assert.Len(t, a.History, len(h))
	assert.Equal(t, len(a.History), cap(a.History), "Active")
	for _, w := range hooks {
		if e := w.Event(); e.Appointment != nil {
			assert.Equal(t, len(e.Appointment.History), cap(e.Appointment.History), "%s %s", w.ID, w.Type)
			e.Appointment.History = append(e.Appointment.History, appointment.HistoryEntry{Status: "x"})
		}
	}
	a.History = append(a.History, appointment.HistoryEntry{Status: "x"})
	next, _ := must(t)(o.CreateRequisition(at(2)))
	got := next.Appointments[0].History
	assert.Same(t, &h[0], &got[0], "the command took the room")
	assert.Equal(t, "scheduled", got[len(got)-1].Status)
}
