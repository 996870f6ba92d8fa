package tracksql

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
)

// TestFreshChanges: on SQLite, the changes never handed out are found
// from the store's fresh id on: after its dispatcher handed out all
// there were, after a prune, after changes recorded by a clock ahead of
// the dispatcher's, and by a store that starts anew.
func TestFreshChanges(t *testing.T) {
	ctx := context.Background()
	db := sqliteDB(t)
	clk := newClock()
	s := open(t, db, WithClock(clk.Now))
	first := recordAll(t, s, "ord-1")
	h := &collector{}
	n, err := s.Dispatch(ctx, h.handle)
	require.NoError(t, err)
	assert.Equal(t, len(first), n)
	var last int64
	require.NoError(t, s.db.QueryRow("SELECT max(id) FROM phlebkit_changes").Scan(&last))
	assert.Equal(t, last+1, s.fresh.Load(), "past every change, all handed out")

	clk.Advance(time.Hour)
	pruned, err := s.Prune(ctx, clk.Now())
	require.NoError(t, err)
	assert.Equal(t, int64(len(first)-1), pruned, "the last is kept")

	// Recorded by a clock an hour ahead: not due yet, and not passed by.
	ahead := open(t, db, WithClock(func() time.Time { return clk.Now().Add(time.Hour) }))
	second := recordAll(t, ahead, "ord-2")
	var min2 int64
	require.NoError(t, s.db.QueryRow("SELECT min(id) FROM phlebkit_changes WHERE order_id = 'ord-2'").Scan(&min2))
	assert.Equal(t, last+1, min2, "no id given again")
	n, err = s.Dispatch(ctx, h.handle)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, min2, s.fresh.Load())
	clk.Advance(time.Hour)
	n, err = s.Dispatch(ctx, h.handle)
	require.NoError(t, err)
	assert.Equal(t, len(second), n)
	for _, c := range append(first, second...) {
		assert.Equal(t, 1, h.counts[c.Key()], c.Key())
	}

	// A change that failed keeps its lease, and is handed out again by a
	// store that starts anew, as are those never handed out.
	third := recordAll(t, s, "ord-3")
	h2 := &collector{fail: map[string]bool{third[0].Key(): true}}
	n, err = s.Dispatch(ctx, h2.handle)
	require.NoError(t, err)
	assert.Equal(t, len(third)-1, n)
	fourth := recordAll(t, s, "ord-4")
	clk.Advance(time.Hour)
	s2 := open(t, db, WithClock(clk.Now))
	assert.Zero(t, s2.fresh.Load())
	n, err = s2.Dispatch(ctx, h2.handle)
	require.NoError(t, err)
	assert.Equal(t, 1+len(fourth), n)
	assert.Equal(t, 2, h2.counts[third[0].Key()])
	var left int
	require.NoError(t, s.db.QueryRow("SELECT count(*) FROM phlebkit_changes WHERE done_at IS NULL OR lease IS NOT NULL").Scan(&left))
	assert.Zero(t, left)
}

// TestRecordTxLocksFirst: on SQLite, RecordTx takes the database's write
// lock before it reads, even when it then refuses the event, so that no
// other writer can come between its reading and its writing.
func TestRecordTxLocksFirst(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "track.db")
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)"
	db, err := sql.Open("sqlite", dsn+"&_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer db.Close()
	s, err := Open(ctx, db)
	require.NoError(t, err)
	// Another process, which does not wait for the lock.
	other, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer other.Close()
	write := func() error {
		_, err := other.Exec("UPDATE phlebkit_schema SET version = version")
		return err
	}
	require.NoError(t, write())

	e := lifecycle(t, "ord-1")[0]
	o := *e.Order
	o.Details.Type = "walk_in_test"
	e.Order = &o
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = s.RecordTx(ctx, tx, e)
	require.ErrorIs(t, err, track.ErrInvalidEvent)
	err = write()
	require.Error(t, err, "the write lock is held")
	assert.True(t, isBusy(err), "%v", err)
	require.NoError(t, tx.Rollback())
	require.NoError(t, write())
}

// TestRecordTxReads: RecordTx reads the order's row when the value in
// memory cannot be written as it is: an event it refuses, and a stale
// one of an order another store recorded.
func TestRecordTxReads(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		events := lifecycle(t, "ord-1")
		_, err := open(t, db).Record(ctx, events[0])
		require.NoError(t, err)
		s := open(t, db)

		bad := events[0]
		o := *bad.Order
		o.Details.Type = "walk_in_test"
		bad.Order = &o
		tx, err := s.db.BeginTx(ctx, nil)
		require.NoError(t, err)
		_, err = s.RecordTx(ctx, tx, bad)
		require.ErrorIs(t, err, track.ErrInvalidEvent)
		require.NoError(t, tx.Rollback())

		tx, err = s.db.BeginTx(ctx, nil)
		require.NoError(t, err)
		changes, err := s.RecordTx(ctx, tx, events[0])
		require.NoError(t, err)
		assert.Empty(t, changes, "known from the row")
		require.NoError(t, tx.Commit())
		_, version := s.cache.get("ord-1")
		assert.Equal(t, int64(1), version, "read, and kept in memory")
	})
}
