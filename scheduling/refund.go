package scheduling

import "time"

// RefundWindow is how long before its start an appointment must be
// cancelled to be refunded: strictly more than this.
const RefundWindow = 24 * time.Hour

// Refundable reports whether cancelling at cancelAt an appointment starting
// at start is fully refunded: only when strictly more than 24 hours remain.
// Exactly 24 hours before the start, or later, it is not.
func Refundable(start, cancelAt time.Time) bool { return start.Sub(cancelAt) > RefundWindow }

// RefundDeadline returns the instant from which cancelling an appointment
// starting at start is no longer refunded: a cancellation strictly before it
// is refunded.
func RefundDeadline(start time.Time) time.Time { return start.Add(-RefundWindow) }
