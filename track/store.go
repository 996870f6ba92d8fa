package track

import (
	"context"
	"strconv"
	"sync"

	"github.com/phlebkit/phlebkit/webhook"
)

// Store keeps one [Tracked] per order id, with a version that changes on each
// write: what [Record] needs to apply events with compare-and-swap, so that
// several receivers sharing it converge. [MemoryStore] is one in memory;
// package [github.com/phlebkit/phlebkit/track/tracksql] is one in a
// database, which also keeps the changes in the same transaction as the
// value, and should be preferred to writing one.
//
// A table with the order id as its key, a column for the Tracked (it is a
// [driver.Valuer] and a [database/sql.Scanner]) and a version column
// implements it with three statements, the first write of an order being
// an insert:
//
//	Load:                SELECT value, version FROM orders WHERE id = $1
//	                     (no row: the zero Tracked and version 0)
//	Swap, version 0:     INSERT INTO orders (id, value, version) VALUES ($1, $3, 1)
//	                     ON CONFLICT (id) DO NOTHING
//	Swap, version above: UPDATE orders SET value = $3, version = version + 1
//	                     WHERE id = $1 AND version = $2
//
// Swap reports whether its statement wrote a row.
type Store interface {
	// Load returns the order's value and its version, or the zero Tracked
	// and version 0 when the store has none.
	Load(ctx context.Context, orderID string) (Tracked, int64, error)
	// Swap stores next as the order's value if its version is still
	// version, and reports whether it did. At version 0 the store has no
	// value for the order yet: Swap adds it, unless another writer added
	// one first.
	Swap(ctx context.Context, orderID string, version int64, next Tracked) (bool, error)
}

// maxAttempts bounds how often Record retries a lost compare-and-swap.
const maxAttempts = 100

// Record applies e to the order's value in s, retrying when another writer
// got there first, and returns the changes e revealed. Whichever receivers
// record a set of events, in whatever order, each change is returned by
// exactly one Record call. An event that reveals nothing writes nothing.
//
// Record returns the changes once the new value is stored: a process that
// stops before acting on them loses them. Where that matters, use
// [github.com/phlebkit/phlebkit/track/tracksql], which stores the changes
// in the same transaction as the value.
//
// Errors: the store's own; Apply's (wrapping [ErrInvalidEvent]);
// [ErrContention] after 100 swaps in a row lost to other writers; and
// [ErrBrokenStore] when the store refuses a swap at the very version it
// still reports, which no other writer explains (such as a Swap at version
// 0 that does not insert).
func Record(ctx context.Context, s Store, e webhook.Event) ([]Change, error) {
	id := e.OrderID()
	lost := int64(-1) // the version of the last swap lost
	for range maxAttempts {
		held, version, err := s.Load(ctx, id)
		if err != nil {
			return nil, err
		}
		if version == lost {
			return nil, &Error{Op: "record", OrderID: id,
				Reason: "Swap refused version " + strconv.FormatInt(version, 10) + ", which Load still returns", Err: ErrBrokenStore}
		}
		next, changes, changed, err := held.apply(&e)
		if err != nil || !changed {
			return nil, err
		}
		ok, err := s.Swap(ctx, id, version, next)
		if err != nil {
			return nil, err
		}
		if ok {
			return changes, nil
		}
		lost = version
	}
	return nil, &Error{Op: "record", OrderID: id, Reason: strconv.Itoa(maxAttempts) + " swaps lost in a row", Err: ErrContention}
}

// MemoryStore is a [Store] in memory, safe for concurrent use: for tests,
// and for a single process that need not survive a restart. The zero
// MemoryStore is empty and ready to use.
type MemoryStore struct {
	mu     sync.Mutex
	orders map[string]stored
}

type stored struct {
	o       Tracked
	version int64
}

// Load returns the order's value and version; the zero Tracked and 0 when
// none is stored.
func (m *MemoryStore) Load(_ context.Context, orderID string) (Tracked, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.orders[orderID]
	return s.o, s.version, nil
}

// Swap stores next if the order's version is still version.
func (m *MemoryStore) Swap(_ context.Context, orderID string, version int64, next Tracked) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.orders[orderID].version != version {
		return false, nil
	}
	if m.orders == nil {
		m.orders = map[string]stored{}
	}
	m.orders[orderID] = stored{o: next, version: version + 1}
	return true, nil
}
