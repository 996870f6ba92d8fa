package track

import (
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/track/internal/parts"
)

// TestParts: parts.AppendJSON appends what AppendJSON does, and the span of
// each snapshot's JSON in it, in order, each with what is kept with that
// snapshot: the same for values sharing it, older for a snapshot encoded
// before. Anything but a *Tracked, and a value that cannot be encoded, is
// an error that leaves the buffer and the spans as they were.
func TestParts(t *testing.T) {
	o, _ := run(t, booked())
	want, err := o.AppendJSON([]byte("prefix"))
	require.NoError(t, err)
	got, spans, err := parts.AppendJSON(&o, []byte("prefix"), []parts.Span{{}})
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	require.Len(t, spans, 1+1+len(o.appts), "the span given, the order, the appointments")
	snaps := []any{o.snap}
	for _, a := range o.appts {
		snaps = append(snaps, a.snap)
	}
	end := 0
	for i, sp := range spans[1:] {
		js, err := json.Marshal(snaps[i])
		require.NoError(t, err)
		assert.Equal(t, string(js), string(got[sp.Start:sp.End]), "snapshot %d", i)
		assert.Greater(t, sp.Start, end, "in order, apart")
		end = sp.End
	}
	assert.Less(t, end, len(got))

	// A value sharing the snapshots shares what is kept with them; a new
	// snapshot is younger than those it joins.
	more := apply(t, o, apptEvent(o.id, "a9", 60, astep{appointment.Pending, 90}))
	_, spans2, err := parts.AppendJSON(&more, nil, nil)
	require.NoError(t, err)
	require.Len(t, spans2, len(spans))
	assert.Same(t, spans[1].Snapshot, spans2[0].Snapshot, "the order's")
	newest := spans2[len(spans2)-1].Snapshot
	for _, sp := range spans[1:] {
		assert.Less(t, sp.Snapshot.Age, newest.Age)
	}

	for _, c := range []struct {
		v   any
		msg string
	}{{o, "a track.Tracked is not"}, {(*Tracked)(nil), "a nil *track.Tracked"}, {"x", "a string is not"}} {
		msg := c.msg
		got, spans, err := parts.AppendJSON(c.v, []byte("abc"), spans[:1])
		require.ErrorIs(t, err, ErrMalformed)
		assert.ErrorContains(t, err, msg)
		assert.Equal(t, "abc", string(got))
		assert.Len(t, spans, 1)
	}
	e := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1})
	e.Appointment.StartAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	bad := apply(t, Tracked{}, e)
	_, wantErr := bad.MarshalJSON()
	got, spans, err = parts.AppendJSON(&bad, []byte("abc"), spans[:1])
	assert.Equal(t, wantErr, err)
	assert.Equal(t, "abc", string(got))
	assert.Len(t, spans, 1)
}
