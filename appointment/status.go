package appointment

import (
	"database/sql/driver"
	"fmt"
	"strconv"
)

// Status is the status of an at-home phlebotomy appointment. Its text form
// is the API's status field (in_progress); the zero value is invalid.
//
// Junction spells a status two ways: [Status.String] is the API's status
// (confirmed) and [Status.EventStatus] the normalised event_status
// (scheduled). [ParseStatus] accepts both. Each constant says which triggers
// may follow it; [Next] is the authority.
type Status uint8

const (
	_ Status = iota
	// Pending: the appointment was placed and waits for the provider;
	// an appointment-request appointment starts here without a date.
	// Every appointment starts here. Next: reserve → reserved,
	// confirm → confirmed, cancel → cancelled.
	Pending
	// Reserved: a time slot is held while the order's requisition is
	// being created. Next: confirm → confirmed, reschedule → reserved
	// (self-loop, inferred: our decision), cancel → cancelled.
	Reserved
	// Confirmed: the appointment is scheduled or rescheduled; its event
	// status is "scheduled". Next: reschedule → confirmed (self-loop),
	// start → in_progress, complete → completed, cancel → cancelled.
	Confirmed
	// InProgress: the phlebotomist is on the way or completing the visit.
	// Next: complete → completed, cancel → cancelled.
	InProgress
	// Completed: the sample was collected. Terminal.
	Completed
	// Cancelled: the appointment was cancelled by the patient, Junction or
	// the customer. Terminal: a new appointment replaces it.
	Cancelled

	numStatuses = iota - 1
)

var statusNames = [...]string{
	Pending:    "pending",
	Reserved:   "reserved",
	Confirmed:  "confirmed",
	InProgress: "in_progress",
	Completed:  "completed",
	Cancelled:  "cancelled",
}

var eventStatusNames = [...]string{
	Pending:    "pending",
	Reserved:   "reserved",
	Confirmed:  "scheduled",
	InProgress: "in_progress",
	Completed:  "completed",
	Cancelled:  "cancelled",
}

// Statuses returns every valid status in declaration order.
func Statuses() []Status {
	out := make([]Status, 0, numStatuses)
	for s := Status(1); s <= numStatuses; s++ {
		out = append(out, s)
	}
	return out
}

// IsValid reports whether s is one of the declared statuses.
func (s Status) IsValid() bool { return s >= 1 && s <= numStatuses }

// String returns the API's status spelling, such as "confirmed" or
// "in_progress". An invalid status prints as "appointment.Status(N)".
func (s Status) String() string {
	if !s.IsValid() {
		return "appointment.Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s]
}

// EventStatus returns the normalised event_status spelling, as the
// event_status field and the events[] history carry it: "scheduled" for
// [Confirmed], the same word as [Status.String] for the others. An invalid
// status returns String().
func (s Status) EventStatus() string {
	if !s.IsValid() {
		return s.String()
	}
	return eventStatusNames[s]
}

// Active reports whether s is an active status: pending, reserved,
// confirmed or in_progress. An order has at most one active appointment.
func (s Status) Active() bool {
	switch s {
	case Pending, Reserved, Confirmed, InProgress:
		return true
	case Completed, Cancelled:
		return false
	}
	return false
}

// ParseStatus parses a status in any spelling Junction uses: the API's
// status (pending, reserved, confirmed, in_progress, completed, cancelled),
// the event status (scheduled) and the lifecycle documentation's
// in-progress. Anything else, including other letter case, surrounding
// spaces and the empty string, returns a *[DecodeError] wrapping
// [ErrUnknownStatus]: Junction calls the enum non-exhaustive, so callers
// should expect new values and keep going.
func ParseStatus(text string) (Status, error) {
	if s := parseStatus(text); s != 0 {
		return s, nil
	}
	return 0, &DecodeError{Text: text, Err: ErrUnknownStatus}
}

func parseStatus(text string) Status {
	switch text {
	case "pending":
		return Pending
	case "reserved":
		return Reserved
	case "confirmed", "scheduled":
		return Confirmed
	case "in_progress", "in-progress":
		return InProgress
	case "completed":
		return Completed
	case "cancelled":
		return Cancelled
	}
	return 0
}

// MarshalText writes the API's status spelling. An invalid status is an
// error wrapping [ErrUnknownStatus].
func (s Status) MarshalText() ([]byte, error) {
	if !s.IsValid() {
		return nil, &DecodeError{Op: "encode", Text: s.String(), Err: ErrUnknownStatus}
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText accepts what [ParseStatus] accepts. On error s is unchanged.
func (s *Status) UnmarshalText(text []byte) error {
	if s == nil {
		return &DecodeError{Text: string(text), Err: ErrUnknownStatus}
	}
	if v := parseStatus(string(text)); v != 0 {
		*s = v
		return nil
	}
	return &DecodeError{Text: string(text), Err: ErrUnknownStatus}
}

// Value implements [driver.Valuer]: a database stores the API's status
// spelling. An invalid status is an error.
func (s Status) Value() (driver.Value, error) {
	b, err := s.MarshalText()
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements [database/sql.Scanner] for a text column holding any
// spelling [ParseStatus] accepts. NULL and other types are errors wrapping
// [ErrUnknownStatus] (use sql.Null[Status] for a nullable column); on error
// s is unchanged.
func (s *Status) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return s.UnmarshalText([]byte(v))
	case []byte:
		return s.UnmarshalText(v)
	}
	text := "NULL"
	if src != nil {
		text = fmt.Sprintf("%v (%T)", src, src)
	}
	return &DecodeError{Text: text, Err: ErrUnknownStatus}
}
