package sandbox

import (
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/phlebkit/phlebkit/internal/uuid"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
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
// an area, until it expires. The key's text carries all of it (see
// [keyCodec]): the server stores no key it hands out, so that the cost of
// a call, and the memory the server holds, do not grow with the keys
// issued.
type bookingKey struct {
	provider   provider.Provider
	zip        string
	start, end time.Time
	expires    time.Time
	seq        uint64 // the key's number, so that no two keys are the same
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
func slots(a *Area, p provider.Provider, from, now time.Time, ttl time.Duration, newKey func(bookingKey) string) junction.Availability {
	out := junction.Availability{Slots: []junction.DaySlots{}, Timezone: a.TimeZone}
	for _, w := range windows(a, from, now) {
		y, m, d := w.start.In(a.zone).Date()
		date := order.Date{Year: y, Month: m, Day: d}
		if n := len(out.Slots); n == 0 || out.Slots[n-1].Date != date {
			out.Slots = append(out.Slots, junction.DaySlots{Date: date, Slots: []junction.TimeSlot{}})
		}
		k := bookingKey{provider: p, zip: a.ZipCode, start: w.start, end: w.end, expires: now.Add(ttl)}
		day := &out.Slots[len(out.Slots)-1]
		day.Slots = append(day.Slots, junction.TimeSlot{
			BookingKey: newKey(k), Start: w.start, End: w.end, ExpiresAt: k.expires,
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
	return uuid.V4(b)
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

// keyCodec writes a booking key as text and reads it back: "bk_" and the
// unpadded URL-safe base64 of the key's fields in binary and a check
// value keyed with secret, so that text the server did not write is
// refused rather than read as some slot.
type keyCodec struct{ secret uint64 }

// keyLen is the length of a booking key's binary form: the provider (1
// byte), the zip code (4), the start (8: Unix seconds), the length (4:
// seconds), the expiry (8 and 4: Unix seconds and nanoseconds), the
// sequence number (8) and the check value (8).
const keyLen = 1 + 4 + 8 + 4 + 8 + 4 + 8 + 8

// keyPrefix starts every booking key.
const keyPrefix = "bk_"

// text returns k's text.
func (c keyCodec) text(k bookingKey) string {
	b := make([]byte, 0, keyLen)
	b = append(b, byte(k.provider))
	b = binary.BigEndian.AppendUint32(b, zipNumber(k.zip))
	b = binary.BigEndian.AppendUint64(b, uint64(k.start.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(k.end.Sub(k.start)/time.Second))
	b = binary.BigEndian.AppendUint64(b, uint64(k.expires.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(k.expires.Nanosecond()))
	b = binary.BigEndian.AppendUint64(b, k.seq)
	b = binary.BigEndian.AppendUint64(b, c.check(b))
	return keyPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// parse returns the key whose text is text, and whether it is one the
// server wrote.
func (c keyCodec) parse(text string) (bookingKey, bool) {
	if len(text) != len(keyPrefix)+base64.RawURLEncoding.EncodedLen(keyLen) || text[:len(keyPrefix)] != keyPrefix {
		return bookingKey{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(text[len(keyPrefix):])
	if err != nil || binary.BigEndian.Uint64(b[keyLen-8:]) != c.check(b[:keyLen-8]) {
		return bookingKey{}, false
	}
	start := time.Unix(int64(binary.BigEndian.Uint64(b[5:])), 0).UTC()
	return bookingKey{
		provider: provider.Provider(b[0]),
		zip:      zipText(binary.BigEndian.Uint32(b[1:])),
		start:    start,
		end:      start.Add(time.Duration(binary.BigEndian.Uint32(b[13:])) * time.Second),
		expires:  time.Unix(int64(binary.BigEndian.Uint64(b[17:])), int64(binary.BigEndian.Uint32(b[25:]))).UTC(),
		seq:      binary.BigEndian.Uint64(b[29:]),
	}, true
}

// check returns the check value of a key's binary fields: each 8 bytes (the
// last ones padded with zeros) mixed into the secret in turn.
func (c keyCodec) check(b []byte) uint64 {
	h := mix(c.secret)
	for len(b) > 0 {
		var chunk [8]byte
		n := copy(chunk[:], b)
		b = b[n:]
		h = mix(h ^ binary.BigEndian.Uint64(chunk[:]))
	}
	return h
}

// zipNumber returns a five-digit zip code as a number.
func zipNumber(zip string) uint32 {
	var n uint32
	for i := range len(zip) {
		n = n*10 + uint32(zip[i]-'0')
	}
	return n
}

// zipText returns the five-digit zip code of a number from [zipNumber].
func zipText(n uint32) string {
	var b [5]byte
	for i := 4; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}
