package scheduling

import (
	"sync"
	"time"
)

// zoneCache caches the locations loaded by [loadZone], by IANA name. A
// *time.Location never changes once loaded, so sharing one is safe; the
// cache holds only names time.LoadLocation accepted, a set bounded by the
// zone database. It spares a read of the zone database for every order
// placed or decoded, and makes every order in one zone hold the same
// location.
var zoneCache sync.Map // string → *time.Location

// loadZone returns time.LoadLocation(name), from the cache when it can.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zoneCache.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	cached, _ := zoneCache.LoadOrStore(name, loc)
	return cached.(*time.Location), nil
}

// zoneProbes are the instants at which [ianaZone] compares a location with
// the IANA zone of the same name: 1 January and 1 July at noon UTC of every
// year from 1970 to 2037, winter and summer over the span that zone files
// describe transition by transition.
var zoneProbes = func() []int64 {
	var ps []int64
	for y := 1970; y <= 2037; y++ {
		for _, m := range []time.Month{time.January, time.July} {
			ps = append(ps, time.Date(y, m, 1, 12, 0, 0, 0, time.UTC).Unix())
		}
	}
	return ps
}()

// ianaZone returns the zone loaded from loc's IANA name, which then stands
// for loc: time.UTC for nil (which this package reads as UTC). It returns
// a *[RuleError] wrapping [ErrZone] when loc has no IANA name: its name is "" or "Local" (the
// machine's zone, which another machine reads differently), time.LoadLocation
// does not know it, or the zone it loads gives a different UTC offset than
// loc on one of [zoneProbes] (a time.FixedZone named "EST" with an offset of
// -4 hours).
func ianaZone(loc *time.Location) (*time.Location, error) {
	if loc == nil || loc == time.UTC {
		return time.UTC, nil
	}
	name := loc.String()
	iana, err := zoneByName(name)
	if err != nil {
		return nil, err
	}
	if iana == loc {
		return iana, nil
	}
	for _, sec := range zoneProbes {
		t := time.Unix(sec, 0)
		_, want := t.In(iana).Zone()
		if _, got := t.In(loc).Zone(); got != want {
			return nil, zoneError(name, "offset differs from the IANA zone on "+t.UTC().Format(time.DateOnly), nil)
		}
	}
	return iana, nil
}

// zoneByName loads the IANA zone name, from the cache when it can. It
// returns a *[RuleError] wrapping [ErrZone] for "" and "Local", which time.LoadLocation reads
// as UTC and as the machine's zone, and for a name the zone database does
// not know.
func zoneByName(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, zoneError(name, "not an IANA name", nil)
	}
	loc, err := loadZone(name)
	if err != nil {
		return nil, zoneError(name, "unknown to the zone database", err)
	}
	return loc, nil
}
