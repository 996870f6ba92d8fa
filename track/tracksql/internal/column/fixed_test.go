package column

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track/internal/parts"
)

// inflate reads back a part appendFixed wrote (after prefix), as the end
// of a stream: it checks the part's blocks and returns what it holds.
func inflate(t testing.TB, prefix, part []byte) []byte {
	t.Helper()
	require.True(t, bytes.HasPrefix(part, prefix), "what dst held is kept")
	part = part[len(prefix):]
	require.NotEmpty(t, part)
	assert.Equal(t, byte(0b010), part[0]&0b111, "a block of fixed codes, not final")
	assert.True(t, bytes.HasSuffix(part, []byte{0x00, 0x00, 0xff, 0xff}), "ends on an empty stored block")
	got, err := io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(part), bytes.NewReader(finalBlock))))
	require.NoError(t, err)
	return got
}

// repeats returns data whose last n bytes repeat those offset bytes
// before them: random bytes (up to n), zeros up to offset, then the n
// bytes, each a copy of the byte offset before it.
func repeats(n, offset int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), uint64(offset)))
	b := make([]byte, offset+n)
	for i := range min(n, offset) {
		b[i] = byte(r.Uint32())
	}
	for i := offset; i < len(b); i++ {
		b[i] = b[i-offset]
	}
	return b
}

// noRepeats returns n random bytes.
func noRepeats(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// fixedCases are inputs that use every length code, the nearest and
// farthest offsets, every literal, and each encoding's edge.
func fixedCases(tb testing.TB) map[string][]byte {
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	cases := map[string][]byte{
		"empty":          nil,
		"one byte":       {'{'},
		"three bytes":    []byte("abc"),
		"four bytes":     []byte("abcd"),
		"a run":          bytes.Repeat([]byte{'a'}, 3*maxMatch+5),
		"every byte":     append(every, every...),
		"random":         noRepeats(5000),
		"longest offset": repeats(16, maxOffset),
		"too far back":   repeats(16, maxOffset+1),
		"JSON":           []byte(`{"id":"ord-1","events":[{"status":"ordered"},{"status":"ordered"}]}`),
	}
	for n := minMatch - 1; n <= maxMatch+1; n++ {
		cases[fmt.Sprintf("length %d", n)] = repeats(n, 300)
	}
	for _, offset := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 24, 25, 257, 4096, 4097, 24576, 24577} {
		cases[fmt.Sprintf("offset %d", offset)] = repeats(maxMatch, offset)
	}
	v := inOrder(tb, lifecycle(tb))
	js, err := v.MarshalJSON()
	require.NoError(tb, err)
	cases["stored form"] = js
	return cases
}

// TestAppendFixed: what appendFixed writes, after what dst held, reads back
// as a part of a stream into what it was given.
func TestAppendFixed(t *testing.T) {
	for name, src := range fixedCases(t) {
		for _, prefix := range [][]byte{nil, []byte("held")} {
			got := inflate(t, prefix, appendFixed(bytes.Clone(prefix), src))
			require.Equal(t, string(src), string(got), "%q", name)
		}
	}
}

// TestAppendFixedSizes: repeats are found, as far back as DEFLATE allows
// and as long as it allows, and parts of JSON keep no more memory than the
// JSON, in one allocation.
func TestAppendFixedSizes(t *testing.T) {
	size := func(b []byte) int { return len(appendFixed(nil, b)) }
	// A run is one literal, then repeats of the longest length, each a
	// length code and an offset code of 5 bits.
	run := bytes.Repeat([]byte{'a'}, 1+4*maxMatch)
	assert.Equal(t, (3+8+4*(8+5)+7+3+7)/8+4, size(run))
	// A repeat of the last four bytes, and none: (3 + 5×8 + 7 + 5+1 + 7 +
	// 3) bits and (3 + 9×8 + 7 + 3), each then to a byte and 4 more.
	assert.Equal(t, 13, size([]byte("abcdXabcd")))
	assert.Equal(t, 15, size([]byte("abcdXefgh")))
	near, far := size(repeats(maxMatch, maxOffset)), size(repeats(maxMatch, maxOffset+1))
	assert.Less(t, near+200, far, "a repeat at the farthest offset is found; one beyond is not")
	for n := minMatch; n <= maxMatch; n++ {
		// The repeat costs at most a length code and an offset code,
		// each with extra bits: 4 bytes, where its literals take n.
		with := repeats(n, 300)
		without := bytes.Clone(with)
		copy(without[300:], noRepeats(n))
		assert.LessOrEqual(t, size(with), size(without)-n+4, "a repeat of %d bytes", n)
	}
	v := inOrder(t, lifecycle(t))
	js, err := v.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, 1296, size(js), "the lifecycle's stored form")
	scratch := make([]byte, 0, len(js))
	part := compressed(&scratch, js)
	assert.Equal(t, appendFixed(nil, js), part)
	assert.Less(t, cap(part), len(js)/2, "the part takes its size, not the scratch's")
	assert.Equal(t, part, scratch, "written in scratch")
	if !raceEnabled {
		assert.Equal(t, 1.0, testing.AllocsPerRun(10, func() { compressed(&scratch, js) }), "the copy")
	}
}

// TestCodes checks the tables of codes against RFC 1951: each length and
// offset gets the code whose range holds it, with the extra bits that
// range needs; the fixed codes are the RFC's, in the order written.
func TestCodes(t *testing.T) {
	for n := 3; n <= maxMatch; n++ {
		c := int(lengthCode[n])
		require.LessOrEqual(t, int(lengthBase[c]), n)
		if c < 28 {
			require.Less(t, n, int(lengthBase[c+1]))
			span := 1 << lengthExtra[c]
			if c == 27 {
				span-- // 258, which its extra bits could say, has a code of its own
			}
			require.Equal(t, int(lengthBase[c+1]-lengthBase[c]), span, "length code %d", c)
		}
	}
	assert.Equal(t, uint8(28), lengthCode[maxMatch], "258 has a code of its own")
	assert.Equal(t, uint8(27), lengthCode[maxMatch-1])
	for d := 1; d <= maxOffset; d++ {
		c, extra := offsetCode(d)
		require.Less(t, c, uint(30))
		require.LessOrEqual(t, int(offsetBase[c]), d)
		end := maxOffset + 1
		if c < 29 {
			end = int(offsetBase[c+1])
		}
		require.Less(t, d, end, "offset %d", d)
		require.Equal(t, end-int(offsetBase[c]), 1<<extra, "offset code %d", c)
	}
	// The fixed codes, most significant bit first, by value.
	for _, r := range []struct{ from, to, code, bits int }{
		{0, 143, 0b00110000, 8}, {144, 255, 0b110010000, 9}, {256, 279, 0b0000000, 7}, {280, 287, 0b11000000, 8},
	} {
		for v := r.from; v <= r.to; v++ {
			require.Equal(t, uint8(r.bits), fixedLens[v])
			want := r.code + v - r.from
			var got int
			for i := range r.bits { // read back, as written: lowest bit first
				got = got<<1 | int(fixedCodes[v]>>i&1)
			}
			require.Equal(t, want, got, "code of %d", v)
		}
	}
}

// TestBitWriter: bits come out lowest first, a byte at a time, the last
// byte filled with zeros.
func TestBitWriter(t *testing.T) {
	w := bitWriter{out: []byte{0xee}}
	w.write(0b101, 3)
	w.write(0x1ffff, 17)
	w.write(0, 13)
	w.write(0b11, 2)
	assert.Equal(t, []byte{0xee, 0xfd, 0xff, 0x0f, 0x00, 0x06}, w.flush())
	assert.Zero(t, w.n)
	assert.Equal(t, []byte{0xee, 0xfd, 0xff, 0x0f, 0x00, 0x06}, w.flush(), "nothing left")
	// Four bytes' worth of bits are written at once.
	w = bitWriter{}
	w.write(0xabcd, 16)
	assert.Empty(t, w.out)
	w.write(0x1234, 16)
	assert.Equal(t, []byte{0xcd, 0xab, 0x34, 0x12}, w.out)
	assert.Zero(t, w.n)
}

// FuzzAppendFixed compresses anything, seeded with the table's cases: it
// reads back into what it was given.
func FuzzAppendFixed(f *testing.F) {
	for _, src := range fixedCases(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got := inflate(t, []byte{0xff}, appendFixed([]byte{0xff}, src))
		require.Equal(t, string(src), string(got))
	})
}

// BenchmarkCompress compresses the lifecycle's stored form (5.7 KB of
// JSON) whole, and its order's snapshot (2.2 KB) as a part: with
// appendFixed, and with compress/flate at BestSpeed, as Pack did before.
// Each reports the bytes written.
func BenchmarkCompress(b *testing.B) {
	v := inOrder(b, lifecycle(b))
	js, spans, err := parts.AppendJSON(&v, nil, nil)
	require.NoError(b, err)
	snapshot := js[spans[0].Start:spans[0].End]
	for _, in := range []struct {
		name string
		json []byte
	}{{"stored-form", js}, {"snapshot", snapshot}} {
		b.Run(in.name+"/fixed", func(b *testing.B) {
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				out = appendFixed(out[:0], in.json)
			}
			b.ReportMetric(float64(len(out)), "bytes")
		})
		b.Run(in.name+"/flate", func(b *testing.B) {
			b.ReportAllocs()
			w, err := flate.NewWriter(nil, flate.BestSpeed)
			require.NoError(b, err)
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				w.Reset(&out)
				_, _ = w.Write(in.json)
				_ = w.Flush()
			}
			b.ReportMetric(float64(out.Len()), "bytes")
		})
	}
}
