package appointment

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

// The decoders read the document once, front to back, with a
// jsonwire.Reader: each member is read as the type its field wants, and
// everything else is validated and skipped. The reader stops at the first
// fault, a syntax error, a value of the wrong JSON type, or a value a
// decoder refuses with Fail (a malformed timestamp), and finish turns that
// fault into a *DecodeError. An unknown status is not a fault: the decoders
// keep reading and return its error beside the value.
//
// Strings without escapes are substrings of the reader's document, so that
// a decoded value shares its memory with one copy of the input.

// finish checks that nothing but white space follows the value read, and
// returns the reader's first fault as a *DecodeError: Field is the JSON
// path of the value at fault, empty when the document is not valid JSON
// (the document as a whole is then at fault, as encoding/json reports it).
func finish(r *jsonwire.Reader) *DecodeError {
	if r.End() == nil {
		return nil
	}
	e := r.Err().(*jsonwire.Error) // a Reader's only kind of error
	if se, ok := e.Err.(*jsonwire.SyntaxError); ok {
		return &DecodeError{Err: se}
	}
	return &DecodeError{Field: e.Path(), Err: e.Err}
}

// readAppointment reads the members of an appointment object, whose
// opening brace r has read, into a, which is zero. It returns the error of
// an unknown status or event status (the status's first), with the field's
// name, and leaves that status zero. A repeated member's last value wins
// whole, its unknown status included.
func readAppointment(r *jsonwire.Reader, a *Appointment) *DecodeError {
	var statusErr, eventStatusErr *DecodeError
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "id":
			a.ID = r.Text()
		case "user_id":
			a.UserID = r.Text()
		case "order_id":
			a.OrderID = r.Text()
		case "order_transaction_id":
			a.OrderTransactionID = r.Text()
		case "external_id":
			a.ExternalID = r.Text()
		case "address":
			a.Address = readAddress(r)
		case "location":
			a.Location = readLocation(r)
		case "start_at":
			a.StartAt = readTime(r)
		case "end_at":
			a.EndAt = readTime(r)
		case "iana_timezone":
			a.IANATimezone = r.Text()
		case "type":
			a.Type = Type(r.Text())
		case "provider":
			a.Provider = r.Text()
		case "status":
			a.Status, statusErr = readStatus(r, k)
		case "event_status":
			a.EventStatus, eventStatusErr = readStatus(r, k)
		case "provider_id":
			a.ProviderID = r.Text()
		case "can_reschedule":
			a.CanReschedule = r.Bool()
		case "appointment_notes":
			a.AppointmentNotes = r.Text()
		case "event_data":
			a.EventData = readEventData(r)
		case "events":
			a.History = readEvents(r)
		default:
			r.Skip()
		}
	}
	if statusErr != nil {
		return statusErr
	}
	return eventStatusErr
}

// readStatus reads a status, or null for the zero Status. Text that
// ParseStatus refuses gives the zero Status and a *DecodeError naming
// field.
func readStatus(r *jsonwire.Reader, field string) (Status, *DecodeError) {
	text, ok := r.NullableString()
	if !ok {
		return 0, nil
	}
	if s := parseStatus(text); s != 0 {
		return s, nil
	}
	// The error may outlive the value: it keeps its own copy of the text.
	return 0, &DecodeError{Field: field, Err: &ParseError{Kind: "status", Text: strings.Clone(text), Err: ErrUnknownStatus}}
}

// readTime reads a timestamp, or null for the zero time; a string
// ParseTime refuses is a fault.
func readTime(r *jsonwire.Reader) time.Time {
	text, ok := r.NullableString()
	if !ok {
		return time.Time{}
	}
	t, ok := jsonwire.ParseTime(text)
	if !ok {
		r.Fail(&ParseError{Kind: "time", Text: strings.Clone(text), Err: ErrMalformed})
		return time.Time{}
	}
	return t
}

// readAddress reads an address object, or null for the zero Address.
func readAddress(r *jsonwire.Reader) Address {
	var a Address
	if !r.Object() {
		return a
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "first_line":
			a.FirstLine = r.Text()
		case "second_line":
			a.SecondLine = r.Text()
		case "city":
			a.City = r.Text()
		case "state":
			a.State = r.Text()
		case "zip_code":
			a.ZipCode = r.Text()
		case "unit":
			a.Unit = r.Text()
		case "access_notes":
			a.AccessNotes = r.Text()
		case "country":
			a.Country = r.Text()
		default:
			r.Skip()
		}
	}
	return a
}

// readLocation reads a location object, or null for the zero Location.
func readLocation(r *jsonwire.Reader) Location {
	var l Location
	if !r.Object() {
		return l
	}
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "lng":
			l.Lng = r.Float64()
		case "lat":
			l.Lat = r.Float64()
		default:
			r.Skip()
		}
	}
	return l
}

// readEventData reads an event data object, or null for the zero
// EventData.
func readEventData(r *jsonwire.Reader) EventData {
	var d EventData
	if r.Object() {
		readEventDataMembers(r, &d)
	}
	return d
}

// readEventDataMembers reads the members of an event data object, whose
// opening brace r has read, into d, which is zero. Extra is made for the
// first member other than origin and is_reschedule.
func readEventDataMembers(r *jsonwire.Reader, d *EventData) {
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "origin":
			d.Origin = r.Text()
		case "is_reschedule":
			d.IsReschedule = r.Bool()
		default:
			raw := r.Raw()
			if d.Extra == nil {
				d.Extra = make(map[string]json.RawMessage)
			}
			d.Extra[k] = rawMessage(raw)
		}
	}
}

// readEvents reads an events[] history, or null; it returns nil when the
// history is empty.
func readEvents(r *jsonwire.Reader) []HistoryEntry {
	var events []HistoryEntry
	if !r.Array() {
		return nil
	}
	for r.More() {
		if events == nil {
			events = make([]HistoryEntry, 0, 4) // most histories are a few entries long
		}
		events = append(events, HistoryEntry{})
		if r.Object() {
			readEntry(r, &events[len(events)-1])
		}
	}
	return events
}

// readEntry reads the members of a history entry, whose opening brace r
// has read, into e, which is zero.
func readEntry(r *jsonwire.Reader, e *HistoryEntry) {
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "created_at":
			e.CreatedAt = readTime(r)
		case "status":
			e.Status = r.Text()
		case "data":
			e.Data = rawMessage(r.Raw())
		default:
			r.Skip()
		}
	}
}

// rawMessage returns raw, a JSON value as [jsonwire.Reader.Raw] returns
// it, in a new slice as encoding/json writes a json.RawMessage back:
// compacted, with <, >, & and the line and paragraph separators escaped;
// nil for null, and for the empty text of a reader that has failed.
// Decoding what encoding wrote then gives the same bytes.
func rawMessage(raw string) json.RawMessage {
	if raw == "null" || raw == "" {
		return nil
	}
	return jsonwire.AppendCanonical(make(json.RawMessage, 0, len(raw)), raw)
}

// readWebhook reads the members of a webhook envelope, whose opening brace
// r has read, and checks its event type. The event type is checked before
// the data, wherever it stands: data met after a valid event_type is read
// in place; data met before (or after an event_type that is not an
// appointment's, which a later event_type may replace) is kept raw, and
// read once the event type is known to be an appointment's. (A body that
// repeats event_type is read in order: data that follows an appointment's
// event type is read in place, and a fault in it is reported even if a
// later event_type is someone else's.) It returns the reader's first
// fault, the event type's error, the data's fault under "data", or the
// data's unknown status.
func readWebhook(r *jsonwire.Reader) (Webhook, *DecodeError) {
	var (
		v        Webhook
		typ      string
		raw      string // the data, when it is read after the envelope
		deferred bool
		unknown  *DecodeError
	)
	for k, ok := r.Key(); ok; k, ok = r.Key() {
		switch k {
		case "event_type":
			typ = r.Text()
		case "data":
			v.Data, unknown, deferred = Appointment{}, nil, false
			switch typ {
			case WebhookCreated, WebhookUpdated, WebhookUpdatedLegacy:
				if r.Object() {
					unknown = readAppointment(r, &v.Data)
				}
			default:
				raw, deferred = r.Raw(), true
			}
		case "user_id":
			v.UserID = r.Text()
		case "client_user_id":
			v.ClientUserID = r.Text()
		case "team_id":
			v.TeamID = r.Text()
		default:
			r.Skip()
		}
	}
	if err := finish(r); err != nil {
		return Webhook{}, err
	}
	var err error
	if v.EventType, err = webhookType(typ); err != nil {
		return Webhook{}, &DecodeError{Field: "event_type", Err: err}
	}
	if deferred {
		var d jsonwire.Reader
		d.ResetString(raw)
		a, err := decodeAppointment(&d)
		if err != nil && !errors.Is(err, ErrUnknownStatus) {
			return Webhook{}, err.under("data")
		}
		v.Data = a
		if err != nil {
			return v, err.under("data")
		}
	}
	if unknown != nil {
		return v, unknown.under("data")
	}
	return v, nil
}

// decodeAppointment decodes the appointment r reads, the whole document.
// When the only trouble is an unknown status it returns the rest of the
// appointment beside the error, with that status zero; on any other error,
// the zero Appointment. null gives the zero Appointment.
func decodeAppointment(r *jsonwire.Reader) (Appointment, *DecodeError) {
	a, _, err := decodeAppointmentOrNull(r)
	return a, err
}

// decodeAppointmentOrNull is decodeAppointment that also reports whether
// the document was an object rather than null.
func decodeAppointmentOrNull(r *jsonwire.Reader) (Appointment, bool, *DecodeError) {
	var a Appointment
	var unknown *DecodeError
	present := r.Object()
	if present {
		unknown = readAppointment(r, &a)
	}
	if err := finish(r); err != nil {
		return Appointment{}, false, err
	}
	return a, present, unknown
}

// decodeWebhook decodes the webhook r reads, the whole document; like
// decodeAppointment, it returns the rest of the webhook beside an
// unknown-status error. null gives the zero Webhook.
func decodeWebhook(r *jsonwire.Reader) (Webhook, bool, *DecodeError) {
	if !r.Object() {
		return Webhook{}, false, finish(r)
	}
	v, err := readWebhook(r)
	return v, true, err
}

// asError returns e as an error: nil for a nil e, which as an error would
// not be nil.
func asError(e *DecodeError) error {
	if e == nil {
		return nil
	}
	return e
}
