package scheduling

import (
	"slices"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/provider"
)

func hours(d time.Duration) string {
	h := d.Hours()
	return strconv.FormatFloat(h, 'f', -1, 64) + "h"
}

// CheckLead reports a *[RuleError] wrapping [ErrLeadTime] when an
// appointment with p starting at start is booked at now less than p's
// recommended lead time ahead ([provider.Provider.RecommendedLead]: 48
// hours for Getlabs, none for others), and nil otherwise. Exactly the
// recommended lead is enough. Junction recommends the lead time and does
// not refuse a booking without it: treat the error as a warning, or as a
// refusal where the team wants one ([Booking.EnforceLead]). Its Value is how
// far ahead the booking is made, a time.Duration.
func CheckLead(p provider.Provider, start, now time.Time) error {
	rec := p.RecommendedLead()
	lead := start.Sub(now)
	if rec <= 0 || lead >= rec {
		return nil
	}
	return &RuleError{Field: "start_at", Value: lead, Err: ErrLeadTime,
		Problem: p.String() + " booking " + hours(lead) + " ahead, " + hours(rec) + " recommended"}
}

// ProviderRescheduleAt returns when p itself reschedules an appointment
// starting at start that still has no requisition (Getlabs: about 24 hours
// before the start), and false for a provider that does not.
func ProviderRescheduleAt(p provider.Provider, start time.Time) (time.Time, bool) {
	before, ok := p.AutoRescheduleBefore()
	if !ok || start.IsZero() {
		return time.Time{}, false
	}
	return start.Add(-before), true
}

// DeadlineKind says what happens at a [Deadline].
type DeadlineKind uint8

const (
	_ DeadlineKind = iota
	// CancelOrderAge is auto-cancellation rule 1 ([OrderAge]).
	CancelOrderAge
	// CancelStartSoon is auto-cancellation rule 2 ([StartSoon]).
	CancelStartSoon
	// ProviderReschedule is the provider rescheduling the appointment
	// itself ([ProviderRescheduleAt]).
	ProviderReschedule
)

// String returns "cancel_order_age", "cancel_start_soon",
// "provider_reschedule", or "scheduling.DeadlineKind(N)".
func (k DeadlineKind) String() string {
	switch k {
	case CancelOrderAge:
		return "cancel_order_age"
	case CancelStartSoon:
		return "cancel_start_soon"
	case ProviderReschedule:
		return "provider_reschedule"
	}
	return "scheduling.DeadlineKind(" + strconv.Itoa(int(k)) + ")"
}

// Deadline is something that will happen to an appointment still without a
// requisition, and when.
type Deadline struct {
	Kind DeadlineKind
	At   time.Time
}

// Deadlines returns what will happen to the appointment a, made with p, if
// no requisition arrives, earliest first (ties in [DeadlineKind] order): each
// auto-cancellation rule that applies, at the instant it starts to hold (see
// [AutoCancel.FiresAt]), and the provider's own reschedule. Instants may be
// in the past: for an appointment booked less than 24 hours ahead, the
// Getlabs reschedule instant has already gone by. Of the deadlines still to
// come, the first is what happens to the appointment: an auto-cancellation
// ends it, while a provider reschedule moves it and leaves the
// auto-cancellation rules in force. It is empty once a requisition exists.
//
// This is why Getlabs appointments should be booked 48 hours ahead: for an
// order created when the appointment is booked, rule 1 fires 8 hours later,
// while Getlabs reschedules 24 hours before a start at least 48 hours away,
// so at least 24 hours later. Junction's cancellation comes first, and its
// webhook lets the customer, not the provider, talk to the patient.
func Deadlines(a AutoCancel, p provider.Provider) []Deadline {
	if a.Requisition {
		return nil
	}
	var ds []Deadline
	if a.ActivateBy.IsZero() {
		ds = append(ds, Deadline{Kind: CancelOrderAge, At: a.OrderCreatedAt.Add(OrderAgeLimit + 1)})
	}
	if !a.Start.IsZero() {
		ds = append(ds, Deadline{Kind: CancelStartSoon, At: a.Start.Add(-StartLimit + 1)})
	}
	if at, ok := ProviderRescheduleAt(p, a.Start); ok {
		ds = append(ds, Deadline{Kind: ProviderReschedule, At: at})
	}
	slices.SortStableFunc(ds, func(x, y Deadline) int { return x.At.Compare(y.At) })
	return ds
}
