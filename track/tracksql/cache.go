package tracksql

import (
	"sync"

	"github.com/phlebkit/phlebkit/track"
)

// cacheSize is how many orders a Store keeps decoded in memory.
const cacheSize = 512

// cache keeps the values of the orders a Store read or wrote lately, each
// with its version, so that recording an event of an order whose row still
// has that version does not read and decode the value again: the version
// is read under the row's lock, and grows on every write, so an unchanged
// version is an unchanged value. When full, the entry put longest ago goes.
type cache struct {
	mu      sync.Mutex
	entries map[string]cached
	order   []string // the keys of entries, as a ring: next is the oldest
	next    int
}

type cached struct {
	version int64
	value   track.Tracked
}

// get returns the cached value of the order and its version; version 0
// when none is cached.
func (c *cache) get(orderID string) (track.Tracked, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[orderID]
	return e.value, e.version
}

// put caches the value of the order at version.
func (c *cache) put(orderID string, version int64, value track.Tracked) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]cached, cacheSize)
	}
	if _, ok := c.entries[orderID]; !ok {
		if len(c.order) < cacheSize {
			c.order = append(c.order, orderID)
		} else {
			delete(c.entries, c.order[c.next])
			c.order[c.next] = orderID
			c.next = (c.next + 1) % cacheSize
		}
	}
	c.entries[orderID] = cached{version: version, value: value}
}
