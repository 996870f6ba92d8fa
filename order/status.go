package order

import (
	"strconv"
	"strings"
)

// Status is the low-level status of an at-home phlebotomy order. Its text
// form is the wire value (appointment_scheduled); the zero value is invalid.
//
// Each constant says which triggers may follow it; [Next] is the authority.
type Status uint8

const (
	_ Status = iota
	// Ordered: Junction stored the order and started processing it
	// asynchronously. Every order starts here (labtest.order.created).
	// Next: create_requisition → requisition_created,
	// bypass_requisition → requisition_bypassed, cancel → cancelled.
	Ordered
	// RequisitionCreated: the requisition form was validated and created
	// with the laboratory. Next: place_appointment → appointment_pending,
	// cancel → cancelled.
	RequisitionCreated
	// RequisitionBypassed: no requisition was created because one already
	// existed (imported orders). It supports the same transitions as
	// requisition_created: place_appointment → appointment_pending,
	// cancel → cancelled.
	RequisitionBypassed
	// AppointmentPending: an appointment exists but has no scheduled date.
	// Next: schedule_appointment → appointment_scheduled,
	// cancel_appointment → appointment_cancelled, cancel → cancelled.
	AppointmentPending
	// AppointmentScheduled: an appointment was scheduled or rescheduled.
	// Next: reschedule_appointment → appointment_scheduled (self-loop),
	// cancel_appointment → appointment_cancelled,
	// complete_draw → draw_completed, cancel → cancelled.
	AppointmentScheduled
	// DrawCompleted: the blood was drawn. Next:
	// receive_partial_results → partial_results, complete → completed,
	// report_sample_error → sample_error, cancel → cancelled.
	DrawCompleted
	// AppointmentCancelled: the appointment was cancelled by the patient,
	// Junction or the customer. Next: place_appointment →
	// appointment_pending, schedule_appointment → appointment_scheduled,
	// cancel → cancelled.
	AppointmentCancelled
	// PartialResults: the laboratory has started publishing results. Next:
	// receive_partial_results → partial_results (self-loop),
	// complete → completed, report_sample_error → sample_error.
	// It cannot be cancelled.
	PartialResults
	// Completed: final results are available. Next:
	// correct_results → corrected. It cannot be cancelled.
	Completed
	// SampleError: the laboratory could not process the sample. Terminal.
	SampleError
	// Cancelled: the order was cancelled. Terminal.
	Cancelled
	// Corrected: results were corrected after completion. It appears in
	// Junction's API enums but not in the lifecycle documentation; its
	// transitions are inferred. Next: correct_results → corrected.
	Corrected

	numStatuses = iota - 1
)

// modality is the middle part of a full status.
const modality = "at_home_phlebotomy"

var statusNames = [...]string{
	Ordered:              "ordered",
	RequisitionCreated:   "requisition_created",
	RequisitionBypassed:  "requisition_bypassed",
	AppointmentPending:   "appointment_pending",
	AppointmentScheduled: "appointment_scheduled",
	DrawCompleted:        "draw_completed",
	AppointmentCancelled: "appointment_cancelled",
	PartialResults:       "partial_results",
	Completed:            "completed",
	SampleError:          "sample_error",
	Cancelled:            "cancelled",
	Corrected:            "corrected",
}

var statusHighLevel = [...]HighLevel{
	Ordered:              HighLevelReceived,
	RequisitionCreated:   HighLevelReceived,
	RequisitionBypassed:  HighLevelReceived,
	AppointmentPending:   HighLevelCollectingSample,
	AppointmentScheduled: HighLevelCollectingSample,
	DrawCompleted:        HighLevelCollectingSample,
	AppointmentCancelled: HighLevelCollectingSample,
	PartialResults:       HighLevelSampleWithLab,
	Completed:            HighLevelCompleted,
	SampleError:          HighLevelFailed,
	Cancelled:            HighLevelCancelled,
	Corrected:            HighLevelCompleted,
}

// statusFull holds the full forms, built once so that Full does not allocate.
var statusFull = func() (full [numStatuses + 1]string) {
	for s := Status(1); s <= numStatuses; s++ {
		full[s] = statusHighLevel[s].String() + "." + modality + "." + statusNames[s]
	}
	return full
}()

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

// String returns the low-level wire value, such as "appointment_scheduled".
// An invalid status prints as "order.Status(N)".
func (s Status) String() string {
	if !s.IsValid() {
		return "order.Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s]
}

// Full returns the full wire form [HIGH-LEVEL].at_home_phlebotomy.[LOW-LEVEL],
// such as "collecting_sample.at_home_phlebotomy.appointment_scheduled", as
// webhook events[].status carries it. An invalid status returns String().
func (s Status) Full() string {
	if !s.IsValid() {
		return s.String()
	}
	return statusFull[s]
}

// HighLevel returns the high-level status s belongs to, or the invalid zero
// HighLevel for an invalid status.
func (s Status) HighLevel() HighLevel {
	if !s.IsValid() {
		return 0
	}
	return statusHighLevel[s]
}

// ParseStatus parses the low-level form ("appointment_scheduled") or the full
// form ("collecting_sample.at_home_phlebotomy.appointment_scheduled") of a
// status. Anything else, including other modalities, a full form whose
// high-level part does not belong to its low-level part, other letter case,
// surrounding spaces and a high-level status alone, returns an error
// wrapping [ErrUnknownStatus]; use [HighLevel.UnmarshalText] for the
// high-level form.
func ParseStatus(text string) (Status, error) {
	if s := parseLow(text); s != 0 {
		return s, nil
	}
	if hl, rest, ok := strings.Cut(text, "."); ok {
		if low, ok := strings.CutPrefix(rest, modality+"."); ok {
			if s := parseLow(low); s != 0 && statusHighLevel[s].String() == hl {
				return s, nil
			}
		}
	}
	return 0, &ParseError{Kind: "status", Text: text, Err: ErrUnknownStatus}
}

func parseLow(text string) Status {
	switch text {
	case "ordered":
		return Ordered
	case "requisition_created":
		return RequisitionCreated
	case "requisition_bypassed":
		return RequisitionBypassed
	case "appointment_pending":
		return AppointmentPending
	case "appointment_scheduled":
		return AppointmentScheduled
	case "draw_completed":
		return DrawCompleted
	case "appointment_cancelled":
		return AppointmentCancelled
	case "partial_results":
		return PartialResults
	case "completed":
		return Completed
	case "sample_error":
		return SampleError
	case "cancelled":
		return Cancelled
	case "corrected":
		return Corrected
	}
	return 0
}

// MarshalText writes the low-level form. An invalid status is an error
// wrapping [ErrUnknownStatus].
func (s Status) MarshalText() ([]byte, error) {
	if !s.IsValid() {
		return nil, &ParseError{Kind: "status", Text: s.String(), Err: ErrUnknownStatus}
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText accepts what [ParseStatus] accepts. On error s is unchanged.
// A nil s cannot hold a status: any text is then a *[ParseError] wrapping
// [ErrUnknownStatus].
func (s *Status) UnmarshalText(text []byte) error {
	if s == nil {
		return &ParseError{Kind: "status", Text: string(text), Err: ErrUnknownStatus}
	}
	v, err := ParseStatus(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// HighLevel is the coarse status of a lab-testing order, shared by every
// modality: received, collecting_sample, sample_with_lab, completed,
// cancelled, failed. The zero value is invalid.
type HighLevel uint8

const (
	_ HighLevel = iota
	// HighLevelReceived covers ordered, requisition_created and
	// requisition_bypassed.
	HighLevelReceived
	// HighLevelCollectingSample covers appointment_pending,
	// appointment_scheduled, draw_completed and appointment_cancelled.
	HighLevelCollectingSample
	// HighLevelSampleWithLab covers partial_results.
	HighLevelSampleWithLab
	// HighLevelCompleted covers completed and corrected.
	HighLevelCompleted
	// HighLevelCancelled covers cancelled.
	HighLevelCancelled
	// HighLevelFailed covers sample_error.
	HighLevelFailed

	numHighLevels = iota - 1
)

var highLevelNames = [...]string{
	HighLevelReceived:         "received",
	HighLevelCollectingSample: "collecting_sample",
	HighLevelSampleWithLab:    "sample_with_lab",
	HighLevelCompleted:        "completed",
	HighLevelCancelled:        "cancelled",
	HighLevelFailed:           "failed",
}

// valid reports whether h is one of the declared high-level statuses.
func (h HighLevel) valid() bool { return h >= 1 && h <= numHighLevels }

// String returns the wire value, such as "collecting_sample". An invalid
// value prints as "order.HighLevel(N)".
func (h HighLevel) String() string {
	if !h.valid() {
		return "order.HighLevel(" + strconv.Itoa(int(h)) + ")"
	}
	return highLevelNames[h]
}

// parseHighLevel parses a high-level status such as "collecting_sample", as
// the deprecated top-level status field of an order carries it. Anything
// else returns an error wrapping [ErrUnknownStatus].
func parseHighLevel(text string) (HighLevel, error) {
	for h := HighLevel(1); h <= numHighLevels; h++ {
		if highLevelNames[h] == text {
			return h, nil
		}
	}
	return 0, &ParseError{Kind: "high-level status", Text: text, Err: ErrUnknownStatus}
}

// MarshalText writes the wire value. An invalid value is an error wrapping
// [ErrUnknownStatus].
func (h HighLevel) MarshalText() ([]byte, error) {
	if !h.valid() {
		return nil, &ParseError{Kind: "high-level status", Text: h.String(), Err: ErrUnknownStatus}
	}
	return []byte(highLevelNames[h]), nil
}

// UnmarshalText accepts a high-level status such as "collecting_sample", as
// the deprecated top-level status field of an order carries it. On error h is
// unchanged. A nil h cannot hold a status: any text is then a *[ParseError]
// wrapping [ErrUnknownStatus].
func (h *HighLevel) UnmarshalText(text []byte) error {
	if h == nil {
		return &ParseError{Kind: "high-level status", Text: string(text), Err: ErrUnknownStatus}
	}
	v, err := parseHighLevel(string(text))
	if err != nil {
		return err
	}
	*h = v
	return nil
}
