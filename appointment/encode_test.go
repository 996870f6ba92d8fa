package appointment

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func year(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }

// TestEncodingErrorsAreTyped: every value that cannot be encoded gives a
// *DecodeError of Op "encode" naming the member at fault and wrapping a
// sentinel, whether the appointment is encoded on its own or inside a
// larger document.
func TestEncodingErrorsAreTyped(t *testing.T) {
	hist := func(e HistoryEntry) []HistoryEntry { return []HistoryEntry{{Status: "pending"}, e} }
	extra := func(kv ...string) EventData {
		d := EventData{Extra: map[string]jsontext.Value{}}
		for i := 0; i < len(kv); i += 2 {
			d.Extra[kv[i]] = jsontext.Value(kv[i+1])
		}
		return d
	}
	for name, c := range map[string]struct {
		a       Appointment
		path    string
		unknown bool // wraps ErrUnknownStatus rather than ErrMalformed
		msg     string
	}{
		"invalid status": {a: Appointment{Status: 9}, path: "/status", unknown: true,
			msg: `appointment: encode /status: unknown status "appointment.Status(9)"`},
		"invalid event status": {a: Appointment{EventStatus: 200}, path: "/event_status", unknown: true},
		"start year 10000": {a: Appointment{StartAt: year(10000)}, path: "/start_at",
			msg: `appointment: encode /start_at: malformed time "10000-01-01 00:00:00 +0000 UTC"`},
		"end year -1":         {a: Appointment{EndAt: year(-1)}, path: "/end_at"},
		"history year":        {a: Appointment{History: hist(HistoryEntry{CreatedAt: year(12000)})}, path: "/events/1/created_at"},
		"history raw data":    {a: Appointment{History: hist(HistoryEntry{Data: jsontext.Value("{")})}, path: "/events/1/data"},
		"history data spaces": {a: Appointment{History: hist(HistoryEntry{Data: jsontext.Value(" ")})}, path: "/events/1/data"},
		"extra": {a: Appointment{EventData: extra("x", "nope")}, path: "/event_data/x",
			msg: "appointment: encode /event_data/x: invalid character 'o' in literal null (expecting 'u')"},
		"first bad extra in key order": {a: Appointment{EventData: extra("c", "{", "a", "1", "b", "tru", "d", "]")}, path: "/event_data/b"},
		"nil extra beside a bad one": {a: Appointment{EventData: EventData{Extra: map[string]jsontext.Value{"a": nil, "b": jsontext.Value("{")}}},
			path: "/event_data/b"},
		"extra beside origin": {a: Appointment{EventData: EventData{Origin: "patient", Extra: map[string]jsontext.Value{"k": jsontext.Value("[1,")}}}, path: "/event_data/k"},
		"NaN latitude": {a: Appointment{Location: Location{Lat: math.NaN()}}, path: "/location/lat",
			msg: "appointment: encode /location/lat: unsupported value: NaN"},
		"infinite longitude": {a: Appointment{Location: Location{Lng: math.Inf(1), Lat: 1}}, path: "/location/lng"},
		"-Inf latitude":      {a: Appointment{Location: Location{Lng: 1, Lat: math.Inf(-1)}}, path: "/location/lat"},
	} {
		t.Run(name, func(t *testing.T) {
			check := func(err error) {
				t.Helper()
				var ee *DecodeError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, "encode", ee.Op)
				assert.Equal(t, c.path, ee.Path)
				if c.unknown {
					assert.ErrorIs(t, err, ErrUnknownStatus)
					assert.NotErrorIs(t, err, ErrMalformed)
				} else {
					assert.ErrorIs(t, err, ErrMalformed)
					assert.NotErrorIs(t, err, ErrUnknownStatus)
				}
			}
			b, err := c.a.MarshalJSON()
			assert.Nil(t, b)
			check(err)
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}
			_, err = json.Marshal(c.a)
			check(err)
			_, err = json.Marshal(map[string]Appointment{"data": c.a})
			check(err)
			var se *json.SemanticError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, jsontext.Pointer("/data"), se.JSONPointer)
		})
	}
}

// TestEncodingErrorsStandalone: the package's other types refuse what
// Junction's JSON cannot hold when encoded on their own too; those with
// an encoding of their own say so with a *DecodeError of Op "encode".
func TestEncodingErrorsStandalone(t *testing.T) {
	for name, c := range map[string]struct {
		v    any
		path string
		at   string // the Path of the *DecodeError; empty for none
	}{
		"history created_at": {HistoryEntry{CreatedAt: year(10000), Status: "pending"}, "/created_at", "/created_at"},
		"history data":       {HistoryEntry{Status: "pending", Data: jsontext.Value(`{"a":}`)}, "/data", "/data/a"},
		"event data extra":   {EventData{Extra: map[string]jsontext.Value{"x": jsontext.Value("nope")}}, "/x", "/x"},
		"location":           {Location{Lat: math.NaN()}, "/lat", ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := json.Marshal(c.v)
			var se *json.SemanticError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, jsontext.Pointer(c.path), se.JSONPointer)
			var de *DecodeError
			if assert.Equal(t, c.at != "", errors.As(err, &de)) && c.at != "" {
				assert.Equal(t, "encode", de.Op)
				assert.Equal(t, c.at, de.Path)
			}
		})
	}
	_, err := json.Marshal(HistoryEntry{CreatedAt: year(10000)})
	assert.ErrorIs(t, err, ErrMalformed)
}

// TestEncodeEdges: what encodes without error, on the edge of what does not.
func TestEncodeEdges(t *testing.T) {
	// Extra members named origin or is_reschedule are dropped, whatever
	// they hold.
	b, err := json.Marshal(EventData{Extra: map[string]jsontext.Value{
		"origin": jsontext.Value("nope"), "is_reschedule": jsontext.Value("{"), "k": nil,
	}})
	require.NoError(t, err)
	assert.Equal(t, `{"k":null}`, string(b))

	// Extreme finite coordinates encode.
	b, err = json.Marshal(Location{Lng: -math.MaxFloat64, Lat: math.SmallestNonzeroFloat64})
	require.NoError(t, err)
	assert.Equal(t, `{"lng":-1.7976931348623157e+308,"lat":5e-324}`, string(b))

	// A history entry writes its three members in Junction's order: data
	// null when empty; created_at, which Junction does not allow to be
	// null, as the zero time.
	b, err = json.Marshal(HistoryEntry{})
	require.NoError(t, err)
	assert.Equal(t, `{"created_at":"0001-01-01T00:00:00Z","data":null,"status":""}`, string(b))
}

func TestEncodingErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err    *DecodeError
		want   string
		unwrap []error
	}{
		{&DecodeError{Op: "encode"}, "appointment: encode: malformed input", []error{ErrMalformed}},
		{&DecodeError{Op: "encode", Path: "/x"}, "appointment: encode /x: malformed input", []error{ErrMalformed}},
		{&DecodeError{Op: "encode", Path: "/status", Text: "s", Err: ErrUnknownStatus}, `appointment: encode /status: unknown status "s"`, []error{ErrUnknownStatus}},
		{&DecodeError{Op: "encode", Path: "/start_at", Text: "x", Err: ErrMalformed}, `appointment: encode /start_at: malformed time "x"`, []error{ErrMalformed}},
		// Any Op but "encode" reads as "decode".
		{&DecodeError{Path: "/x"}, "appointment: decode /x: malformed input", []error{ErrMalformed}},
		{&DecodeError{Op: "decode", Path: "/x"}, "appointment: decode /x: malformed input", []error{ErrMalformed}},
		{&DecodeError{Op: "Encode", Path: "/x"}, "appointment: decode /x: malformed input", []error{ErrMalformed}},
	} {
		assert.Equal(t, c.want, c.err.Error())
		assert.Equal(t, c.unwrap, c.err.Unwrap(), "%v", c.err)
	}
}
