package track

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// The stored form of an Order: the snapshots in Junction's JSON, and the
// points of the histories they were seen at.
type (
	storedOrder struct {
		ID           string            `json:"id"`
		Order        json.RawMessage   `json:"order,omitempty"`
		Points       []storedPoint     `json:"points,omitempty"`
		Appointments []storedAppointed `json:"appointments,omitempty"`
	}
	storedPoint struct {
		Events        int    `json:"events"`
		AppointmentID string `json:"appointment_id"`
	}
	storedAppointed struct {
		Appointment json.RawMessage `json:"appointment"`
		Slots       []storedSlot    `json:"slots"`
	}
	storedSlot struct {
		Events  int       `json:"events"`
		StartAt time.Time `json:"start_at,omitzero"`
		EndAt   time.Time `json:"end_at,omitzero"`
	}
)

// MarshalJSON writes o's stored form: {"id", "order", "points",
// "appointments"}, the snapshots in Junction's JSON. [Tracked.UnmarshalJSON]
// reads it back into an equal value. A snapshot that cannot be encoded is
// a *[MalformedError].
func (o Tracked) MarshalJSON() ([]byte, error) {
	s := storedOrder{ID: o.id}
	if o.snap != nil {
		b, err := o.snap.MarshalJSON()
		if err != nil {
			return nil, &MalformedError{Reason: "encode the order", Err: err}
		}
		s.Order = b
	}
	for _, p := range o.points {
		s.Points = append(s.Points, storedPoint{Events: p.n, AppointmentID: p.appointmentID})
	}
	for _, a := range o.appts {
		b, err := a.snap.MarshalJSON()
		if err != nil {
			return nil, &MalformedError{Reason: "encode appointment " + a.snap.ID, Err: err}
		}
		sa := storedAppointed{Appointment: b, Slots: make([]storedSlot, len(a.slots))}
		for i, sl := range a.slots {
			sa.Slots[i] = storedSlot{Events: sl.n, StartAt: sl.slot.Start, EndAt: sl.slot.End}
		}
		s.Appointments = append(s.Appointments, sa)
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, &MalformedError{Reason: "encode", Err: err}
	}
	return b, nil
}

// UnmarshalJSON reads what [Tracked.MarshalJSON] writes. It checks what
// Apply relies on (points in ascending order of history length, then of
// appointment id, and slots in ascending order of history length, all
// within the histories held; appointments in id order, of the order; every
// snapshot at-home phlebotomy, with a history that is a path of its
// lifecycle, since Apply checks only the entries that extend a history
// held) and reports anything else as a
// *[MalformedError], leaving o unchanged. null leaves o unchanged.
func (o *Tracked) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var s storedOrder
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return &MalformedError{Reason: "decode", Err: err}
	}
	if dec.More() {
		return &MalformedError{Reason: "data after the stored order"}
	}
	v, err := fromStored(s)
	if err != nil {
		return err
	}
	if o == nil {
		return &MalformedError{Reason: "decode into a nil *track.Order"}
	}
	*o = v
	return nil
}

func fromStored(s storedOrder) (Tracked, error) {
	bad := func(format string, a ...any) error { return &MalformedError{Reason: fmt.Sprintf(format, a...)} }
	v := Tracked{id: s.ID}
	if len(s.Order) > 0 && string(s.Order) != "null" {
		snap, err := order.Decode(s.Order)
		if err != nil {
			return Tracked{}, &MalformedError{Reason: "decode the order", Err: err}
		}
		if !snap.IsPhlebotomy() || snap.ID != s.ID {
			return Tracked{}, bad("the order snapshot is not the phlebotomy order %q", s.ID)
		}
		if _, err := order.ValidateHistory(snap.History); err != nil {
			return Tracked{}, &MalformedError{Reason: "the order's history", Err: err}
		}
		v.snap = &snap
	}
	for i, p := range s.Points {
		pt := point{n: p.Events, appointmentID: p.AppointmentID}
		if p.Events < 1 || p.Events > len(v.ord().History) || i > 0 && comparePoints(v.points[i-1], pt) >= 0 {
			return Tracked{}, bad("points[%d]: events %d out of order or beyond the history", i, p.Events)
		}
		v.points = append(v.points, pt)
	}
	for i, sa := range s.Appointments {
		a, err := appointment.Decode(sa.Appointment)
		if err != nil {
			return Tracked{}, &MalformedError{Reason: fmt.Sprintf("decode appointments[%d]", i), Err: err}
		}
		switch {
		case a.ID == "" || !a.IsPhlebotomy() || a.OrderID != s.ID:
			return Tracked{}, bad("appointments[%d] is not a phlebotomy appointment of order %q", i, s.ID)
		case i > 0 && a.ID <= v.appts[i-1].snap.ID:
			return Tracked{}, bad("appointments[%d]: not in id order", i)
		case len(sa.Slots) == 0:
			return Tracked{}, bad("appointments[%d]: no slot", i)
		}
		if err := appointment.ValidateHistory(a.History); err != nil {
			return Tracked{}, &MalformedError{Reason: fmt.Sprintf("appointments[%d]'s history", i), Err: err}
		}
		ap := appt{snap: &a}
		for j, sl := range sa.Slots {
			if sl.Events < 0 || sl.Events > len(a.History) || j > 0 && sl.Events <= sa.Slots[j-1].Events {
				return Tracked{}, bad("appointments[%d].slots[%d]: events %d out of order or beyond the history", i, j, sl.Events)
			}
			ap.slots = append(ap.slots, slotPoint{n: sl.Events, slot: Slot{Start: sl.StartAt, End: sl.EndAt}})
		}
		v.appts = append(v.appts, ap)
	}
	if v.id == "" && (v.snap != nil || len(v.appts) > 0) {
		return Tracked{}, bad("no id")
	}
	return v, nil
}

// Value implements [driver.Valuer]: a database column holds the stored form
// of [Tracked.MarshalJSON], as bytes.
func (o Tracked) Value() (driver.Value, error) {
	b, err := o.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Scan implements [database/sql.Scanner] for a column holding the stored
// form, as bytes or text. NULL and other types are a *[MalformedError]
// (use sql.Null[Tracked] for a nullable column); on error o is unchanged.
func (o *Tracked) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		return o.UnmarshalJSON(v)
	case string:
		return o.UnmarshalJSON([]byte(v))
	case nil:
		return &MalformedError{Reason: "scan NULL"}
	}
	return &MalformedError{Reason: fmt.Sprintf("scan a %T", src)}
}
