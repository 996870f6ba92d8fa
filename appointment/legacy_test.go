package appointment

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// This file keeps the decoder the package had before it read JSON in one
// pass: encoding/json into wire structs, then each raw part decoded again.
// The fuzz tests use it as a reference: on every document whose member
// names are spelled exactly and never repeated (where the two differ by
// design), both decoders must agree.

// legacyFault is the reference decoder's verdict on a document it refuses:
// the field it names and the sentinel the error wraps.
type legacyFault struct {
	field    string
	sentinel error
}

func (f *legacyFault) Error() string { return f.field + ": " + f.sentinel.Error() }

func (f *legacyFault) under(prefix string) *legacyFault {
	field := prefix
	if f.field != "" {
		field += "." + f.field
	}
	return &legacyFault{field: field, sentinel: f.sentinel}
}

func legacyJSONFault(err error) *legacyFault {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return &legacyFault{field: ute.Field, sentinel: ErrMalformed}
	}
	return &legacyFault{sentinel: ErrMalformed}
}

type legacyWireAppointment struct {
	ID                 string          `json:"id"`
	UserID             string          `json:"user_id"`
	OrderID            string          `json:"order_id"`
	OrderTransactionID string          `json:"order_transaction_id"`
	ExternalID         string          `json:"external_id"`
	Address            legacyAddress   `json:"address"`
	Location           Location        `json:"location"`
	StartAt            *string         `json:"start_at"`
	EndAt              *string         `json:"end_at"`
	IANATimezone       string          `json:"iana_timezone"`
	Type               Kind            `json:"type"`
	Provider           string          `json:"provider"`
	Status             *string         `json:"status"`
	EventStatus        *string         `json:"event_status"`
	ProviderID         string          `json:"provider_id"`
	CanReschedule      bool            `json:"can_reschedule"`
	AppointmentNotes   string          `json:"appointment_notes"`
	EventData          json.RawMessage `json:"event_data"`
	Events             json.RawMessage `json:"events"`
}

// legacyAddress is the former appointment address, in its one form.
type legacyAddress struct {
	FirstLine   string `json:"first_line"`
	SecondLine  string `json:"second_line"`
	City        string `json:"city"`
	State       string `json:"state"`
	ZipCode     string `json:"zip_code"`
	Unit        string `json:"unit"`
	AccessNotes string `json:"access_notes"`
	Country     string `json:"country"`
}

// legacyParseTime is ParseTime as it was: RFC 3339, then the zone-less
// layout, in UTC, years 0000 to 9999.
func legacyParseTime(text string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04:05", text)
	}
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC()
	return t, t.Year() >= 0 && t.Year() <= 9999
}

func legacyIsNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }

// legacyNormalizeRaw writes raw as the JSON stack of the package does:
// compacted, strings canonical.
func legacyNormalizeRaw(raw json.RawMessage) jsontext.Value {
	if len(raw) == 0 || legacyIsNull(raw) {
		return nil
	}
	v := jsontext.Value(bytes.Clone(raw))
	if err := v.Format(); err != nil {
		panic(err) // the documents compared are valid for both stacks
	}
	return v
}

// legacyDecode is the former Decode. When the only trouble is an unknown
// status it returns the rest of the appointment beside the fault.
func legacyDecode(data []byte) (Appointment, *legacyFault) {
	if legacyIsNull(data) {
		return Appointment{}, nil
	}
	var w legacyWireAppointment
	if err := json.Unmarshal(data, &w); err != nil {
		return Appointment{}, legacyJSONFault(err)
	}
	v := Appointment{
		ID: w.ID, UserID: w.UserID, OrderID: w.OrderID, OrderTransactionID: w.OrderTransactionID,
		ExternalID: w.ExternalID, Address: order.Address{FirstLine: w.Address.FirstLine, SecondLine: w.Address.SecondLine, City: w.Address.City,
			State: w.Address.State, ZipCode: w.Address.ZipCode, Unit: w.Address.Unit, AccessNotes: w.Address.AccessNotes, Country: w.Address.Country}, Location: w.Location,
		IANATimezone: w.IANATimezone, Type: w.Type, ProviderText: w.Provider, ProviderID: w.ProviderID,
		CanReschedule: w.CanReschedule, AppointmentNotes: w.AppointmentNotes,
	}
	for _, f := range []struct {
		name string
		text *string
		dst  *time.Time
	}{{"start_at", w.StartAt, &v.StartAt}, {"end_at", w.EndAt, &v.EndAt}} {
		if f.text != nil {
			t, ok := legacyParseTime(*f.text)
			if !ok {
				return Appointment{}, &legacyFault{field: f.name, sentinel: ErrMalformed}
			}
			*f.dst = t
		}
	}
	if p, err := provider.Parse(v.ProviderText); err == nil {
		v.Provider, v.ProviderText = p, ""
	}
	var unknown *legacyFault
	for _, f := range []struct {
		name string
		text *string
		dst  *Status
	}{{"status", w.Status, &v.Status}, {"event_status", w.EventStatus, &v.EventStatus}} {
		if f.text != nil {
			*f.dst = parseStatus(*f.text)
			if *f.dst == 0 && unknown == nil {
				unknown = &legacyFault{field: f.name, sentinel: ErrUnknownStatus}
			}
		}
	}
	if len(w.EventData) > 0 && !legacyIsNull(w.EventData) {
		d, fault := legacyEventData(w.EventData)
		if fault != nil {
			return Appointment{}, fault.under("event_data")
		}
		v.EventData = d
	}
	if len(w.Events) > 0 && !legacyIsNull(w.Events) {
		var raws []json.RawMessage
		if err := json.Unmarshal(w.Events, &raws); err != nil {
			return Appointment{}, legacyJSONFault(err).under("events")
		}
		if len(raws) > 0 {
			v.History = make([]HistoryEntry, len(raws))
		}
		for i, raw := range raws {
			e, fault := legacyEntry(raw)
			if fault != nil {
				return Appointment{}, fault.under("events[" + strconv.Itoa(i) + "]")
			}
			v.History[i] = e
		}
	}
	return v, unknown
}

func legacyEventData(data []byte) (EventData, *legacyFault) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return EventData{}, legacyJSONFault(err)
	}
	var v EventData
	if raw, ok := m["origin"]; ok {
		delete(m, "origin")
		if err := json.Unmarshal(raw, &v.Origin); err != nil {
			return EventData{}, legacyJSONFault(err).under("origin")
		}
	}
	if raw, ok := m["is_reschedule"]; ok {
		delete(m, "is_reschedule")
		if err := json.Unmarshal(raw, &v.IsReschedule); err != nil {
			return EventData{}, legacyJSONFault(err).under("is_reschedule")
		}
	}
	for k, raw := range m {
		if v.Extra == nil {
			v.Extra = make(map[string]jsontext.Value)
		}
		v.Extra[k] = legacyNormalizeRaw(raw)
	}
	return v, nil
}

func legacyEntry(data []byte) (HistoryEntry, *legacyFault) {
	if legacyIsNull(data) {
		return HistoryEntry{}, nil
	}
	var w struct {
		CreatedAt *string         `json:"created_at"`
		Data      json.RawMessage `json:"data"`
		Status    string          `json:"status"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return HistoryEntry{}, legacyJSONFault(err)
	}
	var v HistoryEntry
	if w.CreatedAt != nil {
		t, ok := legacyParseTime(*w.CreatedAt)
		if !ok {
			return HistoryEntry{}, &legacyFault{field: "created_at", sentinel: ErrMalformed}
		}
		v.CreatedAt = t
	}
	v.Status = w.Status
	v.Data = legacyNormalizeRaw(w.Data)
	return v, nil
}

// legacyReason is CancellationReason as encoding/json decodes it without
// its UnmarshalJSON method, as the former decoder did.
type legacyReason struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	IsRefundable bool   `json:"is_refundable"`
}

// knownNames are the member names that encoding/json matched, in any
// letter case, to a field of the former decoder's wire structs.
var knownNames = []string{
	"id", "user_id", "order_id", "order_transaction_id", "external_id", "address", "location",
	"start_at", "end_at", "iana_timezone", "type", "provider", "status", "event_status", "provider_id",
	"can_reschedule", "appointment_notes", "event_data", "events",
	"first_line", "second_line", "city", "state", "zip_code", "unit", "access_notes", "country",
	"receiver_name", "phone_number", "zip",
	"lng", "lat", "created_at", "data",
	"name", "is_refundable",
}

// exactKeys reports whether data, valid JSON for both encoding/json and
// the package's JSON stack, has no object that repeats a member name, no
// member name that encoding/json would match to a known name it does not
// spell exactly, and no address member the former decoder did not know:
// the documents on which the decoder and the former one must agree.
func exactKeys(data []byte) bool {
	if !jsontext.Value(data).IsValid() {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	type level struct {
		keys    map[string]bool // nil for an array
		wantKey bool
	}
	var stack []*level
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.keys != nil && top.wantKey {
			if k, ok := tok.(string); ok {
				if top.keys[k] || k == "zip" || k == "receiver_name" || k == "phone_number" {
					return false
				}
				top.keys[k] = true
				for _, name := range knownNames {
					if k != name && strings.EqualFold(k, name) {
						return false
					}
				}
				top.wantKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &level{keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &level{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: its object, if any, wants a key next.
		if len(stack) > 0 && stack[len(stack)-1].keys != nil {
			stack[len(stack)-1].wantKey = true
		}
	}
}
