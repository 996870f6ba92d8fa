package jsonwire

import (
	"errors"
	"strconv"
	"testing"
)

var errMark = errors.New("mark")

// markAt reads the document in r value by value, keeping the path of each
// in its own way (member names joined by dots, indices in brackets), and
// fails the reader at the value numbered target, counting in document
// order from 0: a scalar once read, a container once opened. It returns the
// path it kept for that value, and counts values in *n.
func markAt(r *Reader, path string, target int, n *int) (string, bool) {
	here := *n
	*n++
	switch r.Peek() {
	case Object:
		r.Object()
		if here == target {
			r.Fail(errMark)
			return path, true
		}
		for k, ok := r.Key(); ok; k, ok = r.Key() {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if got, ok := markAt(r, p, target, n); ok {
				return got, true
			}
		}
		return "", false
	case Array:
		r.Array()
		if here == target {
			r.Fail(errMark)
			return path, true
		}
		for i := 0; r.More(); i++ {
			if got, ok := markAt(r, path+"["+strconv.Itoa(i)+"]", target, n); ok {
				return got, true
			}
		}
		return "", false
	case Invalid, Null, Bool, Number, String:
	}
	r.Skip()
	if here == target {
		r.Fail(errMark)
		return path, true
	}
	return "", false
}

// checkPaths fails t unless, in data, a valid document, the error reported
// at each of its first values names that value's path, and its offset is
// where the value starts.
func checkPaths(t *testing.T, data []byte) {
	t.Helper()
	for target := 0; target < 64; target++ {
		var r Reader
		r.Reset(data)
		n := 0
		want, ok := markAt(&r, "", target, &n)
		if !ok {
			return // fewer values than target
		}
		var e *Error
		if !errors.As(r.End(), &e) || e.Err != errMark {
			t.Fatalf("value %d of %q: %v, want the mark", target, data, r.Err())
		}
		if got := e.Path(); got != want {
			t.Fatalf("value %d of %q is at %q, but its error names %q", target, data, want, got)
		}
		// The value starts at the offset: reading from there gives it.
		var v Reader
		v.ResetString(string(data)[e.Offset:])
		v.Skip()
		if v.Failed() {
			t.Fatalf("value %d of %q does not start at offset %d: %v", target, data, e.Offset, v.Err())
		}
	}
}

func TestPaths(t *testing.T) {
	for _, doc := range []string{
		`{"a": 1, "b": [true, {"c": null}, []], "d": {}}`, `[[1, [2]], {"x": [3, {"y": "z"}]}]`,
		` { "k" : [ { } , [ ] , "s" ] } `, `{"a\"b": {"c.d": [0]}}`, `{"\u0061": [{"b": 1}]}`, `"x"`, `[]`, `{}`,
		`[{"a": {"b": {"c": [[[null]]]}}}]`, `{"a": [], "b": {}, "c": [{}], "d": [[], []]}`,
	} {
		checkPaths(t, []byte(doc))
	}
}
