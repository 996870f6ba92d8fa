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
