package order

import (
	"math"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

// appendJSON appends the bytes that json.Marshal writes for o through
// [Order.MarshalJSONTo]'s general path (wire, then the json package), and
// reports true. It reports false, b then extended by an unspecified
// amount, for any o that path refuses (an invalid status, date or time,
// invalid UTF-8, a price that is not a number); the general path then
// reports its error. It allocates nothing beyond b.
func (o *Order) appendJSON(b []byte) ([]byte, bool) {
	ok := true
	str := func(name, s string) { // a member, its value a string
		b = append(b, name...)
		if ok {
			b, ok = jsonerr.AppendString(b, s)
		}
	}
	txt := func(name, s string) { // a member, its value a string or null when empty
		if s == "" {
			b = append(append(b, name...), "null"...)
		} else {
			str(name, s)
		}
	}
	when := func(name string, t time.Time) { // a member, its value a stamp
		b = append(b, name...)
		if ok {
			b, ok = jsonerr.AppendTime(b, t)
		}
	}
	status := func(s Status, text string, spell func(Status) string) string {
		if s == 0 {
			return text
		}
		if !s.IsValid() {
			ok = false
		}
		return spell(s)
	}
	entry := func(h *HistoryEntry) {
		b = strconv.AppendInt(append(b, `{"id":`...), h.ID, 10)
		when(`,"created_at":`, h.CreatedAt)
		str(`,"status":`, status(h.Status, h.StatusText, Status.Full))
		if h.Detail != "" {
			str(`,"status_detail":`, h.Detail)
		}
		b = append(b, '}')
	}
	address := func(a *Address) { // in the order's form: zip, and null when zero
		if *a == (Address{}) {
			b = append(b, "null"...)
			return
		}
		str(`{"receiver_name":`, a.ReceiverName)
		str(`,"first_line":`, a.FirstLine)
		str(`,"second_line":`, a.SecondLine)
		if a.Unit != "" {
			str(`,"unit":`, a.Unit)
		}
		str(`,"city":`, a.City)
		str(`,"state":`, a.State)
		str(`,"zip":`, a.ZipCode)
		str(`,"country":`, a.Country)
		str(`,"phone_number":`, a.PhoneNumber)
		if a.AccessNotes != "" {
			str(`,"access_notes":`, a.AccessNotes)
		}
		b = append(b, '}')
	}

	str(`{"id":`, o.ID)
	str(`,"team_id":`, o.TeamID)
	str(`,"user_id":`, o.UserID)
	b = append(b, `,"patient_details":`...)
	if p := &o.Patient; *p == (Patient{}) {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"dob":"`...)
		if !p.DOB.IsZero() {
			if !p.DOB.IsValid() {
				return b, false
			}
			b = append(p.DOB.appendText(b), "T00:00:00+00:00"...)
		}
		str(`","gender":`, p.Gender)
		str(`,"first_name":`, p.FirstName)
		str(`,"last_name":`, p.LastName)
		str(`,"phone_number":`, p.PhoneNumber)
		str(`,"email":`, p.Email)
		b = append(b, '}')
	}
	b = append(b, `,"patient_address":`...)
	address(&o.Address)
	t := &o.LabTest
	if math.IsNaN(t.Price) || math.IsInf(t.Price, 0) {
		return b, false
	}
	str(`,"lab_test":{"id":`, t.ID)
	str(`,"slug":`, t.Slug)
	str(`,"name":`, t.Name)
	str(`,"sample_type":`, t.SampleType)
	str(`,"method":`, string(t.Method))
	b = strconv.AppendBool(append(b, `,"fasting":`...), t.Fasting)
	b = jsontext.AppendFloat(append(b, `,"price":`...), t.Price, 64)
	b = strconv.AppendBool(append(b, `,"is_active":`...), t.IsActive)
	str(`,"status":`, t.Status)
	d := &o.Details
	str(`,"lab":null,"markers":null},"details":{"type":`, string(d.Type))
	b = append(b, `,"data":`...)
	if !o.IsPhlebotomy() || d.ID == "" && d.AppointmentID == "" && d.CreatedAt == (time.Time{}) && d.UpdatedAt == (time.Time{}) {
		b = append(b, "null"...)
	} else {
		str(`{"id":`, d.ID)
		txt(`,"appointment_id":`, d.AppointmentID)
		when(`,"created_at":`, d.CreatedAt)
		when(`,"updated_at":`, d.UpdatedAt)
		b = append(b, '}')
	}
	txt(`},"sample_id":`, o.SampleID)
	txt(`,"notes":`, o.Notes)
	when(`,"created_at":`, o.CreatedAt)
	when(`,"updated_at":`, o.UpdatedAt)
	b = append(b, `,"events":[`...)
	for i := range o.History {
		if i > 0 {
			b = append(b, ',')
		}
		entry(&o.History[i])
	}
	b = append(b, `],"last_event":`...)
	entry(&o.LastEvent)
	if h := o.HighLevel; h == 0 {
		txt(`,"status":`, o.HighLevelText)
	} else if !h.valid() {
		return b, false
	} else {
		str(`,"status":`, highLevelNames[h])
	}
	txt(`,"health_insurance_id":`, o.HealthInsuranceID)
	txt(`,"requisition_form_url":`, o.RequisitionFormURL)
	b = append(b, `,"shipping_details":`...)
	address(&o.ShippingDetails)
	b = strconv.AppendBool(append(b, `,"has_abn":`...), o.HasABN)
	b = append(b, `,"activate_by":`...)
	switch a := o.ActivateBy; {
	case a.IsZero():
		b = append(b, "null"...)
	case !a.IsValid():
		return b, false
	default:
		b = append(a.appendText(append(b, '"')), '"')
	}
	txt(`,"origin":`, o.Origin)
	b = append(b, `,"order_transaction":`...)
	if x := &o.Transaction; x.ID == "" && x.Status == "" && len(x.Orders) == 0 {
		b = append(b, "null"...)
	} else {
		str(`{"id":`, x.ID)
		str(`,"status":`, x.Status)
		b = append(b, `,"orders":[`...)
		for i := range x.Orders {
			v := &x.Orders[i]
			if i > 0 {
				b = append(b, ',')
			}
			str(`{"id":`, v.ID)
			txt(`,"low_level_status":`, status(v.Status, v.StatusText, Status.String))
			if v.StatusCreatedAt.IsZero() {
				b = append(b, `,"low_level_status_created_at":null`...)
			} else {
				when(`,"low_level_status_created_at":`, v.StatusCreatedAt)
			}
			txt(`,"origin":`, v.Origin)
			txt(`,"parent_id":`, v.ParentID)
			when(`,"created_at":`, v.CreatedAt)
			when(`,"updated_at":`, v.UpdatedAt)
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	return append(b, '}'), ok
}
