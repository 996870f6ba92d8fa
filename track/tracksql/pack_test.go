package tracksql

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
)

// withID returns the Tracked that knows only its id, whose stored form is
// {"id":"…"}: 9 bytes and the id.
func withID(t *testing.T, id string) track.Tracked {
	t.Helper()
	var v track.Tracked
	require.NoError(t, v.UnmarshalJSON([]byte(`{"id":"`+id+`"}`)))
	return v
}

// deflated returns b compressed, as pack writes it.
func deflated(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte(packedDeflate)
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	require.NoError(t, err)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// TestPack: a stored form of up to packAbove bytes is written as it is, a
// larger one packed; both read back into an equal value.
func TestPack(t *testing.T) {
	for _, n := range []int{packAbove, packAbove + 1} {
		v := withID(t, strings.Repeat("x", n-9))
		js, err := v.MarshalJSON()
		require.NoError(t, err)
		require.Len(t, js, n)
		b, err := pack(v)
		require.NoError(t, err)
		if n == packAbove {
			assert.Equal(t, js, b, "as it is")
		} else {
			assert.Equal(t, byte(packedDeflate), b[0])
			assert.Less(t, len(b), 100, "packed")
		}
		got, err := unpack(b)
		require.NoError(t, err)
		assert.Equal(t, js, got)
		w, err := unpackValue(b)
		require.NoError(t, err)
		assert.True(t, v.Equal(w))
	}
	// Concurrent packing shares the compressors safely.
	v := withID(t, strings.Repeat("y", 2*packAbove))
	want, err := pack(v)
	require.NoError(t, err)
	done := make(chan []byte)
	for range 4 {
		go func() {
			b, _ := pack(v)
			done <- b
		}()
	}
	for range 4 {
		assert.Equal(t, want, <-done)
	}
}

// TestUnpackFaults: bytes in neither encoding are an error, and so is a
// packed value that unpacks to more than maxUnpacked bytes; exactly
// maxUnpacked is read.
func TestUnpackFaults(t *testing.T) {
	for _, b := range [][]byte{{packedDeflate}, {packedDeflate, 0xff, 0xff}, deflated(t, []byte(`{"id":"x"}`))[:4]} {
		_, err := unpack(b)
		require.ErrorIs(t, err, errUnpack, "%x", b)
		_, err = unpackValue(b)
		require.ErrorIs(t, err, errUnpack)
	}
	_, err := unpackValue(nil)
	require.ErrorIs(t, err, track.ErrMalformed)
	_, err = unpackValue([]byte("[]"))
	require.ErrorIs(t, err, track.ErrMalformed)

	defer func(n int) { maxUnpacked = n }(maxUnpacked)
	maxUnpacked = 100
	exact := []byte(`{"id":"` + strings.Repeat("z", 100-9) + `"}`)
	v, err := unpackValue(deflated(t, exact))
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("z", 91), v.ID())
	_, err = unpack(deflated(t, append(exact, ' ')))
	require.ErrorIs(t, err, errUnpack)
	assert.ErrorContains(t, err, "more than 100 bytes unpacked")
}

// TestPackedRows: a row holds its order's stored form as JSON while it is
// small, packed once it is large, and another process reads each back
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
		for i, e := range events {
			_, err := s.Record(ctx, e)
			require.NoError(t, err)
			if i == 0 {
				assert.Equal(t, byte('{'), first())
			} else if i < len(events)-1 {
				continue
			}
			want, _ := inOrder(t, events[:i+1])
			got, _, err := open(t, db).Load(ctx, "ord-1")
			require.NoError(t, err)
			wantJSON, err := want.MarshalJSON()
			require.NoError(t, err)
			gotJSON, err := got.MarshalJSON()
			require.NoError(t, err)
			require.Equal(t, string(wantJSON), string(gotJSON), "after %d events", i+1)
		}
		assert.Equal(t, byte(packedDeflate), first())

		_, err := s.db.Exec("UPDATE phlebkit_orders SET value = $1 WHERE order_id = $2", []byte{packedDeflate, 1, 2, 3}, "ord-1")
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

// TestPackTo: a value packed into a buffer that held another is packed as
// into a new one, and packing into the buffers kept for reuse allocates
// nothing.
func TestPackTo(t *testing.T) {
	buf := new(packBuffer)
	for _, s := range []string{"y", "z", "x"} {
		n := 2 * packAbove
		if s == "x" {
			n = packAbove / 2 // written as it is, in the same buffer
		}
		v := withID(t, strings.Repeat(s, n))
		want, err := pack(v)
		require.NoError(t, err)
		got, err := packTo(buf, v)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		js, err := v.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, js, buf.json, "the JSON is kept in the buffer")
	}
	v := withID(t, strings.Repeat("w", 4*packAbove))
	allocs := testing.AllocsPerRun(100, func() {
		buf := packBuffers.Get().(*packBuffer)
		if _, err := packTo(buf, v); err != nil {
			t.Fatal(err)
		}
		putPackBuffer(buf)
	})
	t.Logf("%.1f allocations", allocs)
	if !raceEnabled {
		assert.Zero(t, allocs)
	}
	// A buffer grown beyond maxPooled is not kept.
	for _, large := range []*packBuffer{{json: make([]byte, 0, maxPooled+1)}, {packed: *bytes.NewBuffer(make([]byte, 0, maxPooled+1))}} {
		putPackBuffer(large)
		assert.NotSame(t, large, packBuffers.Get())
	}
	kept := &packBuffer{json: make([]byte, 0, maxPooled), packed: *bytes.NewBuffer(make([]byte, 0, maxPooled))}
	if !raceEnabled { // the race detector drops pooled values at random
		// A goroutine moved to another processor between Put and Get gets
		// a new buffer: try a few times.
		same := false
		for range 10 {
			putPackBuffer(kept)
			if packBuffers.Get() == any(kept) {
				same = true
				break
			}
		}
		assert.True(t, same, "a buffer of maxPooled is kept")
	}
}
