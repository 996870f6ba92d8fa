package column

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/track"
)

// FuzzUnpack reads a value column's bytes, seeded with the stored forms of
// a lifecycle as each database's limit packs them, and faults: it never
// panics; bytes it cannot read are an error wrapping ErrUnpack, or
// track.ErrMalformed; a value it reads packs again, for either database,
// into bytes that read back into its stored form.
func FuzzUnpack(f *testing.F) {
	var v track.Tracked
	for _, e := range lifecycle(f) {
		next, _, err := v.Apply(e)
		require.NoError(f, err)
		v = next
		for _, limit := range []int{LimitSQLite, LimitPostgreSQL} {
			b, err := Pack(new(Buffer), &v, limit)
			require.NoError(f, err)
			f.Add(b)
		}
	}
	f.Add([]byte{Packed})
	f.Add([]byte{Packed, 0x00, 0x02, 0x00, 0xfd, 0xff, '{', '}', 0x01, 0x00, 0x00, 0xff, 0xff})
	f.Add([]byte(`{"id":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Unpack(b)
		if err != nil {
			require.ErrorIs(t, err, ErrUnpack)
			return
		}
		got, err := UnpackValue(b)
		if err != nil {
			require.ErrorIs(t, err, track.ErrMalformed)
			return
		}
		want, err := got.MarshalJSON()
		require.NoError(t, err)
		for _, limit := range []int{LimitSQLite, LimitPostgreSQL} {
			again, err := Pack(new(Buffer), &got, limit)
			require.NoError(t, err)
			back, err := Unpack(again)
			require.NoError(t, err)
			require.Equal(t, string(want), string(back))
		}
	})
}
