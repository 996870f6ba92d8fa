package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/jsonwire"
	"github.com/phlebkit/phlebkit/order"
)

// Decode decodes the body of a webhook delivery into an [Event], without
// verifying it: use [Verifier.Parse] for a delivery received over HTTP. The
// envelope is read in one pass over one copy of body, and the order or
// appointment in data is decoded by [order.DecodeString] or
// [appointment.Decode], with their guarantees; decoding is linear in the
// size of body. The strings of the event share that copy, so body may be
// reused once Decode returns. The legacy type labtest.appointment.update
// decodes as [AppointmentUpdated].
//
// Junction sends many event types to the same endpoint. Decode returns
// exactly one of these errors, beside what it could read of the event:
//
//   - a *[IgnoredError] wrapping [ErrNotPhlebotomy] for an event type that
//     is not a lab-testing order or appointment event (daily.data.*,
//     labtest.result.*, labtest.order.deleted, …), with the envelope's ids;
//     and for an order or an appointment that is not at-home phlebotomy (a
//     walk-in, testkit or on-site order; a patient service centre
//     appointment), with the order or appointment too. The caller ignores
//     them with one errors.Is;
//   - a *[DecodeError] wrapping [ErrUnknownStatus] for an at-home
//     phlebotomy order or appointment with a status this package does not
//     know (Junction's enums are non-exhaustive), with the rest of the event
//     decoded;
//   - a *[DecodeError] wrapping [ErrMalformed] for a body that is not a
//     webhook envelope: invalid JSON, a value of the wrong JSON type, no
//     event_type (absent, null or ""), no data (absent or null) for a
//     lab-testing event, or data that its package refuses. The event is
//     then the zero Event.
//
// Keys are matched exactly, and a repeated key's last value wins. Members
// other than the envelope's five are skipped.
func Decode(body []byte) (Event, error) { return decode(string(body)) }

// Parse verifies a delivery as [Verifier.Verify] does, at now, then decodes
// its body as [Decode] does. A delivery that fails verification is not
// decoded: the error is the *[VerifyError] and the event the zero Event.
// A verified delivery's event has ID set to its message id (svix-id), also
// beside an error of Decode, so that the delivery can be logged by it.
func (v *Verifier) Parse(h map[string][]string, body []byte, now time.Time) (Event, error) {
	id, err := v.verify(h, body, now)
	if err != nil {
		return Event{}, err
	}
	e, err := Decode(body)
	e.ID = id
	return e, err
}

func decode(src string) (Event, error) {
	var (
		r              jsonwire.Reader
		e              Event
		typeText, data string
	)
	r.ResetString(src)
	if !r.Object() {
		if r.Failed() {
			return Event{}, readerError(&r)
		}
		return Event{}, &DecodeError{Err: errors.New("the body is null")}
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "event_type":
			typeText = r.Text()
		case "data":
			data = r.Raw()
		case "user_id":
			e.UserID = r.Text()
		case "client_user_id":
			e.ClientUserID = r.Text()
		case "team_id":
			e.TeamID = r.Text()
		default:
			r.Skip()
		}
	}
	if r.End() != nil {
		return Event{}, readerError(&r)
	}
	if typeText == "" {
		return Event{}, &DecodeError{Field: "event_type", Err: errors.New("missing")}
	}
	if e.Type = parseType(typeText); e.Type == 0 {
		return e, &IgnoredError{EventType: typeText}
	}
	if data == "" || data == "null" {
		return Event{}, &DecodeError{Field: "data", Err: errors.New("missing")}
	}
	if e.Type.IsOrder() {
		o, err := order.DecodeString(data)
		if err != nil && !errors.Is(err, order.ErrUnknownStatus) {
			return Event{}, dataError(err)
		}
		e.Order = &o
		if !o.IsPhlebotomy() {
			return e, &IgnoredError{EventType: typeText, Kind: string(o.Details.Type)}
		}
		if err != nil {
			return e, dataError(err)
		}
		return e, nil
	}
	a, err := appointment.Decode([]byte(data))
	if err != nil && !errors.Is(err, appointment.ErrUnknownStatus) {
		return Event{}, dataError(err)
	}
	e.Appointment = &a
	if !a.IsPhlebotomy() {
		return e, &IgnoredError{EventType: typeText, Kind: string(a.Type)}
	}
	if err != nil {
		return e, dataError(err)
	}
	return e, nil
}

// readerError turns the reader's error into a *DecodeError.
func readerError(r *jsonwire.Reader) *DecodeError {
	var we *jsonwire.Error
	if errors.As(r.Err(), &we) {
		return &DecodeError{Field: we.Path(), Err: we.Err}
	}
	return &DecodeError{Err: r.Err()}
}

// dataError turns an error of the order or appointment decoder into a
// *DecodeError whose field is under data.
func dataError(err error) *DecodeError {
	field, _ := inner(err)
	return &DecodeError{Field: underData(field), Err: err}
}

// underData returns the path in the body of field, a path in data.
func underData(field string) string {
	if field == "" {
		return "data"
	}
	return "data." + field
}

// envelope is the body of a delivery as encoding writes it.
type envelope struct {
	EventType    Type            `json:"event_type"`
	Data         json.RawMessage `json:"data"`
	UserID       string          `json:"user_id"`
	ClientUserID string          `json:"client_user_id"`
	TeamID       string          `json:"team_id"`
}

// MarshalJSON writes the event as Junction's webhook body:
// {"event_type", "data", "user_id", "client_user_id", "team_id"}, data
// being the order or the appointment in Junction's JSON (the one the type
// says; the other is not written). ID is not part of the body: it travels
// in the svix-id header. Decoding what it writes gives the same event, ID
// aside, and the same error, if any, with one exception: an appointment
// keeps no text of a status it does not know (its status is zero), so an
// appointment event decoded beside [ErrUnknownStatus] is written without
// that status and decodes back without the error. The legacy type spelling
// is written as labtest.appointment.updated. An invalid type, or data its
// package cannot encode, is an *[EncodeError].
func (e Event) MarshalJSON() ([]byte, error) {
	var (
		data []byte
		err  error
	)
	switch {
	case e.Type.IsOrder() && e.Order != nil:
		data, err = e.Order.MarshalJSON()
	case e.Type.IsAppointment() && e.Appointment != nil:
		data, err = e.Appointment.MarshalJSON()
	case e.Type.IsValid():
		return nil, &EncodeError{Field: "data", Err: errNoData}
	default:
		return nil, &EncodeError{Field: "event_type", Err: &ParseError{Text: e.Type.String()}}
	}
	if err != nil {
		field, _ := inner(err)
		return nil, &EncodeError{Field: underData(field), Err: err}
	}
	b, err := json.Marshal(envelope{EventType: e.Type, Data: data, UserID: e.UserID, ClientUserID: e.ClientUserID, TeamID: e.TeamID})
	if err != nil {
		return nil, &EncodeError{Err: err} // unreachable: the data was written by its package
	}
	return b, nil
}

// UnmarshalJSON decodes a webhook body as [Decode] does, so that an Event
// stored as [Event.MarshalJSON] writes it reads back equal. ID, which the
// body does not carry, is left as it is. Like the standard library's
// decoders it leaves e unchanged for null; on any error of Decode, e is
// unchanged too, even for an ignored event or an unknown status (use
// Decode to see the rest of the event then).
func (e *Event) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	v, err := Decode(data)
	if err != nil {
		return err
	}
	if e == nil {
		return &DecodeError{Err: errNilEvent}
	}
	v.ID = e.ID
	*e = v
	return nil
}

var (
	errNilEvent = errors.New("nil *Event")
	errNoData   = errors.New("no order or appointment for the type")
)

// isNull reports whether data is the JSON literal null, with only JSON's own
// white space around it.
func isNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }
