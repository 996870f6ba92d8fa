package order

import "strconv"

// Event is something that happens to an order and may move it to another
// status. Its text form is a snake_case name such as "schedule_appointment";
// the zero value is invalid.
type Event uint8

const (
	_ Event = iota
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

// Events returns every valid event in declaration order.
func Events() []Event {
	out := make([]Event, 0, numEvents)
	for e := CreateRequisition; e <= Cancel; e++ {
		out = append(out, e)
	}
	return out
}

// IsValid reports whether e is one of the declared events.
func (e Event) IsValid() bool { return e >= CreateRequisition && e <= Cancel }

// String returns the snake_case name, such as "schedule_appointment". An
// invalid event prints as "order.Event(N)".
func (e Event) String() string {
	if !e.IsValid() {
		return "order.Event(" + strconv.Itoa(int(e)) + ")"
	}
	return eventNames[e]
}

// ParseEvent parses an event name such as "schedule_appointment". Anything
// else returns an error wrapping [ErrUnknownEvent].
func ParseEvent(text string) (Event, error) {
	for e := CreateRequisition; e <= Cancel; e++ {
		if eventNames[e] == text {
			return e, nil
		}
	}
	return 0, &ParseError{Kind: "event", Text: text, Err: ErrUnknownEvent}
}

// MarshalText writes the event name. An invalid event is an error wrapping
// [ErrUnknownEvent].
func (e Event) MarshalText() ([]byte, error) {
	if !e.IsValid() {
		return nil, &ParseError{Kind: "event", Text: e.String(), Err: ErrUnknownEvent}
	}
	return []byte(eventNames[e]), nil
}

// UnmarshalText accepts what [ParseEvent] accepts. On error e is unchanged.
// A nil e cannot hold an event: any text is then a *[ParseError] wrapping
// [ErrUnknownEvent].
func (e *Event) UnmarshalText(text []byte) error {
	if e == nil {
		return &ParseError{Kind: "event", Text: string(text), Err: ErrUnknownEvent}
	}
	v, err := ParseEvent(string(text))
	if err != nil {
		return err
	}
	*e = v
	return nil
}
