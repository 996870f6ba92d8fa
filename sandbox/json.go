package sandbox

import (
	"bytes"
	"cmp"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/bounds"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

// problems is what is wrong with a request, the detail list of a 422
// answer as Junction's API writes it (HTTPValidationError).
type problems []junction.Problem

func (ps *problems) add(msg, typ string, loc ...any) {
	*ps = append(*ps, junction.Problem{Loc: loc, Msg: msg, Type: typ})
}

func (ps *problems) missing(loc ...any) { ps.add("field required", "value_error.missing", loc...) }

// required reports a required string that is empty (absent, null or "").
func (ps *problems) required(s string, loc ...any) {
	if s == "" {
		ps.missing(loc...)
	}
}

// notes reports notes longer than scheduling's rules allow.
func (ps *problems) notes(s string, loc ...any) {
	if scheduling.CheckNotes(s, "") != nil {
		ps.add("ensure this value has at most "+strconv.Itoa(scheduling.MaxNotes)+" characters",
			"value_error.any_str.max_length", loc...)
	}
}

// blank reports whether data holds only JSON white space.
func blank(data []byte) bool { return len(bytes.Trim(data, " \t\r\n")) == 0 }

// decodeBody decodes a request body, an object, into v, and reports what
// keeps it from doing so: a body that is absent or null, not an object,
// not JSON (a repeated member and invalid UTF-8 included), or a member of
// the wrong type, at loc ("body", then the JSON Pointer's tokens). Member
// names are matched exactly; unknown ones are ignored, as Junction does.
func decodeBody(data []byte, v any) problems {
	var ps problems
	err := json.Unmarshal(data, v)
	top := jsontext.Value(bytes.TrimLeft(data, " \t\r\n")).Kind()
	var semantic *json.SemanticError
	switch {
	case blank(data) || err == nil && top == 'n':
		ps.missing("body")
	case errors.As(err, new(*jsontext.SyntacticError)):
		ps.add(msgInvalidJSON, "value_error.jsondecode", "body")
	case err != nil && top != '{':
		ps.add("value is not a valid dict", "type_error.dict", "body")
	case errors.As(err, &semantic):
		loc := []any{"body"}
		for tok := range semantic.JSONPointer.Tokens() {
			if n, err := strconv.Atoi(tok); err == nil && n >= 0 {
				loc = append(loc, n) // an index: no member of a request body is named by digits
			} else {
				loc = append(loc, tok)
			}
		}
		// The messages are the server's own: v2's vary from run to run.
		switch name, msg := typeError(semantic.GoType); {
		case semantic.GoType == dateType:
			ps.add("invalid date format", "value_error.date", loc...)
		case semantic.GoType == providerType:
			ps.add(msgProviderEnum, "type_error.enum", loc...)
		case semantic.Err == nil || name == "integer":
			ps.add(msg, "type_error."+name, loc...)
		default:
			ps.add(msgInvalidValue, "value_error", loc...) // what a domain type refused
		}
	case err != nil:
		ps.add(msgInvalidJSON, "value_error.jsondecode", "body")
	}
	return ps
}

// typeError returns the name and the message of the type error Junction's
// API writes for a member of Go type t: str, bool, integer, or dict for an
// object (and for a nil t).
func typeError(t reflect.Type) (name, msg string) {
	switch {
	case t == nil:
	case t.Kind() == reflect.String:
		return "str", "str type expected"
	case t.Kind() == reflect.Bool:
		return "bool", "value could not be parsed to a boolean"
	case t.Kind() == reflect.Int64:
		return "integer", "value is not a valid integer"
	}
	return "dict", "value is not a valid dict"
}

// The domain types whose refusals have words of their own.
var (
	dateType     = reflect.TypeFor[order.Date]()
	providerType = reflect.TypeFor[provider.Provider]()
)

// decodeChecked decodes a body into a T as decodeBody does, then has check
// report what is wrong with its members; the zero T beside any problem.
func decodeChecked[T any](data []byte, check func(*T, *problems)) (T, problems) {
	var v T
	ps := decodeBody(data, &v)
	if ps == nil {
		check(&v, &ps)
	}
	if ps != nil {
		return *new(T), ps
	}
	return v, nil
}

// decodeCreateOrder decodes and checks the body of POST /v3/order
// (junction.CreateOrderRequest): user_id (a UUID), lab_test_id,
// patient_details (first_name, last_name, dob, gender, phone_number,
// email) and patient_address (in the order's form) are required.
func decodeCreateOrder(data []byte) (junction.CreateOrderRequest, problems) {
	return decodeChecked(data, func(c *junction.CreateOrderRequest, ps *problems) {
		if ps.required(c.UserID, "body", "user_id"); c.UserID != "" && !isUUID(c.UserID) {
			ps.add("value is not a valid uuid", "type_error.uuid", "body", "user_id")
		}
		ps.required(c.LabTestID, "body", "lab_test_id")
		if p := c.Patient; p == nil {
			ps.missing("body", "patient_details")
		} else {
			ps.required(p.FirstName, "body", "patient_details", "first_name")
			ps.required(p.LastName, "body", "patient_details", "last_name")
			ps.required(p.DOB.String(), "body", "patient_details", "dob")
			ps.required(p.Gender, "body", "patient_details", "gender")
			ps.required(p.PhoneNumber, "body", "patient_details", "phone_number")
			ps.required(p.Email, "body", "patient_details", "email")
		}
		ps.address(c.Address, "zip", "body", "patient_address")
	})
}

// zipPattern is the pattern of a zip code in Junction's addresses.
var zipPattern = regexp.MustCompile(`^\d{5}(-\d{4})?$`)

// address reports what is missing from an address under loc (first_line,
// city, state, the zip code), and access notes that are too long. zip
// names the zip code's member: "zip_code" in a USAddress, "zip" in an
// order's form, which also requires country and a zip code of zipPattern.
func (ps *problems) address(a *order.Address, zip string, loc ...any) {
	if a == nil {
		ps.missing(loc...)
		return
	}
	at := func(field string) []any { return append(append([]any(nil), loc...), field) }
	ps.required(a.FirstLine, at("first_line")...)
	ps.required(a.City, at("city")...)
	ps.required(a.State, at("state")...)
	ps.required(a.ZipCode, at(zip)...)
	if zip == "zip" {
		if a.ZipCode != "" && !zipPattern.MatchString(a.ZipCode) {
			ps.add(msgAddressZip, "value_error.str.regex", at(zip)...)
		}
		ps.required(a.Country, at("country")...)
	}
	ps.notes(a.AccessNotes, at("access_notes")...)
}

// decodeAddress decodes the body of the availability endpoint: a
// USAddress.
func decodeAddress(data []byte) (order.Address, problems) {
	return decodeChecked(data, func(a *order.Address, ps *problems) { ps.address(a, "zip_code", "body") })
}

// decodeBook decodes and checks the body of the book endpoint
// (junction.BookRequest): booking_key is required; the timeouts, when
// absent or null, take their defaults (15 minutes for the async one, as
// Junction's OpenAPI document says), so that a body it accepts has both.
func decodeBook(data []byte) (junction.BookRequest, problems) {
	return decodeChecked(data, func(b *junction.BookRequest, ps *problems) {
		b.SyncConfirmationTimeoutMS = cmp.Or(b.SyncConfirmationTimeoutMS, new(int64(bounds.DefaultSyncTimeoutMS)))
		b.AsyncConfirmationTimeoutMS = cmp.Or(b.AsyncConfirmationTimeoutMS, new(int64(bounds.DefaultAsyncTimeoutMS)))
		ps.required(b.BookingKey, "body", "booking_key")
		ps.notes(b.AppointmentNotes, "body", "appointment_notes")
		if n := *b.SyncConfirmationTimeoutMS; n < bounds.MinSyncTimeoutMS || n > bounds.MaxSyncTimeoutMS {
			ps.add(bounds.OutOfRange(bounds.MinSyncTimeoutMS, bounds.MaxSyncTimeoutMS), "value_error.number.range",
				"body", "sync_confirmation_timeout_millisecond")
		}
		if n := *b.AsyncConfirmationTimeoutMS; n < bounds.MinAsyncTimeoutMS || n > bounds.MaxAsyncTimeoutMS {
			ps.add(bounds.OutOfRange(bounds.MinAsyncTimeoutMS, bounds.MaxAsyncTimeoutMS), "value_error.number.range",
				"body", "async_confirmation_timeout_millisecond")
		}
	})
}

// decodeReschedule decodes and checks the body of the reschedule endpoint
// (junction.RescheduleRequest).
func decodeReschedule(data []byte) (junction.RescheduleRequest, problems) {
	return decodeChecked(data, func(q *junction.RescheduleRequest, ps *problems) {
		ps.required(q.BookingKey, "body", "booking_key")
		ps.notes(q.AppointmentNotes, "body", "appointment_notes")
	})
}

// decodeRequest decodes and checks the body of the request endpoint
// (junction.RequestAppointmentRequest): address (a USAddress) and a
// provider this library knows are required.
func decodeRequest(data []byte) (junction.RequestAppointmentRequest, problems) {
	return decodeChecked(data, func(q *junction.RequestAppointmentRequest, ps *problems) {
		ps.address(q.Address, "zip_code", "body", "address")
		if !q.Provider.IsValid() {
			ps.missing("body", "provider")
		}
		ps.notes(q.AppointmentNotes, "body", "appointment_notes")
	})
}

// decodeCancel decodes and checks the body of the cancel endpoint
// (junction.CancelAppointmentRequest); its notes are held to the limit of
// the other notes (our decision).
func decodeCancel(data []byte) (junction.CancelAppointmentRequest, problems) {
	return decodeChecked(data, func(q *junction.CancelAppointmentRequest, ps *problems) {
		ps.required(q.CancellationReasonID, "body", "cancellation_reason_id")
		ps.notes(q.Notes, "body", "notes")
	})
}

// decodeSimulationFlags checks the optional body of the test endpoint:
// nothing, null, or an object (Junction's SimulationFlags, which shape the
// results this server does not make).
func decodeSimulationFlags(data []byte) problems {
	if ps := decodeBody(data, &struct{}{}); len(ps) != 1 || ps[0].Type != "value_error.missing" {
		return ps
	}
	return nil // nothing, or null
}

// writeJSON answers status with v's JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v, json.Deterministic(true))
	if err != nil { // unreachable: the server writes only what Junction's JSON holds
		status, b = http.StatusInternalServerError, []byte(`{"detail":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// detail answers status with {"detail": msg}, as Junction's API does.
func detail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, junction.ErrorBody{Detail: junction.Detail{Message: msg}})
}

// invalid answers 422 with the problems, as Junction's API does.
func invalid(w http.ResponseWriter, ps problems) {
	writeJSON(w, http.StatusUnprocessableEntity, junction.ErrorBody{Detail: junction.Detail{Problems: ps}})
}
