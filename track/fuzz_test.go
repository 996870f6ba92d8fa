package track

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzStored checks that decoding a stored form never panics, that every
// error wraps ErrMalformed and leaves the destination unchanged, and that
// what decodes encodes back to the same value.
func FuzzStored(f *testing.F) {
	events := booked()
	for i := range events {
		o, _ := run(f, events[:i+1])
		b, err := json.Marshal(o)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":"o1","points":[{"events":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		held, _ := run(t, events[:2])
		o := held
		if err := o.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if !reflect.DeepEqual(o, held) {
				t.Fatal("a failed decode changed the value")
			}
			return
		}
		b, err := o.MarshalJSON()
		if err != nil {
			t.Fatalf("a decoded value does not encode: %v", err)
		}
		var back Tracked
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatalf("what was encoded does not decode: %v", err)
		}
		if !reflect.DeepEqual(o, back) {
			t.Fatalf("round trip differs")
		}
		// A decoded value can take every event without panicking.
		for _, e := range events {
			o.Apply(e)
		}
	})
}
