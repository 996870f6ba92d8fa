package sandbox

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

// problem is one entry of the detail list of a 422 answer to a request
// that does not validate, in the form Junction's API writes it:
// where ("body", then the member names and indices), what, and a type.
type problem struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// problems collects what is wrong with a request.
type problems []problem

func (ps *problems) add(msg, typ string, loc ...any) {
	*ps = append(*ps, problem{Loc: loc, Msg: msg, Type: typ})
}

func (ps *problems) missing(loc ...any) { ps.add("field required", "value_error.missing", loc...) }

// notes reports notes longer than scheduling's rules allow for access and
// appointment notes.
func (ps *problems) notes(s string, loc ...any) {
	if scheduling.CheckNotes(s, "") != nil {
		ps.add("ensure this value has at most "+strconv.Itoa(scheduling.MaxNotes)+" characters",
			"value_error.any_str.max_length", loc...)
	}
}

// reader wraps a jsonwire.Reader with the bookkeeping of a request body.
type reader struct {
	r jsonwire.Reader
}

// syntax turns the reader's error, if any, into the one problem it is, and
// reports whether there was one.
func (rd *reader) syntax(ps *problems) bool {
	err := rd.r.End()
	if err == nil {
		return false
	}
	loc := []any{"body"}
	var we *jsonwire.Error
	var te *jsonwire.TypeError
	typ := "value_error.jsondecode"
	if errors.As(err, &we) {
		loc = append(loc, splitPath(we.Path())...)
	}
	if errors.As(err, &te) {
		typ = "type_error." + te.Want
	}
	ps.add(err.Error(), typ, loc...)
	return true
}

// splitPath turns a jsonwire path such as "slots[2].start" into its parts:
// "slots", 2, "start".
func splitPath(p string) []any {
	var out []any
	for p != "" {
		switch {
		case p[0] == '.':
			p = p[1:]
		case p[0] == '[':
			index, rest, closed := strings.Cut(p[1:], "]")
			if !closed {
				return append(out, p)
			}
			if n, err := strconv.Atoi(index); err == nil {
				out = append(out, n)
			} else {
				out = append(out, index)
			}
			p = rest
		default:
			end := strings.IndexAny(p, ".[")
			if end == -1 {
				end = len(p)
			}
			out = append(out, p[:end])
			p = p[end:]
		}
	}
	return out
}

// decodeObject reads the top-level object, calling member for each member, and
// reports a body that is absent, not an object, or not JSON.
func decodeObject(data []byte, ps *problems, member func(r *jsonwire.Reader, key string)) {
	if blank(data) {
		ps.missing("body")
		return
	}
	var rd reader
	rd.r.Reset(data)
	switch rd.r.Peek() {
	case jsonwire.Object:
		rd.r.Object()
		for k, ok := rd.r.Key(); ok; k, ok = rd.r.Key() {
			member(&rd.r, k)
		}
	case jsonwire.Null:
		rd.r.Skip()
		if !rd.syntax(ps) {
			ps.missing("body")
		}
		return
	case jsonwire.Invalid, jsonwire.Bool, jsonwire.Number, jsonwire.String, jsonwire.Array:
		rd.r.Skip()
		if !rd.syntax(ps) {
			ps.add("value is not a valid dict", "type_error.dict", "body")
		}
		return
	}
	rd.syntax(ps)
}

// blank reports whether data holds only JSON white space.
func blank(data []byte) bool { return len(bytes.Trim(data, " \t\r\n")) == 0 }

// text reads an optional string member: absent and null read as "".
func text(r *jsonwire.Reader) string { return r.Text() }

// required reports a required string that is empty (absent, null or "").
func (ps *problems) required(s string, loc ...any) {
	if s == "" {
		ps.missing(loc...)
	}
}

// createOrder is the body of POST /v3/order, as far as the server reads it.
type createOrder struct {
	UserID           string
	LabTestID        string
	CollectionMethod string
	Patient          order.Patient
	Address          order.Address
	AccessNotes      string
	ActivateBy       order.Date
	hasPatient       bool
	hasAddress       bool
	dobText          string
	activateByText   string
}

// decodeCreateOrder decodes and checks the body of POST /v3/order:
// user_id, lab_test_id, patient_details (first_name, last_name, dob,
// gender, phone_number, email) and patient_address (first_line, city,
// state, zip, country; receiver_name, second_line, phone_number and
// access_notes optional) are required; collection_method and activate_by
// are optional. Members it does not read are skipped, as Junction's API
// skips those it does not know.
func decodeCreateOrder(data []byte) (createOrder, problems) {
	var c createOrder
	var ps problems
	decodeObject(data, &ps, func(r *jsonwire.Reader, key string) {
		switch key {
		case "user_id":
			c.UserID = text(r)
		case "lab_test_id":
			c.LabTestID = text(r)
		case "collection_method":
			c.CollectionMethod = text(r)
		case "activate_by":
			c.activateByText = text(r)
		case "patient_details":
			c.hasPatient = readObject(r, func(key string) {
				p := &c.Patient
				switch key {
				case "first_name":
					p.FirstName = text(r)
				case "last_name":
					p.LastName = text(r)
				case "dob":
					c.dobText = text(r)
				case "gender":
					p.Gender = text(r)
				case "phone_number":
					p.PhoneNumber = text(r)
				case "email":
					p.Email = text(r)
				default:
					r.Skip()
				}
			})
		case "patient_address":
			c.hasAddress = readObject(r, func(key string) {
				a := &c.Address
				switch key {
				case "receiver_name":
					a.ReceiverName = text(r)
				case "first_line":
					a.FirstLine = text(r)
				case "second_line":
					a.SecondLine = text(r)
				case "city":
					a.City = text(r)
				case "state":
					a.State = text(r)
				case "zip":
					a.ZipCode = text(r)
				case "country":
					a.Country = text(r)
				case "phone_number":
					a.PhoneNumber = text(r)
				case "access_notes":
					c.AccessNotes = text(r)
				default:
					r.Skip()
				}
			})
		default:
			r.Skip()
		}
	})
	if len(ps) > 0 {
		return createOrder{}, ps
	}
	ps.required(c.UserID, "body", "user_id")
	ps.required(c.LabTestID, "body", "lab_test_id")
	if !c.hasPatient {
		ps.missing("body", "patient_details")
	} else {
		p := c.Patient
		ps.required(p.FirstName, "body", "patient_details", "first_name")
		ps.required(p.LastName, "body", "patient_details", "last_name")
		if c.dobText == "" {
			ps.missing("body", "patient_details", "dob")
		} else if d, err := order.ParseDate(c.dobText); err != nil {
			ps.add("invalid date format", "value_error.date", "body", "patient_details", "dob")
		} else {
			c.Patient.DOB = d
		}
		ps.required(p.Gender, "body", "patient_details", "gender")
		ps.required(p.PhoneNumber, "body", "patient_details", "phone_number")
		ps.required(p.Email, "body", "patient_details", "email")
	}
	if !c.hasAddress {
		ps.missing("body", "patient_address")
	} else {
		a := c.Address
		ps.required(a.FirstLine, "body", "patient_address", "first_line")
		ps.required(a.City, "body", "patient_address", "city")
		ps.required(a.State, "body", "patient_address", "state")
		ps.required(a.ZipCode, "body", "patient_address", "zip")
		ps.required(a.Country, "body", "patient_address", "country")
		ps.notes(c.AccessNotes, "body", "patient_address", "access_notes")
	}
	if c.activateByText != "" {
		if d, err := order.ParseDate(c.activateByText); err != nil {
			ps.add("invalid date format", "value_error.date", "body", "activate_by")
		} else {
			c.ActivateBy = d
		}
	}
	if len(ps) > 0 {
		return createOrder{}, ps
	}
	return c, nil
}

// readObject reads an object member, calling member for each of its
// members, and reports whether it was an object (false for null; any other
// value is a type error the reader records).
func readObject(r *jsonwire.Reader, member func(key string)) bool {
	if !r.Object() {
		return false
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		member(k)
	}
	return true
}

// readUSAddress reads a USAddress member: first_line, second_line, city,
// state, zip_code, the deprecated unit and access_notes.
func readUSAddress(r *jsonwire.Reader) (order.Address, bool) {
	var a order.Address
	ok := readObject(r, func(key string) {
		switch key {
		case "first_line":
			a.FirstLine = text(r)
		case "second_line":
			a.SecondLine = text(r)
		case "city":
			a.City = text(r)
		case "state":
			a.State = text(r)
		case "zip_code":
			a.ZipCode = text(r)
		case "unit":
			a.Unit = text(r)
		case "access_notes":
			a.AccessNotes = text(r)
		default:
			r.Skip()
		}
	})
	return a, ok
}

// checkUSAddress reports the required members of a USAddress that are
// missing, under loc, and access notes that are too long.
func (ps *problems) checkUSAddress(a order.Address, loc ...any) {
	at := func(field string) []any { return append(append([]any(nil), loc...), field) }
	ps.required(a.FirstLine, at("first_line")...)
	ps.required(a.City, at("city")...)
	ps.required(a.State, at("state")...)
	ps.required(a.ZipCode, at("zip_code")...)
	ps.notes(a.AccessNotes, at("access_notes")...)
}

// decodeAddress decodes the body of the availability endpoint: a
// USAddress.
func decodeAddress(data []byte) (order.Address, problems) {
	var (
		ps problems
		rd reader
	)
	if blank(data) {
		ps.missing("body")
		return order.Address{}, ps
	}
	rd.r.Reset(data)
	a, ok := readUSAddress(&rd.r)
	if rd.syntax(&ps) {
		return order.Address{}, ps
	}
	if !ok {
		ps.missing("body")
		return order.Address{}, ps
	}
	ps.checkUSAddress(a, "body")
	if len(ps) > 0 {
		return order.Address{}, ps
	}
	return a, nil
}

// Bounds of the book endpoint's timeouts, in milliseconds.
const (
	minSyncTimeout      = 1000
	maxSyncTimeout      = 10000
	defaultSyncTimeout  = 2500
	minAsyncTimeout     = 60_000
	maxAsyncTimeout     = 172_800_000
	defaultAsyncTimeout = maxAsyncTimeout
)

// bookRequest is the body of the book endpoint.
type bookRequest struct {
	BookingKey       string
	AppointmentNotes string
	Async            bool
	SyncTimeoutMS    int64
	AsyncTimeoutMS   int64
}

// decodeBook decodes and checks the body of POST
// /v3/order/{order_id}/phlebotomy/appointment/book: booking_key is
// required; appointment_notes at most 1000 characters;
// sync_confirmation_timeout_millisecond from 1000 to 10000 (default 2500);
// async_confirmation_timeout_millisecond from 60000 to 172800000 (default
// the maximum, our decision).
func decodeBook(data []byte) (bookRequest, problems) {
	b := bookRequest{SyncTimeoutMS: defaultSyncTimeout, AsyncTimeoutMS: defaultAsyncTimeout}
	var ps problems
	var hasSync, hasAsync bool
	decodeObject(data, &ps, func(r *jsonwire.Reader, key string) {
		switch key {
		case "booking_key":
			b.BookingKey = text(r)
		case "appointment_notes":
			b.AppointmentNotes = text(r)
		case "async_confirmation":
			b.Async = r.Bool()
		case "sync_confirmation_timeout_millisecond":
			hasSync = r.Peek() != jsonwire.Null
			b.SyncTimeoutMS = r.Int64()
		case "async_confirmation_timeout_millisecond":
			hasAsync = r.Peek() != jsonwire.Null
			b.AsyncTimeoutMS = r.Int64()
		default:
			r.Skip()
		}
	})
	if len(ps) > 0 {
		return bookRequest{}, ps
	}
	if !hasSync {
		b.SyncTimeoutMS = defaultSyncTimeout
	}
	if !hasAsync {
		b.AsyncTimeoutMS = defaultAsyncTimeout
	}
	ps.required(b.BookingKey, "body", "booking_key")
	ps.notes(b.AppointmentNotes, "body", "appointment_notes")
	if b.SyncTimeoutMS < minSyncTimeout || b.SyncTimeoutMS > maxSyncTimeout {
		ps.add("ensure this value is between 1000 and 10000", "value_error.number.range",
			"body", "sync_confirmation_timeout_millisecond")
	}
	if b.AsyncTimeoutMS < minAsyncTimeout || b.AsyncTimeoutMS > maxAsyncTimeout {
		ps.add("ensure this value is between 60000 and 172800000", "value_error.number.range",
			"body", "async_confirmation_timeout_millisecond")
	}
	if len(ps) > 0 {
		return bookRequest{}, ps
	}
	return b, nil
}

// rescheduleRequest is the body of the reschedule endpoint.
type rescheduleRequest struct {
	BookingKey       string
	AppointmentNotes string
}

// decodeReschedule decodes and checks the body of PATCH
// /v3/order/{order_id}/phlebotomy/appointment/reschedule: booking_key is
// required, appointment_notes at most 1000 characters.
func decodeReschedule(data []byte) (rescheduleRequest, problems) {
	var q rescheduleRequest
	var ps problems
	decodeObject(data, &ps, func(r *jsonwire.Reader, key string) {
		switch key {
		case "booking_key":
			q.BookingKey = text(r)
		case "appointment_notes":
			q.AppointmentNotes = text(r)
		default:
			r.Skip()
		}
	})
	if len(ps) > 0 {
		return rescheduleRequest{}, ps
	}
	ps.required(q.BookingKey, "body", "booking_key")
	ps.notes(q.AppointmentNotes, "body", "appointment_notes")
	if len(ps) > 0 {
		return rescheduleRequest{}, ps
	}
	return q, nil
}

// requestRequest is the body of the request endpoint.
type requestRequest struct {
	Address          order.Address
	Provider         provider.Provider
	AppointmentNotes string
}

// decodeRequest decodes and checks the body of POST
// /v3/order/{order_id}/phlebotomy/appointment/request: address (a
// USAddress) and provider are required, the provider one this library
// knows; appointment_notes at most 1000 characters.
func decodeRequest(data []byte) (requestRequest, problems) {
	var q requestRequest
	var ps problems
	var hasAddress bool
	var name string
	decodeObject(data, &ps, func(r *jsonwire.Reader, key string) {
		switch key {
		case "address":
			q.Address, hasAddress = readUSAddress(r)
		case "provider":
			name = text(r)
		case "appointment_notes":
			q.AppointmentNotes = text(r)
		default:
			r.Skip()
		}
	})
	if len(ps) > 0 {
		return requestRequest{}, ps
	}
	if !hasAddress {
		ps.missing("body", "address")
	} else {
		ps.checkUSAddress(q.Address, "body", "address")
	}
	if name == "" {
		ps.missing("body", "provider")
	} else if p, err := provider.Parse(name); err != nil {
		ps.add(err.Error(), "type_error.enum", "body", "provider")
	} else {
		q.Provider = p
	}
	ps.notes(q.AppointmentNotes, "body", "appointment_notes")
	if len(ps) > 0 {
		return requestRequest{}, ps
	}
	return q, nil
}

// cancelRequest is the body of the cancel appointment endpoint.
type cancelRequest struct {
	ReasonID string
	Notes    string
}

// decodeCancel decodes and checks the body of PATCH
// /v3/order/{order_id}/phlebotomy/appointment/cancel:
// cancellation_reason_id is required, notes at most 1000 characters (our
// decision, as for the other notes).
func decodeCancel(data []byte) (cancelRequest, problems) {
	var q cancelRequest
	var ps problems
	decodeObject(data, &ps, func(r *jsonwire.Reader, key string) {
		switch key {
		case "cancellation_reason_id":
			q.ReasonID = text(r)
		case "notes":
			q.Notes = text(r)
		default:
			r.Skip()
		}
	})
	if len(ps) > 0 {
		return cancelRequest{}, ps
	}
	ps.required(q.ReasonID, "body", "cancellation_reason_id")
	ps.notes(q.Notes, "body", "notes")
	if len(ps) > 0 {
		return cancelRequest{}, ps
	}
	return q, nil
}

// decodeSimulationFlags checks the optional body of POST
// /v3/order/{order_id}/test: nothing, null, or an object (Junction's
// SimulationFlags, which shape the results this server does not make).
func decodeSimulationFlags(data []byte) problems {
	if blank(data) {
		return nil
	}
	var ps problems
	var rd reader
	rd.r.Reset(data)
	switch rd.r.Peek() {
	case jsonwire.Object, jsonwire.Null:
		rd.r.Skip()
		rd.syntax(&ps)
	case jsonwire.Invalid, jsonwire.Bool, jsonwire.Number, jsonwire.String, jsonwire.Array:
		rd.r.Skip()
		if !rd.syntax(&ps) {
			ps.add("value is not a valid dict", "type_error.dict", "body")
		}
	}
	return ps
}
