package column

import "math/bits"

// A snapshot's part of a packed stream is compressed by appendFixed rather
// than compress/flate: a part is a kilobyte or two, and compress/flate
// spends most of its time on so little building the block's own Huffman
// codes. appendFixed writes DEFLATE's fixed codes (RFC 1951, section
// 3.2.6), which need no building, and finds repeats with a hash of four
// bytes, the latest position of each kept, as compress/flate's BestSpeed
// does. On a snapshot it is about three times as fast, and its part about
// a sixth larger; on a whole stored form, twice as fast and an eighth
// larger (BenchmarkCompress). Any DEFLATE reader reads them.

// Sizes of DEFLATE's repeats.
const (
	minMatch  = 4     // the shortest repeat looked for
	maxMatch  = 258   // the longest repeat a code says
	maxOffset = 32768 // the farthest back a repeat may start
)

// hashBits is the size of appendFixed's table of positions: 2^hashBits.
const hashBits = 12

// fixedCodes are the fixed codes of the literal/length alphabet (RFC 1951,
// 3.2.6), each reversed, since DEFLATE writes a code from its most
// significant bit but packs bits from the least; fixedLens their lengths.
var fixedCodes, fixedLens = func() (codes [288]uint32, lens [288]uint8) {
	for v := range 288 {
		var c, n uint32
		switch {
		case v < 144:
			c, n = 0x30+uint32(v), 8
		case v < 256:
			c, n = 0x190+uint32(v-144), 9
		case v < 280:
			c, n = uint32(v)&0x7f, 7 // v - 256
		default:
			c, n = 0xc0+uint32(v-280), 8
		}
		codes[v], lens[v] = bits.Reverse32(c)>>(32-n), uint8(n)
	}
	return codes, lens
}()

// lengthBase is the shortest length each length code (257 + i) says, and
// lengthExtra how many extra bits follow it.
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
)

// lengthCode is the index in lengthBase of the code of each length.
var lengthCode = func() (codes [maxMatch + 1]uint8) {
	for i := range lengthBase {
		end := maxMatch + 1
		if i+1 < len(lengthBase) {
			end = int(lengthBase[i+1])
		}
		for n := int(lengthBase[i]); n < end; n++ {
			codes[n] = uint8(i)
		}
	}
	return codes
}()

// offsetBase is the nearest offset each offset code says.
var offsetBase = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}

// offsetCode returns the code of an offset from 1 to maxOffset, and how
// many extra bits follow it: codes 0 to 3 say one offset each, and each
// pair of codes after them covers the offsets from a power of two to the
// next, with one more extra bit than the pair before.
func offsetCode(offset int) (code, extra uint) {
	d := uint(offset - 1)
	if d < 4 {
		return d, 0
	}
	n := uint(bits.Len(d))               // d has n bits, the first a one
	return 2*(n-1) + (d>>(n-2))&1, n - 2 // the pair, by n, then d's second bit
}

// bitWriter packs bits into bytes from the least significant bit up, as
// DEFLATE does.
type bitWriter struct {
	out  []byte
	bits uint64 // not yet written, the first in the lowest bits
	n    uint   // how many
}

// write writes the n lowest bits of v (n at most 32).
func (w *bitWriter) write(v uint32, n uint) {
	w.bits |= uint64(v) << w.n
	w.n += n
	if w.n >= 32 {
		w.out = append(w.out, byte(w.bits), byte(w.bits>>8), byte(w.bits>>16), byte(w.bits>>24))
		w.bits >>= 32
		w.n -= 32
	}
}

// code writes the fixed code of v in the literal/length alphabet.
func (w *bitWriter) code(v int) { w.write(fixedCodes[v], uint(fixedLens[v])) }

// flush writes the bits left, the last byte filled with zeros.
func (w *bitWriter) flush() []byte {
	for w.n > 0 {
		w.out = append(w.out, byte(w.bits))
		w.bits >>= 8
		w.n = max(w.n, 8) - 8
	}
	return w.out
}

// load32 returns the four bytes of b from i, the first the lowest.
func load32(b []byte, i int) uint32 {
	return uint32(b[i]) | uint32(b[i+1])<<8 | uint32(b[i+2])<<16 | uint32(b[i+3])<<24
}

// hash4 returns the slot in appendFixed's table of four bytes.
func hash4(u uint32) uint32 { return (u * 0x1e35a7bd) >> (32 - hashBits) }

// appendFixed appends src compressed to dst, as a part of a DEFLATE
// stream: one block of fixed codes, then an empty stored block, which ends
// it on a byte. Neither block is final, and no repeat refers to anything
// before src.
func appendFixed(dst, src []byte) []byte {
	w := bitWriter{out: dst}
	w.write(0b010, 3)              // not final, fixed codes
	var table [1 << hashBits]int32 // position + 1 of the latest four bytes of each hash; 0 for none
	i := 0
	for i+minMatch <= len(src) {
		h := hash4(load32(src, i))
		from := int(table[h]) - 1
		table[h] = int32(i + 1)
		if from < 0 || i-from > maxOffset || load32(src, from) != load32(src, i) {
			w.code(int(src[i]))
			i++
			continue
		}
		n := minMatch
		for i+n < len(src) && n < maxMatch && src[from+n] == src[i+n] {
			n++
		}
		lc := lengthCode[n]
		w.code(257 + int(lc))
		w.write(uint32(n)-uint32(lengthBase[lc]), uint(lengthExtra[lc]))
		oc, extra := offsetCode(i - from)
		w.write(bits.Reverse32(uint32(oc))>>27, 5)
		w.write(uint32(i-from)-uint32(offsetBase[oc]), extra)
		for j := i + 1; j < i+n && j+minMatch <= len(src); j++ {
			table[hash4(load32(src, j))] = int32(j + 1)
		}
		i += n
	}
	for ; i < len(src); i++ {
		w.code(int(src[i]))
	}
	w.code(256)                                // the end of the block
	w.write(0b000, 3)                          // not final, stored
	out := w.flush()                           // to a byte
	return append(out, 0x00, 0x00, 0xff, 0xff) // of length 0
}
