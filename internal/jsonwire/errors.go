package jsonwire

import (
	"strconv"
	"strings"
)

// Error is the first error a [Reader] met: where, and why.
type Error struct {
	// Offset is the byte offset in the document of the value at fault, or
	// of the byte that broke the syntax.
	Offset int
	// Err is the cause: a *[SyntaxError], a *[TypeError], or what the
	// caller passed to [Reader.Fail].
	Err error
	src string
}

// Error returns the path and the cause, such as
// `events[1].created_at: invalid character 'x' in string literal`.
func (e *Error) Error() string {
	if p := e.Path(); p != "" {
		return p + ": " + e.Err.Error()
	}
	return e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Path returns the JSON path of the value at Offset, such as
// "data.events[1].created_at": member names joined by dots, array indices
// in brackets; "" for the document itself. It is worked out from the
// document when asked for, so that reading costs nothing for it.
func (e *Error) Path() string { return pathAt(e.src, e.Offset) }

// SyntaxError reports a document that is not valid JSON.
type SyntaxError struct {
	Msg    string // what is wrong, as encoding/json words it
	Offset int    // where
}

// Error returns Msg.
func (e *SyntaxError) Error() string { return e.Msg }

// TypeError reports a value of another kind than the one asked for, or a
// number that does not fit.
type TypeError struct {
	Got   Kind   // the kind of the value in the document
	Want  string // what the reader was asked for: "string", "int64", …
	Value string // the number's text, for a number that does not fit
}

// Error returns a message such as "cannot read number as string" or
// "cannot read number 1.5 as int64".
func (e *TypeError) Error() string {
	got := e.Got.String()
	if e.Value != "" {
		got += " " + e.Value
	}
	return "cannot read " + got + " as " + e.Want
}

// pathAt walks src, a document that is valid up to off, and returns the
// path of the value that starts at or spans off. It never fails: on input
// it cannot follow it returns the path so far.
func pathAt(src string, off int) string {
	w := pathWalker{s: src, off: off}
	w.value()
	return w.render()
}

type pathSeg struct {
	key   string
	index int // -1 for an object member
}

type pathWalker struct {
	s    string
	i    int
	off  int
	segs []pathSeg
	done bool // the walk reached off, or could go no further
}

func (w *pathWalker) space() {
	for w.i < len(w.s) && (w.s[w.i] == ' ' || w.s[w.i] == '\t' || w.s[w.i] == '\n' || w.s[w.i] == '\r') {
		w.i++
	}
}

// stop reports whether the walk is over: off is reached, or the input
// ended.
func (w *pathWalker) stop() bool {
	if !w.done && (w.i >= w.off || w.i >= len(w.s)) {
		w.done = true
	}
	return w.done
}

// value walks one value; it returns with done set if off lies in it.
func (w *pathWalker) value() {
	w.space()
	if w.stop() {
		return
	}
	switch c := w.s[w.i]; c {
	case '{':
		w.i++
		for n := 0; ; n++ {
			w.space()
			if w.stop() {
				return
			}
			if w.s[w.i] == '}' {
				w.i++
				return
			}
			if w.s[w.i] == ',' && n > 0 {
				w.i++
				w.space()
			}
			if w.stop() || w.s[w.i] != '"' {
				w.done = true
				return
			}
			var r Reader
			r.ResetString(w.s)
			r.i = w.i
			// A key that does not end leaves r.i at its quote, where no
			// colon is, and one that reaches off ends at or past it: either
			// way the walk stops below, with the object at fault.
			key, _ := r.str()
			w.i = r.i
			w.space()
			if w.stop() || w.s[w.i] != ':' {
				w.done = true
				return
			}
			w.i++
			w.segs = append(w.segs, pathSeg{key: key, index: -1})
			w.value()
			if w.done {
				return
			}
			w.segs = w.segs[:len(w.segs)-1]
		}
	case '[':
		w.i++
		for n := 0; ; n++ {
			w.space()
			// A fault at the first byte of the first element is the
			// element's, as it is for every later one.
			if (n > 0 || w.i >= len(w.s)) && w.stop() {
				return
			}
			if w.s[w.i] == ']' {
				w.i++
				return
			}
			if w.s[w.i] == ',' && n > 0 {
				w.i++
			}
			w.segs = append(w.segs, pathSeg{index: n})
			w.value()
			if w.done {
				return
			}
			w.segs = w.segs[:len(w.segs)-1]
		}
	default:
		var r Reader
		r.ResetString(w.s)
		r.i = w.i
		r.skip()
		if r.err != nil || r.i > w.off {
			w.done = true // off lies in this scalar
			return
		}
		w.i = r.i
	}
}

func (w *pathWalker) render() string {
	var b strings.Builder
	for _, s := range w.segs {
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}
