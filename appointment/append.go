package appointment

import (
	"math"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

// appendJSON appends the bytes that [Appointment.MarshalJSON] returns for
// a, as its general path (marshalWire) writes them, and reports true. It
// reports false, b then extended by an unspecified amount, for any a that
// path refuses (an invalid status or provider, a time out of range, a
// coordinate that is not a number, invalid UTF-8 or invalid raw JSON) and
// for event data with members beyond origin and is_reschedule, which it
// leaves to that path.
func (a *Appointment) appendJSON(b []byte) ([]byte, bool) {
	ok := true
	str := func(name, s string) { // a member, its value a string
		b = append(b, name...)
		if ok {
			b, ok = jsonerr.AppendString(b, s)
		}
	}
	opt := func(name, s string) { // a member left out when empty
		if s != "" {
			str(name, s)
		}
	}
	num := func(name string, f float64) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			ok = false
		}
		b = jsontext.AppendFloat(append(b, name...), f, 64)
	}
	when := func(t time.Time) {
		if ok {
			b, ok = jsonerr.AppendTime(b, t)
		}
	}
	spell := func(s Status, as func(Status) string) string {
		if s == 0 {
			return ""
		}
		if !s.IsValid() {
			ok = false
		}
		return as(s)
	}

	str(`{"id":`, a.ID)
	str(`,"user_id":`, a.UserID)
	str(`,"order_id":`, a.OrderID)
	opt(`,"order_transaction_id":`, a.OrderTransactionID)
	opt(`,"external_id":`, a.ExternalID)
	b = append(b, `,"address":{`...)
	d, at := &a.Address, len(b)
	opt(`,"receiver_name":`, d.ReceiverName)
	str(`,"first_line":`, d.FirstLine)
	b = append(b[:at], b[at+1:]...) // the first member's comma
	opt(`,"second_line":`, d.SecondLine)
	opt(`,"unit":`, d.Unit)
	str(`,"city":`, d.City)
	str(`,"state":`, d.State)
	str(`,"zip_code":`, d.ZipCode)
	opt(`,"country":`, d.Country)
	opt(`,"phone_number":`, d.PhoneNumber)
	opt(`,"access_notes":`, d.AccessNotes)
	num(`},"location":{"lng":`, a.Location.Lng)
	num(`,"lat":`, a.Location.Lat)
	for i, t := range [2]time.Time{a.StartAt, a.EndAt} {
		b = append(b, [2]string{`},"start_at":`, `,"end_at":`}[i]...)
		if t.IsZero() {
			b = append(b, "null"...)
		} else {
			when(t)
		}
	}
	opt(`,"iana_timezone":`, a.IANATimezone)
	str(`,"type":`, string(a.Type))
	switch {
	case a.Provider.IsValid():
		str(`,"provider":`, a.Provider.String())
	case a.Provider != 0:
		return b, false
	default:
		str(`,"provider":`, a.ProviderText)
	}
	str(`,"status":`, spell(a.Status, Status.String))
	str(`,"event_status":`, spell(a.EventStatus, Status.EventStatus))
	str(`,"provider_id":`, a.ProviderID)
	b = strconv.AppendBool(append(b, `,"can_reschedule":`...), a.CanReschedule)
	opt(`,"appointment_notes":`, a.AppointmentNotes)
	e := &a.EventData
	for k := range e.Extra {
		if k != "origin" && k != "is_reschedule" { // other members, sorted among those two: left to the general path
			return b, false
		}
	}
	switch {
	case e.IsReschedule:
		b = append(b, `,"event_data":{"is_reschedule":true`...)
		opt(`,"origin":`, e.Origin)
		b = append(b, '}')
	case e.Origin != "":
		str(`,"event_data":{"origin":`, e.Origin)
		b = append(b, '}')
	}
	b = append(b, `,"events":[`...)
	for i := range a.History {
		h := &a.History[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"created_at":`...)
		when(h.CreatedAt)
		b = append(b, `,"data":`...)
		if len(h.Data) == 0 {
			b = append(b, "null"...)
		} else if ok {
			var err error
			b, err = jsontext.AppendFormat(b, h.Data)
			ok = err == nil
		}
		str(`,"status":`, h.Status)
		b = append(b, '}')
	}
	return append(b, "]}"...), ok
}
