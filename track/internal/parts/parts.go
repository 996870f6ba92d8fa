// Package parts shows a store where a tracked order's stored form holds
// the JSON of each of its snapshots, so that what the store derives from a
// snapshot's JSON is derived once, and kept with the snapshot.
package parts

import "sync/atomic"

// Snapshot is what is kept with one snapshot's JSON, for as long as the
// snapshot is in memory.
type Snapshot struct {
	// Age tells snapshots apart by when their JSON was first written: a
	// snapshot of a smaller Age is older.
	Age uint64
	// Packed is what a store derived from the snapshot's JSON; nil until
	// one did. The JSON never changes, so neither does what is derived
	// from it: whichever store sets it first, the others read the same.
	Packed atomic.Pointer[[]byte]
}

// Span is where one snapshot's JSON lies in a stored form: from Start to
// End.
type Span struct {
	Start, End int
	Snapshot   *Snapshot
}

// AppendJSON appends the stored form of *v, a *track.Tracked, to b, as its
// AppendJSON method does, and the span of each snapshot's JSON in the
// result to spans, in the order they come. Package track sets it.
var AppendJSON func(v any, b []byte, spans []Span) ([]byte, []Span, error)
