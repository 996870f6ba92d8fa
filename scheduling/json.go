package scheduling

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/tier"
)

// The JSON form of an [Order], for storing it; its field names are this
// package's, in snake_case, and its appointments are Junction's appointment
// JSON beside the flow's own fields:
//
//	{
//	  "id": "ord-1",
//	  "team_id": "team-1",
//	  "client_user_id": "client-1",
//	  "status": "appointment_scheduled",
//	  "created_at": "2026-11-23T09:00:00Z",
//	  "activate_by": null,
//	  "requisition": true,
//	  "user_id": "user-1",
//	  "patient": {"dob": "1990-06-15", "gender": "", "first_name": "", "last_name": "", "phone_number": "", "email": ""},
//	  "address": {"first_line": "123 Main St.", "city": "Phoenix", "state": "AZ", "zip_code": "85004"},
//	  "time_zone": "America/Phoenix",
//	  "settings": {"pre_requisition_scheduling": true, "partial_results_webhooks": false},
//	  "appointments": [
//	    {"appointment": {"id": "ord-1-a1", …}, "tier": "appointment-ready", "placed_at": "2026-11-23T09:00:00Z"}
//	  ],
//	  "history": [
//	    {"id": 1, "created_at": "2026-11-23T09:00:00Z", "status": "ordered"},
//	    …
//	  ],
//	  "clock": "2026-11-23T12:00:00Z"
//	}

type wireOrder struct {
	ID           string            `json:"id"`
	TeamID       string            `json:"team_id"`
	ClientUserID string            `json:"client_user_id"`
	Status       *string           `json:"status"`
	CreatedAt    *string           `json:"created_at"`
	ActivateBy   order.Date        `json:"activate_by"`
	Requisition  bool              `json:"requisition"`
	UserID       string            `json:"user_id"`
	Patient      order.Patient     `json:"patient"`
	Address      order.Address     `json:"address"`
	TimeZone     *string           `json:"time_zone"`
	Settings     Settings          `json:"settings"`
	Appointments []wireAppointment `json:"appointments"`
	History      []wireEntry       `json:"history"`
	Clock        *string           `json:"clock"`
}

type wireEntry struct {
	ID        *int64  `json:"id"`
	CreatedAt *string `json:"created_at"`
	Status    *string `json:"status"`
}

type wireAppointment struct {
	Appointment json.RawMessage `json:"appointment"`
	Tier        *string         `json:"tier"`
	PlacedAt    *string         `json:"placed_at"`
}

// MarshalJSON writes the order for storage (see [Flow.UnmarshalJSON] for
// the form). Decoding what it writes gives an equal value, as
// reflect.DeepEqual sees it, for every order [Place] and the commands
// return, and every order decoded; a value built or changed by hand is
// normalised on the way as Place normalises (instants in UTC without
// monotonic clock reading, the time zone as the zone loaded from its IANA
// name, nil as time.UTC; an empty list of appointments as nil), and as
// [appointment.Appointment] normalises its record.
//
// What cannot be written exactly is an error, a *[EncodeError] wrapping
// [ErrMalformed], rather than a silent change: an invalid order status or
// tier, an instant outside the years 0000 to 9999 in UTC, a date that is
// neither zero nor valid, a time zone without an IANA name (see [ErrZone]), an appointment record that
// [appointment.Appointment.MarshalJSON] refuses, and a string that is not
// valid UTF-8, which JSON cannot carry.
func (o Flow) MarshalJSON() ([]byte, error) {
	b, err := o.encode()
	if err != nil {
		return nil, encodeError("", err)
	}
	return b, nil
}

func (o *Flow) encode() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"id":`)
	if err := writeString(&buf, "id", o.ID); err != nil {
		return nil, err
	}
	buf.WriteString(`,"team_id":`)
	if err := writeString(&buf, "team_id", o.TeamID); err != nil {
		return nil, err
	}
	buf.WriteString(`,"client_user_id":`)
	if err := writeString(&buf, "client_user_id", o.ClientUserID); err != nil {
		return nil, err
	}
	status, err := o.Status.MarshalText()
	if err != nil {
		return nil, &EncodeError{Field: "status", Err: err}
	}
	buf.WriteString(`,"status":"`)
	buf.Write(status)
	buf.WriteString(`","created_at":`)
	if err := writeInstant(&buf, "created_at", o.CreatedAt); err != nil {
		return nil, err
	}
	buf.WriteString(`,"activate_by":`)
	activate, err := o.ActivateBy.MarshalJSON()
	if err != nil {
		return nil, &EncodeError{Field: "activate_by", Err: err}
	}
	buf.Write(activate)
	buf.WriteString(`,"requisition":` + strconv.FormatBool(o.Requisition) + `,"user_id":`)
	if err := writeString(&buf, "user_id", o.UserID); err != nil {
		return nil, err
	}
	if err := encodePatient(&buf, o); err != nil {
		return nil, err
	}
	buf.WriteString(`,"settings":{"pre_requisition_scheduling":` + strconv.FormatBool(o.Settings.PreRequisitionScheduling) +
		`,"partial_results_webhooks":` + strconv.FormatBool(o.Settings.PartialResultsWebhooks) + `},"appointments":[`)
	for i := range o.Appointments {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := o.Appointments[i].encode(&buf); err != nil {
			return nil, encodeError("appointments["+strconv.Itoa(i)+"]", err)
		}
	}
	buf.WriteString(`],"history":[`)
	for i := range o.History {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := encodeEntry(&buf, &o.History[i]); err != nil {
			return nil, encodeError("history["+strconv.Itoa(i)+"]", err)
		}
	}
	buf.WriteString(`],"clock":`)
	if err := writeInstant(&buf, "clock", o.Clock); err != nil {
		return nil, err
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// encodeEntry writes an entry of the order's history as
// {"id", "created_at", "status"}, its status in short form. The flow
// records no status detail: an entry with one cannot be stored.
func encodeEntry(buf *bytes.Buffer, e *order.HistoryEntry) error {
	status, err := e.Status.MarshalText()
	if err != nil {
		return &EncodeError{Field: "status", Err: err}
	}
	if e.StatusText != "" || e.Detail != "" {
		return &EncodeError{Field: "status", Err: errNotFlow}
	}
	buf.WriteString(`{"id":` + strconv.FormatInt(e.ID, 10) + `,"created_at":`)
	if err := writeInstant(buf, "created_at", e.CreatedAt); err != nil {
		return err
	}
	buf.WriteString(`,"status":"`)
	buf.Write(status)
	buf.WriteString(`"}`)
	return nil
}

// errNotFlow is the cause of an [EncodeError] for a history entry with a
// status text or detail, which the flow never records.
var errNotFlow = errors.New("status text or detail the flow does not record")

// encodePatient writes the members "patient", "address" and "time_zone"
// of the order's JSON: the patient as [order.Patient] writes itself (its
// date of birth "1990-06-15", or null when zero), the address as
// [order.Address] does, and the time zone's IANA name, "UTC" for nil.
func encodePatient(buf *bytes.Buffer, o *Flow) error {
	if f, ok := invalidPatient(&o.Patient); !ok {
		return &EncodeError{Field: "patient." + f, Err: errNotUTF8}
	}
	patient, err := json.Marshal(o.Patient)
	if err != nil {
		return &EncodeError{Field: "patient", Err: err}
	}
	buf.WriteString(`,"patient":`)
	buf.Write(patient)
	buf.WriteString(`,"address":`)
	if f, ok := invalidAddress(&o.Address); !ok {
		return &EncodeError{Field: "address." + f, Err: errNotUTF8}
	}
	address, err := json.Marshal(o.Address)
	if err != nil {
		return &EncodeError{Field: "address", Err: err} // unreachable: an address of valid strings always encodes
	}
	buf.Write(address)
	loc, err := ianaZone(o.TimeZone)
	if err != nil {
		return &EncodeError{Field: "time_zone", Err: err}
	}
	buf.WriteString(`,"time_zone":`)
	return writeString(buf, "time_zone", loc.String())
}

// invalidPatient returns the name of the first field of p that is not valid
// UTF-8, and false; or "" and true.
func invalidPatient(p *order.Patient) (string, bool) {
	for _, f := range [...]struct{ name, s string }{
		{"gender", p.Gender}, {"first_name", p.FirstName}, {"last_name", p.LastName},
		{"phone_number", p.PhoneNumber}, {"email", p.Email},
	} {
		if !utf8.ValidString(f.s) {
			return f.name, false
		}
	}
	return "", true
}

// MarshalJSON writes the appointment as an element of an order's
// "appointments": {"appointment": Junction's appointment JSON (see
// [appointment.Appointment.MarshalJSON]), "tier", "placed_at"}. Errors are
// as for [Flow.MarshalJSON].
func (a Placement) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := a.encode(&buf); err != nil {
		return nil, encodeError("", err)
	}
	return buf.Bytes(), nil
}

func (a *Placement) encode(buf *bytes.Buffer) error {
	if f, ok := invalidRecord(&a.Appointment); !ok {
		return &EncodeError{Field: "appointment." + f, Err: errNotUTF8}
	}
	record, err := a.Appointment.MarshalJSON()
	if err != nil {
		return &EncodeError{Field: "appointment", Err: err}
	}
	tr, err := a.Tier.MarshalText()
	if err != nil {
		return &EncodeError{Field: "tier", Err: err}
	}
	buf.WriteString(`{"appointment":`)
	buf.Write(record)
	buf.WriteString(`,"tier":"`)
	buf.Write(tr)
	buf.WriteString(`","placed_at":`)
	if err := writeInstant(buf, "placed_at", a.PlacedAt); err != nil {
		return err
	}
	buf.WriteByte('}')
	return nil
}

// errNotUTF8 is the cause of an [EncodeError] for a string that is not
// valid UTF-8.
var errNotUTF8 = errors.New("not valid UTF-8")

// writeString writes s as a JSON string.
func writeString(buf *bytes.Buffer, field, s string) error {
	if !utf8.ValidString(s) {
		return &EncodeError{Field: field, Err: errNotUTF8}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return &EncodeError{Field: field, Err: err} // unreachable: a valid string always encodes
	}
	buf.Write(b)
	return nil
}

// writeInstant writes t as an RFC 3339 string in UTC.
func writeInstant(buf *bytes.Buffer, field string, t time.Time) error {
	if err := inRange(field, t); err != nil {
		return &EncodeError{Field: field, Err: err}
	}
	buf.WriteByte('"')
	buf.WriteString(t.UTC().Format(time.RFC3339Nano))
	buf.WriteByte('"')
	return nil
}

// invalidAddress returns the name of the first field of a that is not valid
// UTF-8, and false; or "" and true.
func invalidAddress(a *order.Address) (string, bool) {
	for _, f := range [...]struct{ name, s string }{
		{"first_line", a.FirstLine}, {"second_line", a.SecondLine}, {"city", a.City}, {"state", a.State},
		{"zip_code", a.ZipCode}, {"unit", a.Unit}, {"access_notes", a.AccessNotes}, {"country", a.Country},
	} {
		if !utf8.ValidString(f.s) {
			return f.name, false
		}
	}
	return "", true
}

// invalidRecord returns the JSON name of the first text field of a that is
// not valid UTF-8, and false; or "" and true.
func invalidRecord(a *appointment.Appointment) (string, bool) {
	if f, ok := invalidAddress(&a.Address); !ok {
		return "address." + f, false
	}
	for _, f := range [...]struct{ name, s string }{
		{"id", a.ID}, {"user_id", a.UserID}, {"order_id", a.OrderID}, {"order_transaction_id", a.OrderTransactionID},
		{"external_id", a.ExternalID}, {"iana_timezone", a.IANATimezone}, {"type", string(a.Type)},
		{"provider", a.ProviderText}, {"provider_id", a.ProviderID}, {"appointment_notes", a.AppointmentNotes},
		{"event_data.origin", a.EventData.Origin},
	} {
		if !utf8.ValidString(f.s) {
			return f.name, false
		}
	}
	for k := range a.EventData.Extra {
		if !utf8.ValidString(k) {
			return "event_data", false
		}
	}
	for i := range a.History {
		if !utf8.ValidString(a.History[i].Status) {
			return "events[" + strconv.Itoa(i) + "].status", false
		}
	}
	return "", true
}

// UnmarshalJSON decodes an order that [Flow.MarshalJSON] wrote:
//
//	{"id", "team_id", "client_user_id", "status", "created_at", "activate_by", "requisition",
//	 "user_id", "patient": {"dob", "gender", "first_name", "last_name", "phone_number", "email"},
//	 "address", "time_zone",
//	 "settings": {"pre_requisition_scheduling", "partial_results_webhooks"},
//	 "appointments": [{"appointment", "tier", "placed_at"}],
//	 "history": [{"id", "created_at", "status"}], "clock"}
//
// Decoding is strict, as befits stored data: status, created_at, clock,
// time_zone, each appointment's appointment, tier and
// placed_at, and a history of at least one entry, each with its id,
// created_at and status, are required and may not be null; ids must
// increase along the history, its times not go backwards, and its last
// status be the order's; a member this package does
// not write, a value of the wrong JSON type, an unknown order status
// (anything [order.ParseStatus] refuses) or tier, a timestamp that is not
// RFC 3339 with a zone designator, an instant outside the years 0000 to
// 9999 in UTC, a dob or activate_by that [order.Date] does not read, a
// time zone that is ""
// or "Local" or unknown to the zone database, and an appointment record
// that [appointment.Decode] refuses, unknown statuses included, are each a
// *[DecodeError] wrapping [ErrMalformed] and naming the field. The other
// members may be absent or null, which leaves their zero value. Key names
// match as encoding/json matches them, case-insensitively.
//
// The result is in the form [Place] gives: instants in UTC, the time zone
// loaded from its name, no empty slices. Decoding checks each value, not that the order as a whole is
// one the flow could have reached (our decision): the commands refuse what
// their statuses do not allow, whatever the value.
//
// Like the standard library's decoders it leaves o unchanged for null; on
// error o is unchanged too. json.Unmarshal checks the syntax itself before
// calling UnmarshalJSON and reports invalid JSON as a bare
// *json.SyntaxError: use [DecodeFlow] to get a *DecodeError for every
// fault.
func (o *Flow) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	v, err := decodeOrder(data)
	if err != nil {
		return err
	}
	if o == nil {
		return &DecodeError{Err: errNilDestination}
	}
	*o = v
	return nil
}

// DecodeFlow decodes an order as [Flow.UnmarshalJSON] does; null gives the
// zero Order. Every error it returns is a *[DecodeError] wrapping
// [ErrMalformed].
func DecodeFlow(data []byte) (Flow, error) {
	if isNull(data) {
		return Flow{}, nil
	}
	return decodeOrder(data)
}

// UnmarshalJSON decodes an element of an order's "appointments", as
// [Flow.UnmarshalJSON] describes. It leaves a unchanged for null and on
// error, a *[DecodeError].
func (a *Placement) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	var w wireAppointment
	if err := strictUnmarshal(data, &w); err != nil {
		return decodeError("", err)
	}
	v, err := w.appointment()
	if err != nil {
		return err
	}
	if a == nil {
		return &DecodeError{Err: errNilDestination}
	}
	*a = v
	return nil
}

// errNilDestination is the cause of a [DecodeError] for decoding into a nil
// pointer.
var errNilDestination = errors.New("nil destination")

func decodeOrder(data []byte) (Flow, error) {
	var w wireOrder
	if err := strictUnmarshal(data, &w); err != nil {
		return Flow{}, decodeError("", err)
	}
	var o Flow
	var err error
	o.ID, o.TeamID, o.ClientUserID, o.Requisition, o.Settings = w.ID, w.TeamID, w.ClientUserID, w.Requisition, w.Settings
	if w.Status == nil {
		return Flow{}, missing("status")
	}
	if o.Status, err = order.ParseStatus(*w.Status); err != nil {
		return Flow{}, &DecodeError{Field: "status", Err: err}
	}
	if o.CreatedAt, err = requiredInstant("created_at", w.CreatedAt); err != nil {
		return Flow{}, err
	}
	o.ActivateBy, o.UserID, o.Patient, o.Address = w.ActivateBy, w.UserID, w.Patient, w.Address
	if w.TimeZone == nil {
		return Flow{}, missing("time_zone")
	}
	if o.TimeZone, err = zoneByName(*w.TimeZone); err != nil {
		return Flow{}, &DecodeError{Field: "time_zone", Err: err}
	}
	if len(w.Appointments) > 0 {
		o.Appointments = make([]Placement, len(w.Appointments))
	}
	for i := range w.Appointments {
		if o.Appointments[i], err = w.Appointments[i].appointment(); err != nil {
			return Flow{}, decodeError("appointments["+strconv.Itoa(i)+"]", err)
		}
	}
	if o.History, err = decodeHistory(w.History, o.Status); err != nil {
		return Flow{}, err
	}
	if o.Clock, err = requiredInstant("clock", w.Clock); err != nil {
		return Flow{}, err
	}
	return o, nil
}

// decodeHistory decodes the order's history: each entry's id, created_at
// and status are required, ids increase, times do not go backwards, and
// the last status is the order's.
func decodeHistory(w []wireEntry, status order.Status) ([]order.HistoryEntry, error) {
	if len(w) == 0 {
		return nil, missing("history")
	}
	h := make([]order.HistoryEntry, len(w))
	for i := range w {
		field := "history[" + strconv.Itoa(i) + "]"
		e := &h[i]
		if w[i].ID == nil {
			return nil, missing(field + ".id")
		}
		e.ID = *w[i].ID
		if i > 0 && e.ID <= h[i-1].ID {
			return nil, &DecodeError{Field: field + ".id", Err: errHistoryOrder}
		}
		var err error
		if e.CreatedAt, err = requiredInstant(field+".created_at", w[i].CreatedAt); err != nil {
			return nil, err
		}
		if i > 0 && e.CreatedAt.Before(h[i-1].CreatedAt) {
			return nil, &DecodeError{Field: field + ".created_at", Err: errHistoryOrder}
		}
		if w[i].Status == nil {
			return nil, missing(field + ".status")
		}
		if e.Status, err = order.ParseStatus(*w[i].Status); err != nil {
			return nil, &DecodeError{Field: field + ".status", Err: err}
		}
	}
	if h[len(h)-1].Status != status {
		return nil, &DecodeError{Field: "history[" + strconv.Itoa(len(h)-1) + "].status", Err: errHistoryOrder}
	}
	return h, nil
}

// errHistoryOrder is the cause of a [DecodeError] for a history whose ids
// do not increase, whose times go backwards, or whose last status is not
// the order's.
var errHistoryOrder = errors.New("history out of order or not ending in the order's status")

func (w *wireAppointment) appointment() (Placement, error) {
	if len(w.Appointment) == 0 || isNull(w.Appointment) {
		return Placement{}, missing("appointment")
	}
	record, err := appointment.Decode(w.Appointment)
	if err != nil {
		return Placement{}, &DecodeError{Field: "appointment", Err: err}
	}
	a := Placement{Appointment: record}
	if w.Tier == nil {
		return Placement{}, missing("tier")
	}
	if a.Tier, err = tier.Parse(*w.Tier); err != nil {
		return Placement{}, &DecodeError{Field: "tier", Err: err}
	}
	if a.PlacedAt, err = requiredInstant("placed_at", w.PlacedAt); err != nil {
		return Placement{}, err
	}
	return a, nil
}

// strictUnmarshal decodes data, one JSON value, into v, refusing members v
// does not have.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// errTrailing is the cause of a [DecodeError] for data after the JSON value.
var errTrailing = errors.New("data after the JSON value")

func missing(field string) *DecodeError { return &DecodeError{Field: field, Err: errMissing} }

// errMissing is the cause of a [DecodeError] for a required member that is
// absent or null.
var errMissing = errors.New("missing")

func requiredInstant(field string, text *string) (time.Time, error) {
	if text == nil {
		return time.Time{}, missing(field)
	}
	return parseInstant(field, *text)
}

// parseInstant parses an RFC 3339 timestamp with a zone designator, into
// UTC, and checks that the year in UTC is 0000 to 9999.
func parseInstant(field, text string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return time.Time{}, &DecodeError{Field: field, Err: err}
	}
	t = t.UTC()
	if err := inRange(field, t); err != nil {
		return time.Time{}, &DecodeError{Field: field, Err: err}
	}
	return t, nil
}

// isNull reports whether data is the JSON literal null, with only JSON's own
// white space around it.
func isNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }
