package scheduling

import (
	"time"

	"github.com/phlebkit/phlebkit/order"
)

// MinAge is the youngest a patient may be, in whole years, on the day of an
// at-home phlebotomy appointment.
const MinAge = 18

// AgeOn returns how old, in whole years, someone born on birth is on day.
// day is read as a calendar date in its own location (its Date method);
// the clock is ignored. Birthdays are exact: the age goes up on the
// birthday itself. Someone born on 29 February has their birthday on 1 March
// in common years (our decision; the documentation does not say). AgeOn
// returns a negative age for a day before birth.
func AgeOn(birth order.Date, day time.Time) int {
	by, bm, bd := birth.Year, birth.Month, birth.Day
	y, m, d := day.Date()
	age := y - by
	// The birthday has not come yet when the day is before the birth's
	// month and day in the year. For someone born on 29 February that
	// makes the birthday 1 March in common years: no common year has a 29
	// February, so the days before it are the days before 1 March.
	if m < bm || m == bm && d < bd {
		age--
	}
	return age
}

// CheckAge reports a *[RuleError] wrapping [ErrUnderage] when someone born on
// birth is under [MinAge] on day (see [AgeOn]), and nil otherwise. A zero
// birth is a missing date of birth, which cannot show the patient is 18:
// it is refused too.
func CheckAge(birth order.Date, day time.Time) error {
	if birth.IsZero() {
		return ageError(birth, day, 0)
	}
	if age := AgeOn(birth, day); age < MinAge {
		return ageError(birth, day, age)
	}
	return nil
}
