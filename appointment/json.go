package appointment

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// The wire layer. Every type decodes with github.com/go-json-experiment/json
// from its struct tags; a type only takes over where the wire form is
// special: times (zone-less means UTC, null is the zero time), statuses
// (two spellings, an unknown one kept aside so that the rest still
// decodes), and raw provider data (kept as sent, in the form the encoder
// writes it). Errors of the json package are turned into a *DecodeError or
// *EncodeError whose Path is the JSON Pointer of the value at fault.

// plainAppointment is an Appointment without its methods: its struct tags
// give the members that need nothing special.
type plainAppointment Appointment

// appointmentIn is what an appointment decodes from: the plain members,
// shadowed by those whose wire form is special.
type appointmentIn struct {
	plainAppointment
	StartAt     wireTime   `json:"start_at"`
	EndAt       wireTime   `json:"end_at"`
	Status      statusText `json:"status"`
	EventStatus statusText `json:"event_status"`
	Provider    string     `json:"provider"`
}

// appointmentOut is what an appointment encodes to, member by member in
// Junction's order.
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
	EventData          *EventData     `json:"event_data,omitempty"`
	History            []HistoryEntry `json:"events"`
}

// Decode decodes an appointment from Junction's JSON; null gives the zero
// Appointment. status and event_status accept what [ParseStatus] accepts,
// and "" or null for the zero Status;
// start_at, end_at and events[].created_at what [ParseTime] accepts. Every
// error it returns is a *[DecodeError] whose Path is the JSON Pointer of
// the value at fault.
//
// Junction's status enums are non-exhaustive. When the only trouble is a
// status this package does not know, Decode returns the rest of the
// appointment beside the error (which wraps [ErrUnknownStatus]), with that
// status zero, so that a caller can log the appointment's id and keep
// going; when both status and event_status are unknown, the error names
// status. On any other error it returns the zero Appointment.
//
// Keys are matched exactly; a repeated member is malformed; unknown members
// are ignored. Decoding takes time linear in the size of data.
func Decode(data []byte) (Appointment, error) {
	var in appointmentIn
	if err := json.Unmarshal(data, &in); err != nil {
		return Appointment{}, decodeError(err)
	}
	return in.appointment()
}

// appointment returns the decoded appointment, and the error of its unknown
// status beside it.
func (in *appointmentIn) appointment() (Appointment, error) {
	a := Appointment(in.plainAppointment)
	a.StartAt, a.EndAt = time.Time(in.StartAt), time.Time(in.EndAt)
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
	if err == nil {
		err = eventErr
	}
	return a, err
}

// UnmarshalJSON decodes an appointment as [Decode] does. Both
// encoding/json and github.com/go-json-experiment/json call it. Null
// leaves a unchanged. On error, a *[DecodeError] (also when the only
// trouble is an unknown status), a is unchanged too.
func (a *Appointment) UnmarshalJSON(data []byte) error {
	var in appointmentIn
	if err := json.Unmarshal(data, &in); err != nil {
		return decodeError(err)
	}
	v, err := in.appointment()
	if err != nil {
		return err
	}
	if isNull(data) {
		return nil
	}
	if a == nil {
		return &DecodeError{}
	}
	*a = v
	return nil
}

// isNull reports whether data, valid JSON (so not blank), is null.
func isNull(data []byte) bool { return bytes.TrimLeft(data, " \t\r\n")[0] == 'n' }

// MarshalJSON writes Junction's field names. Both encoding/json and
// github.com/go-json-experiment/json call it. Every member Junction's
// OpenAPI document marks required for an appointment is written, with the
// JSON type it gives, null only where it allows: a zero StartAt or EndAt is
// null; a zero Status or EventStatus is ""; the address, the location and
// the history (events) are written even when empty; a history entry's zero
// created_at, which may not be null, is "0001-01-01T00:00:00Z", which
// decodes back to the zero time. The optional members left out when empty
// are order_transaction_id, external_id, iana_timezone, appointment_notes
// and event_data. EventStatus is spelled as an event status ("scheduled").
//
// The provider is written as Provider's name, or as ProviderText when
// Provider is zero.
//
// A value that Junction's JSON cannot hold is an *[EncodeError] with the
// JSON Pointer of the member: an invalid non-zero status (wrapping
// [ErrUnknownStatus]), and, wrapping [ErrMalformed], an invalid non-zero
// Provider (wrapping [provider.ErrInvalidProvider] too), a time outside the
// years 0000 to 9999, a NaN or infinite coordinate, and invalid raw JSON in
// EventData.Extra or in a history entry's Data.
func (a Appointment) MarshalJSON() ([]byte, error) {
	out := appointmentOut{
		ID:                 a.ID,
		UserID:             a.UserID,
		OrderID:            a.OrderID,
		Address:            a.Address,
		Location:           a.Location,
		OrderTransactionID: a.OrderTransactionID,
		ExternalID:         a.ExternalID,
		StartAt:            wireTime(a.StartAt),
		EndAt:              wireTime(a.EndAt),
		IANATimezone:       a.IANATimezone,
		Type:               a.Type,
		Provider:           a.ProviderText,
		ProviderID:         a.ProviderID,
		CanReschedule:      a.CanReschedule,
		AppointmentNotes:   a.AppointmentNotes,
		History:            a.History,
	}
	switch {
	case a.Provider.IsValid():
		out.Provider = a.Provider.String()
	case a.Provider != 0:
		return nil, &EncodeError{Path: "/provider", Text: a.Provider.String(), Err: provider.ErrInvalidProvider}
	}
	if !a.EventData.isZero() {
		out.EventData = &a.EventData
	}
	var err error
	if out.Status, err = statusWire(a.Status, Status.String, "/status"); err != nil {
		return nil, err
	}
	if out.EventStatus, err = statusWire(a.EventStatus, Status.EventStatus, "/event_status"); err != nil {
		return nil, err
	}
	b, err := json.Marshal(&out)
	if err != nil {
		return nil, encodeError(err)
	}
	return b, nil
}

// statusWire returns s as spell writes it, "" for the zero Status; an
// invalid status is an *EncodeError at path.
func statusWire(s Status, spell func(Status) string, path string) (string, error) {
	if s == 0 {
		return "", nil
	}
	if !s.IsValid() {
		return "", &EncodeError{Path: path, Text: s.String(), Err: ErrUnknownStatus}
	}
	return spell(s), nil
}

// statusText is a status as sent, null read as "".
type statusText string

// readString reads a string, or null (set is then false). Reading the
// token itself, rather than through the json package's string decoder,
// spares a lookup per value.
func readString(dec *jsontext.Decoder) (text string, set bool, err error) {
	tok, err := dec.ReadToken()
	if err != nil {
		return "", false, err
	}
	if k := tok.Kind(); k != jsontext.KindString {
		if k == jsontext.KindNull {
			return "", false, nil
		}
		return "", false, &DecodeError{Err: &json.SemanticError{JSONKind: k}}
	}
	return tok.String(), true, nil
}

// status parses the text, if any: null and "" are the zero Status;
// unknown text is a *DecodeError at path.
func (s statusText) status(path string) (Status, error) {
	if s == "" {
		return 0, nil
	}
	if v := parseStatus(string(s)); v != 0 {
		return v, nil
	}
	return 0, &DecodeError{Path: path, Text: string(s), Err: ErrUnknownStatus}
}

// wireTime is a time as Junction's JSON holds it: null for the zero time,
// otherwise RFC 3339 in UTC; decoding accepts what [ParseTime] accepts.
type wireTime time.Time

// UnmarshalJSONFrom reads a string [ParseTime] accepts, or null.
func (t *wireTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	text, set, err := readString(dec)
	if err != nil || !set {
		return err
	}
	v, err := ParseTime(text)
	if err != nil {
		return err
	}
	*t = wireTime(v)
	return nil
}

// MarshalJSONTo writes null for the zero time, otherwise RFC 3339 in UTC;
// an instant outside the years 0000 to 9999 is an error wrapping
// [ErrMalformed].
func (t wireTime) MarshalJSONTo(enc *jsontext.Encoder) error {
	v := time.Time(t)
	if v.IsZero() {
		return enc.WriteToken(jsontext.Null)
	}
	v = v.UTC()
	if !inRange(v) {
		return &EncodeError{Text: v.String(), Err: errMalformedTime}
	}
	return enc.WriteToken(jsontext.String(v.Format(time.RFC3339Nano)))
}

// stamp is a time that Junction does not allow to be null: it is written
// as RFC 3339 in UTC, the zero time too ("0001-01-01T00:00:00Z", which
// reads back as the zero time).
type stamp time.Time

// MarshalJSONTo writes RFC 3339 in UTC; an instant outside the years 0000
// to 9999 is an error wrapping [ErrMalformed].
func (t stamp) MarshalJSONTo(enc *jsontext.Encoder) error {
	if v := time.Time(t); !v.IsZero() {
		return wireTime(v).MarshalJSONTo(enc)
	}
	return enc.WriteToken(jsontext.String("0001-01-01T00:00:00Z"))
}

// ParseTime parses a timestamp as Junction sends it: RFC 3339 with a zone
// designator ("2023-05-15T16:00:00+00:00", "2022-01-01T00:00:00Z") or
// without one ("2022-01-01T00:00:00"), which means UTC; fractional seconds
// are accepted in both. The result is in UTC, with the offset applied:
// Junction's times are UTC, and a value in UTC compares with ==.
//
// RFC 3339 is read as Go's time.RFC3339Nano layout reads it: it also
// takes a comma before the fraction and more than nine fractional digits
// (truncated), and wants upper-case T and Z. Anything else, including a
// date alone, a space instead of the T, the empty string, and an instant
// outside the years 0000 to 9999 once in UTC, returns a *[DecodeError]
// wrapping [ErrMalformed].
func ParseTime(text string) (time.Time, error) {
	// Each text is tried against one layout: the zone-less layout takes
	// nothing after the seconds but a fraction, and RFC 3339 wants a Z or
	// an offset after the T.
	layout := "2006-01-02T15:04:05.999999999"
	if _, clock, found := strings.Cut(text, "T"); !found || strings.ContainsAny(clock, "Z+-") {
		layout = time.RFC3339Nano
	}
	t, err := time.Parse(layout, text)
	if err != nil || !inRange(t.UTC()) {
		return time.Time{}, &DecodeError{Text: text, Err: errMalformedTime}
	}
	return t.UTC(), nil
}

// errMalformedTime is the cause of a time that RFC 3339 cannot read or
// write.
var errMalformedTime = fmt.Errorf("%w: time", ErrMalformed)

// formatTime writes t as [ParseTime] reads it back. It is meant for
// messages: an instant outside the years 0000 to 9999 is written too, in
// the form time.Time.Format gives it.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// inRange reports whether t, in UTC, falls in the years RFC 3339 can write.
func inRange(t time.Time) bool {
	y := t.Year()
	return y >= 0 && y <= 9999
}

// plainEntry is a HistoryEntry without its methods.
type plainEntry HistoryEntry

// entryIn is what a history entry decodes from.
type entryIn struct {
	plainEntry
	CreatedAt wireTime `json:"created_at"`
}

// entryOut is what a history entry encodes to.
type entryOut struct {
	CreatedAt stamp          `json:"created_at"`
	Data      jsontext.Value `json:"data"`
	Status    string         `json:"status"`
}

// UnmarshalJSONFrom decodes Junction's fields, for
// github.com/go-json-experiment/json. created_at must be a string that
// [ParseTime] accepts, or null; status must be a string, or null for "";
// data may be any JSON value, kept in the form the encoder writes it (see
// [HistoryEntry]). Null gives the zero HistoryEntry, as the json package
// gives for null; on error e is unchanged.
func (e *HistoryEntry) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var in entryIn
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return decodeError(err)
	}
	v := HistoryEntry(in.plainEntry)
	v.CreatedAt = time.Time(in.CreatedAt)
	v.Data = raw(v.Data)
	*e = v
	return nil
}

// MarshalJSONTo writes Junction's fields, for
// github.com/go-json-experiment/json: created_at ("0001-01-01T00:00:00Z" when zero), data
// (null when nil) and status. A CreatedAt outside the years 0000 to 9999
// and a Data that is not valid JSON are errors wrapping [ErrMalformed].
func (e HistoryEntry) MarshalJSONTo(enc *jsontext.Encoder) error {
	data := e.Data
	if len(data) == 0 {
		data = jsontext.Value("null")
	}
	if err := json.MarshalEncode(enc, entryOut{CreatedAt: stamp(e.CreatedAt), Data: data, Status: e.Status}); err != nil {
		return encodeError(err)
	}
	return nil
}

// raw returns v, a raw value as the json package decoded it, in the form
// the encoder writes it (compacted, strings canonical), so that decoding
// what encoding wrote gives the same bytes; nil for null.
func raw(v jsontext.Value) jsontext.Value {
	if len(v) == 0 || v.Kind() == 'n' {
		return nil
	}
	_ = v.Format() // cannot fail: the decoder has validated v
	return v
}

// isZero reports whether d carries nothing.
func (d EventData) isZero() bool { return d.Origin == "" && !d.IsReschedule && len(d.Extra) == 0 }

// UnmarshalJSONFrom decodes a JSON object, or null, for
// github.com/go-json-experiment/json. origin must be a string and
// is_reschedule a boolean, either may be null; other members may be any
// JSON value, and are kept in Extra in the form the encoder writes them:
// compacted, strings canonical. Null gives the zero EventData, as the json
// package gives for null; on error d is unchanged.
func (d *EventData) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if err := d.unmarshal(dec); err != nil {
		return decodeError(err)
	}
	return nil
}

func (d *EventData) unmarshal(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		var v struct{} // null, or the json package's error for another kind
		if err := json.UnmarshalDecode(dec, &v); err != nil {
			return err
		}
		*d = EventData{}
		return nil
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var v EventData
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		switch k := name.String(); k {
		case "origin":
			err = json.UnmarshalDecode(dec, &v.Origin)
		case "is_reschedule":
			err = json.UnmarshalDecode(dec, &v.IsReschedule)
		default:
			var r jsontext.Value
			if r, err = dec.ReadValue(); err == nil {
				if v.Extra == nil {
					v.Extra = make(map[string]jsontext.Value)
				}
				v.Extra[k] = raw(r.Clone())
			}
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSONTo writes a JSON object, for github.com/go-json-experiment/json:
// the members of Extra, origin unless empty, and is_reschedule when true,
// with keys in sorted order. A member of Extra that is not valid JSON is
// an error wrapping [ErrMalformed]; a nil member is written as null.
func (d EventData) MarshalJSONTo(enc *jsontext.Encoder) error {
	if err := d.marshal(enc); err != nil {
		return encodeError(err)
	}
	return nil
}

func (d EventData) marshal(enc *jsontext.Encoder) error {
	keys := make([]string, 0, len(d.Extra)+2)
	for k := range d.Extra {
		if k != "origin" && k != "is_reschedule" {
			keys = append(keys, k)
		}
	}
	if d.Origin != "" {
		keys = append(keys, "origin")
	}
	if d.IsReschedule {
		keys = append(keys, "is_reschedule")
	}
	slices.Sort(keys)
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, k := range keys {
		if err := enc.WriteToken(jsontext.String(k)); err != nil {
			return err
		}
		var err error
		switch v := d.Extra[k]; k {
		case "origin":
			err = enc.WriteToken(jsontext.String(d.Origin))
		case "is_reschedule":
			err = enc.WriteToken(jsontext.True)
		default:
			if len(v) == 0 {
				err = enc.WriteToken(jsontext.Null)
			} else {
				err = enc.WriteValue(v)
			}
		}
		if err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

// DecodeCancellationReasons decodes the response of Junction's
// cancellation reasons endpoint: a JSON array of reasons; null gives nil,
// and an empty array an empty slice. Like an appointment, a reason is
// decoded strictly about shape and leniently about presence: a missing or
// null field leaves its zero value.
//
// Every error it returns is a *[DecodeError] wrapping [ErrMalformed], whose
// Path is the JSON Pointer of the value at fault, such as "/3/id"; the
// result is then nil.
func DecodeCancellationReasons(data []byte) ([]CancellationReason, error) {
	var out []CancellationReason
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, decodeError(err)
	}
	return out, nil
}

// decodeError turns an error of the json package, or one of this package's
// that it wraps, into a *DecodeError with the JSON Pointer of the fault.
func decodeError(err error) *DecodeError {
	var de *DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Path: cmp.Or(de.Path, pointer(err)), Text: de.Text, Err: de.Err}
	}
	return &DecodeError{Path: pointer(err), Err: err}
}

// encodeError turns an error of the json package, or one of this package's
// that it wraps, into an *EncodeError with the JSON Pointer of the fault.
func encodeError(err error) *EncodeError {
	var ee *EncodeError
	if errors.As(err, &ee) {
		return &EncodeError{Path: cmp.Or(ee.Path, pointer(err)), Text: ee.Text, Err: ee.Err}
	}
	return &EncodeError{Path: pointer(err), Err: err}
}

// pointer returns the JSON Pointer of the innermost error of the json
// package in err's chain (a method's error is wrapped at the method's
// value, and may itself wrap one deeper down). Pointers are absolute: the
// methods of the nested types share the decoder or encoder of the whole
// document, and a *DecodeError or *EncodeError they return carries the
// absolute pointer already.
func pointer(err error) string {
	var p jsontext.Pointer
	for err != nil {
		switch e := err.(type) {
		case *json.SemanticError:
			p = e.JSONPointer
		case *jsontext.SyntacticError:
			p = e.JSONPointer
		case *DecodeError, *EncodeError:
			return string(p)
		}
		err = errors.Unwrap(err)
	}
	return string(p)
}
