package scheduling

import (
	"errors"
	"strings"

	"github.com/phlebkit/phlebkit/appointment"
)

// ValidateAddress reports whether a phlebotomist can reach a: the first line
// starts with a street number, the zip code has five digits, and the city
// and state are present. It returns nil, or every problem at once as
// [errors.Join] of *[AddressError] values wrapping [ErrAddress], in field
// order.
//
// A street number is the first word of the first line: digits, optionally
// followed by one letter (12B), or a range of such numbers (1200-1210); a
// trailing comma is allowed. Junction asks only for a street number and the
// unit; accepting letters and ranges, and requiring the city and state, are
// our decisions. A first line of only a street name ("West
// Lincoln Street") is refused. The unit belongs in the second line; the
// deprecated unit field is read when the second line is empty (see
// [appointment.Address.EffectiveSecondLine]); neither is required, since
// not every address has a unit.
func ValidateAddress(a appointment.Address) error {
	var errs []error
	if strings.TrimSpace(a.FirstLine) == "" {
		errs = append(errs, &AddressError{Field: "first_line", Problem: "missing"})
	} else if !hasStreetNumber(a.FirstLine) {
		errs = append(errs, &AddressError{Field: "first_line", Problem: "no street number before the street name"})
	}
	if !fiveDigits(a.ZipCode) {
		errs = append(errs, &AddressError{Field: "zip_code", Problem: "not five digits"})
	}
	if strings.TrimSpace(a.City) == "" {
		errs = append(errs, &AddressError{Field: "city", Problem: "missing"})
	}
	if strings.TrimSpace(a.State) == "" {
		errs = append(errs, &AddressError{Field: "state", Problem: "missing"})
	}
	return errors.Join(errs...)
}

// hasStreetNumber reports whether line starts with a street number.
func hasStreetNumber(line string) bool {
	word, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	word = strings.TrimSuffix(word, ",")
	lo, hi, isRange := strings.Cut(word, "-")
	if isRange {
		return houseNumber(lo) && houseNumber(hi)
	}
	return houseNumber(word)
}

// houseNumber reports whether w is digits, optionally followed by one ASCII
// letter.
func houseNumber(w string) bool {
	if n := len(w); n > 1 && isLetter(w[n-1]) {
		w = w[:n-1]
	}
	return w != "" && allDigits(w)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func fiveDigits(s string) bool { return len(s) == 5 && allDigits(s) }
