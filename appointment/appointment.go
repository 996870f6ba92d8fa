package appointment

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

// Appointment is an appointment as Junction sends it: the data of a
// labtest.appointment.* webhook, and the response of the book, request,
// reschedule and get appointment endpoints. It is an at-home phlebotomy
// appointment, or a walk-in appointment at a patient service centre, which
// Junction sends on the same events: [Appointment.IsPhlebotomy] tells them
// apart, and this package's lifecycle and rules are those of at-home
// phlebotomy. It decodes straight from that JSON and encodes back to
// Junction's field names; for a value that was decoded, decoding what it
// encodes gives an equal value. (A value built by hand is normalised on the
// way: raw JSON compacted, an empty history or Extra map made nil.)
//
// Decoding is strict about shape and lenient about presence: a missing or
// null field leaves its zero value, but JSON that is invalid, a value of the
// wrong JSON type, an unknown status or a malformed timestamp is a
// *[DecodeError] (see [Decode]), and the destination is left unchanged.
// Fields this type does not know are dropped, and so are members whose
// names differ from Junction's in letter case only.
type Appointment struct {
	// ID is the appointment's id.
	ID string
	// UserID is the Junction user the appointment is for (user_id).
	UserID string
	// OrderID is the order the appointment belongs to (order_id).
	OrderID string
	// OrderTransactionID is the order transaction (order_transaction_id),
	// when Junction sends one.
	OrderTransactionID string
	// ExternalID is the provider's or customer's external reference
	// (external_id), when Junction sends one.
	ExternalID string
	// Address is where the phlebotomist goes.
	Address Address
	// Location is the address's coordinates.
	Location Location
	// StartAt and EndAt bound the slot (start_at, end_at), in UTC. They
	// are zero (null on the wire) for an appointment-request appointment
	// that has no slot yet.
	StartAt, EndAt time.Time
	// IANATimezone is the patient's local time zone (iana_timezone), such
	// as "America/Phoenix"; see [Appointment.LocalStart].
	IANATimezone string
	// Type is the appointment type (type): [Phlebotomy] for an at-home
	// visit, [PatientServiceCenter] for a walk-in one, or a type this
	// package does not know, kept as sent.
	Type Type
	// Provider is the phlebotomy provider, such as "getlabs", kept as sent
	// even when this package does not know it.
	Provider string
	// Status is the API's status (status). Junction may send it alongside
	// an event status that disagrees; see [Appointment.EffectiveStatus].
	Status Status
	// EventStatus is the normalised status (event_status), the zero Status
	// when Junction does not send one. It encodes as the event status
	// spelling: "scheduled" for [Confirmed].
	EventStatus Status
	// ProviderID is the provider's own id for the appointment
	// (provider_id).
	ProviderID string
	// CanReschedule reports whether the appointment may still be
	// rescheduled (can_reschedule).
	CanReschedule bool
	// AppointmentNotes are the special instructions for this appointment
	// (appointment_notes), at most 1000 characters; they may change on each
	// reschedule.
	AppointmentNotes string
	// EventData is the provider-specific data of the latest event
	// (event_data).
	EventData EventData
	// History is the appointment's history (events), oldest first; nil when
	// empty. See [ValidateHistory].
	History []HistoryEntry
}

// Type is the type of an appointment, as Junction spells it in the type
// field. Junction calls its enums non-exhaustive, so a Type may hold text
// this package does not know ([Type.IsKnown] reports false); such a type is
// kept as sent, neither an error nor taken for phlebotomy.
type Type string

// The appointment types Junction documents.
const (
	// Phlebotomy is an at-home phlebotomy appointment: a phlebotomist
	// visits the patient. It is the appointment this package models.
	Phlebotomy Type = "phlebotomy"
	// PatientServiceCenter is a walk-in appointment at a patient service
	// centre (a lab's own site, such as Quest's). Junction sends it on the
	// same labtest.appointment.* events as an at-home one.
	PatientServiceCenter Type = "patient_service_center"
)

// IsKnown reports whether t is one of the types Junction documents:
// [Phlebotomy] or [PatientServiceCenter].
func (t Type) IsKnown() bool {
	switch t {
	case Phlebotomy, PatientServiceCenter:
		return true
	}
	return false
}

// IsPhlebotomy reports whether a is an at-home phlebotomy appointment: its
// Type is exactly [Phlebotomy]. A patient service centre appointment, an
// appointment of a type this package does not know and one without a type
// are not.
func (a Appointment) IsPhlebotomy() bool { return a.Type == Phlebotomy }

// Address is the patient address an appointment takes place at.
type Address struct {
	// FirstLine is the street line, with its street number (first_line).
	FirstLine string `json:"first_line"`
	// SecondLine is the unit, suite or apartment, if any (second_line).
	SecondLine string `json:"second_line,omitempty"`
	// City is the city.
	City string `json:"city"`
	// State is the state, such as "AZ".
	State string `json:"state"`
	// ZipCode is the zip code (zip_code).
	ZipCode string `json:"zip_code"`
	// Unit is deprecated by Junction in favour of SecondLine; see
	// [Address.EffectiveSecondLine].
	Unit string `json:"unit,omitempty"`
	// AccessNotes say how to reach the address (gate codes, parking,
	// entrance), at most 1000 characters; Junction forwards them to the
	// provider on every booking and reschedule.
	AccessNotes string `json:"access_notes,omitempty"`
	// Country is the country, such as "United States", when Junction sends
	// one.
	Country string `json:"country,omitempty"`
}

// EffectiveSecondLine returns SecondLine, or the deprecated Unit when
// SecondLine is empty.
func (a Address) EffectiveSecondLine() string {
	if a.SecondLine != "" {
		return a.SecondLine
	}
	return a.Unit
}

// Location is a point on Earth in degrees.
type Location struct {
	// Lng is the longitude (lng).
	Lng float64 `json:"lng"`
	// Lat is the latitude (lat).
	Lat float64 `json:"lat"`
}

// wireLocation is Location without its MarshalJSON method.
type wireLocation Location

// MarshalJSON writes {"lng", "lat"}. JSON has no NaN or infinity: such a
// coordinate is an *[EncodeError] wrapping [ErrMalformed].
func (l Location) MarshalJSON() ([]byte, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	return json.Marshal(wireLocation(l))
}

// check reports a coordinate that JSON cannot hold.
func (l Location) check() error {
	if err := finite("lng", l.Lng); err != nil {
		return err
	}
	return finite("lat", l.Lat)
}

func finite(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		_, err := json.Marshal(v) // encoding/json's own error says why
		return &EncodeError{Field: field, Err: err}
	}
	return nil
}

// EffectiveStatus returns the status to act on: EventStatus when Junction
// sent one, since it is the normalised field, and Status otherwise. When the
// two disagree the event status wins (our decision): Junction's own
// reschedule webhook example says "status": "pending" beside
// "event_status": "scheduled". It returns the zero Status when neither is
// set.
func (a Appointment) EffectiveStatus() Status {
	if a.EventStatus.IsValid() {
		return a.EventStatus
	}
	return a.Status
}

type wireAppointment struct {
	ID                 string          `json:"id"`
	UserID             string          `json:"user_id"`
	OrderID            string          `json:"order_id,omitempty"`
	OrderTransactionID string          `json:"order_transaction_id,omitempty"`
	ExternalID         string          `json:"external_id,omitempty"`
	Address            Address         `json:"address,omitzero"`
	Location           wireLocation    `json:"location,omitzero"`
	StartAt            *string         `json:"start_at"`
	EndAt              *string         `json:"end_at"`
	IANATimezone       string          `json:"iana_timezone"`
	Type               Type            `json:"type"`
	Provider           string          `json:"provider"`
	Status             *string         `json:"status,omitempty"`
	EventStatus        *string         `json:"event_status,omitempty"`
	ProviderID         string          `json:"provider_id"`
	CanReschedule      bool            `json:"can_reschedule"`
	AppointmentNotes   string          `json:"appointment_notes,omitempty"`
	EventData          json.RawMessage `json:"event_data,omitempty"`
	Events             json.RawMessage `json:"events,omitempty"`
}

// MarshalJSON writes Junction's field names. An absent StartAt or EndAt is
// null; a zero Status or EventStatus, empty optional strings, a zero
// Address, Location or EventData and an empty history are left out.
// EventStatus is spelled as an event status ("scheduled").
//
// A value that Junction's JSON cannot hold is an *[EncodeError] naming the
// field: an invalid non-zero status (wrapping [ErrUnknownStatus]), and,
// wrapping [ErrMalformed], a time outside the years 0000 to 9999, a NaN or
// infinite coordinate, and invalid raw JSON in EventData.Extra or in a
// history entry's Data.
func (a Appointment) MarshalJSON() ([]byte, error) {
	w := wireAppointment{
		ID:                 a.ID,
		UserID:             a.UserID,
		OrderID:            a.OrderID,
		OrderTransactionID: a.OrderTransactionID,
		ExternalID:         a.ExternalID,
		Address:            a.Address,
		Location:           wireLocation(a.Location),
		IANATimezone:       a.IANATimezone,
		Type:               a.Type,
		Provider:           a.Provider,
		ProviderID:         a.ProviderID,
		CanReschedule:      a.CanReschedule,
		AppointmentNotes:   a.AppointmentNotes,
	}
	var err error
	if w.StartAt, err = timeText(a.StartAt); err != nil {
		return nil, &EncodeError{Field: "start_at", Err: err}
	}
	if w.EndAt, err = timeText(a.EndAt); err != nil {
		return nil, &EncodeError{Field: "end_at", Err: err}
	}
	if w.Status, err = statusText(a.Status, Status.String); err != nil {
		return nil, &EncodeError{Field: "status", Err: err}
	}
	if w.EventStatus, err = statusText(a.EventStatus, Status.EventStatus); err != nil {
		return nil, &EncodeError{Field: "event_status", Err: err}
	}
	if err := a.Location.check(); err != nil {
		return nil, encodeError("location", err)
	}
	if !a.EventData.IsZero() {
		if w.EventData, err = a.EventData.MarshalJSON(); err != nil {
			return nil, encodeError("event_data", err)
		}
	}
	if len(a.History) > 0 {
		events := []byte{'['}
		for i, e := range a.History {
			if i > 0 {
				events = append(events, ',')
			}
			b, err := e.MarshalJSON()
			if err != nil {
				return nil, encodeError("events["+strconv.Itoa(i)+"]", err)
			}
			events = append(events, b...)
		}
		w.Events = append(events, ']')
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, encodeError("", err) // unreachable: every part was checked
	}
	return b, nil
}

// timeText returns t as Junction's JSON writes it, nil when absent; a time
// outside the years 0000 to 9999 is a *ParseError.
func timeText(t time.Time) (*string, error) {
	if t.IsZero() {
		return nil, nil
	}
	s, ok := jsonwire.FormatTime(t)
	if !ok {
		return nil, &ParseError{Kind: "time", Text: t.String(), Err: ErrMalformed}
	}
	return &s, nil
}

func statusText(s Status, spell func(Status) string) (*string, error) {
	if s == 0 {
		return nil, nil
	}
	if !s.IsValid() {
		return nil, &ParseError{Kind: "status", Text: s.String(), Err: ErrUnknownStatus}
	}
	text := spell(s)
	return &text, nil
}

// UnmarshalJSON decodes Junction's appointment JSON as [Decode] does.
// Like the standard library's decoders it leaves a unchanged for null; on
// error, a *[DecodeError] naming the offending field, a is unchanged too,
// also when the only trouble is an unknown status.
func (a *Appointment) UnmarshalJSON(data []byte) error {
	var r jsonwire.Reader
	r.Reset(data)
	v, present, err := decodeAppointmentOrNull(&r)
	if err != nil || !present {
		return asError(err)
	}
	if a == nil {
		return &DecodeError{}
	}
	*a = v
	return nil
}

// EventData is the provider-specific data of an appointment event, such as
// {"origin": "patient", "is_reschedule": true}. Origin and IsReschedule are
// decoded; every other member is kept, compacted, in Extra.
type EventData struct {
	// Origin says who caused the event, such as "patient" (origin).
	Origin string
	// IsReschedule reports whether the event is a reschedule
	// (is_reschedule).
	IsReschedule bool
	// Extra holds the other members as sent, compacted; nil when there are
	// none. Entries named origin or is_reschedule are ignored on encoding.
	Extra map[string]json.RawMessage
}

// IsZero reports whether d carries nothing: no origin, not a reschedule, no
// other member. It lets the omitzero JSON option leave d out.
func (d EventData) IsZero() bool { return d.Origin == "" && !d.IsReschedule && len(d.Extra) == 0 }

// MarshalJSON writes a JSON object: the members of Extra, origin unless
// empty, and is_reschedule when true, with keys in sorted order. A member
// of Extra that is not valid JSON is an *[EncodeError] wrapping
// [ErrMalformed] whose Field is its key (the first such key in sorted
// order); a nil member is written as null.
func (d EventData) MarshalJSON() ([]byte, error) {
	m := make(map[string]json.RawMessage, len(d.Extra)+2)
	for k, v := range d.Extra {
		m[k] = v
	}
	delete(m, "origin")
	delete(m, "is_reschedule")
	if d.Origin != "" {
		b, err := json.Marshal(d.Origin)
		if err != nil {
			return nil, &EncodeError{Field: "origin", Err: err} // unreachable: a string always encodes
		}
		m["origin"] = b
	}
	if d.IsReschedule {
		m["is_reschedule"] = json.RawMessage("true")
	}
	b, err := json.Marshal(m)
	if err != nil {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if err := checkRaw(m[k]); err != nil {
				return nil, &EncodeError{Field: k, Err: err}
			}
		}
		return nil, &EncodeError{Err: err} // unreachable: only a member can be invalid
	}
	return b, nil
}

// checkRaw returns the *json.SyntaxError of raw JSON that encoding/json
// would refuse to write; nil for valid JSON, and for empty raw JSON, which
// it writes as null.
func checkRaw(raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	var b bytes.Buffer
	return json.Compact(&b, raw)
}

// UnmarshalJSON decodes a JSON object, or null. origin must be a string and
// is_reschedule a boolean, either may be null; other members may be any
// JSON value, and are kept in Extra as encoding/json writes a
// json.RawMessage: compacted, with <, >, &, U+2028 and U+2029 escaped.
// Keys are matched exactly, and a repeated member's last value wins. Like
// the standard library's decoders it leaves d unchanged for null; on error
// (a *[DecodeError]), empty input included, d is unchanged too.
func (d *EventData) UnmarshalJSON(data []byte) error {
	var r jsonwire.Reader
	r.Reset(data)
	var v EventData
	present := r.Object()
	if present {
		readEventDataMembers(&r, &v)
	}
	if err := finish(&r); err != nil || !present {
		return asError(err)
	}
	if d == nil {
		return &DecodeError{}
	}
	*d = v
	return nil
}

// Webhook event types that carry an [Appointment]. These three are the only
// ones: every other event type, labtest.appointment.* included, is not an
// appointment webhook.
const (
	// WebhookCreated is the event type of an appointment created webhook.
	WebhookCreated = "labtest.appointment.created"
	// WebhookUpdated is the event type of an appointment updated webhook.
	WebhookUpdated = "labtest.appointment.updated"
	// WebhookUpdatedLegacy is how Junction's documentation and event
	// catalog spelled [WebhookUpdated] from 2023-10 to 2025-02. It is the
	// same event: [DecodeWebhook] accepts it and returns WebhookUpdated in
	// its place.
	WebhookUpdatedLegacy = "labtest.appointment.update"
)

// webhookType checks the event_type of a webhook and returns it in its
// current spelling. An absent or empty type is malformed; any type other
// than the three appointment ones is not an appointment webhook.
func webhookType(text string) (string, error) {
	switch text {
	case WebhookCreated, WebhookUpdated:
		return text, nil
	case WebhookUpdatedLegacy:
		return WebhookUpdated, nil
	case "":
		return "", &ParseError{Kind: "webhook type", Text: text, Err: ErrMalformed}
	}
	return "", &ParseError{Kind: "webhook type", Text: text, Err: ErrNotAppointment}
}

// Webhook is the envelope of a labtest.appointment.* webhook:
// {"event_type", "data", "user_id", "client_user_id", "team_id"}.
type Webhook struct {
	// EventType is the webhook's event type: [WebhookCreated] or
	// [WebhookUpdated]. Decoding writes [WebhookUpdatedLegacy] as
	// WebhookUpdated.
	EventType string `json:"event_type"`
	// Data is the appointment.
	Data Appointment `json:"data"`
	// UserID is the Junction user (user_id).
	UserID string `json:"user_id,omitempty"`
	// ClientUserID is the customer's own id for the user (client_user_id).
	ClientUserID string `json:"client_user_id,omitempty"`
	// TeamID is the customer's Junction team (team_id).
	TeamID string `json:"team_id,omitempty"`
}

type wireWebhook struct {
	EventType    string          `json:"event_type"`
	Data         json.RawMessage `json:"data"`
	UserID       string          `json:"user_id,omitempty"`
	ClientUserID string          `json:"client_user_id,omitempty"`
	TeamID       string          `json:"team_id,omitempty"`
}

// MarshalJSON writes the envelope, with the data as
// [Appointment.MarshalJSON] writes it and empty ids left out.
// [WebhookUpdatedLegacy] is written as [WebhookUpdated]. An event type that
// [DecodeWebhook] would refuse is an *[EncodeError] whose Field is
// "event_type": empty, wrapping [ErrMalformed]; any other, wrapping
// [ErrNotAppointment]. An error in the data is one whose Field starts with
// "data".
func (w Webhook) MarshalJSON() ([]byte, error) {
	typ, err := webhookType(w.EventType)
	if err != nil {
		return nil, &EncodeError{Field: "event_type", Err: err}
	}
	data, err := w.Data.MarshalJSON()
	if err != nil {
		return nil, encodeError("data", err)
	}
	b, err := json.Marshal(wireWebhook{EventType: typ, Data: data, UserID: w.UserID, ClientUserID: w.ClientUserID, TeamID: w.TeamID})
	if err != nil {
		return nil, encodeError("", err) // unreachable: the data was written by MarshalJSON
	}
	return b, nil
}

// UnmarshalJSON decodes the envelope and its data as [DecodeWebhook]
// does. Like the standard library's decoders it leaves w unchanged for
// null; on error, a *[DecodeError] whose Field starts with "data" for a
// fault in the appointment, w is unchanged too, also when the only trouble
// is an unknown status.
func (w *Webhook) UnmarshalJSON(data []byte) error {
	var r jsonwire.Reader
	r.Reset(data)
	v, present, err := decodeWebhook(&r)
	if err != nil || !present {
		return asError(err)
	}
	if w == nil {
		return &DecodeError{}
	}
	*w = v
	return nil
}

// Decode decodes an appointment from Junction's JSON; null gives the zero
// Appointment. status and event_status accept what [ParseStatus] accepts,
// start_at, end_at and events[].created_at what [ParseTime] accepts.
// Every error it returns is a *[DecodeError]; json.Unmarshal into an
// [Appointment], by contrast, checks the syntax itself before calling
// UnmarshalJSON and reports invalid JSON as a bare *json.SyntaxError.
//
// Junction's status enums are non-exhaustive. When the only trouble is a
// status this package does not know, Decode returns the rest of the
// appointment beside the error (which wraps [ErrUnknownStatus]), with that
// status zero, so that a caller can log the appointment's id and keep
// going. On any other error it returns the zero Appointment.
//
// Decode reads data once, front to back, and reports the first fault it
// meets; its cost is linear in the size of data. It copies data once, and
// the strings of the result (ids, notes, statuses as sent) share that
// copy's memory: keeping any of them keeps the whole copy. Two choices
// differ from encoding/json's (our decision): keys are matched exactly, so
// "ID" or "Status" is an unknown member and dropped where encoding/json
// would take it for id or status; and a member that appears twice is
// decoded both times, its last value replacing the first whole (an address
// given twice is the second address, not the two merged), though a fault
// in the first value is still reported.
func Decode(data []byte) (Appointment, error) {
	var r jsonwire.Reader
	r.Reset(data)
	a, err := decodeAppointment(&r)
	return a, asError(err)
}

// DecodeString decodes an appointment from Junction's JSON exactly as
// [Decode] does, without copying s: the strings of the result share s's
// memory. It suits a caller that holds the appointment as part of a larger
// document, such as the data member of a webhook envelope it decoded
// itself.
func DecodeString(s string) (Appointment, error) {
	var r jsonwire.Reader
	r.ResetString(s)
	a, err := decodeAppointment(&r)
	return a, asError(err)
}

// DecodeWebhook decodes a labtest.appointment.* webhook: the envelope's
// fields, and its data as [Decode] does. Like Decode, every error it
// returns is a *[DecodeError] (whose Field starts with "data" for a fault in
// the appointment), an unknown status comes beside the rest of the
// webhook, the strings of the result share one copy of data, and keys are
// matched exactly.
//
// The event_type is checked before the data, wherever it stands in the
// body.
// [WebhookCreated] and [WebhookUpdated] are appointment webhooks, and so is
// [WebhookUpdatedLegacy], returned as WebhookUpdated. A body without
// event_type (absent, null or empty), such as a bare order or appointment,
// is malformed: an error wrapping [ErrMalformed] whose Field is
// "event_type". Any other event type, such as labtest.order.updated or
// labtest.result.critical, is someone else's webhook: an error wrapping
// [ErrNotAppointment], not ErrMalformed, which a caller that receives every
// event type on one endpoint can ignore.
func DecodeWebhook(data []byte) (Webhook, error) {
	var r jsonwire.Reader
	r.Reset(data)
	v, _, err := decodeWebhook(&r)
	return v, asError(err)
}
