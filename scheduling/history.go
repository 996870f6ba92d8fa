package scheduling

import (
	"sync/atomic"

	"github.com/phlebkit/phlebkit/order"
)

// An order's history only grows, and the flows that descend from one
// another share the entries they have in common: a command appends its
// entries in the room after the history it was called on, when no other
// command has taken that room yet, instead of copying the history.
//
// The flow allocates a history with room after it and ends the room with
// a tag entry, which counts the entries in use (its ID, read and written
// atomically) and is marked by roomTag (its StatusText). A command on a
// history of n entries takes the next entry by moving the count from n to
// n+1, so that of two commands run on one flow, at once or one after the
// other, one takes the room and the other copies the history. A history
// without the tag, such as one the caller built or decoded, is never
// written beyond its length. Snapshots carry the history clipped to its
// length, so that appending to one copies it.

// roomTag is the StatusText of the entry that ends the room of a history
// the flow allocated.
const roomTag = "\x00room"

// historyRoom is the number of entries a flow's first history has room
// for: a lifecycle from ordered to completed with a reschedule.
const historyRoom = 8

// appendHistory returns h with e appended: in the room after h when that
// is still free, which it takes; otherwise in a copy with room after it.
func appendHistory(h []order.HistoryEntry, e order.HistoryEntry) []order.HistoryEntry {
	n := len(h)
	if c := cap(h); n < c-1 {
		all := h[:c]
		tag := &all[c-1]
		if tag.StatusText == roomTag && atomic.CompareAndSwapInt64(&tag.ID, int64(n), int64(n+1)) {
			all[n] = e
			return all[:n+1]
		}
	}
	room := max(2*(n+1), historyRoom)
	c := make([]order.HistoryEntry, n+1, room+1)
	copy(c, h)
	c[n] = e
	tag := &c[:room+1][room]
	tag.ID, tag.StatusText = int64(n+1), roomTag
	return c
}
