// Package column writes and reads the value column of tracksql's orders
// table, phlebkit_orders: a tracked order's stored form
// ([track.Tracked.MarshalJSON]) in one of two encodings, told apart by
// their first byte:
//
//   - '{': the JSON as it is, as schema version 1 wrote every value, and
//     as version 2 writes a stored form of at most the database's limit
//     (LimitSQLite, LimitPostgreSQL);
//   - Packed: the byte, then the JSON as a DEFLATE stream (RFC 1951), as
//     version 2 writes a larger stored form.
//
// An order's stored form grows with each snapshot it holds, and repeats
// itself (its snapshots share their addresses, names and statuses), so
// that it packs to about a quarter of its size: a row keeps fitting in one
// database page, and each write of it rewrites that page only, where the
// JSON would spill into overflow pages, each rewritten too.
//
// Each delivery replaces one snapshot, so the stream is made of parts
// rather than compressed whole: each snapshot's JSON is compressed on its
// own, once, and kept with the snapshot (see track/internal/parts) for the
// next writes; the rest of the JSON, and snapshots that were not
// compressed, go in stored blocks, which cost a copy. Snapshots are
// compressed oldest first, until the stream is within the limit: the
// latest snapshots, which the next deliveries are likely to replace, are
// mostly written as they are, so that most writes compress nothing. A
// stored form whose JSON outside its snapshots is too large for that is
// compressed whole. Both are compressed with DEFLATE's fixed codes (see
// appendFixed). Any DEFLATE stream reads back, whichever way it was
// written: the values earlier versions compressed with compress/flate
// read as before.
package column

import (
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/internal/parts"
)

// Packed is the first byte of a packed value.
const Packed = 0x01

// LimitSQLite is the size of the largest stored form written as it is on
// SQLite, and the size a larger one is brought down to by compressing its
// snapshots: with the row's other columns, within a page of 4 KiB (SQLite's
// default).
const LimitSQLite = 3584

// LimitPostgreSQL is LimitSQLite on PostgreSQL: a row stays below the 2
// KiB from which PostgreSQL compresses (TOAST) a row itself, on the
// database's processors.
const LimitPostgreSQL = 1900

// maxStored is the length of the longest stored block of DEFLATE.
const maxStored = 0xffff

// finalBlock is an empty stored block that ends a DEFLATE stream.
var finalBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// maxUnpacked bounds the size of a stored form unpacked: a value that
// claims more is malformed, not read on. A variable, for tests.
var maxUnpacked = 64 << 20

// readers are DEFLATE decompressors kept for reuse.
var readers = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// buffers hold stored forms while they are written, as JSON and
// packed, for reuse (Get, Put): the database's driver copies the bytes of
// a statement's argument.
var buffers = sync.Pool{New: func() any { return new(Buffer) }}

// Buffer holds a stored form as JSON, where its snapshots lie in it,
// and the stored form packed: where Pack writes. The zero Buffer is ready.
type Buffer struct {
	json    []byte
	spans   []parts.Span
	order   []int // indexes of spans, oldest snapshot first
	packed  bytes.Buffer
	scratch []byte // where snapshots are compressed, before they are copied
}

// maxPooled is the capacity of the largest buffer kept in buffers, and
// maxPooledSpans that of the largest list of spans.
const (
	maxPooled      = 64 << 10
	maxPooledSpans = 1 << 10
)

// Get returns a Buffer kept for reuse, or a new one.
func Get() *Buffer { return buffers.Get().(*Buffer) }

// Put keeps buf for reuse by Get, unless it grew large; buf, and the bytes
// Pack wrote in it, must not be used after.
func Put(buf *Buffer) {
	if cap(buf.json) <= maxPooled && buf.packed.Cap() <= maxPooled && cap(buf.scratch) <= maxPooled && cap(buf.spans) <= maxPooledSpans {
		buffers.Put(buf)
	}
}

// Pack returns the column's bytes for the stored form of v, written into
// buf: its JSON when it is at most limit bytes (LimitSQLite or
// LimitPostgreSQL), or that JSON packed. Its errors are those of
// [track.Tracked.MarshalJSON].
func Pack(buf *Buffer, v *track.Tracked, limit int) ([]byte, error) {
	js, spans, err := parts.AppendJSON(v, buf.json[:0], buf.spans[:0])
	buf.json, buf.spans = js, spans
	if err != nil {
		return nil, err
	}
	if len(js) <= limit {
		return js, nil
	}
	// The size of the stream, each snapshot as it is or compressed when
	// it was before (the stored blocks' headers aside).
	size := len(js)
	for _, sp := range spans {
		if p := sp.Snapshot.Packed.Load(); p != nil {
			size += len(*p) - (sp.End - sp.Start)
		}
	}
	// A snapshot compressed on its own takes about half its size: when
	// even that leaves the stream above limit, it is compressed whole at
	// once.
	buf.order = buf.order[:0]
	least := size
	for i, sp := range spans {
		if sp.Snapshot.Packed.Load() == nil {
			buf.order = append(buf.order, i)
			least -= (sp.End - sp.Start) / 2
		}
	}
	if least > limit {
		buf.order = buf.order[:0]
	}
	slices.SortFunc(buf.order, func(i, j int) int { return cmp.Compare(spans[i].Snapshot.Age, spans[j].Snapshot.Age) })
	for k := 0; k < len(buf.order) && size > limit; k++ {
		sp := spans[buf.order[k]]
		p := compressed(&buf.scratch, js[sp.Start:sp.End])
		if !sp.Snapshot.Packed.CompareAndSwap(nil, &p) {
			p = *sp.Snapshot.Packed.Load() // another write compressed it first: the same bytes
		}
		size += len(p) - (sp.End - sp.Start)
	}
	buf.packed.Reset()
	buf.packed.WriteByte(Packed)
	if size > limit { // what lies outside the snapshots is large
		buf.packed.Write(appendFixed(buf.packed.AvailableBuffer(), js))
		buf.packed.Write(finalBlock)
		return buf.packed.Bytes(), nil
	}
	at := 0
	for _, sp := range spans {
		if p := sp.Snapshot.Packed.Load(); p != nil {
			writeStored(&buf.packed, js[at:sp.Start])
			buf.packed.Write(*p)
			at = sp.End
		}
	}
	writeStored(&buf.packed, js[at:])
	buf.packed.Write(finalBlock)
	return buf.packed.Bytes(), nil
}

// compressed returns b compressed into DEFLATE blocks that end on a byte,
// none of them final, which need nothing before them: a part of a stream.
// It is written in *scratch, which it may grow, then copied, so that the
// part kept takes its size.
func compressed(scratch *[]byte, b []byte) []byte {
	*scratch = appendFixed((*scratch)[:0], b)
	return bytes.Clone(*scratch)
}

// writeStored writes b to out as stored DEFLATE blocks, none of them final.
func writeStored(out *bytes.Buffer, b []byte) {
	for len(b) > 0 {
		n := min(len(b), maxStored)
		out.Write([]byte{0x00, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)})
		out.Write(b[:n])
		b = b[n:]
	}
}

// ErrUnpack reports a value column whose bytes are in neither encoding.
var ErrUnpack = errors.New("neither JSON nor packed")

// Unpack returns the stored form the column's bytes hold: b itself when
// it is JSON (or what track.Tracked.UnmarshalJSON refuses). Packed bytes
// that are not a DEFLATE stream, or that unpack to more than 64 MiB, are
// an error wrapping ErrUnpack.
func Unpack(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != Packed {
		return b, nil // JSON, or a fault UnmarshalJSON reports
	}
	r := readers.Get().(io.ReadCloser)
	defer readers.Put(r)
	_ = r.(flate.Resetter).Reset(bytes.NewReader(b[1:]), nil) // never fails
	var out bytes.Buffer
	n, err := out.ReadFrom(io.LimitReader(r, int64(maxUnpacked)+1))
	switch {
	case err != nil:
		return nil, errors.Join(ErrUnpack, err)
	case n > int64(maxUnpacked):
		return nil, errors.Join(ErrUnpack, errors.New("more than "+strconv.Itoa(maxUnpacked)+" bytes unpacked"))
	}
	return out.Bytes(), nil
}

// UnpackValue reads the value the column's bytes hold: the errors of
// Unpack, and those of track.Tracked.UnmarshalJSON.
func UnpackValue(b []byte) (track.Tracked, error) {
	js, err := Unpack(b)
	if err != nil {
		return track.Tracked{}, err
	}
	var v track.Tracked
	if err := v.UnmarshalJSON(js); err != nil {
		return track.Tracked{}, err
	}
	return v, nil
}
