package junction

import (
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// The wire model: the request and response bodies of Junction's at-home
// phlebotomy endpoints, with Junction's member names, for
// github.com/go-json-experiment/json. Where the module already has the
// value Junction sends (order.Order, order.Address, order.Patient,
// order.Date, appointment.Appointment, appointment.CancellationReason,
// provider.AreaInfo, provider.Provider), the bodies hold it: one wire
// model for the client and for a server that answers like Junction.
//
// Decoding is lenient about presence, as the sandbox needs to report
// what is missing itself: a required string that is absent or null is
// "", a required object that is absent or null is a nil pointer. Member
// names match exactly; unknown members are ignored; a repeated member is
// an error.

// CreateOrderRequest is the body of POST /v3/order (Junction's
// CreateOrderRequestCompatible), for an at-home phlebotomy order.
// UserID, Patient (first_name, last_name, dob, gender, phone_number and
// email) and Address (first_line, city, state, zip and country) are
// required; LabTestID names the test to order.
//
// It encodes the address in the order's form, with zip (Junction's
// PatientAddressWithValidation), and the unit as second_line when
// SecondLine is empty; it decodes zip or zip_code, as [order.Address]
// does.
type CreateOrderRequest struct {
	// UserID is the Junction user the order is for (user_id), a UUID.
	UserID string `json:"user_id"`
	// LabTestID is the lab test to order (lab_test_id), a UUID. Junction's
	// OpenAPI document marks it deprecated in favour of order_set, which
	// this type does not model; the ordering guide still uses it.
	LabTestID string `json:"lab_test_id,omitempty"`
	// CollectionMethod is how the sample is collected (collection_method),
	// [order.ModalityAtHomePhlebotomy] here; empty lets the lab test
	// decide.
	CollectionMethod order.Modality `json:"collection_method,omitempty"`
	// Patient holds the patient's details (patient_details); nil when
	// absent or null.
	Patient *order.Patient `json:"patient_details"`
	// Address is the patient's address (patient_address), with its
	// access notes; nil when absent or null.
	Address *order.Address `json:"patient_address"`
	// ActivateBy schedules the order for a later day (activate_by); the
	// zero Date processes it at once.
	ActivateBy order.Date `json:"activate_by,omitzero"`
}

// patientAddress is an order's patient_address as a create-order request
// writes it: zip, not zip_code.
type patientAddress struct {
	ReceiverName string `json:"receiver_name,omitempty"`
	FirstLine    string `json:"first_line"`
	SecondLine   string `json:"second_line,omitempty"`
	City         string `json:"city"`
	State        string `json:"state"`
	Zip          string `json:"zip"`
	Country      string `json:"country"`
	AccessNotes  string `json:"access_notes,omitempty"`
	PhoneNumber  string `json:"phone_number,omitempty"`
}

// createOrderOut is what a [CreateOrderRequest] writes.
type createOrderOut struct {
	UserID           string          `json:"user_id"`
	LabTestID        string          `json:"lab_test_id,omitempty"`
	CollectionMethod order.Modality  `json:"collection_method,omitempty"`
	Patient          *order.Patient  `json:"patient_details"`
	Address          *patientAddress `json:"patient_address"`
	ActivateBy       order.Date      `json:"activate_by,omitzero"`
}

// plainCreateOrder is a [CreateOrderRequest] without its methods, read by
// its tags.
type plainCreateOrder CreateOrderRequest

// MarshalJSONTo writes r with Junction's member names, its address in the
// order's form (zip), for github.com/go-json-experiment/json.
func (r CreateOrderRequest) MarshalJSONTo(enc *jsontext.Encoder) error {
	out := createOrderOut{UserID: r.UserID, LabTestID: r.LabTestID, CollectionMethod: r.CollectionMethod,
		Patient: r.Patient, ActivateBy: r.ActivateBy}
	if a := r.Address; a != nil {
		out.Address = &patientAddress{ReceiverName: a.ReceiverName, FirstLine: a.FirstLine,
			SecondLine: a.EffectiveSecondLine(), City: a.City, State: a.State, Zip: a.ZipCode,
			Country: a.Country, AccessNotes: a.AccessNotes, PhoneNumber: a.PhoneNumber}
	}
	return json.MarshalEncode(enc, &out)
}

// UnmarshalJSONFrom reads r from Junction's JSON, for
// github.com/go-json-experiment/json. On error r is unchanged.
func (r *CreateOrderRequest) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if r == nil {
		return errNilDestination
	}
	var v plainCreateOrder
	if err := json.UnmarshalDecode(dec, &v); err != nil {
		return err
	}
	*r = CreateOrderRequest(v)
	return nil
}

// OrderResponse is the answer of POST /v3/order and POST
// /v3/order/{order_id}/cancel (Junction's PostOrderResponse): the order,
// with a status and a message such as "success" and "Order created
// successfully".
type OrderResponse struct {
	// Order is the order as it now is.
	Order order.Order `json:"order"`
	// Status is Junction's word for the outcome, such as "success".
	Status string `json:"status"`
	// Message says what happened, as a person reads it.
	Message string `json:"message"`
}

// AvailabilityRequest is what POST
// /v3/order/phlebotomy/appointment/availability takes: the body is
// Address, in the USAddress form (zip_code), and StartDate is the
// start_date query parameter. It has no JSON form of its own.
type AvailabilityRequest struct {
	// Address is where the patient is, the request's body.
	Address order.Address
	// StartDate is the first day to offer slots for (start_date); the
	// zero Date lets Junction start today.
	StartDate order.Date
}

// Availability is the answer of the availability endpoint (Junction's
// AppointmentAvailabilitySlots): the slots offered, by day, and the time
// zone of the area.
type Availability struct {
	// Slots are the days with slots, in order; written as an array, never
	// null.
	Slots []DaySlots `json:"slots"`
	// Timezone is the area's IANA time zone (timezone), such as
	// "America/Phoenix"; empty when Junction sends none or null.
	Timezone string `json:"timezone,omitempty"`
}

// DaySlots is one day of an [Availability] (Junction's DaySlots).
type DaySlots struct {
	// Date is the day, in the area's time zone (date).
	Date order.Date `json:"date"`
	// Location is the patient service centre of the slots (location), kept
	// as JSON and not interpreted; nil for at-home slots, which have
	// none.
	Location jsontext.Value `json:"location,omitzero"`
	// Slots are the day's time slots, in order; written as an array, never
	// null.
	Slots []TimeSlot `json:"slots"`
}

// TimeSlot is one slot a patient may book (Junction's TimeSlot). Its
// times are in UTC; on the wire they are RFC 3339, and a time without a
// zone designator is read as UTC, as Junction means it.
type TimeSlot struct {
	// BookingKey is what the book and reschedule endpoints take for this
	// slot (booking_key); empty when Junction sends none or null. It
	// expires at ExpiresAt.
	BookingKey string
	// Start and End bound the slot (start, end).
	Start, End time.Time
	// ExpiresAt is when BookingKey stops being accepted (expires_at); the
	// zero time when Junction sends none or null.
	ExpiresAt time.Time
	// Price is what the slot costs (price), in US dollars (inferred: the
	// schema gives no currency).
	Price float64
	// IsPriority reports whether the slot is a priority slot
	// (is_priority).
	IsPriority bool
	// NumAppointmentsAvailable is how many appointments the slot still
	// takes (num_appointments_available).
	NumAppointmentsAvailable int
}

// timeSlotIn is what a [TimeSlot] decodes from: its times as text.
type timeSlotIn struct {
	BookingKey               string  `json:"booking_key"`
	Start                    string  `json:"start"`
	End                      string  `json:"end"`
	ExpiresAt                string  `json:"expires_at"`
	Price                    float64 `json:"price"`
	IsPriority               bool    `json:"is_priority"`
	NumAppointmentsAvailable int     `json:"num_appointments_available"`
}

// timeSlotOut is what a [TimeSlot] writes.
type timeSlotOut struct {
	BookingKey               *string `json:"booking_key"`
	Start                    string  `json:"start"`
	End                      string  `json:"end"`
	ExpiresAt                *string `json:"expires_at"`
	Price                    float64 `json:"price"`
	IsPriority               bool    `json:"is_priority"`
	NumAppointmentsAvailable int     `json:"num_appointments_available"`
}

// wireTime writes t as Junction writes its times: RFC 3339 in UTC.
func wireTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// MarshalJSONTo writes s with Junction's member names, its times RFC 3339
// in UTC, and booking_key and expires_at null when empty or zero, for
// github.com/go-json-experiment/json.
func (s TimeSlot) MarshalJSONTo(enc *jsontext.Encoder) error {
	out := timeSlotOut{Start: wireTime(s.Start), End: wireTime(s.End), Price: s.Price, IsPriority: s.IsPriority,
		NumAppointmentsAvailable: s.NumAppointmentsAvailable}
	if s.BookingKey != "" {
		out.BookingKey = &s.BookingKey
	}
	if !s.ExpiresAt.IsZero() {
		t := wireTime(s.ExpiresAt)
		out.ExpiresAt = &t
	}
	return json.MarshalEncode(enc, &out)
}

// UnmarshalJSONFrom reads s from Junction's JSON, for
// github.com/go-json-experiment/json: times as [appointment.ParseTime]
// reads them, in UTC; a time that is absent, null or "" is zero. On error
// s is unchanged.
func (s *TimeSlot) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if s == nil {
		return errNilDestination
	}
	var in timeSlotIn
	if err := json.UnmarshalDecode(dec, &in); err != nil {
		return err
	}
	v := TimeSlot{BookingKey: in.BookingKey, Price: in.Price, IsPriority: in.IsPriority,
		NumAppointmentsAvailable: in.NumAppointmentsAvailable}
	for _, f := range [...]struct {
		name string
		text string
		to   *time.Time
	}{{"start", in.Start, &v.Start}, {"end", in.End, &v.End}, {"expires_at", in.ExpiresAt, &v.ExpiresAt}} {
		if f.text == "" {
			continue
		}
		t, err := appointment.ParseTime(f.text)
		if err != nil {
			return &json.SemanticError{JSONPointer: dec.StackPointer() + jsontext.Pointer("/"+f.name), Err: err}
		}
		*f.to = t
	}
	*s = v
	return nil
}

// BookRequest is the body of POST
// /v3/order/{order_id}/phlebotomy/appointment/book (Junction's
// AppointmentBookingRequest). BookingKey is required.
type BookRequest struct {
	// BookingKey is the slot to book (booking_key), from an
	// [Availability].
	BookingKey string `json:"booking_key"`
	// AppointmentNotes are instructions for this appointment
	// (appointment_notes), at most 1000 characters.
	AppointmentNotes string `json:"appointment_notes,omitempty"`
	// AsyncConfirmation asks Junction to answer within
	// SyncConfirmationTimeoutMS with a pending appointment if the provider
	// has not confirmed by then, and to go on booking afterwards
	// (async_confirmation).
	AsyncConfirmation bool `json:"async_confirmation,omitzero"`
	// SyncConfirmationTimeoutMS is how long to wait for the provider's
	// confirmation, in milliseconds, from 1000 to 10000
	// (sync_confirmation_timeout_millisecond); nil leaves Junction's
	// default, 2500.
	SyncConfirmationTimeoutMS *int64 `json:"sync_confirmation_timeout_millisecond,omitzero"`
	// AsyncConfirmationTimeoutMS is how long Junction goes on booking
	// before it cancels the pending appointment, in milliseconds, from
	// 60000 to 172800000 (async_confirmation_timeout_millisecond); nil
	// leaves Junction's default.
	AsyncConfirmationTimeoutMS *int64 `json:"async_confirmation_timeout_millisecond,omitzero"`
}

// RequestAppointmentRequest is the body of POST
// /v3/order/{order_id}/phlebotomy/appointment/request (Junction's
// RequestAppointmentRequest): Address and Provider are required.
type RequestAppointmentRequest struct {
	// Address is where the patient is (address), in the USAddress form;
	// nil when absent or null.
	Address *order.Address `json:"address"`
	// Provider is the appointment-request provider to ask (provider), such
	// as [provider.Phlebfinders]; zero when absent. A name
	// [provider.Parse] refuses does not decode.
	Provider provider.Provider `json:"provider,omitzero"`
	// AppointmentNotes are instructions for this appointment
	// (appointment_notes), at most 1000 characters.
	AppointmentNotes string `json:"appointment_notes,omitempty"`
}

// RescheduleRequest is the body of PATCH
// /v3/order/{order_id}/phlebotomy/appointment/reschedule (Junction's
// AppointmentRescheduleRequest). BookingKey is required.
type RescheduleRequest struct {
	// BookingKey is the new slot (booking_key), from an [Availability].
	BookingKey string `json:"booking_key"`
	// AppointmentNotes replace the appointment's notes
	// (appointment_notes), at most 1000 characters; empty keeps them
	// (inferred).
	AppointmentNotes string `json:"appointment_notes,omitempty"`
}

// CancelAppointmentRequest is the body of PATCH
// /v3/order/{order_id}/phlebotomy/appointment/cancel (Junction's
// AppointmentCancelRequest). CancellationReasonID is required.
type CancelAppointmentRequest struct {
	// CancellationReasonID is the id of an
	// [appointment.CancellationReason] (cancellation_reason_id).
	CancellationReasonID string `json:"cancellation_reason_id"`
	// Notes say more about the cancellation (notes).
	Notes string `json:"notes,omitempty"`
}
