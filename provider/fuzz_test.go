package provider_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// FuzzParse checks that Parse never panics, tells known-but-not-at-home
// names from garbage, and that whatever it accepts round-trips through
// text and JSON.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := provider.Parse(s)
		if err != nil {
			var pe *provider.Error
			if !errors.As(err, &pe) || pe.Value != s {
				t.Fatalf("Parse(%q) error %v (%T) is not an *Error keeping the text", s, err, err)
			}
			switch {
			case errors.Is(err, provider.ErrUnknownProvider):
				if errors.Is(err, provider.ErrNotAtHome) || pe.Reason != "" {
					t.Fatalf("Parse(%q) = %v: an unknown name must wrap only ErrUnknownProvider, with no reason", s, err)
				}
			case errors.Is(err, provider.ErrNotAtHome):
				if pe.Reason == "" {
					t.Fatalf("Parse(%q) = %v: a name not at home must say why", s, err)
				}
			default:
				t.Fatalf("Parse(%q) error %v wraps neither ErrUnknownProvider nor ErrNotAtHome", s, err)
			}
			if got != 0 {
				t.Fatalf("Parse(%q) = %v with an error, want the zero provider", s, got)
			}
			prev := provider.Getlabs
			if prev.UnmarshalText([]byte(s)) == nil || prev != provider.Getlabs {
				t.Fatalf("UnmarshalText(%q) accepted text Parse rejects or changed the receiver", s)
			}
			return
		}
		if !got.IsValid() || got.String() != s {
			t.Fatalf("Parse(%q) = %v, want a valid provider printing as the input", s, got)
		}
		text, err := got.MarshalText()
		if err != nil || string(text) != s {
			t.Fatalf("%v.MarshalText() = %q, %v; want %q", got, text, err, s)
		}
		data, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("json.Marshal(%v): %v", got, err)
		}
		var back provider.Provider
		if err := json.Unmarshal(data, &back); err != nil || back != got {
			t.Fatalf("json round trip of %v = %v, %v", got, back, err)
		}
	})
}

// FuzzAreaInfo checks that decoding never panics, that a failed decode is
// ErrMalformed and leaves the destination unchanged, that selection never
// panics on what decodes, and that whatever decodes re-encodes and decodes
// to an equal value.
func FuzzAreaInfo(f *testing.F) {
	f.Add(readFixture(f))
	for _, tc := range decodeCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range malformedCases {
		f.Add([]byte(tc.in))
	}
	f.Add([]byte(`null`))
	f.Add([]byte(" \n{\"ZIP_CODE\":\"1\",\"zip_code\":\"2\",\"central_labs\":\"\u2028\\ud800\"}\t"))
	f.Add([]byte(`{"phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","SERVICE_TYPES":["appointment-ready"],"Tier":["appointment-request"]}]}}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := provider.ParseAreaInfo(data)

		sentinel := provider.AreaInfo{ZipCode: "sentinel", CentralLabs: jsontext.Value(`{}`)}
		dst := sentinel
		unmarshalErr := json.Unmarshal(data, &dst)
		if unmarshalErr != nil {
			// A syntax error around the value is the JSON package's own,
			// found after the method has decoded the value (data after
			// it) or before the method runs (no value at all).
			var sy *jsontext.SyntacticError
			ours := errors.Is(unmarshalErr, provider.ErrMalformed)
			if !ours && !errors.As(unmarshalErr, &sy) {
				t.Fatalf("json.Unmarshal error %v is neither ErrMalformed nor a syntax error", unmarshalErr)
			}
			if ours && !reflect.DeepEqual(dst, sentinel) {
				t.Fatalf("a failed json.Unmarshal changed the destination to %+v", dst)
			}
		}

		// The method on its own: one value, all or nothing.
		one := sentinel
		if err := one.UnmarshalJSONFrom(jsontext.NewDecoder(bytes.NewReader(data))); err != nil {
			if !errors.Is(err, provider.ErrMalformed) {
				t.Fatalf("UnmarshalJSONFrom error %v does not wrap ErrMalformed", err)
			}
			if !reflect.DeepEqual(one, sentinel) {
				t.Fatalf("a failed UnmarshalJSONFrom changed the destination to %+v", one)
			}
		}

		if err != nil {
			if !errors.Is(err, provider.ErrMalformed) {
				t.Fatalf("ParseAreaInfo error %v does not wrap ErrMalformed", err)
			}
			if !reflect.DeepEqual(got, provider.AreaInfo{}) {
				t.Fatalf("ParseAreaInfo returned %+v with its error", got)
			}
			return
		}
		if unmarshalErr != nil || !reflect.DeepEqual(dst, got) {
			t.Fatalf("json.Unmarshal = %+v, %v; ParseAreaInfo = %+v", dst, unmarshalErr, got)
		}

		// Selection never panics, and agrees with itself.
		p, bookErr := got.ForBooking()
		if ready := got.Providers(tier.AppointmentReady); (bookErr == nil) != (len(ready) > 0) || (bookErr == nil && ready[0] != p) {
			t.Fatalf("ForBooking() = %v, %v disagrees with Providers = %v", p, bookErr, ready)
		}
		for _, q := range append(provider.All(), 0, 200) {
			_ = got.ForRequest(q)
		}
		_ = got.Providers(0)

		enc, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("json.Marshal of a decoded value: %v", err)
		}
		back, err := provider.ParseAreaInfo(enc)
		if err != nil {
			t.Fatalf("ParseAreaInfo(%s) of an encoded value: %v", enc, err)
		}
		if !reflect.DeepEqual(back, got) {
			t.Fatalf("round trip changed the value:\n got  %#v\n back %#v\n via  %s", got, back, enc)
		}
		again, err := json.Marshal(back)
		if err != nil || string(again) != string(enc) {
			t.Fatalf("encoding is not stable: %s, then %s (%v)", enc, again, err)
		}
	})
}
