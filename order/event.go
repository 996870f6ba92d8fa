package order

import "strconv"

// Trigger is something that happens to an order and may move it to another
// status. Its text form is a snake_case name such as "schedule_appointment";
// the zero value is invalid.
type Trigger uint8

const (
	_ Trigger = iota
	// CreateRequisition: the requisition was created with the laboratory.
	CreateRequisition
	// BypassRequisition: no requisition is needed; one already existed.
	BypassRequisition
	// PlaceAppointment: an appointment without a date was placed.
	PlaceAppointment
	// ScheduleAppointment: an appointment was given a date and time.
	ScheduleAppointment
	// RescheduleAppointment: the scheduled appointment moved to another
	// date or time; the status stays appointment_scheduled.
	RescheduleAppointment
	// CancelAppointment: the appointment was cancelled; the order stays.
	CancelAppointment
	// CompleteDraw: the phlebotomist drew the blood.
	CompleteDraw
	// ReceivePartialResults: the laboratory published some results; it may
	// happen several times.
	ReceivePartialResults
	// Complete: the laboratory published the final results.
	Complete
	// ReportSampleError: the laboratory could not process the sample.
	ReportSampleError
	// CorrectResults: published results were corrected; it may happen
	// several times.
	CorrectResults
	// Cancel: the order was cancelled.
	Cancel

	numEvents = iota - 1
)

var eventNames = [...]string{
	CreateRequisition:     "create_requisition",
	BypassRequisition:     "bypass_requisition",
	PlaceAppointment:      "place_appointment",
	ScheduleAppointment:   "schedule_appointment",
	RescheduleAppointment: "reschedule_appointment",
	CancelAppointment:     "cancel_appointment",
	CompleteDraw:          "complete_draw",
	ReceivePartialResults: "receive_partial_results",
	Complete:              "complete",
	ReportSampleError:     "report_sample_error",
	CorrectResults:        "correct_results",
	Cancel:                "cancel",
}

// Triggers returns every valid trigger in declaration order.
func Triggers() []Trigger {
	out := make([]Trigger, 0, numEvents)
	for e := Trigger(1); e <= numEvents; e++ {
		out = append(out, e)
	}
	return out
}

// IsValid reports whether e is one of the declared triggers.
func (e Trigger) IsValid() bool { return e >= 1 && e <= numEvents }

// String returns the snake_case name, such as "schedule_appointment". An
// invalid trigger prints as "order.Trigger(N)".
func (e Trigger) String() string {
	if !e.IsValid() {
		return "order.Trigger(" + strconv.Itoa(int(e)) + ")"
	}
	return eventNames[e]
}

// ParseTrigger parses a trigger name such as "schedule_appointment".
// Anything else returns an error wrapping [ErrUnknownTrigger].
func ParseTrigger(text string) (Trigger, error) {
	for e := Trigger(1); e <= numEvents; e++ {
		if eventNames[e] == text {
			return e, nil
		}
	}
	return 0, &ParseError{Kind: "trigger", Text: text, Err: ErrUnknownTrigger}
}

// MarshalText writes the trigger name. An invalid trigger is an error
// wrapping [ErrUnknownTrigger].
func (e Trigger) MarshalText() ([]byte, error) {
	if !e.IsValid() {
		return nil, &ParseError{Kind: "trigger", Text: e.String(), Err: ErrUnknownTrigger}
	}
	return []byte(eventNames[e]), nil
}

// UnmarshalText accepts a trigger name such as "schedule_appointment";
// anything else is a *[ParseError] wrapping [ErrUnknownTrigger]. On error e
// is unchanged. A nil e cannot hold a trigger: any text is then such an
// error too.
func (e *Trigger) UnmarshalText(text []byte) error {
	if e == nil {
		return &ParseError{Kind: "trigger", Text: string(text), Err: ErrUnknownTrigger}
	}
	v, err := ParseTrigger(string(text))
	if err != nil {
		return err
	}
	*e = v
	return nil
}
