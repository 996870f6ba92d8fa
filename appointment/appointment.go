package appointment

import (
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// Appointment is an appointment as Junction sends it: the data of a
// labtest.appointment.* webhook, and the response of the book, request,
// reschedule and get appointment endpoints. It is an at-home phlebotomy
// appointment, or a walk-in appointment at a patient service centre, which
// Junction sends on the same events: [Appointment.IsPhlebotomy] tells them
// apart, and this package's lifecycle and rules are those of at-home
// phlebotomy. It decodes straight from that JSON and encodes back to
// Junction's field names; for a value that was decoded, decoding what it
// encodes gives an equal value. (A value built by hand is normalised on the
// way: times in UTC, raw JSON compacted, an empty history or Extra map made
// nil.)
//
// Decoding is strict about shape and lenient about presence: a missing or
// null field leaves its zero value, but JSON that is invalid, a value of the
// wrong JSON type, a repeated member, an unknown status or a malformed
// timestamp is a *[DecodeError] (see [Decode]), and the destination is left
// unchanged. Fields this type does not know are dropped, and so are members
// whose names differ from Junction's in letter case only.
//
// Its JSON is github.com/go-json-experiment/json's: the struct tags give
// the plain members, and the methods MarshalJSONTo and UnmarshalJSONFrom
// the special ones (times, statuses, provider data).
type Appointment struct {
	// ID is the appointment's id.
	ID string `json:"id"`
	// UserID is the Junction user the appointment is for (user_id).
	UserID string `json:"user_id"`
	// OrderID is the order the appointment belongs to (order_id).
	OrderID string `json:"order_id,omitempty"`
	// OrderTransactionID is the order transaction (order_transaction_id),
	// when Junction sends one.
	OrderTransactionID string `json:"order_transaction_id,omitempty"`
	// ExternalID is the provider's or customer's external reference
	// (external_id), when Junction sends one.
	ExternalID string `json:"external_id,omitempty"`
	// Address is where the phlebotomist goes, in the USAddress form
	// (zip_code; zip is accepted too, see [order.Address]).
	Address order.Address `json:"address"`
	// Location is the address's coordinates.
	Location Location `json:"location"`
	// StartAt and EndAt bound the slot (start_at, end_at), in UTC. They
	// are zero (null on the wire) for an appointment-request appointment
	// that has no slot yet.
	StartAt time.Time `json:"start_at"`
	EndAt   time.Time `json:"end_at"`
	// IANATimezone is the patient's local time zone (iana_timezone), such
	// as "America/Phoenix"; see [Appointment.LocalStart].
	IANATimezone string `json:"iana_timezone"`
	// Type is the appointment type (type): [Phlebotomy] for an at-home
	// visit, [PatientServiceCenter] for a walk-in one, or a type this
	// package does not know, kept as sent.
	Type Kind `json:"type"`
	// Provider is the phlebotomy provider (provider), such as
	// [provider.Getlabs]; the zero Provider when Junction names one that
	// [provider.Parse] does not know, or none.
	Provider provider.Provider `json:"provider"`
	// Status is the API's status (status). Junction may send it alongside
	// an event status that disagrees; see [Appointment.EffectiveStatus].
	Status Status `json:"status"`
	// EventStatus is the normalised status (event_status), the zero Status
	// when Junction does not send one. It encodes as the event status
	// spelling: "scheduled" for [Confirmed].
	EventStatus Status `json:"event_status"`
	// CanReschedule reports whether the appointment may still be
	// rescheduled (can_reschedule).
	CanReschedule bool `json:"can_reschedule"`
	// ProviderText is the provider's name as sent when [provider.Parse]
	// does not know it, such as "quest" for a patient service centre or a
	// provider Junction adds; empty otherwise. It is written back in place
	// of a zero Provider, so that such a name survives a round trip.
	ProviderText string `json:"-"`
	// ProviderID is the provider's own id for the appointment
	// (provider_id).
	ProviderID string `json:"provider_id"`
	// AppointmentNotes are the special instructions for this appointment
	// (appointment_notes), at most 1000 characters; they may change on each
	// reschedule.
	AppointmentNotes string `json:"appointment_notes,omitempty"`
	// EventData is the provider-specific data of the latest event
	// (event_data).
	EventData EventData `json:"event_data"`
	// History is the appointment's history (events), oldest first; nil when
	// empty. See [ValidateHistory].
	History []HistoryEntry `json:"events"`
}

// Kind is what an appointment is, an at-home visit or a walk-in one, as
// Junction spells it in the appointment's type field. Junction calls its
// enums non-exhaustive, so a Kind may hold text this package does not know
// ([Kind.IsKnown] reports false); such a kind is kept as sent, neither an
// error nor taken for phlebotomy.
type Kind string

// The appointment kinds Junction documents.
const (
	// Phlebotomy is an at-home phlebotomy appointment: a phlebotomist
	// visits the patient. It is the appointment this package models.
	Phlebotomy Kind = "phlebotomy"
	// PatientServiceCenter is a walk-in appointment at a patient service
	// centre (a lab's own site, such as Quest's). Junction sends it on the
	// same labtest.appointment.* events as an at-home one.
	PatientServiceCenter Kind = "patient_service_center"
)

// IsKnown reports whether k is one of the kinds Junction documents:
// [Phlebotomy] or [PatientServiceCenter].
func (k Kind) IsKnown() bool {
	switch k {
	case Phlebotomy, PatientServiceCenter:
		return true
	}
	return false
}

// IsPhlebotomy reports whether a is an at-home phlebotomy appointment: its
// Type is exactly [Phlebotomy]. A patient service centre appointment, an
// appointment of a type this package does not know and one without a type
// are not.
func (a Appointment) IsPhlebotomy() bool { return a.Type == Phlebotomy }

// Location is a point on Earth in degrees.
type Location struct {
	// Lng is the longitude (lng).
	Lng float64 `json:"lng"`
	// Lat is the latitude (lat).
	Lat float64 `json:"lat"`
}

// EffectiveStatus returns the status to act on: EventStatus when Junction
// sent one, since it is the normalised field, and Status otherwise. When the
// two disagree the event status wins (our decision): Junction's own
// reschedule webhook example says "status": "pending" beside
// "event_status": "scheduled". It returns the zero Status when neither is
// set.
func (a Appointment) EffectiveStatus() Status {
	if a.EventStatus.IsValid() {
		return a.EventStatus
	}
	return a.Status
}

// EventData is the provider-specific data of an appointment event, such as
// {"origin": "patient", "is_reschedule": true}. Origin and IsReschedule are
// decoded; every other member is kept in Extra, as sent but in the form
// the encoder writes it: compacted, strings canonical.
type EventData struct {
	// Origin says who caused the event, such as "patient" (origin).
	Origin string
	// IsReschedule reports whether the event is a reschedule
	// (is_reschedule).
	IsReschedule bool
	// Extra holds the other members; nil when there are none. A member
	// sent as null is kept with a nil value. Entries named origin or
	// is_reschedule are ignored on encoding.
	Extra map[string]jsontext.Value
}
