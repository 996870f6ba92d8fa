package order

import (
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWireEdges pins what the wire layer does at the edges of presence: a
// transaction without orders, an empty history, and the order of the
// members a null or zero value writes.
func TestWireEdges(t *testing.T) {
	o, err := Decode([]byte(phleb(`"order_transaction": {"id": "t", "orders": []}, "events": []`)))
	require.NoError(t, err)
	assert.Equal(t, Transaction{ID: "t"}, o.Transaction, "no orders is nil")
	assert.Nil(t, o.History, "an empty history is nil")
	round(t, o, nil)

	o, err = Decode([]byte(`{"order_transaction": {"status": "active"}}`))
	require.NoError(t, err)
	assert.Equal(t, Transaction{Status: "active"}, o.Transaction)
	round(t, o, nil)

	for _, bad := range []string{`{"created_at": tru}`, `{"order_transaction": {"orders": [{"low_level_status_created_at": 1}]}}`} {
		_, err := Decode([]byte(bad))
		require.ErrorIs(t, err, ErrMalformed, bad)
	}
	b, err := json.Marshal(Order{Transaction: Transaction{Orders: []TransactionOrder{{ID: "o"}}}})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"orders":[{"id":"o","low_level_status":null,"low_level_status_created_at":null,`)
}
