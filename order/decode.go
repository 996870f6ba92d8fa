package order

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

// Decode decodes an order from Junction's JSON: the data of a
// labtest.order.* webhook, or the order of an order endpoint's response.
// It reads the input in one pass, in time linear in its length, and copies
// it once: the strings of the result share that copy. Null gives the zero
// Order.
//
// Decoding is strict about shape and lenient about presence: a member that
// is absent or null leaves its field zero, and members this package does
// not model are skipped; but JSON that is invalid, a value of the wrong
// JSON type, an id that is not an integer, or a timestamp or date that
// cannot be read is a *[DecodeError] wrapping [ErrMalformed], and Decode
// returns the zero Order. Timestamps are RFC 3339, with or without a zone
// designator (none means UTC), and are returned in UTC. Dates (dob,
// activate_by) are read as [ParseDate] reads them; an empty one is absent.
//
// The order's modality decides how its statuses are read. On an at-home
// phlebotomy order, events[].status, last_event.status and
// order_transaction.orders[].low_level_status are parsed as [ParseStatus]
// parses them, and the top-level status as [ParseHighLevel] does. Junction's
// status enums are non-exhaustive: a status this package does not know is
// kept as text (StatusText, HighLevelText) beside a zero status, and Decode
// returns the whole order together with a *[DecodeError] wrapping
// [ErrUnknownStatus] that names the first such status (in events,
// last_event, order_transaction, status), so that the caller can still see
// the order. An order of any other modality, or without details (our
// decision: nothing says it is at-home phlebotomy), decodes without that
// error: its statuses are not this package's, so they stay text and are
// never parsed into a [Status]; only its high-level status, which every
// modality shares, is parsed when it can be. An empty status is left zero
// on any order.
func Decode(data []byte) (Order, error) {
	var d decoder
	d.r.Reset(data)
	return d.decode()
}

// DecodeString is like [Decode] but does not copy s: the strings of the
// result share its memory. A webhook envelope's decoder passes it the data
// member's text.
func DecodeString(s string) (Order, error) {
	var d decoder
	d.r.ResetString(s)
	return d.decode()
}

// UnmarshalJSON decodes Junction's order JSON as [Decode] does. Like the
// standard library's decoders it leaves o unchanged for null; on error, a
// *[DecodeError], o is unchanged too, even when the only trouble is an
// unknown status (use Decode to see the rest of the order then).
func (o *Order) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	v, err := Decode(data)
	if err != nil {
		return err
	}
	if o == nil {
		return &DecodeError{}
	}
	*o = v
	return nil
}

// isNull reports whether data is the JSON literal null, with only JSON's own
// white space around it.
func isNull(data []byte) bool { return string(bytes.Trim(data, " \t\r\n")) == "null" }

// decoder reads one order. details.data is kept as text until the whole
// order is read, since its shape depends on details.type, which may come
// after it.
type decoder struct {
	r    jsonwire.Reader
	data string // the text of details.data, "" when absent
	zip  error  // the zip and zip_code of patient_address differ
}

func (d *decoder) decode() (Order, error) {
	o := d.order()
	if err := d.r.End(); err != nil {
		return Order{}, wireError("", err)
	}
	if d.zip != nil {
		return Order{}, &DecodeError{Field: "patient_address", Err: d.zip}
	}
	if o.IsPhlebotomy() && d.data != "" {
		var sub decoder
		sub.r.ResetString(d.data)
		o.Details = sub.phlebotomyData(o.Details)
		if err := sub.r.End(); err != nil {
			return Order{}, wireError("details.data", err)
		}
	}
	return o, parseStatuses(&o)
}

// wireError turns an error of the reader, met at path prefix, into a
// *DecodeError naming the full path of the value at fault.
func wireError(prefix string, err error) *DecodeError {
	de := &DecodeError{Field: prefix, Err: err}
	var we *jsonwire.Error
	if errors.As(err, &we) {
		de.Field, de.Err = joinPath(prefix, we.Path()), we.Err
	}
	return de
}

func joinPath(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

func (d *decoder) order() (o Order) {
	r := &d.r
	if !r.Object() {
		return o
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			o.ID = r.Text()
		case "team_id":
			o.TeamID = r.Text()
		case "user_id":
			o.UserID = r.Text()
		case "patient_details":
			o.Patient = d.patient()
		case "patient_address":
			o.Address = d.address()
		case "lab_test":
			o.LabTest = d.labTest()
		case "details":
			o.Details = d.details()
		case "sample_id":
			o.SampleID = r.Text()
		case "notes":
			o.Notes = r.Text()
		case "created_at":
			o.CreatedAt = d.time()
		case "updated_at":
			o.UpdatedAt = d.time()
		case "events":
			o.History = d.events()
		case "last_event":
			o.LastEvent = d.entry()
		case "status":
			o.HighLevelText = r.Text()
		case "activate_by":
			o.ActivateBy = d.date()
		case "origin":
			o.Origin = Origin(r.Text())
		case "order_transaction":
			o.Transaction = d.transaction()
		default:
			r.Skip()
		}
	}
	return o
}

// time reads a timestamp, or null for the zero time.
func (d *decoder) time() time.Time {
	text, ok := d.r.NullableString()
	if !ok {
		return time.Time{}
	}
	t, ok := jsonwire.ParseTime(text)
	if !ok {
		d.r.Fail(&MalformedError{Kind: "time", Text: text})
	}
	return t
}

// date reads a date; null and "" are the absent Date.
func (d *decoder) date() Date {
	text := d.r.Text()
	if text == "" {
		return Date{}
	}
	v, err := ParseDate(text)
	if err != nil {
		d.r.Fail(err)
	}
	return v
}

func (d *decoder) patient() (p Patient) {
	r := &d.r
	if !r.Object() {
		return p
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "dob":
			p.DOB = d.date()
		case "gender":
			p.Gender = r.Text()
		case "first_name":
			p.FirstName = r.Text()
		case "last_name":
			p.LastName = r.Text()
		case "phone_number":
			p.PhoneNumber = r.Text()
		case "email":
			p.Email = r.Text()
		default:
			r.Skip()
		}
	}
	return p
}

func (d *decoder) address() (a Address) {
	r := &d.r
	if !r.Object() {
		return a
	}
	var zip string
	d.zip = nil
	defer func() {
		switch {
		case a.ZipCode == "":
			a.ZipCode = zip
		case zip != "" && zip != a.ZipCode:
			d.zip = zipConflict(zip, a.ZipCode)
		}
	}()
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "receiver_name":
			a.ReceiverName = r.Text()
		case "first_line":
			a.FirstLine = r.Text()
		case "second_line":
			a.SecondLine = r.Text()
		case "city":
			a.City = r.Text()
		case "state":
			a.State = r.Text()
		case "zip":
			zip = r.Text()
		case "zip_code":
			a.ZipCode = r.Text()
		case "unit":
			a.Unit = r.Text()
		case "access_notes":
			a.AccessNotes = r.Text()
		case "country":
			a.Country = r.Text()
		case "phone_number":
			a.PhoneNumber = r.Text()
		default:
			r.Skip()
		}
	}
	return a
}

func (d *decoder) labTest() (t LabTest) {
	r := &d.r
	if !r.Object() {
		return t
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			t.ID = r.Text()
		case "slug":
			t.Slug = r.Text()
		case "name":
			t.Name = r.Text()
		case "sample_type":
			t.SampleType = r.Text()
		case "method":
			t.Method = Modality(r.Text())
		case "fasting":
			t.Fasting = r.Bool()
		default:
			r.Skip()
		}
	}
	return t
}

// details reads details.type and keeps the text of details.data for later.
func (d *decoder) details() (v Details) {
	r := &d.r
	d.data = ""
	if !r.Object() {
		return v
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "type":
			v.Type = Modality(r.Text())
		case "data":
			d.data = r.Raw()
		default:
			r.Skip()
		}
	}
	return v
}

// phlebotomyData reads the details.data of an at-home phlebotomy order
// into v.
func (d *decoder) phlebotomyData(v Details) Details {
	r := &d.r
	if !r.Object() {
		return v
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			v.ID = r.Text()
		case "appointment_id":
			v.AppointmentID = r.Text()
		case "created_at":
			v.CreatedAt = d.time()
		case "updated_at":
			v.UpdatedAt = d.time()
		default:
			r.Skip()
		}
	}
	return v
}

// events reads events[]. Short histories are gathered on the stack, so
// that the result is allocated once at its exact size.
func (d *decoder) events() []HistoryEntry {
	r := &d.r
	if !r.Array() {
		return nil
	}
	var buf [8]HistoryEntry
	out := buf[:0]
	for r.More() {
		out = append(out, d.entry())
	}
	if len(out) == 0 {
		return nil
	}
	return append(make([]HistoryEntry, 0, len(out)), out...)
}

// entry reads a history entry; null is the zero entry.
func (d *decoder) entry() (e HistoryEntry) {
	r := &d.r
	if !r.Object() {
		return e
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			e.ID = r.Int64()
		case "created_at":
			e.CreatedAt = d.time()
		case "status":
			e.StatusText = r.Text()
		case "status_detail":
			e.Detail = StatusDetail(r.Text())
		default:
			r.Skip()
		}
	}
	return e
}

func (d *decoder) transaction() (t Transaction) {
	r := &d.r
	if !r.Object() {
		return t
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			t.ID = r.Text()
		case "status":
			t.Status = TransactionStatus(r.Text())
		case "orders":
			t.Orders = d.transactionOrders()
		default:
			r.Skip()
		}
	}
	return t
}

func (d *decoder) transactionOrders() []TransactionOrder {
	r := &d.r
	if !r.Array() {
		return nil
	}
	var buf [4]TransactionOrder
	out := buf[:0]
	for r.More() {
		out = append(out, d.transactionOrder())
	}
	if len(out) == 0 {
		return nil
	}
	return append(make([]TransactionOrder, 0, len(out)), out...)
}

func (d *decoder) transactionOrder() (o TransactionOrder) {
	r := &d.r
	if !r.Object() {
		return o
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			o.ID = r.Text()
		case "low_level_status":
			o.StatusText = r.Text()
		case "low_level_status_created_at":
			o.StatusCreatedAt = d.time()
		case "origin":
			o.Origin = Origin(r.Text())
		case "parent_id":
			o.ParentID = r.Text()
		case "created_at":
			o.CreatedAt = d.time()
		case "updated_at":
			o.UpdatedAt = d.time()
		default:
			r.Skip()
		}
	}
	return o
}

// parseStatuses parses the status texts the reader left in o, as [Decode]
// describes, and returns the error of the first unknown one.
func parseStatuses(o *Order) error {
	var first error
	phlebotomy := o.IsPhlebotomy()
	if phlebotomy {
		for i := range o.History {
			e := &o.History[i]
			if err := parseInto(&e.Status, &e.StatusText); err != nil && first == nil {
				first = &DecodeError{Field: "events[" + strconv.Itoa(i) + "].status", Err: err}
			}
		}
		if err := parseInto(&o.LastEvent.Status, &o.LastEvent.StatusText); err != nil && first == nil {
			first = &DecodeError{Field: "last_event.status", Err: err}
		}
		for i := range o.Transaction.Orders {
			t := &o.Transaction.Orders[i]
			if err := parseInto(&t.Status, &t.StatusText); err != nil && first == nil {
				first = &DecodeError{Field: "order_transaction.orders[" + strconv.Itoa(i) + "].low_level_status", Err: err}
			}
		}
	}
	if o.HighLevelText != "" {
		h, err := ParseHighLevel(o.HighLevelText)
		switch {
		case err == nil:
			o.HighLevel, o.HighLevelText = h, ""
		case phlebotomy && first == nil:
			first = &DecodeError{Field: "status", Err: err}
		}
	}
	return first
}

// parseInto parses a non-empty *text into *s and empties *text; it leaves
// both alone and returns the error when the text is not a status.
func parseInto(s *Status, text *string) error {
	if *text == "" {
		return nil
	}
	v, err := ParseStatus(*text)
	if err != nil {
		return err
	}
	*s, *text = v, ""
	return nil
}
