package jsonwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPathFirstElement checks that a fault at the start of an array's first
// element is reported at that element, as it is for the others.
func TestPathFirstElement(t *testing.T) {
	for _, c := range []struct {
		doc  string
		read func(*Reader)
		path string
	}{
		{`[1]`, func(r *Reader) { r.Array(); r.More(); r.Text() }, "[0]"},
		{`[ "a", 1]`, func(r *Reader) { r.Array(); r.More(); r.Text(); r.More(); r.Text() }, "[1]"},
		{`{"a": ["x"]}`, func(r *Reader) { r.Object(); r.Key(); r.Array(); r.More(); r.Int64() }, "a[0]"},
		{`{"a": [[true]]}`, func(r *Reader) {
			r.Object()
			r.Key()
			r.Array()
			r.More()
			r.Array()
			r.More()
			r.Text()
		}, "a[0][0]"},
		{`{"a": [x]}`, func(r *Reader) { r.Skip() }, "a[0]"},
		{`{"a": [1,]}`, func(r *Reader) { r.Skip() }, "a[1]"},
		{`{"a": [`, func(r *Reader) { r.Skip() }, "a"},
		{`{"a": []]}`, func(r *Reader) { r.Skip() }, ""},
		{`{"a": [ ]]}`, func(r *Reader) { r.Skip() }, ""},
		{`{"a": [1 2]}`, func(r *Reader) { r.Skip() }, "a"},
		{`[[], 1]`, func(r *Reader) {
			r.Array()
			r.More()
			r.Array()
			r.More()
			r.More()
			r.Text()
		}, "[1]"},
	} {
		var r Reader
		r.ResetString(c.doc)
		c.read(&r)
		err := r.End()
		var e *Error
		require.ErrorAs(t, err, &e, c.doc)
		assert.Equal(t, c.path, e.Path(), c.doc)
	}
}

// TestPathSoFar checks that on a document it cannot follow before the
// offset, the path is the one up to where it stops, and that a comma is
// taken only between members and elements.
func TestPathSoFar(t *testing.T) {
	for _, c := range []struct {
		doc  string
		off  int
		path string
	}{
		{`{,"a":1}`, 6, ""},
		{`{"a":1 "b":2}`, 11, "b"},
		{`{"a":1,,"b":2}`, 12, ""},
		{`{"a":1, "b":2}`, 12, "b"},
		{`[,1,2]`, 4, "[0]"},
		{`[1 2,3]`, 5, "[2]"},
		{`[1,2,3]`, 5, "[2]"},
		{`{"a":[{"b" 1}]}`, 11, "a[0]"},
		{`{"a":[{"b`, 8, "a[0]"},
		{`{"a":[{"b`, 9, "a[0]"},
	} {
		assert.Equal(t, c.path, pathAt(c.doc, c.off), "%s at %d", c.doc, c.off)
	}
}

// TestPathWithoutSource checks that an Error not made by a Reader, which
// has no document, names no path, wherever its offset.
func TestPathWithoutSource(t *testing.T) {
	cause := &SyntaxError{Msg: "bad", Offset: 7}
	for _, off := range []int{-1, 0, 1, 7} {
		e := &Error{Offset: off, Err: cause}
		assert.Empty(t, e.Path(), off)
		assert.Equal(t, "bad", e.Error(), off)
	}
	// An offset past the end of the document is where it ends.
	for _, off := range []int{5, 6, 10} {
		assert.Equal(t, "a", pathAt(`{"a":`, off), off)
		assert.Equal(t, "", pathAt(`[`, off), off)
	}
	assert.Equal(t, "", pathAt(`{"a"`, 10))
}
