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
	str := func(s string) { // a string member's value
		if ok {
			b, ok = jsonerr.AppendString(b, s)
		}
	}
	txt := func(s string) { // a text member's value: null when empty
		if s == "" {
			b = append(b, "null"...)
		} else {
			str(s)
		}
	}
	when := func(t time.Time) { // a stamp
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
		b = append(b, `,"created_at":`...)
		when(h.CreatedAt)
		b = append(b, `,"status":`...)
		str(status(h.Status, h.StatusText, Status.Full))
		if h.Detail != "" {
			b = append(b, `,"status_detail":`...)
			str(h.Detail)
		}
		b = append(b, '}')
	}
	address := func(a *Address) { // in the order's form: zip, and null when zero
		if *a == (Address{}) {
			b = append(b, "null"...)
			return
		}
		b = append(b, `{"receiver_name":`...)
		str(a.ReceiverName)
		b = append(b, `,"first_line":`...)
		str(a.FirstLine)
		b = append(b, `,"second_line":`...)
		str(a.SecondLine)
		if a.Unit != "" {
			b = append(b, `,"unit":`...)
			str(a.Unit)
		}
		b = append(b, `,"city":`...)
		str(a.City)
		b = append(b, `,"state":`...)
		str(a.State)
		b = append(b, `,"zip":`...)
		str(a.ZipCode)
		b = append(b, `,"country":`...)
		str(a.Country)
		b = append(b, `,"phone_number":`...)
		str(a.PhoneNumber)
		if a.AccessNotes != "" {
			b = append(b, `,"access_notes":`...)
			str(a.AccessNotes)
		}
		b = append(b, '}')
	}

	b = append(b, `{"id":`...)
	str(o.ID)
	b = append(b, `,"team_id":`...)
	str(o.TeamID)
	b = append(b, `,"user_id":`...)
	str(o.UserID)
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
		b = append(b, `","gender":`...)
		str(p.Gender)
		b = append(b, `,"first_name":`...)
		str(p.FirstName)
		b = append(b, `,"last_name":`...)
		str(p.LastName)
		b = append(b, `,"phone_number":`...)
		str(p.PhoneNumber)
		b = append(b, `,"email":`...)
		str(p.Email)
		b = append(b, '}')
	}
	b = append(b, `,"patient_address":`...)
	address(&o.Address)
	t := &o.LabTest
	if math.IsNaN(t.Price) || math.IsInf(t.Price, 0) {
		return b, false
	}
	b = append(b, `,"lab_test":{"id":`...)
	str(t.ID)
	b = append(b, `,"slug":`...)
	str(t.Slug)
	b = append(b, `,"name":`...)
	str(t.Name)
	b = append(b, `,"sample_type":`...)
	str(t.SampleType)
	b = append(b, `,"method":`...)
	str(string(t.Method))
	b = strconv.AppendBool(append(b, `,"fasting":`...), t.Fasting)
	b = jsontext.AppendFloat(append(b, `,"price":`...), t.Price, 64)
	b = strconv.AppendBool(append(b, `,"is_active":`...), t.IsActive)
	b = append(b, `,"status":`...)
	str(t.Status)
	b = append(b, `,"lab":null,"markers":null},"details":{"type":`...)
	d := &o.Details
	str(string(d.Type))
	b = append(b, `,"data":`...)
	if !o.IsPhlebotomy() || d.ID == "" && d.AppointmentID == "" && d.CreatedAt == (time.Time{}) && d.UpdatedAt == (time.Time{}) {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"id":`...)
		str(d.ID)
		b = append(b, `,"appointment_id":`...)
		txt(d.AppointmentID)
		b = append(b, `,"created_at":`...)
		when(d.CreatedAt)
		b = append(b, `,"updated_at":`...)
		when(d.UpdatedAt)
		b = append(b, '}')
	}
	b = append(b, `},"sample_id":`...)
	txt(o.SampleID)
	b = append(b, `,"notes":`...)
	txt(o.Notes)
	b = append(b, `,"created_at":`...)
	when(o.CreatedAt)
	b = append(b, `,"updated_at":`...)
	when(o.UpdatedAt)
	b = append(b, `,"events":[`...)
	for i := range o.History {
		if i > 0 {
			b = append(b, ',')
		}
		entry(&o.History[i])
	}
	b = append(b, `],"last_event":`...)
	entry(&o.LastEvent)
	b = append(b, `,"status":`...)
	if h := o.HighLevel; h == 0 {
		txt(o.HighLevelText)
	} else if !h.valid() {
		return b, false
	} else {
		str(highLevelNames[h])
	}
	b = append(b, `,"health_insurance_id":`...)
	txt(o.HealthInsuranceID)
	b = append(b, `,"requisition_form_url":`...)
	txt(o.RequisitionFormURL)
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
	b = append(b, `,"origin":`...)
	txt(o.Origin)
	b = append(b, `,"order_transaction":`...)
	if x := &o.Transaction; x.ID == "" && x.Status == "" && len(x.Orders) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"id":`...)
		str(x.ID)
		b = append(b, `,"status":`...)
		str(x.Status)
		b = append(b, `,"orders":[`...)
		for i := range x.Orders {
			v := &x.Orders[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			str(v.ID)
			b = append(b, `,"low_level_status":`...)
			txt(status(v.Status, v.StatusText, Status.String))
			b = append(b, `,"low_level_status_created_at":`...)
			if v.StatusCreatedAt.IsZero() {
				b = append(b, "null"...)
			} else {
				when(v.StatusCreatedAt)
			}
			b = append(b, `,"origin":`...)
			txt(v.Origin)
			b = append(b, `,"parent_id":`...)
			txt(v.ParentID)
			b = append(b, `,"created_at":`...)
			when(v.CreatedAt)
			b = append(b, `,"updated_at":`...)
			when(v.UpdatedAt)
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	return append(b, '}'), ok
}
