package scheduling

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/order"
)

// TestAppendHistory follows one history's room: taken by the first append
// on a history, refused to a second append on the same history, which
// copies; never the tag that ends the room; never the room of a history
// the caller built.
func TestAppendHistory(t *testing.T) {
	entry := func(id int64) order.HistoryEntry {
		return order.HistoryEntry{ID: id, CreatedAt: at(float64(id)), Status: order.Ordered}
	}
	tagOf := func(h []order.HistoryEntry) order.HistoryEntry { return h[:cap(h)][cap(h)-1] }

	h1 := appendHistory(nil, entry(1))
	require.Equal(t, []order.HistoryEntry{entry(1)}, h1)
	require.Equal(t, historyRoom+1, cap(h1), "room for a lifecycle and the tag")
	assert.Equal(t, order.HistoryEntry{ID: 1, StatusText: roomTag}, tagOf(h1))

	// The first append on h1 takes the room; a second, on h1 again, copies.
	h2 := appendHistory(h1, entry(2))
	assert.Equal(t, []order.HistoryEntry{entry(1), entry(2)}, h2)
	assert.Same(t, &h1[0], &h2[0])
	assert.Equal(t, int64(2), tagOf(h1).ID)
	other := appendHistory(h1, entry(3))
	assert.Equal(t, []order.HistoryEntry{entry(1), entry(3)}, other)
	assert.NotSame(t, &h1[0], &other[0])
	assert.Equal(t, []order.HistoryEntry{entry(1), entry(2)}, h2, "the copy left the first branch as it was")
	assert.Equal(t, historyRoom+1, cap(other))
	assert.Equal(t, order.HistoryEntry{ID: 2, StatusText: roomTag}, tagOf(other))

	// The room fills up to the tag, which stays.
	h := h2
	for id := int64(3); id <= historyRoom; id++ {
		next := appendHistory(h, entry(id))
		require.Same(t, &h[0], &next[0], "entry %d", id)
		h = next
	}
	require.Len(t, h, historyRoom)
	full := appendHistory(h, entry(historyRoom+1))
	assert.NotSame(t, &h[0], &full[0])
	assert.Equal(t, order.HistoryEntry{ID: historyRoom, StatusText: roomTag}, tagOf(h), "the tag is kept")
	assert.Equal(t, append(h[:len(h):len(h)], entry(historyRoom+1)), full)
	assert.Equal(t, 2*(historyRoom+1)+1, cap(full), "room doubles")

	// A history the caller built, with room after it.
	mine := make([]order.HistoryEntry, 1, 4)
	mine[0] = entry(1)
	got := appendHistory(mine, entry(2))
	assert.Equal(t, []order.HistoryEntry{entry(1), entry(2)}, got)
	assert.Equal(t, make([]order.HistoryEntry, 3), mine[1:4], "the caller's room is not written")
}
