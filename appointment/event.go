package appointment

import "strconv"

// Event is something that happens to an appointment and may move it to
// another status. Its text form is a lower-case name such as "reschedule";
// the zero value is invalid.
type Event uint8

const (
	_ Event = iota
	// Reserve: a time slot was held before the order's requisition exists.
	Reserve
	// Confirm: the appointment was scheduled with the provider.
	Confirm
	// Reschedule: the appointment moved to another slot; its status stays
	// reserved or confirmed.
	Reschedule
	// Start: the phlebotomist set out for the patient.
	Start
	// Complete: the sample was collected.
	Complete
	// Cancel: the appointment was cancelled.
	Cancel

	numEvents = iota - 1
)

var eventNames = [...]string{
	Reserve:    "reserve",
	Confirm:    "confirm",
	Reschedule: "reschedule",
	Start:      "start",
	Complete:   "complete",
	Cancel:     "cancel",
}

// Events returns every valid event in declaration order.
func Events() []Event {
	out := make([]Event, 0, numEvents)
	for e := Reserve; e <= Cancel; e++ {
		out = append(out, e)
	}
	return out
}

// IsValid reports whether e is one of the declared events.
func (e Event) IsValid() bool { return e >= Reserve && e <= Cancel }

// String returns the event name, such as "reschedule". An invalid event
// prints as "appointment.Event(N)".
func (e Event) String() string {
	if !e.IsValid() {
		return "appointment.Event(" + strconv.Itoa(int(e)) + ")"
	}
	return eventNames[e]
}

// ParseEvent parses an event name such as "reschedule". Anything else
// returns a *[ParseError] wrapping [ErrUnknownEvent].
func ParseEvent(text string) (Event, error) {
	for e := Reserve; e <= Cancel; e++ {
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
func (e *Event) UnmarshalText(text []byte) error {
	v, err := ParseEvent(string(text))
	if err != nil {
		return err
	}
	if e == nil {
		return &ParseError{Kind: "event", Text: string(text), Err: ErrUnknownEvent}
	}
	*e = v
	return nil
}
