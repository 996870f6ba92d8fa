package order

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wire is every status's three text forms, written out by hand from
// DOMAIN.md §1.
var wire = []struct {
	status    Status
	low, high string
}{
	{Ordered, "ordered", "received"},
	{RequisitionCreated, "requisition_created", "received"},
	{RequisitionBypassed, "requisition_bypassed", "received"},
	{AppointmentPending, "appointment_pending", "collecting_sample"},
	{AppointmentScheduled, "appointment_scheduled", "collecting_sample"},
	{DrawCompleted, "draw_completed", "collecting_sample"},
	{AppointmentCancelled, "appointment_cancelled", "collecting_sample"},
	{PartialResults, "partial_results", "sample_with_lab"},
	{Completed, "completed", "completed"},
	{SampleError, "sample_error", "failed"},
	{Cancelled, "cancelled", "cancelled"},
	{Corrected, "corrected", "completed"},
}

func TestStatusText(t *testing.T) {
	require.Len(t, wire, len(allStatuses))
	for _, w := range wire {
		t.Run(w.low, func(t *testing.T) {
			full := w.high + ".at_home_phlebotomy." + w.low
			assert.True(t, w.status.IsValid())
			assert.Equal(t, w.low, w.status.String())
			assert.Equal(t, full, w.status.Full())
			assert.Equal(t, w.high, w.status.HighLevel().String())
			for _, text := range []string{w.low, full} {
				got, err := ParseStatus(text)
				require.NoError(t, err, "ParseStatus(%q)", text)
				assert.Equal(t, w.status, got, "ParseStatus(%q)", text)
			}
			b, err := w.status.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, w.low, string(b))
			h, err := parseHighLevel(w.high)
			require.NoError(t, err)
			assert.Equal(t, w.status.HighLevel(), h)
		})
	}
}

func TestInvalidStatusText(t *testing.T) {
	for _, s := range []Status{0, numStatuses + 1, 255} {
		assert.False(t, s.IsValid())
		assert.Equal(t, "order.Status("+strconv.Itoa(int(s))+")", s.String())
		assert.Equal(t, s.String(), s.Full())
		assert.Equal(t, HighLevel(0), s.HighLevel())
		_, err := s.MarshalText()
		assert.ErrorIs(t, err, ErrUnknownStatus)
	}
}

// rejected is text that ParseStatus must refuse.
var rejected = []string{
	"",
	"Ordered",
	"ORDERED",
	" ordered",
	"ordered ",
	"ordered\n",
	"appointment-scheduled",
	"received",          // high-level alone
	"collecting_sample", // high-level alone
	"sample_with_lab",
	"failed",
	"walk_in_test",
	"received.walk_in_test.ordered", // other modality
	"received.at_home_phlebotomy.appointment_scheduled",       // high-level mismatch
	"completed.at_home_phlebotomy.cancelled",                  // high-level mismatch
	"collecting_sample.at_home_phlebotomy",                    // no low-level part
	"collecting_sample.at_home_phlebotomy.",                   // empty low-level part
	".at_home_phlebotomy.ordered",                             // empty high-level part
	"received.at_home_phlebotomy.ordered.extra",               // trailing part
	"received..ordered",                                       // empty modality
	"received.at_home_phlebotomy.Ordered",                     // other case
	"Received.at_home_phlebotomy.ordered",                     // other case
	"received.at_home_phlebotomy.ordered ",                    // trailing space
	"received.at_home_phlebotomy.at_home_phlebotomy.ordered",  // repeated modality
	"received.at_home_phlebotomy.appointment_scheduled.extra", // trailing part
	"collecting_sample.at_home_phlebotomy.draw_completed\x00", // NUL
	"collecting_sample.at_home_phlebotomy.appointment_pendin", // truncated
	"order.Status(1)",                                         // the invalid String form
	"\xff",                                                    // not UTF-8
}

func TestParseStatusRejects(t *testing.T) {
	for _, text := range rejected {
		t.Run(text, func(t *testing.T) {
			s, err := ParseStatus(text)
			require.Error(t, err)
			assert.Equal(t, Status(0), s)
			assert.ErrorIs(t, err, ErrUnknownStatus)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, text, pe.Text)
			assert.Equal(t, "order: unknown status "+quote(text), err.Error())

			v := Cancelled
			require.ErrorIs(t, v.UnmarshalText([]byte(text)), ErrUnknownStatus)
			assert.Equal(t, Cancelled, v, "a failed UnmarshalText must leave the value unchanged")
		})
	}
}

func quote(s string) string { return strconv.Quote(s) }

func TestParseHighLevel(t *testing.T) {
	for _, text := range []string{"", "Received", "ordered", "collecting_sample ", "order.HighLevel(1)"} {
		_, err := parseHighLevel(text)
		assert.ErrorIs(t, err, ErrUnknownStatus, "parseHighLevel(%q)", text)
	}
	h := HighLevelFailed
	require.Error(t, h.UnmarshalText([]byte("nope")))
	assert.Equal(t, HighLevelFailed, h)
	require.NoError(t, h.UnmarshalText([]byte("sample_with_lab")))
	assert.Equal(t, HighLevelSampleWithLab, h)
	assert.Equal(t, "order.HighLevel(0)", HighLevel(0).String())
	_, err := HighLevel(0).MarshalText()
	assert.ErrorIs(t, err, ErrUnknownStatus)
	b, err := HighLevelCollectingSample.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "collecting_sample", string(b))
}

func TestStatusJSON(t *testing.T) {
	type doc struct {
		Status Status    `json:"status"`
		High   HighLevel `json:"high"`
	}
	var d doc
	require.NoError(t, json.Unmarshal([]byte(`{"status":"collecting_sample.at_home_phlebotomy.draw_completed","high":"failed"}`), &d))
	assert.Equal(t, doc{DrawCompleted, HighLevelFailed}, d)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"status":"draw_completed","high":"failed"}`, string(b))

	err = json.Unmarshal([]byte(`{"status":"walk_in_test"}`), &d)
	assert.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, DrawCompleted, d.Status)

	_, err = json.Marshal(doc{})
	assert.ErrorIs(t, err, ErrUnknownStatus, "a zero status must not be written")
}

func TestEventText(t *testing.T) {
	names := map[Trigger]string{
		CreateRequisition: "create_requisition", BypassRequisition: "bypass_requisition",
		PlaceAppointment: "place_appointment", ScheduleAppointment: "schedule_appointment",
		RescheduleAppointment: "reschedule_appointment", CancelAppointment: "cancel_appointment",
		CompleteDraw: "complete_draw", ReceivePartialResults: "receive_partial_results",
		Complete: "complete", ReportSampleError: "report_sample_error",
		CorrectResults: "correct_results", Cancel: "cancel",
	}
	require.Len(t, names, len(allEvents))
	for _, e := range allEvents {
		assert.True(t, e.IsValid())
		assert.Equal(t, names[e], e.String())
		got, err := ParseTrigger(names[e])
		require.NoError(t, err)
		assert.Equal(t, e, got)
		b, err := json.Marshal(e)
		require.NoError(t, err)
		var back Trigger
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, e, back)
	}
	for _, text := range []string{"", "Cancel", "cancel ", "reschedule", "order.Trigger(1)"} {
		e := Cancel
		_, err := ParseTrigger(text)
		assert.ErrorIs(t, err, ErrUnknownTrigger, "ParseEvent(%q)", text)
		assert.EqualError(t, err, "order: unknown trigger "+quote(text))
		require.Error(t, e.UnmarshalText([]byte(text)))
		assert.Equal(t, Cancel, e)
	}
	assert.Equal(t, "order.Trigger(0)", Trigger(0).String())
	_, err := Trigger(0).MarshalText()
	assert.ErrorIs(t, err, ErrUnknownTrigger)
	assert.False(t, errors.Is(err, ErrUnknownStatus))
}

func TestParseStatusDoesNotAllocate(t *testing.T) {
	full := AppointmentScheduled.Full()
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseStatus(full) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = AppointmentScheduled.Full() }))
}

func TestMustParseStatus(t *testing.T) {
	assert.Equal(t, Completed, mustParseStatus("completed"))
	assert.Panics(t, func() { mustParseStatus("nope") })
}

// TestNilReceivers checks that decoding into a nil pointer fails with the
// package's *ParseError, as for unknown text, and never panics.
func TestNilReceivers(t *testing.T) {
	check := func(t *testing.T, err error, kind, text string, sentinel error) {
		t.Helper()
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, ParseError{Kind: kind, Text: text, Err: sentinel}, *pe)
		assert.ErrorIs(t, err, sentinel)
		assert.Equal(t, "order: unknown "+kind+" "+quote(text), err.Error())
	}
	for _, text := range []string{"ordered", "received.at_home_phlebotomy.ordered", "nope", ""} {
		var s *Status
		check(t, s.UnmarshalText([]byte(text)), "status", text, ErrUnknownStatus)
	}
	for _, text := range []string{"received", "nope"} {
		var h *HighLevel
		check(t, h.UnmarshalText([]byte(text)), "high-level status", text, ErrUnknownStatus)
	}
	for _, text := range []string{"cancel", "nope"} {
		var e *Trigger
		check(t, e.UnmarshalText([]byte(text)), "trigger", text, ErrUnknownTrigger)
	}
}

// mustParseStatus is like ParseStatus but panics on error, for hard-coded
// values.
func mustParseStatus(text string) Status {
	s, err := ParseStatus(text)
	if err != nil {
		panic(err)
	}
	return s
}
