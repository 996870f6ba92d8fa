package order

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureOrder is the part of an order object that carries statuses: the
// deprecated top-level status (high-level form), the events[] history (full
// form) and order_transaction.orders[].low_level_status (short form). The
// order object itself is not modelled here.
type fixtureOrder struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Events []struct {
		ID     int    `json:"id"`
		Status string `json:"status"`
	} `json:"events"`
	OrderTransaction *struct {
		Orders []struct {
			ID             string `json:"id"`
			LowLevelStatus string `json:"low_level_status"`
		} `json:"orders"`
	} `json:"order_transaction"`
}

// publishedStatuses are the order payloads of testdata (see its README.md):
// where the order object sits in each file, and the statuses it carries,
// written out by hand.
var publishedStatuses = []struct {
	file      string
	wrapped   bool     // the order sits under "order"
	events    []Status // events[].status, oldest first
	steps     []int    // the length of a shortest path between consecutive events
	high      HighLevel
	lowLevels []Status // order_transaction.orders[].low_level_status
}{
	{
		file:   "order-updated.json",
		events: []Status{Ordered, RequisitionCreated, AppointmentScheduled},
		// requisition_created → appointment_scheduled skips
		// appointment_pending: a jump along a valid path, not one step.
		steps:     []int{1, 2},
		high:      HighLevelCollectingSample,
		lowLevels: []Status{AppointmentScheduled},
	},
	{
		file:    "order-imported.json",
		wrapped: true,
		events:  []Status{Ordered, RequisitionBypassed},
		steps:   []int{1},
		high:    HighLevelReceived,
	},
}

// readFixtureOrder decodes the status fields of an order fixture.
func readFixtureOrder(t testing.TB, file string, wrapped bool) fixtureOrder {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(t, err)
	var o fixtureOrder
	if wrapped {
		var w struct {
			Order fixtureOrder `json:"order"`
		}
		require.NoError(t, json.Unmarshal(data, &w))
		o = w.Order
	} else {
		require.NoError(t, json.Unmarshal(data, &o))
	}
	return o
}

// TestOrderFixtures checks that the parsers accept every status the
// published order payloads carry, in each of its three forms, and that each
// events[] history is a path of the transition table.
func TestOrderFixtures(t *testing.T) {
	for _, fx := range publishedStatuses {
		t.Run(fx.file, func(t *testing.T) {
			o := readFixtureOrder(t, fx.file, fx.wrapped)

			var history []Status
			for i, ev := range o.Events {
				s, err := ParseStatus(ev.Status)
				require.NoError(t, err, "events[%d].status", i)
				assert.Equal(t, ev.Status, s.Full(), "events[%d].status is in full form", i)
				if i > 0 {
					assert.Greater(t, ev.ID, o.Events[i-1].ID, "events[%d].id", i)
				}
				history = append(history, s)
			}
			require.Equal(t, fx.events, history)
			assert.Equal(t, Ordered, history[0], "every order starts ordered")

			var steps []int
			for i := 1; i < len(history); i++ {
				from, to := history[i-1], history[i]
				path, ok := Path(from, to)
				require.True(t, ok, "Path(%q, %q)", from, to)
				assert.Equal(t, len(path) == 1, table.CanTransition(from, to), "table.CanTransition(%q, %q)", from, to)
				steps = append(steps, len(path))
			}
			assert.Equal(t, fx.steps, steps)

			h, err := parseHighLevel(o.Status)
			require.NoError(t, err, "status")
			assert.Equal(t, o.Status, h.String())
			assert.Equal(t, fx.high, h)
			assert.Equal(t, history[len(history)-1].HighLevel(), h, "the high-level status is that of the last event")

			var lows []Status
			if o.OrderTransaction != nil {
				for i, tx := range o.OrderTransaction.Orders {
					s, err := ParseStatus(tx.LowLevelStatus)
					require.NoError(t, err, "order_transaction.orders[%d].low_level_status", i)
					assert.Equal(t, tx.LowLevelStatus, s.String(), "low_level_status is in short form")
					if tx.ID == o.ID {
						assert.Equal(t, history[len(history)-1], s, "the order's own low_level_status is its last event's")
					}
					lows = append(lows, s)
				}
			}
			assert.Equal(t, fx.lowLevels, lows)
		})
	}
}
