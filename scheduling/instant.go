package scheduling

import (
	"time"

	"github.com/phlebkit/phlebkit/order"
)

// The instants this package can store: those whose year, in UTC, is 0000 to
// 9999, the years an RFC 3339 timestamp can write. Junction's appointment
// JSON writes start_at and end_at that way.
var (
	firstUnix = time.Date(0, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	endUnix   = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// storable reports whether t can be written as an RFC 3339 timestamp in UTC:
// its year in UTC is 0000 to 9999. The zero time.Time is storable.
func storable(t time.Time) bool {
	sec := t.Unix() // rounded down: the nanoseconds cannot carry t into another year
	return firstUnix <= sec && sec < endUnix
}

// storableSlot returns an [ErrSlot] error when start or end is not
// [storable], and nil otherwise.
func storableSlot(start, end time.Time) error {
	field, t := "start_at", start
	if storable(start) {
		if storable(end) {
			return nil
		}
		field, t = "end_at", end
	}
	return slotError(field, t, "outside the years 0000 to 9999")
}

// inRange returns a *[RuleError] wrapping [ErrRange] for field when t is not [storable], and
// nil otherwise.
func inRange(field string, t time.Time) error {
	if storable(t) {
		return nil
	}
	return rangeError(field, t)
}

// dateInRange returns a *[RuleError] wrapping [ErrRange] for field when d is neither zero nor
// a valid date ([order.Date.IsValid]), and nil otherwise.
func dateInRange(field string, d order.Date) error {
	if d.IsZero() || d.IsValid() {
		return nil
	}
	return &RuleError{Field: field, Value: d, Problem: field + " " + d.String() + " is not a valid date", Err: ErrRange}
}
