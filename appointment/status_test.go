package appointment

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wire is every status's spellings, written out by hand from DOMAIN.md §2:
// the API's status, the event status, and the older spellings of the
// lifecycle documentation that parsers accept too.
var wire = []struct {
	status    Status
	api, ev   string
	alternate []string
}{
	{Pending, "pending", "pending", nil},
	{Reserved, "reserved", "reserved", nil},
	{Confirmed, "confirmed", "scheduled", nil},
	{InProgress, "in_progress", "in_progress", []string{"in-progress"}},
	{Completed, "completed", "completed", nil},
	{Cancelled, "cancelled", "cancelled", nil},
}

// rejected are texts that are close to a status but not one.
var rejected = []string{
	"", " ", "Pending", "PENDING", " pending", "pending ", "pending\n", "Scheduled",
	"in progress", "inprogress", "in_progress ", "In_Progress", "canceled", "complete",
	"confirm", "appointment_scheduled", "collecting_sample", "null", `"pending"`, "pend\x00ing",
}

func TestStatusText(t *testing.T) {
	require.Len(t, wire, len(allStatuses))
	for _, w := range wire {
		t.Run(w.api, func(t *testing.T) {
			assert.True(t, w.status.IsValid())
			assert.Equal(t, w.api, w.status.String())
			assert.Equal(t, w.ev, w.status.EventStatus())
			for _, text := range append([]string{w.api, w.ev}, w.alternate...) {
				got, err := ParseStatus(text)
				require.NoError(t, err, "ParseStatus(%q)", text)
				assert.Equal(t, w.status, got, "ParseStatus(%q)", text)
				assert.Equal(t, w.status, mustStatus(text))
			}
			b, err := w.status.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, w.api, string(b), "MarshalText writes the API's spelling")
		})
	}
}

func TestInvalidStatusText(t *testing.T) {
	for _, text := range rejected {
		s, err := ParseStatus(text)
		assert.Zero(t, s, "ParseStatus(%q)", text)
		require.ErrorIs(t, err, ErrUnknownStatus, "ParseStatus(%q)", text)
		assert.NotErrorIs(t, err, ErrMalformed)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, DecodeError{Text: text, Err: ErrUnknownStatus}, *de)
		assert.Equal(t, "appointment: unknown status "+strconv.Quote(text), err.Error())
	}
	assert.Panics(t, func() { mustStatus("Pending") })
	for _, s := range invalidStatuses {
		assert.False(t, s.IsValid())
		assert.Equal(t, "appointment.Status("+strconv.Itoa(int(s))+")", s.String())
		assert.Equal(t, s.String(), s.EventStatus())
		_, err := s.MarshalText()
		assert.ErrorIs(t, err, ErrUnknownStatus)
		assert.Equal(t, &DecodeError{Op: "encode", Text: s.String(), Err: ErrUnknownStatus}, err)
		_, err = s.Value()
		assert.ErrorIs(t, err, ErrUnknownStatus)
		assert.Equal(t, &DecodeError{Op: "encode", Text: s.String(), Err: ErrUnknownStatus}, err)
	}
}

func TestStatusUnmarshalLeavesReceiverOnError(t *testing.T) {
	s := Reserved
	for _, text := range rejected {
		require.ErrorIs(t, s.UnmarshalText([]byte(text)), ErrUnknownStatus)
		assert.Equal(t, Reserved, s)
	}
	require.NoError(t, s.UnmarshalText([]byte("scheduled")))
	assert.Equal(t, Confirmed, s)
	var nilStatus *Status
	assert.ErrorIs(t, nilStatus.UnmarshalText([]byte("pending")), ErrUnknownStatus)
}

func TestStatusJSON(t *testing.T) {
	type doc struct {
		S Status  `json:"s"`
		P *Status `json:"p,omitempty"`
	}
	b, err := json.Marshal(doc{S: InProgress})
	require.NoError(t, err)
	assert.JSONEq(t, `{"s":"in_progress"}`, string(b))

	var d doc
	require.NoError(t, json.Unmarshal([]byte(`{"s":"scheduled","p":"in-progress"}`), &d))
	assert.Equal(t, Confirmed, d.S)
	require.NotNil(t, d.P)
	assert.Equal(t, InProgress, *d.P)

	var s Status = Completed
	err = json.Unmarshal([]byte(`"no_show"`), &s)
	require.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, Completed, s)

	_, err = json.Marshal(doc{})
	assert.ErrorIs(t, err, ErrUnknownStatus, "the zero Status must not encode")
}

func TestStatusSQL(t *testing.T) {
	var _ driver.Valuer = Pending
	var _ sql.Scanner = (*Status)(nil)
	for _, w := range wire {
		v, err := w.status.Value()
		require.NoError(t, err)
		assert.Equal(t, w.api, v)
		for _, src := range []any{w.api, []byte(w.ev)} {
			var s Status
			require.NoError(t, s.Scan(src))
			assert.Equal(t, w.status, s)
		}
	}
	s := Confirmed
	for src, text := range map[any]string{nil: "NULL", 3: "3 (int)", 2.5: "2.5 (float64)", true: "true (bool)", "Pending": "Pending", "": ""} {
		err := s.Scan(src)
		require.ErrorIs(t, err, ErrUnknownStatus, "Scan(%#v)", src)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, DecodeError{Text: text, Err: ErrUnknownStatus}, *de, "Scan(%#v)", src)
		assert.Equal(t, Confirmed, s)
	}
	require.ErrorIs(t, s.Scan([]byte("")), ErrUnknownStatus)
	assert.EqualError(t, s.Scan(nil), `appointment: unknown status "NULL"`)
	assert.Equal(t, Confirmed, s)
	var n sql.Null[Status]
	require.NoError(t, n.Scan(nil))
	assert.False(t, n.Valid)
	require.NoError(t, n.Scan("cancelled"))
	assert.Equal(t, sql.Null[Status]{V: Cancelled, Valid: true}, n)
}

func TestEventText(t *testing.T) {
	names := map[Trigger]string{Reserve: "reserve", Confirm: "confirm", Reschedule: "reschedule",
		Start: "start", Complete: "complete", Cancel: "cancel"}
	require.Len(t, names, len(allEvents))
	for _, e := range allEvents {
		assert.True(t, e.IsValid())
		assert.Equal(t, names[e], e.String())
		got, err := ParseTrigger(names[e])
		require.NoError(t, err)
		assert.Equal(t, e, got)
		b, err := e.MarshalText()
		require.NoError(t, err)
		var back Trigger
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, e, back)
	}
	for _, text := range []string{"", "Cancel", "cancel ", "reserved", "cancel_appointment"} {
		e, err := ParseTrigger(text)
		assert.Zero(t, e)
		require.ErrorIs(t, err, ErrUnknownTrigger)
		assert.Equal(t, "appointment: unknown trigger "+strconv.Quote(text), err.Error())
	}
	e := Start
	require.ErrorIs(t, e.UnmarshalText([]byte("begin")), ErrUnknownTrigger)
	assert.Equal(t, Start, e)
	var nilEvent *Trigger
	assert.ErrorIs(t, nilEvent.UnmarshalText([]byte("start")), ErrUnknownTrigger)
	for _, e := range invalidEvents {
		assert.False(t, e.IsValid())
		assert.Equal(t, "appointment.Trigger("+strconv.Itoa(int(e))+")", e.String())
		_, err := e.MarshalText()
		assert.ErrorIs(t, err, ErrUnknownTrigger)
		assert.Equal(t, &DecodeError{Op: "encode", Text: e.String(), Err: ErrUnknownTrigger}, err)
	}
}

func TestParseStatusDoesNotAllocate(t *testing.T) {
	var s Status
	b := []byte("in_progress")
	assert.Zero(t, testing.AllocsPerRun(100, func() { s, _ = ParseStatus("scheduled") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = s.UnmarshalText(b) }))
}

// mustStatus is ParseStatus for hard-coded text: it panics on error.
func mustStatus(text string) Status {
	s, err := ParseStatus(text)
	if err != nil {
		panic(err)
	}
	return s
}
