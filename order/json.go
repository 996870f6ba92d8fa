package order

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

// Decode decodes an order from Junction's JSON (the data of a
// labtest.order.* webhook, or the order of an order endpoint's response) in
// time linear in its length. Null gives the zero Order.
//
// Decoding is strict about shape and lenient about presence: an absent or
// null member leaves its field zero, members this package does not model
// are skipped; invalid JSON (invalid UTF-8 and a member repeated in one
// object included), a value of the wrong JSON type, an id that is not an
// integer, or a timestamp or date that cannot be read is a *[DecodeError]
// wrapping [ErrMalformed], beside the zero Order. Member names are matched
// exactly, letter case included. Timestamps are RFC 3339, with or without
// a zone designator (none means UTC), returned in UTC; dates (dob,
// activate_by) are read as [Date.UnmarshalText] reads them, an empty one
// absent; the zip code of patient_address and shipping_details as
// [Address] describes. details.data is read only for an at-home
// phlebotomy order; another's is skipped, once checked to be valid JSON.
//
// The order's modality decides how its statuses are read. On an at-home
// phlebotomy order, events[].status, last_event.status and
// order_transaction.orders[].low_level_status are parsed as [ParseStatus]
// parses them, the top-level status as [HighLevel.UnmarshalText] does.
// Junction's status enums are non-exhaustive: a status this package does
// not know is kept as text (StatusText, HighLevelText) beside a zero
// status, and Decode returns the whole order with a *[DecodeError]
// wrapping [ErrUnknownStatus] naming the first such status (in events,
// last_event, order_transaction, status). An order of another modality,
// or without details (our decision: nothing says it is at-home
// phlebotomy), has no such error: its statuses stay text; only its
// high-level status, which every modality shares, is parsed when it can
// be. An empty status is left zero.
func Decode(data []byte) (Order, error) {
	var w struct { // short histories are read into space allocated with the rest

		wireOrder
		events [8]wireEntry
	}
	w.Events = w.events[:0]
	if err := json.Unmarshal(data, &w.wireOrder); err != nil {
		return Order{}, decodeError(err)
	}
	return w.order()
}

// UnmarshalJSONFrom decodes an order as [Decode] does, for
// github.com/go-json-experiment/json, in the pass that decodes the
// document around it. Null gives the zero Order. On error, an unknown
// status too, o is unchanged (Decode shows the rest then): a
// *json.SemanticError whose JSON Pointer names the value at fault in the
// whole document wraps the *[DecodeError] Decode would report, its Path
// that pointer.
func (o *Order) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w struct { // as in Decode
		wireOrder
		events [8]wireEntry
	}
	w.Events = w.events[:0]
	var v Order
	var de *DecodeError
	if err := json.UnmarshalDecode(dec, &w.wireOrder); err != nil {
		de = decodeError(err)
	} else if v, err = w.order(); err != nil {
		de = err.(*DecodeError)
		de.Path = string(dec.StackPointer()) + de.Path
	} else if o == nil {
		de = &DecodeError{Op: "decode"}
	}
	if de != nil {
		return &json.SemanticError{JSONPointer: jsontext.Pointer(de.Path), Err: de}
	}
	*o = v
	return nil
}

// decodeError turns an error of the json package into a *DecodeError at
// the JSON Pointer of the fault, its cause this package's when it has one.
func decodeError(err error) *DecodeError {
	de := &DecodeError{Op: "decode", Path: string(jsonerr.Pointer(err)), Err: err}
	if sem, ok := errors.AsType[*json.SemanticError](err); ok && errors.Is(sem.Err, ErrMalformed) {
		de.Err = sem.Err
	}
	return de
}

// wireOrder is an order as Junction writes it, statuses as text; a member
// that Junction allows to be null is written as null when empty.
type wireOrder struct {
	ID                 string               `json:"id"`
	TeamID             string               `json:"team_id"`
	UserID             string               `json:"user_id"`
	Patient            orNull[wirePatient]  `json:"patient_details"`
	Address            orNull[orderAddress] `json:"patient_address"`
	LabTest            wireLabTest          `json:"lab_test"`
	Details            wireDetails          `json:"details"`
	SampleID           text                 `json:"sample_id"`
	Notes              text                 `json:"notes"`
	CreatedAt          stamp                `json:"created_at"`
	UpdatedAt          stamp                `json:"updated_at"`
	Events             []wireEntry          `json:"events"`
	LastEvent          wireEntry            `json:"last_event"`
	Status             text                 `json:"status"`
	HealthInsuranceID  text                 `json:"health_insurance_id"`
	RequisitionFormURL text                 `json:"requisition_form_url"`
	ShippingDetails    orNull[orderAddress] `json:"shipping_details"`
	HasABN             bool                 `json:"has_abn"`
	ActivateBy         Date                 `json:"activate_by"`
	Origin             text                 `json:"origin"`
	Transaction        *wireTransaction     `json:"order_transaction"`
}

type wireEntry struct {
	ID        int64  `json:"id"`
	CreatedAt stamp  `json:"created_at"`
	Status    string `json:"status"`
	Detail    text   `json:"status_detail,omitempty"`
}

type wireTransaction struct {
	ID     string        `json:"id"`
	Status string        `json:"status"`
	Orders []wireTxOrder `json:"orders"`
}

type wireTxOrder struct {
	ID              string    `json:"id"`
	Status          text      `json:"low_level_status"`
	StatusCreatedAt nullStamp `json:"low_level_status_created_at"`
	Origin          text      `json:"origin"`
	ParentID        text      `json:"parent_id"`
	CreatedAt       stamp     `json:"created_at"`
	UpdatedAt       stamp     `json:"updated_at"`
}

// wireDetails is details; its data is kept until the type is known (data
// may come first), and is written from v, null when zero.
type wireDetails struct {
	Type Modality `json:"type"`
	Data wireData `json:"data"`
}

type wireData struct {
	raw jsontext.Value
	v   orNull[phlebotomyData]
}

type phlebotomyData struct {
	ID            string `json:"id"`
	AppointmentID text   `json:"appointment_id"`
	CreatedAt     stamp  `json:"created_at"`
	UpdatedAt     stamp  `json:"updated_at"`
}

func (d *wireData) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	d.raw = bytes.Clone(v)
	return err
}

func (d wireData) MarshalJSONTo(enc *jsontext.Encoder) error { return d.v.MarshalJSONTo(enc) }

// wirePatient is patient_details, its dob written as Junction documents it:
// midnight at offset zero, "" when absent (dob may not be null).
type wirePatient struct {
	DOB birth `json:"dob"`
	Patient
}

type birth struct{ Date }

func (d birth) MarshalJSONTo(enc *jsontext.Encoder) error {
	b, err := d.MarshalText()
	if err != nil {
		return err
	}
	if len(b) > 0 {
		b = append(b, "T00:00:00+00:00"...)
	}
	return enc.WriteToken(jsontext.String(string(b)))
}

// wireLabTest is lab_test; its lab and markers, which [LabTest] does not
// model, are skipped, and written as null.
type wireLabTest struct {
	LabTest
	Lab     skipped `json:"lab"`
	Markers skipped `json:"markers"`
}

type skipped struct{}

func (skipped) MarshalJSONTo(enc *jsontext.Encoder) error      { return enc.WriteToken(jsontext.Null) }
func (*skipped) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return dec.SkipValue() }

// text is a string written as null when empty.
type text string

func (t text) MarshalJSONTo(enc *jsontext.Encoder) error {
	if t == "" {
		return enc.WriteToken(jsontext.Null)
	}
	return enc.WriteToken(jsontext.String(string(t)))
}

// orNull is a value written as null when zero.
type orNull[T comparable] struct{ v T }

func (n orNull[T]) MarshalJSONTo(enc *jsontext.Encoder) error {
	if n.v == *new(T) {
		return enc.WriteToken(jsontext.Null)
	}
	return json.MarshalEncode(enc, n.v)
}

func (n *orNull[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return json.UnmarshalDecode(dec, &n.v)
}

// order returns the order w holds, its statuses parsed as [Decode]
// describes, or the error of details.data (with the zero Order) or of the
// first unknown status (with the order).
func (w *wireOrder) order() (Order, error) {
	p, data := w.Patient.v.Patient, &w.Details.Data
	if w.Details.Type == ModalityAtHomePhlebotomy && data.raw != nil {
		if err := json.Unmarshal(data.raw, &data.v.v); err != nil {
			de := decodeError(err)
			de.Path = "/details/data" + de.Path
			return Order{}, de
		}
	}
	p.DOB = w.Patient.v.DOB.Date
	d := data.v.v
	o := Order{
		ID: w.ID, TeamID: w.TeamID, UserID: w.UserID, Patient: p, Address: w.Address.v.Address,
		LabTest: w.LabTest.LabTest, Details: Details{Type: w.Details.Type, ID: d.ID, AppointmentID: string(d.AppointmentID),
			CreatedAt: d.CreatedAt.t, UpdatedAt: d.UpdatedAt.t}, SampleID: string(w.SampleID), Notes: string(w.Notes),
		CreatedAt: w.CreatedAt.t, UpdatedAt: w.UpdatedAt.t, LastEvent: w.LastEvent.entry(),
		HighLevelText: string(w.Status), ActivateBy: w.ActivateBy, Origin: string(w.Origin), HasABN: w.HasABN,
		HealthInsuranceID: string(w.HealthInsuranceID), RequisitionFormURL: string(w.RequisitionFormURL),
		ShippingDetails: w.ShippingDetails.v.Address,
	}
	if len(w.Events) > 0 {
		o.History = make([]HistoryEntry, len(w.Events))
		for i := range w.Events {
			o.History[i] = w.Events[i].entry()
		}
	}
	if t := w.Transaction; t != nil {
		o.Transaction = Transaction{ID: t.ID, Status: t.Status}
		if len(t.Orders) > 0 {
			o.Transaction.Orders = make([]TransactionOrder, len(t.Orders))
		}
		for i, t := range t.Orders {
			o.Transaction.Orders[i] = TransactionOrder{ID: t.ID, StatusText: string(t.Status), StatusCreatedAt: t.StatusCreatedAt.t,
				Origin: string(t.Origin), ParentID: string(t.ParentID), CreatedAt: t.CreatedAt.t, UpdatedAt: t.UpdatedAt.t}
		}
	}
	if path, err := parseStatuses(&o); err != nil {
		return o, &DecodeError{Op: "decode", Path: path, Err: err}
	}
	return o, nil
}

func (w *wireEntry) entry() HistoryEntry {
	return HistoryEntry{ID: w.ID, CreatedAt: w.CreatedAt.t, StatusText: w.Status, Detail: string(w.Detail)}
}

// parseStatuses parses the status texts left in o, as [Decode] describes,
// and returns the JSON Pointer and the error of the first unknown one.
func parseStatuses(o *Order) (path string, first error) {
	// parse moves a non-empty *text that is a status into *s.
	parse := func(s *Status, text *string, p func() string) {
		if *text == "" {
			return
		}
		v, err := ParseStatus(*text)
		if err == nil {
			*s, *text = v, ""
		} else if first == nil {
			path, first = p(), err
		}
	}
	phlebotomy := o.IsPhlebotomy()
	if phlebotomy {
		for i := range o.History {
			e := &o.History[i]
			parse(&e.Status, &e.StatusText, func() string { return "/events/" + strconv.Itoa(i) + "/status" })
		}
		parse(&o.LastEvent.Status, &o.LastEvent.StatusText, func() string { return "/last_event/status" })
		for i := range o.Transaction.Orders {
			t := &o.Transaction.Orders[i]
			parse(&t.Status, &t.StatusText, func() string { return "/order_transaction/orders/" + strconv.Itoa(i) + "/low_level_status" })
		}
	}
	if o.HighLevelText == "" {
		return path, first
	}
	h, err := parseHighLevel(o.HighLevelText)
	if err == nil {
		o.HighLevel, o.HighLevelText = h, ""
	} else if phlebotomy && first == nil {
		path, first = "/status", err
	}
	return path, first
}

// stamp is a timestamp, read as jsonerr.ReadTime reads it, written in RFC
// 3339 in UTC, the zero time too ("0001-01-01T00:00:00Z"), since most of
// Junction's timestamps may not be null; one that may is a nullStamp.
type stamp struct{ t time.Time }

// nullStamp is a stamp written as null when zero.
type nullStamp struct{ stamp }

func (s nullStamp) MarshalJSONTo(enc *jsontext.Encoder) error {
	if s.t.IsZero() {
		return enc.WriteToken(jsontext.Null)
	}
	return s.stamp.MarshalJSONTo(enc)
}

func (w *stamp) UnmarshalJSONFrom(dec *jsontext.Decoder) (err error) {
	w.t, err = jsonerr.ReadTime(dec, func(text string) error { return &ParseError{Kind: "time", Text: text, Err: ErrMalformed} })
	return err
}

func (w stamp) MarshalJSONTo(enc *jsontext.Encoder) error {
	if !jsonerr.InRange(w.t) {
		return &ParseError{Kind: "time", Text: w.t.String(), Err: ErrMalformed}
	}
	return enc.WriteToken(jsontext.String(jsonerr.FormatTime(w.t)))
}

var dateType = reflect.TypeFor[Date]()

// UnmarshalJSONFrom decodes an address in either form, as [Address]
// describes, for github.com/go-json-experiment/json. Null gives the zero
// Address. On error a is unchanged.
func (a *Address) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var in struct {
		zipAddress
		ZipCode string `json:"zip_code"`
	}
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return err
	}
	v := Address(in.zipAddress)
	if in.ZipCode != "" {
		if v.ZipCode != "" && v.ZipCode != in.ZipCode {
			return fmt.Errorf("%w: zip %q and zip_code %q differ", ErrMalformed, v.ZipCode, in.ZipCode)
		}
		v.ZipCode = in.ZipCode
	}
	*a = v
	return nil
}

// orderAddress is an address in an order's form (patient_address,
// shipping_details): zipAddress, with zip and every member documented.
type orderAddress struct{ Address }

type zipAddress struct {
	ReceiverName string `json:"receiver_name"`
	FirstLine    string `json:"first_line"`
	SecondLine   string `json:"second_line"`
	Unit         string `json:"unit,omitempty"`
	City         string `json:"city"`
	State        string `json:"state"`
	ZipCode      string `json:"zip"`
	Country      string `json:"country"`
	PhoneNumber  string `json:"phone_number"`
	AccessNotes  string `json:"access_notes,omitempty"`
}

func (a orderAddress) MarshalJSONTo(enc *jsontext.Encoder) error {
	return json.MarshalEncode(enc, zipAddress(a.Address))
}

// MarshalJSONTo writes o with Junction's field names, in the shape
// [Decode] reads, for github.com/go-json-experiment/json: for any Order
// that Decode returned, decoding what it writes gives an equal Order,
// beside the same error if there was one.
//
// Every member that Junction's OpenAPI document marks required for an order
// is written, with the JSON type it gives, null only where it allows: an
// empty optional string, an absent activate_by or
// low_level_status_created_at, a zero Patient, Address, ShippingDetails or
// Transaction, and details.data but for an at-home phlebotomy order with
// some of it set are null; an empty status_detail is left out. A zero timestamp that may not be null is written as
// "0001-01-01T00:00:00Z" (in a zero LastEvent too, its id 0 and status
// ""), zero Details as {"type": "", "data": null}; lab_test's lab and
// markers are null. The date of birth is written as the date-time Junction
// documents ("1990-01-01T00:00:00+00:00"), "" when absent; the addresses
// in the order's form, with zip.
//
// Statuses are written in the form Junction uses for each field: the full
// form in events[] and last_event, the low-level form in
// order_transaction, the high-level status alone in status; a zero status
// writes its text (StatusText, HighLevelText), null when empty where null
// is allowed (status, low_level_status). A status or high-level status
// that is neither zero nor valid is a *[DecodeError] (Op "encode")
// wrapping [ErrUnknownStatus]; a time or date outside the years 0000 to
// 9999 is one wrapping [ErrMalformed]. Nothing is written then.
func (o Order) MarshalJSONTo(enc *jsontext.Encoder) error {
	// written apart, so that nothing is written on error
	return o.withJSON(func(b []byte) error { return enc.WriteValue(b) })
}

// MarshalJSON writes o as [Order.MarshalJSONTo] does, for encoding/json
// (github.com/go-json-experiment/json calls MarshalJSONTo), and returns
// the same errors.
func (o Order) MarshalJSON() ([]byte, error) {
	var out []byte
	err := o.withJSON(func(b []byte) error {
		out = bytes.Clone(b)
		return nil
	})
	return out, err
}

// withJSON calls use with o's JSON, as MarshalJSONTo describes it, or
// returns its error. use must not keep the bytes.
func (o *Order) withJSON(use func([]byte) error) error {
	p := encodeBuffers.Get()
	b, ok := o.appendJSON(*p)
	defer encodeBuffers.Put(p, b)
	if !ok {
		var err error
		if b, err = o.marshalWire(); err != nil {
			return err
		}
	}
	return use(b)
}

// UnmarshalJSON decodes an order as [Decode] does, for encoding/json
// (github.com/go-json-experiment/json calls UnmarshalJSONFrom). Null leaves
// o unchanged, as encoding/json does for other types, and so does any
// error (a *[DecodeError]), an unknown status too.
func (o *Order) UnmarshalJSON(data []byte) error {
	v, err := Decode(data)
	switch {
	case err != nil:
		return err
	case o == nil:
		return &DecodeError{Op: "decode"}
	case bytes.TrimLeft(data, " \t\r\n")[0] == 'n': // null
		return nil
	}
	*o = v
	return nil
}

// encodeBuffers hold orders' JSON while it is written.
var encodeBuffers jsonerr.Buffers

// marshalWire writes o as [Order.MarshalJSONTo] describes, through its wire
// form and the json package: what appendJSON writes more quickly, and the
// errors of what it does not write.
func (o Order) marshalWire() ([]byte, error) {
	w, err := o.wire()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(&w)
	if err != nil {
		de := decodeError(err)
		de.Op = "encode"
		return nil, de
	}
	return b, nil
}

// wire returns o's wire form, and the *DecodeError of its first invalid
// status.
func (o Order) wire() (wireOrder, error) {
	var first error
	status := func(s Status, text string, spell func(Status) string, path func() string) string {
		if s == 0 {
			return text
		}
		if _, err := s.MarshalText(); err != nil && first == nil {
			first = &DecodeError{Op: "encode", Path: path(), Err: err}
		}
		return spell(s)
	}
	entry := func(h HistoryEntry, path func() string) wireEntry {
		return wireEntry{ID: h.ID, CreatedAt: stamp{h.CreatedAt}, Status: status(h.Status, h.StatusText, Status.Full, path),
			Detail: text(h.Detail)}
	}
	p, d := o.Patient, o.Details
	w := wireOrder{ID: o.ID, TeamID: o.TeamID, UserID: o.UserID, Patient: orNull[wirePatient]{wirePatient{birth{p.DOB}, p}},
		Address: orNull[orderAddress]{orderAddress{o.Address}}, LabTest: wireLabTest{LabTest: o.LabTest},
		Details: wireDetails{Type: d.Type}, SampleID: text(o.SampleID), Notes: text(o.Notes), CreatedAt: stamp{o.CreatedAt},
		UpdatedAt: stamp{o.UpdatedAt}, Events: make([]wireEntry, len(o.History)), Status: text(o.HighLevelText),
		LastEvent:         entry(o.LastEvent, func() string { return "/last_event/status" }),
		HealthInsuranceID: text(o.HealthInsuranceID), RequisitionFormURL: text(o.RequisitionFormURL),
		ShippingDetails: orNull[orderAddress]{orderAddress{o.ShippingDetails}}, HasABN: o.HasABN, ActivateBy: o.ActivateBy,
		Origin: text(o.Origin)}
	if o.IsPhlebotomy() {
		w.Details.Data.v.v = phlebotomyData{ID: d.ID, AppointmentID: text(d.AppointmentID), CreatedAt: stamp{d.CreatedAt},
			UpdatedAt: stamp{d.UpdatedAt}}
	}
	for i, h := range o.History {
		w.Events[i] = entry(h, func() string { return "/events/" + strconv.Itoa(i) + "/status" })
	}
	if o.HighLevel != 0 {
		b, err := o.HighLevel.MarshalText()
		if err != nil && first == nil {
			first = &DecodeError{Op: "encode", Path: "/status", Err: err}
		}
		w.Status = text(b)
	}
	if t := o.Transaction; t.ID != "" || t.Status != "" || len(t.Orders) > 0 {
		w.Transaction = &wireTransaction{ID: t.ID, Status: t.Status, Orders: make([]wireTxOrder, len(t.Orders))}
		for i, v := range t.Orders {
			w.Transaction.Orders[i] = wireTxOrder{ID: v.ID, Status: text(status(v.Status, v.StatusText, Status.String,
				func() string { return "/order_transaction/orders/" + strconv.Itoa(i) + "/low_level_status" })),
				StatusCreatedAt: nullStamp{stamp{v.StatusCreatedAt}}, Origin: text(v.Origin), ParentID: text(v.ParentID),
				CreatedAt: stamp{v.CreatedAt}, UpdatedAt: stamp{v.UpdatedAt}}
		}
	}
	return w, first
}
