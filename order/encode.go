package order

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

type wireOrder struct {
	ID          string           `json:"id"`
	TeamID      string           `json:"team_id"`
	UserID      string           `json:"user_id"`
	Patient     *Patient         `json:"patient_details"`
	Address     *orderAddress    `json:"patient_address"`
	LabTest     *LabTest         `json:"lab_test"`
	Details     *wireDetails     `json:"details"`
	SampleID    *string          `json:"sample_id"`
	Notes       *string          `json:"notes"`
	CreatedAt   *string          `json:"created_at"`
	UpdatedAt   *string          `json:"updated_at"`
	Events      []wireEntry      `json:"events"`
	LastEvent   *wireEntry       `json:"last_event"`
	Status      *string          `json:"status"`
	ActivateBy  Date             `json:"activate_by"`
	Origin      *string          `json:"origin"`
	Transaction *wireTransaction `json:"order_transaction"`
}

type wireDetails struct {
	Type string    `json:"type"`
	Data *wireData `json:"data"`
}

type wireData struct {
	ID            string  `json:"id"`
	AppointmentID *string `json:"appointment_id"`
	CreatedAt     *string `json:"created_at"`
	UpdatedAt     *string `json:"updated_at"`
}

type wireEntry struct {
	ID        int64   `json:"id"`
	CreatedAt *string `json:"created_at"`
	Status    *string `json:"status"`
	Detail    *string `json:"status_detail,omitempty"`
}

type wireTransaction struct {
	ID     string        `json:"id"`
	Status *string       `json:"status"`
	Orders []wireTxOrder `json:"orders"`
}

type wireTxOrder struct {
	ID              string  `json:"id"`
	Status          *string `json:"low_level_status"`
	StatusCreatedAt *string `json:"low_level_status_created_at"`
	Origin          *string `json:"origin"`
	ParentID        *string `json:"parent_id"`
	CreatedAt       *string `json:"created_at"`
	UpdatedAt       *string `json:"updated_at"`
}

// MarshalJSON writes o with Junction's field names, in the shape [Decode]
// reads: for any Order that Decode returned, decoding what MarshalJSON
// writes gives an equal Order, beside the same error if there was one.
//
// Statuses are written in the form Junction uses for each field: the full
// form in events[] and last_event, the low-level form in
// order_transaction, the high-level status alone in status; a zero status
// writes its text (StatusText, HighLevelText) instead, and null when that
// is empty. Absent timestamps and dates, empty optional strings
// (sample_id, notes, appointment_id, parent_id, origin, the transaction's
// status), and a zero Patient, Address, LabTest, Details, LastEvent or
// Transaction are null; an empty status_detail is left out. details.data is
// written only for an at-home phlebotomy order.
//
// A status or high-level status that is neither zero nor valid is an
// *[EncodeError] wrapping [ErrUnknownStatus]; a time or date that RFC 3339
// cannot write (outside the years 0000 to 9999) is one wrapping
// [ErrMalformed].
func (o Order) MarshalJSON() ([]byte, error) {
	w := wireOrder{ID: o.ID, TeamID: o.TeamID, UserID: o.UserID, ActivateBy: o.ActivateBy}
	var err error
	if o.Patient != (Patient{}) {
		if !o.Patient.DOB.IsZero() && !o.Patient.DOB.IsValid() {
			return nil, &EncodeError{Field: "patient_details.dob", Err: &MalformedError{Kind: "date", Text: o.Patient.DOB.String()}}
		}
		w.Patient = &o.Patient
	}
	if o.Address != (Address{}) {
		a := orderAddress(o.Address)
		w.Address = &a
	}
	if o.LabTest != (LabTest{}) {
		w.LabTest = &o.LabTest
	}
	if o.Details != (Details{}) {
		if w.Details, err = o.wireDetails(); err != nil {
			return nil, err
		}
	}
	w.SampleID, w.Notes = optional(o.SampleID), optional(o.Notes)
	if w.CreatedAt, err = timeText(top, "created_at", o.CreatedAt); err != nil {
		return nil, err
	}
	if w.UpdatedAt, err = timeText(top, "updated_at", o.UpdatedAt); err != nil {
		return nil, err
	}
	w.Events = make([]wireEntry, len(o.History))
	for i, e := range o.History {
		if w.Events[i], err = e.wire(func() string { return "events[" + strconv.Itoa(i) + "]" }); err != nil {
			return nil, err
		}
	}
	if o.LastEvent != (HistoryEntry{}) {
		last, err := o.LastEvent.wire(func() string { return "last_event" })
		if err != nil {
			return nil, err
		}
		w.LastEvent = &last
	}
	switch {
	case o.HighLevel != 0:
		b, err := o.HighLevel.MarshalText()
		if err != nil {
			return nil, &EncodeError{Field: "status", Err: err}
		}
		w.Status = optional(string(b))
	default:
		w.Status = optional(o.HighLevelText)
	}
	if !o.ActivateBy.IsZero() && !o.ActivateBy.IsValid() {
		return nil, &EncodeError{Field: "activate_by", Err: &MalformedError{Kind: "date", Text: o.ActivateBy.String()}}
	}
	w.Origin = optional(string(o.Origin))
	if !o.Transaction.isZero() {
		if w.Transaction, err = o.Transaction.wire(); err != nil {
			return nil, err
		}
	}
	return json.Marshal(w)
}

func (o Order) wireDetails() (*wireDetails, error) {
	w := &wireDetails{Type: string(o.Details.Type)}
	d := o.Details
	if !o.IsPhlebotomy() || d.ID == "" && d.AppointmentID == "" && d.CreatedAt.IsZero() && d.UpdatedAt.IsZero() {
		return w, nil
	}
	w.Data = &wireData{ID: d.ID, AppointmentID: optional(d.AppointmentID)}
	var err error
	if w.Data.CreatedAt, err = timeText(top, "details.data.created_at", d.CreatedAt); err != nil {
		return nil, err
	}
	if w.Data.UpdatedAt, err = timeText(top, "details.data.updated_at", d.UpdatedAt); err != nil {
		return nil, err
	}
	return w, nil
}

// wire returns the entry in Junction's form; path names it in errors.
func (e HistoryEntry) wire(path func() string) (wireEntry, error) {
	w := wireEntry{ID: e.ID, Detail: optional(string(e.Detail))}
	var err error
	if w.CreatedAt, err = timeText(path, "created_at", e.CreatedAt); err != nil {
		return w, err
	}
	if w.Status, err = statusText(e.Status, e.StatusText, Status.Full); err != nil {
		return w, &EncodeError{Field: path() + ".status", Err: err}
	}
	return w, nil
}

func (t Transaction) isZero() bool { return t.ID == "" && t.Status == "" && len(t.Orders) == 0 }

func (t Transaction) wire() (*wireTransaction, error) {
	w := &wireTransaction{ID: t.ID, Status: optional(string(t.Status)), Orders: make([]wireTxOrder, len(t.Orders))}
	for i, o := range t.Orders {
		path := func() string { return "order_transaction.orders[" + strconv.Itoa(i) + "]" }
		v := wireTxOrder{ID: o.ID, Origin: optional(string(o.Origin)), ParentID: optional(o.ParentID)}
		var err error
		if v.Status, err = statusText(o.Status, o.StatusText, Status.String); err != nil {
			return nil, &EncodeError{Field: path() + ".low_level_status", Err: err}
		}
		for _, f := range []struct {
			dst  **string
			name string
			t    time.Time
		}{
			{&v.StatusCreatedAt, "low_level_status_created_at", o.StatusCreatedAt},
			{&v.CreatedAt, "created_at", o.CreatedAt},
			{&v.UpdatedAt, "updated_at", o.UpdatedAt},
		} {
			if *f.dst, err = timeText(path, f.name, f.t); err != nil {
				return nil, err
			}
		}
		w.Orders[i] = v
	}
	return w, nil
}

// statusText returns the text a status is written as: spell(s) for a valid
// status, text for the zero Status, null for an empty text.
func statusText(s Status, text string, spell func(Status) string) (*string, error) {
	if s == 0 {
		return optional(text), nil
	}
	if !s.IsValid() {
		_, err := s.MarshalText()
		return nil, err
	}
	v := spell(s)
	return &v, nil
}

// timeText returns t in RFC 3339, or null for the zero time. An error names
// field in the value at path(), which is worked out only then.
func timeText(path func() string, field string, t time.Time) (*string, error) {
	if t.IsZero() {
		return nil, nil
	}
	s, ok := jsonwire.FormatTime(t)
	if !ok {
		return nil, &EncodeError{Field: joinPath(path(), field), Err: &MalformedError{Kind: "time", Text: t.String()}}
	}
	return &s, nil
}

// top is the path of the order itself.
func top() string { return "" }

// optional returns nil for "", so that it is written as null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
