package track

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
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
	// The value of snapshots of one history naming different appointments.
	replay := orderEvent("o1", step{order.Ordered, 0, "a1"})
	replay.Order.UpdatedAt = at(0.7)
	o, _ := run(f, []webhook.Event{orderEvent("o1", step{order.Ordered, 0, ""}), replay,
		orderEvent("o1", step{order.Ordered, 0, "a1"}, step{order.RequisitionCreated, 1, "a1"})})
	b, err := json.Marshal(o)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(append([]byte(`{"id":"o1",`), b[1:]...)) // a repeated member
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":"o1","points":[{"events":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		held, _ := run(t, events[:2])
		o := held
		if err := o.UnmarshalJSON(data); err != nil {
			if _, ok := errors.AsType[*Error](err); !ok || !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not an *Error wrapping ErrMalformed", err)
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
