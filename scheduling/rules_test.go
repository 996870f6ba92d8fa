package scheduling

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestAgeOn(t *testing.T) {
	for _, c := range []struct {
		name       string
		birth, day time.Time
		age        int
	}{
		{"day before 18th birthday", date(2008, 3, 2), date(2026, 3, 1), 17},
		{"18th birthday", date(2008, 3, 2), date(2026, 3, 2), 18},
		{"day after", date(2008, 3, 2), date(2026, 3, 3), 18},
		{"month before", date(2008, 3, 2), date(2026, 2, 28), 17},
		{"end of year before", date(2008, 12, 31), date(2026, 12, 30), 17},
		{"end of year", date(2008, 12, 31), date(2026, 12, 31), 18},
		{"29 Feb, common year, 28 Feb", date(2008, 2, 29), date(2026, 2, 28), 17},
		{"29 Feb, common year, 1 Mar", date(2008, 2, 29), date(2026, 3, 1), 18},
		{"29 Feb, leap year, 28 Feb", date(2004, 2, 29), date(2024, 2, 28), 19},
		{"29 Feb, leap year, 29 Feb", date(2004, 2, 29), date(2024, 2, 29), 20},
		{"29 Feb, 2100 is common", date(2080, 2, 29), date(2100, 2, 28), 19},
		{"29 Feb, 2100 is common, 1 Mar", date(2080, 2, 29), date(2100, 3, 1), 20},
		{"29 Feb, 1900 is common", date(1896, 2, 29), date(1900, 2, 28), 3},
		{"29 Feb, 1900 is common, 1 Mar", date(1896, 2, 29), date(1900, 3, 1), 4},
		{"29 Feb, 2000 is leap, 28 Feb", date(1980, 2, 29), date(2000, 2, 28), 19},
		{"29 Feb, 2000 is leap, 29 Feb", date(1980, 2, 29), date(2000, 2, 29), 20},
		{"29 Feb, 2400 is leap, 29 Feb", date(2396, 2, 29), date(2400, 2, 29), 4},
		{"29 Feb, 2028 is leap, 28 Feb", date(2008, 2, 29), date(2028, 2, 28), 19},
		{"29 Feb, 2028 is leap, 29 Feb", date(2008, 2, 29), date(2028, 2, 29), 20},
		{"other February birthday, day after", date(2008, 2, 10), date(2026, 2, 20), 18},
		{"28 Feb birthday, common year", date(2008, 2, 28), date(2026, 2, 28), 18},
		{"28 Feb birthday, leap year, 29 Feb", date(2008, 2, 28), date(2028, 2, 29), 20},
		{"29th of another month", date(2008, 1, 29), date(2026, 2, 1), 18},
		{"29th of another month, day before", date(2008, 1, 29), date(2026, 1, 28), 17},
		{"later month, common year", date(2008, 5, 10), date(2026, 4, 1), 17},
		{"1 March birthday, common year, 28 Feb", date(2008, 3, 1), date(2026, 2, 28), 17},
		{"born on the day", date(2026, 5, 1), date(2026, 5, 1), 0},
		{"before birth", date(2026, 5, 1), date(2026, 4, 30), -1},
		{"clock ignored", time.Date(2008, 3, 2, 23, 59, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 1, 0, time.UTC), 18},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.age, AgeOn(order.DateOf(c.birth), c.day))
			err := CheckAge(order.DateOf(c.birth), c.day)
			if c.age >= 18 {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUnderage)
			re := ruleError(t, err, ErrUnderage)
			assert.Equal(t, "dob", re.Field)
			assert.Equal(t, order.DateOf(c.birth), re.Value)
		})
	}
	err := CheckAge(dob(2008, 3, 2), date(2026, 3, 1))
	assert.EqualError(t, err, "scheduling: patient under 18: 17 on 2026-03-01 (born 2008-03-02)")
	err = CheckAge(order.Date{}, date(2026, 3, 1))
	assert.ErrorIs(t, err, ErrUnderage)
	assert.EqualError(t, err, "scheduling: patient under 18: no date of birth")
}

// ageByCalendar is AgeOn written the long way, as a reference: whole
// years, with the birthday of someone born on 29 February moved to 1 March
// in common years by the Gregorian leap-year rule.
func ageByCalendar(birth, day time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := day.Date()
	leap := y%4 == 0 && (y%100 != 0 || y%400 == 0)
	if bm == time.February && bd == 29 && !leap {
		bm, bd = time.March, 1
	}
	age := y - by
	if m < bm || m == bm && d < bd {
		age--
	}
	return age
}

func TestAgeAgreesWithCalendar(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var birth time.Time
		if rapid.Bool().Draw(t, "leapling") {
			birth = date(4*rapid.IntRange(400, 600).Draw(t, "leap year"), 2, 29)
			if birth.Day() != 29 {
				birth = date(2000, 2, 29)
			}
		} else {
			birth = date(1600, 1, 1).AddDate(0, 0, rapid.IntRange(0, 300000).Draw(t, "birth"))
		}
		day := birth.AddDate(0, 0, rapid.IntRange(-400, 150000).Draw(t, "day"))
		require.Equal(t, ageByCalendar(birth, day), AgeOn(order.DateOf(birth), day), "born %v, on %v", birth, day)
	})
}

func TestAgeIsMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		birth := date(1900, 1, 1).AddDate(0, 0, rapid.IntRange(0, 60000).Draw(t, "birth"))
		day := birth.AddDate(0, 0, rapid.IntRange(0, 40000).Draw(t, "day"))
		next := day.AddDate(0, 0, 1)
		a, b := AgeOn(order.DateOf(birth), day), AgeOn(order.DateOf(birth), next)
		require.True(t, b == a || b == a+1, "age went from %d to %d", a, b)
		require.Equal(t, day.Year()-birth.Year()-1 <= a && a <= day.Year()-birth.Year(), true)
	})
}

// usAddress is an address in the test tables: a first line and a zip code
// in an otherwise complete address.
func usAddress(line, city, state, zip string) order.Address {
	return order.Address{FirstLine: line, City: city, State: state, ZipCode: zip}
}

// addressFields returns the fields ValidateAddress finds at fault, in order.
func addressFields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	require.ErrorIs(t, err, ErrAddress)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		fields = append(fields, ruleError(t, e, ErrAddress).Field)
	}
	return fields
}

// TestValidateAddressUS runs ValidateAddress over real US addresses and the
// forms of USPS Publication 28, each accepted or refused for the reason
// given.
func TestValidateAddressUS(t *testing.T) {
	for _, c := range []struct {
		why     string
		address order.Address
		refused []string // the fields at fault; none when accepted
	}{
		// Accepted.
		{"plain number (the White House)", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "20500"), nil},
		{"ZIP+4 (the White House)", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "20500-0003"), nil},
		{"plain number (Empire State Building)", usAddress("350 Fifth Avenue", "New York", "NY", "10118"), nil},
		{"one-digit number (Apple Park)", usAddress("1 Apple Park Way", "Cupertino", "CA", "95014"), nil},
		{"direction after the number (Willis Tower)", usAddress("233 S Wacker Dr", "Chicago", "IL", "60606"), nil},
		{"Queens-style hyphen (Museum of the Moving Image)", usAddress("36-01 35th Avenue", "Astoria", "NY", "11106"), nil},
		{"Wisconsin grid number", usAddress("N89W16758 Appleton Ave", "Menomonee Falls", "WI", "53051"), nil},
		{"grid number, one coordinate (Publication 28)", usAddress("W5678 County Road K", "Sheboygan", "WI", "53083"), nil},
		{"fraction after the number (Publication 28)", usAddress("123½ Main St", "Springfield", "IL", "62701"), nil},
		{"fraction as its own word (Publication 28)", usAddress("123 1/2 Main St", "Springfield", "IL", "62701"), nil},
		{"range of numbers", usAddress("1200-1210 Broadway", "New York", "NY", "10001"), nil},
		{"number with a letter", usAddress("12B Baker Street", "Phoenix", "AZ", "85004"), nil},
		{"tab after the number", usAddress("11\tWall Street", "New York", "NY", "10005"), nil},
		{"no-break space after the number", usAddress("11\u00a0Wall Street", "New York", "NY", "10005"), nil},
		{"ideographic space after the number", usAddress("11\u3000Wall Street", "New York", "NY", "10005"), nil},
		{"white space around the line", usAddress("\u2003 4059 Mt Lee Dr \n", "Los Angeles", "CA", "90068"), nil},
		{"comma after the number", usAddress("7, Elm Road", "Phoenix", "AZ", "85004"), nil},

		// Refused.
		{"Junction's sandbox address: the number is in the unit", usAddress("West Lincoln Street", "Phoenix", "AZ", "85004"), []string{"first_line"}},
		{"number spelled out (One World Trade Center is 285 Fulton St)", usAddress("One World Trade Center", "New York", "NY", "10007"), []string{"first_line"}},
		{"a post office box is not a place to draw blood", usAddress("PO Box 1234", "Phoenix", "AZ", "85004"), []string{"first_line"}},
		{"unit before the street", usAddress("Apt 5, 350 Fifth Avenue", "New York", "NY", "10118"), []string{"first_line"}},
		{"number after the street", usAddress("Pennsylvania Avenue NW 1600", "Washington", "DC", "20500"), []string{"first_line"}},
		{"fraction alone", usAddress("1/2 Main St", "Springfield", "IL", "62701"), []string{"first_line"}},
		{"four-digit zip code", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "2050"), []string{"zip_code"}},
		{"ZIP+4 with a short extension", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "20500-03"), []string{"zip_code"}},
		{"ZIP+4 without its hyphen", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "205000003"), []string{"zip_code"}},
		{"ZIP+4 with a space", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "20500 0003"), []string{"zip_code"}},
		{"ZIP+4 with a dash that is not a hyphen-minus", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "20500\u20130003"), []string{"zip_code"}},
		{"trailing hyphen", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "20500-"), []string{"zip_code"}},
		{"full-width digits", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "\uff12\uff10\uff15\uff10\uff10"), []string{"zip_code"}},
		{"letters in the zip code", usAddress("1600 Pennsylvania Avenue NW", "Washington", "DC", "2050O"), []string{"zip_code"}},
		{"no city", usAddress("1600 Pennsylvania Avenue NW", "", "DC", "20500"), []string{"city"}},
		{"no state", usAddress("1600 Pennsylvania Avenue NW", "Washington", " ", "20500"), []string{"state"}},
		{"white space only", usAddress("\u00a0\t", "Washington", "DC", "20500"), []string{"first_line"}},
		{"nothing", order.Address{}, []string{"first_line", "zip_code", "city", "state"}},
	} {
		t.Run(c.why, func(t *testing.T) {
			a := c.address
			before := a
			err := ValidateAddress(a)
			assert.Equal(t, before, a)
			assert.Equal(t, c.refused, addressFields(t, err), "ValidateAddress(%+v) = %v", a, err)
		})
	}
	a := usAddress("West Lincoln Street", "Phoenix", "AZ", "85004")
	assert.EqualError(t, ValidateAddress(a), "scheduling: unreachable address: first_line: no street number before the street name")
	a.FirstLine, a.ZipCode = "1 Main St", "8500"
	assert.EqualError(t, ValidateAddress(a), "scheduling: unreachable address: zip_code: not five digits or ZIP+4")
	// The unit may sit in the deprecated field; it is not required.
	a = usAddress("1 Main St", "Phoenix", "AZ", "85004")
	a.Unit = "14"
	assert.NoError(t, ValidateAddress(a))
}

// TestStreetNumber walks the edges of the street-number forms: each
// character range, each part of a grid number and of a range.
func TestStreetNumber(t *testing.T) {
	accepted := []string{
		"0", "9", "10", "19", "1234567890",
		"12a", "12z", "12A", "12Z",
		"12¼", "12½", "12¾", "12⅐", "12⅓", "12⅞",
		"N1", "S1", "E1", "W1", "n1", "s1", "e1", "w1",
		"W5678", "N89W16758", "S0E9", "n89w16758",
		"123-45", "1200-1210", "12b-14b", "W1-W3", "1½-2½",
		"7,", "123-45,", "N89W16758,",
	}
	refused := []string{
		"", ",", "-", "1-", "-1", "1-2-3", "1--2", "7,,", ",7",
		"12`", "12{", "12@", "12[", "12/", "12:", "/12", ":12",
		"12»", "12¿", "12⅏", "12⅟", "12½½", "12B½", "12½B", "12BC", "12é",
		"B", "BB12", "X1", "A1", "W", "WW1", "W1W", "W1WW1", "W1X1", "W1W1W1", "W1W1A", "W1A", "W-1",
		"1/2", "½", "12 ", "One", "#12",
	}
	for _, w := range accepted {
		assert.True(t, streetNumber(w), "streetNumber(%q) = false, want true", w)
		assert.NoError(t, ValidateAddress(usAddress(w+" Main St", "Phoenix", "AZ", "85004")), "first word %q", w)
	}
	for _, w := range refused {
		assert.False(t, streetNumber(w), "streetNumber(%q) = true, want false", w)
	}
}

// TestZipCode walks the edges of the zip code pattern ^\d{5}(-\d{4})?$.
func TestZipCode(t *testing.T) {
	for _, z := range []string{"00000", "99999", "85004", "85004-0000", "85004-9999", "01234-5678"} {
		assert.True(t, zipCode(z), "zipCode(%q) = false, want true", z)
	}
	for _, z := range []string{"", "8500", "850040", "8500/", "8500:", "/8500", ":8500", "85004-", "85004-123", "85004-12345",
		"85004/1234", "85004.1234", "85004-/123", "85004-:123", "85004-123/", "85004-123:", "8500--1234", "-85004", "8500-41234"} {
		assert.False(t, zipCode(z), "zipCode(%q) = true, want false", z)
	}
}

// streetNumberRE is the street-number grammar of ValidateAddress as a
// regular expression, to check the hand-written scanner against.
var streetNumberRE = func() *regexp.Regexp {
	part := `(?:[0-9]+(?:[A-Za-z]|[¼-¾⅐-⅞])?|[NSEWnsew][0-9]+(?:[NSEWnsew][0-9]+)?)`
	return regexp.MustCompile(`^` + part + `(?:-` + part + `)?,?$`)
}()

var zipRE = regexp.MustCompile(`^[0-9]{5}(?:-[0-9]{4})?$`)

// FuzzValidateAddress checks ValidateAddress against the same rules written
// as regular expressions: a first line whose first word (words split on any
// Unicode white space) is a street number, and a zip code of five digits
// or ZIP+4.
func FuzzValidateAddress(f *testing.F) {
	for _, s := range []string{"123 Main St.", "12B Baker Street", "1200-1210 Broadway", "West Lincoln Street", "", "-", "1-", "B", "12BC",
		"123\tMain St", "123\u00a0Main St", "W5678 Rd", "N89W16758 Appleton Ave", "123½ Main St", "123 1/2 Main St", "123-45 Queens Blvd",
		"12⅟ Main", "W1W1W1", "\xff1 Main"} {
		f.Add(s, "85004")
	}
	for _, z := range []string{"85004-1234", "85004-", "2050", "85004 1234", "\uff18\uff15\uff10\uff10\uff14"} {
		f.Add("1 Main St", z)
	}
	f.Fuzz(func(t *testing.T, line, zip string) {
		a := usAddress(line, "Phoenix", "AZ", zip)
		err := ValidateAddress(a)
		if err != nil && !errors.Is(err, ErrAddress) {
			t.Fatalf("ValidateAddress(%q, %q) = %v", line, zip, err)
		}
		words := strings.FieldsFunc(line, unicode.IsSpace)
		lineOK := len(words) > 0 && streetNumberRE.MatchString(words[0])
		if want := lineOK && zipRE.MatchString(zip); (err == nil) != want {
			t.Fatalf("ValidateAddress(%q, %q) = %v, want accepted %t", line, zip, err, want)
		}
	})
}

func TestCheckNotes(t *testing.T) {
	long := strings.Repeat("a", MaxNotes)
	wide := strings.Repeat("é", MaxNotes) // 2000 bytes, 1000 characters
	assert.NoError(t, CheckNotes(long, wide))
	assert.NoError(t, CheckNotes("", ""))
	err := CheckNotes(long+"a", wide+"é")
	require.ErrorIs(t, err, ErrNotesTooLong)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		re := ruleError(t, e, ErrNotesTooLong)
		assert.Equal(t, MaxNotes+1, re.Value)
		fields = append(fields, re.Field)
	}
	assert.Equal(t, []string{"access_notes", "appointment_notes"}, fields)
	assert.EqualError(t, CheckNotes("", long+"a"), "scheduling: notes too long: appointment_notes has 1001 characters, at most 1000")
}

func TestProviderNotes(t *testing.T) {
	addr := order.Address{AccessNotes: "Gate code #1234"}
	assert.Equal(t, ProviderNotes{"Gate code #1234", "Please bring photo ID"}, NotesForBooking(addr, "Please bring photo ID"))
	prev := appointment.Appointment{Address: addr, AppointmentNotes: "Please bring photo ID"}
	assert.Equal(t, ProviderNotes{"Gate code #1234", "Left arm"}, NotesForReschedule(prev, "Left arm"))
	assert.Equal(t, ProviderNotes{"Gate code #1234", "Please bring photo ID"}, NotesForReschedule(prev, ""))
}

func appt(id, prov string, s appointment.Status) appointment.Appointment {
	a := appointment.Appointment{ID: id, Status: s}
	if p, err := provider.Parse(prov); err == nil {
		a.Provider = p
	} else {
		a.ProviderText = prov
	}
	return a
}

func TestCheckActive(t *testing.T) {
	for _, s := range []appointment.Status{appointment.Pending, appointment.Reserved, appointment.Confirmed, appointment.InProgress} {
		err := CheckActive(provider.Getlabs, []appointment.Appointment{appt("a1", "getlabs", s)})
		require.ErrorIs(t, err, ErrActiveAppointment, "status %v", s)
		assert.NoError(t, CheckActive(provider.Phlebfinders, []appointment.Appointment{appt("a1", "getlabs", s)}), "other provider")
	}
	for _, s := range []appointment.Status{appointment.Completed, appointment.Cancelled} {
		assert.NoError(t, CheckActive(provider.Getlabs, []appointment.Appointment{appt("a1", "getlabs", s)}), "status %v", s)
	}
	// The event status wins over a stale status.
	a := appt("a1", "getlabs", appointment.Pending)
	a.EventStatus = appointment.Cancelled
	assert.NoError(t, CheckActive(provider.Getlabs, []appointment.Appointment{a}))
	assert.NoError(t, CheckActive(provider.Getlabs, nil))

	err := CheckActive(provider.Getlabs, []appointment.Appointment{
		appt("b", "getlabs", appointment.Confirmed), appt("c", "getlabs", appointment.Completed), appt("a", "getlabs", appointment.Reserved),
	})
	re := ruleError(t, err, ErrActiveAppointment)
	assert.Equal(t, []string{"a", "b"}, re.Value)
	assert.Equal(t, "existing", re.Field)
	assert.EqualError(t, err, "scheduling: active appointment exists: with getlabs: a, b")
}

func validBooking() Booking {
	return Booking{
		Tier:      tier.AppointmentReady,
		Provider:  provider.Getlabs,
		BirthDate: dob(1990, 6, 15),
		Address: order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004",
			AccessNotes: "Gate code #1234"},
		Start:            time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC),
		End:              time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC),
		AppointmentNotes: "Please bring photo ID",
	}
}

var now = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func sentinels(err error) []error {
	var out []error
	for _, s := range []error{ErrTierMismatch, ErrSlot, ErrUnderage, ErrAddress, ErrNotesTooLong, ErrActiveAppointment} {
		if errors.Is(err, s) {
			out = append(out, s)
		}
	}
	return out
}

func TestValidateBooking(t *testing.T) {
	require.NoError(t, ValidateBooking(validBooking(), now))
	req := validBooking()
	req.Tier, req.Provider, req.Start, req.End = tier.AppointmentRequest, provider.Phlebfinders, time.Time{}, time.Time{}
	require.NoError(t, ValidateBooking(req, now))

	for _, c := range []struct {
		name   string
		mutate func(*Booking)
		want   []error
	}{
		{"getlabs cannot be requested", func(b *Booking) { b.Tier, b.Start, b.End = tier.AppointmentRequest, time.Time{}, time.Time{} }, []error{ErrTierMismatch}},
		{"phlebfinders cannot be booked", func(b *Booking) { b.Provider = provider.Phlebfinders }, []error{ErrTierMismatch}},
		{"no provider", func(b *Booking) { b.Provider = 0 }, []error{ErrTierMismatch}},
		{"no tier", func(b *Booking) { b.Tier = 0 }, []error{ErrTierMismatch}},
		{"booking without start", func(b *Booking) { b.Start = time.Time{} }, []error{ErrSlot}},
		{"request with start", func(b *Booking) { b.Tier, b.Provider = tier.AppointmentRequest, provider.Phlebfinders }, []error{ErrSlot}},
		{"request with end only", func(b *Booking) {
			b.Tier, b.Provider, b.Start = tier.AppointmentRequest, provider.Phlebfinders, time.Time{}
		}, []error{ErrSlot}},
		{"no date of birth", func(b *Booking) { b.BirthDate = order.Date{} }, []error{ErrUnderage}},
		{"end before start", func(b *Booking) { b.End = b.Start.Add(-time.Hour) }, []error{ErrSlot}},
		{"start now", func(b *Booking) { b.Start, b.End = now, time.Time{} }, []error{ErrSlot}},
		{"underage on the day", func(b *Booking) { b.BirthDate = dob(2008, 11, 25) }, []error{ErrUnderage}},
		{"street name only", func(b *Booking) { b.Address.FirstLine = "West Lincoln Street" }, []error{ErrAddress}},
		{"long access notes", func(b *Booking) { b.Address.AccessNotes = strings.Repeat("x", 1001) }, []error{ErrNotesTooLong}},
		{"long appointment notes", func(b *Booking) { b.AppointmentNotes = strings.Repeat("x", 1001) }, []error{ErrNotesTooLong}},
		{"active getlabs appointment", func(b *Booking) {
			b.Existing = []appointment.Appointment{appt("x", "getlabs", appointment.Confirmed)}
		}, []error{ErrActiveAppointment}},
		{"everything at once", func(b *Booking) {
			b.Provider = provider.Phlebfinders
			b.End = b.Start
			b.BirthDate = dob(2010, 1, 1)
			b.Address.ZipCode = "1"
			b.AppointmentNotes = strings.Repeat("x", 1001)
			b.Existing = []appointment.Appointment{appt("x", "phlebfinders", appointment.Pending)}
		}, []error{ErrTierMismatch, ErrSlot, ErrUnderage, ErrAddress, ErrNotesTooLong, ErrActiveAppointment}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := validBooking()
			c.mutate(&b)
			assert.Equal(t, c.want, sentinels(ValidateBooking(b, now)))
		})
	}
}

func TestValidateBookingAgeDay(t *testing.T) {
	// 18 on 24 November: a booking that day is fine, the day before not.
	b := validBooking()
	b.BirthDate = dob(2008, 11, 24)
	assert.NoError(t, ValidateBooking(b, now))
	b.Start = time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)
	b.End = time.Time{}
	assert.ErrorIs(t, ValidateBooking(b, now), ErrUnderage)
	// 23:00 UTC on the 23rd is already the 24th in Tokyo.
	tokyo := time.FixedZone("JST", 9*60*60)
	b.TimeZone = tokyo
	assert.NoError(t, ValidateBooking(b, now))
	// A request is judged on the day of the request.
	r := Booking{Tier: tier.AppointmentRequest, Provider: provider.Phlebfinders, BirthDate: dob(2008, 11, 22), Address: b.Address}
	assert.ErrorIs(t, ValidateBooking(r, now), ErrUnderage)
	assert.NoError(t, ValidateBooking(r, now.AddDate(0, 0, 1)))
}

func TestValidateBookingIgnoresOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		statuses := []appointment.Status{appointment.Pending, appointment.Reserved, appointment.Confirmed,
			appointment.InProgress, appointment.Completed, appointment.Cancelled}
		existing := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) appointment.Appointment {
			return appt(rapid.StringMatching(`[a-z]{1,3}`).Draw(t, "id"),
				rapid.SampledFrom([]string{"getlabs", "phlebfinders", "quest"}).Draw(t, "provider"),
				rapid.SampledFrom(statuses).Draw(t, "status"))
		}), 0, 6).Draw(t, "existing")
		b := validBooking()
		b.Existing = existing
		want := ValidateBooking(b, now)
		b.Existing = rapid.Permutation(existing).Draw(t, "shuffled")
		got := ValidateBooking(b, now)
		if want == nil {
			require.NoError(t, got)
			return
		}
		require.Error(t, got)
		require.Equal(t, want.Error(), got.Error())
	})
}

func TestAutoCancelBoundaries(t *testing.T) {
	created := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	far := created.Add(72 * time.Hour)
	for _, c := range []struct {
		name string
		a    AutoCancel
		at   time.Time
		rule Rule
	}{
		{"7h59m59s after creation", AutoCancel{OrderCreatedAt: created, Start: far}, created.Add(7*time.Hour + 59*time.Minute + 59*time.Second), 0},
		{"8h after creation", AutoCancel{OrderCreatedAt: created, Start: far}, created.Add(8 * time.Hour), 0},
		{"8h+1ns after creation", AutoCancel{OrderCreatedAt: created, Start: far}, created.Add(8*time.Hour + 1), OrderAge},
		{"9h, no start", AutoCancel{OrderCreatedAt: created}, created.Add(9 * time.Hour), OrderAge},
		{"9h, scheduled order", AutoCancel{OrderCreatedAt: created, ActivateBy: order.DateOf(far), Start: far}, created.Add(9 * time.Hour), 0},
		{"9h, requisition", AutoCancel{OrderCreatedAt: created, Requisition: true}, created.Add(9 * time.Hour), 0},
		{"2h+1ns to start", AutoCancel{OrderCreatedAt: created, Start: created.Add(4 * time.Hour)}, created.Add(2*time.Hour - 1), 0},
		{"2h to start", AutoCancel{OrderCreatedAt: created, Start: created.Add(4 * time.Hour)}, created.Add(2 * time.Hour), 0},
		{"1h59m to start", AutoCancel{OrderCreatedAt: created, Start: created.Add(4 * time.Hour)}, created.Add(2*time.Hour + time.Minute), StartSoon},
		{"start passed", AutoCancel{OrderCreatedAt: created, Start: created.Add(4 * time.Hour)}, created.Add(5 * time.Hour), StartSoon},
		{"1h to start, requisition", AutoCancel{OrderCreatedAt: created, Start: created.Add(4 * time.Hour), Requisition: true}, created.Add(3 * time.Hour), 0},
		{"1h to start, scheduled order", AutoCancel{OrderCreatedAt: created, ActivateBy: order.DateOf(far), Start: created.Add(4 * time.Hour)}, created.Add(3 * time.Hour), StartSoon},
		{"both, rule 1 named", AutoCancel{OrderCreatedAt: created, Start: created.Add(9 * time.Hour)}, created.Add(8*time.Hour + time.Minute), OrderAge},
	} {
		t.Run(c.name, func(t *testing.T) {
			rule, fires := c.a.Fires(c.at)
			assert.Equal(t, c.rule, rule)
			assert.Equal(t, c.rule != 0, fires)
		})
	}
}

func TestFiresAt(t *testing.T) {
	created := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	at, rule, ok := AutoCancel{OrderCreatedAt: created}.FiresAt()
	assert.True(t, ok)
	assert.Equal(t, OrderAge, rule)
	assert.Equal(t, created.Add(8*time.Hour+1), at)

	start := created.Add(5 * time.Hour)
	at, rule, ok = AutoCancel{OrderCreatedAt: created, Start: start}.FiresAt()
	assert.True(t, ok)
	assert.Equal(t, StartSoon, rule)
	assert.Equal(t, start.Add(-2*time.Hour+1), at)

	_, _, ok = AutoCancel{OrderCreatedAt: created, ActivateBy: order.DateOf(created.Add(time.Hour))}.FiresAt()
	assert.False(t, ok, "a scheduled order without start never auto-cancels")
	_, _, ok = AutoCancel{OrderCreatedAt: created, Requisition: true, Start: start}.FiresAt()
	assert.False(t, ok)

	// A tie names rule 1.
	_, rule, _ = AutoCancel{OrderCreatedAt: created, Start: created.Add(10 * time.Hour)}.FiresAt()
	assert.Equal(t, OrderAge, rule)
}

// genAutoCancel draws an appointment around a fixed day, to the nanosecond.
func genAutoCancel(t *rapid.T) AutoCancel {
	base := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	span := int64(96 * time.Hour)
	a := AutoCancel{OrderCreatedAt: base.Add(time.Duration(rapid.Int64Range(0, span).Draw(t, "created")))}
	if rapid.Bool().Draw(t, "has start") {
		a.Start = base.Add(time.Duration(rapid.Int64Range(0, span).Draw(t, "start")))
	}
	if rapid.Bool().Draw(t, "scheduled") {
		a.ActivateBy = order.DateOf(base.Add(time.Duration(rapid.Int64Range(0, span).Draw(t, "activate_by"))))
	}
	return a
}

func TestAutoCancelProperties(t *testing.T) {
	base := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	instant := func(t *rapid.T, label string) time.Time {
		return base.Add(time.Duration(rapid.Int64Range(-int64(24*time.Hour), int64(120*time.Hour)).Draw(t, label)))
	}
	t.Run("monotone", rapid.MakeCheck(func(t *rapid.T) {
		a := genAutoCancel(t)
		t1 := instant(t, "t1")
		t2 := t1.Add(time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "later")))
		if _, fires := a.Fires(t1); fires {
			_, later := a.Fires(t2)
			require.True(t, later, "fired at %v but not at %v", t1, t2)
		}
	}))
	t.Run("FiresAt is the first instant", rapid.MakeCheck(func(t *rapid.T) {
		a := genAutoCancel(t)
		at, rule, ok := a.FiresAt()
		probe := instant(t, "probe")
		_, firesProbe := a.Fires(probe)
		if !ok {
			require.False(t, firesProbe)
			return
		}
		got, fires := a.Fires(at)
		require.True(t, fires)
		require.Equal(t, rule, got)
		_, before := a.Fires(at.Add(-1))
		require.False(t, before)
		require.Equal(t, !probe.Before(at), firesProbe, "probe %v, FiresAt %v", probe, at)
	}))
	t.Run("a requisition turns every rule off", rapid.MakeCheck(func(t *rapid.T) {
		a := genAutoCancel(t)
		a.Requisition = true
		_, fires := a.Fires(instant(t, "now"))
		require.False(t, fires)
		_, _, ok := a.FiresAt()
		require.False(t, ok)
		require.Empty(t, Deadlines(a, provider.Getlabs))
	}))
	t.Run("Deadlines agree with FiresAt", rapid.MakeCheck(func(t *rapid.T) {
		a := genAutoCancel(t)
		ds := Deadlines(a, rapid.SampledFrom([]provider.Provider{provider.Getlabs, provider.Phlebfinders}).Draw(t, "provider"))
		at, rule, ok := a.FiresAt()
		var first *Deadline
		for i := range ds {
			if ds[i].Kind != ProviderReschedule {
				first = &ds[i]
				break
			}
		}
		require.Equal(t, ok, first != nil)
		if ok {
			require.Equal(t, at, first.At)
			require.Equal(t, map[Rule]DeadlineKind{OrderAge: CancelOrderAge, StartSoon: CancelStartSoon}[rule], first.Kind)
		}
		for i := 1; i < len(ds); i++ {
			require.False(t, ds[i].At.Before(ds[i-1].At))
		}
	}))
}

func TestCheckLead(t *testing.T) {
	for _, c := range []struct {
		name string
		p    provider.Provider
		lead time.Duration
		warn bool
	}{
		{"getlabs 48h", provider.Getlabs, 48 * time.Hour, false},
		{"getlabs 49h", provider.Getlabs, 49 * time.Hour, false},
		{"getlabs 48h-1ns", provider.Getlabs, 48*time.Hour - 1, true},
		{"getlabs 24h", provider.Getlabs, 24 * time.Hour, true},
		{"phlebfinders 1h", provider.Phlebfinders, time.Hour, false},
		{"phlebfinders 1h ago", provider.Phlebfinders, -time.Hour, false},
		{"getlabs 1h ago", provider.Getlabs, -time.Hour, true},
		{"invalid provider", 0, time.Hour, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckLead(c.p, now.Add(c.lead), now)
			assert.Equal(t, c.warn, err != nil)
			if c.warn {
				re := ruleError(t, err, ErrLeadTime)
				assert.Equal(t, c.lead, re.Value)
				assert.Equal(t, "start_at", re.Field)
			}
		})
	}
	err := CheckLead(provider.Getlabs, now.Add(30*time.Hour), now)
	assert.EqualError(t, err, "scheduling: booked too close to the start: getlabs booking 30h ahead, 48h recommended")
}

func TestProviderRescheduleAt(t *testing.T) {
	start := time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	at, ok := ProviderRescheduleAt(provider.Getlabs, start)
	assert.True(t, ok)
	assert.Equal(t, start.Add(-24*time.Hour), at)
	_, ok = ProviderRescheduleAt(provider.Phlebfinders, start)
	assert.False(t, ok)
	_, ok = ProviderRescheduleAt(provider.Getlabs, time.Time{})
	assert.False(t, ok)
}

func TestDeadlines(t *testing.T) {
	created := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	kinds := func(ds []Deadline) []DeadlineKind {
		var out []DeadlineKind
		for _, d := range ds {
			out = append(out, d.Kind)
		}
		return out
	}
	// Booked 48 hours ahead: Junction's 8-hour rule comes first.
	ds := Deadlines(AutoCancel{OrderCreatedAt: created, Start: created.Add(48 * time.Hour)}, provider.Getlabs)
	assert.Equal(t, []DeadlineKind{CancelOrderAge, ProviderReschedule, CancelStartSoon}, kinds(ds))
	assert.Equal(t, created.Add(8*time.Hour+1), ds[0].At)
	assert.Equal(t, created.Add(24*time.Hour), ds[1].At)
	// A scheduled order booked 30 hours ahead: Getlabs reschedules first.
	ds = Deadlines(AutoCancel{OrderCreatedAt: created, ActivateBy: order.DateOf(created.Add(time.Hour)), Start: created.Add(30 * time.Hour)}, provider.Getlabs)
	assert.Equal(t, []DeadlineKind{ProviderReschedule, CancelStartSoon}, kinds(ds))
	ds = Deadlines(AutoCancel{OrderCreatedAt: created, Start: created.Add(4 * time.Hour)}, provider.Getlabs)
	// Booked 4 hours ahead: the Getlabs reschedule instant, 24 hours before
	// the start, is already past, and listed first; then rule 2.
	assert.Equal(t, []DeadlineKind{ProviderReschedule, CancelStartSoon, CancelOrderAge}, kinds(ds))
}

func TestRefund(t *testing.T) {
	start := time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		before time.Duration
		want   bool
	}{
		{48 * time.Hour, true},
		{24*time.Hour + 1, true},
		{24 * time.Hour, false},
		{23 * time.Hour, false},
		{0, false},
		{-time.Hour, false},
	} {
		assert.Equal(t, c.want, Refundable(start, start.Add(-c.before)), "cancelled %v before", c.before)
	}
	assert.Equal(t, start.Add(-24*time.Hour), RefundDeadline(start))
	assert.True(t, Refundable(start, RefundDeadline(start).Add(-1)))
	assert.False(t, Refundable(start, RefundDeadline(start)))
}

func TestStrings(t *testing.T) {
	assert.Equal(t, "order_age", OrderAge.String())
	assert.Equal(t, "start_soon", StartSoon.String())
	assert.Equal(t, "scheduling.Rule(0)", Rule(0).String())
	assert.Equal(t, "cancel_order_age", CancelOrderAge.String())
	assert.Equal(t, "cancel_start_soon", CancelStartSoon.String())
	assert.Equal(t, "provider_reschedule", ProviderReschedule.String())
	assert.Equal(t, "scheduling.DeadlineKind(9)", DeadlineKind(9).String())
	assert.EqualError(t, tierError(provider.Getlabs, tier.AppointmentRequest),
		"scheduling: provider does not offer tier: getlabs does not offer appointment-request")
	assert.EqualError(t, slotError("start_at", t0, "x"), "scheduling: invalid slot: x")
	assert.EqualError(t, activeError(0, []string{"a"}), "scheduling: active appointment exists: on this order: a")
	assert.EqualError(t, &RuleError{Problem: "x"}, "scheduling: x")
}

// TestValidateBookingAutoCancel checks the auto-cancellation rules in
// ValidateBooking at their boundaries, which are those of AutoCancel.Fires.
func TestValidateBookingAutoCancel(t *testing.T) {
	const ns = time.Nanosecond
	created := now.Add(-3 * time.Hour)
	pre := &PreRequisition{OrderCreatedAt: created}
	for _, c := range []struct {
		name string
		b    func() Booking
		at   time.Time // now
		rule Rule
		from time.Time
	}{
		{"no PreRequisition: the rules are not checked", func() Booking { b := validBooking(); b.Start = now.Add(time.Minute); return b }, now, 0, time.Time{}},
		{"no PreRequisition, 9h after the order", validBooking, created.Add(9 * time.Hour), 0, time.Time{}},
		{"8h-1ns after the order", func() Booking { b := validBooking(); b.PreRequisition = pre; return b }, created.Add(8*time.Hour - ns), 0, time.Time{}},
		{"8h after the order", func() Booking { b := validBooking(); b.PreRequisition = pre; return b }, created.Add(8 * time.Hour), 0, time.Time{}},
		{"8h+1ns after the order", func() Booking { b := validBooking(); b.PreRequisition = pre; return b }, created.Add(8*time.Hour + ns), OrderAge, created.Add(8*time.Hour + ns)},
		{"scheduled order, 9h after", func() Booking {
			b := validBooking()
			b.PreRequisition = &PreRequisition{OrderCreatedAt: created, ActivateBy: order.DateOf(now.AddDate(0, 1, 0))}
			return b
		}, created.Add(9 * time.Hour), 0, time.Time{}},
		{"request 8h+1ns after the order", func() Booking {
			b := validBooking()
			b.Tier, b.Provider, b.Start, b.End, b.PreRequisition = tier.AppointmentRequest, provider.Phlebfinders, time.Time{}, time.Time{}, pre
			return b
		}, created.Add(8*time.Hour + ns), OrderAge, created.Add(8*time.Hour + ns)},
		{"start 2h+1ns ahead", func() Booking {
			b := validBooking()
			b.Start, b.End, b.PreRequisition = now.Add(2*time.Hour+ns), time.Time{}, pre
			return b
		}, now, 0, time.Time{}},
		{"start 2h ahead", func() Booking {
			b := validBooking()
			b.Start, b.End, b.PreRequisition = now.Add(2*time.Hour), time.Time{}, pre
			return b
		}, now, 0, time.Time{}},
		{"start 2h-1ns ahead", func() Booking {
			b := validBooking()
			b.Start, b.End, b.PreRequisition = now.Add(2*time.Hour-ns), time.Time{}, pre
			return b
		}, now, StartSoon, now},
		{"start 90 minutes ahead", func() Booking {
			b := validBooking()
			b.Start, b.End, b.PreRequisition = now.Add(90*time.Minute), time.Time{}, pre
			return b
		}, now, StartSoon, now.Add(-30*time.Minute + ns)},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := c.b()
			err := ValidateBooking(b, c.at)
			if c.rule == 0 {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrAutoCancel)
			assertAutoCancel(t, err, c.rule, c.from)
			// The error agrees with AutoCancel.Fires.
			rule, fires := AutoCancel{OrderCreatedAt: b.PreRequisition.OrderCreatedAt, ActivateBy: b.PreRequisition.ActivateBy, Start: b.Start}.Fires(c.at)
			assert.True(t, fires)
			assert.Equal(t, c.rule, rule)
		})
	}
	err := ValidateBooking(Booking{Tier: tier.AppointmentReady, Provider: provider.Getlabs, BirthDate: dob(1990, 1, 1),
		Address: validBooking().Address, Start: now.Add(time.Hour), PreRequisition: pre}, now)
	assert.EqualError(t, err, "scheduling: would be auto-cancelled at once: start_soon holds since 2026-11-21T08:00:00.000000001Z")
}

// ruleError returns the *RuleError in err's tree that wraps sentinel.
func ruleError(t require.TestingT, err error, sentinel error) *RuleError {
	var found *RuleError
	var walk func(error) bool
	walk = func(e error) bool {
		if re, ok := e.(*RuleError); ok && re.Err == sentinel {
			found = re
			return true
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				if walk(e) {
					return true
				}
			}
		}
		if u := errors.Unwrap(e); u != nil {
			return walk(u)
		}
		return false
	}
	walk(err)
	require.NotNil(t, found, "no *RuleError wrapping %v in %v", sentinel, err)
	return found
}

// assertAutoCancel checks that err refuses an appointment that rule cancels
// from at.
func assertAutoCancel(t *testing.T, err error, rule Rule, at time.Time) {
	t.Helper()
	re := ruleError(t, err, ErrAutoCancel)
	kind, field := CancelOrderAge, "created_at"
	if rule == StartSoon {
		kind, field = CancelStartSoon, "start_at"
	}
	assert.Equal(t, Deadline{Kind: kind, At: at}, re.Value)
	assert.Equal(t, field, re.Field)
}

// TestValidateReschedule: the appointment being rescheduled does not count
// against the one-active-appointment rule; any other active one does.
func TestValidateReschedule(t *testing.T) {
	b := validBooking()
	b.Existing = []appointment.Appointment{appt("a1", "getlabs", appointment.Confirmed)}
	require.ErrorIs(t, ValidateBooking(b, now), ErrActiveAppointment, "a new booking")
	b.Rescheduling = "a1"
	assert.NoError(t, ValidateBooking(b, now), "a reschedule of a1")
	b.Rescheduling = "a2"
	assert.ErrorIs(t, ValidateBooking(b, now), ErrActiveAppointment, "a reschedule of another appointment")
	b.Rescheduling = "a1"
	b.Existing = append(b.Existing, appt("a0", "getlabs", appointment.Pending))
	err := ValidateBooking(b, now)
	assert.Equal(t, []string{"a0"}, ruleError(t, err, ErrActiveAppointment).Value)
	// The other rules still apply to the new slot.
	b.Existing = b.Existing[:1]
	b.BirthDate = dob(2008, 11, 25)
	assert.Equal(t, []error{ErrUnderage}, sentinels(ValidateBooking(b, now)))
}

// TestEnforceLead checks the lead time at its boundary, to the nanosecond:
// a warning by default, a refusal with EnforceLead.
func TestEnforceLead(t *testing.T) {
	for _, c := range []struct {
		name    string
		p       provider.Provider
		tr      tier.Tier
		lead    time.Duration
		refused bool
	}{
		{"48h less 1ns", provider.Getlabs, tier.AppointmentReady, 48*time.Hour - 1, true},
		{"48h", provider.Getlabs, tier.AppointmentReady, 48 * time.Hour, false},
		{"48h and 1ns", provider.Getlabs, tier.AppointmentReady, 48*time.Hour + 1, false},
		{"phlebfinders 1h", provider.Phlebfinders, tier.AppointmentRequest, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := validBooking()
			b.Provider, b.Tier = c.p, c.tr
			b.Start, b.End = time.Time{}, time.Time{}
			if c.lead != 0 {
				b.Start = now.Add(c.lead)
			}
			require.NoError(t, ValidateBooking(b, now), "a recommendation by default")
			b.EnforceLead = true
			err := ValidateBooking(b, now)
			if !c.refused {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrLeadTime)
			re := ruleError(t, err, ErrLeadTime)
			assert.Equal(t, c.lead, re.Value)
			assert.Equal(t, CheckLead(c.p, b.Start, now), re)
		})
	}
}

// TestPreRequisitionOf reads the pre-requisition facts from an order as
// Junction sends it, at each step of the flow.
func TestPreRequisitionOf(t *testing.T) {
	p := placeOrder()
	p.Settings = beta
	o, _ := mustPlace(p, t0)
	want := &PreRequisition{OrderCreatedAt: t0}
	assert.Equal(t, want, PreRequisitionOf(o.Snapshot()))
	booked, _ := must(t)(o.Book(book(72), at(1)))
	assert.Equal(t, want, PreRequisitionOf(booked.Snapshot()), "still ordered")
	scheduled := p
	scheduled.ActivateBy = adate(500)
	so, _ := mustPlace(scheduled, t0)
	assert.Equal(t, &PreRequisition{OrderCreatedAt: t0, ActivateBy: adate(500)}, PreRequisitionOf(so.Snapshot()))
	for name, run := range map[string]func(Flow) (Flow, []Webhook, error){
		"created":  func(o Flow) (Flow, []Webhook, error) { return o.CreateRequisition(at(2)) },
		"bypassed": func(o Flow) (Flow, []Webhook, error) { return o.BypassRequisition(at(2)) },
	} {
		r, _ := must(t)(run(booked))
		s := r.Snapshot()
		assert.Nil(t, PreRequisitionOf(s), name)
		// Only the latest entry: an order past its requisition has it.
		s.History = nil
		assert.Nil(t, PreRequisitionOf(s), name+", history left out")
		s.History, s.LastEvent = s.History[:0], order.HistoryEntry{}
		assert.NotNil(t, PreRequisitionOf(s), name+", no history at all")
	}
	// Cancelled before the requisition: still none.
	c, _ := must(t)(o.Cancel(at(1)))
	assert.NotNil(t, PreRequisitionOf(c.Snapshot()))
	// Cancelled after it.
	r, _ := must(t)(o.CreateRequisition(at(1)))
	c, _ = must(t)(r.Cancel(at(2)))
	assert.Nil(t, PreRequisitionOf(c.Snapshot()))
	// It feeds ValidateBooking: 9 hours after the order, a booking is one
	// that auto-cancellation would cancel at once.
	b := validBooking()
	b.PreRequisition = PreRequisitionOf(o.Snapshot())
	assert.ErrorIs(t, ValidateBooking(b, at(9)), ErrAutoCancel)
	b.PreRequisition = PreRequisitionOf(r.Snapshot())
	assert.NoError(t, ValidateBooking(b, at(9)))
}
