package scheduling

import (
	"errors"
	"slices"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// CheckActive reports a *[RuleError] wrapping [ErrActiveAppointment] when
// existing, the patient's appointments, holds an active one (pending,
// reserved, confirmed, in progress; see
// [appointment.Appointment.EffectiveStatus]) with provider p: the same
// patient cannot have two active appointments with one provider. Completed
// and cancelled appointments, and appointments with other providers, do not
// count. The answer does not depend on the order of existing. For a
// reschedule, leave the appointment being rescheduled out, or use
// [Booking.Rescheduling].
func CheckActive(p provider.Provider, existing []appointment.Appointment) error {
	return checkActive(p, existing, "")
}

// checkActive is [CheckActive], leaving out the appointment with id skip
// when skip is not empty.
func checkActive(p provider.Provider, existing []appointment.Appointment, skip string) error {
	var ids []string
	for i := range existing {
		if a := &existing[i]; p.IsValid() && a.Provider == p && a.EffectiveStatus().Active() && (skip == "" || a.ID != skip) {
			ids = append(ids, a.ID)
		}
	}
	if ids == nil {
		return nil
	}
	slices.Sort(ids)
	return activeError(p, ids)
}

// Booking is an appointment about to be booked (appointment-ready tier) or
// requested (appointment-request tier), with what the rules need to know
// about the patient.
type Booking struct {
	// Tier is how the appointment is made.
	Tier tier.Tier
	// Provider is who will draw the blood: for a booking, the provider the
	// area's information says Junction will choose
	// ([provider.AreaInfo.ForBooking]); for a request, the one named.
	Provider provider.Provider
	// BirthDate is the patient's date of birth.
	BirthDate order.Date
	// Address is where the blood is drawn, with its access notes.
	Address order.Address
	// Start and End bound the slot of a booking. A request has no slot:
	// leave them zero.
	Start, End time.Time
	// TimeZone is the patient's time zone, used to tell the calendar day
	// of the appointment for the age rule; nil means UTC.
	TimeZone *time.Location
	// AppointmentNotes are the appointment's special instructions.
	AppointmentNotes string
	// Existing are the patient's appointments, on any order and with any
	// provider, in any order.
	Existing []appointment.Appointment
	// Rescheduling is the id of the appointment the booking reschedules,
	// empty for a new appointment. That appointment, which is in Existing
	// when Existing is all the patient's appointments, does not count
	// against the one-active-appointment rule: a reschedule moves it, it
	// does not add one. Junction reschedules an appointment-ready slot (the
	// reschedule endpoint takes a booking key), so a reschedule is a
	// booking of Tier [tier.AppointmentReady] with its new Start and End.
	Rescheduling string
	// EnforceLead makes the provider's recommended lead time a rule: a
	// booking that starts sooner than [provider.Provider.RecommendedLead]
	// after now (Getlabs: 48 hours) is refused with [ErrLeadTime]. By
	// default the lead time is a recommendation that [CheckLead] reports
	// and ValidateBooking does not.
	EnforceLead bool
	// PreRequisition describes the order when its requisition does not
	// exist yet, for Junction's auto-cancellation rules (see [AutoCancel]):
	// a booking that a rule would cancel the moment it is made is refused.
	// Leave it nil when the requisition exists, or to leave those rules
	// out, as ValidateBooking did before this field existed.
	PreRequisition *PreRequisition
}

// PreRequisition is what Junction's auto-cancellation rules need to know
// about an order whose requisition does not exist yet (see
// [PreRequisitionOf]).
type PreRequisition struct {
	// OrderCreatedAt is when the order was created.
	OrderCreatedAt time.Time
	// ActivateBy is the order's activate_by date; zero unless the order is
	// scheduled, which exempts it from rule 1 ([OrderAge]).
	ActivateBy order.Date
}

// PreRequisitionOf returns what the auto-cancellation rules need to know
// about o, as Junction's order endpoints and webhooks carry it, for
// [Booking.PreRequisition]: when it was created and its activate_by date;
// nil once its requisition exists ([order.Order.HasRequisition]), when
// those rules no longer apply.
func PreRequisitionOf(o order.Order) *PreRequisition {
	if o.HasRequisition() {
		return nil
	}
	return &PreRequisition{OrderCreatedAt: o.CreatedAt, ActivateBy: o.ActivateBy}
}

// ValidateBooking checks every rule a booking or request must pass at now
// and returns nil, or every violation at once, joined with [errors.Join]:
//
//   - [ErrTierMismatch]: the provider does not offer the tier (or either
//     is not valid);
//   - [ErrSlot]: a booking without a start, with a start or end outside
//     the years 0000 to 9999 in UTC (which Junction's appointment JSON
//     cannot carry), with an end not after its start, or starting at or
//     before now; a request with a start;
//   - [ErrUnderage]: the patient is under 18 on the day of the
//     appointment, or, for a request, which has no date yet, on the day of
//     the request (now; our decision), both in TimeZone; or has no date of
//     birth;
//   - [ErrAddress]: see [ValidateAddress];
//   - [ErrNotesTooLong]: see [CheckNotes];
//   - [ErrActiveAppointment]: see [CheckActive]; the appointment named by
//     Rescheduling does not count;
//   - [ErrLeadTime]: with EnforceLead, a booking that starts sooner than
//     its provider's recommended lead time (see [CheckLead]);
//   - [ErrAutoCancel]: with PreRequisition set, an auto-cancellation rule
//     already holds at now for the new appointment, so that Junction would
//     cancel it the moment it is made: more than 8 hours have passed since
//     the order was created (not for a scheduled order), or a booking
//     starts less than 2 hours after now. The boundaries are those of
//     [AutoCancel.Fires]: exactly 8 hours after the order, or exactly 2
//     hours before the start, the booking is still allowed.
//
// Each violation is a *[RuleError]; the order of Existing does not
// matter. Without EnforceLead the Getlabs lead-time recommendation is not a
// violation: see [CheckLead].
func ValidateBooking(b Booking, now time.Time) error {
	var errs []error
	if !b.Provider.Offers(b.Tier) {
		errs = append(errs, tierError(b.Provider, b.Tier))
	}
	day := now
	switch {
	case b.Tier == tier.AppointmentRequest && (!b.Start.IsZero() || !b.End.IsZero()):
		errs = append(errs, requestSlotError(b))
	case b.Tier == tier.AppointmentReady && b.Start.IsZero():
		errs = append(errs, slotError("start_at", b.Start, "an appointment-ready booking needs a start time"))
	case b.Tier == tier.AppointmentReady:
		day = b.Start
		if err := storableSlot(b.Start, b.End); err != nil {
			errs = append(errs, err)
		}
		if !b.End.IsZero() && !b.End.After(b.Start) {
			errs = append(errs, slotError("end_at", b.End, "end is not after start"))
		}
		if !b.Start.After(now) {
			errs = append(errs, slotError("start_at", b.Start, "start is not in the future"))
		}
	}
	loc := b.TimeZone
	if loc == nil {
		loc = time.UTC
	}
	if err := CheckAge(b.BirthDate, day.In(loc)); err != nil {
		errs = append(errs, err)
	}
	if err := ValidateAddress(b.Address); err != nil {
		errs = append(errs, err)
	}
	if err := CheckNotes(b.Address.AccessNotes, b.AppointmentNotes); err != nil {
		errs = append(errs, err)
	}
	if err := checkActive(b.Provider, b.Existing, b.Rescheduling); err != nil {
		errs = append(errs, err)
	}
	if b.EnforceLead && !b.Start.IsZero() {
		if err := CheckLead(b.Provider, b.Start, now); err != nil {
			errs = append(errs, err)
		}
	}
	if p := b.PreRequisition; p != nil {
		ac := AutoCancel{OrderCreatedAt: p.OrderCreatedAt, ActivateBy: p.ActivateBy, Start: b.Start}
		if err := checkAutoCancel(ac, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkAutoCancel returns an [ErrAutoCancel] error when the appointment a
// describes, made at now, is one that an auto-cancellation rule cancels at
// once: when [AutoCancel.Fires] holds at now.
func checkAutoCancel(a AutoCancel, now time.Time) error {
	if at, rule, ok := a.FiresAt(); ok && !at.After(now) {
		return autoCancelError(rule, at)
	}
	return nil
}

// requestSlotError returns the error of a request with a slot: its start,
// or its end when it has only an end.
func requestSlotError(b Booking) error {
	field, t := "start_at", b.Start
	if t.IsZero() {
		field, t = "end_at", b.End
	}
	return slotError(field, t, "an appointment-request has no start time")
}
