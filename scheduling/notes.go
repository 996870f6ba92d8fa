package scheduling

import (
	"errors"
	"unicode/utf8"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// MaxNotes is the longest that access notes and appointment notes may each
// be, in characters (Unicode code points, not bytes).
const MaxNotes = 1000

// CheckNotes reports a *[RuleError] wrapping [ErrNotesTooLong] for each of
// the address's access notes and the appointment notes that is longer than
// [MaxNotes] characters, joined with [errors.Join]; nil when both fit.
// Invalid UTF-8 counts one character per bad byte.
func CheckNotes(accessNotes, appointmentNotes string) error {
	var errs []error
	if n, over := tooLong(accessNotes); over {
		errs = append(errs, notesError("access_notes", n))
	}
	if n, over := tooLong(appointmentNotes); over {
		errs = append(errs, notesError("appointment_notes", n))
	}
	return errors.Join(errs...)
}

// tooLong returns the length of s in characters and whether it is longer
// than [MaxNotes].
func tooLong(s string) (int, bool) {
	n := utf8.RuneCountInString(s)
	return n, n > MaxNotes
}

// ProviderNotes are the instructions Junction forwards to the phlebotomy
// provider with a booking, a request or a reschedule.
type ProviderNotes struct {
	// AccessNotes say how to reach the patient's address (gate codes,
	// parking, entrance). They belong to the address and go with every
	// booking and every reschedule.
	AccessNotes string
	// AppointmentNotes are this appointment's special instructions ("Please
	// bring photo ID"). They belong to the appointment.
	AppointmentNotes string
}

// NotesForBooking returns the notes that go to the provider when an
// appointment is booked or requested at address with appointmentNotes: the
// address's access notes, and the appointment notes as given.
func NotesForBooking(address order.Address, appointmentNotes string) ProviderNotes {
	return ProviderNotes{AccessNotes: address.AccessNotes, AppointmentNotes: appointmentNotes}
}

// NotesForReschedule returns the notes that go to the provider when the
// appointment previous is rescheduled with appointmentNotes: the access
// notes of the appointment's address, and the new appointment notes, or the
// previous ones when the reschedule gives none (empty). Keeping the previous
// notes is our decision: the documentation says notes "can be changed on
// each reschedule" but not what a reschedule without notes does.
func NotesForReschedule(previous appointment.Appointment, appointmentNotes string) ProviderNotes {
	if appointmentNotes == "" {
		appointmentNotes = previous.AppointmentNotes
	}
	return ProviderNotes{AccessNotes: previous.Address.AccessNotes, AppointmentNotes: appointmentNotes}
}
