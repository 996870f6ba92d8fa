package sandbox

import (
	"errors"
	"net/http"
	"strings"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

// What the server answers is Junction's, never the text of this module's
// Go errors: a refusal of the flow is told in words of its own, chosen
// from the error's sentinel and details (our wording where Junction's
// documentation gives none; it gives "Transition from X to Y is not
// allowed").

// action is what a request or command asks of an order: the status its
// order goes to, and the appointment's verb, for the words of a refusal.
type action struct {
	target order.Status
	verb   string // such as "booked", "rescheduled"; empty for a command of the order
}

// The actions of the endpoints.
var (
	bookAction       = action{order.AppointmentScheduled, "booked"}
	requestAction    = action{order.AppointmentPending, "requested"}
	rescheduleAction = action{order.AppointmentScheduled, "rescheduled"}
	cancelApptAction = action{order.AppointmentCancelled, "cancelled"}
	cancelAction     = action{order.Cancelled, "cancelled"}
)

// The words of the refusals that are not transitions.
const (
	msgRequisition     = "The order does not have a requisition yet"
	msgOrderActive     = "The order already has an active appointment"
	msgPatientActive   = "The patient already has an active appointment with this provider"
	msgUnderage        = "The patient must be at least 18 years old on the day of the appointment"
	msgAutoCancel      = "The appointment would be cancelled at once: the order has no requisition and the slot starts within 2 hours"
	msgTier            = "The provider does not offer this service type in this area"
	msgSlot            = "The appointment slot is not valid"
	msgNotesTooLong    = "ensure this value has at most 1000 characters"
	msgCannotProcess   = "The request cannot be processed"
	msgAddress         = "The address cannot be reached: it needs a street number"
	msgNoActive        = "No active appointment"
	msgNotFound        = "Order not found"
	msgZipPattern      = `string does not match regex "^\d{5}$"`
	msgAddressZip      = `string does not match regex "^\d{5}(-\d{4})?$"`
	msgStreetNumber    = "first_line must begin with a street number"
	msgNotServed       = " is not served for at-home phlebotomy"
	msgNoBookingInArea = " has no provider that books appointments"
	msgInvalidJSON     = "Invalid JSON: the body cannot be decoded"
	msgInvalidValue    = "invalid value"
	msgEnum            = "value is not a valid enumeration member"
	msgProviderEnum    = msgEnum + "; permitted: 'getlabs', 'phlebfinders'"
)

// refusal returns the status and the words of the flow's refusal err of a.
func refusal(err error, a action) (int, string) {
	var se *scheduling.StateError
	var re *scheduling.RuleError
	switch {
	case errors.As(err, &se) && se.Appointment == 0:
		return http.StatusBadRequest, "Transition from " + se.Order.String() + " to " + a.target.String() + " is not allowed"
	case errors.Is(err, scheduling.ErrRequisitionRequired):
		return http.StatusBadRequest, msgRequisition
	case errors.Is(err, scheduling.ErrActiveAppointment):
		if errors.As(err, &re) && re.Field == "existing" {
			return http.StatusBadRequest, msgPatientActive
		}
		return http.StatusBadRequest, msgOrderActive
	case errors.As(err, &se) && a.verb == "":
		return http.StatusBadRequest, "Transition from " + se.Order.String() + " to " + a.target.String() + " is not allowed"
	case errors.As(err, &se):
		return http.StatusBadRequest, "Appointment in status " + se.Appointment.String() + " cannot be " + a.verb
	case errors.Is(err, scheduling.ErrUnderage):
		return http.StatusUnprocessableEntity, msgUnderage
	case errors.Is(err, scheduling.ErrAutoCancel):
		return http.StatusUnprocessableEntity, msgAutoCancel
	case errors.Is(err, scheduling.ErrTierMismatch), errors.Is(err, provider.ErrTierUnavailable):
		return http.StatusUnprocessableEntity, msgTier
	case errors.Is(err, provider.ErrNotServed):
		return http.StatusUnprocessableEntity, "The area" + msgNotServed
	case errors.Is(err, scheduling.ErrSlot):
		return http.StatusUnprocessableEntity, msgSlot
	case errors.Is(err, scheduling.ErrNotesTooLong):
		return http.StatusUnprocessableEntity, msgNotesTooLong
	case errors.Is(err, scheduling.ErrAddress):
		return http.StatusUnprocessableEntity, msgAddress
	default:
		return http.StatusUnprocessableEntity, msgCannotProcess
	}
}

// refuse answers the flow's refusal err of a.
func refuse(w http.ResponseWriter, err error, a action) {
	status, msg := refusal(err, a)
	detail(w, status, msg)
}

// unjoin returns the errors err joins, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// addressProblems turns the address rule's refusal into problems under
// loc: a field that is blank is missing, a zip code does not match the
// USAddress pattern, and a first line lacks its street number.
func addressProblems(err error, loc ...any) problems {
	var ps problems
	for _, e := range unjoin(err) {
		field, value := "address", ""
		var re *scheduling.RuleError
		if errors.As(e, &re) {
			field = re.Field
			value, _ = re.Value.(string)
		}
		at := append(append([]any(nil), loc...), field)
		switch {
		case strings.TrimSpace(value) == "":
			ps.missing(at...)
		case field == "zip_code":
			ps.add(msgAddressZip, "value_error.str.regex", at...)
		default:
			ps.add(msgStreetNumber, "value_error.address", at...)
		}
	}
	return ps
}
