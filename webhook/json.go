package webhook

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/jsonerr"
	"github.com/phlebkit/phlebkit/order"
)

// envelope is a webhook body, its event type and data as read (the data
// kept until the type says what it holds) or written.
type envelope[T, D any] struct {
	EventType    T      `json:"event_type"`
	Data         D      `json:"data"`
	UserID       string `json:"user_id"`
	ClientUserID string `json:"client_user_id"`
	TeamID       string `json:"team_id"`
}

// Decode decodes the body of a webhook delivery into an [Event], without
// verifying it ([Verifier.Parse] verifies a delivery received over HTTP).
// The order or appointment in data is read by [order.Decode] or
// [appointment.Decode], with their guarantees; decoding is linear in the
// size of body, which may be reused once Decode returns. The legacy type
// labtest.appointment.update decodes as [AppointmentUpdated].
//
// Junction sends many event types to the same endpoint. Decode returns
// exactly one of these outcomes, each a *[DecodeError], beside what it
// could read of the event:
//
//   - [ErrNotPhlebotomy], which the caller ignores with one errors.Is: for
//     an event type that is not a lab-testing order or appointment event
//     (daily.data.*, labtest.result.*, labtest.order.deleted, …; it wraps
//     [ErrUnknownType] too), with the envelope's ids; and for an order or
//     an appointment that is not at-home phlebotomy (a walk-in, testkit or
//     on-site order; a patient service centre appointment), with it too;
//   - [ErrUnknownStatus] for an at-home phlebotomy order or appointment
//     with a status this package does not know (Junction's enums are
//     non-exhaustive), with the rest of the event decoded;
//   - [ErrMalformed], with the zero Event, for a body that is not a webhook
//     envelope: invalid JSON, a value of the wrong JSON type, a member
//     repeated, no event_type (absent, null or ""), no data (absent or
//     null) for a lab-testing event, or data that its package refuses.
//
// Keys are matched exactly; members other than the envelope's five are
// skipped. A member that appears twice is malformed, whatever its values
// (our decision, JSON v2's default: Junction sends no body that says two
// things).
func Decode(body []byte) (Event, error) {
	if e, ok := decodeOnePass(body); ok {
		return e, nil
	}
	return decodeTwoPasses(body)
}

// decodeTwoPasses is Decode for any body: it reads the envelope, keeping
// data as it is, then data, as the type says.
func decodeTwoPasses(body []byte) (Event, error) {
	var w envelope[string, jsontext.Value]
	if err := json.Unmarshal(body, &w); err != nil {
		return Event{}, &DecodeError{Op: "decode", Path: string(jsonerr.Pointer(err)), Err: err}
	}
	if w.EventType == "" {
		if isNull(body) {
			return Event{}, &DecodeError{Op: "decode", Err: errNullBody}
		}
		return Event{}, &DecodeError{Op: "decode", Path: "/event_type", Err: errMissing}
	}
	e := Event{UserID: w.UserID, ClientUserID: w.ClientUserID, TeamID: w.TeamID}
	if e.Type = parseType(w.EventType); e.Type == 0 {
		return e, &DecodeError{Op: "decode", Path: "/event_type", Value: w.EventType, Err: ErrUnknownType}
	}
	if w.Data == nil || w.Data.Kind() == 'n' {
		return Event{}, &DecodeError{Op: "decode", Path: "/data", Err: errMissing}
	}
	var err, unknownStatusErr error
	var phlebotomy bool
	var kindPath, kind string
	if e.Type.IsOrder() {
		o, oerr := order.Decode(w.Data)
		e.Order, err, unknownStatusErr = &o, oerr, order.ErrUnknownStatus
		phlebotomy, kindPath, kind = o.IsPhlebotomy(), orderKindPath, string(o.Details.Type)
	} else {
		a, aerr := appointment.Decode(w.Data)
		e.Appointment, err, unknownStatusErr = &a, aerr, appointment.ErrUnknownStatus
		phlebotomy, kindPath, kind = a.IsPhlebotomy(), appointmentKindPath, string(a.Type)
	}
	switch {
	case err != nil && !errors.Is(err, unknownStatusErr):
		return Event{}, dataError("decode", err)
	case !phlebotomy:
		return e, &DecodeError{Op: "decode", Path: kindPath, Value: kind, Err: ErrNotPhlebotomy}
	case err != nil:
		return e, dataError("decode", err)
	}
	return e, nil
}

// onePass is a decoder of decodeOnePass, kept for reuse.
type onePass struct {
	body bytes.Buffer
	dec  jsontext.Decoder
}

var onePasses = sync.Pool{New: func() any { return new(onePass) }}

// decodeOnePass decodes a body as decodeTwoPasses does, in one pass, when
// it is what Junction sends: an envelope of strings, event_type before
// data, an at-home phlebotomy order or appointment read without error.
// It reports whether it did; any other body is left to decodeTwoPasses,
// which says what is wrong. An order is decoded as the envelope is read;
// an appointment is checked as JSON as the envelope is read, then decoded.
func decodeOnePass(body []byte) (_ Event, ok bool) {
	p := onePasses.Get().(*onePass)
	defer func() {
		p.body = bytes.Buffer{} // no reference to body kept
		p.dec.Reset(&p.body)
		onePasses.Put(p)
	}()
	p.body = *bytes.NewBuffer(body)
	p.dec.Reset(&p.body)
	dec := &p.dec
	t, err := dec.ReadToken()
	if err != nil {
		return Event{}, false
	}
	if t.Kind() != '{' {
		return Event{}, false
	}
	var e Event
	data := false
	for dec.PeekKind() != '}' {
		raw, err := dec.ReadValue() // a name, quoted
		if err != nil || bytes.ContainsRune(raw, '\\') {
			return Event{}, false // escaped: as the json package reads it
		}
		name := string(raw[1 : len(raw)-1]) // only compared: not allocated when short
		if name == "data" {
			if e.Type == 0 || data {
				return Event{}, false // before event_type, or twice
			}
			data = true
			if !e.decodeData(dec) {
				return Event{}, false
			}
			continue
		}
		var field *string
		switch name {
		case "event_type", "user_id", "client_user_id", "team_id":
		default:
			if dec.SkipValue() != nil {
				return Event{}, false
			}
			continue
		}
		v, err := dec.ReadToken()
		if err != nil || v.Kind() != '"' {
			return Event{}, false
		}
		switch name {
		case "event_type":
			if e.Type = parseType(v.String()); !e.Type.IsOrder() && !e.Type.IsAppointment() {
				return Event{}, false
			}
			continue
		case "user_id":
			field = &e.UserID
		case "client_user_id":
			field = &e.ClientUserID
		default:
			field = &e.TeamID
		}
		*field = v.String()
	}
	if _, err := dec.ReadToken(); err != nil || !data {
		return Event{}, false
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return Event{}, false // more than the envelope
	}
	return e, true
}

// decodeData decodes data, the value dec is at, as the order or the
// appointment e's type says, and reports whether it is one of at-home
// phlebotomy, read without error.
func (e *Event) decodeData(dec *jsontext.Decoder) bool {
	if e.Type.IsOrder() {
		o := new(order.Order)
		if o.UnmarshalJSONFrom(dec) != nil || !o.IsPhlebotomy() {
			return false
		}
		e.Order = o
		return true
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return false
	}
	a, err := appointment.Decode(raw)
	if err != nil || !a.IsPhlebotomy() {
		return false
	}
	e.Appointment = &a
	return true
}

// Parse verifies a delivery as [Verifier.Verify] does, at now, then decodes
// its body as [Decode] does; one that fails verification is not decoded
// (a *[VerifyError] and the zero Event). A verified delivery's event has
// ID set to its message id (svix-id), beside an error of Decode too, so
// that the delivery can be logged by it.
func (v *Verifier) Parse(h map[string][]string, body []byte, now time.Time) (Event, error) {
	id, err := v.verify(h, body, now)
	if err != nil {
		return Event{}, err
	}
	e, err := Decode(body)
	e.ID = id
	return e, err
}

// MarshalJSON writes the event as Junction's webhook body: {"event_type",
// "data", "user_id", "client_user_id", "team_id"}, data the order or the
// appointment the type says, in Junction's JSON (the legacy type as
// labtest.appointment.updated). ID travels in the svix-id header, not the
// body. Decoding what it writes gives the same event, ID aside, and the
// same error, if any, but for one case: an appointment keeps no text of a
// status it does not know, so an appointment event decoded beside
// [ErrUnknownStatus] is written without that status and decodes back
// without the error. An invalid type, a type without its order or
// appointment, or data its package cannot encode, is a *[DecodeError]
// with Op "encode".
func (e Event) MarshalJSON() ([]byte, error) {
	out := envelope[Type, any]{EventType: e.Type, UserID: e.UserID, ClientUserID: e.ClientUserID, TeamID: e.TeamID}
	switch {
	case e.Type.IsOrder() && e.Order != nil:
		out.Data = e.Order
	case e.Type.IsAppointment() && e.Appointment != nil:
		out.Data = e.Appointment
	case e.Type.IsValid():
		return nil, &DecodeError{Op: "encode", Path: "/data", Err: errNoData}
	default:
		return nil, &DecodeError{Op: "encode", Path: "/event_type", Value: e.Type.String(), Err: ErrUnknownType}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, dataError("encode", err)
	}
	return b, nil
}

// UnmarshalJSON decodes a webhook body as [Decode] does, so that an Event
// stored as [Event.MarshalJSON] writes it reads back equal; ID, which the
// body does not carry, is left as it is. Null leaves e unchanged, as with
// the standard library's decoders, and so does any error of Decode, even
// for an ignored event or an unknown status (Decode shows the rest then).
func (e *Event) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	v, err := Decode(data)
	if err != nil {
		return err
	}
	if e == nil {
		return &DecodeError{Op: "decode", Err: errNilEvent}
	}
	v.ID = e.ID
	*e = v
	return nil
}

var (
	errNilEvent = errors.New("nil *Event")
	errMissing  = errors.New("missing")
	errNullBody = errors.New("the body is null")
	errNoData   = errors.New("no order or appointment for the type")
)

// dataError is the *DecodeError, under /data, of the data's codec's err.
func dataError(op string, err error) *DecodeError {
	path, _, e := inner(err)
	return &DecodeError{Op: op, Path: "/data" + path, Err: e}
}

// inner returns an error of the order's or the appointment's codec in err,
// its JSON Pointer and the words its message starts with ("order: decode
// /events/2/status: "); empty strings and err itself for any other error.
func inner(err error) (path, prefix string, _ error) {
	if e, ok := errors.AsType[*order.DecodeError](err); ok {
		return e.Path, strings.TrimSuffix("order: "+cmp.Or(e.Op, "decode")+" "+e.Path, " ") + ": ", e
	}
	if e, ok := errors.AsType[*appointment.DecodeError](err); ok {
		op := "decode"
		if e.Op == "encode" {
			op = "encode"
		}
		return e.Path, strings.TrimSuffix("appointment: "+op+" "+e.Path, " ") + ": ", e
	}
	return "", "", err
}

// isNull reports whether data is null, with only JSON white space around.
func isNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }
