package appointment

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func year(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }

// TestEncodeErrorsAreTyped: every value that cannot be encoded gives a
// *EncodeError naming the field at fault and wrapping a sentinel, whether
// it is encoded on its own, inside an appointment or inside a webhook.
func TestEncodeErrorsAreTyped(t *testing.T) {
	hist := func(e HistoryEntry) []HistoryEntry { return []HistoryEntry{{Status: "pending"}, e} }
	extra := func(kv ...string) EventData {
		d := EventData{Extra: map[string]json.RawMessage{}}
		for i := 0; i < len(kv); i += 2 {
			d.Extra[kv[i]] = json.RawMessage(kv[i+1])
		}
		return d
	}
	for name, c := range map[string]struct {
		a       Appointment
		field   string
		unknown bool // wraps ErrUnknownStatus rather than ErrMalformed
		cause   any  // the type of the cause, when it is encoding/json's
		msg     string
	}{
		"invalid status": {a: Appointment{Status: 9}, field: "status", unknown: true,
			msg: `appointment: encode status: unknown status "appointment.Status(9)"`},
		"invalid event status": {a: Appointment{EventStatus: 200}, field: "event_status", unknown: true},
		"start year 10000": {a: Appointment{StartAt: year(10000)}, field: "start_at",
			msg: `appointment: encode start_at: malformed time "10000-01-01 00:00:00 +0000 UTC"`},
		"end year -1":         {a: Appointment{EndAt: year(-1)}, field: "end_at"},
		"history year":        {a: Appointment{History: hist(HistoryEntry{CreatedAt: year(12000)})}, field: "events[1].created_at"},
		"history raw data":    {a: Appointment{History: hist(HistoryEntry{Data: json.RawMessage("{")})}, field: "events[1].data", cause: new(*json.SyntaxError)},
		"history data spaces": {a: Appointment{History: hist(HistoryEntry{Data: json.RawMessage(" ")})}, field: "events[1].data", cause: new(*json.SyntaxError)},
		"extra": {a: Appointment{EventData: extra("x", "nope")}, field: "event_data.x", cause: new(*json.SyntaxError),
			msg: "appointment: encode event_data.x: invalid character 'o' in literal null (expecting 'u')"},
		"first bad extra in key order": {a: Appointment{EventData: extra("c", "{", "a", "1", "b", "tru", "d", "]")}, field: "event_data.b", cause: new(*json.SyntaxError)},
		"nil extra beside a bad one": {a: Appointment{EventData: EventData{Extra: map[string]json.RawMessage{"a": nil, "b": json.RawMessage("{")}}},
			field: "event_data.b", cause: new(*json.SyntaxError)},
		"extra beside origin": {a: Appointment{EventData: EventData{Origin: "patient", Extra: map[string]json.RawMessage{"k": json.RawMessage("[1,")}}}, field: "event_data.k"},
		"NaN latitude": {a: Appointment{Location: Location{Lat: math.NaN()}}, field: "location.lat", cause: new(*json.UnsupportedValueError),
			msg: "appointment: encode location.lat: unsupported value: NaN"},
		"infinite longitude": {a: Appointment{Location: Location{Lng: math.Inf(1), Lat: 1}}, field: "location.lng", cause: new(*json.UnsupportedValueError)},
		"-Inf latitude":      {a: Appointment{Location: Location{Lng: 1, Lat: math.Inf(-1)}}, field: "location.lat"},
	} {
		t.Run(name, func(t *testing.T) {
			check := func(err error, field string) {
				t.Helper()
				var ee *EncodeError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, field, ee.Field)
				if c.unknown {
					assert.ErrorIs(t, err, ErrUnknownStatus)
					assert.NotErrorIs(t, err, ErrMalformed)
				} else {
					assert.ErrorIs(t, err, ErrMalformed)
					assert.NotErrorIs(t, err, ErrUnknownStatus)
				}
				if c.cause != nil {
					assert.ErrorAs(t, err, c.cause)
				}
			}
			b, err := c.a.MarshalJSON()
			assert.Nil(t, b)
			check(err, c.field)
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}
			_, err = json.Marshal(c.a)
			check(err, c.field)

			w := Webhook{EventType: WebhookUpdated, Data: c.a}
			b, err = w.MarshalJSON()
			assert.Nil(t, b)
			check(err, "data."+c.field)
			_, err = json.Marshal(w)
			check(err, "data."+c.field)
		})
	}
}

// TestEncodeErrorsStandalone: the package's other types report their
// encoding errors the same way when encoded on their own.
func TestEncodeErrorsStandalone(t *testing.T) {
	for name, c := range map[string]struct {
		v     json.Marshaler
		field string
		is    error
	}{
		"history created_at":        {HistoryEntry{CreatedAt: year(10000), Status: "pending"}, "created_at", ErrMalformed},
		"history data":              {HistoryEntry{Status: "pending", Data: json.RawMessage(`{"a":}`)}, "data", ErrMalformed},
		"event data extra":          {EventData{Extra: map[string]json.RawMessage{"x": json.RawMessage("nope")}}, "x", ErrMalformed},
		"location":                  {Location{Lat: math.NaN()}, "lat", ErrMalformed},
		"webhook without a type":    {Webhook{Data: Appointment{ID: "a1"}}, "event_type", ErrMalformed},
		"webhook of another type":   {Webhook{EventType: "labtest.order.updated"}, "event_type", ErrNotAppointment},
		"webhook of a near type":    {Webhook{EventType: "labtest.appointment.somethingelse"}, "event_type", ErrNotAppointment},
		"webhook type before data":  {Webhook{EventType: "x", Data: Appointment{Status: 9}}, "event_type", ErrNotAppointment},
		"webhook with a bad status": {Webhook{EventType: WebhookCreated, Data: Appointment{Status: 9}}, "data.status", ErrUnknownStatus},
	} {
		t.Run(name, func(t *testing.T) {
			for _, marshal := range []func() ([]byte, error){c.v.MarshalJSON, func() ([]byte, error) { return json.Marshal(c.v) }} {
				b, err := marshal()
				assert.Nil(t, b)
				var ee *EncodeError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, c.field, ee.Field)
				assert.ErrorIs(t, err, c.is)
				for _, other := range []error{ErrMalformed, ErrUnknownStatus, ErrNotAppointment} {
					if other != c.is {
						assert.NotErrorIs(t, err, other)
					}
				}
			}
		})
	}
}

// TestEncodeEdges: what encodes without error, on the edge of what does not.
func TestEncodeEdges(t *testing.T) {
	// Extra members named origin or is_reschedule are dropped, whatever
	// they hold.
	b, err := json.Marshal(EventData{Extra: map[string]json.RawMessage{
		"origin": json.RawMessage("nope"), "is_reschedule": json.RawMessage("{"), "k": nil,
	}})
	require.NoError(t, err)
	assert.Equal(t, `{"k":null}`, string(b))

	// Extreme finite coordinates encode.
	b, err = json.Marshal(Location{Lng: -math.MaxFloat64, Lat: math.SmallestNonzeroFloat64})
	require.NoError(t, err)
	assert.Equal(t, `{"lng":-1.7976931348623157e+308,"lat":5e-324}`, string(b))

	// The legacy event type encodes in its current spelling.
	b, err = json.Marshal(Webhook{EventType: WebhookUpdatedLegacy, TeamID: "t"})
	require.NoError(t, err)
	w, err := DecodeWebhook(b)
	require.NoError(t, err)
	assert.Equal(t, Webhook{EventType: WebhookUpdated, TeamID: "t"}, w)
}

func TestEncodeErrorMessages(t *testing.T) {
	unsupported := &json.UnsupportedValueError{Str: "NaN"}
	unknown := &ParseError{Kind: "status", Text: "s", Err: ErrUnknownStatus}
	notOurs := &ParseError{Kind: "webhook type", Text: "t", Err: ErrNotAppointment}
	malformed := &ParseError{Kind: "time", Text: "x", Err: ErrMalformed}
	for _, c := range []struct {
		err    *EncodeError
		want   string
		unwrap []error
	}{
		{&EncodeError{}, "appointment: encode: malformed input", []error{ErrMalformed}},
		{&EncodeError{Field: "x"}, "appointment: encode x: malformed input", []error{ErrMalformed}},
		{&EncodeError{Field: "x.y", Err: unsupported}, "appointment: encode x.y: unsupported value: NaN", []error{ErrMalformed, unsupported}},
		{&EncodeError{Field: "status", Err: unknown}, `appointment: encode status: unknown status "s"`, []error{unknown}},
		{&EncodeError{Field: "event_type", Err: notOurs}, `appointment: encode event_type: unknown webhook type "t"`, []error{notOurs}},
		{&EncodeError{Err: malformed}, `appointment: encode: malformed time "x"`, []error{malformed}},
	} {
		assert.Equal(t, c.want, c.err.Error())
		assert.Equal(t, c.unwrap, c.err.Unwrap(), "%v", c.err)
	}
}
