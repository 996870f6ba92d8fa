package tracksql

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/phlebkit/phlebkit/track"
)

// The value column holds a tracked order's stored form
// ([track.Tracked.MarshalJSON]) in one of two encodings, told apart by
// their first byte:
//
//   - '{': the JSON as it is, as schema version 1 wrote every value, and
//     as this version writes a stored form of at most packAbove bytes;
//   - packedDeflate: the byte, then the JSON compressed with DEFLATE
//     (RFC 1951), as this version writes a larger stored form.
//
// An order's stored form grows with each snapshot it holds, and repeats
// itself (its snapshots share their addresses, names and statuses), so
// that it packs to about a fifth of its size: a row keeps fitting in one
// database page, and each write of it rewrites that page only, where the
// JSON would spill into overflow pages, each rewritten too.
const packedDeflate = 0x01

// packAbove is the size of the largest stored form written as it is:
// half a page of 4 KiB (SQLite's default), so that rows share pages, and a
// row that grows with its order rarely fills its page and moves.
const packAbove = 2048

// maxUnpacked bounds the size of a stored form unpacked: a value that
// claims more is malformed, not read on. A variable, for tests.
var maxUnpacked = 64 << 20

// writers are DEFLATE compressors kept for reuse: each holds a few hundred
// kilobytes of tables.
var writers = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // the level is valid
	return w
}}

// readers are DEFLATE decompressors kept for reuse.
var readers = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// packBuffers hold stored forms while they are written, as JSON and
// packed, for reuse: the database's driver copies the bytes of a
// statement's argument.
var packBuffers = sync.Pool{New: func() any { return new(packBuffer) }}

// packBuffer holds a stored form as JSON, and packed.
type packBuffer struct {
	json   []byte
	packed bytes.Buffer
}

// maxPooled is the capacity of the largest buffer kept in packBuffers.
const maxPooled = 64 << 10

// pack returns the column's bytes for the stored form of v.
func pack(v track.Tracked) ([]byte, error) { return packTo(new(packBuffer), v) }

// putPackBuffer keeps buf for reuse by packTo, unless it grew large.
func putPackBuffer(buf *packBuffer) {
	if cap(buf.json) <= maxPooled && buf.packed.Cap() <= maxPooled {
		packBuffers.Put(buf)
	}
}

// packTo returns the column's bytes for the stored form of v, written into
// buf: its JSON, or that JSON packed.
func packTo(buf *packBuffer, v track.Tracked) ([]byte, error) {
	js, err := v.AppendJSON(buf.json[:0])
	buf.json = js
	if err != nil {
		return nil, err
	}
	if len(js) <= packAbove {
		return js, nil
	}
	buf.packed.Reset()
	buf.packed.WriteByte(packedDeflate)
	w := writers.Get().(*flate.Writer)
	defer writers.Put(w)
	w.Reset(&buf.packed)
	_, _ = w.Write(js) // a bytes.Buffer does not fail
	_ = w.Close()
	return buf.packed.Bytes(), nil
}

// errUnpack reports a value column whose bytes are in neither encoding.
var errUnpack = errors.New("neither JSON nor packed")

// unpack returns the stored form the column's bytes hold: b itself when
// it is JSON.
func unpack(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != packedDeflate {
		return b, nil // JSON, or a fault UnmarshalJSON reports
	}
	r := readers.Get().(io.ReadCloser)
	defer readers.Put(r)
	_ = r.(flate.Resetter).Reset(bytes.NewReader(b[1:]), nil) // never fails
	var out bytes.Buffer
	n, err := out.ReadFrom(io.LimitReader(r, int64(maxUnpacked)+1))
	switch {
	case err != nil:
		return nil, errors.Join(errUnpack, err)
	case n > int64(maxUnpacked):
		return nil, errors.Join(errUnpack, errors.New("more than "+strconv.Itoa(maxUnpacked)+" bytes unpacked"))
	}
	return out.Bytes(), nil
}

// unpackValue reads the value the column's bytes hold.
func unpackValue(b []byte) (track.Tracked, error) {
	js, err := unpack(b)
	if err != nil {
		return track.Tracked{}, err
	}
	var v track.Tracked
	if err := v.UnmarshalJSON(js); err != nil {
		return track.Tracked{}, err
	}
	return v, nil
}
