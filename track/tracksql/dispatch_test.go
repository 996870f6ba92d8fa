package tracksql

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
)

// recordAll records events with s and returns the changes.
func recordAll(t testing.TB, s *Store, id string) []track.Change {
	t.Helper()
	var all []track.Change
	for _, e := range lifecycle(t, id) {
		changes, err := s.Record(context.Background(), e)
		require.NoError(t, err)
		all = append(all, changes...)
	}
	return all
}

// collector is a handler that keeps what it is handed, failing or
// panicking on the keys it is told to, once each.
type collector struct {
	mu     sync.Mutex
	got    []Delivery
	counts map[string]int
	fail   map[string]bool
	panics map[string]bool
}

func (c *collector) handle(_ context.Context, d Delivery) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.counts[d.Key]++
	if c.fail[d.Key] {
		delete(c.fail, d.Key)
		return errors.New("boom")
	}
	if c.panics[d.Key] {
		delete(c.panics, d.Key)
		c.mu.Unlock()
		defer c.mu.Lock()
		panic("oops")
	}
	c.got = append(c.got, d)
	return nil
}

func TestDispatch(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, db, WithClock(clk.Now), WithBackoff(time.Minute, time.Hour), WithBatch(5))
		changes := recordAll(t, s, "ord-1")
		recordedAt := clk.Now()
		failing, panicking := changes[2].Key(), changes[7].Key()
		h := &collector{fail: map[string]bool{failing: true}, panics: map[string]bool{panicking: true}}

		n, err := s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Equal(t, len(changes)-2, n)
		n, err = s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Zero(t, n, "the failed changes wait")
		var lastErr string
		require.NoError(t, s.db.QueryRow("SELECT last_error FROM phlebkit_changes WHERE change_key = $1", panicking).Scan(&lastErr))
		assert.Equal(t, "tracksql: handler panicked: oops", lastErr)

		clk.Advance(time.Minute)
		n, err = s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Equal(t, 2, n)

		// Each change handed out, as it was recorded, in the order it was
		// recorded but for the retries; each accepted once.
		want := map[string]track.Change{}
		for _, c := range changes {
			want[c.Key()] = c
		}
		got := map[string]track.Change{}
		for i, d := range h.got {
			got[d.Key] = d.Change
			assert.Equal(t, d.Key, d.Change.Key())
			assert.Equal(t, "ord-1", d.OrderID)
			assert.True(t, recordedAt.Equal(d.RecordedAt))
			if i < len(changes)-2 {
				assert.Equal(t, 1, d.Attempt)
			} else {
				assert.Equal(t, 2, d.Attempt)
			}
		}
		assert.Equal(t, want, got)
		assert.Equal(t, changes[2].Key(), h.got[len(h.got)-2].Key)
		assert.Equal(t, 2, h.counts[failing])

		var pending int
		require.NoError(t, s.db.QueryRow("SELECT count(*) FROM phlebkit_changes WHERE done_at IS NULL OR lease IS NOT NULL OR last_error IS NOT NULL").Scan(&pending))
		assert.Zero(t, pending)
		n, err = s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}

func TestBackoff(t *testing.T) {
	s := &Store{cfg: config{backoffMin: time.Second, backoffMax: 10 * time.Second}}
	for attempts, want := range []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
		assert.Equal(t, want, s.backoff(attempts), "backoff(%d)", attempts)
	}
	assert.Equal(t, 10*time.Second, s.backoff(1000))
}

// TestLeaseExpires: a dispatcher that leased changes and stopped (a
// crash) holds them until the lease expires; then another hands them
// out.
func TestLeaseExpires(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		clk := newClock()
		crashed := open(t, db, WithClock(clk.Now), WithLease(time.Minute))
		changes := recordAll(t, crashed, "ord-1")
		batch, _, err := crashed.claim(ctx)
		require.NoError(t, err)
		require.Len(t, batch, len(changes), "one batch leases them all")

		other := open(t, db, WithClock(clk.Now))
		h := &collector{}
		n, err := other.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Zero(t, n, "leased")
		clk.Advance(time.Minute)
		n, err = other.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Equal(t, len(changes), n)
		for _, d := range h.got {
			assert.Equal(t, 2, d.Attempt)
		}
	})
}

// TestDispatchShared has several dispatchers, each its own Store and
// connection pool, share the changes of several orders at once: each
// change is handed out exactly once, since none fails and no lease
// expires.
func TestDispatchShared(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		recorder := open(t, db)
		var changes []track.Change
		for _, id := range []string{"ord-1", "ord-2", "ord-3"} {
			changes = append(changes, recordAll(t, recorder, id)...)
		}
		h := &collector{}
		var wg sync.WaitGroup
		for range 4 {
			s := open(t, db, WithBatch(3))
			wg.Go(func() {
				_, err := s.Dispatch(ctx, h.handle)
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		n, err := recorder.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Zero(t, n, "all done")
		assert.Len(t, h.counts, len(changes))
		for k, n := range h.counts {
			assert.Equal(t, 1, n, k)
		}
	})
}

// TestDispatchStops: once ctx is done, the change under way finishes and
// the rest of the batch is released, its attempt not counted.
func TestDispatchStops(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		s := open(t, db)
		changes := recordAll(t, s, "ord-1")
		ctx, cancel := context.WithCancel(context.Background())
		var handed []Delivery
		n, err := s.Dispatch(ctx, func(hctx context.Context, d Delivery) error {
			cancel()
			assert.NoError(t, hctx.Err(), "the handler is not cancelled with ctx")
			handed = append(handed, d)
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		h := &collector{}
		n, err = s.Dispatch(context.Background(), h.handle)
		require.NoError(t, err)
		assert.Equal(t, len(changes)-1, n)
		for _, d := range h.got {
			assert.Equal(t, 1, d.Attempt)
			assert.NotEqual(t, handed[0].Key, d.Key)
		}
	})
}

func TestRun(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		var logs bytes.Buffer
		s := open(t, db, WithPollInterval(time.Hour), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		ctx, cancel := context.WithCancel(context.Background())
		handed := make(chan Delivery)
		done := make(chan error)
		go func() {
			done <- s.Run(ctx, func(ctx context.Context, d Delivery) error {
				handed <- d
				return nil
			})
		}()
		// Recorded while Run waits: the Store wakes it, long before the
		// poll interval.
		changes := recordAll(t, s, "ord-1")
		want := map[string]bool{}
		for _, c := range changes {
			want[c.Key()] = true
		}
		got := map[string]bool{}
		for len(got) < len(want) {
			d := <-handed
			got[d.Key] = true
		}
		assert.Equal(t, want, got)
		cancel()
		require.NoError(t, <-done)
		assert.Empty(t, logs.String())
	})
}

func TestRunLogsFailures(t *testing.T) {
	logs := &syncBuffer{}
	d := sqliteDB(t)()
	s, err := Open(context.Background(), d, WithLogger(slog.New(slog.NewTextHandler(logs, nil))), WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	require.NoError(t, d.Close())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx, func(context.Context, Delivery) error { return nil }) }()
	for !strings.Contains(logs.String(), "tracksql: dispatch failed") {
		time.Sleep(time.Millisecond)
	}
	cancel()
	require.NoError(t, <-done)
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestCorruptChange(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		var logs bytes.Buffer
		clk := newClock()
		s := open(t, db, WithClock(clk.Now), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		changes := recordAll(t, s, "ord-1")
		bad := changes[3].Key()
		_, err := s.db.Exec("UPDATE phlebkit_changes SET body = $1 WHERE change_key = $2", `{"kind": "nope"}`, bad)
		require.NoError(t, err)
		h := &collector{}
		n, err := s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		assert.Equal(t, len(changes)-1, n, "the others are handed out")
		var lastErr string
		require.NoError(t, s.db.QueryRow("SELECT last_error FROM phlebkit_changes WHERE change_key = $1", bad).Scan(&lastErr))
		assert.Contains(t, lastErr, `tracksql: dispatch order "ord-1" change "`+bad+`": track: malformed stored order`)
		assert.Contains(t, logs.String(), "tracksql: stored change unreadable")
	})
}

func TestPrune(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		clk := newClock()
		s := open(t, db, WithClock(clk.Now))
		changes := recordAll(t, s, "ord-1")
		h := &collector{fail: map[string]bool{changes[0].Key(): true}}
		_, err := s.Dispatch(ctx, h.handle)
		require.NoError(t, err)
		doneAt := clk.Now()
		clk.Advance(time.Hour)
		n, err := s.Prune(ctx, doneAt)
		require.NoError(t, err)
		assert.Zero(t, n, "done at the very time: kept")
		n, err = s.Prune(ctx, doneAt.Add(time.Nanosecond))
		require.NoError(t, err)
		var left []string
		rows, err := s.db.Query("SELECT change_key FROM phlebkit_changes ORDER BY id")
		require.NoError(t, err)
		for rows.Next() {
			var k string
			require.NoError(t, rows.Scan(&k))
			left = append(left, k)
		}
		require.NoError(t, rows.Err())
		if s.Dialect() == SQLite {
			assert.Equal(t, int64(len(changes)-2), n, "done before: pruned; not done, or the last: kept")
			assert.Equal(t, []string{changes[0].Key(), changes[len(changes)-1].Key()}, left)
		} else {
			assert.Equal(t, int64(len(changes)-1), n, "done before: pruned; not done: kept")
			assert.Equal(t, []string{changes[0].Key()}, left)
		}
	})
}

func TestRecordTx(t *testing.T) {
	eachDB(t, func(t *testing.T, db opener) {
		ctx := context.Background()
		s := open(t, db)
		_, err := s.db.Exec("CREATE TABLE sent (change_key TEXT PRIMARY KEY)")
		require.NoError(t, err)
		events := lifecycle(t, "ord-1")
		want, wantChanges := inOrder(t, events)

		// Rolled back: nothing of it stays.
		tx, err := s.db.BeginTx(ctx, nil)
		require.NoError(t, err)
		changes, err := s.RecordTx(ctx, tx, events[0])
		require.NoError(t, err)
		require.NotEmpty(t, changes)
		require.NoError(t, tx.Rollback())
		_, version, err := s.Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.Zero(t, version)
		assert.Empty(t, stored(t, s.db))

		// Committed: the value, the changes and the caller's own writes.
		var got []track.Change
		for _, e := range events {
			tx, err := s.db.BeginTx(ctx, nil)
			require.NoError(t, err)
			changes, err := s.RecordTx(ctx, tx, e)
			require.NoError(t, err)
			for _, c := range changes {
				_, err := tx.Exec("INSERT INTO sent (change_key) VALUES ($1)", c.Key())
				require.NoError(t, err)
			}
			require.NoError(t, tx.Commit())
			got = append(got, changes...)
		}
		assert.Equal(t, wantChanges, got)
		held, _, err := s.Load(ctx, "ord-1")
		require.NoError(t, err)
		assert.True(t, want.Equal(held))
		assert.Equal(t, byKey(t, wantChanges), stored(t, s.db))
		var sent int
		require.NoError(t, s.db.QueryRow("SELECT count(*) FROM sent").Scan(&sent))
		assert.Equal(t, len(wantChanges), sent)

		_, err = s.RecordTx(ctx, nil, events[0])
		require.ErrorIs(t, err, ErrDatabase)
	})
}

func TestDispatchNoHandler(t *testing.T) {
	s := open(t, sqliteDB(t))
	_, err := s.Dispatch(context.Background(), nil)
	require.ErrorIs(t, err, ErrDatabase)
}
