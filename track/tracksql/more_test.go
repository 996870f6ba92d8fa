package tracksql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql/internal/column"
	"github.com/phlebkit/phlebkit/webhook"
)

// longHistory returns an order event whose history has n entries: the
// order scheduled, then rescheduled again and again.
func longHistory(id string, n int) webhook.Event {
	statuses := []order.Status{order.Ordered, order.RequisitionCreated, order.AppointmentPending}
	o := order.Order{ID: id, CreatedAt: monday, Details: order.Details{Type: order.ModalityAtHomePhlebotomy, AppointmentID: id + "-a1"}}
	for i := range n {
		st := order.AppointmentScheduled
		if i < len(statuses) {
			st = statuses[i]
		}
		o.History = append(o.History, order.HistoryEntry{ID: int64(i + 1), CreatedAt: hours(float64(i)), Status: st})
	}
	o.UpdatedAt = hours(float64(n))
	return webhook.Event{Type: webhook.OrderUpdated, Order: &o}
}

// TestManyChanges records events revealing more changes than one statement
// stores: they are stored in several, or, on PostgreSQL, in a transaction.
func TestManyChanges(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		defer func(n int) { maxChangeRows = n }(maxChangeRows)
		maxChangeRows = 3
		ctx := context.Background()
		s := open(t, db)
		short, long := longHistory("ord-1", 2), longHistory("ord-1", 12)
		_, want := inOrder(t, []webhook.Event{short, long})
		var got []track.Change
		for _, e := range []webhook.Event{short, long, long} {
			changes, err := s.Record(ctx, e)
			require.NoError(t, err)
			got = append(got, changes...)
		}
		assert.Equal(t, want, got)
		assert.Len(t, want, 12)
		assert.Equal(t, byKey(t, want), stored(t, s.db))
		_, version, err := open(t, db).Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, int64(2), version)
	})
}

func TestClose(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		_, err := s.Record(ctx, lifecycle(t, "ord-1")[0])
		require.NoError(t, err)
		require.NoError(t, s.Close())
		_, _, err = s.Load(ctx, "ord-2")
		require.ErrorIs(t, err, ErrDatabase, "its statements are closed")
		require.NoError(t, s.Close(), "again")
	})
}

func TestRecordTxDone(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		tx, err := s.db.BeginTx(ctx, nil)
		require.NoError(t, err)
		require.NoError(t, tx.Commit())
		_, err = s.RecordTx(ctx, tx, lifecycle(t, "ord-1")[0])
		require.ErrorIs(t, err, ErrDatabase)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "record", e.Op)
		assert.Equal(t, "ord-1", e.OrderID)
		assert.ErrorIs(t, err, sql.ErrTxDone)
	})
}

// TestSchemaRows: a schema table that is not this package's is refused.
func TestSchemaRows(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		_, err := s.db.Exec("INSERT INTO phlebkit_schema (version) VALUES (1)")
		require.NoError(t, err)
		_, err = Open(ctx, db())
		require.ErrorIs(t, err, ErrSchema)
		assert.EqualError(t, err, "tracksql: unusable schema: open: phlebkit_schema holds 2 rows, not one")
		_, err = s.db.Exec("DELETE FROM phlebkit_schema")
		require.NoError(t, err)
		_, err = s.db.Exec("INSERT INTO phlebkit_schema (version) VALUES (-1)")
		require.NoError(t, err)
		_, err = Open(ctx, db())
		require.ErrorIs(t, err, ErrSchema)
		// Tables of version 0, or none: created; here they exist.
		_, err = s.db.Exec("UPDATE phlebkit_schema SET version = 0")
		require.NoError(t, err)
		_, err = Open(ctx, db())
		require.ErrorIs(t, err, ErrDatabase, "the tables exist already")
	})
}

// TestMigrated: opening tables of the current version changes nothing.
func TestMigrated(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		_, err := s.Record(ctx, lifecycle(t, "ord-1")[0])
		require.NoError(t, err)
		s2 := open(t, db)
		var rows int
		require.NoError(t, s2.db.QueryRow("SELECT count(*) FROM phlebkit_schema").Scan(&rows))
		assert.Equal(t, 1, rows)
		_, version, err := s2.Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, int64(1), version)
	})
}

func TestFirstWord(t *testing.T) {
	assert.Equal(t, "8.0.36", firstWord("8.0.36 MySQL Community Server"))
	assert.Equal(t, "abc", firstWord("abc"))
	long := "0123456789012345678901234567890123456789xyz"
	assert.Equal(t, long[:40], firstWord(long))
}

type codeError int

func (e codeError) Error() string { return fmt.Sprintf("code %d", int(e)) }
func (e codeError) Code() int     { return int(e) }

func TestIsBusy(t *testing.T) {
	for _, c := range []struct {
		err  error
		busy bool
	}{
		{codeError(5), true},
		{codeError(6), true},
		{codeError(5 | 2<<8), true}, // SQLITE_BUSY_SNAPSHOT
		{codeError(262), true},      // SQLITE_LOCKED_SHAREDCACHE
		{codeError(1), false},
		{codeError(7), false},
		{fmt.Errorf("wrapped: %w", codeError(5)), true},
		{errors.New("database is locked"), true},
		{errors.New("SQLITE_BUSY: the database file is locked"), true},
		{errors.New("no such table"), false},
	} {
		assert.Equal(t, c.busy, isBusy(c.err), "%v", c.err)
	}
}

// TestBusy: without a busy timeout, SQLite fails a writer at once while
// another holds the lock; Record waits and tries again.
func TestBusy(t *testing.T) {
	dsn := "file:" + t.TempDir() + "/track.db?_pragma=journal_mode(WAL)"
	openDB := func() *sql.DB {
		db, err := sql.Open("sqlite", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	ctx := context.Background()
	holder := openDB()
	s, err := Open(ctx, openDB())
	require.NoError(t, err)
	tx, err := holder.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.Exec(s.q.take)
	require.NoError(t, err)
	var (
		wg      sync.WaitGroup
		changes []track.Change
		recErr  error
	)
	wg.Go(func() { changes, recErr = s.Record(ctx, lifecycle(t, "ord-1")[0]) })
	time.Sleep(20 * time.Millisecond) // let Record find the database busy
	require.NoError(t, tx.Rollback())
	wg.Wait()
	require.NoError(t, recErr)
	assert.Len(t, changes, 1)

	// Busy until ctx is done: the busy error.
	tx, err = holder.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.Exec(s.q.take)
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, err = s.Record(short, lifecycle(t, "ord-1")[1])
	require.ErrorIs(t, err, ErrDatabase)
	assert.True(t, isBusy(err), "%v", err)
}

// TestTakeLocks: on SQLite, the statement Record begins with takes the
// database's write lock, though it changes nothing.
func TestTakeLocks(t *testing.T) {
	dsn := "file:" + t.TempDir() + "/track.db?_pragma=journal_mode(WAL)"
	a, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer a.Close()
	b, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer b.Close()
	s, err := Open(context.Background(), a)
	require.NoError(t, err)
	tx, err := a.Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.Exec(s.q.take)
	require.NoError(t, err)
	_, err = b.Exec("INSERT INTO phlebkit_orders (order_id, value, version, updated_at) VALUES ('x', '{}', 1, 0)")
	require.Error(t, err)
	assert.True(t, isBusy(err), "%v", err)
}

func TestCacheEvicts(t *testing.T) {
	var c cache
	for i := range cacheSize + 2 {
		c.put(fmt.Sprint(i), int64(i+1), track.Tracked{})
	}
	c.put("5", 100, track.Tracked{}) // again: nothing evicted
	_, v := c.get("0")
	assert.Zero(t, v, "the oldest went")
	_, v = c.get("1")
	assert.Zero(t, v)
	_, v = c.get("2")
	assert.Equal(t, int64(3), v)
	_, v = c.get("5")
	assert.Equal(t, int64(100), v)
	_, v = c.get(fmt.Sprint(cacheSize + 1))
	assert.Equal(t, int64(cacheSize+2), v)
	assert.Len(t, c.entries, cacheSize)
	c.put("new", 1, track.Tracked{})
	_, v = c.get("2")
	assert.Zero(t, v, "then the next oldest")
	_, v = c.get("3")
	assert.Equal(t, int64(4), v)
}

// TestStaleCache: a store whose value in memory is behind the database
// (another store wrote since) reads the row again.
func TestStaleCache(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		a, b := open(t, db), open(t, db)
		events := lifecycle(t, "ord-1")[:6]
		_, err := a.Record(ctx, events[0])
		require.NoError(t, err)
		for _, e := range events[1:5] {
			_, err = b.Record(ctx, e)
			require.NoError(t, err)
		}
		changes, err := a.Record(ctx, events[5])
		require.NoError(t, err)
		_, want := inOrder(t, events)
		_, first := inOrder(t, events[:5])
		assert.Equal(t, want[len(first):], changes)
		changes, err = a.Record(ctx, events[1])
		require.NoError(t, err)
		assert.Empty(t, changes, "known from memory")
		// A conflicting history, refused against the value in memory and
		// then against the row.
		k := 0
		for events[k].Order == nil || len(events[k].Order.History) < 2 {
			k++
		}
		require.Less(t, k, 6, "an order event with two entries among those recorded")
		bad := events[k]
		o := *bad.Order
		o.History = append([]order.HistoryEntry(nil), o.History...)
		o.History[1].Status = order.RequisitionBypassed
		bad.Order = &o
		_, err = a.Record(ctx, bad)
		require.ErrorIs(t, err, track.ErrInvalidEvent)
		assert.Equal(t, byKey(t, want), stored(t, a.db))
	})
}

func TestOptions(t *testing.T) {
	db := sqliteDB(t)
	s := open(t, db, WithLease(0), WithBackoff(0, -1), WithBatch(0), WithPollInterval(0), WithClock(nil), WithLogger(nil), nil)
	assert.Equal(t, time.Minute, s.cfg.lease)
	assert.Equal(t, time.Second, s.cfg.backoffMin)
	assert.Equal(t, time.Hour, s.cfg.backoffMax)
	assert.Equal(t, 32, s.cfg.batch)
	assert.Equal(t, time.Second, s.cfg.poll)
	assert.NotNil(t, s.cfg.now)
	assert.NotNil(t, s.cfg.logger)
	s = open(t, db, WithLease(time.Nanosecond), WithBackoff(time.Hour, time.Minute), WithBatch(1), WithPollInterval(time.Nanosecond))
	assert.Equal(t, time.Nanosecond, s.cfg.lease)
	assert.Equal(t, time.Hour, s.cfg.backoffMin)
	assert.Equal(t, time.Hour, s.cfg.backoffMax, "most below first is first")
	assert.Equal(t, 1, s.cfg.batch)
	assert.Equal(t, time.Nanosecond, s.cfg.poll)
	s = open(t, db, WithBackoff(time.Second, 2*time.Second))
	assert.Equal(t, 2*time.Second, s.cfg.backoffMax)
	s = open(t, db, WithBackoff(time.Minute, 0))
	assert.Equal(t, time.Minute, s.cfg.backoffMin)
	assert.Equal(t, time.Hour, s.cfg.backoffMax)
}

func TestErrorMessages(t *testing.T) {
	_, err := Open(context.Background(), sqliteDB(t)(), WithDialect(Dialect(9)))
	assert.EqualError(t, err, "tracksql: unknown dialect: open: tracksql.Dialect(9)")
	for _, c := range []struct {
		err  Error
		want string
	}{
		{Error{Err: ErrDatabase}, "tracksql: database failed"},
		{Error{Err: ErrSchema, Reason: "why"}, "tracksql: unusable schema: why"},
		{Error{Err: ErrDialect, OrderID: "o"}, `tracksql: unknown dialect order "o"`},
		{Error{Err: ErrDatabase, Key: "k"}, `tracksql: database failed change "k"`},
		{Error{Op: "load", Err: track.ErrMalformed}, "tracksql: load: track: malformed stored order"},
		{Error{Op: "load", Err: track.ErrMalformed, Cause: errors.New("boom")}, "tracksql: load: boom"},
		{Error{Op: "record", Err: track.ErrContention, Reason: "100 swaps lost in a row"}, "tracksql: record: 100 swaps lost in a row: track: too much contention"},
		{Error{}, "tracksql: error"},
		{Error{Reason: "why"}, "tracksql: why"},
	} {
		assert.Equal(t, c.want, c.err.Error())
	}
}

// TestCachedVersion: the value a store keeps in memory after recording is
// at the version stored.
func TestCachedVersion(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		for i, e := range lifecycle(t, "ord-1")[:5] {
			_, err := s.Record(ctx, e)
			require.NoError(t, err)
			held, version := s.cache.get("ord-1")
			stored, want, err := open(t, db).Load(ctx, "ord-1")
			require.NoError(t, err)
			assert.Equal(t, want, version, "event %d", i)
			assert.True(t, stored.Equal(held))
		}
	})
}

// TestFailedOpenKeepsConnection: Open refusing the tables rolls its
// transaction back and gives the connection back to the pool.
func TestFailedOpenKeepsConnection(t *testing.T) {
	db := sqliteDB(t)
	s := open(t, db)
	_, err := s.db.Exec("UPDATE phlebkit_schema SET version = 99")
	require.NoError(t, err)
	d := db()
	_, err = Open(context.Background(), d)
	require.ErrorIs(t, err, ErrSchema)
	assert.Equal(t, 1, d.Stats().OpenConnections)
	var version int
	require.NoError(t, d.QueryRow("SELECT version FROM phlebkit_schema").Scan(&version))
	assert.Equal(t, 99, version)
}

func TestFirstWordSpace(t *testing.T) {
	assert.Equal(t, "", firstWord(" PostgreSQL"))
}

// TestLongFailure: the text of a failure is kept to its first 1000 bytes,
// valid UTF-8.
func TestLongFailure(t *testing.T) {
	s := open(t, sqliteDB(t))
	changes := recordAll(t, s, "ord-1")
	long := strings.Repeat("x", 999) + "é" + strings.Repeat("y", 10)
	n, err := s.Dispatch(context.Background(), func(_ context.Context, d Delivery) error {
		if d.Key == changes[0].Key() {
			return errors.New(long)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, len(changes)-1, n)
	var text string
	require.NoError(t, s.db.QueryRow("SELECT last_error FROM phlebkit_changes WHERE change_key = $1", changes[0].Key()).Scan(&text))
	assert.Equal(t, strings.Repeat("x", 999)+"\uFFFD", text)
}

// TestKnownWithoutDatabase: a delivery the value in memory already knows
// is answered without the database.
func TestKnownWithoutDatabase(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		d := db()
		s, err := Open(ctx, d)
		require.NoError(t, err)
		events := lifecycle(t, "ord-1")
		for _, e := range events[:4] {
			_, err := s.Record(ctx, e)
			require.NoError(t, err)
		}
		require.NoError(t, d.Close())
		for _, e := range events[:4] {
			changes, err := s.Record(ctx, e)
			require.NoError(t, err)
			assert.Empty(t, changes)
		}
		_, err = s.Record(ctx, events[4])
		require.ErrorIs(t, err, ErrDatabase, "news needs the database")
	})
}

// TestOneConnection uses a store whose database has one connection (as
// SQLite is often opened, SetMaxOpenConns(1)): no call waits for a second
// one while a transaction holds the first, including an event revealing
// more changes than a Store prepares statements for.
func TestOneConnection(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		one := db()
		one.SetMaxOpenConns(1)
		s, err := Open(ctx, one, WithClock(func() time.Time { return monday }))
		require.NoError(t, err)
		for n, st := range s.st.changes { // the INSERTs of 1 to preparedChanges changes, prepared when it opens
			require.Equal(t, n > 0, st != nil, "the INSERT of %d", n)
		}
		require.Len(t, s.st.changes, preparedChanges+1)
		// An event revealing one change more than prepared for, one
		// revealing several more, then a lifecycle.
		events := []webhook.Event{longHistory("ord-1", preparedChanges+1), longHistory("ord-1", 2*preparedChanges+5)}
		_, want := inOrder(t, events)
		require.Len(t, want, 2*preparedChanges+5)
		life := lifecycle(t, "ord-2")
		_, more := inOrder(t, life)
		want = append(want, more...)
		var got []track.Change
		for i, e := range append(events, life...) {
			if i%2 == 1 { // in the caller's transaction
				tx, err := one.BeginTx(ctx, nil)
				require.NoError(t, err)
				changes, err := s.RecordTx(ctx, tx, e)
				require.NoError(t, err)
				require.NoError(t, tx.Commit())
				got = append(got, changes...)
				continue
			}
			changes, err := s.Record(ctx, e)
			require.NoError(t, err)
			got = append(got, changes...)
		}
		assert.Equal(t, want, got)
		assert.Equal(t, byKey(t, want), stored(t, one))
		h := &collector{}
		n, err := s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Equal(t, len(want), n)
		_, err = s.Prune(ctx, monday.Add(time.Hour))
		require.NoError(t, err)
		_, version, err := s.Load(ctx, "ord-2")
		require.NoError(t, err)
		assert.Equal(t, int64(len(life)), version)
		require.NoError(t, ctx.Err(), "nothing waited for a connection")
	})
}

// TestPrepareGuess: the value column and the changes' JSON of an event
// with news are made before the transaction, as the transaction would make
// them; of an event without news, nothing is.
func TestPrepareGuess(t *testing.T) {
	s := open(t, sqliteDB(t))
	life := lifecycle(t, "ord-1")
	ctx := context.Background()
	_, err := s.Record(ctx, life[0])
	require.NoError(t, err)
	for _, e := range life[:2] {
		g := s.guess(&e)
		s.prepareGuess(&g)
		if g.next == nil {
			assert.Nil(t, g.packed, "no news")
			assert.Nil(t, g.buf)
			continue
		}
		want, err := column.Pack(new(column.Buffer), g.next, column.LimitSQLite)
		require.NoError(t, err)
		assert.Equal(t, want, g.packed)
		require.Len(t, g.bodies, len(g.changes))
		require.NotEmpty(t, g.changes)
		for i, c := range g.changes {
			body, err := track.MarshalChange(c)
			require.NoError(t, err)
			assert.Equal(t, string(body), g.bodies[i])
		}
		g.release()
		assert.Nil(t, g.buf)
		assert.Nil(t, g.packed)
		g.release() // again: nothing to put back
	}
}
