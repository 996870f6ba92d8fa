package order

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// FuzzDecode decodes arbitrary bytes as an order: decoding never panics; a
// failure is a *DecodeError wrapping exactly one of ErrUnknownStatus and
// ErrMalformed, and leaves UnmarshalJSONFrom's destination alone; what
// decodes is valid JSON (as encoding/json and jsontext both judge it), and
// re-encodes and decodes equal (decode(encode(decode(x))) == decode(x)),
// beside the same error.
func FuzzDecode(f *testing.F) {
	for _, name := range orderFixtures {
		f.Add(fixture(f, name))
	}
	for _, c := range decodeCases {
		f.Add([]byte(c.data))
	}
	for _, s := range []string{
		`null`, `{}`, ` {"events": []} `, phleb(`"events": [{"id": 1, "status": "ordered"}, null]`),
		phleb(`"status": "on_hold", "last_event": {"status": "x", "status_detail": "sample_hemolyzed"}`),
		`{"details": {"data": {"id": "d", "created_at": "2020-01-01T00:00:00"}, "type": "at_home_phlebotomy"}}`,
		`{"details": {"type": "walk_in_test"}, "events": [{"status": "received.at_home_phlebotomy.ordered"}]}`,
		`{"patient_details": {"dob": "1990-01-01T23:00:00-05:00"}, "activate_by": "0000-01-01", "notes": "\u2028<"}`,
		`{"created_at": "0001-01-01T00:00:00Z", "updated_at": "0000-12-31T23:00:00-01:00"}`,
		`{"order_transaction": {"orders": [{"low_level_status": "completed", "parent_id": null}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Decode(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode(%q) = %v, not a *DecodeError", data, err)
			}
			unknown := errors.Is(err, ErrUnknownStatus)
			if unknown == errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode(%q) = %v: want exactly one of unknown status or malformed", data, err)
			}
			if !unknown && !reflect.DeepEqual(o, Order{}) {
				t.Fatalf("Decode(%q) failed with %v but returned %#v", data, err, o)
			}
			if unknown && !o.IsPhlebotomy() {
				t.Fatalf("Decode(%q) reported %v on an order that is not phlebotomy", data, err)
			}
		} else if !stdjson.Valid(data) || !jsontext.Value(data).IsValid() {
			t.Fatalf("Decode(%q) accepted invalid JSON", data)
		}

		sentinel := Order{ID: "unchanged", History: []HistoryEntry{{ID: 1, Status: Completed}}}
		dst := sentinel
		uerr := dst.UnmarshalJSONFrom(jsontext.NewDecoder(bytes.NewReader(data)))
		var de *DecodeError
		switch {
		case uerr != nil:
			if err == nil {
				t.Fatalf("UnmarshalJSONFrom(%q) = %v, but Decode accepted it", data, uerr)
			}
			if !reflect.DeepEqual(dst, sentinel) {
				t.Fatalf("UnmarshalJSONFrom(%q) = %v and changed the destination to %#v", data, uerr, dst)
			}
		case err != nil && !(errors.As(err, &de) && de.Path == "" && isSyntactic(err)):
			t.Fatalf("UnmarshalJSONFrom(%q) accepted what Decode refused: %v", data, err)
		case err != nil: // what follows the order is not JSON
		case !reflect.DeepEqual(dst, o):
			t.Fatalf("UnmarshalJSONFrom(%q) = %#v, Decode gave %#v", data, dst, o)
		}

		if err != nil && !errors.Is(err, ErrUnknownStatus) {
			return
		}
		if !o.IsPhlebotomy() {
			for i, e := range o.History {
				if e.Status != 0 {
					t.Fatalf("Decode(%q): events[%d] of an order that is not phlebotomy has status %v", data, i, e.Status)
				}
			}
			if o.LastEvent.Status != 0 || o.Status() != 0 || o.AppointmentID() != "" {
				t.Fatalf("Decode(%q) = %#v: an order that is not phlebotomy has a status or an appointment", data, o)
			}
			if _, herr := ValidateHistory(o.History); len(o.History) > 0 && herr == nil {
				t.Fatalf("Decode(%q): the history of an order that is not phlebotomy validates", data)
			}
		}
		b, merr := json.Marshal(o)
		if merr != nil {
			t.Fatalf("encoding %#v (from %q): %v", o, data, merr)
		}
		back, berr := Decode(b)
		if !reflect.DeepEqual(back, o) || !reflect.DeepEqual(berr, err) {
			t.Fatalf("round trip of %q through %s = %#v, %v; want %#v, %v", data, b, back, berr, o, err)
		}
		if b2, _ := json.Marshal(back); string(b2) != string(b) {
			t.Fatalf("encoding is not stable: %s then %s", b, b2)
		}
		// encoding/json reads what the order writes as the same values.
		var p plainOrder
		if err := stdjson.Unmarshal(b, &p); err != nil {
			t.Fatalf("encoding/json cannot read %s: %v", b, err)
		}
		if d := disagreement(o, p); d != "" {
			t.Fatalf("encoding/json reads %s differently: %s", b, d)
		}
		_, _ = ValidateHistory(o.History)
		_, _ = o.Current()
	})
}

// isSyntactic reports whether err is an error of JSON syntax.
func isSyntactic(err error) bool {
	var syn *jsontext.SyntacticError
	return errors.As(err, &syn)
}

// FuzzValidateHistory reads bytes as a history, three to an entry (status,
// id step, hours step), and holds ValidateHistory to the expected table:
// it never panics, never changes its input, accepts exactly the histories
// the table and the documented jumps allow, and reports the first fault.
func FuzzValidateHistory(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{byte(Ordered), 1, 1, byte(RequisitionCreated), 1, 1, byte(AppointmentScheduled), 1, 0})
	f.Add([]byte{byte(Ordered), 1, 1, byte(RequisitionBypassed), 1, 0, byte(AppointmentScheduled), 2, 3,
		byte(AppointmentScheduled), 1, 1, byte(DrawCompleted), 1, 1, byte(PartialResults), 1, 1, byte(PartialResults), 1, 1,
		byte(Completed), 1, 1, byte(Corrected), 1, 1, byte(Corrected), 1, 1})
	f.Add([]byte{byte(Ordered), 1, 1, byte(Ordered), 1, 1})
	f.Add([]byte{byte(Ordered), 1, 1, byte(Cancelled), 0, 1})
	f.Add([]byte{byte(Ordered), 1, 5, byte(Cancelled), 1, 0xfe})
	f.Add([]byte{0xf0, 1, 1, 0xf1, 1, 1, 0xf2, 1, 1, 0, 1, 1, 99, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		var h []HistoryEntry
		var id int64
		at := t0
		texts := []string{"received.walk_in_test.ordered", "received.at_home_phlebotomy.ordered", "lost", ""}
		for i := 0; i+2 < len(data); i += 3 {
			e := HistoryEntry{Status: Status(data[i] % 16)}
			if data[i] >= 0xf0 {
				e.Status, e.StatusText = 0, texts[int(data[i]-0xf0)%len(texts)]
			}
			id += int64(int8(data[i+1]))
			e.ID = id
			if step := int8(data[i+2]); step != 0 {
				at = at.Add(time.Duration(step) * time.Hour)
				e.CreatedAt = at
			}
			h = append(h, e)
		}
		orig := append([]HistoryEntry(nil), h...)
		steps, err := ValidateHistory(h)
		if !reflect.DeepEqual(h, orig) {
			t.Fatalf("ValidateHistory changed its input")
		}
		wantIndex, wantReason := oracle(h)
		if err == nil {
			if wantIndex >= 0 {
				t.Fatalf("ValidateHistory(%v) accepted a history with %v at %d", h, wantReason, wantIndex)
			}
			if want := wantSteps(t, h); !reflect.DeepEqual(steps, want) {
				t.Fatalf("ValidateHistory(%v) = %+v, want %+v", h, steps, want)
			}
			return
		}
		var he *TransitionError
		if !errors.As(err, &he) || !errors.Is(err, ErrInvalidHistory) {
			t.Fatalf("ValidateHistory(%v) = %v, not a *TransitionError", h, err)
		}
		if he.Index != wantIndex || !errors.Is(err, wantReason) {
			t.Fatalf("ValidateHistory(%v) = %v; want %v at %d", h, err, wantReason, wantIndex)
		}
		if !reflect.DeepEqual(steps, wantSteps(t, h[:he.Index])) {
			t.Fatalf("ValidateHistory(%v) returned %+v before its fault", h, steps)
		}
	})
}

// oracle finds the first fault of a history from the expected table, the
// hand-written jumps and the rules of ValidateHistory, independently of it:
// the index of the entry at fault and the reason, or -1.
func oracle(h []HistoryEntry) (int, error) {
	var seen *time.Time
	for i, e := range h {
		if !e.Status.IsValid() {
			switch e.StatusText {
			case "received.walk_in_test.ordered", "received.at_home_phlebotomy.ordered":
				if e.Status == 0 {
					return i, ErrNotPhlebotomy
				}
			}
			return i, ErrUnknownStatus
		}
		if i == 0 && e.Status != Ordered {
			return i, ErrInvalidTransition
		}
		if i > 0 {
			if e.ID <= h[i-1].ID {
				return i, ErrIDNotIncreasing
			}
			_, edge := stepEvent(h[i-1].Status, e.Status)
			_, jump := jumpPaths[[2]Status{h[i-1].Status, e.Status}]
			if !edge && !jump {
				return i, ErrInvalidTransition
			}
		}
		if !e.CreatedAt.IsZero() {
			if seen != nil && e.CreatedAt.Before(*seen) {
				return i, ErrOutOfOrder
			}
			seen = &h[i].CreatedAt
		}
	}
	return -1, nil
}
