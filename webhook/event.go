package webhook

import (
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// Type is the type of a lab-testing webhook event (event_type). Its text
// form is Junction's spelling; the zero value is invalid.
type Type uint8

const (
	_ Type = iota
	// OrderCreated is labtest.order.created: an order was placed, in
	// status ordered. Its data is the order.
	OrderCreated
	// OrderUpdated is labtest.order.updated: the order's status changed.
	// Its data is the order, with its whole status history.
	OrderUpdated
	// AppointmentCreated is labtest.appointment.created: an appointment
	// record was created. Its data is the appointment.
	AppointmentCreated
	// AppointmentUpdated is labtest.appointment.updated: the appointment
	// changed (status, reschedule). Its data is the appointment, with its
	// own history. Junction's documentation spelled it
	// labtest.appointment.update from 2023-10 to 2025-02; that spelling
	// parses as this type too.
	AppointmentUpdated

	numTypes = iota - 1
)

var typeNames = [...]string{
	OrderCreated:       "labtest.order.created",
	OrderUpdated:       "labtest.order.updated",
	AppointmentCreated: "labtest.appointment.created",
	AppointmentUpdated: "labtest.appointment.updated",
}

// legacyAppointmentUpdated is the spelling of [AppointmentUpdated] in
// Junction's documentation and event catalog from 2023-10 to 2025-02.
const legacyAppointmentUpdated = "labtest.appointment.update"

// IsValid reports whether t is one of the declared types.
func (t Type) IsValid() bool { return t >= OrderCreated && t <= numTypes }

// IsOrder reports whether t is an order event, whose data is an order.
func (t Type) IsOrder() bool { return t == OrderCreated || t == OrderUpdated }

// IsAppointment reports whether t is an appointment event, whose data is an
// appointment.
func (t Type) IsAppointment() bool { return t == AppointmentCreated || t == AppointmentUpdated }

// String returns Junction's spelling, such as "labtest.order.updated", or
// "webhook.Type(N)" for an invalid type.
func (t Type) String() string {
	if !t.IsValid() {
		return "webhook.Type(" + strconv.Itoa(int(t)) + ")"
	}
	return typeNames[t]
}

// ParseType parses an event type: one of the four lab-testing order and
// appointment types, or the legacy labtest.appointment.update. Any other
// text, such as daily.data.sleep.created or labtest.result.critical, is a
// *[DecodeError] with Op "parse" wrapping [ErrUnknownType].
func ParseType(text string) (Type, error) {
	if t := parseType(text); t != 0 {
		return t, nil
	}
	return 0, &DecodeError{Op: "parse", Value: text, Err: ErrUnknownType}
}

func parseType(text string) Type {
	switch text {
	case "labtest.order.created":
		return OrderCreated
	case "labtest.order.updated":
		return OrderUpdated
	case "labtest.appointment.created":
		return AppointmentCreated
	case "labtest.appointment.updated", legacyAppointmentUpdated:
		return AppointmentUpdated
	}
	return 0
}

// MarshalText writes Junction's spelling. An invalid type is a
// *[DecodeError] with Op "encode" wrapping [ErrUnknownType].
func (t Type) MarshalText() ([]byte, error) {
	if !t.IsValid() {
		return nil, &DecodeError{Op: "encode", Value: t.String(), Err: ErrUnknownType}
	}
	return []byte(typeNames[t]), nil
}

// UnmarshalText accepts what [ParseType] accepts. On error t is unchanged.
func (t *Type) UnmarshalText(text []byte) error {
	v, err := ParseType(string(text))
	if err != nil {
		return err
	}
	if t == nil {
		return &DecodeError{Op: "parse", Value: string(text), Err: ErrUnknownType}
	}
	*t = v
	return nil
}

// Event is one lab-testing webhook event of an at-home phlebotomy order or
// appointment: the envelope {"event_type", "data", "user_id",
// "client_user_id", "team_id"} with its data decoded. An order event
// carries the order, with its whole status history; an appointment event
// carries the appointment, with its own. Its JSON form is Junction's body
// ([Event.MarshalJSON]), without ID.
//
// Junction does not guarantee the order in which events are delivered, and
// may deliver one more than once: ID is the same on every delivery of one
// message. Use it, or the histories the data carries, to process each
// event once.
type Event struct {
	// ID is the message id (svix-id) of the delivery the event came in,
	// the same on every retry; empty for an event decoded from a body alone
	// ([Decode]).
	ID string
	// Type is the event type.
	Type Type
	// UserID is the Junction user the event is about (user_id).
	UserID string
	// ClientUserID is the customer's own id for the user (client_user_id),
	// kept as text: Junction declares it a UUID but sends other strings.
	ClientUserID string
	// TeamID is the customer's Junction team (team_id).
	TeamID string
	// Order is the order, for an order event; nil otherwise. A decoded
	// event has exactly one of Order and Appointment, the one its Type
	// says. The snapshot is held by pointer so that an event is small to
	// copy; treat it as read-only once the event is shared.
	Order *order.Order
	// Appointment is the appointment, for an appointment event; nil
	// otherwise.
	Appointment *appointment.Appointment
}

// OrderID returns the id of the order the event is about: the order's id,
// or the appointment's order_id.
func (e Event) OrderID() string {
	if e.Type.IsAppointment() {
		if e.Appointment == nil {
			return ""
		}
		return e.Appointment.OrderID
	}
	if e.Order == nil {
		return ""
	}
	return e.Order.ID
}

// At returns when the change the event reports happened: the time of the
// latest entry of the order's or the appointment's history; the zero time
// when the history is empty.
func (e Event) At() time.Time {
	if e.Type.IsAppointment() {
		if e.Appointment == nil {
			return time.Time{}
		}
		if n := len(e.Appointment.History); n > 0 {
			t := e.Appointment.History[n-1].CreatedAt
			return t
		}
		return time.Time{}
	}
	if e.Order == nil {
		return time.Time{}
	}
	last, _ := e.Order.Current()
	return last.CreatedAt
}

// String returns a one-line summary, such as
// "2026-11-23T09:00:00Z labtest.order.updated ord-1 received.at_home_phlebotomy.requisition_created"
// or "2026-11-23T09:00:00Z labtest.appointment.updated ord-1-a1 confirmed (reschedule)".
func (e Event) String() string {
	var b strings.Builder
	if at := e.At(); !at.IsZero() {
		b.WriteString(at.UTC().Format(time.RFC3339Nano) + " ")
	}
	b.WriteString(e.Type.String())
	switch {
	case e.Type.IsOrder() && e.Order != nil:
		b.WriteString(" " + e.Order.ID)
		if last, ok := e.Order.Current(); ok {
			b.WriteString(" " + last.Text())
		}
	case e.Type.IsAppointment() && e.Appointment != nil:
		a := e.Appointment
		b.WriteString(" " + a.ID + " " + a.EffectiveStatus().String())
		if a.EventData.IsReschedule {
			b.WriteString(" (reschedule)")
		}
	}
	return b.String()
}
