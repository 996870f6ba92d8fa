package tier_test

import (
	"errors"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/tier"
)

// FuzzParse checks that Parse never panics, accepts only the exact wire
// text, and that whatever it accepts round-trips through text and JSON.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tier.Parse(s)
		if err != nil {
			var te *tier.Error
			if !errors.Is(err, tier.ErrUnknownTier) || !errors.As(err, &te) || te.Value != s {
				t.Fatalf("Parse(%q) error = %v, want an *Error wrapping ErrUnknownTier", s, err)
			}
			if got != 0 {
				t.Fatalf("Parse(%q) = %v with an error, want the zero tier", s, got)
			}
			prev := tier.AppointmentReady
			if prev.UnmarshalText([]byte(s)) == nil || prev != tier.AppointmentReady {
				t.Fatalf("UnmarshalText(%q) accepted text Parse rejects or changed the receiver", s)
			}
			return
		}
		if !got.IsValid() || got.String() != s {
			t.Fatalf("Parse(%q) = %v, want a valid tier printing as the input", s, got)
		}
		text, err := got.MarshalText()
		if err != nil || string(text) != s {
			t.Fatalf("%v.MarshalText() = %q, %v; want %q", got, text, err, s)
		}
		data, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("json.Marshal(%v): %v", got, err)
		}
		var back tier.Tier
		if err := json.Unmarshal(data, &back); err != nil || back != got {
			t.Fatalf("json round trip of %v = %v, %v", got, back, err)
		}
		_ = got.Endpoint().String()
	})
}
