package scheduling

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/webhook"
)

// TestEmitRoom checks that a command's webhooks and appointment snapshots
// start with room for those it usually sends, and that webhooks past the
// ones a command records are still sent, with their snapshots, and named,
// the order webhooks sharing one copy of the order's data.
func TestEmitRoom(t *testing.T) {
	o, _ := must(t)(place(beta).Book(book(72), at(1)))
	var tr tx
	require.NoError(t, o.begin(&tr, "book", at(1), 2, 3))
	tr.orderEvent(webhook.OrderUpdated)
	assert.Equal(t, 5, cap(tr.hooks))
	// Appointment snapshots share one block, with room for all but the
	// last (which is the flow's own); one more at a time beyond them.
	first := tr.snapshot(0)
	second := tr.snapshot(0)
	assert.Equal(t, 2, cap(tr.apptSnaps))
	assert.Same(t, &tr.apptSnaps[0], first)
	assert.Same(t, &tr.apptSnaps[1], second)
	third := tr.snapshot(0)
	assert.Equal(t, 1, cap(tr.apptSnaps))
	assert.Same(t, &tr.apptSnaps[0], third)
	fourth := tr.snapshot(0)
	assert.NotSame(t, third, fourth)

	var many tx
	require.NoError(t, o.begin(&many, "many", at(1), 1, 1))
	for range maxSubjects {
		many.orderEvent(webhook.OrderUpdated)
	}
	many.appointmentEvent(webhook.AppointmentUpdated, 0)
	many.orderEvent(webhook.OrderUpdated)
	many.name()
	many.share()
	require.Len(t, many.hooks, maxSubjects+2)
	for i, h := range many.hooks {
		if i == maxSubjects {
			assert.Equal(t, "msg_ord-a1_2", h.ID)
			assert.Equal(t, "ord-a1", h.Event().Appointment.ID)
			assert.Nil(t, h.order)
			continue
		}
		assert.Equal(t, "msg_ord_o1", h.ID)
		assert.Equal(t, "ord", h.Event().Order.ID)
		// The order webhooks of a command share one copy of its data.
		assert.Same(t, many.data, h.order)
	}
}
