package appointment

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the system's zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	Address: Address{
		FirstLine: "West Lincoln Street", City: "Phoenix", State: "AZ", ZipCode: "85004",
		Unit: "14", AccessNotes: "Gate code #1234, use side entrance",
	},
	Location:         Location{Lng: -112.0772235, Lat: 33.4421912},
	StartAt:          utc(2023, 5, 15, 16, 0),
	EndAt:            utc(2023, 5, 15, 18, 0),
	IANATimezone:     "America/Phoenix",
	Type:             Phlebotomy,
	Provider:         "getlabs",
	Status:           Pending,
	ProviderID:       "e89eb489-7382-4966-bb14-7ab4763eba6c",
	CanReschedule:    true,
	AppointmentNotes: "Please bring photo ID",
}

var wantWebhook = Webhook{
	EventType: WebhookUpdated,
	Data: Appointment{
		ID:                 "06c2c65b-74a0-4f25-a4a9-44f796296355",
		UserID:             "acf79a82-0c2c-4ca0-998b-378931793905",
		OrderID:            "1ed9c8d7-e1b4-4d61-8123-0f99de5ae99a",
		OrderTransactionID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1",
		Address: Address{
			FirstLine: "123 Main St.", SecondLine: "Apt. 208", City: "San Francisco", State: "CA",
			ZipCode: "91189", Country: "United States",
		},
		Location:      Location{Lng: -122.4194155, Lat: 37.7749295},
		StartAt:       utc(2022, 1, 1, 0, 0),
		EndAt:         utc(2022, 1, 1, 0, 0),
		IANATimezone:  "America/New_York",
		Type:          Phlebotomy,
		Provider:      "getlabs",
		Status:        Pending,
		EventStatus:   Confirmed,
		ProviderID:    "123",
		CanReschedule: true,
		EventData:     EventData{Origin: "patient", IsReschedule: true},
		History: []HistoryEntry{
			{CreatedAt: utc(2022, 1, 1, 0, 0), Status: "scheduled"},
			{CreatedAt: utc(2022, 1, 1, 0, 0), Status: "scheduled", Data: json.RawMessage(`{"origin":"patient","is_reschedule":true}`)},
		},
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
	var w Webhook
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-updated-webhook.json"), &w))
	assert.Equal(t, wantWebhook, w)
	// Both fields decode as sent; the event status wins.
	assert.Equal(t, Pending, w.Data.Status)
	assert.Equal(t, Confirmed, w.Data.EventStatus)
	assert.Equal(t, Confirmed, w.Data.EffectiveStatus())
	assert.NoError(t, ValidateHistory(w.Data.History))
	assert.Equal(t, "Apt. 208", w.Data.Address.EffectiveSecondLine())

	d, err := DecodeWebhook(fixture(t, "appointment-updated-webhook.json"))
	require.NoError(t, err)
	assert.Equal(t, w, d)
}

func TestEncodeUsesJunctionNames(t *testing.T) {
	b, err := json.Marshal(wantBooked)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"id": "413d7205-f8a9-42ed-aa4a-edb99e481ca0",
		"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227",
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
	b, err = json.Marshal(wantWebhook)
	require.NoError(t, err)
	var got, want map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-updated-webhook.json"), &want))
	gotData, wantData := got["data"].(map[string]any), want["data"].(map[string]any)
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
	var env struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-updated-webhook.json"), &env))
	for name, data := range map[string]string{
		"booked":  string(fixture(t, "appointment-booked.json")),
		"webhook": string(env.Data),
		"empty":   `{}`,
		"null":    `null`,
		"request tier": `{"id":"a","status":"pending","start_at":null,"end_at":null,"provider":"phlebfinders",
			"events":[{"created_at":"2024-02-29T23:59:59.123456789-07:00","data":null,"status":"pending"}]}`,
		"unknown provider and extras": `{"provider":"axlehealth","event_data":{"origin":"junction","x":[1, 2,{"<a>":"&"}],"n":null},
			"events":[],"location":{"lng":0,"lat":-0},"address":null,"can_reschedule":false}`,
		"raw history data":           `{"events":[{"data":"text \u2028 <b>","status":"no_show"},{"data":[ ],"status":""},null]}`,
		"names in other letter case": `{"ID":"x","Status":"in-progress","EVENT_STATUS":"in_progress"}`,
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
		"invalid JSON":       {data: base[:40], msg: "appointment: decode: unexpected end of JSON input"},
		"trailing data":      {data: base + "}"},
		"empty input":        {data: ""},
		"not an object":      {data: `["pending"]`},
		"unknown status":     {data: edit(`"status": "pending"`, `"status": "no_show"`), field: "status", unknown: true, msg: `appointment: decode status: unknown status "no_show"`},
		"empty status":       {data: edit(`"status": "pending"`, `"status": ""`), field: "status", unknown: true},
		"capital status":     {data: edit(`"status": "pending"`, `"status": "Pending"`), field: "status", unknown: true},
		"unknown event":      {data: edit(`"status": "pending"`, `"event_status": "arrived", "status": "pending"`), field: "event_status", unknown: true},
		"status number":      {data: edit(`"status": "pending"`, `"status": 1`), field: "status", msg: "appointment: decode status: unexpected JSON number"},
		"can_reschedule":     {data: edit(`"can_reschedule":true`, `"can_reschedule":"yes"`), field: "can_reschedule"},
		"lat as text":        {data: edit(`"lat": 33.4421912`, `"lat": "33.44"`), field: "location.lat"},
		"lat overflow":       {data: edit(`"lat": 33.4421912`, `"lat": 1e400`), field: "location.lat"},
		"zip as number":      {data: edit(`"zip_code": "85004"`, `"zip_code": 85004`), field: "address.zip_code"},
		"start_at":           {data: edit(`"2023-05-15T16:00:00+00:00"`, `"tomorrow"`), field: "start_at", msg: `appointment: decode start_at: malformed time "tomorrow"`},
		"start_at number":    {data: edit(`"2023-05-15T16:00:00+00:00"`, `1684166400`), field: "start_at"},
		"end_at":             {data: edit(`"2023-05-15T18:00:00+00:00"`, `"2023-05-15"`), field: "end_at"},
		"event_data array":   {data: edit(`"type"`, `"event_data": [], "type"`), field: "event_data"},
		"origin number":      {data: edit(`"type"`, `"event_data": {"origin": 5}, "type"`), field: "event_data.origin"},
		"is_reschedule text": {data: edit(`"type"`, `"event_data": {"is_reschedule": "true"}, "type"`), field: "event_data.is_reschedule"},
		"events object":      {data: edit(`"type"`, `"events": {}, "type"`), field: "events"},
		"created_at":         {data: edit(`"type"`, `"events": [{"status":"pending"},{"created_at":"2022-13-01T00:00:00Z"}], "type"`), field: "events[1].created_at", msg: `appointment: decode events[1].created_at: malformed time "2022-13-01T00:00:00Z"`},
		"history status":     {data: edit(`"type"`, `"events": [{"status":["pending"]}], "type"`), field: "events[0].status"},
	} {
		t.Run(name, func(t *testing.T) {
			a := wantWebhook.Data // the destination: must stay as it is
			a.History = append([]HistoryEntry(nil), a.History...)
			before := a
			err := a.UnmarshalJSON([]byte(c.data))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Field)
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

			// Through json.Unmarshal too; invalid JSON is reported by
			// encoding/json itself.
			require.Error(t, json.Unmarshal([]byte(c.data), &a))
			assert.Equal(t, before, a)

			// And inside a webhook, under data.
			w := wantWebhook
			wdata := `{"event_type":"labtest.appointment.updated","data":` + c.data + `}`
			if json.Valid([]byte(c.data)) {
				err = w.UnmarshalJSON([]byte(wdata))
				require.ErrorAs(t, err, &de)
				assert.Equal(t, joinPath("data", c.field), de.Field)
				assert.Equal(t, wantWebhook, w)
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
	require.NoError(t, json.Unmarshal([]byte("null"), &a))
	assert.Equal(t, wantBooked, a, "null leaves the value as it is, as encoding/json does")
	w := wantWebhook
	require.NoError(t, json.Unmarshal([]byte(" null "), &w))
	assert.Equal(t, wantWebhook, w)
	require.NoError(t, json.Unmarshal([]byte(`{"event_type":"labtest.appointment.updated","data":null}`), &w))
	assert.Equal(t, Webhook{EventType: WebhookUpdated}, w)
	require.NoError(t, json.Unmarshal([]byte(`{"event_type":"labtest.appointment.created"}`), &w))
	assert.Equal(t, Webhook{EventType: WebhookCreated}, w)
}

func TestWebhookErrors(t *testing.T) {
	w := wantWebhook
	for data, field := range map[string]string{
		`{"event_type": 3}`: "event_type",
		`{"team_id": []}`:   "team_id",
		`{"event_type": "labtest.appointment.created", "data": "x"}`:             "data",
		`{"event_type": "labtest.appointment.updated", "data": {"status": "x"}}`: "data.status",
		`[`: "",
	} {
		err := w.UnmarshalJSON([]byte(data))
		var de *DecodeError
		require.ErrorAs(t, err, &de, data)
		assert.Equal(t, field, de.Field, data)
		assert.Equal(t, wantWebhook, w)
		_, derr := DecodeWebhook([]byte(data))
		assert.Equal(t, err, derr)
	}
	b, err := json.Marshal(Webhook{EventType: WebhookCreated, TeamID: "t"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"event_type":"labtest.appointment.created","team_id":"t",
		"data":{"id":"","user_id":"","start_at":null,"end_at":null,"iana_timezone":"","type":"","provider":"","provider_id":"","can_reschedule":false}}`, string(b))
}

func TestEncodeErrors(t *testing.T) {
	for name, a := range map[string]Appointment{
		"invalid status":       {Status: 9},
		"invalid event status": {EventStatus: 200},
		"year 10000":           {StartAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"negative year":        {EndAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		"history year":         {History: []HistoryEntry{{CreatedAt: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		"bad raw data":         {History: []HistoryEntry{{Data: json.RawMessage("{")}}},
		"bad extra":            {EventData: EventData{Extra: map[string]json.RawMessage{"x": json.RawMessage("nope")}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := json.Marshal(a)
			require.Error(t, err)
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
	assert.Equal(t, EventData{Origin: "patient", IsReschedule: true, Extra: map[string]json.RawMessage{
		"reason": json.RawMessage(`{"code":3}`), "note": json.RawMessage(`"\u003cb\u003e"`),
	}}, d)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `{"is_reschedule":true,"note":"\u003cb\u003e","origin":"patient","reason":{"code":3}}`, string(b))

	// The typed fields win over Extra entries of the same name.
	b, err = json.Marshal(EventData{Origin: "junction", Extra: map[string]json.RawMessage{"origin": json.RawMessage(`"x"`), "is_reschedule": json.RawMessage(`true`)}})
	require.NoError(t, err)
	assert.Equal(t, `{"origin":"junction"}`, string(b))
	assert.True(t, EventData{}.IsZero())
	assert.False(t, EventData{IsReschedule: true}.IsZero())

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
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "time", pe.Kind)
	}
}

// TestNilReceivers decodes valid input into a nil pointer: an error, not a
// panic.
func TestNilReceivers(t *testing.T) {
	var (
		a *Appointment
		w *Webhook
		e *HistoryEntry
		d *EventData
		r *CancellationReason
	)
	for name, c := range map[string]struct {
		unmarshal func([]byte) error
		valid     string
	}{
		"Appointment":        {a.UnmarshalJSON, `{"id":"a1"}`},
		"Webhook":            {w.UnmarshalJSON, `{"event_type":"labtest.appointment.created","data":{"id":"a1"}}`},
		"HistoryEntry":       {e.UnmarshalJSON, `{"status":"pending"}`},
		"EventData":          {d.UnmarshalJSON, `{"origin":"patient"}`},
		"CancellationReason": {r.UnmarshalJSON, `{"id":"r1"}`},
	} {
		var err error
		assert.NotPanics(t, func() { err = c.unmarshal([]byte(c.valid)) }, name)
		assert.Equal(t, &DecodeError{}, err, name)
		assert.ErrorIs(t, err, ErrMalformed, name)
		assert.NoError(t, c.unmarshal([]byte("null")), name)
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&DecodeError{}, "appointment: decode: malformed input"},
		{&DecodeError{Field: "x", Err: errors.New("boom")}, "appointment: decode x: boom"},
		{&HistoryError{Index: 3}, "appointment: invalid history: events[3]"},
		{&HistoryError{Index: 0, To: Completed, Err: ErrInvalidTransition}, "appointment: invalid history: events[0]: creation to completed: invalid transition"},
		{&ZoneError{Zone: ""}, `appointment: unknown time zone ""`},
		{&ParseError{Kind: "time", Text: "x", Err: ErrMalformed}, `appointment: malformed time "x"`},
	} {
		assert.Equal(t, c.want, c.err.Error())
	}
	assert.ErrorIs(t, &HistoryError{}, ErrInvalidHistory)
	assert.ErrorIs(t, &DecodeError{Field: "x", Err: errors.New("boom")}, ErrMalformed)
}

func TestDecodeWebhookRoutes(t *testing.T) {
	// An order webhook is not an appointment webhook: route on event_type.
	w := wantWebhook
	_, err := DecodeWebhook([]byte(`{"event_type":"labtest.order.updated","data":{"status":"collecting_sample"}}`))
	require.ErrorIs(t, err, ErrNotAppointment)
	assert.False(t, errors.Is(err, ErrUnknownStatus))
	assert.EqualError(t, err, `appointment: decode event_type: unknown webhook type "labtest.order.updated"`)
	require.ErrorIs(t, json.Unmarshal([]byte(`{"event_type":"labtest.order.created"}`), &w), ErrNotAppointment)
	assert.Equal(t, wantWebhook, w)

	// The envelope's own fields.
	w, err = DecodeWebhook([]byte(`{"event_type":"labtest.appointment.created","user_id":"u","client_user_id":"c","team_id":"t","data":{"id":"a1","external_id":"x-9"}}`))
	require.NoError(t, err)
	assert.Equal(t, Webhook{EventType: WebhookCreated, UserID: "u", ClientUserID: "c", TeamID: "t",
		Data: Appointment{ID: "a1", ExternalID: "x-9"}}, w)
	b, err := json.Marshal(w)
	require.NoError(t, err)
	back, err := DecodeWebhook(b)
	require.NoError(t, err)
	assert.Equal(t, w, back)
}

// TestDecodeUnknownStatusKeepsTheRest: Junction's enums are non-exhaustive,
// so an unknown status comes beside the rest of the appointment.
func TestDecodeUnknownStatusKeepsTheRest(t *testing.T) {
	data := []byte(`{"id":"a1","provider":"getlabs","status":"no_show","event_status":"scheduled"}`)
	a, err := Decode(data)
	require.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, Appointment{ID: "a1", Provider: "getlabs", EventStatus: Confirmed}, a)

	w, err := DecodeWebhook([]byte(`{"event_type":"labtest.appointment.updated","data":` + string(data) + `}`))
	require.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, "a1", w.Data.ID)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "data.status", de.Field)

	// UnmarshalJSON still leaves its destination as it was.
	b := wantBooked
	require.ErrorIs(t, json.Unmarshal(data, &b), ErrUnknownStatus)
	assert.Equal(t, wantBooked, b)

	// Any other error gives nothing.
	a, err = Decode([]byte(`{"id":"a1","status":"no_show","start_at":"yesterday"}`))
	require.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, Appointment{}, a)
}

func TestEffectiveSecondLinePrefersSecondLine(t *testing.T) {
	assert.Equal(t, "Apt. 208", Address{SecondLine: "Apt. 208", Unit: "14"}.EffectiveSecondLine())
	assert.Equal(t, "14", Address{Unit: "14"}.EffectiveSecondLine())
}

// TestUnmarshalJSONEmptyAndNull: every UnmarshalJSON of the package treats
// empty input (which encoding/json never passes, but a caller may) as
// malformed, and null as nothing to do; neither changes the destination.
func TestUnmarshalJSONEmptyAndNull(t *testing.T) {
	booked, webhook := wantBooked, wantWebhook
	entry := wantWebhook.Data.History[1]
	data := wantWebhook.Data.EventData
	reason := wantReasons[0]
	for name, c := range map[string]struct {
		unmarshal func([]byte) error
		value     func() any
		want      any
	}{
		"Appointment":        {booked.UnmarshalJSON, func() any { return booked }, wantBooked},
		"Webhook":            {webhook.UnmarshalJSON, func() any { return webhook }, wantWebhook},
		"HistoryEntry":       {entry.UnmarshalJSON, func() any { return entry }, wantWebhook.Data.History[1]},
		"EventData":          {data.UnmarshalJSON, func() any { return data }, wantWebhook.Data.EventData},
		"CancellationReason": {reason.UnmarshalJSON, func() any { return reason }, wantReasons[0]},
	} {
		t.Run(name, func(t *testing.T) {
			for _, empty := range [][]byte{nil, {}, []byte(" "), []byte("\n\t")} {
				err := c.unmarshal(empty)
				var de *DecodeError
				require.ErrorAs(t, err, &de, "%s.UnmarshalJSON(%q)", name, empty)
				assert.ErrorIs(t, err, ErrMalformed)
				assert.Equal(t, "", de.Field)
				assert.Equal(t, c.want, c.value())
			}
			for _, null := range []string{"null", " null\n"} {
				require.NoError(t, c.unmarshal([]byte(null)), "%s.UnmarshalJSON(%q)", name, null)
				assert.Equal(t, c.want, c.value())
			}
		})
	}
}

// TestDecodeRequestedFixture: an appointment-request appointment is pending
// with no slot, no time zone and no way to reschedule yet.
func TestDecodeRequestedFixture(t *testing.T) {
	want := Appointment{
		ID:     "413d7205-f8a9-42ed-aa4a-edb99e481ca0",
		UserID: "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		Address: Address{
			FirstLine: "West Lincoln Street", City: "Phoenix", State: "AZ", ZipCode: "85004",
			Unit: "14", AccessNotes: "Gate code #1234, use side entrance",
		},
		Location:         Location{Lng: -112.0772235, Lat: 33.4421912},
		Type:             Phlebotomy,
		Provider:         "phlebfinders",
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
	assert.Equal(t, "phlebfinders", a.Provider)
	assert.False(t, a.CanReschedule)
	assert.True(t, a.IsPhlebotomy())
	_, err := a.LocalStart()
	assert.ErrorIs(t, err, ErrNoStart)
	_, err = a.TimeZone()
	assert.ErrorIs(t, err, ErrUnknownZone)

	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"start_at":null,"end_at":null,"iana_timezone":""`)
	assert.Contains(t, string(b), `"can_reschedule":false`)

	var u Appointment
	require.NoError(t, json.Unmarshal(fixture(t, "appointment-requested.json"), &u))
	assert.Equal(t, want, u)
}
