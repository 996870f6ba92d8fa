package appointment

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the system's zone database

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// webhookData returns the data member of a published webhook example.
func webhookData(t testing.TB, name string) []byte {
	t.Helper()
	var env struct {
		Data jsontext.Value `json:"data"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, name), &env))
	return env.Data
}

// fixture reads one of the published example payloads.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

var wantBooked = Appointment{
	ID:     "413d7205-f8a9-42ed-aa4a-edb99e481ca0",
	UserID: "202b2c2f-fb4c-44dc-a4f8-621186fde227",
	Address: order.Address{
		FirstLine: "West Lincoln Street", City: "Phoenix", State: "AZ", ZipCode: "85004",
		Unit: "14", AccessNotes: "Gate code #1234, use side entrance",
	},
	Location:         Location{Lng: -112.0772235, Lat: 33.4421912},
	StartAt:          utc(2023, 5, 15, 16, 0),
	EndAt:            utc(2023, 5, 15, 18, 0),
	IANATimezone:     "America/Phoenix",
	Type:             Phlebotomy,
	Provider:         provider.Getlabs,
	Status:           Pending,
	ProviderID:       "e89eb489-7382-4966-bb14-7ab4763eba6c",
	CanReschedule:    true,
	AppointmentNotes: "Please bring photo ID",
}

// wantUpdated is the data of the published appointment updated webhook.
var wantUpdated = Appointment{
	ID:                 "06c2c65b-74a0-4f25-a4a9-44f796296355",
	UserID:             "acf79a82-0c2c-4ca0-998b-378931793905",
	OrderID:            "1ed9c8d7-e1b4-4d61-8123-0f99de5ae99a",
	OrderTransactionID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1",
	Address: order.Address{
		FirstLine: "123 Main St.", SecondLine: "Apt. 208", City: "San Francisco", State: "CA",
		ZipCode: "91189", Country: "United States",
	},
	Location:      Location{Lng: -122.4194155, Lat: 37.7749295},
	StartAt:       utc(2022, 1, 1, 0, 0),
	EndAt:         utc(2022, 1, 1, 0, 0),
	IANATimezone:  "America/New_York",
	Type:          Phlebotomy,
	Provider:      provider.Getlabs,
	Status:        Pending,
	EventStatus:   Confirmed,
	ProviderID:    "123",
	CanReschedule: true,
	EventData:     EventData{Origin: "patient", IsReschedule: true},
	History: []HistoryEntry{
		{CreatedAt: utc(2022, 1, 1, 0, 0), Status: "scheduled"},
		{CreatedAt: utc(2022, 1, 1, 0, 0), Status: "scheduled", Data: jsontext.Value(`{"origin":"patient","is_reschedule":true}`)},
	},
}

func TestDecodeBookedFixture(t *testing.T) {
	var a Appointment
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-booked.json"), &a))
	assert.Equal(t, wantBooked, a)
	assert.Equal(t, Pending, a.EffectiveStatus(), "no event_status: the status stands")
	assert.Equal(t, "14", a.Address.EffectiveSecondLine())
	assert.Nil(t, a.History)
	assert.NoError(t, ValidateHistory(a.History))

	d, err := Decode(fixture(t, "appointment-booked.json"))
	require.NoError(t, err)
	assert.Equal(t, a, d)
}

func TestDecodeWebhookFixture(t *testing.T) {
	var w struct {
		Data Appointment `json:"data"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-updated-webhook.json"), &w))
	assert.Equal(t, wantUpdated, w.Data)
	// Both fields decode as sent; the event status wins.
	assert.Equal(t, Pending, w.Data.Status)
	assert.Equal(t, Confirmed, w.Data.EventStatus)
	assert.Equal(t, Confirmed, w.Data.EffectiveStatus())
	assert.NoError(t, ValidateHistory(w.Data.History))
	assert.Equal(t, "Apt. 208", w.Data.Address.EffectiveSecondLine())

	d, err := Decode(webhookData(t, "appointment-updated-webhook.json"))
	require.NoError(t, err)
	assert.Equal(t, w.Data, d)
}

func TestEncodeUsesJunctionNames(t *testing.T) {
	b, err := json.Marshal(wantBooked)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"id": "413d7205-f8a9-42ed-aa4a-edb99e481ca0",
		"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		"order_id": "",
		"event_status": "",
		"events": [],
		"address": {"first_line": "West Lincoln Street", "city": "Phoenix", "state": "AZ",
			"zip_code": "85004", "unit": "14", "access_notes": "Gate code #1234, use side entrance"},
		"location": {"lng": -112.0772235, "lat": 33.4421912},
		"start_at": "2023-05-15T16:00:00Z",
		"end_at": "2023-05-15T18:00:00Z",
		"iana_timezone": "America/Phoenix",
		"type": "phlebotomy",
		"provider": "getlabs",
		"status": "pending",
		"provider_id": "e89eb489-7382-4966-bb14-7ab4763eba6c",
		"can_reschedule": true,
		"appointment_notes": "Please bring photo ID"
	}`, string(b))

	// Every field of the webhook fixture comes back under its own name,
	// event_status in its event spelling.
	b, err = json.Marshal(wantUpdated)
	require.NoError(t, err)
	var gotData, wantData map[string]any
	require.NoError(t, json.Unmarshal(b, &gotData))
	require.NoError(t, json.Unmarshal(webhookData(t, "appointment-updated-webhook.json"), &wantData))
	for k := range wantData {
		assert.Contains(t, gotData, k)
	}
	for k := range gotData {
		assert.Contains(t, wantData, k)
	}
	assert.Equal(t, "scheduled", gotData["event_status"])
	assert.Equal(t, "pending", gotData["status"])
	assert.Equal(t, wantData["events"], gotData["events"])
	assert.Equal(t, wantData["event_data"], gotData["event_data"])
	assert.Equal(t, "2022-01-01T00:00:00Z", gotData["start_at"])

	// A request-tier appointment has no slot yet: null times.
	b, err = json.Marshal(Appointment{ID: "x", Status: Pending})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"start_at":null,"end_at":null`)
	a, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, Appointment{ID: "x", Status: Pending}, a)
}

// roundTrip asserts that what decodes re-encodes and decodes equal, and
// returns the first decoding.
func roundTrip(t testing.TB, data []byte) (Appointment, bool) {
	t.Helper()
	a, err := Decode(data)
	if err != nil {
		return a, false
	}
	b, err := json.Marshal(a)
	require.NoError(t, err, "encoding %#v", a)
	back, err := Decode(b)
	require.NoError(t, err, "decoding %s", b)
	require.True(t, reflect.DeepEqual(a, back), "round trip changed\n%#v\ninto\n%#v\nthrough %s", a, back, b)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(b), string(again), "encoding is not stable")
	return a, true
}

func TestRoundTrip(t *testing.T) {
	for name, data := range map[string]string{
		"booked":  string(fixture(t, "appointment-booked.json")),
		"webhook": string(webhookData(t, "appointment-updated-webhook.json")),
		"empty":   `{}`,
		"null":    `null`,
		"request tier": `{"id":"a","status":"pending","start_at":null,"end_at":null,"provider":"phlebfinders",
			"events":[{"created_at":"2024-02-29T23:59:59.123456789-07:00","data":null,"status":"pending"}]}`,
		"unknown provider and extras": `{"provider":"axlehealth","event_data":{"origin":"junction","x":[1, 2,{"<a>":"&"}],"n":null},
			"events":[],"location":{"lng":0,"lat":-0},"address":null,"can_reschedule":false}`,
		"raw history data":           `{"events":[{"data":"text \u2028 <b>","status":"no_show"},{"data":[ ],"status":""},null]}`,
		"names in other letter case": `{"ID":"x","Status":"in-progress","EVENT_STATUS":"in_progress"}`,
		"address with zip":           `{"address":{"first_line":"1 Main St","zip":"85004","phone_number":"+1"}}`,
		"hand-made strings":          `{"appointment_notes":"caf\u00e9 \ud83d\ude00 \"<script>\"","provider":"\u0000"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := roundTrip(t, []byte(data))
			require.True(t, ok)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	base := string(fixture(t, "appointment-booked.json"))
	edit := func(old, new string) string {
		require.Contains(t, base, old)
		return strings.Replace(base, old, new, 1)
	}
	for name, c := range map[string]struct {
		data    string
		field   string
		unknown bool // wraps ErrUnknownStatus rather than ErrMalformed
		msg     string
	}{
		"invalid JSON":       {data: base[:40], field: "/id", msg: "appointment: decode /id: unexpected end of JSON input"},
		"trailing data":      {data: base + "}", msg: "appointment: decode: invalid character '}' after top-level value"},
		"empty input":        {data: ""},
		"not an object":      {data: `["pending"]`},
		"unknown status":     {data: edit(`"status": "pending"`, `"status": "no_show"`), field: "/status", unknown: true, msg: `appointment: decode /status: unknown status "no_show"`},
		"capital status":     {data: edit(`"status": "pending"`, `"status": "Pending"`), field: "/status", unknown: true},
		"unknown event":      {data: edit(`"status": "pending"`, `"event_status": "arrived", "status": "pending"`), field: "/event_status", unknown: true},
		"status number":      {data: edit(`"status": "pending"`, `"status": 1`), field: "/status", msg: "appointment: decode /status: cannot read number as string"},
		"can_reschedule":     {data: edit(`"can_reschedule":true`, `"can_reschedule":"yes"`), field: "/can_reschedule"},
		"lat as text":        {data: edit(`"lat": 33.4421912`, `"lat": "33.44"`), field: "/location/lat"},
		"lat overflow":       {data: edit(`"lat": 33.4421912`, `"lat": 1e400`), field: "/location/lat"},
		"zip as number":      {data: edit(`"zip_code": "85004"`, `"zip_code": 85004`), field: "/address/zip_code"},
		"start_at":           {data: edit(`"2023-05-15T16:00:00+00:00"`, `"tomorrow"`), field: "/start_at", msg: `appointment: decode /start_at: malformed time "tomorrow"`},
		"start_at number":    {data: edit(`"2023-05-15T16:00:00+00:00"`, `1684166400`), field: "/start_at"},
		"end_at":             {data: edit(`"2023-05-15T18:00:00+00:00"`, `"2023-05-15"`), field: "/end_at"},
		"event_data array":   {data: edit(`"type"`, `"event_data": [], "type"`), field: "/event_data"},
		"origin number":      {data: edit(`"type"`, `"event_data": {"origin": 5}, "type"`), field: "/event_data/origin"},
		"is_reschedule text": {data: edit(`"type"`, `"event_data": {"is_reschedule": "true"}, "type"`), field: "/event_data/is_reschedule"},
		"events object":      {data: edit(`"type"`, `"events": {}, "type"`), field: "/events"},
		"created_at":         {data: edit(`"type"`, `"events": [{"status":"pending"},{"created_at":"2022-13-01T00:00:00Z"}], "type"`), field: "/events/1/created_at", msg: `appointment: decode /events/1/created_at: malformed time "2022-13-01T00:00:00Z"`},
		"history status":     {data: edit(`"type"`, `"events": [{"status":["pending"]}], "type"`), field: "/events/0/status"},
		"repeated member":    {data: edit(`"type"`, `"id": "x", "type"`), field: "/id", msg: `appointment: decode /id: repeated member`},
		"repeated deep":      {data: edit(`"type"`, `"event_data": {"k": {"a": 1, "a": 1}}, "type"`), field: "/event_data/k/a"},
		"zip and zip_code":   {data: edit(`"zip_code": "85004"`, `"zip_code": "85004", "zip": "85005"`), field: "/address"},
		"not UTF-8":          {data: edit(`"getlabs"`, "\"get\xfflabs\""), field: "/provider"},
	} {
		t.Run(name, func(t *testing.T) {
			a := wantUpdated // the destination: must stay as it is
			a.History = append([]HistoryEntry(nil), a.History...)
			before := a
			err := a.UnmarshalJSON([]byte(c.data))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Path)
			if c.unknown {
				assert.ErrorIs(t, err, ErrUnknownStatus)
				assert.NotErrorIs(t, err, ErrMalformed)
			} else {
				assert.ErrorIs(t, err, ErrMalformed)
				assert.NotErrorIs(t, err, ErrUnknownStatus)
			}
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}
			assert.True(t, strings.HasPrefix(err.Error(), "appointment: decode"), err.Error())
			assert.Equal(t, before, a, "a failed decode must leave the destination unchanged")

			_, derr := Decode([]byte(c.data))
			assert.Equal(t, err, derr)

			// Through json.Unmarshal too, which checks what follows the
			// value only once it has decoded it.
			require.Error(t, json.Unmarshal([]byte(c.data), &a))
			if name != "trailing data" {
				assert.Equal(t, before, a)
			}

			// And inside a larger document, where the json package
			// says where the appointment is.
			var w struct {
				Data Appointment `json:"data"`
			}
			w.Data = before
			if jsontext.Value(c.data).IsValid() {
				err = json.Unmarshal([]byte(`{"data":`+c.data+`}`), &w)
				require.ErrorAs(t, err, &de)
				assert.Equal(t, c.field, de.Path)
				var se *json.SemanticError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, jsontext.Pointer("/data"), se.JSONPointer)
				assert.Equal(t, before, w.Data)
			}
		})
	}
}

func TestDecodeNull(t *testing.T) {
	for _, data := range []string{"null\v", "null\u00a0", "nul", "null null"} {
		_, err := Decode([]byte(data))
		assert.ErrorIs(t, err, ErrMalformed, "Decode(%q)", data)
	}
	a0, err := Decode([]byte(" \t\r\nnull\n"))
	require.NoError(t, err)
	assert.Equal(t, Appointment{}, a0)
	a := wantBooked
	require.NoError(t, a.UnmarshalJSON([]byte("null")))
	assert.Equal(t, wantBooked, a, "null leaves the value as it is, as encoding/json does")
	require.NoError(t, a.UnmarshalJSON([]byte(" null ")))
	assert.Equal(t, wantBooked, a)
}

func TestEncodingErrors(t *testing.T) {
	for name, a := range map[string]Appointment{
		"invalid status":       {Status: 9},
		"invalid event status": {EventStatus: 200},
		"year 10000":           {StartAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"negative year":        {EndAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		"history year":         {History: []HistoryEntry{{CreatedAt: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		"bad raw data":         {History: []HistoryEntry{{Data: jsontext.Value("{")}}},
		"bad extra":            {EventData: EventData{Extra: map[string]jsontext.Value{"x": jsontext.Value("nope")}}},
		"NaN":                  {Location: Location{Lat: math.NaN()}},
		"infinity":             {Location: Location{Lng: math.Inf(-1)}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := json.Marshal(a)
			require.Error(t, err)
			var ee *DecodeError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "encode", ee.Op)
			b, err := a.MarshalJSON()
			assert.Nil(t, b)
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "encode", ee.Op)
		})
	}
	_, err := json.Marshal(Appointment{Status: 9})
	assert.ErrorIs(t, err, ErrUnknownStatus)
	_, err = json.Marshal(Appointment{StartAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestEffectiveStatus(t *testing.T) {
	for _, c := range []struct{ status, event, want Status }{
		{Pending, Confirmed, Confirmed},
		{Confirmed, 0, Confirmed},
		{0, InProgress, InProgress},
		{Cancelled, Cancelled, Cancelled},
		{0, 0, 0},
		{Reserved, 99, Reserved},
	} {
		a := Appointment{Status: c.status, EventStatus: c.event}
		assert.Equal(t, c.want, a.EffectiveStatus(), "EffectiveStatus(%v, %v)", c.status, c.event)
	}
}

func TestEventData(t *testing.T) {
	var d EventData
	require.NoError(t, json.Unmarshal([]byte(`{"origin":"patient","is_reschedule":true,"reason":{"code": 3},"note":"<b>"}`), &d))
	assert.Equal(t, EventData{Origin: "patient", IsReschedule: true, Extra: map[string]jsontext.Value{
		"reason": jsontext.Value(`{"code":3}`), "note": jsontext.Value(`"<b>"`),
	}}, d)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `{"is_reschedule":true,"note":"<b>","origin":"patient","reason":{"code":3}}`, string(b))

	// The typed fields win over Extra entries of the same name.
	b, err = json.Marshal(EventData{Origin: "junction", Extra: map[string]jsontext.Value{"origin": jsontext.Value(`"x"`), "is_reschedule": jsontext.Value(`true`)}})
	require.NoError(t, err)
	assert.Equal(t, `{"origin":"junction"}`, string(b))
	b, err = json.Marshal(EventData{Extra: map[string]jsontext.Value{"origin": jsontext.Value(`"x"`), "n": nil}})
	require.NoError(t, err)
	assert.Equal(t, `{"n":null}`, string(b))
	// An appointment writes event_data unless it is zero.
	for d, written := range map[*EventData]bool{{}: false, {Extra: map[string]jsontext.Value{}}: false,
		{IsReschedule: true}: true, {Origin: "x"}: true, {Extra: map[string]jsontext.Value{"n": nil}}: true} {
		b, err := json.Marshal(Appointment{EventData: *d})
		require.NoError(t, err)
		assert.Equal(t, written, strings.Contains(string(b), `"event_data"`), "%+v", *d)
	}

	before := d
	require.ErrorIs(t, json.Unmarshal([]byte(`{"origin":1}`), &d), ErrMalformed)
	assert.Equal(t, before, d)
	require.NoError(t, json.Unmarshal([]byte(`{"origin":null,"is_reschedule":null}`), &d))
	assert.Equal(t, EventData{}, d)
}

func TestParseTime(t *testing.T) {
	for text, want := range map[string]time.Time{
		"2022-01-01T00:00:00":                 time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC),
		"2022-01-01T00:00:00Z":                time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC),
		"2023-05-15T16:00:00+00:00":           time.Date(2023, 5, 15, 16, 0, 0, 0, time.UTC),
		"2023-05-15T09:00:00-07:00":           time.Date(2023, 5, 15, 16, 0, 0, 0, time.UTC),
		"2023-05-15T16:00:00.5Z":              time.Date(2023, 5, 15, 16, 0, 0, 500_000_000, time.UTC),
		"2023-05-15T16:00:00.123456789+05:30": time.Date(2023, 5, 15, 10, 30, 0, 123456789, time.UTC),
		"2023-05-15T16:00:00.250":             time.Date(2023, 5, 15, 16, 0, 0, 250_000_000, time.UTC),
		"0000-01-01T00:00:00Z":                time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		"9999-12-31T23:59:59.999999999Z":      time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
	} {
		got, err := ParseTime(text)
		require.NoError(t, err, "ParseTime(%q)", text)
		assert.True(t, want.Equal(got), "ParseTime(%q) = %v, want %v", text, got, want)
		assert.Equal(t, time.UTC, got.Location(), "ParseTime(%q) must be in UTC", text)
		assert.Equal(t, want, got, "ParseTime(%q) must compare with ==", text)
	}
	for _, text := range []string{
		"", "2022-01-01", "2022-01-01 00:00:00", "2022-01-01T00:00", "2022-13-01T00:00:00Z",
		"2022-02-30T00:00:00Z", "2022-01-01T24:00:00Z", "2022-01-01T00:00:60Z", "yesterday",
		"2022-01-01T00:00:00Z ", " 2022-01-01T00:00:00Z", "2022-01-01T00:00:00+25:00",
		"0000-01-01T00:00:00+01:00", "9999-12-31T23:00:00-01:00", "1684166400",
	} {
		_, err := ParseTime(text)
		require.ErrorIs(t, err, ErrMalformed, "ParseTime(%q)", text)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, text, de.Text)
		assert.Equal(t, "appointment: malformed time "+strconv.Quote(text), err.Error())
	}
}

// TestNilReceivers decodes valid input into a nil pointer: an error, not a
// panic.
func TestNilReceivers(t *testing.T) {
	var a *Appointment
	var err error
	assert.NotPanics(t, func() { err = a.UnmarshalJSON([]byte(`{"id":"a1"}`)) })
	assert.Equal(t, &DecodeError{}, err)
	assert.ErrorIs(t, err, ErrMalformed)
	assert.NoError(t, a.UnmarshalJSON([]byte("null")))
	for name, dst := range map[string]any{
		"HistoryEntry": (*HistoryEntry)(nil), "EventData": (*EventData)(nil), "CancellationReason": (*CancellationReason)(nil),
	} {
		assert.NotPanics(t, func() { err = json.Unmarshal([]byte(`{}`), dst) }, name)
		assert.Error(t, err, name)
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&DecodeError{}, "appointment: decode: malformed input"},
		{&DecodeError{Path: "/x", Err: errors.New("boom")}, "appointment: decode /x: boom"},
		{&DecodeError{Path: "/x", Err: errors.New("appointment: boom")}, "appointment: decode /x: boom"},
		{&DecodeError{Text: "x", Err: ErrMalformed}, `appointment: malformed time "x"`},
		{&DecodeError{Text: "", Err: ErrUnknownZone}, `appointment: unknown time zone ""`},
		{&DecodeError{Text: "Mars", Err: ErrUnknownZone}, `appointment: unknown time zone "Mars"`},
		{&DecodeError{Text: "go", Err: ErrUnknownTrigger}, `appointment: unknown trigger "go"`},
		{&DecodeError{Path: "/status", Text: "x", Err: ErrUnknownStatus}, `appointment: decode /status: unknown status "x"`},
		{&DecodeError{Path: "/k", Err: &json.SemanticError{JSONKind: '['}}, "appointment: decode /k: unexpected JSON array"},
		{&DecodeError{Path: "/k", Err: &json.SemanticError{JSONKind: 'n'}}, "appointment: decode /k: unexpected JSON null"},
		{&DecodeError{Path: "/k", Err: &json.SemanticError{JSONKind: 't'}}, "appointment: decode /k: unexpected JSON boolean"},
		{&DecodeError{Path: "/k", Err: &json.SemanticError{JSONKind: '"'}}, "appointment: decode /k: unexpected JSON string"},
		{&DecodeError{Path: "/k", Err: &json.SemanticError{JSONKind: '{'}}, "appointment: decode /k: unexpected JSON object"},
		{&DecodeError{Path: "/k", Err: &json.SemanticError{}}, "appointment: decode /k: unexpected JSON value"},
		{&DecodeError{Op: "encode"}, "appointment: encode: malformed input"},
		{&DecodeError{Op: "encode", Text: "appointment.Status(9)", Err: ErrUnknownStatus}, `appointment: unknown status "appointment.Status(9)"`},
		{&DecodeError{Op: "encode", Path: "/status", Text: "appointment.Status(9)", Err: ErrUnknownStatus}, `appointment: encode /status: unknown status "appointment.Status(9)"`},
		{&TransitionError{Index: 3, Err: ErrOutOfOrder}, "appointment: invalid history: events[3]: history goes back in time"},
		{&TransitionError{Index: 0, To: Completed, Err: ErrInvalidTransition}, "appointment: invalid history: events[0]: creation to completed: invalid transition"},
		{&TransitionError{Index: 2, From: Completed, To: Confirmed, Err: ErrInvalidTransition}, "appointment: invalid history: events[2]: completed to confirmed: invalid transition"},
		{&TransitionError{From: Pending, Trigger: Start}, "appointment: invalid transition: start from pending"},
	} {
		assert.Equal(t, c.want, c.err.Error())
	}
	assert.ErrorIs(t, &TransitionError{Err: ErrOutOfOrder}, ErrInvalidHistory)
	assert.ErrorIs(t, &TransitionError{Err: ErrOutOfOrder}, ErrOutOfOrder)
	assert.NotErrorIs(t, &TransitionError{Err: ErrOutOfOrder}, ErrInvalidTransition)
	assert.ErrorIs(t, &TransitionError{}, ErrInvalidTransition)
	assert.NotErrorIs(t, &TransitionError{}, ErrInvalidHistory)
	assert.ErrorIs(t, &DecodeError{Path: "/x", Err: errors.New("boom")}, ErrMalformed)
	assert.ErrorIs(t, &DecodeError{Op: "encode", Path: "/x", Err: errors.New("boom")}, ErrMalformed)
	for _, sentinel := range []error{ErrUnknownStatus, ErrUnknownTrigger, ErrUnknownZone} {
		assert.NotErrorIs(t, &DecodeError{Err: sentinel}, ErrMalformed)
		assert.NotErrorIs(t, &DecodeError{Op: "encode", Err: sentinel}, ErrMalformed)
	}
}

// TestDecodeUnknownStatusKeepsTheRest: Junction's enums are non-exhaustive,
// so an unknown status comes beside the rest of the appointment.
func TestDecodeUnknownStatusKeepsTheRest(t *testing.T) {
	data := []byte(`{"id":"a1","provider":"getlabs","status":"no_show","event_status":"scheduled"}`)
	a, err := Decode(data)
	require.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, Appointment{ID: "a1", Provider: provider.Getlabs, EventStatus: Confirmed}, a)

	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/status", de.Path)
	assert.Equal(t, "no_show", de.Text)

	// Both unknown: status is named, wherever it stands.
	_, err = Decode([]byte(`{"event_status":"x","status":"y"}`))
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/status", de.Path)
	assert.Equal(t, "y", de.Text)

	// UnmarshalJSON still leaves its destination as it was.
	b := wantBooked
	require.ErrorIs(t, json.Unmarshal(data, &b), ErrUnknownStatus)
	assert.Equal(t, wantBooked, b)

	// Any other error gives nothing.
	a, err = Decode([]byte(`{"id":"a1","status":"no_show","start_at":"yesterday"}`))
	require.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, Appointment{}, a)
}

// TestUnmarshalJSONEmptyAndNull: decoding treats empty input as malformed
// and leaves the destination alone. Null leaves an Appointment as it is,
// as encoding/json does, and gives the zero value of the other types, as
// the json package does.
func TestUnmarshalJSONEmptyAndNull(t *testing.T) {
	booked := wantBooked
	entry := wantUpdated.History[1]
	data := wantUpdated.EventData
	reason := wantReasons[0]
	for name, c := range map[string]struct {
		unmarshal func([]byte) error
		value     func() any
		want      any
	}{
		"Appointment":        {booked.UnmarshalJSON, func() any { return booked }, wantBooked},
		"HistoryEntry":       {func(b []byte) error { return json.Unmarshal(b, &entry) }, func() any { return entry }, wantUpdated.History[1]},
		"EventData":          {func(b []byte) error { return json.Unmarshal(b, &data) }, func() any { return data }, wantUpdated.EventData},
		"CancellationReason": {func(b []byte) error { return json.Unmarshal(b, &reason) }, func() any { return reason }, wantReasons[0]},
	} {
		t.Run(name, func(t *testing.T) {
			for _, empty := range [][]byte{nil, {}, []byte(" "), []byte("\n\t")} {
				require.Error(t, c.unmarshal(empty), "%s.UnmarshalJSON(%q)", name, empty)
				assert.Equal(t, c.want, c.value())
			}
			for _, null := range []string{"null", " null\n"} {
				require.NoError(t, c.unmarshal([]byte(null)), "%s.UnmarshalJSON(%q)", name, null)
				if name == "Appointment" {
					assert.Equal(t, c.want, c.value())
				} else {
					assert.Zero(t, c.value())
				}
			}
		})
	}
	for _, empty := range [][]byte{nil, {}, []byte(" ")} {
		err := booked.UnmarshalJSON(empty)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, ErrMalformed)
		assert.Equal(t, "", de.Path)
	}
}

// TestDecodeRequestedFixture: an appointment-request appointment is pending
// with no slot, no time zone and no way to reschedule yet.
func TestDecodeRequestedFixture(t *testing.T) {
	want := Appointment{
		ID:     "413d7205-f8a9-42ed-aa4a-edb99e481ca0",
		UserID: "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		Address: order.Address{
			FirstLine: "West Lincoln Street", City: "Phoenix", State: "AZ", ZipCode: "85004",
			Unit: "14", AccessNotes: "Gate code #1234, use side entrance",
		},
		Location:         Location{Lng: -112.0772235, Lat: 33.4421912},
		Type:             Phlebotomy,
		Provider:         provider.Phlebfinders,
		Status:           Pending,
		ProviderID:       "e89eb489-7382-4966-bb14-7ab4763eba6c",
		AppointmentNotes: "Please bring photo ID",
	}
	a, ok := roundTrip(t, fixture(t, "appointment-requested.json"))
	require.True(t, ok)
	assert.Equal(t, want, a)

	assert.Equal(t, Pending, a.Status)
	assert.Equal(t, Pending, a.EffectiveStatus())
	assert.Equal(t, Status(0), a.EventStatus, "no event_status")
	assert.True(t, a.StartAt.IsZero(), "no start_at")
	assert.True(t, a.EndAt.IsZero(), "no end_at")
	assert.Equal(t, "", a.IANATimezone)
	assert.Equal(t, provider.Phlebfinders, a.Provider)
	assert.Equal(t, "", a.ProviderText)
	assert.False(t, a.CanReschedule)
	assert.True(t, a.IsPhlebotomy())
	_, err := a.LocalStart()
	assert.ErrorIs(t, err, ErrNoStart)
	_, err = a.TimeZone()
	assert.ErrorIs(t, err, ErrUnknownZone)

	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"start_at":null,"end_at":null,"type"`)
	assert.Contains(t, string(b), `"can_reschedule":false`)

	var u Appointment
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-requested.json"), &u))
	assert.Equal(t, want, u)
}
