package appointment

import (
	stdjson "encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

func FuzzParseStatus(f *testing.F) {
	for _, w := range wire {
		f.Add(w.api)
		f.Add(w.ev)
		for _, a := range w.alternate {
			f.Add(a)
		}
	}
	for _, text := range rejected {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseStatus(text)
		u := Cancelled
		uerr := u.UnmarshalText([]byte(text))
		if (err == nil) != (uerr == nil) || (err == nil && u != s) || (err != nil && u != Cancelled) {
			t.Fatalf("ParseStatus(%q) = %v, %v but UnmarshalText gives %v, %v", text, s, err, u, uerr)
		}
		if err != nil {
			var de *DecodeError
			if !errors.Is(err, ErrUnknownStatus) || !errors.As(err, &de) || de.Text != text || s != 0 {
				t.Fatalf("ParseStatus(%q) = %v, %v", text, s, err)
			}
			return
		}
		if !s.IsValid() {
			t.Fatalf("ParseStatus(%q) = invalid %v", text, s)
		}
		spellings := []string{s.String(), s.EventStatus()}
		if s == InProgress {
			spellings = append(spellings, "in-progress")
		}
		if !slices.Contains(spellings, text) {
			t.Fatalf("ParseStatus(%q) = %v, which is spelled %q", text, s, spellings)
		}
		for _, form := range spellings {
			if back, err := ParseStatus(form); err != nil || back != s {
				t.Fatalf("round trip of %v through %q = %v, %v", s, form, back, err)
			}
		}
		if b, err := s.MarshalText(); err != nil || string(b) != s.String() {
			t.Fatalf("%v.MarshalText() = %q, %v", s, b, err)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, e := range allEvents {
		f.Add(e.String())
	}
	f.Add("")
	f.Add("Cancel")
	f.Fuzz(func(t *testing.T, text string) {
		e, err := ParseTrigger(text)
		if err != nil {
			if !errors.Is(err, ErrUnknownTrigger) || e != 0 {
				t.Fatalf("ParseEvent(%q) = %v, %v", text, e, err)
			}
			return
		}
		if e.String() != text {
			t.Fatalf("ParseEvent(%q) = %v", text, e)
		}
		var back Trigger
		if b, err := e.MarshalText(); err != nil || back.UnmarshalText(b) != nil || back != e {
			t.Fatalf("round trip of %v failed", e)
		}
	})
}

// FuzzNext checks that Next never panics and agrees with the expected table
// on every byte pair, valid or not.
func FuzzNext(f *testing.F) {
	for _, s := range allStatuses {
		for _, e := range allEvents {
			f.Add(uint8(s), uint8(e))
		}
	}
	f.Add(uint8(0), uint8(0))
	f.Add(uint8(255), uint8(255))
	f.Fuzz(func(t *testing.T, s, e uint8) {
		got, err := Next(Status(s), Trigger(e))
		want, ok := expected[Status(s)][Trigger(e)]
		if ok != (err == nil) || (ok && got != want) || (!ok && got != Status(s)) {
			t.Fatalf("Next(%v, %v) = %v, %v", Status(s), Trigger(e), got, err)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2022-01-01T00:00:00", "2022-01-01T00:00:00Z", "2023-05-15T16:00:00+00:00",
		"2023-05-15T09:00:00-07:00", "2023-05-15T16:00:00.123456789+05:30", "2023-05-15T16:00:00,5Z",
		"2023-05-15T16:00:00.250", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
		"0000-01-01T00:00:00+01:00", "2022-01-01", "", "2022-01-01 00:00:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParseTime(text)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || !got.IsZero() {
				t.Fatalf("ParseTime(%q) = %v, %v", text, got, err)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) = %v, not in UTC", text, got)
		}
		back, err := ParseTime(jsonerr.FormatTime(got))
		if err != nil || back != got {
			t.Fatalf("ParseTime(%q) = %v, which reads back through %q as %v, %v", text, got, jsonerr.FormatTime(got), back, err)
		}
		b, err := Appointment{StartAt: got}.MarshalJSON()
		if err != nil {
			t.Fatalf("encoding %v: %v", got, err)
		}
		a, err := Decode(b)
		if err != nil || (a.StartAt != got && !got.IsZero()) {
			t.Fatalf("JSON round trip of %v through %s = %v, %v", got, b, a.StartAt, err)
		}
	})
}

// FuzzDecode decodes arbitrary bytes as an appointment: decoding never
// panics, a failure is a *DecodeError wrapping exactly one sentinel and
// leaves the destination alone, what decodes re-encodes and decodes equal,
// and the decoder agrees with the former encoding/json based one on every
// document whose member names are spelled exactly and never repeated.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{
		"appointment-booked.json", "appointment-requested.json", "appointment-psc.json",
		"appointment-updated-webhook.json", "order-updated.json",
	} {
		b := fixture(f, name)
		f.Add(b)
		var env struct{ Data stdjson.RawMessage }
		if stdjson.Unmarshal(b, &env) == nil && env.Data != nil {
			f.Add([]byte(env.Data))
		}
	}
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"status":"scheduled","event_status":"in-progress"}`,
		`{"start_at":"2022-01-01T00:00:00","events":[{"created_at":"2022-01-01T00:00:00.5+01:00","data":{"a":"<"},"status":"x"}]}`,
		`{"event_data":{"origin":"patient","is_reschedule":true,"k":[1,{"z":null}]}}`,
		`{"location":{"lng":-0,"lat":1e308},"address":{"unit":"\u2028"}}`,
		`{"status":"no_show"}`, `{"start_at":"soon"}`, `{"can_reschedule":"yes"}`,
		`{"ID":"a","Status":"pending","address":{"City":"x"}}`, `{"id":"a","id":"b","address":{"city":"x"},"address":{}}`,
		`{"events":[null,{"data":" x"},{"status":null,"created_at":null}],"event_data":{"Origin":"x","origin":null}}`,
		`{"provider":"\ud800","type":"caf\u00e9","events":[{"data":{"a\u003c":"\u2029"}}]}`,
		`{"address":{"zip":"85004","zip_code":"85004"}}`, `{"address":{"zip":"1","zip_code":"2"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sentinel := Appointment{ID: "unchanged", Status: Completed}
		a := sentinel
		if err := a.UnmarshalJSON(data); err != nil {
			checkDecodeError(t, "UnmarshalJSON", data, err)
			if !reflect.DeepEqual(a, sentinel) {
				t.Fatalf("UnmarshalJSON(%q) failed but changed the destination to %#v", data, a)
			}
		}
		d, err := Decode(data)
		checkDecodeError(t, "Decode", data, err)
		valid := jsontext.Value(data).IsValid()
		if !valid && !errors.Is(err, ErrMalformed) {
			t.Fatalf("Decode(%q) = %v on invalid JSON", data, err)
		}
		if valid && stdjson.Valid(data) && exactKeys(data) {
			want, fault := legacyDecode(data)
			agree(t, "Decode", data, d, err, want, fault)
		}
		if err == nil {
			roundTrip(t, data)
			_ = ValidateHistory(d.History)
			_, _ = d.LocalStart()
			_ = d.EffectiveStatus()
		}
	})
}

// checkDecodeError fails t unless err, returned by what for data, is nil or
// a *DecodeError wrapping exactly one of the sentinels a decoding error may
// wrap.
func checkDecodeError(t *testing.T, what string, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("%s(%q) = %v, not a *DecodeError", what, data, err)
	}
	n := 0
	for _, sentinel := range []error{ErrUnknownStatus, ErrMalformed} {
		if errors.Is(err, sentinel) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%s(%q) = %v: want exactly one of unknown status or malformed", what, data, err)
	}
}

// agree fails t unless a decoder's result for data, got and err, is the
// reference decoder's, want and fault: the same value beside no error or
// an unknown status, the same field for an unknown status or a webhook
// that is not an appointment's, and the same sentinel in every case. (A
// malformed document may be reported at another field: the reference
// reported encoding/json's faults before the timestamps', the single pass
// reports the first fault it meets.)
func agree[T any](t *testing.T, what string, data []byte, got T, err error, want T, fault *legacyFault) {
	t.Helper()
	if fault == nil {
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s(%q) = %#v, %v; the former decoder gives %#v", what, data, got, err, want)
		}
		return
	}
	if !errors.Is(err, fault.sentinel) {
		t.Fatalf("%s(%q) = %v; the former decoder reports %v", what, data, err, fault)
	}
	if fault.sentinel == ErrMalformed {
		return
	}
	var de *DecodeError
	errors.As(err, &de)
	if de.Path != "/"+fault.field || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s(%q) = %#v, %v; the former decoder gives %#v, %v", what, data, got, err, want, fault)
	}
}
