package order

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// This file is the order's wire layer: Junction's JSON, read and written
// with github.com/go-json-experiment/json. Statuses are read as text and
// parsed once the order's modality is known; the types below that mirror
// the order are what the JSON looks like.

// Decode decodes an order from Junction's JSON: the data of a
// labtest.order.* webhook, or the order of an order endpoint's response.
// It reads the input in one pass, in time linear in its length. Null gives
// the zero Order.
//
// Decoding is strict about shape and lenient about presence: a member that
// is absent or null leaves its field zero, and members this package does
// not model are skipped; but JSON that is invalid (including invalid UTF-8
// and a member repeated in one object), a value of the wrong JSON type, an
// id that is not an integer, or a timestamp or date that cannot be read is
// a *[DecodeError] wrapping [ErrMalformed], and Decode returns the zero
// Order. Member names are matched exactly, letter case included.
// Timestamps are RFC 3339, with or without a zone designator (none means
// UTC), and are returned in UTC. Dates (dob, activate_by) are read as
// [Date.UnmarshalText] reads them; an empty one is absent. The zip code of
// patient_address is read as [Address] describes.
//
// The order's modality decides how its statuses are read. On an at-home
// phlebotomy order, events[].status, last_event.status and
// order_transaction.orders[].low_level_status are parsed as [ParseStatus]
// parses them, and the top-level status as [HighLevel.UnmarshalText] does. Junction's
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
	// Short lists are read into space allocated with the rest.
	var w struct {
		wireOrder
		events [8]wireEntry
		orders [4]wireTxOrder
	}
	w.Events, w.Transaction.Orders = w.events[:0], w.orders[:0]
	if err := json.Unmarshal(data, &w.wireOrder); err != nil {
		return Order{}, decodeError(err)
	}
	o, path, err := w.order()
	if err != nil {
		return o, &DecodeError{Op: "decode", Path: path, Err: err}
	}
	return o, nil
}

// UnmarshalJSONFrom decodes an order as [Decode] does, for
// github.com/go-json-experiment/json, so that an order inside another
// document decodes in the same pass. Null gives the zero Order. On error o
// is unchanged, even when the only trouble is an unknown status (use
// Decode to see the rest of the order then); the error is a
// *json.SemanticError or a *jsontext.SyntacticError whose JSON Pointer
// names the value at fault, wrapping the causes Decode reports.
func (o *Order) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w wireOrder
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return wrapMalformed(err)
	}
	v, path, err := w.order()
	if err != nil {
		return &json.SemanticError{JSONPointer: dec.StackPointer() + jsontext.Pointer(path), Err: err}
	}
	if o == nil {
		return &json.SemanticError{Err: ErrMalformed}
	}
	*o = v
	return nil
}

// wrapMalformed makes an error of the JSON decoder wrap [ErrMalformed] too,
// keeping its type and its JSON Pointer.
func wrapMalformed(err error) error {
	if errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnknownStatus) {
		return err
	}
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		syn.Err = malformed{syn.Err}
	case errors.As(err, &sem):
		sem.Err = malformed{sem.Err}
	}
	return err
}

// malformed is a cause of the JSON decoder, wrapping [ErrMalformed] beside
// it.
type malformed struct{ err error }

func (m malformed) Error() string {
	if m.err == nil {
		return ErrMalformed.Error()
	}
	return m.err.Error()
}

func (m malformed) Unwrap() []error { return []error{ErrMalformed, m.err} }

// decodeError turns an error of the JSON decoder into a *DecodeError naming
// the JSON Pointer of the value at fault, with the cause of this package's
// own when there is one.
func decodeError(err error) *DecodeError {
	de := &DecodeError{Op: "decode", Err: err}
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		de.Path = string(syn.JSONPointer)
	case errors.As(err, &sem):
		de.Path = string(sem.JSONPointer)
		var pe *ParseError
		if errors.As(sem.Err, &pe) || errors.Is(sem.Err, ErrMalformed) {
			de.Err = sem.Err
		}
	}
	return de
}

// jsonMessage describes an error of the JSON decoder in this package's
// words, without the path: "cannot read number as string", "repeated
// member", "invalid character '}' at start of value".
func jsonMessage(err error) string {
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			return "repeated member"
		}
		if syn.Err != nil {
			return syn.Err.Error()
		}
	case errors.As(err, &sem):
		kind := kindName(sem.JSONKind)
		if sem.JSONKind == '0' && len(sem.JSONValue) > 0 {
			kind += " " + string(sem.JSONValue)
		}
		if sem.GoType != nil {
			return "cannot read " + kind + " as " + typeName(sem.GoType)
		}
	}
	return strings.TrimPrefix(err.Error(), "order: ")
}

// kindNames name the JSON kinds as JSON does.
var kindNames = map[jsontext.Kind]string{'n': "null", 't': "boolean", 'f': "boolean", '"': "string", '0': "number",
	'{': "object", '[': "array"}

// kindName names a JSON kind as JSON does.
func kindName(k jsontext.Kind) string {
	if name, ok := kindNames[k]; ok {
		return name
	}
	return "value"
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[Date]()
)

// typeName names what a Go type is read from: "string", "int64", "time",
// "date", "object" or "array".
func typeName(t reflect.Type) string {
	switch t {
	case timeType:
		return "time"
	case dateType:
		return "date"
	}
	if k := t.Kind(); k == reflect.Struct || k == reflect.Pointer {
		return "object"
	} else if k == reflect.Slice {
		return "array"
	}
	return t.Kind().String()
}

// wireOrder is an order as Junction writes it, statuses as text.
type wireOrder struct {
	ID          string          `json:"id"`
	TeamID      string          `json:"team_id"`
	UserID      string          `json:"user_id"`
	Patient     Patient         `json:"patient_details"`
	Address     Address         `json:"patient_address"`
	LabTest     LabTest         `json:"lab_test"`
	Details     wireDetails     `json:"details"`
	SampleID    string          `json:"sample_id"`
	Notes       string          `json:"notes"`
	CreatedAt   wireTime        `json:"created_at"`
	UpdatedAt   wireTime        `json:"updated_at"`
	Events      []wireEntry     `json:"events"`
	LastEvent   wireEntry       `json:"last_event"`
	Status      string          `json:"status"`
	ActivateBy  Date            `json:"activate_by"`
	Origin      string          `json:"origin"`
	Transaction wireTransaction `json:"order_transaction"`
}

type wireEntry struct {
	ID        int64    `json:"id"`
	CreatedAt wireTime `json:"created_at"`
	Status    string   `json:"status"`
	Detail    string   `json:"status_detail"`
}

type wireTransaction struct {
	ID     string        `json:"id"`
	Status string        `json:"status"`
	Orders []wireTxOrder `json:"orders"`
}

type wireTxOrder struct {
	ID              string   `json:"id"`
	Status          string   `json:"low_level_status"`
	StatusCreatedAt wireTime `json:"low_level_status_created_at"`
	Origin          string   `json:"origin"`
	ParentID        string   `json:"parent_id"`
	CreatedAt       wireTime `json:"created_at"`
	UpdatedAt       wireTime `json:"updated_at"`
}

// order returns the order w holds, its statuses parsed as [Decode]
// describes, and the first unknown status with its JSON Pointer.
func (w *wireOrder) order() (o Order, path string, err error) {
	o = Order{
		ID: w.ID, TeamID: w.TeamID, UserID: w.UserID, Patient: w.Patient, Address: w.Address, LabTest: w.LabTest,
		Details: w.Details.details, SampleID: w.SampleID, Notes: w.Notes,
		CreatedAt: w.CreatedAt.t, UpdatedAt: w.UpdatedAt.t, LastEvent: w.LastEvent.entry(),
		HighLevelText: w.Status, ActivateBy: w.ActivateBy, Origin: w.Origin,
		Transaction: Transaction{ID: w.Transaction.ID, Status: w.Transaction.Status},
	}
	if len(w.Events) > 0 {
		o.History = make([]HistoryEntry, len(w.Events))
		for i := range w.Events {
			o.History[i] = w.Events[i].entry()
		}
	}
	if len(w.Transaction.Orders) > 0 {
		o.Transaction.Orders = make([]TransactionOrder, len(w.Transaction.Orders))
		for i, t := range w.Transaction.Orders {
			o.Transaction.Orders[i] = TransactionOrder{ID: t.ID, StatusText: t.Status, StatusCreatedAt: t.StatusCreatedAt.t,
				Origin: t.Origin, ParentID: t.ParentID, CreatedAt: t.CreatedAt.t, UpdatedAt: t.UpdatedAt.t}
		}
	}
	path, err = parseStatuses(&o)
	return o, path, err
}

func (w *wireEntry) entry() HistoryEntry {
	return HistoryEntry{ID: w.ID, CreatedAt: w.CreatedAt.t, StatusText: w.Status, Detail: w.Detail}
}

// parseStatuses parses the status texts left in o, as [Decode] describes,
// and returns the JSON Pointer and the error of the first unknown one.
func parseStatuses(o *Order) (path string, first error) {
	note := func(err error, p func() string) {
		if err != nil && first == nil {
			path, first = p(), err
		}
	}
	phlebotomy := o.IsPhlebotomy()
	if phlebotomy {
		for i := range o.History {
			e := &o.History[i]
			note(parseInto(&e.Status, &e.StatusText), func() string { return "/events/" + strconv.Itoa(i) + "/status" })
		}
		note(parseInto(&o.LastEvent.Status, &o.LastEvent.StatusText), func() string { return "/last_event/status" })
		for i := range o.Transaction.Orders {
			t := &o.Transaction.Orders[i]
			note(parseInto(&t.Status, &t.StatusText),
				func() string { return "/order_transaction/orders/" + strconv.Itoa(i) + "/low_level_status" })
		}
	}
	if o.HighLevelText != "" {
		h, err := parseHighLevel(o.HighLevelText)
		switch {
		case err == nil:
			o.HighLevel, o.HighLevelText = h, ""
		case phlebotomy:
			note(err, func() string { return "/status" })
		}
	}
	return path, first
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

// wireDetails is details: details.data is read only for an at-home
// phlebotomy order, whose data has a shape this package knows; the data of
// another modality is skipped. When data comes before type, its text is
// kept until type is known.
type wireDetails struct{ details Details }

type wireData struct {
	ID            string   `json:"id"`
	AppointmentID string   `json:"appointment_id"`
	CreatedAt     wireTime `json:"created_at"`
	UpdatedAt     wireTime `json:"updated_at"`
}

func (w *wireDetails) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var (
		d       Details
		data    wireData
		raw     []byte // data read before type
		rawPath jsontext.Pointer
		hasType bool
	)
	if k := dec.PeekKind(); k == 'n' {
		_, err := dec.ReadToken()
		w.details = Details{}
		return err
	} else if k != '{' {
		return &json.SemanticError{JSONKind: k, GoType: reflect.TypeFor[Details]()}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return err
		}
		switch unquoted(name) {
		case "type":
			if err := json.UnmarshalDecode(dec, &d.Type); err != nil {
				return err
			}
			hasType = true
		case "data":
			switch {
			case !hasType:
				v, err := dec.ReadValue()
				if err != nil {
					return err
				}
				raw, rawPath = bytes.Clone(v), dec.StackPointer()
			case d.Type == ModalityAtHomePhlebotomy:
				if err := json.UnmarshalDecode(dec, &data); err != nil {
					return err
				}
			default:
				if err := dec.SkipValue(); err != nil {
					return err
				}
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if d.Type == ModalityAtHomePhlebotomy {
		if raw != nil {
			if err := json.Unmarshal(raw, &data); err != nil {
				var sem *json.SemanticError
				if errors.As(err, &sem) {
					sem.JSONPointer = rawPath + sem.JSONPointer
				}
				return err
			}
		}
		d.ID, d.AppointmentID, d.CreatedAt, d.UpdatedAt = data.ID, data.AppointmentID, data.CreatedAt.t, data.UpdatedAt.t
	}
	w.details = d
	return nil
}

// unquoted returns the text of a JSON string as the decoder read it. The
// result shares the decoder's buffer when the string has no escape: it is
// valid only until the decoder reads on, and must be copied to be kept.
func unquoted(quoted jsontext.Value) string {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return unsafe.String(unsafe.SliceData(quoted[1:]), len(quoted)-2)
	}
	b, _ := jsontext.AppendUnquote(nil, quoted)
	return string(b)
}

// wireTime is a timestamp as Junction writes it: RFC 3339, with or without
// a zone designator (none means UTC), or null for the zero time.
type wireTime struct{ t time.Time }

// localLayout is an RFC 3339 timestamp without its zone designator, as some
// Junction payloads send it ("2022-01-01T00:00:00"); it means UTC.
const localLayout = "2006-01-02T15:04:05"

func (w *wireTime) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if k := v.Kind(); k == 'n' {
		w.t = time.Time{}
		return nil
	} else if k != '"' {
		return &json.SemanticError{JSONKind: k, GoType: timeType}
	}
	// parseTime keeps nothing of the text it reads.
	t, ok := parseTime(unquoted(v))
	if !ok {
		return &ParseError{Kind: "time", Text: strings.Clone(unquoted(v)), Err: ErrMalformed}
	}
	w.t = t
	return nil
}

// parseTime parses a timestamp as Junction sends it: RFC 3339 with a zone
// designator ("2023-05-15T16:00:00+00:00", "2022-01-01T00:00:00Z") or
// without one ("2022-01-01T00:00:00"), which means UTC; fractional seconds
// are accepted in both. The result is in UTC. RFC 3339 is read as Go's
// time.RFC3339Nano layout reads it. It reports false for anything else,
// including a date alone, a space instead of the T, and an instant outside
// the years 0000 to 9999 once in UTC.
func parseTime(text string) (time.Time, bool) {
	// Each text is tried against one layout: the zone-less layout takes
	// nothing after the seconds but a fraction, and RFC 3339 wants a Z or
	// an offset after the T.
	layout := localLayout
	if _, clock, found := strings.Cut(text, "T"); !found || strings.ContainsAny(clock, "Z+-") {
		layout = time.RFC3339Nano
	}
	t, err := time.Parse(layout, text)
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC()
	return t, inRange(t)
}

// inRange reports whether t, in UTC, falls in the years RFC 3339 can write.
func inRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

// usAddress is an Address without its methods: its struct tags give the
// USAddress form, with zip_code.
type usAddress Address

// addressIn is what an address decodes from: the USAddress form, and zip.
type addressIn struct {
	usAddress
	Zip string `json:"zip"`
}

// UnmarshalJSONFrom decodes an address in either form, as [Address]
// describes, for github.com/go-json-experiment/json. Null gives the zero
// Address. On error a is unchanged.
func (a *Address) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var in addressIn
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return err
	}
	v := Address(in.usAddress)
	switch {
	case v.ZipCode == "":
		v.ZipCode = in.Zip
	case in.Zip != "" && in.Zip != v.ZipCode:
		return fmt.Errorf("%w: zip %q and zip_code %q differ", ErrMalformed, in.Zip, v.ZipCode)
	}
	*a = v
	return nil
}

// MarshalJSONTo writes o with Junction's field names, in the shape
// [Decode] reads, for github.com/go-json-experiment/json: for any Order
// that Decode returned, decoding what it writes gives an equal Order,
// beside the same error if there was one.
//
// Statuses are written in the form Junction uses for each field: the full
// form in events[] and last_event, the low-level form in
// order_transaction, the high-level status alone in status; a zero status
// writes its text (StatusText, HighLevelText) instead, and null when that
// is empty. Absent timestamps and dates, empty optional strings
// (sample_id, notes, appointment_id, parent_id, origin, the transaction's
// status), and a zero Patient, Address, LabTest, Details, LastEvent or
// Transaction are null; an empty status_detail is left out. The address is
// written in the order's form, with zip. details.data is written only for
// an at-home phlebotomy order.
//
// A status or high-level status that is neither zero nor valid is a
// *[DecodeError] (Op "encode") wrapping [ErrUnknownStatus]; a time or date
// that RFC 3339 cannot write (outside the years 0000 to 9999) is one
// wrapping [ErrMalformed].
func (o Order) MarshalJSONTo(enc *jsontext.Encoder) error {
	w, err := o.wire()
	if err != nil {
		return err
	}
	return json.MarshalEncode(enc, &w)
}

// outOrder is an order as MarshalJSONTo writes it; nil is null.
type outOrder struct {
	ID          string         `json:"id"`
	TeamID      string         `json:"team_id"`
	UserID      string         `json:"user_id"`
	Patient     *outPatient    `json:"patient_details"`
	Address     *orderAddress  `json:"patient_address"`
	LabTest     *LabTest       `json:"lab_test"`
	Details     *outDetails    `json:"details"`
	SampleID    *string        `json:"sample_id"`
	Notes       *string        `json:"notes"`
	CreatedAt   *string        `json:"created_at"`
	UpdatedAt   *string        `json:"updated_at"`
	Events      []outEntry     `json:"events"`
	LastEvent   *outEntry      `json:"last_event"`
	Status      *string        `json:"status"`
	ActivateBy  *string        `json:"activate_by"`
	Origin      *string        `json:"origin"`
	Transaction *outTransation `json:"order_transaction"`
}

// outPatient is Patient with its date of birth null when absent.
type outPatient struct {
	DOB         *string `json:"dob"`
	Gender      string  `json:"gender"`
	FirstName   string  `json:"first_name"`
	LastName    string  `json:"last_name"`
	PhoneNumber string  `json:"phone_number"`
	Email       string  `json:"email"`
}

// orderAddress is an order's patient_address as Junction writes it: zip,
// not zip_code, and every member it documents there.
type orderAddress struct {
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

type outDetails struct {
	Type Modality `json:"type"`
	Data *outData `json:"data"`
}

type outData struct {
	ID            string  `json:"id"`
	AppointmentID *string `json:"appointment_id"`
	CreatedAt     *string `json:"created_at"`
	UpdatedAt     *string `json:"updated_at"`
}

type outEntry struct {
	ID        int64   `json:"id"`
	CreatedAt *string `json:"created_at"`
	Status    *string `json:"status"`
	Detail    *string `json:"status_detail,omitempty"`
}

type outTransation struct {
	ID     string       `json:"id"`
	Status *string      `json:"status"`
	Orders []outTxOrder `json:"orders"`
}

type outTxOrder struct {
	ID              string  `json:"id"`
	Status          *string `json:"low_level_status"`
	StatusCreatedAt *string `json:"low_level_status_created_at"`
	Origin          *string `json:"origin"`
	ParentID        *string `json:"parent_id"`
	CreatedAt       *string `json:"created_at"`
	UpdatedAt       *string `json:"updated_at"`
}

// encoder gathers the first error met while o is turned into its wire form.
type encoder struct{ err error }

func (e *encoder) fail(path string, err error) {
	if e.err == nil {
		e.err = &DecodeError{Op: "encode", Path: path, Err: err}
	}
}

// time returns t in RFC 3339, or null for the zero time.
func (e *encoder) time(path string, t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	if !inRange(t) {
		e.fail(path, &ParseError{Kind: "time", Text: t.String(), Err: ErrMalformed})
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// date returns d as text, or null for the absent Date.
func (e *encoder) date(path string, d Date) *string {
	if d.IsZero() {
		return nil
	}
	b, err := d.MarshalText()
	if err != nil {
		e.fail(path, err)
		return nil
	}
	s := string(b)
	return &s
}

// status returns spell(s) for a valid status, text for the zero Status,
// null for an empty text.
func (e *encoder) status(path string, s Status, text string, spell func(Status) string) *string {
	if s == 0 {
		return optional(text)
	}
	if _, err := s.MarshalText(); err != nil {
		e.fail(path, err)
		return nil
	}
	v := spell(s)
	return &v
}

func (e *encoder) entry(path string, h HistoryEntry) outEntry {
	return outEntry{ID: h.ID, CreatedAt: e.time(path+"/created_at", h.CreatedAt),
		Status: e.status(path+"/status", h.Status, h.StatusText, Status.Full), Detail: optional(h.Detail)}
}

func (o Order) wire() (outOrder, error) {
	var e encoder
	w := outOrder{ID: o.ID, TeamID: o.TeamID, UserID: o.UserID, SampleID: optional(o.SampleID), Notes: optional(o.Notes),
		CreatedAt: e.time("/created_at", o.CreatedAt), UpdatedAt: e.time("/updated_at", o.UpdatedAt),
		Events: make([]outEntry, len(o.History)), Status: optional(o.HighLevelText),
		ActivateBy: e.date("/activate_by", o.ActivateBy), Origin: optional(o.Origin)}
	if p := o.Patient; p != (Patient{}) {
		w.Patient = &outPatient{DOB: e.date("/patient_details/dob", p.DOB), Gender: p.Gender, FirstName: p.FirstName,
			LastName: p.LastName, PhoneNumber: p.PhoneNumber, Email: p.Email}
	}
	if o.Address != (Address{}) {
		a := orderAddress(o.Address)
		w.Address = &a
	}
	if o.LabTest != (LabTest{}) {
		w.LabTest = &o.LabTest
	}
	if d := o.Details; d != (Details{}) {
		w.Details = &outDetails{Type: d.Type}
		if o.IsPhlebotomy() && (d.ID != "" || d.AppointmentID != "" || !d.CreatedAt.IsZero() || !d.UpdatedAt.IsZero()) {
			w.Details.Data = &outData{ID: d.ID, AppointmentID: optional(d.AppointmentID),
				CreatedAt: e.time("/details/data/created_at", d.CreatedAt), UpdatedAt: e.time("/details/data/updated_at", d.UpdatedAt)}
		}
	}
	for i, h := range o.History {
		w.Events[i] = e.entry("/events/"+strconv.Itoa(i), h)
	}
	if o.LastEvent != (HistoryEntry{}) {
		last := e.entry("/last_event", o.LastEvent)
		w.LastEvent = &last
	}
	if o.HighLevel != 0 {
		b, err := o.HighLevel.MarshalText()
		if err != nil {
			e.fail("/status", err)
		}
		w.Status = optional(string(b))
	}
	if t := o.Transaction; t.ID != "" || t.Status != "" || len(t.Orders) > 0 {
		w.Transaction = &outTransation{ID: t.ID, Status: optional(t.Status), Orders: make([]outTxOrder, len(t.Orders))}
		for i, v := range t.Orders {
			p := "/order_transaction/orders/" + strconv.Itoa(i)
			w.Transaction.Orders[i] = outTxOrder{ID: v.ID, Status: e.status(p+"/low_level_status", v.Status, v.StatusText, Status.String),
				StatusCreatedAt: e.time(p+"/low_level_status_created_at", v.StatusCreatedAt), Origin: optional(v.Origin),
				ParentID: optional(v.ParentID), CreatedAt: e.time(p+"/created_at", v.CreatedAt), UpdatedAt: e.time(p+"/updated_at", v.UpdatedAt)}
		}
	}
	return w, e.err
}

// optional returns nil for "", so that it is written as null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
