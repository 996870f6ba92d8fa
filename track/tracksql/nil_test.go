package tracksql_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/phlebkit/phlebkit/track/tracksql"
	"github.com/phlebkit/phlebkit/webhook"
)

// TestNilStore shows that a nil *Store, or a nil context, is an error
// wrapping ErrDatabase from every method, never a panic.
func TestNilStore(t *testing.T) {
	var s *tracksql.Store
	ctx := context.Background()
	handle := func(context.Context, tracksql.Delivery) error { return nil }
	errs := map[string]error{}
	_, errs["record"] = s.Record(ctx, webhook.Event{})
	_, errs["record tx"] = s.RecordTx(ctx, nil, webhook.Event{})
	_, _, errs["load"] = s.Load(ctx, "ord-1")
	_, errs["dispatch"] = s.Dispatch(ctx, handle)
	errs["run"] = s.Run(ctx, handle)
	_, errs["prune"] = s.Prune(ctx, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	for op, err := range errs {
		assert.ErrorIs(t, err, tracksql.ErrDatabase, op)
		assert.ErrorContains(t, err, "nil store", op)
		var e *tracksql.Error
		assert.True(t, errors.As(err, &e), op)
	}
	assert.NoError(t, s.Close())
	assert.Zero(t, s.Dialect())

	var nilCtx context.Context
	s2 := &tracksql.Store{}
	_, err := s2.Record(nilCtx, webhook.Event{})
	assert.ErrorIs(t, err, tracksql.ErrDatabase)
	assert.ErrorContains(t, err, "nil context")
}
