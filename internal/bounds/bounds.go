// Package bounds holds the bounds Junction's API sets on the values of a
// request, which package junction checks before it sends one and package
// sandbox checks as Junction does, so that the two agree.
package bounds

import "strconv"

// The book endpoint's confirmation timeouts, in milliseconds, and the
// defaults Junction takes for an absent one (its
// AppointmentBookingRequest).
const (
	MinSyncTimeoutMS      = 1000
	MaxSyncTimeoutMS      = 10_000
	DefaultSyncTimeoutMS  = 2500
	MinAsyncTimeoutMS     = 60_000
	MaxAsyncTimeoutMS     = 172_800_000
	DefaultAsyncTimeoutMS = 15 * 60 * 1000
)

// OutOfRange returns the message Junction gives for a number outside lo to
// hi.
func OutOfRange(lo, hi int64) string {
	return "ensure this value is between " + strconv.FormatInt(lo, 10) + " and " + strconv.FormatInt(hi, 10)
}
