package scheduling

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// Histories only grow, and the flows that descend from one another share
// the entries they have in common: a command appends its entries in the
// room after the history it was called on, when no other command has
// taken that room yet, instead of copying the history. This holds for the
// order's history and for each appointment's.
//
// The flow allocates a history with room after it and ends the room with
// a tag entry, which counts the entries in use and is marked by roomTag
// (its StatusText in an order's history, its Status in an appointment's).
// A command on a history of n entries takes the next entry by moving the
// count from n to n+1, so that of two commands run on one flow, at once or
// one after the other, one takes the room and the other copies the
// history. A history without the tag, such as one the caller built or
// decoded, is never written beyond its length. Snapshots carry the history
// clipped to its length, so that appending to one copies it.

// roomTag marks the entry that ends the room of a history the flow
// allocated.
const roomTag = "\x00room"

// historyRoom is the number of entries a flow's first order history has
// room for: a lifecycle from ordered to completed with a reschedule.
const historyRoom = 8

// apptRoom is the number of entries an appointment's first history has
// room for: pending, reserved, confirmed, a reschedule, in progress and
// completed.
const apptRoom = 6

// appendRoom returns h with e appended: in the room after h when claim
// takes it from the tag, the room's last entry; otherwise in a copy with
// room for at least size entries, whose tag mark sets.
func appendRoom[E any](h []E, e E, size int, claim func(tag *E, n int) bool, mark func(tag *E, n int)) []E {
	n := len(h)
	if c := cap(h); n < c-1 {
		all := h[:c]
		if claim(&all[c-1], n) {
			all[n] = e
			return all[:n+1]
		}
	}
	room := max(2*(n+1), size)
	c := make([]E, n+1, room+1)
	copy(c, h)
	c[n] = e
	mark(&c[:room+1][room], n+1)
	return c
}

// appendHistory returns the order history h with e appended. The tag
// counts the entries in its ID, read and written atomically.
func appendHistory(h []order.HistoryEntry, e order.HistoryEntry) []order.HistoryEntry {
	return appendRoom(h, e, historyRoom, claimOrder, markOrder)
}

func claimOrder(tag *order.HistoryEntry, n int) bool {
	return tag.StatusText == roomTag && atomic.CompareAndSwapInt64(&tag.ID, int64(n), int64(n+1))
}

func markOrder(tag *order.HistoryEntry, n int) { tag.ID, tag.StatusText = int64(n), roomTag }

// apptRooms guards the tags of appointment histories, whose entries have
// no field that atomics can hold: the tag counts the entries in its
// CreatedAt, as seconds since 1970.
var apptRooms sync.Mutex

// appendApptHistory returns the appointment history h with e appended.
func appendApptHistory(h []appointment.HistoryEntry, e appointment.HistoryEntry) []appointment.HistoryEntry {
	return appendRoom(h, e, apptRoom, claimAppt, markAppt)
}

func claimAppt(tag *appointment.HistoryEntry, n int) bool {
	apptRooms.Lock()
	defer apptRooms.Unlock()
	if tag.Status != roomTag || tag.CreatedAt.Unix() != int64(n) {
		return false
	}
	tag.CreatedAt = time.Unix(int64(n+1), 0)
	return true
}

func markAppt(tag *appointment.HistoryEntry, n int) {
	tag.CreatedAt, tag.Status = time.Unix(int64(n), 0), roomTag
}
