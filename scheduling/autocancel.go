package scheduling

import (
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/order"
)

// Auto-cancellation thresholds. Junction cancels an appointment placed
// before its order's requisition exists when no requisition has been
// received and more than [OrderAgeLimit] has passed since the order was
// created, or fewer than [StartLimit] remain before the appointment starts.
const (
	OrderAgeLimit = 8 * time.Hour
	StartLimit    = 2 * time.Hour
)

// Rule is one of Junction's auto-cancellation rules. The zero value is no
// rule.
type Rule uint8

const (
	_ Rule = iota
	// OrderAge is rule 1: more than 8 hours have passed since the order
	// was created. It does not apply to scheduled orders (those with an
	// activate_by date).
	OrderAge
	// StartSoon is rule 2: fewer than 2 hours remain until the
	// appointment's start. It needs a start time, so a pending
	// appointment-request appointment is subject only to rule 1.
	StartSoon
)

// String returns "order_age", "start_soon", or "scheduling.Rule(N)".
func (r Rule) String() string {
	switch r {
	case OrderAge:
		return "order_age"
	case StartSoon:
		return "start_soon"
	}
	return "scheduling.Rule(" + strconv.Itoa(int(r)) + ")"
}

// AutoCancel describes an active appointment of an at-home phlebotomy order
// for Junction's auto-cancellation rules, which apply only to appointments
// placed before the order's requisition exists.
type AutoCancel struct {
	// OrderCreatedAt is when the order was created. It is required: a zero
	// OrderCreatedAt is the year 1, long more than 8 hours ago.
	OrderCreatedAt time.Time
	// ActivateBy is the activate_by date of a scheduled order; zero for an
	// order that is not scheduled. Rule 1 does not apply to scheduled
	// orders.
	ActivateBy order.Date
	// Requisition reports whether the order's requisition has been
	// received; once it has, no rule applies.
	Requisition bool
	// Start is the appointment's start; zero when it has none yet (a
	// pending appointment-request appointment).
	Start time.Time
}

// Fires reports whether Junction cancels the appointment at now, and by
// which rule. When both rules hold it names [OrderAge]. Both boundaries are
// strict, as documented: exactly 8 hours after the order's creation rule 1
// does not hold yet, and with exactly 2 hours to go rule 2 does not hold
// yet. Once a rule holds it holds at every later instant.
func (a AutoCancel) Fires(now time.Time) (Rule, bool) {
	switch {
	case a.Requisition:
		return 0, false
	case a.ActivateBy.IsZero() && now.Sub(a.OrderCreatedAt) > OrderAgeLimit:
		return OrderAge, true
	case !a.Start.IsZero() && a.Start.Sub(now) < StartLimit:
		return StartSoon, true
	}
	return 0, false
}

// FiresAt returns the earliest instant at which [AutoCancel.Fires] holds, and
// by which rule, so that a service can set one timer; false when no rule
// can ever fire (a requisition exists, or the order is scheduled and the
// appointment has no start). The instant may be in the past: then the rule
// already holds. Instants are exact to the nanosecond: rule 1 fires 8 hours
// and 1 nanosecond after the order's creation, rule 2 2 hours less 1
// nanosecond before the start. On a tie it names [OrderAge].
func (a AutoCancel) FiresAt() (time.Time, Rule, bool) {
	if a.Requisition {
		return time.Time{}, 0, false
	}
	var at time.Time
	var rule Rule
	if a.ActivateBy.IsZero() {
		at, rule = a.OrderCreatedAt.Add(OrderAgeLimit+1), OrderAge
	}
	if !a.Start.IsZero() {
		if soon := a.Start.Add(-StartLimit + 1); rule == 0 || soon.Before(at) {
			at, rule = soon, StartSoon
		}
	}
	return at, rule, rule != 0
}
