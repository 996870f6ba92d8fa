package appointment

import "strconv"

// Trigger is something that happens to an appointment and may move it to
// another status. Its text form is a lower-case name such as "reschedule";
// the zero value is invalid.
type Trigger uint8

const (
	_ Trigger = iota
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

// String returns the trigger name, such as "reschedule". An invalid trigger
// prints as "appointment.Trigger(N)".
func (e Trigger) String() string {
	if !e.IsValid() {
		return "appointment.Trigger(" + strconv.Itoa(int(e)) + ")"
	}
	return eventNames[e]
}

// ParseTrigger parses a trigger name such as "reschedule". Anything else
// returns a *[DecodeError] wrapping [ErrUnknownTrigger].
func ParseTrigger(text string) (Trigger, error) {
	for e := Trigger(1); e <= numEvents; e++ {
		if eventNames[e] == text {
			return e, nil
		}
	}
	return 0, &DecodeError{Text: text, Err: ErrUnknownTrigger}
}

// MarshalText writes the trigger name. An invalid trigger is an error wrapping
// [ErrUnknownTrigger].
func (e Trigger) MarshalText() ([]byte, error) {
	if !e.IsValid() {
		return nil, &DecodeError{Op: "encode", Text: e.String(), Err: ErrUnknownTrigger}
	}
	return []byte(eventNames[e]), nil
}

// UnmarshalText accepts what [ParseTrigger] accepts. On error e is unchanged.
func (e *Trigger) UnmarshalText(text []byte) error {
	v, err := ParseTrigger(string(text))
	if err != nil {
		return err
	}
	if e == nil {
		return &DecodeError{Text: string(text), Err: ErrUnknownTrigger}
	}
	*e = v
	return nil
}
