package scheduling

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/tier"
)

// This file is the wire layer of the stored form of a [Flow]: struct tags
// on the wire types below say how each member travels, and the code checks
// what JSON cannot say: required members, instants within the years 0000
// to 9999 in UTC, IANA time zones, and a history in order. The form, whose
// names are this package's, in snake_case, with the appointments in
// Junction's appointment JSON beside the flow's own fields:
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

// wireFlow is the stored form of a Flow. Encoding fills it with pointers
// to the Flow's own values (A is *appointment.Appointment); decoding reads
// each appointment record as raw JSON (A is jsontext.Value), for its own
// type to decode, and required members through pointers, nil when absent
// or null.
type wireFlow[A any] struct {
	ID           string             `json:"id"`
	TeamID       string             `json:"team_id"`
	ClientUserID string             `json:"client_user_id"`
	Status       *order.Status      `json:"status"`
	CreatedAt    *time.Time         `json:"created_at"`
	ActivateBy   order.Date         `json:"activate_by"`
	Requisition  bool               `json:"requisition"`
	UserID       string             `json:"user_id"`
	Patient      *order.Patient     `json:"patient"`
	Address      *order.Address     `json:"address"`
	TimeZone     *string            `json:"time_zone"`
	Settings     Settings           `json:"settings"`
	Appointments []wirePlacement[A] `json:"appointments"`
	History      []wireEntry        `json:"history"`
	Clock        *time.Time         `json:"clock"`
}

// wirePlacement is the stored form of a Placement.
type wirePlacement[A any] struct {
	Appointment A          `json:"appointment"`
	Tier        *tier.Tier `json:"tier"`
	PlacedAt    *time.Time `json:"placed_at"`
}

// wireEntry is the stored form of an entry of the order's history.
type wireEntry struct {
	ID        *int64        `json:"id"`
	CreatedAt *time.Time    `json:"created_at"`
	Status    *order.Status `json:"status"`
}

// MarshalJSON writes the flow for storage (see [Flow.UnmarshalJSON] for
// the form). Decoding what it writes gives an equal value, as
// reflect.DeepEqual sees it, for every flow [Place] and the commands
// return, and every flow decoded; a value built or changed by hand is
// normalised on the way as Place normalises (instants in UTC without
// monotonic clock reading, the time zone as the zone loaded from its IANA
// name, nil as time.UTC; an empty list of appointments as nil), and as
// [appointment.Appointment] normalises its record.
//
// What cannot be written exactly is an error, a *[DecodeError] of Op
// "encode" wrapping [ErrMalformed] whose Path is the JSON Pointer of the
// value at fault, rather than a silent change: an invalid order status or
// tier, an instant outside the years 0000 to 9999 in UTC, a date that is
// neither zero nor valid, a time zone without an IANA name (see
// [ErrZone]), a history entry with a status text or detail (the flow
// records neither), an appointment record that its own encoding refuses,
// and a string that is not valid UTF-8, which JSON cannot carry.
func (o Flow) MarshalJSON() ([]byte, error) {
	w, err := o.wire()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, &DecodeError{Op: "encode", Path: pointer(err), Err: unwrapSemantic(err)}
	}
	return b, nil
}

// wire returns the stored form of o, after checking what JSON would not.
func (o *Flow) wire() (*wireFlow[*appointment.Appointment], error) {
	loc, err := ianaZone(o.TimeZone)
	if err != nil {
		return nil, &DecodeError{Op: "encode", Path: "/time_zone", Err: err}
	}
	zone := loc.String()
	w := &wireFlow[*appointment.Appointment]{
		ID: o.ID, TeamID: o.TeamID, ClientUserID: o.ClientUserID, Status: &o.Status,
		ActivateBy: o.ActivateBy, Requisition: o.Requisition, UserID: o.UserID, Patient: &o.Patient,
		Address: &o.Address, TimeZone: &zone, Settings: o.Settings,
	}
	if !o.Status.IsValid() {
		return nil, &DecodeError{Op: "encode", Path: "/status", Err: order.ErrUnknownStatus}
	}
	if w.CreatedAt, err = instant("/created_at", o.CreatedAt); err != nil {
		return nil, err
	}
	if w.Clock, err = instant("/clock", o.Clock); err != nil {
		return nil, err
	}
	w.Appointments = make([]wirePlacement[*appointment.Appointment], len(o.Appointments))
	for i := range o.Appointments {
		a := &o.Appointments[i]
		if !a.Tier.IsValid() {
			return nil, &DecodeError{Op: "encode", Path: "/appointments/" + strconv.Itoa(i) + "/tier", Err: tier.ErrInvalidTier}
		}
		w.Appointments[i] = wirePlacement[*appointment.Appointment]{Appointment: &a.Appointment, Tier: &a.Tier}
		if w.Appointments[i].PlacedAt, err = instant("/appointments/"+strconv.Itoa(i)+"/placed_at", a.PlacedAt); err != nil {
			return nil, err
		}
	}
	w.History = make([]wireEntry, len(o.History))
	for i := range o.History {
		e := &o.History[i]
		path := "/history/" + strconv.Itoa(i)
		if !e.Status.IsValid() {
			return nil, &DecodeError{Op: "encode", Path: path + "/status", Err: order.ErrUnknownStatus}
		}
		if e.StatusText != "" || e.Detail != "" {
			return nil, &DecodeError{Op: "encode", Path: path + "/status", Err: errNotFlow}
		}
		w.History[i] = wireEntry{ID: &e.ID, Status: &e.Status}
		if w.History[i].CreatedAt, err = instant(path+"/created_at", e.CreatedAt); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// instant returns t in UTC, or a *DecodeError of Op "encode" at path when
// it cannot be stored.
func instant(path string, t time.Time) (*time.Time, error) {
	if err := inRange(path[1:], t); err != nil {
		return nil, &DecodeError{Op: "encode", Path: path, Err: err}
	}
	t = t.UTC()
	return &t, nil
}

// errNotFlow is the cause of a [DecodeError] of Op "encode" for a history
// entry with a status text or detail, which the flow never records.
var errNotFlow = errors.New("status text or detail the flow does not record")

// MarshalJSON writes the appointment as an element of a flow's
// "appointments": {"appointment": Junction's appointment JSON, "tier",
// "placed_at"}. Errors are as for [Flow.MarshalJSON]. Without it, a
// Placement would encode as its embedded appointment alone.
func (a Placement) MarshalJSON() ([]byte, error) {
	if !a.Tier.IsValid() {
		return nil, &DecodeError{Op: "encode", Path: "/tier", Err: tier.ErrInvalidTier}
	}
	placed, err := instant("/placed_at", a.PlacedAt)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(wirePlacement[*appointment.Appointment]{Appointment: &a.Appointment, Tier: &a.Tier,
		PlacedAt: placed})
	if err != nil {
		return nil, &DecodeError{Op: "encode", Path: pointer(err), Err: unwrapSemantic(err)}
	}
	return b, nil
}

// UnmarshalJSON decodes a flow that [Flow.MarshalJSON] wrote:
//
//	{"id", "team_id", "client_user_id", "status", "created_at", "activate_by", "requisition",
//	 "user_id", "patient": {"dob", "gender", "first_name", "last_name", "phone_number", "email"},
//	 "address", "time_zone",
//	 "settings": {"pre_requisition_scheduling", "partial_results_webhooks"},
//	 "appointments": [{"appointment", "tier", "placed_at"}],
//	 "history": [{"id", "created_at", "status"}], "clock"}
//
// Decoding is strict, as befits stored data: status, created_at, clock,
// time_zone, each appointment's appointment, tier and placed_at, and a
// history of at least one entry, each with its id, created_at and status,
// are required and may not be null; ids must increase along the history,
// its times not go backwards, and its last status be the flow's. A member
// this package does not write, a member given twice, a value of the wrong
// JSON type, an unknown order status (anything [order.Status] refuses) or
// tier, a timestamp that is not RFC 3339 with a zone designator, an instant
// outside the years 0000 to 9999 in UTC, a dob or activate_by that
// [order.Date] does not read, a time zone that is "" or "Local" or unknown
// to the zone database, an appointment record that its own decoding
// refuses, unknown statuses included, and data after the value are each a
// *[DecodeError] wrapping [ErrMalformed] whose Path is the JSON Pointer of
// the value at fault. The other members may be absent or null, which
// leaves their zero value. Member names match exactly, case included.
//
// The result is in the form [Place] gives: instants in UTC, the time zone
// loaded from its name, no empty slices. Decoding checks each value, not
// that the flow as a whole is one the commands could have reached (our
// decision): the commands refuse what their statuses do not allow,
// whatever the value.
//
// Like the standard library's decoders it leaves o unchanged for null; on
// error o is unchanged too. [DecodeFlow] does the same as a function.
func (o *Flow) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	v, err := decodeFlow(data)
	if err != nil {
		return err
	}
	if o == nil {
		return &DecodeError{Err: errNilDestination}
	}
	*o = v
	return nil
}

// DecodeFlow decodes a flow as [Flow.UnmarshalJSON] does; null gives the
// zero Flow. Every error it returns is a *[DecodeError] wrapping
// [ErrMalformed].
func DecodeFlow(data []byte) (Flow, error) {
	if isNull(data) {
		return Flow{}, nil
	}
	return decodeFlow(data)
}

// UnmarshalJSON decodes an element of a flow's "appointments", as
// [Flow.UnmarshalJSON] describes. It leaves a unchanged for null and on
// error, a *[DecodeError].
func (a *Placement) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	var w wirePlacement[jsontext.Value]
	if err := json.Unmarshal(data, &w, json.RejectUnknownMembers(true)); err != nil {
		return &DecodeError{Path: pointer(err), Err: unwrapSemantic(err)}
	}
	v, err := w.placement("")
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

func decodeFlow(data []byte) (Flow, error) {
	var w wireFlow[jsontext.Value]
	if err := json.Unmarshal(data, &w, json.RejectUnknownMembers(true)); err != nil {
		return Flow{}, &DecodeError{Path: pointer(err), Err: unwrapSemantic(err)}
	}
	o := Flow{ID: w.ID, TeamID: w.TeamID, ClientUserID: w.ClientUserID, ActivateBy: w.ActivateBy,
		Requisition: w.Requisition, UserID: w.UserID, Settings: w.Settings}
	var err error
	if w.Status == nil {
		return Flow{}, missing("/status")
	}
	o.Status = *w.Status
	if o.CreatedAt, err = required("/created_at", w.CreatedAt); err != nil {
		return Flow{}, err
	}
	if w.Patient != nil {
		o.Patient = *w.Patient
	}
	if w.Address != nil {
		o.Address = *w.Address
	}
	if w.TimeZone == nil {
		return Flow{}, missing("/time_zone")
	}
	if o.TimeZone, err = zoneByName(*w.TimeZone); err != nil {
		return Flow{}, &DecodeError{Path: "/time_zone", Err: err}
	}
	if len(w.Appointments) > 0 {
		o.Appointments = make([]Placement, len(w.Appointments))
	}
	for i := range w.Appointments {
		if o.Appointments[i], err = w.Appointments[i].placement("/appointments/" + strconv.Itoa(i)); err != nil {
			return Flow{}, err
		}
	}
	if o.History, err = decodeHistory(w.History, o.Status); err != nil {
		return Flow{}, err
	}
	if o.Clock, err = required("/clock", w.Clock); err != nil {
		return Flow{}, err
	}
	return o, nil
}

// decodeHistory decodes the flow's history: each entry's id, created_at
// and status are required, ids increase, times do not go backwards, and
// the last status is the flow's.
func decodeHistory(w []wireEntry, status order.Status) ([]order.HistoryEntry, error) {
	if len(w) == 0 {
		return nil, missing("/history")
	}
	h := make([]order.HistoryEntry, len(w))
	for i := range w {
		path := "/history/" + strconv.Itoa(i)
		e := &h[i]
		if w[i].ID == nil {
			return nil, missing(path + "/id")
		}
		e.ID = *w[i].ID
		if i > 0 && e.ID <= h[i-1].ID {
			return nil, &DecodeError{Path: path + "/id", Err: errHistoryOrder}
		}
		var err error
		if e.CreatedAt, err = required(path+"/created_at", w[i].CreatedAt); err != nil {
			return nil, err
		}
		if i > 0 && e.CreatedAt.Before(h[i-1].CreatedAt) {
			return nil, &DecodeError{Path: path + "/created_at", Err: errHistoryOrder}
		}
		if w[i].Status == nil {
			return nil, missing(path + "/status")
		}
		e.Status = *w[i].Status
	}
	if h[len(h)-1].Status != status {
		return nil, &DecodeError{Path: "/history/" + strconv.Itoa(len(h)-1) + "/status", Err: errHistoryOrder}
	}
	return h, nil
}

// errHistoryOrder is the cause of a [DecodeError] for a history whose ids
// do not increase, whose times go backwards, or whose last status is not
// the flow's.
var errHistoryOrder = errors.New("history out of order or not ending in the flow's status")

// placement decodes w, the element of "appointments" at path.
func (w *wirePlacement[A]) placement(path string) (Placement, error) {
	raw, _ := any(w.Appointment).(jsontext.Value)
	if len(raw) == 0 || raw.Kind() == 'n' {
		return Placement{}, missing(path + "/appointment")
	}
	var a Placement
	if err := json.Unmarshal(raw, &a.Appointment); err != nil {
		return Placement{}, &DecodeError{Path: path + "/appointment" + pointer(err), Err: unwrapSemantic(err)}
	}
	if w.Tier == nil {
		return Placement{}, missing(path + "/tier")
	}
	a.Tier = *w.Tier
	var err error
	if a.PlacedAt, err = required(path+"/placed_at", w.PlacedAt); err != nil {
		return Placement{}, err
	}
	return a, nil
}

func missing(path string) *DecodeError { return &DecodeError{Path: path, Err: errMissing} }

// errMissing is the cause of a [DecodeError] for a required member that is
// absent or null.
var errMissing = errors.New("missing")

// required returns t in UTC, checking that it is present and storable.
func required(path string, t *time.Time) (time.Time, error) {
	if t == nil {
		return time.Time{}, missing(path)
	}
	u := t.UTC()
	if err := inRange(path[1:], u); err != nil {
		return time.Time{}, &DecodeError{Path: path, Err: err}
	}
	return u, nil
}

// pointer returns the JSON Pointer that a JSON error locates its fault at,
// empty when it has none: where the json package met it, followed by where
// an appointment record's own coding did.
func pointer(err error) string {
	var at string
	if se, ok := errors.AsType[*json.SemanticError](err); ok {
		at = string(se.JSONPointer)
	} else if se, ok := errors.AsType[*jsontext.SyntacticError](err); ok {
		at = string(se.JSONPointer)
	}
	if e, ok := errors.AsType[*appointment.DecodeError](err); ok {
		at += e.Path
	}
	return at
}

// unwrapSemantic returns the cause of a semantic error that has one (a
// status or tier that does not parse, a date, an appointment record's own
// error), and err itself otherwise.
func unwrapSemantic(err error) error {
	if se, ok := errors.AsType[*json.SemanticError](err); ok && se.Err != nil {
		return se.Err
	}
	return err
}

// isNull reports whether data is the JSON literal null, with only JSON's own
// white space around it.
func isNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }
