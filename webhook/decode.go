package webhook

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/jsonwire"
	"github.com/phlebkit/phlebkit/order"
)

// Decode decodes the body of a webhook delivery into an [Event], without
// verifying it: use [Verifier.Parse] for a delivery received over HTTP. The
// order or appointment in data is decoded by [order.DecodeString] or
// [appointment.DecodeString] with their guarantees, in one pass over one
// copy of body. Decoding is linear in the size of body.
//
// Junction sends many event types to the same endpoint. Decode returns,
// beside what it could read of the event:
//
//   - a *[IgnoredError] wrapping [ErrNotPhlebotomy] for an event type that
//     is not a lab-testing order or appointment event (daily.data.*,
//     labtest.result.*, …), and for an order or an appointment that is not
//     at-home phlebotomy (a walk-in, testkit or on-site order; a patient
//     service centre appointment): events the caller can ignore with one
//     errors.Is;
//   - a *[DecodeError] wrapping [ErrUnknownStatus] for a phlebotomy order
//     or appointment with a status this package does not know (Junction's
//     enums are non-exhaustive), with the rest of the event decoded;
//   - a *[DecodeError] wrapping [ErrMalformed] for a body that is not a
//     webhook envelope: invalid JSON, a value of the wrong type, no
//     event_type, no data for a lab-testing event, or data that its
//     package refuses. The event is then the zero Event.
//
// Keys are matched exactly, and a repeated key's last value wins.
func Decode(body []byte) (Event, error) { return decode(string(body)) }

// Parse verifies a delivery as [Verifier.Verify] does, then decodes its
// body as [Decode] does, with ID set to the delivery's message id. A
// delivery that fails verification is not decoded: the error is the
// *[VerifyError] and the event the zero Event.
func (v *Verifier) Parse(h http.Header, body []byte, now time.Time) (Event, error) {
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
		e.Order = o
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
	e.Appointment = a
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
	var oe *order.DecodeError
	if errors.As(err, &oe) {
		return &DecodeError{Field: joinPath("data", oe.Field), Err: err}
	}
	var ae *appointment.DecodeError
	if errors.As(err, &ae) {
		return &DecodeError{Field: joinPath("data", ae.Field), Err: err}
	}
	return &DecodeError{Field: "data", Err: err}
}

func joinPath(prefix, field string) string {
	switch {
	case field == "":
		return prefix
	case field[0] == '[':
		return prefix + field
	}
	return prefix + "." + field
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
// being the order or the appointment in Junction's JSON. ID is not part of
// the body: it travels in the svix-id header. Decoding what it writes gives
// the same event, ID aside. An invalid type, or data its package cannot
// encode, is a *[EncodeError].
func (e Event) MarshalJSON() ([]byte, error) {
	var (
		data []byte
		err  error
	)
	switch {
	case e.Type.IsOrder():
		data, err = e.Order.MarshalJSON()
	case e.Type.IsAppointment():
		data, err = e.Appointment.MarshalJSON()
	default:
		return nil, &EncodeError{Field: "event_type", Err: &ParseError{Text: e.Type.String()}}
	}
	if err != nil {
		return nil, &EncodeError{Field: "data", Err: err}
	}
	b, err := json.Marshal(envelope{EventType: e.Type, Data: data, UserID: e.UserID, ClientUserID: e.ClientUserID, TeamID: e.TeamID})
	if err != nil {
		return nil, &EncodeError{Err: err}
	}
	return b, nil
}
