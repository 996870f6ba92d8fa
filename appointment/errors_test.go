package appointment

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnwrap pins what each typed error unwraps to, with and without a
// cause.
func TestUnwrap(t *testing.T) {
	cause := errors.New("cause")
	se := &json.SemanticError{JSONKind: '0'}
	for name, c := range map[string]struct {
		err  interface{ Unwrap() []error }
		want []error
	}{
		"DecodeError without a cause":  {&DecodeError{Path: "/x"}, []error{ErrMalformed}},
		"DecodeError of a type error":  {&DecodeError{Path: "/x", Err: se}, []error{ErrMalformed, se}},
		"DecodeError of unknown":       {&DecodeError{Path: "/status", Text: "x", Err: ErrUnknownStatus}, []error{ErrUnknownStatus}},
		"DecodeError of malformed":     {&DecodeError{Path: "/start_at", Text: "x", Err: ErrMalformed}, []error{ErrMalformed}},
		"DecodeError of a trigger":     {&DecodeError{Text: "x", Err: ErrUnknownTrigger}, []error{ErrUnknownTrigger}},
		"encoding without a cause":     {&DecodeError{Op: "encode"}, []error{ErrMalformed}},
		"encoding of a json error":     {&DecodeError{Op: "encode", Err: cause}, []error{ErrMalformed, cause}},
		"TransitionError of a trigger": {&TransitionError{From: Pending, Trigger: Start}, []error{ErrInvalidTransition}},
		"TransitionError of a history": {&TransitionError{Index: 1, Err: ErrOutOfOrder}, []error{ErrInvalidHistory, ErrOutOfOrder}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, c.want, c.err.Unwrap())
			for _, w := range c.want {
				assert.ErrorIs(t, c.err.(error), w)
			}
		})
	}

	// LoadLocation's own error is reachable through the *DecodeError.
	a := Appointment{StartAt: utc(2023, 5, 15, 16, 0), IANATimezone: "Nowhere/City"}
	_, want := time.LoadLocation(a.IANATimezone)
	require.Error(t, want)
	_, err := a.TimeZone()
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "Nowhere/City", de.Text)
	assert.ErrorIs(t, err, ErrUnknownZone)
	assert.NotErrorIs(t, err, ErrMalformed)
	assert.Contains(t, de.Err.Error(), want.Error())
	assert.Equal(t, `appointment: unknown time zone "Nowhere/City"`, err.Error())
	_, err = a.LocalStart()
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, ErrUnknownZone)
	assert.Contains(t, de.Err.Error(), want.Error(), "LoadLocation's error is kept")
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

		e, err := json.Marshal(HistoryEntry{CreatedAt: c.at, Status: "pending"})
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
			"HistoryEntry": func() ([]byte, error) { return json.Marshal(HistoryEntry{CreatedAt: at}) },
			"start_at":     Appointment{StartAt: at}.MarshalJSON,
			"end_at":       Appointment{EndAt: at}.MarshalJSON,
		} {
			b, err := marshal()
			if what != "HistoryEntry" { // the json package returns what it wrote
				assert.Nil(t, b, "%s in %s", what, name)
			}
			var ee *DecodeError
			require.ErrorAs(t, err, &ee, "%s in %s", what, name)
			assert.Equal(t, "encode", ee.Op)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Equal(t, at.String(), ee.Text)
		}
	}
}
