package tracksql

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
)

func TestRecordInOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		events := lifecycle(t, "ord-1")
		want, wantChanges := inOrder(t, events)
		kinds := map[string]bool{}
		for _, c := range wantChanges {
			kinds[kindOf(c.Key())] = true
		}
		require.Len(t, kinds, 5, "the lifecycle shows every kind of change")

		var got []track.Change
		for i, e := range events {
			changes, err := s.Record(ctx, e)
			require.NoError(t, err, "event %d", i)
			got = append(got, changes...)
			_, version, err := s.Load(ctx, "ord-1")
			require.NoError(t, err)
			assert.Positive(t, version, "the first event stores the order")
		}
		assert.Equal(t, wantChanges, got)
		held, _, err := s.Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.True(t, want.Equal(held))
		assert.Equal(t, byKey(t, wantChanges), stored(t, s.db), "each change stored once, as it was")

		// Every delivery again: nothing new, nothing written.
		_, before, _ := s.Load(ctx, "ord-1")
		for _, e := range events {
			changes, err := s.Record(ctx, e)
			require.NoError(t, err)
			assert.Empty(t, changes)
		}
		_, after, _ := s.Load(ctx, "ord-1")
		assert.Equal(t, before, after)
		assert.Len(t, stored(t, s.db), len(wantChanges))
	})
}

func TestLoadUnknown(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		s := open(t, db)
		o, version, err := s.Load(context.Background(), "nope")
		require.NoError(t, err)
		assert.Zero(t, version)
		assert.True(t, o.Equal(track.Tracked{}))
	})
}

func TestRecordInvalidEvent(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		s := open(t, db)
		_, err := s.Record(context.Background(), webhook.Event{})
		require.ErrorIs(t, err, track.ErrInvalidEvent)
		_, version, _ := s.Load(context.Background(), "")
		assert.Zero(t, version)
	})
}

// TestConcurrent records the deliveries of several orders, shuffled, each
// several times, through several stores on one database at once: every
// order converges to its in-order value, and every change is returned
// and stored exactly once.
func TestConcurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		const stores, orders, copies = 4, 3, 3
		ss := make([]*Store, stores)
		for i := range ss {
			ss[i] = open(t, db)
		}
		type delivery struct {
			order int
			e     webhook.Event
		}
		var (
			deliveries []delivery
			wants      []track.Tracked
			wantAll    []track.Change
		)
		for i := range orders {
			events := lifecycle(t, fmt.Sprintf("ord-%d", i))
			want, changes := inOrder(t, events)
			wants = append(wants, want)
			wantAll = append(wantAll, changes...)
			for range copies {
				for _, e := range events {
					deliveries = append(deliveries, delivery{i, e})
				}
			}
		}
		rng := rand.New(rand.NewPCG(1, 2))
		rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })

		var (
			mu  sync.Mutex
			got []track.Change
			wg  sync.WaitGroup
		)
		work := make(chan delivery)
		for i := range stores * 2 {
			s := ss[i%stores]
			wg.Go(func() {
				for d := range work {
					changes, err := s.Record(ctx, d.e)
					if !assert.NoError(t, err) {
						continue
					}
					mu.Lock()
					got = append(got, changes...)
					mu.Unlock()
				}
			})
		}
		for _, d := range deliveries {
			work <- d
		}
		close(work)
		wg.Wait()

		for i, want := range wants {
			held, _, err := ss[0].Load(ctx, fmt.Sprintf("ord-%d", i))
			require.NoError(t, err)
			assert.True(t, want.Equal(held), "order %d converges", i)
		}
		assert.Equal(t, byKey(t, wantAll), byKey(t, got), "each change returned once")
		assert.Equal(t, byKey(t, wantAll), stored(t, ss[0].db), "each change stored once")
	})
}

// TestFirstEventRace has several stores record the first event of one
// order at once: one inserts it, the others find it stored.
func TestFirstEventRace(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		first := lifecycle(t, "ord-1")[0]
		const n = 6
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			reported int
		)
		ss := make([]*Store, n)
		for i := range ss {
			ss[i] = open(t, db)
		}
		start := make(chan struct{})
		for _, s := range ss {
			wg.Go(func() {
				<-start
				changes, err := s.Record(ctx, first)
				assert.NoError(t, err)
				mu.Lock()
				reported += len(changes)
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()
		assert.Equal(t, 1, reported)
		_, version, err := ss[0].Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Equal(t, int64(1), version)
	})
}

func TestOpen(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		// Several processes opening a new database at once.
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				_, err := Open(ctx, db())
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		s := open(t, db)
		var version int
		require.NoError(t, s.db.QueryRow("SELECT version FROM phlebkit_schema").Scan(&version))
		assert.Equal(t, SchemaVersion, version)

		// A newer schema is refused.
		_, err := s.db.Exec("UPDATE phlebkit_schema SET version = 99")
		require.NoError(t, err)
		_, err = Open(ctx, db())
		require.ErrorIs(t, err, ErrSchema)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "tracksql: unusable schema: open: the tables are of schema version 99, and this version of tracksql knows versions up to 2: upgrade it", err.Error())
	})
}

func TestDialect(t *testing.T) {
	s := open(t, sqliteDB(t))
	assert.Equal(t, SQLite, s.Dialect())
	s = open(t, sqliteDB(t), WithDialect(SQLite))
	assert.Equal(t, SQLite, s.Dialect())
	_, err := Open(context.Background(), sqliteDB(t)(), WithDialect(Dialect(9)))
	require.ErrorIs(t, err, ErrDialect)
	_, err = Open(context.Background(), nil)
	require.ErrorIs(t, err, ErrDatabase)
	assert.Equal(t, "sqlite", SQLite.String())
	assert.Equal(t, "postgresql", PostgreSQL.String())
	assert.Equal(t, "tracksql.Dialect(0)", Dialect(0).String())
}

func TestCorruptRow(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		a, b := lifecycle(t, "ord-a"), lifecycle(t, "ord-b")
		_, err := s.Record(ctx, a[0])
		require.NoError(t, err)
		_, err = s.Record(ctx, b[0])
		require.NoError(t, err)
		_, err = s.db.Exec("UPDATE phlebkit_orders SET value = $1 WHERE order_id = $2", `{"id": "ord-a", "points": 7}`, "ord-a")
		require.NoError(t, err)

		// Another process reads it. (This one has the value it wrote in
		// memory, at the version the row still has.)
		s = open(t, db)
		_, err = s.Record(ctx, a[1])
		require.ErrorIs(t, err, track.ErrMalformed)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "ord-a", e.OrderID)
		msg := err.Error() // after the prefix: the JSON package's words, which vary
		const want = `tracksql: record order "ord-a": the stored value: track: malformed stored order: decode order "ord-a" at /points: json: `
		assert.True(t, strings.HasPrefix(msg, want), "%s, want a prefix %s", msg, want)
		_, _, err = s.Load(ctx, "ord-a")
		require.ErrorIs(t, err, track.ErrMalformed)
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "load", e.Op)

		changes, err := s.Record(ctx, b[1])
		require.NoError(t, err, "the other orders are not affected")
		assert.NotEmpty(t, changes)
	})
}

func TestDatabaseClosed(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		d := db()
		s, err := Open(ctx, d)
		require.NoError(t, err)
		events := lifecycle(t, "ord-1")
		require.NoError(t, d.Close())
		_, err = s.Record(ctx, events[0])
		require.ErrorIs(t, err, ErrDatabase)
		_, _, err = s.Load(ctx, "ord-1")
		require.ErrorIs(t, err, ErrDatabase)
		_, err = s.Dispatch(ctx, func(context.Context, Delivery) error { return nil })
		require.ErrorIs(t, err, ErrDatabase)
		_, err = s.Prune(ctx, monday)
		require.ErrorIs(t, err, ErrDatabase)
		_, err = Open(ctx, d)
		require.ErrorIs(t, err, ErrDatabase)

		// The database is back: the delivery, sent again, is recorded.
		s = open(t, db)
		changes, err := s.Record(ctx, events[0])
		require.NoError(t, err)
		assert.NotEmpty(t, changes)
	})
}

func TestErrorMessage(t *testing.T) {
	err := &Error{Op: "record", OrderID: "ord-1", Key: "ord-1/order_step/1", Reason: "why", Err: ErrDatabase, Cause: errors.New("boom")}
	assert.Equal(t, `tracksql: database failed: record order "ord-1" change "ord-1/order_step/1": why: boom`, err.Error())
	assert.Equal(t, "tracksql: error", (&Error{}).Error())
	assert.ErrorIs(t, err, ErrDatabase)
	assert.Equal(t, []error{ErrSchema}, (&Error{Err: ErrSchema}).Unwrap())
}
