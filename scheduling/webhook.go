package scheduling

import (
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// WebhookType is the type of a webhook event. The zero value is invalid.
type WebhookType uint8

const (
	_ WebhookType = iota
	// OrderCreated is labtest.order.created, sent once, with status
	// ordered.
	OrderCreated
	// OrderUpdated is labtest.order.updated, sent on each order status
	// change.
	OrderUpdated
	// AppointmentCreated is labtest.appointment.created, sent when an
	// appointment record is created, in status pending.
	AppointmentCreated
	// AppointmentUpdated is labtest.appointment.updated, sent on each
	// appointment status change, reschedules included.
	AppointmentUpdated
)

// String returns the event type as Junction spells it, such as
// "labtest.order.updated", or "scheduling.WebhookType(N)".
func (t WebhookType) String() string {
	switch t {
	case OrderCreated:
		return "labtest.order.created"
	case OrderUpdated:
		return "labtest.order.updated"
	case AppointmentCreated:
		return "labtest.appointment.created"
	case AppointmentUpdated:
		return "labtest.appointment.updated"
	}
	return "scheduling.WebhookType(" + strconv.Itoa(int(t)) + ")"
}

// Webhook is one webhook event Junction would send for a change of an
// [Order], with what a test or a consumer compares: the type, the time, and
// the order status or the appointment status.
type Webhook struct {
	// At is when the change happened, in UTC.
	At time.Time
	// OrderID is the order's id.
	OrderID string
	// AppointmentID is the appointment's id, for appointment events.
	AppointmentID string
	// EventData is the appointment event's data: IsReschedule is set on a
	// reschedule.
	EventData appointment.EventData
	// Reason says why an appointment was cancelled, when it was.
	Reason string
	// Type is the event type.
	Type WebhookType
	// OrderStatus is the order's new status, for order events; its full
	// wire form is OrderStatus.Full().
	OrderStatus order.Status
	// AppointmentStatus is the appointment's new status, for appointment
	// events; its event status is AppointmentStatus.EventStatus().
	AppointmentStatus appointment.Status
}

// IsOrder reports whether w is an order event.
func (w Webhook) IsOrder() bool { return w.Type == OrderCreated || w.Type == OrderUpdated }

// String returns a one-line summary such as
// "2026-11-21T09:00:00Z labtest.order.updated received.at_home_phlebotomy.requisition_created"
// or "2026-11-21T09:00:00Z labtest.appointment.updated ord-1-a1 confirmed/scheduled reschedule".
func (w Webhook) String() string {
	var b strings.Builder
	b.WriteString(w.At.UTC().Format(time.RFC3339Nano))
	b.WriteString(" ")
	b.WriteString(w.Type.String())
	if w.IsOrder() {
		b.WriteString(" " + w.OrderStatus.Full())
		return b.String()
	}
	b.WriteString(" " + w.AppointmentID + " " + w.AppointmentStatus.String() + "/" + w.AppointmentStatus.EventStatus())
	if w.EventData.IsReschedule {
		b.WriteString(" reschedule")
	}
	if w.Reason != "" {
		b.WriteString(" (" + w.Reason + ")")
	}
	return b.String()
}
