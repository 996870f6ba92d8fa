package tracksql

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql/internal/column"
	"github.com/phlebkit/phlebkit/webhook"
)

// TestPackedRows: a row holds its order's stored form as JSON while it is
// within its database's limit, packed once it is larger, and another
// process reads each back
// exactly; a packed row that is damaged is an error naming its order.
func TestPackedRows(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		events := lifecycle(t, "ord-1")
		first := func() byte {
			var b []byte
			require.NoError(t, s.db.QueryRow("SELECT value FROM phlebkit_orders WHERE order_id = $1", "ord-1").Scan(&b))
			return b[0]
		}
		limit := column.LimitSQLite // a row is JSON up to the limit of its database
		if s.cfg.dialect == PostgreSQL {
			limit = column.LimitPostgreSQL
		}
		for i, e := range events {
			_, err := s.Record(ctx, e)
			require.NoError(t, err)
			want, _ := inOrder(t, events[:i+1])
			js, err := want.MarshalJSON()
			require.NoError(t, err)
			if len(js) <= limit {
				assert.Equal(t, byte('{'), first(), "%d bytes of JSON", len(js))
			} else {
				assert.Equal(t, byte(column.Packed), first(), "%d bytes of JSON", len(js))
			}
			if i > 0 && i < len(events)-1 {
				continue
			}
			got, _, err := open(t, db).Load(ctx, "ord-1")
			require.NoError(t, err)
			wantJSON, err := want.MarshalJSON()
			require.NoError(t, err)
			gotJSON, err := got.MarshalJSON()
			require.NoError(t, err)
			require.Equal(t, string(wantJSON), string(gotJSON), "after %d events", i+1)
		}
		assert.Equal(t, byte(column.Packed), first())

		_, err := s.db.Exec("UPDATE phlebkit_orders SET value = $1 WHERE order_id = $2", []byte{column.Packed, 1, 2, 3}, "ord-1")
		require.NoError(t, err)
		_, _, err = open(t, db).Load(ctx, "ord-1")
		require.ErrorIs(t, err, track.ErrMalformed)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "ord-1", e.OrderID)
		assert.ErrorContains(t, err, `tracksql: load order "ord-1": the stored value: neither JSON nor packed`)
	})
}

// TestMigrateFrom1: tables of schema version 1, whose value column holds
// the JSON as text, are migrated to version 2 at Open: their rows are read
// back exactly, their orders go on, and their changes are kept.
func TestMigrateFrom1(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		events := lifecycle(t, "ord-1")
		before, _ := inOrder(t, events[:12])
		js, err := before.MarshalJSON()
		require.NoError(t, err)
		require.Greater(t, len(js), 3000)

		// The tables as version 1 made them, with one order and one change.
		old := db()
		d, err := detect(ctx, old)
		require.NoError(t, err)
		for _, stmt := range append(migrations(d)[0], "CREATE TABLE phlebkit_schema (version INTEGER NOT NULL)", "INSERT INTO phlebkit_schema (version) VALUES (1)") {
			_, err := old.Exec(stmt)
			require.NoError(t, err)
		}
		_, err = old.Exec("INSERT INTO phlebkit_orders (order_id, value, version, updated_at) VALUES ($1, $2, 7, 0)", "ord-1", string(js))
		require.NoError(t, err)
		// A change version 1 handed out once and failed: its lease cleared.
		_, oldChanges := inOrder(t, events[:12])
		body, err := track.MarshalChange(oldChanges[0])
		require.NoError(t, err)
		key := oldChanges[0].Key()
		_, err = old.Exec("INSERT INTO phlebkit_changes (change_key, order_id, kind, body, recorded_at, available_at, attempts, last_error) VALUES ($1, 'ord-1', $2, $3, 0, 0, 1, 'boom')",
			key, kindOf(key), string(body))
		require.NoError(t, err)

		s := open(t, db)
		var version int
		require.NoError(t, s.db.QueryRow("SELECT version FROM phlebkit_schema").Scan(&version))
		assert.Equal(t, 2, version)
		got, v, err := s.Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, int64(7), v)
		gotJSON, err := got.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, string(js), string(gotJSON))

		for _, e := range events[12:] {
			_, err := s.Record(ctx, e)
			require.NoError(t, err)
		}
		want, wantChanges := inOrder(t, events)
		got, v, err = open(t, db).Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, int64(7+len(events)-12), v)
		assert.True(t, want.Equal(got))
		var n int
		require.NoError(t, s.db.QueryRow("SELECT count(*) FROM phlebkit_changes").Scan(&n))
		_, newChanges := inOrder(t, events[:12])
		assert.Equal(t, 1+len(wantChanges)-len(newChanges), n)

		// The change version 1 failed is handed out again, with the new ones.
		h := &collector{}
		n, err = s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Equal(t, 1+len(wantChanges)-len(newChanges), n)
		assert.Equal(t, 1, h.counts[key])
		assert.Equal(t, 2, h.got[0].Attempt)

		// Opening again changes nothing.
		s = open(t, db)
		_, v, err = s.Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, int64(7+len(events)-12), v)
	})
}

// TestPagesPerDelivery: on SQLite, recording news of an order writes
// about two pages (the order's row and the new changes), as BenchmarkDelivery
// delivers them, where the baseline writes about one and a half; the
// write-ahead log, never checkpointed here, grows by what each commit
// wrote.
func TestPagesPerDelivery(t *testing.T) {
	ctx := context.Background()
	pages := func(open func(*sql.DB) func(delivery) error) float64 {
		dir := t.TempDir()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "t.db")+"?_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(0)&_pragma=synchronous(OFF)")
		require.NoError(t, err)
		defer db.Close()
		handle := open(db)
		all := newDeliveries(t).next(8)
		size := func() int64 {
			st, err := os.Stat(filepath.Join(dir, "t.db-wal"))
			require.NoError(t, err)
			return st.Size()
		}
		before := size()
		for _, d := range all {
			require.NoError(t, handle(d))
		}
		const frame = 24 + 4096 // a page and its header
		return float64(size()-before) / frame / float64(len(all))
	}
	store := pages(func(db *sql.DB) func(delivery) error {
		s, err := Open(ctx, db, WithClock(func() time.Time { return benchNow }))
		require.NoError(t, err)
		v, err := webhook.NewVerifier(benchSecret)
		require.NoError(t, err)
		return func(d delivery) error {
			e, err := v.Parse(d.header, d.body, benchNow)
			if err == nil {
				_, err = s.Record(ctx, e)
			}
			return err
		}
	})
	base := pages(func(db *sql.DB) func(delivery) error {
		b, err := openBaseline(db)
		require.NoError(t, err)
		return b.handle
	})
	t.Logf("pages written per delivery: %.2f, the baseline %.2f", store, base)
	assert.Less(t, store, 2.5)
	assert.Less(t, base, store)
}

// TestColumnLifecycle: the lifecycle the tests of the value column's
// encodings read from their testdata is the one lifecycle makes.
func TestColumnLifecycle(t *testing.T) {
	data, err := os.ReadFile("internal/column/testdata/lifecycle.jsonl")
	require.NoError(t, err)
	var want []byte
	for _, e := range lifecycle(t, "ord-1") {
		b, err := e.MarshalJSON()
		require.NoError(t, err)
		want = append(append(want, b...), '\n')
	}
	assert.Equal(t, string(want), string(data))
}
