package sandbox

import (
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// The availability the server offers, in each area's own time zone (our
// decisions): slotDays days from start_date, each with two-hour windows
// starting at slotHours, never one that has started. Slots have no
// capacity to run out of: any number of orders may book one.
const (
	slotDays     = 7
	slotLength   = 2 * time.Hour
	slotCapacity = 1
)

var slotHours = [...]int{8, 10, 12, 14, 16}

// bookingKey is what a booking key stands for: a slot with a provider in
// an area, until it expires.
type bookingKey struct {
	provider   provider.Provider
	zip        string
	start, end time.Time
	expires    time.Time
}

// availability is the response of the availability endpoint.
type availability struct {
	Slots    []daySlots `json:"slots"`
	Timezone string     `json:"timezone"`
}

type daySlots struct {
	Date  string     `json:"date"`
	Slots []timeSlot `json:"slots"`
}

type timeSlot struct {
	BookingKey               string  `json:"booking_key"`
	Start                    string  `json:"start"`
	End                      string  `json:"end"`
	ExpiresAt                string  `json:"expires_at"`
	Price                    float64 `json:"price"`
	IsPriority               bool    `json:"is_priority"`
	NumAppointmentsAvailable int     `json:"num_appointments_available"`
}

// wireTime writes an instant as Junction's slot and appointment times are
// written: RFC 3339 in UTC.
func wireTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// tierOf returns the tiers p offers, in tier order.
func tierOf(p provider.Provider) []tier.Tier {
	var out []tier.Tier
	for _, t := range tier.All() {
		if p.Offers(t) {
			out = append(out, t)
		}
	}
	return out
}

// window is a slot's time: its start and end.
type window struct{ start, end time.Time }

// windows returns the slots of area a from the day from (in the area's
// zone) on, for slotDays days, that start after now.
func windows(a *Area, from, now time.Time) []window {
	var out []window
	y, m, d := from.In(a.zone).Date()
	for day := range slotDays {
		for _, h := range slotHours {
			start := time.Date(y, m, d+day, h, 0, 0, 0, a.zone).UTC()
			end := start.Add(slotLength)
			if start.After(now) && end.Year() <= 9999 {
				out = append(out, window{start, end})
			}
		}
	}
	return out
}

// slots returns the availability of area a for the appointment-ready
// provider p, from the day from on, at now: the windows of [windows], by
// day, each with a new booking key that expires ttl after now. newKey
// stores a key and returns its text.
func slots(a *Area, p provider.Provider, from, now time.Time, ttl time.Duration, newKey func(bookingKey) string) availability {
	out := availability{Slots: []daySlots{}, Timezone: a.TimeZone}
	for _, w := range windows(a, from, now) {
		date := w.start.In(a.zone).Format(time.DateOnly)
		if n := len(out.Slots); n == 0 || out.Slots[n-1].Date != date {
			out.Slots = append(out.Slots, daySlots{Date: date, Slots: []timeSlot{}})
		}
		k := bookingKey{provider: p, zip: a.ZipCode, start: w.start, end: w.end, expires: now.Add(ttl)}
		day := &out.Slots[len(out.Slots)-1]
		day.Slots = append(day.Slots, timeSlot{
			BookingKey: newKey(k), Start: wireTime(w.start), End: wireTime(w.end), ExpiresAt: wireTime(k.expires),
			NumAppointmentsAvailable: slotCapacity,
		})
	}
	return out
}

// mix is SplitMix64's finaliser: a bijection that makes a counter look
// random, so that ids and keys are unique and the same on every run.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uuidOf returns a version-4-shaped UUID made from n and a kind, unique for
// each (kind, n).
func uuidOf(kind byte, n uint64) string {
	hi, lo := mix(n<<8|uint64(kind)), mix(^(n<<8 | uint64(kind)))
	var b [16]byte
	for i := range 8 {
		b[i], b[8+i] = byte(hi>>(8*i)), byte(lo>>(8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0x0f])
	}
	return string(out)
}

// isUUID reports whether s has the shape of a UUID: 32 hexadecimal digits
// in groups of 8, 4, 4, 4 and 12 joined by hyphens.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// keyText returns the text of the n-th booking key.
func keyText(n uint64) string {
	return "bk_" + strconv.FormatUint(mix(n), 36)
}
