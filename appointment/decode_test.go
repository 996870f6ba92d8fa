package appointment

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeExactKeys: member names are matched exactly (our decision);
// encoding/json would also take other letter case.
func TestDecodeExactKeys(t *testing.T) {
	a, err := Decode([]byte(`{"ID":"x","Status":5,"EVENT_STATUS":"in_progress","Start_At":"soon",
		"address":{"City":"Phoenix","city":"Tucson"},"location":{"LAT":1,"lat":2},"event_data":{"Origin":"x"},
		"events":[{"Status":"pending","Created_At":"never","Data":1}]}`))
	require.NoError(t, err)
	assert.Equal(t, Appointment{
		Address:   Address{City: "Tucson"},
		Location:  Location{Lat: 2},
		EventData: EventData{Extra: map[string]json.RawMessage{"Origin": json.RawMessage(`"x"`)}},
		History:   []HistoryEntry{{}},
	}, a)

	w, err := DecodeWebhook([]byte(`{"Event_Type":"labtest.order.updated","event_type":"labtest.appointment.created","Data":1,"TEAM_ID":[]}`))
	require.NoError(t, err)
	assert.Equal(t, Webhook{EventType: WebhookCreated}, w)
	_, err = DecodeWebhook([]byte(`{"Event_Type":"labtest.appointment.created"}`))
	require.ErrorIs(t, err, ErrMalformed, "event_type in other letter case is no event type")

	rs, err := DecodeCancellationReasons([]byte(`[{"ID":"r1","Name":"Other","IS_REFUNDABLE":"yes","id":"r2"}]`))
	require.NoError(t, err)
	assert.Equal(t, []CancellationReason{{ID: "r2"}}, rs)
}

// TestDecodeRepeatedKeys: a repeated member is decoded each time and its
// last value replaces the first whole (our decision; encoding/json merges
// objects and keeps a string when null follows it), but a fault in the
// first value is still reported.
func TestDecodeRepeatedKeys(t *testing.T) {
	for name, c := range map[string]struct {
		data string
		want Appointment
	}{
		"address":      {`{"address":{"city":"a","state":"AZ"},"address":{"city":"b"}}`, Appointment{Address: Address{City: "b"}}},
		"location":     {`{"location":{"lng":1,"lat":2},"location":{"lat":3}}`, Appointment{Location: Location{Lat: 3}}},
		"string, null": {`{"id":"a","id":null}`, Appointment{}},
		"time, null":   {`{"start_at":"2022-01-01T00:00:00Z","start_at":null}`, Appointment{}},
		"status":       {`{"status":"pending","status":"completed"}`, Appointment{Status: Completed}},
		"unknown, then known status": {`{"status":"no_show","status":"pending","event_status":"x","event_status":null}`,
			Appointment{Status: Pending}},
		"event data": {`{"event_data":{"origin":"a","k":1},"event_data":{"is_reschedule":true}}`,
			Appointment{EventData: EventData{IsReschedule: true}}},
		"event data members": {`{"event_data":{"origin":"a","origin":"b","k":1,"k":[2]}}`,
			Appointment{EventData: EventData{Origin: "b", Extra: map[string]json.RawMessage{"k": json.RawMessage("[2]")}}}},
		"events": {`{"events":[{"status":"a"},{"status":"b"}],"events":[{"status":"c"}]}`,
			Appointment{History: []HistoryEntry{{Status: "c"}}}},
		"events, then empty": {`{"events":[{"status":"a"}],"events":[]}`, Appointment{}},
		"entry members": {`{"events":[{"status":"a","data":{"x":1},"status":"b","data":null}]}`,
			Appointment{History: []HistoryEntry{{Status: "b"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Decode([]byte(c.data))
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}

	// The last status wins with its error: an unknown one after a known one.
	a, err := Decode([]byte(`{"id":"a","status":"pending","status":"no_show"}`))
	require.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, Appointment{ID: "a"}, a)
	a, err = Decode([]byte(`{"event_status":"scheduled","event_status":"no_show"}`))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "event_status", de.Field)
	assert.Equal(t, Appointment{}, a)

	for data, field := range map[string]string{
		`{"start_at":"soon","start_at":"2022-01-01T00:00:00Z"}`: "start_at",
		`{"status":1,"status":"pending"}`:                       "status",
		`{"events":[{"created_at":"x"}],"events":[]}`:           "events[0].created_at",
		`{"event_data":{"origin":1},"event_data":null}`:         "event_data.origin",
	} {
		_, err := Decode([]byte(data))
		require.ErrorAs(t, err, &de, data)
		assert.Equal(t, field, de.Field, data)
		assert.ErrorIs(t, err, ErrMalformed, data)
	}
}

// TestDecodeWebhookOrder: the event type is checked before the data
// wherever it stands; data that comes first is read once the event type is
// known, and each repeated member's last value wins.
func TestDecodeWebhookOrder(t *testing.T) {
	for name, c := range map[string]struct {
		data  string
		want  Webhook
		field string // of the error, if any
		is    error
	}{
		"data first": {data: `{"data":{"id":"a","status":"confirmed"},"team_id":"t","event_type":"labtest.appointment.created"}`,
			want: Webhook{EventType: WebhookCreated, TeamID: "t", Data: Appointment{ID: "a", Status: Confirmed}}},
		"data first, null": {data: `{"data":null,"event_type":"labtest.appointment.update"}`, want: Webhook{EventType: WebhookUpdated}},
		"data first, unknown status": {data: `{"data":{"id":"a","status":"no_show"},"event_type":"labtest.appointment.created"}`,
			want: Webhook{EventType: WebhookCreated, Data: Appointment{ID: "a"}}, field: "data.status", is: ErrUnknownStatus},
		"data first, fault":     {data: `{"data":{"id":"a","start_at":1},"event_type":"labtest.appointment.created"}`, field: "data.start_at", is: ErrMalformed},
		"data first, not ours":  {data: `{"data":{"start_at":"soon"},"event_type":"labtest.order.updated"}`, field: "event_type", is: ErrNotAppointment},
		"data first, no type":   {data: `{"data":{"status":5}}`, field: "event_type", is: ErrMalformed},
		"data first, not data":  {data: `{"data":[1],"event_type":"labtest.appointment.updated"}`, field: "data", is: ErrMalformed},
		"data first, type null": {data: `{"data":{"start_at":"soon"},"event_type":null}`, field: "event_type", is: ErrMalformed},
		"bad type, then good": {data: `{"event_type":"labtest.order.updated","data":{"id":"a"},"event_type":"labtest.appointment.created"}`,
			want: Webhook{EventType: WebhookCreated, Data: Appointment{ID: "a"}}},
		"good type, then bad": {data: `{"event_type":"labtest.appointment.created","data":{"id":"a"},"event_type":"labtest.order.created"}`,
			field: "event_type", is: ErrNotAppointment},
		"data twice, first kept raw": {data: `{"data":{"id":"a"},"event_type":"labtest.appointment.created","data":{"id":"b"}}`,
			want: Webhook{EventType: WebhookCreated, Data: Appointment{ID: "b"}}},
		"data twice, second kept raw": {data: `{"event_type":"labtest.appointment.created","data":{"status":"x"},"event_type":"","data":{"id":"b"},"event_type":"labtest.appointment.created"}`,
			want: Webhook{EventType: WebhookCreated, Data: Appointment{ID: "b"}}},
		"data, then null": {data: `{"event_type":"labtest.appointment.created","data":{"id":"a","status":"x"},"data":null}`,
			want: Webhook{EventType: WebhookCreated}},
		"envelope fault before the type": {data: `{"data":{"id":"a"},"team_id":1,"event_type":"x"}`, field: "team_id", is: ErrMalformed},
		"invalid JSON before the type":   {data: `{"event_type":"x","data":{"id":"a"},}`, is: ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeWebhook([]byte(c.data))
			if c.is == nil {
				require.NoError(t, err)
				assert.Equal(t, c.want, got)
				return
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Field)
			assert.ErrorIs(t, err, c.is)
			assert.Equal(t, c.want, got)
		})
	}
}

// TestDecodeErrorCauses: the cause of a decoding error says what is wrong
// with the JSON, and the message keeps the package's style.
func TestDecodeErrorCauses(t *testing.T) {
	for _, c := range []struct {
		data, field, msg string
	}{
		{`{"location":{"lat":1e400}}`, "location.lat", "appointment: decode location.lat: unexpected JSON number 1e400"},
		{`{"address":{"zip_code":85004}}`, "address.zip_code", "appointment: decode address.zip_code: unexpected JSON number"},
		{`{"can_reschedule":"yes"}`, "can_reschedule", "appointment: decode can_reschedule: unexpected JSON string"},
		{`{"events":[{"data":1},{"status":{}}]}`, "events[1].status", "appointment: decode events[1].status: unexpected JSON object"},
		{`{"event_data":{"is_reschedule":[]}}`, "event_data.is_reschedule", "appointment: decode event_data.is_reschedule: unexpected JSON array"},
		{`{"id":true}`, "id", "appointment: decode id: unexpected JSON bool"},
		{`{"start_at":"noon"}`, "start_at", `appointment: decode start_at: malformed time "noon"`},
		{`{"events":[{"created_at":"2022-01-01T00:00:00Z"}, {"created_at":"2022"}]}`, "events[1].created_at",
			`appointment: decode events[1].created_at: malformed time "2022"`},
		{`{"id":"a" "user_id":"b"}`, "", "appointment: decode: invalid character '\"' after object key:value pair"},
		{`{"events":[{"status":"a\x"}]}`, "", `appointment: decode: invalid character 'x' in string escape code`},
		{`{"id":"a"} x`, "", "appointment: decode: invalid character 'x' after top-level value"},
		{`"a"`, "", "appointment: decode: unexpected JSON string"},
	} {
		_, err := Decode([]byte(c.data))
		var de *DecodeError
		require.ErrorAs(t, err, &de, c.data)
		assert.Equal(t, c.field, de.Field, c.data)
		assert.Equal(t, c.msg, err.Error(), c.data)
		assert.ErrorIs(t, err, ErrMalformed, c.data)
		require.Error(t, de.Err, c.data)
		var pe *ParseError
		if errors.As(err, &pe) {
			assert.Equal(t, "time", pe.Kind)
		}
	}

	// EventData and HistoryEntry on their own name paths from their own
	// value.
	var e HistoryEntry
	assert.EqualError(t, e.UnmarshalJSON([]byte(`{"created_at":"x"}`)), `appointment: decode created_at: malformed time "x"`)
	var d EventData
	assert.EqualError(t, d.UnmarshalJSON([]byte(`{"k":[1,}`)), `appointment: decode: invalid character '}' looking for beginning of value`)
}

// TestDecodeSharesOneCopy: Decode copies its input once, so that the
// caller may reuse it; DecodeString reads its input in place.
func TestDecodeSharesOneCopy(t *testing.T) {
	data := fixture(t, "appointment-updated-webhook.json")
	w, err := DecodeWebhook(data)
	require.NoError(t, err)
	a, err := Decode(fixture(t, "appointment-booked.json"))
	require.NoError(t, err)
	for i := range data {
		data[i] = ' '
	}
	assert.Equal(t, wantWebhook, w, "the caller's buffer was reused")

	var env struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-updated-webhook.json"), &env))
	s := string(env.Data)
	d, err := DecodeString(s)
	require.NoError(t, err)
	assert.Equal(t, wantWebhook.Data, d)
	for _, field := range []string{d.ID, d.Address.City, d.IANATimezone, d.History[1].Status} {
		assert.True(t, within(s, field), "%q is not a substring of the input", field)
	}
	assert.Equal(t, wantBooked, a)
	assert.False(t, within(string(fixture(t, "appointment-booked.json")), a.ID))

	// An escaped string is new memory.
	d, err = DecodeString(`{"id":"a\u0062"}`)
	require.NoError(t, err)
	assert.Equal(t, "ab", d.ID)
}

// within reports whether inner lies in outer's memory.
func within(outer, inner string) bool {
	o, i := uintptr(unsafe.Pointer(unsafe.StringData(outer))), uintptr(unsafe.Pointer(unsafe.StringData(inner)))
	return inner != "" && i >= o && i+uintptr(len(inner)) <= o+uintptr(len(outer))
}

// TestDecodeAllocations pins the allocation budget of decoding: one copy of
// the input, the history slice, escaped strings, and raw values where
// present.
func TestDecodeAllocations(t *testing.T) {
	webhook := fixture(t, "appointment-updated-webhook.json")
	booked := fixture(t, "appointment-booked.json")
	reasons := fixture(t, "cancellation-reasons.json")
	for _, c := range []struct {
		name   string
		decode func()
		max    float64
	}{
		// The copy, the history and the one history entry with data.
		{"webhook", func() { _, _ = DecodeWebhook(webhook) }, 3},
		{"booked", func() { _, _ = Decode(booked) }, 1},
		{"booked in place", func() { _, _ = DecodeString(string(booked)) }, 1}, // the conversion itself
		{"escaped string", func() { _, _ = DecodeString(`{"id":"\u0061"}`) }, 1},
		{"event data without extras", func() { _, _ = DecodeString(`{"event_data":{"origin":"x","is_reschedule":true}}`) }, 0},
		{"event data with an extra", func() { _, _ = DecodeString(`{"event_data":{"k":1}}`) }, 3}, // the map, its first group, the value
		// The copy, and the slice as it grows to 11 reasons.
		{"cancellation reasons", func() { _, _ = DecodeCancellationReasons(reasons) }, 6},
	} {
		if n := testing.AllocsPerRun(50, c.decode); n > c.max {
			t.Errorf("decoding %s allocates %v times, want at most %v", c.name, n, c.max)
		}
	}
	var d EventData
	require.NoError(t, d.UnmarshalJSON([]byte(`{"origin":"x","is_reschedule":false}`)))
	assert.Nil(t, d.Extra)
	require.NoError(t, d.UnmarshalJSON([]byte(`{"origin":"x","k":null}`)))
	assert.Equal(t, map[string]json.RawMessage{"k": nil}, d.Extra)
}

// TestDecodeRawValues: raw values are kept as encoding/json writes a
// json.RawMessage, byte for byte.
func TestDecodeRawValues(t *testing.T) {
	for _, raw := range []string{
		`1`, `"x"`, `true`, `{ "a" : [ 1 , 2 ] }`, `"<&>"`, "\"\u2028\u2029\"", `"\u003c"`, `[ ]`,
		`{"a":"\\\" <"}`, "\"caf\xc3\xa9\"", `"\ud83d\ude00"`,
	} {
		want, err := json.Marshal(json.RawMessage(raw))
		require.NoError(t, err)
		a, err := Decode([]byte(`{"events":[{"data":` + raw + `}],"event_data":{"k":` + raw + `}}`))
		require.NoError(t, err, raw)
		assert.Equal(t, string(want), string(a.History[0].Data), raw)
		assert.Equal(t, string(want), string(a.EventData.Extra["k"]), raw)
	}
}

// TestDecodeString: DecodeString decodes as Decode does, errors included.
func TestDecodeString(t *testing.T) {
	for _, data := range []string{
		string(fixture(t, "appointment-booked.json")), `null`, ``, `{"status":"no_show","id":"a"}`, `{"start_at":1}`, `[`,
	} {
		a, err := Decode([]byte(data))
		s, serr := DecodeString(data)
		assert.Equal(t, a, s, data)
		assert.Equal(t, err, serr, data)
	}
	assert.True(t, strings.HasPrefix(wantBooked.ID, "413d"))
}

// TestDecodeNullMembers: null leaves every member at its zero value, and
// so does a member given twice, last as null.
func TestDecodeNullMembers(t *testing.T) {
	names := []string{"id", "user_id", "order_id", "order_transaction_id", "external_id", "address", "location",
		"start_at", "end_at", "iana_timezone", "type", "provider", "status", "event_status", "provider_id",
		"can_reschedule", "appointment_notes", "event_data", "events"}
	var nulls, twice strings.Builder
	full := string(fixture(t, "appointment-updated-webhook.json"))
	var env struct{ Data map[string]json.RawMessage }
	require.NoError(t, json.Unmarshal([]byte(full), &env))
	for i, name := range names {
		if i > 0 {
			nulls.WriteString(",")
			twice.WriteString(",")
		}
		nulls.WriteString(quote(name) + ":null")
		if raw, ok := env.Data[name]; ok {
			twice.WriteString(quote(name) + ":" + string(raw) + ",")
		}
		twice.WriteString(quote(name) + ":null")
	}
	for _, data := range []string{"{" + nulls.String() + "}", "{" + twice.String() + "}"} {
		a, err := Decode([]byte(data))
		require.NoError(t, err, data)
		assert.Equal(t, Appointment{}, a, data)
	}
}
