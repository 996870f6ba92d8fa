package webhook

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

// sentinels are the decoding sentinels: every error of Decode wraps
// exactly one.
var sentinels = []error{ErrMalformed, ErrUnknownStatus, ErrNotPhlebotomy}

// seedBodies are the fuzz tests' seeds: every body the table tests decode.
func seedBodies(tb testing.TB) [][]byte {
	var seeds [][]byte
	for _, b := range roundTripBodies(tb) {
		seeds = append(seeds, b)
	}
	for _, c := range malformedCases(tb) {
		seeds = append(seeds, []byte(c.body))
	}
	for _, s := range []string{
		`{"event_type": "daily.data.sleep.created", "data": {"sleep": [1, 2.5e3, true, null]}}`,
		`{"event_type": "labtest.appointment.updated", "data": {"id": "a1", "type": "phlebotomy", "status": "no_show"}}`,
		`{"event_type": "labtest.appointment.created", "data": {"type": "patient_service_center", "status": "pending", "event_status": "late"}}`,
		`{"event_type": "labtest.order.created", "data": {"details": {"type": "at_home_phlebotomy", "data": null}, "status": "on_hold"}}`,
		`{"event_type": "labtest.order.updated", "data": {}}`,
		`{"event_type": "labtest.appointment.updated", "data": {}}`,
		`{"event_type": "labtest.order.updated", "data": {"details": {"type": "at_home_phlebotomy"}, "events": [{"id": 1, "status": "ordered"}, null]}}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// FuzzDecode decodes arbitrary bytes as a webhook body: Decode never
// panics; every error is a *DecodeError wrapping
// exactly one of ErrMalformed, ErrUnknownStatus and ErrNotPhlebotomy; a
// malformed body gives the zero Event; an event with a valid type writes
// back with MarshalJSON and decodes equal, with the same outcome;
// UnmarshalJSON and Parse agree with Decode.
func FuzzDecode(f *testing.F) {
	for _, b := range seedBodies(f) {
		f.Add(b)
	}
	v := mustVerifier(vectorSecret)
	at := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := Decode(body)
		kind := oneSentinel(t, body, err)

		switch kind {
		case nil:
			if !e.Type.IsValid() {
				t.Fatalf("Decode(%q) accepted an event of type %v", body, e.Type)
			}
			if !json.Valid(body) {
				t.Fatalf("Decode(%q) accepted invalid JSON", body)
			}
		case ErrMalformed:
			if !reflect.DeepEqual(e, Event{}) {
				t.Fatalf("Decode(%q) = %v, %v: want the zero Event", body, e, err)
			}
		case ErrUnknownStatus:
			if !e.Type.IsValid() {
				t.Fatalf("Decode(%q) = %v with type %v", body, err, e.Type)
			}
		}

		// Parse of the same body, signed, is Decode with the id.
		pe, perr := v.Parse(v.Sign("msg_fuzz", at, body), body, at)
		if pe.ID != "msg_fuzz" {
			t.Fatalf("Parse(%q) has ID %q", body, pe.ID)
		}
		pe.ID = ""
		if !reflect.DeepEqual(pe, e) || !reflect.DeepEqual(perr, err) {
			t.Fatalf("Parse(%q) = %v, %v; Decode gave %v, %v", body, pe, perr, e, err)
		}

		// UnmarshalJSON agrees, or leaves the event alone.
		u := Event{ID: "kept"}
		uerr := u.UnmarshalJSON(body)
		switch {
		case isNull(body):
			if uerr != nil || !reflect.DeepEqual(u, Event{ID: "kept"}) {
				t.Fatalf("UnmarshalJSON(null) = %v, %v", u, uerr)
			}
		case err != nil:
			if !errors.Is(uerr, kind) || !reflect.DeepEqual(u, Event{ID: "kept"}) {
				t.Fatalf("UnmarshalJSON(%q) = %v, %v; Decode failed with %v", body, u, uerr, err)
			}
		default:
			e.ID = "kept"
			if uerr != nil || !reflect.DeepEqual(u, e) {
				t.Fatalf("UnmarshalJSON(%q) = %v, %v; Decode gave %v", body, u, uerr, e)
			}
			e.ID = ""
		}

		if !e.Type.IsValid() {
			return
		}
		out, merr := json.Marshal(e)
		if merr != nil {
			t.Fatalf("Marshal(Decode(%q)) failed: %v", body, merr)
		}
		again, aerr := Decode(out)
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("Decode(Marshal(Decode(%q))) = %v, want %v", body, again, e)
		}
		want := kind
		if kind == ErrUnknownStatus && e.Type.IsAppointment() {
			want = nil // an appointment keeps no text for an unknown status
		}
		if got := oneSentinel(t, out, aerr); got != want {
			t.Fatalf("Decode(Marshal(Decode(%q))) failed with %v, want %v", body, aerr, want)
		}
	})
}

// oneSentinel checks that err is nil, or a *DecodeError
// wrapping exactly one decoding sentinel, and returns that sentinel.
func oneSentinel(t *testing.T, body []byte, err error) error {
	t.Helper()
	if err == nil {
		return nil
	}
	var found error
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			found = s
			n++
		}
	}
	if n != 1 {
		t.Fatalf("Decode(%q) = %v: wraps %d of the sentinels, want 1", body, err, n)
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Decode(%q) = %T %v: not a *DecodeError", body, err, err)
	}
	return found
}

// FuzzParseType parses arbitrary text as an event type: ParseType never
// panics, accepts only the four types and the legacy spelling, and what it
// accepts writes back as its current spelling, which parses equal.
func FuzzParseType(f *testing.F) {
	for _, t := range types {
		f.Add(t.String())
	}
	for _, s := range []string{legacyAppointmentUpdated, "", "daily.data.sleep.created", "labtest.result.critical",
		"labtest.order.deleted", "labtest.order.update", "LABTEST.ORDER.CREATED", "webhook.Type(1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParseType(text)
		if err != nil {
			var de *DecodeError
			if got != 0 || !errors.As(err, &de) || de.Value != text || !errors.Is(err, ErrUnknownType) {
				t.Fatalf("ParseType(%q) = %v, %v", text, got, err)
			}
			return
		}
		if !got.IsValid() || got.IsOrder() == got.IsAppointment() {
			t.Fatalf("ParseType(%q) = %v, not one valid type", text, got)
		}
		b, err := got.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", got, err)
		}
		if string(b) != text && (text != legacyAppointmentUpdated || got != AppointmentUpdated) {
			t.Fatalf("ParseType(%q) = %v, which writes %q", text, got, b)
		}
		var u Type
		if err := u.UnmarshalText(b); err != nil || u != got {
			t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", b, u, err, got)
		}
	})
}
