package junction

import (
	"errors"
	"net/http"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/bounds"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/tier"
)

// Facts is what the client knows about an order when it books, requests
// or reschedules an appointment for it: what its local checks read beside
// the request. Pass it to a call with [WithFacts].
//
// Before sending, Book, Request and Reschedule check what Junction would
// refuse and the client can know, and refuse it themselves with the
// *[APIError] Junction would answer (Local set, 422 wrapping
// [ErrValidation], or 400 wrapping [ErrRefused] for the active-appointment
// rule) and the rule's own error (a *scheduling.RuleError, for
// errors.Is(err, scheduling.ErrUnderage) and the like). From the request
// alone: a booking key and a cancellation reason are given, notes are at
// most 1000 characters, a book's confirmation timeouts are in range, and
// a request's address is reachable and its provider takes requests. With
// Facts, every rule of scheduling.ValidateBooking at the client's clock
// ([WithClock]): the patient's age on the slot's day, the order's
// address, the notes, one active appointment per provider, a booking that
// auto-cancellation would cancel at once (while the order has no
// requisition), and with [WithLeadTime] the provider's lead time.
// [WithoutLocalChecks] turns all of this off.
type Facts struct {
	// Order is the order, as CreateOrder or Order returned it: its
	// patient's date of birth, its address with the access notes, whether
	// its requisition exists and when it was created. For a reschedule,
	// its active appointment (details.data.appointment_id) is the one
	// moved.
	Order order.Order
	// Slot is the slot of the booking key, from [Client.Availability], for
	// Book and Reschedule.
	Slot TimeSlot
	// TimeZone is the patient's time zone, which tells the slot's calendar
	// day for the age rule; nil is UTC. [Availability] names it.
	TimeZone *time.Location
	// Existing are the patient's appointments, on any order, for the rule
	// of one active appointment per provider.
	Existing []appointment.Appointment
	// Provider is who will draw the blood on a booking: the provider
	// Junction chooses for the area (provider.AreaInfo.ForBooking); zero
	// is the provider that offers appointment-ready. Request reads the
	// request's provider, and Reschedule the active appointment's (from
	// Existing; else this one).
	Provider provider.Provider
}

// WithFacts gives a Book, Request or Reschedule call what the client
// knows about the order, for its local checks (see [Facts]). Other calls
// ignore it.
func WithFacts(f Facts) CallOption {
	return func(c *callConfig) { c.facts = &f }
}

// local returns the refusal of a local check, as Junction would answer
// it: with the problems when there are, else the cause's message.
func local(op string, status int, cause error, ps ...Problem) *APIError {
	e := &APIError{Op: op, StatusCode: status, Local: true, Cause: cause}
	if ps != nil {
		e.Detail.Problems = ps
	} else if cause != nil {
		e.Detail.Message = message(cause)
	}
	return e
}

// ruleError returns the refusal of scheduling's rules: 400 when one
// active appointment is in the way, 422 otherwise.
func ruleError(op string, err error) error {
	if err == nil {
		return nil
	}
	status := http.StatusUnprocessableEntity
	if errors.Is(err, scheduling.ErrActiveAppointment) {
		status = http.StatusBadRequest
	}
	return local(op, status, err)
}

// missing returns the refusal of a required member that is absent.
func missing(op string, loc ...any) error {
	return local(op, http.StatusUnprocessableEntity, nil, Problem{Loc: loc, Msg: "field required", Type: "value_error.missing"})
}

// outOf returns the refusal of a timeout out of its range, or nil.
func outOf(op, field string, v *int64, lo, hi int64) error {
	if v == nil || *v >= lo && *v <= hi {
		return nil
	}
	return local(op, http.StatusUnprocessableEntity, nil, Problem{Loc: []any{"body", field},
		Msg:  bounds.OutOfRange(lo, hi),
		Type: "value_error.number.range"})
}

// readyProvider returns p, or Getlabs, the provider that offers
// appointment-ready, when p is zero.
func readyProvider(p provider.Provider) provider.Provider {
	if p.IsValid() {
		return p
	}
	return provider.Getlabs
}

// slotBooking returns the booking scheduling's rules check for a book or
// reschedule of f's slot with notes.
func (c *Client) slotBooking(f *Facts, p provider.Provider, notes string) scheduling.Booking {
	return scheduling.Booking{
		Tier: tier.AppointmentReady, Provider: readyProvider(p), BirthDate: f.Order.Patient.DOB,
		Address: f.Order.Address, Start: f.Slot.Start, End: f.Slot.End, TimeZone: f.TimeZone,
		AppointmentNotes: notes, Existing: f.Existing, EnforceLead: c.lead,
		PreRequisition: scheduling.PreRequisitionOf(f.Order),
	}
}

// checkBook runs the local checks of a book.
func (c *Client) checkBook(op string, r BookRequest, f *Facts) error {
	if !c.checks {
		return nil
	}
	if r.BookingKey == "" {
		return missing(op, "body", "booking_key")
	}
	if err := outOf(op, "sync_confirmation_timeout_millisecond", r.SyncConfirmationTimeoutMS, bounds.MinSyncTimeoutMS, bounds.MaxSyncTimeoutMS); err != nil {
		return err
	}
	if err := outOf(op, "async_confirmation_timeout_millisecond", r.AsyncConfirmationTimeoutMS, bounds.MinAsyncTimeoutMS, bounds.MaxAsyncTimeoutMS); err != nil {
		return err
	}
	if f == nil {
		return ruleError(op, scheduling.CheckNotes("", r.AppointmentNotes))
	}
	return ruleError(op, scheduling.ValidateBooking(c.slotBooking(f, f.Provider, r.AppointmentNotes), c.now()))
}

// checkReschedule runs the local checks of a reschedule.
func (c *Client) checkReschedule(op string, r RescheduleRequest, f *Facts) error {
	if !c.checks {
		return nil
	}
	if r.BookingKey == "" {
		return missing(op, "body", "booking_key")
	}
	if f == nil {
		return ruleError(op, scheduling.CheckNotes("", r.AppointmentNotes))
	}
	id := f.Order.AppointmentID()
	p := f.Provider
	for _, a := range f.Existing {
		if id != "" && a.ID == id {
			p = a.Provider
		}
	}
	b := c.slotBooking(f, p, r.AppointmentNotes)
	b.Rescheduling = id
	return ruleError(op, scheduling.ValidateBooking(b, c.now()))
}

// checkRequest runs the local checks of a request.
func (c *Client) checkRequest(op string, r RequestAppointmentRequest, f *Facts) error {
	if !c.checks {
		return nil
	}
	switch {
	case r.Address == nil:
		return missing(op, "body", "address")
	case !r.Provider.IsValid():
		return missing(op, "body", "provider")
	}
	if f == nil {
		if !r.Provider.Offers(tier.AppointmentRequest) {
			return local(op, http.StatusUnprocessableEntity, scheduling.ErrTierMismatch, Problem{Loc: []any{"body", "provider"},
				Msg: r.Provider.String() + " does not take appointment requests", Type: "value_error.provider"})
		}
		return ruleError(op, errors.Join(scheduling.ValidateAddress(*r.Address),
			scheduling.CheckNotes(r.Address.AccessNotes, r.AppointmentNotes)))
	}
	return ruleError(op, scheduling.ValidateBooking(scheduling.Booking{
		Tier: tier.AppointmentRequest, Provider: r.Provider, BirthDate: f.Order.Patient.DOB, Address: *r.Address,
		TimeZone: f.TimeZone, AppointmentNotes: r.AppointmentNotes, Existing: f.Existing,
		PreRequisition: scheduling.PreRequisitionOf(f.Order),
	}, c.now()))
}
