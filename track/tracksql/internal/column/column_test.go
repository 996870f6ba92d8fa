package column

import (
	"bytes"
	"cmp"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/internal/parts"
	"github.com/phlebkit/phlebkit/webhook"
)

// lifecycle returns the events of testdata/lifecycle.jsonl, the webhooks
// Junction sends for one order, ord-1, in order: booked, rescheduled,
// cancelled, booked again, drawn and resulted.
func lifecycle(tb testing.TB) []webhook.Event { return lifecycleOf(tb, "ord-1") }

// lifecycleOf returns the events of lifecycle, for the order id.
func lifecycleOf(tb testing.TB, id string) []webhook.Event {
	tb.Helper()
	data, err := os.ReadFile("testdata/lifecycle.jsonl")
	require.NoError(tb, err)
	data = bytes.ReplaceAll(data, []byte(`"ord-1"`), []byte(strconv.Quote(id)))
	var events []webhook.Event
	for line := range bytes.Lines(data) {
		e, err := webhook.Decode(line)
		require.NoError(tb, err)
		events = append(events, e)
	}
	require.Len(tb, events, 21)
	return events
}

// pack returns the column's bytes for the stored form of v on SQLite.
func pack(v track.Tracked) ([]byte, error) { return Pack(new(Buffer), &v, LimitSQLite) }

// inOrder applies events in turn to the zero Tracked.
func inOrder(tb testing.TB, events []webhook.Event) track.Tracked {
	tb.Helper()
	var v track.Tracked
	for _, e := range events {
		next, _, err := v.Apply(e)
		require.NoError(tb, err)
		v = next
	}
	return v
}

// withID returns the Tracked that knows only its id, whose stored form is
// {"id":"…"}: 9 bytes and the id.
func withID(t *testing.T, id string) track.Tracked {
	t.Helper()
	var v track.Tracked
	require.NoError(t, v.UnmarshalJSON([]byte(`{"id":"`+id+`"}`)))
	return v
}

// whole returns b compressed whole, as Pack writes it.
func whole(b []byte) []byte {
	return append(append([]byte{Packed}, compressed(new([]byte), b)...), finalBlock...)
}

// deflated returns b compressed by compress/flate, as Pack wrote it
// compressed whole before it compressed by itself: it reads the same.
func deflated(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte(Packed)
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	require.NoError(t, err)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// TestPack: a stored form of up to LimitSQLite bytes is written as it is, a
// larger one packed; both read back into an equal value.
func TestPack(t *testing.T) {
	for _, n := range []int{LimitSQLite, LimitSQLite + 1} {
		v := withID(t, strings.Repeat("x", n-9))
		js, err := v.MarshalJSON()
		require.NoError(t, err)
		require.Len(t, js, n)
		b, err := pack(v)
		require.NoError(t, err)
		if n == LimitSQLite {
			assert.Equal(t, js, b, "as it is")
		} else {
			assert.Equal(t, byte(Packed), b[0])
			assert.Less(t, len(b), 100, "packed")
		}
		got, err := Unpack(b)
		require.NoError(t, err)
		assert.Equal(t, js, got)
		w, err := UnpackValue(b)
		require.NoError(t, err)
		assert.True(t, v.Equal(w))
	}
	// Concurrent packing shares the compressors safely.
	v := withID(t, strings.Repeat("y", 2*LimitSQLite))
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
	for _, b := range [][]byte{{Packed}, {Packed, 0xff, 0xff}, deflated(t, []byte(`{"id":"x"}`))[:4]} {
		_, err := Unpack(b)
		require.ErrorIs(t, err, ErrUnpack, "%x", b)
		_, err = UnpackValue(b)
		require.ErrorIs(t, err, ErrUnpack)
	}
	_, err := UnpackValue(nil)
	require.ErrorIs(t, err, track.ErrMalformed)
	_, err = UnpackValue([]byte("[]"))
	require.ErrorIs(t, err, track.ErrMalformed)

	defer func(n int) { maxUnpacked = n }(maxUnpacked)
	maxUnpacked = 100
	exact := []byte(`{"id":"` + strings.Repeat("z", 100-9) + `"}`)
	v, err := UnpackValue(deflated(t, exact))
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("z", 91), v.ID())
	_, err = Unpack(deflated(t, append(exact, ' ')))
	require.ErrorIs(t, err, ErrUnpack)
	assert.ErrorContains(t, err, "more than 100 bytes unpacked")
}

// TestPackTo: a value packed into a buffer that held another is packed as
// into a new one, and packing into the buffers kept for reuse allocates
// nothing.
func TestPackTo(t *testing.T) {
	buf := new(Buffer)
	for _, s := range []string{"y", "z", "x"} {
		n := 2 * LimitSQLite
		if s == "x" {
			n = LimitSQLite / 2 // written as it is, in the same buffer
		}
		v := withID(t, strings.Repeat(s, n))
		want, err := pack(v)
		require.NoError(t, err)
		got, err := Pack(buf, &v, LimitSQLite)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		js, err := v.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, js, buf.json, "the JSON is kept in the buffer")
	}
	v := withID(t, strings.Repeat("w", 4*LimitSQLite))
	allocs := testing.AllocsPerRun(100, func() {
		buf := buffers.Get().(*Buffer)
		if _, err := Pack(buf, &v, LimitSQLite); err != nil {
			t.Fatal(err)
		}
		Put(buf)
	})
	t.Logf("%.1f allocations", allocs)
	if !raceEnabled {
		assert.Zero(t, allocs)
	}
	// A buffer grown beyond maxPooled is not kept.
	for _, large := range []*Buffer{{json: make([]byte, 0, maxPooled+1)}, {packed: *bytes.NewBuffer(make([]byte, 0, maxPooled+1))},
		{spans: make([]parts.Span, 0, maxPooledSpans+1)}, {scratch: make([]byte, 0, maxPooled+1)}} {
		Put(large)
		assert.NotSame(t, large, buffers.Get())
	}
	kept := &Buffer{json: make([]byte, 0, maxPooled), packed: *bytes.NewBuffer(make([]byte, 0, maxPooled)),
		spans: make([]parts.Span, 0, maxPooledSpans), scratch: make([]byte, 0, maxPooled)}
	if !raceEnabled { // the race detector drops pooled values at random
		// A goroutine moved to another processor between Put and Get gets
		// a new buffer: try a few times.
		same := false
		for range 10 {
			Put(kept)
			if buffers.Get() == any(kept) {
				same = true
				break
			}
		}
		assert.True(t, same, "a buffer of maxPooled is kept")
	}
}

// spansOf packs v into a new buffer and returns the bytes and the buffer.
func spansOf(t *testing.T, v track.Tracked, limit int) ([]byte, *Buffer) {
	t.Helper()
	buf := new(Buffer)
	b, err := Pack(buf, &v, limit)
	require.NoError(t, err)
	return b, buf
}

// packedParts returns, for each span of buf, whether its snapshot is kept
// compressed.
func packedParts(buf *Buffer) []bool {
	var out []bool
	for _, sp := range buf.spans {
		out = append(out, sp.Snapshot.Packed.Load() != nil)
	}
	return out
}

// TestPackParts: along a lifecycle, and one with many appointments, every
// stored form reads back exactly; a stored form of more than the limit of
// its database is packed into at most that limit and its blocks' headers,
// its oldest snapshots compressed first and each snapshot compressed once,
// the newest left as it is when that is enough.
func TestPackParts(t *testing.T) {
	for _, limit := range []int{LimitSQLite, LimitPostgreSQL} {
		t.Run(strconv.Itoa(limit), func(t *testing.T) { testPackParts(t, limit) })
	}
}

func testPackParts(t *testing.T, limit int) {
	events := lifecycle(t)
	for i := 3; i < 18; i++ { // more appointments, each booked, then cancelled
		more := lifecycle(t)
		for _, e := range more {
			if e.Appointment != nil {
				a := *e.Appointment
				a.ID = fmt.Sprintf("appt-%03d-%s", i, a.ID)
				e.Appointment = &a
				events = append(events, e)
			}
		}
	}
	var v track.Tracked
	packed := map[*parts.Snapshot]*[]byte{} // what each snapshot was compressed to
	wholes := 0                             // stored forms compressed whole
	for i, e := range events {
		next, _, err := v.Apply(e)
		require.NoError(t, err)
		if next.Equal(v) {
			continue
		}
		v = next
		b, buf := spansOf(t, v, limit)
		js, err := v.MarshalJSON()
		require.NoError(t, err)
		require.Equal(t, js, buf.json)
		got, err := Unpack(b)
		require.NoError(t, err)
		require.Equal(t, string(js), string(got), "event %d", i)
		if len(js) <= limit {
			require.Equal(t, js, b, "event %d: as it is", i)
			continue
		}
		require.Equal(t, byte(Packed), b[0])
		if bytes.Equal(b, whole(js)) {
			// Even with its snapshots compressed it would be larger: it is
			// compressed whole.
			wholes++
			continue
		}
		compressedSome := false
		for _, sp := range buf.spans {
			p := sp.Snapshot.Packed.Load()
			if p == nil {
				continue
			}
			compressedSome = true
			if before, ok := packed[sp.Snapshot]; ok {
				require.Same(t, before, p, "event %d: compressed once", i)
			}
			packed[sp.Snapshot] = p
		}
		require.True(t, compressedSome, "event %d", i)
		require.LessOrEqual(t, len(b), limit+1+5*(2*len(buf.spans)+2), "event %d", i)
		// The snapshots left as they are are younger than those compressed
		// for this write.
		for _, sp := range buf.spans {
			if sp.Snapshot.Packed.Load() != nil {
				continue
			}
			for _, q := range buf.spans {
				if p, ok := packed[q.Snapshot]; ok && q.Snapshot.Packed.Load() == p {
					assert.True(t, q.Snapshot.Age < sp.Snapshot.Age || q.Snapshot.Age == sp.Snapshot.Age, "event %d", i)
				}
			}
		}
		// Packing again compresses nothing more, and writes the same.
		again, _ := spansOf(t, v, limit)
		require.Equal(t, b, again)
	}
	assert.GreaterOrEqual(t, len(packed), 4, "snapshots compressed")
	assert.NotZero(t, wholes, "the appointments outgrow the limit")
}

// TestPackOldestFirst: when compressing one snapshot brings the stored form
// within LimitSQLite, the oldest one is compressed, and the others are
// written as they are; when none needs compressing after all, none is.
func TestPackOldestFirst(t *testing.T) {
	events := lifecycle(t)
	var v track.Tracked
	var b []byte
	var buf *Buffer
	for _, e := range events {
		next, _, err := v.Apply(e)
		require.NoError(t, err)
		v = next
		js, err := v.MarshalJSON()
		require.NoError(t, err)
		if len(js) > LimitSQLite {
			b, buf = spansOf(t, v, LimitSQLite)
			break
		}
	}
	require.NotNil(t, buf, "the lifecycle grows beyond LimitSQLite")
	oldest := 0
	for i, sp := range buf.spans {
		if sp.Snapshot.Age < buf.spans[oldest].Snapshot.Age {
			oldest = i
		}
	}
	want := make([]bool, len(buf.spans))
	want[oldest] = true
	assert.Equal(t, want, packedParts(buf))
	got, err := Unpack(b)
	require.NoError(t, err)
	assert.Equal(t, buf.json, got)
}

// TestPackStored: stored blocks hold at most maxStored bytes each, so that
// a stored form whose JSON outside its snapshots is longer reads back
// exactly; with its snapshots all compressed it is still above LimitSQLite,
// and is then compressed whole.
func TestPackStored(t *testing.T) {
	var buf bytes.Buffer
	data := bytes.Repeat([]byte("0123456789"), 2*maxStored/10+7)
	writeStored(&buf, data)
	buf.Write(finalBlock)
	assert.Equal(t, len(data)+3*5+5, buf.Len(), "three blocks and the final one")
	got, err := io.ReadAll(flate.NewReader(&buf))
	require.NoError(t, err)
	assert.Equal(t, data, got)
	buf.Reset()
	writeStored(&buf, nil)
	assert.Zero(t, buf.Len())

	part := compressed(new([]byte), data)
	assert.Less(t, len(part), 1000)
	got, err = io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(part), bytes.NewReader(finalBlock))))
	require.NoError(t, err)
	assert.Equal(t, data, got)

	// Many appointments (the JSON between them) outgrow LimitSQLite.
	v := inOrder(t, lifecycleOf(t, "ord-"+strings.Repeat("9", 3*LimitSQLite)))
	b, buf2 := spansOf(t, v, LimitSQLite)
	assert.Equal(t, whole(buf2.json), b)
	assert.NotContains(t, packedParts(buf2), true, "no snapshot compressed in vain")
	got, err = Unpack(b)
	require.NoError(t, err)
	assert.Equal(t, buf2.json, got)
}

// TestPackDecisions: along the lifecycle, which stored forms each limit
// writes as they are, packed in parts, or compressed whole, and how many of
// their snapshots are compressed (now or before): a stored form that even
// its snapshots compressed would leave above the limit is compressed whole
// at once, without compressing them.
func TestPackDecisions(t *testing.T) {
	for _, c := range []struct {
		limit int
		want  []string
	}{
		{LimitSQLite, []string{"json", "json", "json", "json", "json", "json", "json", "json", "json", "json",
			"parts 1/3", "parts 1/3", "parts 2/3", "parts 2/3", "parts 3/4", "parts 4/4", "parts 3/4", "parts 3/4",
			"parts 3/4", "parts 4/4", "whole 3/4"}},
		{LimitPostgreSQL, []string{"json", "json", "parts 1/2", "parts 1/2", "parts 2/2", "parts 2/2", "whole 3/3",
			"whole 2/3", "whole 1/3", "whole 1/3", "whole 1/3", "whole 1/3", "whole 1/3", "whole 1/3", "whole 1/4",
			"whole 1/4", "whole 1/4", "whole 1/4", "whole 1/4", "whole 1/4", "whole 1/4"}},
	} {
		var v track.Tracked
		buf := new(Buffer)
		var got []string
		for _, e := range lifecycle(t) {
			next, _, err := v.Apply(e)
			require.NoError(t, err)
			v = next
			b, err := Pack(buf, &v, c.limit)
			require.NoError(t, err)
			n := 0 // snapshots compressed, now or before
			for _, p := range packedParts(buf) {
				if p {
					n++
				}
			}
			switch {
			case b[0] == '{':
				got = append(got, "json")
			case bytes.Equal(b, whole(buf.json)):
				got = append(got, fmt.Sprintf("whole %d/%d", n, len(buf.spans)))
			default:
				got = append(got, fmt.Sprintf("parts %d/%d", n, len(buf.spans)))
			}
		}
		assert.Equal(t, c.want, got, "limit %d", c.limit)
	}
}

// TestPackBoundaries: a stored form exactly at the limit once its
// snapshots are compressed is packed in parts, not whole; one exactly at
// the limit once its oldest snapshot is compressed has that one compressed
// only; and one whose estimate (each snapshot compressed to half its size)
// is exactly the limit has its snapshots compressed, not the whole.
func TestPackBoundaries(t *testing.T) {
	// fresh returns the value after the first n events of the lifecycle,
	// none of whose snapshots was compressed, its JSON, and the size of
	// each snapshot's JSON and compressed part, oldest first.
	fresh := func(id string, n int) (track.Tracked, []byte, [][2]int) {
		v := inOrder(t, lifecycleOf(t, id)[:n])
		js, spans, err := parts.AppendJSON(&v, nil, nil)
		require.NoError(t, err)
		slices.SortFunc(spans, func(a, b parts.Span) int { return cmp.Compare(a.Snapshot.Age, b.Snapshot.Age) })
		var sizes [][2]int
		for _, sp := range spans {
			require.Nil(t, sp.Snapshot.Packed.Load())
			sizes = append(sizes, [2]int{sp.End - sp.Start, len(compressed(new([]byte), js[sp.Start:sp.End]))})
		}
		return v, js, sizes
	}
	check := func(v track.Tracked, limit, wantCompressed int) {
		t.Helper()
		buf := new(Buffer)
		b, err := Pack(buf, &v, limit)
		require.NoError(t, err)
		require.Equal(t, byte(Packed), b[0])
		require.NotEqual(t, whole(buf.json), b, "not compressed whole")
		n := 0
		for _, p := range packedParts(buf) {
			if p {
				n++
			}
		}
		assert.Equal(t, wantCompressed, n)
		got, err := Unpack(b)
		require.NoError(t, err)
		assert.Equal(t, buf.json, got)
	}

	// Every snapshot compressed before, the stream exactly at the limit.
	v, js, sizes := fresh("ord-1", 11)
	require.Len(t, sizes, 3)
	all := len(js)
	for _, s := range sizes {
		all -= s[0] - s[1]
	}
	_, spans, err := parts.AppendJSON(&v, nil, nil)
	require.NoError(t, err)
	for _, sp := range spans {
		p := compressed(new([]byte), js[sp.Start:sp.End])
		sp.Snapshot.Packed.Store(&p)
	}
	check(v, all, 3)

	// The oldest snapshot compressed brings it exactly to the limit.
	v, js, sizes = fresh("ord-1", 11)
	check(v, len(js)-(sizes[0][0]-sizes[0][1]), 1)

	// The estimate exactly at the limit: the order alone, which compresses
	// to less than half (its long id repeats).
	v, js, sizes = fresh("ord-"+strings.Repeat("1", 400), 1)
	require.Len(t, sizes, 1)
	require.Less(t, sizes[0][1], sizes[0][0]/2)
	check(v, len(js)-sizes[0][0]/2, 1)
}
