package scheduling

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/phlebkit/phlebkit/order"
)

// ValidateAddress reports whether a phlebotomist can reach a: the first line
// starts with a street number, the zip code has five digits or is a ZIP+4,
// and the city and state are present. It returns nil, or every problem at
// once as [errors.Join] of *[RuleError] values wrapping [ErrAddress], in
// field order. It is a pure function of a.
//
// The street number is the first word of the first line, words being
// separated by any Unicode white space ("123\tMain St" and
// "123\u00a0Main St" have one). These forms of US street numbers are
// accepted (USPS Publication 28):
//
//   - digits: 123;
//   - digits and one ASCII letter: 123B;
//   - digits and one vulgar fraction character: 123½ (¼ to ¾, ⅐ to ⅞); a
//     fraction written as its own word, as in "123 1/2 Main St", follows
//     the number and is not looked at;
//   - grid numbers, as in Wisconsin and Illinois: a direction letter (N, S,
//     E or W) and digits, optionally followed by a second such pair:
//     W5678, N89W16758;
//   - two of the above joined by a hyphen: a range (1200-1210) or a
//     Queens-style number (123-45);
//
// and a comma may follow. Letters are accepted in either case. A first line
// that starts with the street name ("West Lincoln Street"), a spelled-out
// number ("One World Trade Center") or a post office box is refused.
//
// The zip code follows the pattern of Junction's USAddress.zip_code,
// ^\d{5}(-\d{4})?$, with ASCII digits; only the area-info query takes
// exactly five digits.
//
// Junction asks only for a street number and the unit; which forms count
// as a street number, and requiring the city and state, are our decisions.
// The unit belongs in the second line; the deprecated unit field is read
// when the second line is empty (see
// [order.Address.EffectiveSecondLine]); neither is required, since
// not every address has a unit. The rule is for addresses a caller sends;
// Junction's own sandbox address, "West Lincoln Street" with the number in
// the unit, is refused by it.
func ValidateAddress(a order.Address) error {
	var errs []error
	if strings.TrimSpace(a.FirstLine) == "" {
		errs = append(errs, addressError("first_line", a.FirstLine, "missing"))
	} else if !streetNumber(firstWord(a.FirstLine)) {
		errs = append(errs, addressError("first_line", a.FirstLine, "no street number before the street name"))
	}
	if !zipCode(a.ZipCode) {
		errs = append(errs, addressError("zip_code", a.ZipCode, "not five digits or ZIP+4"))
	}
	if strings.TrimSpace(a.City) == "" {
		errs = append(errs, addressError("city", a.City, "missing"))
	}
	if strings.TrimSpace(a.State) == "" {
		errs = append(errs, addressError("state", a.State, "missing"))
	}
	return errors.Join(errs...)
}

// firstWord returns the first word of line, words being separated by
// Unicode white space.
func firstWord(line string) string {
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	for i, r := range line {
		if unicode.IsSpace(r) {
			return line[:i]
		}
	}
	return line
}

// streetNumber reports whether w, a word, is a street number as
// [ValidateAddress] describes it.
func streetNumber(w string) bool {
	w = strings.TrimSuffix(w, ",")
	if lo, hi, isRange := strings.Cut(w, "-"); isRange {
		return numberPart(lo) && numberPart(hi)
	}
	return numberPart(w)
}

// numberPart reports whether w is one street number: digits with an
// optional letter or fraction, or a grid number.
func numberPart(w string) bool {
	if w != "" && gridLetter(w[0]) {
		return gridNumber(w[1:])
	}
	n := digits(w)
	if n == 0 {
		return false
	}
	suffix := w[n:]
	if len(suffix) == 1 {
		return letter(suffix[0])
	}
	r, size := utf8.DecodeRuneInString(suffix)
	return size == len(suffix) && (size == 0 || fraction(r))
}

// gridNumber reports whether w is what follows the first direction letter
// of a grid number: digits, optionally followed by a second direction
// letter and digits.
func gridNumber(w string) bool {
	n := digits(w)
	if n == 0 {
		return false
	}
	rest := w[n:]
	if rest == "" {
		return true
	}
	return gridLetter(rest[0]) && digits(rest[1:]) == len(rest)-1 && len(rest) > 1
}

// digits returns how many ASCII digits s starts with.
func digits(s string) int {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return i
		}
	}
	return len(s)
}

func letter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func gridLetter(c byte) bool {
	switch c {
	case 'N', 'S', 'E', 'W', 'n', 's', 'e', 'w':
		return true
	}
	return false
}

// fraction reports whether r is a vulgar fraction: ¼, ½, ¾ or ⅐ to ⅞.
func fraction(r rune) bool { return '¼' <= r && r <= '¾' || '⅐' <= r && r <= '⅞' }

// zipCode reports whether s matches ^\d{5}(-\d{4})?$ with ASCII digits.
func zipCode(s string) bool {
	switch len(s) {
	case 5:
		return digits(s) == 5
	case 10:
		return digits(s) == 5 && s[5] == '-' && digits(s[6:]) == 4
	}
	return false
}
