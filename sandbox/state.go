package sandbox

import (
	"container/heap"
	"slices"
	"time"

	"github.com/phlebkit/phlebkit/order"
)

// The server's bookkeeping, kept so that the cost of a request, a command
// or a step of the clock does not grow with the orders, keys and
// deliveries the server has seen, and so that its memory is bounded by
// what is live:
//
//   - every order's earliest timer is in a heap, pushed again each time
//     the order changes (entries left behind by a change are skipped when
//     they come up, and dropped when they outnumber the live ones);
//   - the orders of each user that have an active appointment are indexed,
//     for the one-active-appointment rule;
//   - booking keys are not stored (see [keyCodec]); those used up by a
//     booking or reschedule are, until they expire;
//   - finished orders beyond the retention limit, and the oldest entries of
//     the delivery log, are dropped ([WithRetention]);
//   - the results kept for idempotency keys are dropped after a day of
//     virtual time, or when too many are kept.

// timerItem is an order's earliest timer as it was when the order last
// changed: current while the order's version has not moved.
type timerItem struct {
	at      time.Time
	kind    timer
	e       *entry
	version uint64
}

// timerHeap orders timers earliest first, then by kind, then by the
// orders' creation.
type timerHeap []timerItem

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	a, b := &h[i], &h[j]
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.e.seq < b.e.seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timerItem)) }
func (h *timerHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = timerItem{}
	*h = old[:len(old)-1]
	return it
}

// current reports whether it is the order's timer as the order is now, and
// the order is still held.
func (it *timerItem) current() bool { return !it.e.removed && it.e.version == it.version }

// touch records that e changed: its timer and its place in the indexes
// are brought up to date by the next [Server.settle].
func (s *Server) touch(e *entry) {
	e.version++
	if !e.dirty {
		e.dirty = true
		s.dirty = append(s.dirty, e)
	}
}

// settle brings the timers and indexes of the orders that changed up to
// date, and drops the finished orders beyond the retention limit.
func (s *Server) settle() {
	for _, e := range s.dirty {
		e.dirty = false
		if at, k, ok := s.timer(e); ok {
			heap.Push(&s.timers, timerItem{at: at, kind: k, e: e, version: e.version})
		}
		s.index(e)
		if !e.finished && finished(e.flow.Status) {
			if _, active := e.flow.Active(); !active {
				e.finished = true
				s.finished = append(s.finished, e)
			}
		}
	}
	s.dirty = s.dirty[:0]
	for len(s.finished) > s.cfg.keepOrders {
		s.remove(s.finished[0])
		s.finished[0] = nil
		s.finished = s.finished[1:]
	}
	if len(s.timers) > 2*len(s.orders)+64 {
		s.timers = slices.DeleteFunc(s.timers, func(it timerItem) bool { return !it.current() })
		heap.Init(&s.timers)
	}
}

// finishedStatuses are the statuses of an order whose lifecycle is over:
// cancelled, failed, or with final results (which may still be
// corrected).
var finishedStatuses = []order.Status{order.Cancelled, order.SampleError, order.Completed, order.Corrected}

// finished reports whether an order in status st is finished.
func finished(st order.Status) bool { return slices.Contains(finishedStatuses, st) }

// index files e under its user when it has an active appointment, and
// takes it out otherwise.
func (s *Server) index(e *entry) {
	user := e.flow.UserID
	if _, active := e.flow.Active(); active {
		set := s.byUser[user]
		if set == nil {
			set = map[*entry]struct{}{}
			s.byUser[user] = set
		}
		set[e] = struct{}{}
		return
	}
	if set := s.byUser[user]; set != nil {
		delete(set, e)
		if len(set) == 0 {
			delete(s.byUser, user)
		}
	}
}

// remove forgets e: a finished order beyond the retention limit.
func (s *Server) remove(e *entry) {
	e.removed = true
	delete(s.orders, e.flow.ID)
	s.index(e)
}

// nextTimer returns the earliest current timer, dropping those left
// behind by changes.
func (s *Server) nextTimer() (timerItem, bool) {
	s.settle()
	for len(s.timers) > 0 {
		if it := s.timers[0]; it.current() {
			return it, true
		}
		heap.Pop(&s.timers)
	}
	return timerItem{}, false
}

// markUsed records a booking key used up by a booking or a reschedule,
// until it expires. Expired keys are dropped whenever the set has doubled
// since it was last cleaned, so that the cost is constant per key.
func (s *Server) markUsed(text string, expires time.Time) {
	s.used[text] = expires
	if len(s.used) < s.usedCleanAt {
		return
	}
	for k, exp := range s.used {
		if !exp.After(s.clock) {
			delete(s.used, k)
		}
	}
	s.usedCleanAt = max(2*len(s.used), minUsedClean)
}

// minUsedClean is the size of the set of used keys below which it is not
// cleaned.
const minUsedClean = 64

// Retention of idempotency keys (our decisions; Junction's documentation
// says it prunes keys at least 24 hours old).
const (
	idempotencyTTL  = 24 * time.Hour
	maxIdempotency  = 10_000
	maxIdempotencyK = 255 // longest key, in bytes
)

// idemResult is the answer saved for an idempotency key.
type idemResult struct {
	key    string
	at     time.Time
	status int
	body   []byte
}

// remember saves the answer to the first create-order request with key.
func (s *Server) remember(key string, status int, body []byte) {
	s.forgetIdempotency()
	if len(s.idem) >= maxIdempotency {
		s.dropOldestIdempotency()
	}
	r := &idemResult{key: key, at: s.clock, status: status, body: body}
	s.idem[key] = r
	s.idemQ = append(s.idemQ, r)
}

// recall returns the answer saved for key, if any.
func (s *Server) recall(key string) (*idemResult, bool) {
	s.forgetIdempotency()
	r, ok := s.idem[key]
	return r, ok
}

// forgetIdempotency drops the results older than [idempotencyTTL].
func (s *Server) forgetIdempotency() {
	for len(s.idemQ) > 0 && !s.idemQ[0].at.Add(idempotencyTTL).After(s.clock) {
		s.dropOldestIdempotency()
	}
}

func (s *Server) dropOldestIdempotency() {
	delete(s.idem, s.idemQ[0].key)
	s.idemQ[0] = nil
	s.idemQ = s.idemQ[1:]
}
