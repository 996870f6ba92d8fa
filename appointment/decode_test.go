package appointment

import (
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/order"
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
		Address:   order.Address{City: "Tucson"},
		Location:  Location{Lat: 2},
		EventData: EventData{Extra: map[string]jsontext.Value{"Origin": jsontext.Value(`"x"`)}},
		History:   []HistoryEntry{{}},
	}, a)

	rs, err := DecodeCancellationReasons([]byte(`[{"ID":"r1","Name":"Other","IS_REFUNDABLE":"yes","id":"r2"}]`))
	require.NoError(t, err)
	assert.Equal(t, []CancellationReason{{ID: "r2"}}, rs)
}

// TestDecodeRepeatedMembers: a member given twice in one object is
// malformed (our decision, the json package's default), wherever the
// object stands, whatever the values, unknown members included.
func TestDecodeRepeatedMembers(t *testing.T) {
	for data, path := range map[string]string{
		`{"address":{"city":"a","state":"AZ"},"address":{"city":"b"}}`: "/address",
		`{"location":{"lng":1,"lat":2},"location":{"lat":3}}`:          "/location",
		`{"id":"a","id":null}`:                                                    "/id",
		`{"start_at":"2022-01-01T00:00:00Z","start_at":null}`:                     "/start_at",
		`{"status":"pending","status":"completed"}`:                               "/status",
		`{"status":"no_show","status":"pending"}`:                                 "/status",
		`{"event_data":{"origin":"a","k":1},"event_data":{"is_reschedule":true}}`: "/event_data",
		`{"event_data":{"origin":"a","origin":"b"}}`:                              "/event_data/origin",
		`{"event_data":{"k":1,"k":[2]}}`:                                          "/event_data/k",
		`{"events":[{"status":"a"},{"status":"b"}],"events":[{"status":"c"}]}`:    "/events",
		`{"events":[{"status":"a","data":{"x":1},"status":"b"}]}`:                 "/events/0/status",
		`{"events":[{"data":{"x":1,"x":1}}]}`:                                     "/events/0/data/x",
		`{"x":{"y":1,"y":2}}`:                                                     "/x/y",
		`{"unknown":1,"unknown":1}`:                                               "/unknown",
		`{"address":{"zip":"85004","zip":"85004"}}`:                               "/address/zip",
	} {
		a, err := Decode([]byte(data))
		var de *DecodeError
		require.ErrorAs(t, err, &de, data)
		assert.Equal(t, path, de.Path, data)
		assert.ErrorIs(t, err, ErrMalformed, data)
		assert.NotErrorIs(t, err, ErrUnknownStatus, data)
		assert.Contains(t, err.Error(), "repeated member", data)
		assert.Equal(t, Appointment{}, a, data)
	}
	_, err := DecodeCancellationReasons([]byte(`[{"name":"a","name":"b"}]`))
	require.ErrorIs(t, err, ErrMalformed)
}

// TestDecodeErrorCauses: the cause of a decoding error says what is wrong
// with the JSON, and the message keeps the package's style.
func TestDecodeErrorCauses(t *testing.T) {
	for _, c := range []struct {
		data, path, msg string
	}{
		{`{"location":{"lat":1e400}}`, "/location/lat", "appointment: decode /location/lat: cannot read number 1e400 as float64"},
		{`{"address":{"zip_code":85004}}`, "/address/zip_code", "appointment: decode /address/zip_code: cannot read number as string"},
		{`{"can_reschedule":"yes"}`, "/can_reschedule", "appointment: decode /can_reschedule: cannot read string as bool"},
		{`{"events":[{"data":1},{"status":{}}]}`, "/events/1/status", "appointment: decode /events/1/status: cannot read object as string"},
		{`{"event_data":{"is_reschedule":[]}}`, "/event_data/is_reschedule", "appointment: decode /event_data/is_reschedule: cannot read array as bool"},
		{`{"id":true}`, "/id", "appointment: decode /id: cannot read boolean as string"},
		{`{"start_at":"noon"}`, "/start_at", `appointment: decode /start_at: malformed time "noon"`},
		{`{"start_at":{}}`, "/start_at", `appointment: decode /start_at: unexpected JSON object`},
		{`{"status":[]}`, "/status", `appointment: decode /status: cannot read array as string`},
		{`{"events":[{"created_at":"2022-01-01T00:00:00Z"}, {"created_at":"2022"}]}`, "/events/1/created_at",
			`appointment: decode /events/1/created_at: malformed time "2022"`},
		{`{"id":"a" "user_id":"b"}`, "", "appointment: decode: invalid character '\"' after object value (expecting ',' or '}')"},
		{`{"events":[{"status":"a\x"}]}`, "/events/0/status", "appointment: decode /events/0/status: invalid escape sequence `\\x` in string"},
		{`{"id":"a"} x`, "", "appointment: decode: invalid character 'x' after top-level value"},
		{`"a"`, "", "appointment: decode: cannot read string as object"},
		{`{"event_data":"a"}`, "/event_data", "appointment: decode /event_data: cannot read string as object"},
	} {
		_, err := Decode([]byte(c.data))
		var de *DecodeError
		require.ErrorAs(t, err, &de, c.data)
		assert.Equal(t, c.path, de.Path, c.data)
		assert.Equal(t, c.msg, err.Error(), c.data)
		assert.ErrorIs(t, err, ErrMalformed, c.data)
		require.Error(t, de.Err, c.data)
	}
}

// TestDecodeOwnsItsMemory: the caller may reuse its buffer once Decode
// returns.
func TestDecodeOwnsItsMemory(t *testing.T) {
	data := webhookData(t, "appointment-updated-webhook.json")
	a, err := Decode(data)
	require.NoError(t, err)
	for i := range data {
		data[i] = ' '
	}
	assert.Equal(t, wantUpdated, a, "the caller's buffer was reused")
}

// TestDecodeAllocations pins the allocation budget of decoding the
// fixtures, so that a change that costs more is seen.
func TestDecodeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector drops the JSON decoder's pooled buffers, so allocation counts mean nothing")
	}
	updated := webhookData(t, "appointment-updated-webhook.json")
	booked := fixture(t, "appointment-booked.json")
	reasons := fixture(t, "cancellation-reasons.json")
	for _, c := range []struct {
		name   string
		decode func()
		max    float64
	}{
		{"updated", func() { _, _ = Decode(updated) }, 30},
		{"booked", func() { _, _ = Decode(booked) }, 20},
		{"event data without extras", func() { _, _ = Decode([]byte(`{"event_data":{"origin":"x","is_reschedule":true}}`)) }, 5},
		{"cancellation reasons", func() { _, _ = DecodeCancellationReasons(reasons) }, 30},
	} {
		if n := testing.AllocsPerRun(50, c.decode); n > c.max {
			t.Errorf("decoding %s allocates %v times, want at most %v", c.name, n, c.max)
		}
	}
	var d EventData
	require.NoError(t, json.Unmarshal([]byte(`{"origin":"x","is_reschedule":false}`), &d))
	assert.Nil(t, d.Extra)
	require.NoError(t, json.Unmarshal([]byte(`{"origin":"x","k":null}`), &d))
	assert.Equal(t, map[string]jsontext.Value{"k": nil}, d.Extra)
}

// TestDecodeRawValues: raw values are kept in the form the json package
// writes them, byte for byte: compacted, strings canonical.
func TestDecodeRawValues(t *testing.T) {
	for raw, want := range map[string]string{
		`1`: `1`, `"x"`: `"x"`, `true`: `true`, `{ "a" : [ 1 , 2 ] }`: `{"a":[1,2]}`, `"<&>"`: `"<&>"`,
		"\"\u2028\u2029\"": "\"\u2028\u2029\"", `"\u003c"`: `"<"`, `[ ]`: `[]`,
		`{"a":"\\\" <"}`: `{"a":"\\\" <"}`, "\"caf\xc3\xa9\"": "\"caf\xc3\xa9\"", `"\ud83d\ude00"`: "\"\U0001F600\"",
		`1.50`: `1.50`, `{"b":1,"a":2}`: `{"b":1,"a":2}`,
	} {
		a, err := Decode([]byte(`{"events":[{"data":` + raw + `}],"event_data":{"k":` + raw + `}}`))
		require.NoError(t, err, raw)
		assert.Equal(t, want, string(a.History[0].Data), raw)
		assert.Equal(t, want, string(a.EventData.Extra["k"]), raw)
		b, err := json.Marshal(jsontext.Value(raw))
		require.NoError(t, err)
		assert.Equal(t, want, string(b), "the json package writes %s", raw)
	}
}

// TestDecodeNullMembers: null leaves every member at its zero value.
func TestDecodeNullMembers(t *testing.T) {
	names := []string{"id", "user_id", "order_id", "order_transaction_id", "external_id", "address", "location",
		"start_at", "end_at", "iana_timezone", "type", "provider", "status", "event_status", "provider_id",
		"can_reschedule", "appointment_notes", "event_data", "events"}
	var nulls strings.Builder
	for i, name := range names {
		if i > 0 {
			nulls.WriteString(",")
		}
		nulls.WriteString(quote(name) + ":null")
	}
	a, err := Decode([]byte("{" + nulls.String() + "}"))
	require.NoError(t, err)
	assert.Equal(t, Appointment{}, a)
	a, err = Decode([]byte(`{"events":[null,{"status":null,"created_at":null,"data":null}],"event_data":{"origin":null,"is_reschedule":null}}`))
	require.NoError(t, err)
	assert.Equal(t, Appointment{History: []HistoryEntry{{}, {}}}, a)
}
