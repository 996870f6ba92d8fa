package appointment

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnwrap pins what each typed error unwraps to, with and without a
// cause.
func TestUnwrap(t *testing.T) {
	cause := errors.New("cause")
	unknown := &ParseError{Kind: "status", Text: "x", Err: ErrUnknownStatus}
	notOurs := &ParseError{Kind: "webhook type", Text: "x", Err: ErrNotAppointment}
	malformed := &ParseError{Kind: "time", Text: "x", Err: ErrMalformed}
	ute := &json.UnmarshalTypeError{Value: "number"}
	for name, c := range map[string]struct {
		err  interface{ Unwrap() []error }
		want []error
	}{
		"DecodeError without a cause":   {&DecodeError{Field: "x"}, []error{ErrMalformed}},
		"DecodeError of a type error":   {&DecodeError{Field: "x", Err: ute}, []error{ErrMalformed, ute}},
		"DecodeError of unknown":        {&DecodeError{Field: "status", Err: unknown}, []error{unknown}},
		"DecodeError of not ours":       {&DecodeError{Field: "event_type", Err: notOurs}, []error{notOurs}},
		"DecodeError of malformed":      {&DecodeError{Field: "start_at", Err: malformed}, []error{malformed}},
		"EncodeError without a cause":   {&EncodeError{}, []error{ErrMalformed}},
		"EncodeError of a json error":   {&EncodeError{Err: cause}, []error{ErrMalformed, cause}},
		"HistoryError without reason":   {&HistoryError{Index: 1}, []error{ErrInvalidHistory}},
		"HistoryError with reason":      {&HistoryError{Index: 1, Err: ErrOutOfOrder}, []error{ErrInvalidHistory, ErrOutOfOrder}},
		"ZoneError without a cause":     {&ZoneError{Zone: ""}, []error{ErrUnknownZone}},
		"ZoneError with LoadLocation's": {&ZoneError{Zone: "x", Err: cause}, []error{ErrUnknownZone, cause}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, c.want, c.err.Unwrap())
			for _, w := range c.want {
				assert.ErrorIs(t, c.err.(error), w)
			}
		})
	}

	// LoadLocation's own error is reachable through a *ZoneError.
	a := Appointment{StartAt: utc(2023, 5, 15, 16, 0), IANATimezone: "Nowhere/City"}
	_, want := time.LoadLocation(a.IANATimezone)
	require.Error(t, want)
	_, err := a.TimeZone()
	var ze *ZoneError
	require.ErrorAs(t, err, &ze)
	assert.Equal(t, want.Error(), ze.Err.Error())
	assert.ErrorIs(t, err, ze.Err)
	_, err = a.LocalStart()
	var lze *ZoneError
	require.ErrorAs(t, err, &lze)
	require.Error(t, lze.Err)
	assert.Equal(t, want.Error(), lze.Err.Error())
}

// TestTimeYearBounds: RFC 3339 writes years 0000 to 9999; the first and
// last instants of that range parse and encode, the instants just outside
// do neither, whichever way they are encoded.
func TestTimeYearBounds(t *testing.T) {
	first := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	for _, c := range []struct {
		at   time.Time
		text string
	}{
		{first, "0000-01-01T00:00:00Z"},
		{last, "9999-12-31T23:59:59.999999999Z"},
	} {
		got, err := ParseTime(c.text)
		require.NoError(t, err)
		assert.Equal(t, c.at, got)

		e, err := HistoryEntry{CreatedAt: c.at, Status: "pending"}.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, `{"created_at":"`+c.text+`","data":null,"status":"pending"}`, string(e))

		a, ok := roundTrip(t, []byte(`{"start_at":"`+c.text+`","end_at":"`+c.text+`"}`))
		require.True(t, ok)
		assert.Equal(t, c.at, a.StartAt)
		assert.Equal(t, c.at, a.EndAt)
	}

	for _, c := range []struct {
		at   time.Time
		text string // the same instant, in range in its own offset
	}{
		{first.Add(-time.Nanosecond), "0000-01-01T00:59:59.999999999+01:00"},
		{last.Add(time.Nanosecond), "9999-12-31T23:00:00-01:00"},
	} {
		at, name := c.at, fmt.Sprint(c.at.Year())
		_, err := ParseTime(c.text)
		assert.ErrorIs(t, err, ErrMalformed, "%s as %s", name, c.text)
		local, err := time.Parse(time.RFC3339Nano, c.text)
		require.NoError(t, err)
		require.True(t, local.Equal(at))

		for what, marshal := range map[string]func() ([]byte, error){
			"HistoryEntry": HistoryEntry{CreatedAt: at}.MarshalJSON,
			"start_at":     Appointment{StartAt: at}.MarshalJSON,
			"end_at":       Appointment{EndAt: at}.MarshalJSON,
		} {
			b, err := marshal()
			assert.Nil(t, b, "%s in %s", what, name)
			var ee *EncodeError
			require.ErrorAs(t, err, &ee, "%s in %s", what, name)
			assert.ErrorIs(t, err, ErrMalformed)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "time", pe.Kind)
			assert.Equal(t, at.String(), pe.Text)
		}
	}
}
