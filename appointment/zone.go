package appointment

import (
	"fmt"
	"time"
)

// TimeZone loads the appointment's IANA time zone (iana_timezone) with
// [time.LoadLocation]. An empty zone, "Local" (the machine's zone, not an
// IANA name) and a zone that cannot be loaded are a *[DecodeError] wrapping
// [ErrUnknownZone]. "UTC" is accepted.
//
// The zone database comes from the system. This package does not embed one
// (our decision: time/tzdata adds about 450 KB to every program, a choice
// that belongs to the program); a program that may run without one, such
// as in a scratch container, imports time/tzdata in its main package or
// builds with -tags timetzdata.
func (a Appointment) TimeZone() (*time.Location, error) {
	switch a.IANATimezone {
	case "", "Local":
		return nil, &DecodeError{Text: a.IANATimezone, Err: ErrUnknownZone}
	}
	loc, err := time.LoadLocation(a.IANATimezone)
	if err != nil {
		return nil, &DecodeError{Text: a.IANATimezone, Err: fmt.Errorf("%w: %w", ErrUnknownZone, err)}
	}
	return loc, nil
}

// LocalStart returns the start of the appointment in its own time zone, the
// time to show the patient. An appointment without a start time returns
// [ErrNoStart]; a zone [Appointment.TimeZone] cannot load returns its
// *[DecodeError]. The start is checked first. For the end of the slot, use
// EndAt with TimeZone.
func (a Appointment) LocalStart() (time.Time, error) {
	start := a.StartAt
	if start.IsZero() {
		return time.Time{}, ErrNoStart
	}
	loc, err := a.TimeZone()
	if err != nil {
		return time.Time{}, err
	}
	return start.In(loc), nil
}
