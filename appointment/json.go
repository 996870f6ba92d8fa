package appointment

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// appointmentIn is what an appointment decodes from: Appointment's struct
// tags, shadowed for times, statuses (an unknown one kept aside so that
// the rest still decodes) and the provider.
type appointmentIn struct {
	plainAppointment
	StartAt     wireTime   `json:"start_at"`
	EndAt       wireTime   `json:"end_at"`
	Status      statusText `json:"status"`
	EventStatus statusText `json:"event_status"`
	Provider    string     `json:"provider"`
}

type plainAppointment Appointment

// appointmentOut is what an appointment encodes to, in Junction's order.
type appointmentOut struct {
	ID                 string         `json:"id"`
	UserID             string         `json:"user_id"`
	OrderID            string         `json:"order_id"`
	OrderTransactionID string         `json:"order_transaction_id,omitempty"`
	ExternalID         string         `json:"external_id,omitempty"`
	Address            order.Address  `json:"address"`
	Location           Location       `json:"location"`
	StartAt            wireTime       `json:"start_at"`
	EndAt              wireTime       `json:"end_at"`
	IANATimezone       string         `json:"iana_timezone,omitempty"`
	Type               Kind           `json:"type"`
	Provider           string         `json:"provider"`
	Status             string         `json:"status"`
	EventStatus        string         `json:"event_status"`
	ProviderID         string         `json:"provider_id"`
	CanReschedule      bool           `json:"can_reschedule"`
	AppointmentNotes   string         `json:"appointment_notes,omitempty"`
	EventData          EventData      `json:"event_data,omitempty"`
	History            []HistoryEntry `json:"events"`
}

// Decode decodes an appointment from Junction's JSON, in time linear in
// the size of data; null gives the zero Appointment. status and
// event_status accept what [ParseStatus] accepts, and "" or null for the
// zero Status; start_at, end_at and events[].created_at what [ParseTime]
// accepts. Keys are matched exactly; a repeated member is malformed;
// unknown members are ignored. Every error it returns is a *[DecodeError]
// whose Path is the JSON Pointer of the value at fault.
//
// Junction's status enums are non-exhaustive. When the only trouble is a
// status this package does not know, Decode returns the rest of the
// appointment, that status zero, beside the error (which wraps
// [ErrUnknownStatus]), so that a caller can log the appointment's id and
// keep going; when both status and event_status are unknown, the error
// names status. On any other error it returns the zero Appointment.
func Decode(data []byte) (Appointment, error) {
	var in appointmentIn
	if err := json.Unmarshal(data, &in); err != nil {
		return Appointment{}, decodeError(err)
	}
	a := Appointment(in.plainAppointment)
	a.StartAt, a.EndAt = time.Time(in.StartAt.stamp), time.Time(in.EndAt.stamp)
	a.Provider, a.ProviderText = 0, in.Provider
	if p, err := provider.Parse(in.Provider); err == nil {
		a.Provider, a.ProviderText = p, ""
	}
	if len(a.History) == 0 {
		a.History = nil
	}
	var err, eventErr error
	a.Status, err = in.Status.status("/status")
	a.EventStatus, eventErr = in.EventStatus.status("/event_status")
	return a, cmp.Or(err, eventErr)
}

// UnmarshalJSON decodes an appointment as [Decode] does; both encoding/json
// and github.com/go-json-experiment/json call it. Null leaves a unchanged,
// and so does any error (a *[DecodeError]), an unknown status too.
func (a *Appointment) UnmarshalJSON(data []byte) error {
	v, err := Decode(data)
	switch {
	case err != nil || bytes.TrimLeft(data, " \t\r\n")[0] == 'n': // null leaves a as it is
		return err
	case a == nil:
		return &DecodeError{}
	}
	*a = v
	return nil
}

// MarshalJSON writes Junction's field names; both encoding/json and
// github.com/go-json-experiment/json call it. Every member Junction's
// OpenAPI document marks required for an appointment is written, with the
// JSON type it gives, null only where it allows (a zero StartAt or EndAt);
// a zero Status or EventStatus is "", an empty address, location or
// history (events) is written, a history entry's zero created_at (never
// null) is "0001-01-01T00:00:00Z", which reads back as the zero time.
// order_transaction_id, external_id, iana_timezone, appointment_notes and
// event_data are left out when empty. EventStatus is spelled as an event
// status ("scheduled"); the provider as Provider's name, or as
// ProviderText when Provider is zero.
//
// A value that Junction's JSON cannot hold is a *[DecodeError] of Op
// "encode" with the JSON Pointer of the member: an invalid non-zero status
// (wrapping [ErrUnknownStatus]), and, wrapping [ErrMalformed], an invalid
// non-zero Provider (wrapping [provider.ErrInvalidProvider] too), a time
// outside the years 0000 to 9999, a NaN or infinite coordinate, and invalid
// raw JSON in EventData.Extra or in a history entry's Data.
func (a Appointment) MarshalJSON() ([]byte, error) {
	p := encodeBuffers.Get()
	b, ok := a.appendJSON(*p)
	defer encodeBuffers.Put(p, b)
	if !ok {
		return a.marshalWire()
	}
	return bytes.Clone(b), nil
}

// encodeBuffers hold appointments' JSON while MarshalJSON writes it.
var encodeBuffers jsonerr.Buffers

// marshalWire writes a as [Appointment.MarshalJSON] describes, through
// appointmentOut and the json package: what appendJSON writes more
// quickly, and the errors of what it does not write.
func (a Appointment) marshalWire() ([]byte, error) {
	out := appointmentOut{ID: a.ID, UserID: a.UserID, OrderID: a.OrderID, OrderTransactionID: a.OrderTransactionID,
		ExternalID: a.ExternalID, Address: a.Address, Location: a.Location, StartAt: wireTime{stamp(a.StartAt)},
		EndAt: wireTime{stamp(a.EndAt)}, IANATimezone: a.IANATimezone, Type: a.Type, Provider: a.ProviderText,
		ProviderID: a.ProviderID, CanReschedule: a.CanReschedule, AppointmentNotes: a.AppointmentNotes,
		EventData: a.EventData, History: a.History}
	switch {
	case a.Provider.IsValid():
		out.Provider = a.Provider.String()
	case a.Provider != 0:
		return nil, &DecodeError{Op: "encode", Path: "/provider", Text: a.Provider.String(), Err: provider.ErrInvalidProvider}
	}
	var err error
	if out.Status, err = spelled(a.Status, Status.String, "/status"); err != nil {
		return nil, err
	}
	if out.EventStatus, err = spelled(a.EventStatus, Status.EventStatus, "/event_status"); err != nil {
		return nil, err
	}
	b, err := json.Marshal(&out)
	if err != nil {
		return nil, encodeError(err)
	}
	return b, nil
}

// spelled writes s as as does, "" for the zero Status; an invalid s is a
// *DecodeError of Op "encode" at path.
func spelled(s Status, as func(Status) string, path string) (string, error) {
	switch {
	case s == 0:
		return "", nil
	case !s.IsValid():
		return "", &DecodeError{Op: "encode", Path: path, Text: s.String(), Err: ErrUnknownStatus}
	}
	return as(s), nil
}

// statusText is a status as sent, null read as "". Its status is the zero
// Status for "", a *DecodeError at path for unknown text.
type statusText string

func (s statusText) status(path string) (Status, error) {
	v := parseStatus(string(s))
	if v == 0 && s != "" {
		return 0, &DecodeError{Path: path, Text: string(s), Err: ErrUnknownStatus}
	}
	return v, nil
}

// stamp is a time read as [ParseTime] reads it (null is the zero time),
// written in RFC 3339 in UTC: the zero time as "0001-01-01T00:00:00Z".
type stamp time.Time

func (t *stamp) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := jsonerr.ReadTime(dec, func(text string) error { return &DecodeError{Text: text, Err: errMalformedTime} })
	if se, ok := err.(*json.SemanticError); ok { // named by its kind alone: "unexpected JSON object"
		se.GoType, err = nil, &DecodeError{Err: se}
	}
	*t = stamp(v)
	return err
}

// wireTime is a stamp written as null when zero.
type wireTime struct{ stamp }

func (t wireTime) MarshalJSONTo(enc *jsontext.Encoder) error {
	if time.Time(t.stamp).IsZero() {
		return enc.WriteToken(jsontext.Null)
	}
	return t.stamp.MarshalJSONTo(enc)
}

func (t stamp) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !jsonerr.InRange(time.Time(t)) {
		return &DecodeError{Op: "encode", Text: time.Time(t).UTC().String(), Err: errMalformedTime}
	}
	return enc.WriteToken(jsontext.String(jsonerr.FormatTime(time.Time(t))))
}

// ParseTime parses a timestamp as Junction sends it: RFC 3339 with a zone
// designator ("2023-05-15T16:00:00+00:00", "2022-01-01T00:00:00Z") or
// without one ("2022-01-01T00:00:00"), which means UTC; fractional seconds
// are accepted in both. The result is in UTC, with the offset applied:
// Junction's times are UTC, and a value in UTC compares with ==. RFC 3339
// is read as Go's time.RFC3339Nano layout reads it: it also takes a comma
// before the fraction and more than nine fractional digits (truncated),
// and wants upper-case T and Z. Anything else, including a date alone, a
// space instead of the T, the empty string, and an instant outside the
// years 0000 to 9999 once in UTC, is a *[DecodeError] wrapping
// [ErrMalformed].
func ParseTime(text string) (time.Time, error) {
	t, ok := jsonerr.ParseTime(text)
	if !ok {
		return time.Time{}, &DecodeError{Text: text, Err: errMalformedTime}
	}
	return t, nil
}

var errMalformedTime = fmt.Errorf("%w: time", ErrMalformed) // what RFC 3339 cannot read or write

// entryWire is a history entry as Junction writes it.
type entryWire struct {
	CreatedAt stamp          `json:"created_at"`
	Data      jsontext.Value `json:"data"`
	Status    string         `json:"status"`
}

// UnmarshalJSONFrom decodes Junction's fields, for
// github.com/go-json-experiment/json: created_at a string that [ParseTime]
// accepts, or null; status a string, or null for ""; data any JSON value,
// kept in the form the encoder writes it (see [HistoryEntry]). Null gives
// the zero HistoryEntry, as the json package does; on error e is unchanged.
func (e *HistoryEntry) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var in entryWire
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return decodeError(err)
	}
	*e = HistoryEntry{CreatedAt: time.Time(in.CreatedAt), Status: in.Status, Data: raw(in.Data)}
	return nil
}

// MarshalJSONTo writes Junction's fields, for
// github.com/go-json-experiment/json: created_at ("0001-01-01T00:00:00Z"
// when zero), data (null when empty) and status. A CreatedAt outside the
// years 0000 to 9999 and invalid JSON in Data are errors wrapping
// [ErrMalformed].
func (e HistoryEntry) MarshalJSONTo(enc *jsontext.Encoder) error {
	out := entryWire{stamp(e.CreatedAt), e.Data, e.Status}
	if len(out.Data) == 0 {
		out.Data = jsontext.Value("null")
	}
	if err := json.MarshalEncode(enc, out); err != nil {
		return encodeError(err)
	}
	return nil
}

// raw returns v, as the json package decoded it, in the form the encoder
// writes it (compacted, strings canonical); nil for null.
func raw(v jsontext.Value) jsontext.Value {
	if len(v) == 0 || v.Kind() == 'n' {
		return nil
	}
	_ = v.Format() // cannot fail: the decoder has validated v
	return v
}

// eventDataWire is event data as Junction writes it: Extra holds every
// member but origin and is_reschedule.
type eventDataWire struct {
	Origin       string                    `json:"origin"`
	IsReschedule bool                      `json:"is_reschedule"`
	Extra        map[string]jsontext.Value `json:",embed"`
}

// UnmarshalJSONFrom decodes a JSON object, or null, for
// github.com/go-json-experiment/json: origin a string and is_reschedule a
// boolean, either may be null; other members any JSON value, kept in Extra
// in the form the encoder writes them (compacted, strings canonical). Null
// gives the zero EventData, as the json package does; on error d is
// unchanged.
func (d *EventData) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var in eventDataWire
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return decodeError(err)
	}
	for k, v := range in.Extra {
		in.Extra[k] = raw(v)
	}
	*d = EventData(in)
	return nil
}

// MarshalJSONTo writes a JSON object, for github.com/go-json-experiment/json:
// the members of Extra, origin unless empty, and is_reschedule when true,
// with keys in sorted order. A member of Extra that is not valid JSON is
// an error wrapping [ErrMalformed]; a nil member is written as null.
func (d EventData) MarshalJSONTo(enc *jsontext.Encoder) error {
	m := map[string]any{}
	for k, v := range d.Extra {
		m[k] = v // nil is written as null
	}
	delete(m, "origin")
	delete(m, "is_reschedule")
	if d.Origin != "" {
		m["origin"] = d.Origin
	}
	if d.IsReschedule {
		m["is_reschedule"] = true
	}
	if err := json.MarshalEncode(enc, m, json.Deterministic(true)); err != nil {
		return encodeError(err)
	}
	return nil
}

// DecodeCancellationReasons decodes the response of Junction's
// cancellation reasons endpoint: a JSON array of reasons; null gives nil,
// and an empty array an empty slice. Like an appointment, a reason is
// decoded strictly about shape and leniently about presence: a missing or
// null field leaves its zero value. Every error it returns is a
// *[DecodeError] wrapping [ErrMalformed], whose Path is the JSON Pointer of
// the value at fault, such as "/3/id"; the result is then nil.
func DecodeCancellationReasons(data []byte) ([]CancellationReason, error) {
	var out []CancellationReason
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, decodeError(err)
	}
	return out, nil
}

// decodeError turns an error of the json package, or a *DecodeError it
// wraps (whose Path is absolute), into a *DecodeError at the fault.
func decodeError(err error) *DecodeError {
	d := DecodeError{Err: err}
	if de, ok := errors.AsType[*DecodeError](err); ok {
		d = *de
	}
	d.Path = cmp.Or(d.Path, string(jsonerr.Pointer(err)))
	return &d
}

// encodeError is decodeError for an encoder's error: a *DecodeError of Op
// "encode".
func encodeError(err error) *DecodeError {
	e := DecodeError{Op: "encode", Err: err}
	if ee, ok := errors.AsType[*DecodeError](err); ok {
		e = *ee
	}
	e.Path = cmp.Or(e.Path, string(jsonerr.Pointer(err)))
	return &e
}
