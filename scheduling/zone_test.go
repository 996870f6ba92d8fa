package scheduling

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests name IANA zones; the library leaves embedding the database to programs

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// TestPlaceTimeZone places an order for patients in many kinds of
// location, books an appointment, and checks that its iana_timezone is an
// IANA name that LocalStart can load, or that Place refuses the location.
func TestPlaceTimeZone(t *testing.T) {
	start := at(72) // 2026-11-24T09:00:00Z
	for _, c := range []struct {
		name  string
		loc   *time.Location
		zone  string // the appointment's iana_timezone; "" when refused
		local string // the start in that zone
	}{
		{"nil is UTC", nil, "UTC", "2026-11-24T09:00:00Z"},
		{"time.UTC", time.UTC, "UTC", "2026-11-24T09:00:00Z"},
		{"a fixed zone named UTC", time.FixedZone("UTC", 0), "UTC", "2026-11-24T09:00:00Z"},
		{"America/Phoenix", mustZone(t, "America/Phoenix"), "America/Phoenix", "2026-11-24T02:00:00-07:00"},
		{"America/New_York", mustZone(t, "America/New_York"), "America/New_York", "2026-11-24T04:00:00-05:00"},
		{"Pacific/Honolulu", mustZone(t, "Pacific/Honolulu"), "Pacific/Honolulu", "2026-11-23T23:00:00-10:00"},
		{"a fixed zone with an IANA name and its offsets", time.FixedZone("EST", -5*60*60), "EST", "2026-11-24T04:00:00-05:00"},
		{"a fixed zone named after a zone without summer time", time.FixedZone("America/Phoenix", -7*60*60), "America/Phoenix", "2026-11-24T02:00:00-07:00"},
		{"time.Local", time.Local, "", ""},
		{"a fixed zone without a name", time.FixedZone("", -7*60*60), "", ""},
		{"a fixed zone without a name, at UTC", time.FixedZone("", 0), "", ""},
		{"a fixed zone with a made-up name", time.FixedZone("MST7", -7*60*60), "", ""},
		{"a fixed zone with an abbreviation that is no zone", time.FixedZone("PDT", -7*60*60), "", ""},
		{"a fixed zone named EST with the wrong offset", time.FixedZone("EST", -4*60*60), "", ""},
		{"a fixed zone named after a zone with summer time", time.FixedZone("America/New_York", -5*60*60), "", ""},
		{"a fixed zone named UTC with an offset", time.FixedZone("UTC", 60*60), "", ""},
		{"a fixed zone named Local", time.FixedZone("Local", 0), "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := placeOrder()
			p.TimeZone = c.loc
			o, hooks, err := Place(p, t0)
			if c.zone == "" {
				require.ErrorIs(t, err, ErrZone)
				ze := ruleError(t, err, ErrZone)
				assert.Equal(t, c.loc.String(), ze.Value)
				assert.Equal(t, "time_zone", ze.Field)
				assert.Equal(t, Flow{}, o)
				assert.Nil(t, hooks)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.zone, o.TimeZone.String())
			want, err := loadZone(c.zone)
			require.NoError(t, err)
			assert.Same(t, want, o.TimeZone, "the zone loaded from its name")
			o, _ = must(t)(o.CreateRequisition(at(1)))
			o, _ = must(t)(o.Book(BookRequest{Provider: provider.Getlabs, Start: start}, at(2)))
			a, _ := o.Active()
			assert.Equal(t, c.zone, a.IANATimezone)
			local, err := a.LocalStart()
			require.NoError(t, err)
			assert.Equal(t, c.local, local.Format(time.RFC3339))
		})
	}
}

// TestBookTimeZone books on orders whose patient's location was set by
// hand, without Place: the appointment still gets an IANA name, or the
// booking is refused.
func TestBookTimeZone(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	for _, c := range []struct {
		loc  *time.Location
		zone string
	}{
		{nil, "UTC"},
		{mustZone(t, "Europe/Paris"), "Europe/Paris"},
		{time.FixedZone("EST", -5*60*60), "EST"},
		{time.Local, ""},
		{time.FixedZone("EST", -4*60*60), ""},
	} {
		o := o
		o.TimeZone = c.loc
		next, hooks, err := o.Book(book(72), at(2))
		if c.zone == "" {
			require.ErrorIs(t, err, ErrZone, "location %v", c.loc)
			assert.Nil(t, hooks)
			continue
		}
		require.NoError(t, err, "location %v", c.loc)
		a, _ := next.Active()
		assert.Equal(t, c.zone, a.IANATimezone)
		_, err = a.LocalStart()
		assert.NoError(t, err)
	}
	// Every reason at once.
	o.TimeZone = time.Local
	_, _, err := o.Book(book(1), at(2))
	assert.ErrorIs(t, err, ErrZone)
	assert.ErrorIs(t, err, ErrSlot)
}

func TestZoneErrors(t *testing.T) {
	_, err := ianaZone(time.FixedZone("Mars/Olympus_Mons", 0))
	ze := ruleError(t, err, ErrZone)
	assert.Error(t, ze.Cause, "time.LoadLocation's error")
	assert.ErrorIs(t, err, ze.Cause)
	assert.EqualError(t, err, `scheduling: no IANA time zone: "Mars/Olympus_Mons": unknown to the zone database`)
	_, err = ianaZone(time.Local)
	assert.EqualError(t, err, `scheduling: no IANA time zone: "Local": not an IANA name`)
	assert.Len(t, err.(*RuleError).Unwrap(), 1)
	// The first probe that differs is named: New York is on summer time
	// in July.
	_, err = ianaZone(time.FixedZone("America/New_York", -5*60*60))
	assert.EqualError(t, err, `scheduling: no IANA time zone: "America/New_York": offset differs from the IANA zone on 1970-07-01`)
	// Moscow's offset has been +3 since 2014 only.
	_, err = ianaZone(time.FixedZone("Europe/Moscow", 3*60*60))
	assert.ErrorIs(t, err, ErrZone)
	assert.Len(t, zoneProbes, 2*(2037-1970+1))
	assert.Equal(t, time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC).Unix(), zoneProbes[0])
	assert.Equal(t, time.Date(2037, 7, 1, 12, 0, 0, 0, time.UTC).Unix(), zoneProbes[len(zoneProbes)-1])
}

// TestPlaceRange refuses instants an order could not store, with every
// reason at once, and stores the rest normalised.
func TestPlaceRange(t *testing.T) {
	y10k := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	p := placeOrder()
	p.Patient.DOB, p.ActivateBy, p.Settings = dob(2023, 13, 40), order.DateOf(y10k), beta
	_, hooks, err := Place(p, y10k)
	assert.Nil(t, hooks)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		fields = append(fields, ruleError(t, e, ErrRange).Field)
	}
	assert.Equal(t, []string{"now", "activate_by", "dob"}, fields)
	assert.EqualError(t, rangeError("now", y10k),
		"scheduling: instant out of range: now 10000-01-01T00:00:00Z is outside the years 0000 to 9999")
	assert.EqualError(t, dateInRange("dob", dob(2023, 13, 40)),
		"scheduling: instant out of range: dob 2023-13-40 is not a valid date")

	_, _, err = Place(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}, time.Date(-1, 12, 31, 23, 59, 0, 0, time.UTC))
	assert.ErrorIs(t, err, ErrRange, "before the year 0")
	_, _, err = Place(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}, y10k.Add(-1))
	assert.NoError(t, err, "the last nanosecond of 9999")
	_, _, err = Place(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.NoError(t, err, "the first instant of the year 0")

	// A command dated in 10000 is refused too.
	o := place(Settings{})
	_, _, err = o.Tick(y10k)
	assert.ErrorIs(t, err, ErrRange)

	// The last valid dates are accepted.
	p = placeOrder()
	p.Patient.DOB, p.ActivateBy = dob(9999, 12, 31), dob(0, 1, 1)
	_, _, err = Place(p, t0)
	assert.NoError(t, err)

	// Instants in UTC without monotonic reading.
	p = placeOrder()
	nowMono := time.Now() // with a monotonic clock reading
	o, hooks, err = Place(p, nowMono)
	require.NoError(t, err)
	assert.Equal(t, nowMono.Round(0).UTC(), o.CreatedAt)
	assert.Equal(t, o.CreatedAt, o.Clock)
	assert.Equal(t, o.CreatedAt, hooks[0].Event().At())
	assert.Equal(t, time.UTC, o.CreatedAt.Location())
	assert.NotContains(t, o.CreatedAt.String(), "m=", "no monotonic clock reading")
	o2, _, err := Place(p, nowMono.Round(0).UTC())
	require.NoError(t, err)
	assert.Equal(t, o2, o, "the same order however its instants were given")
	_, _, err = Place(PlaceOrder{ID: "ord"}, t0)
	assert.NoError(t, err, "a missing date of birth stays missing")
}

// TestAgeInPatientZone judges the age rule on the day of the slot in the
// patient's zone: 2026-11-24T16:00Z is already 25 November in Tokyo, the
// patient's 18th birthday, but still 24 November in UTC.
func TestAgeInPatientZone(t *testing.T) {
	slot := time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	inTokyo := placeOrder()
	inTokyo.Patient.DOB = dob(2008, 11, 25)
	inTokyo.TimeZone = loadTestZone("Asia/Tokyo")
	inUTC := inTokyo
	inUTC.TimeZone = nil
	for _, c := range []struct {
		name string
		p    PlaceOrder
		ok   bool
	}{{"Tokyo", inTokyo, true}, {"UTC", inUTC, false}} {
		t.Run(c.name, func(t *testing.T) {
			o, _ := mustPlace(c.p, t0)
			o, _ = must(t)(o.CreateRequisition(at(1)))
			// A request is judged on the day it is made, when the patient
			// is 17 anywhere: make it as an 18-year-old, then check the
			// slot with the real date of birth.
			adult := o
			adult.Patient.DOB = dob(1990, 6, 15)
			requested, _ := must(t)(adult.Request(request(), at(2)))
			requested.Patient.DOB = c.p.Patient.DOB
			booked, _ := must(t)(adult.Book(book(100), at(2)))
			booked.Patient.DOB = c.p.Patient.DOB
			for name, run := range map[string]func() (Flow, []Webhook, error){
				"book": func() (Flow, []Webhook, error) {
					return o.Book(BookRequest{Provider: provider.Getlabs, Start: slot}, at(2))
				},
				"pencil in":  func() (Flow, []Webhook, error) { return requested.PencilIn(slot, time.Time{}, at(3)) },
				"reschedule": func() (Flow, []Webhook, error) { return booked.Reschedule(slot, time.Time{}, "", at(3)) },
			} {
				_, _, err := run()
				if c.ok {
					assert.NoError(t, err, name)
				} else {
					assert.ErrorIs(t, err, ErrUnderage, name)
				}
			}
		})
	}
	// An order built by hand without a location reads the day in UTC.
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	o, _ = must(t)(o.Book(book(100), at(2)))
	o.TimeZone, o.Patient.DOB = nil, dob(2008, 11, 25)
	_, _, err := o.Reschedule(slot, time.Time{}, "", at(3))
	assert.ErrorIs(t, err, ErrUnderage)
}

// TestStorable checks the bounds of the instants an order can store, to
// the nanosecond, in UTC whatever the zone they are given in.
func TestStorable(t *testing.T) {
	first := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tokyo := loadTestZone("Asia/Tokyo")
	for _, c := range []struct {
		t    time.Time
		want bool
	}{
		{first.Add(-1), false}, {first, true}, {first.Add(1), true},
		{end.Add(-1), true}, {end, false}, {end.Add(1), false},
		{end.Add(-1).In(tokyo), true}, {end.In(tokyo), false},
		{time.Time{}, true}, {t0, true},
	} {
		assert.Equal(t, c.want, storable(c.t), "storable(%v)", c.t)
	}
}
