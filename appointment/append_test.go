package appointment

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// checkAppend holds appendJSON to the general path it stands in for: it
// writes exactly the bytes marshalWire writes, after what the buffer held,
// or reports false, always when marshalWire fails and otherwise only for
// event data with members beyond origin and is_reschedule; MarshalJSON
// returns those bytes, or marshalWire's error.
func checkAppend(tb interface {
	Helper()
	Fatalf(string, ...any)
}, a Appointment) {
	tb.Helper()
	want, err := a.marshalWire()
	prefix := []byte("[0,")
	got, ok := a.appendJSON(bytes.Clone(prefix))
	extra := false
	for k := range a.EventData.Extra {
		extra = extra || k != "origin" && k != "is_reschedule"
	}
	switch {
	case ok && err != nil, !ok && err == nil && !extra:
		tb.Fatalf("appendJSON(%#v) reports %v, the general path %v", a, ok, err)
	case !bytes.HasPrefix(got, prefix):
		tb.Fatalf("appendJSON(%#v) wrote over the buffer: %q", a, got)
	case ok && !bytes.Equal(got[len(prefix):], want):
		tb.Fatalf("appendJSON(%#v) =\n%s\nthe general path writes\n%s", a, got[len(prefix):], want)
	}
	b, merr := a.MarshalJSON()
	if !bytes.Equal(b, want) || !reflect.DeepEqual(merr, err) {
		tb.Fatalf("MarshalJSON(%#v) = %s, %v; want %s, %v", a, b, merr, want, err)
	}
	if b2, _ := json.Marshal(a); err == nil && !bytes.Equal(b2, want) {
		tb.Fatalf("json.Marshal(%#v) = %s, want %s", a, b2, want)
	}
}

// TestAppendJSON checks appendJSON on the fixtures, the zero appointment,
// and each member in each of the forms it can be written in, refusals too.
func TestAppendJSON(t *testing.T) {
	base, err := Decode(webhookData(t, "appointment-updated-webhook.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkAppend(t, Appointment{})
	checkAppend(t, base)
	for _, name := range []string{"appointment-booked.json", "appointment-requested.json", "appointment-psc.json"} {
		a, err := Decode(fixture(t, name))
		if err != nil {
			t.Fatal(err)
		}
		checkAppend(t, a)
	}
	far := time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)
	for name, edit := range map[string]func(a *Appointment){
		"escaped":       func(a *Appointment) { a.AppointmentNotes = "a \"b\" \\ \n\x7f é \u2029 <&>" },
		"invalid UTF-8": func(a *Appointment) { a.ID = "\xff" },
		"invalid notes": func(a *Appointment) { a.AppointmentNotes = "\xe2\x82" },
		"optional":      func(a *Appointment) { a.OrderTransactionID, a.ExternalID, a.IANATimezone = "", "x", "" },
		"no order":      func(a *Appointment) { a.OrderID = "" },
		"address": func(a *Appointment) {
			a.Address = order.Address{ReceiverName: "R", Unit: "u", PhoneNumber: "p", AccessNotes: "n"}
		},
		"no address":       func(a *Appointment) { a.Address = order.Address{} },
		"address second":   func(a *Appointment) { a.Address = order.Address{SecondLine: "s", Country: "c"} },
		"address invalid":  func(a *Appointment) { a.Address.City = "\xff" },
		"location":         func(a *Appointment) { a.Location = Location{Lng: math.Copysign(0, -1), Lat: 1e-9} },
		"location large":   func(a *Appointment) { a.Location = Location{Lng: 1e300, Lat: -1e21} },
		"location NaN":     func(a *Appointment) { a.Location.Lat = math.NaN() },
		"location Inf":     func(a *Appointment) { a.Location.Lng = math.Inf(-1) },
		"no start":         func(a *Appointment) { a.StartAt = time.Time{} },
		"no end":           func(a *Appointment) { a.EndAt = time.Time{} },
		"zoned start":      func(a *Appointment) { a.StartAt = time.Date(2024, 5, 1, 8, 0, 0, 5, time.FixedZone("x", -3600)) },
		"far start":        func(a *Appointment) { a.StartAt = far },
		"far end":          func(a *Appointment) { a.EndAt = far },
		"kind":             func(a *Appointment) { a.Type = PatientServiceCenter },
		"no kind":          func(a *Appointment) { a.Type = "" },
		"provider text":    func(a *Appointment) { a.Provider, a.ProviderText = 0, "quest" },
		"no provider":      func(a *Appointment) { a.Provider, a.ProviderText = 0, "" },
		"provider invalid": func(a *Appointment) { a.Provider = 200 },
		"provider both":    func(a *Appointment) { a.Provider, a.ProviderText = provider.Phlebfinders, "ignored" },
		"no status":        func(a *Appointment) { a.Status, a.EventStatus = 0, 0 },
		"status invalid":   func(a *Appointment) { a.Status = numStatuses + 1 },
		"event invalid":    func(a *Appointment) { a.EventStatus = 255 },
		"completed":        func(a *Appointment) { a.Status, a.EventStatus = Completed, Completed },
		"cannot resched":   func(a *Appointment) { a.CanReschedule = false },
		"no event data":    func(a *Appointment) { a.EventData = EventData{} },
		"origin only":      func(a *Appointment) { a.EventData = EventData{Origin: "patient"} },
		"reschedule only":  func(a *Appointment) { a.EventData = EventData{IsReschedule: true} },
		"origin invalid":   func(a *Appointment) { a.EventData.Origin = "\xff" },
		"extra":            func(a *Appointment) { a.EventData.Extra = map[string]jsontext.Value{"b": []byte(`[1]`), "a": nil} },
		"extra shadowed":   func(a *Appointment) { a.EventData.Extra = map[string]jsontext.Value{"origin": []byte(`1`)} },
		"extra empty":      func(a *Appointment) { a.EventData.Extra = map[string]jsontext.Value{} },
		"extra invalid":    func(a *Appointment) { a.EventData.Extra = map[string]jsontext.Value{"a": []byte(`{`)} },
		"no history":       func(a *Appointment) { a.History = nil },
		"history data":     func(a *Appointment) { a.History[0].Data = jsontext.Value(` { "b" : [ 1 , "\u00e9" ] } `) },
		"history dup":      func(a *Appointment) { a.History[0].Data = jsontext.Value(`{"a":1,"a":2}`) },
		"history invalid":  func(a *Appointment) { a.History[1].Data = jsontext.Value(`{"a":`) },
		"history UTF-8":    func(a *Appointment) { a.History[1].Data = jsontext.Value("\"\xff\"") },
		"history status":   func(a *Appointment) { a.History[1].Status = "\xff" },
		"history far":      func(a *Appointment) { a.History[1].CreatedAt = far },
		"history zero":     func(a *Appointment) { a.History[0] = HistoryEntry{} },
	} {
		a := base
		a.History = append([]HistoryEntry(nil), base.History...)
		edit(&a)
		t.Run(name, func(t *testing.T) { checkAppend(t, a) })
	}
}

// TestAppendJSONProperty checks appendJSON on arbitrary appointments.
func TestAppendJSONProperty(t *testing.T) {
	str := rapid.OneOf(rapid.SampledFrom([]string{"", "", "a", "x\"y\\z", "é\u2028", "\x00\x1f", "\xff", "scheduled"}), rapid.String())
	stamp := rapid.OneOf(rapid.SampledFrom([]time.Time{{}, {}, time.Time{}.In(time.FixedZone("z", 60)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("w", 3600))}),
		rapid.Custom(func(t *rapid.T) time.Time {
			return time.Unix(rapid.Int64Range(-62167219200, 253402300799).Draw(t, "s"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns"))
		}))
	status := rapid.Custom(func(t *rapid.T) Status { return Status(rapid.IntRange(0, numStatuses+1).Draw(t, "status")) })
	coordinate := rapid.OneOf(rapid.SampledFrom([]float64{0, 1e-7, -1e21, math.NaN(), math.Inf(1)}), rapid.Float64())
	raw := rapid.SampledFrom([]jsontext.Value{nil, nil, []byte(`null`), []byte(`{"origin":"patient"}`), []byte(` [1, 2] `),
		[]byte(`{"a":1,"a":1}`), []byte(`[`), []byte("\"\xff\"")})
	rapid.Check(t, func(t *rapid.T) {
		a := Appointment{ID: str.Draw(t, "id"), UserID: str.Draw(t, "user"), OrderID: str.Draw(t, "order"),
			OrderTransactionID: str.Draw(t, "tx"), ExternalID: str.Draw(t, "external"),
			Address: order.Address{ReceiverName: str.Draw(t, "receiver"), FirstLine: str.Draw(t, "first"),
				SecondLine: str.Draw(t, "second"), Unit: str.Draw(t, "unit"), City: str.Draw(t, "city"), State: str.Draw(t, "state"),
				ZipCode: str.Draw(t, "zip"), Country: str.Draw(t, "country"), PhoneNumber: str.Draw(t, "phone"),
				AccessNotes: str.Draw(t, "notes")},
			Location: Location{coordinate.Draw(t, "lng"), coordinate.Draw(t, "lat")}, StartAt: stamp.Draw(t, "start"),
			EndAt: stamp.Draw(t, "end"), IANATimezone: str.Draw(t, "zone"), Type: Kind(str.Draw(t, "kind")),
			Provider: provider.Provider(rapid.IntRange(0, 4).Draw(t, "provider")), ProviderText: str.Draw(t, "provider text"),
			Status: status.Draw(t, "status"), EventStatus: status.Draw(t, "event status"), ProviderID: str.Draw(t, "provider id"),
			CanReschedule: rapid.Bool().Draw(t, "can"), AppointmentNotes: str.Draw(t, "appointment notes"),
			EventData: EventData{Origin: str.Draw(t, "origin"), IsReschedule: rapid.Bool().Draw(t, "reschedule")}}
		if rapid.Bool().Draw(t, "extra") {
			a.EventData.Extra = map[string]jsontext.Value{str.Draw(t, "key"): raw.Draw(t, "value")}
		}
		a.History = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) HistoryEntry {
			return HistoryEntry{CreatedAt: stamp.Draw(t, "at"), Status: str.Draw(t, "status"), Data: raw.Draw(t, "data")}
		}), -1, 3).Draw(t, "history")
		checkAppend(t, a)
	})
}

// FuzzAppendJSON checks appendJSON on the appointments arbitrary bytes
// decode to, one string member and one time of each set from the input.
func FuzzAppendJSON(f *testing.F) {
	for _, name := range []string{"appointment-booked.json", "appointment-requested.json", "appointment-psc.json"} {
		f.Add(fixture(f, name), "", int64(0), uint8(0))
	}
	f.Add(webhookData(f, "appointment-updated-webhook.json"), "a\"\xff", int64(-62167219201), uint8(9))
	f.Add([]byte(`{"events":[{"data":{"b":1,"a":[true]}}],"event_data":{"x":null}}`), "\u2028", int64(253402300800), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, s string, sec int64, which uint8) {
		a, err := Decode(data)
		if err != nil && !errors.Is(err, ErrUnknownStatus) {
			a = Appointment{}
		}
		texts := []*string{&a.ID, &a.OrderID, &a.Address.ReceiverName, &a.Address.City, &a.IANATimezone, &a.ProviderText,
			&a.AppointmentNotes, &a.EventData.Origin}
		*texts[int(which)%len(texts)] = s
		times := []*time.Time{&a.StartAt, &a.EndAt}
		*times[int(which/16)%len(times)] = time.Unix(sec, int64(which)*1e6)
		if len(a.History) > 0 {
			e := &a.History[int(which)%len(a.History)]
			e.Status, e.Data = s, jsontext.Value(s)
		}
		checkAppend(t, a)
	})
}
