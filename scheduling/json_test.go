package scheduling

import (
	"errors"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/tier"
)

// reload stores o as JSON and loads it back, as a service storing orders
// does.
func reload(t require.TestingT, o Flow) Flow {
	b, err := json.Marshal(o)
	require.NoError(t, err)
	var back Flow
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	return back
}

// TestFlowJSONRoundTrip stores orders at each stage of their lives, loads
// them back, and checks that the loaded order is equal to the original and
// takes the next command the same way.
func TestFlowJSONRoundTrip(t *testing.T) {
	phoenix := loadTestZone("America/Phoenix")
	p := placeOrder()
	p.TimeZone, p.Settings, p.ActivateBy = phoenix, beta, adate(500)
	p.Patient = order.Patient{DOB: dob(1990, 6, 15), Gender: "female", FirstName: "Jane", LastName: "Doe",
		PhoneNumber: "+16025550123", Email: "jane@example.com"}
	placed, _, err := Place(p, t0)
	require.NoError(t, err)
	requested, _ := must(t)(placed.Request(request(), at(1)))
	booked, _ := must(t)(placed.Book(book(72), at(1)))
	confirmed, _ := must(t)(booked.CreateRequisition(at(2)))
	rescheduled, _ := must(t)(confirmed.Reschedule(at(80), at(82), "Left arm", at(3)))
	cancelled, _ := must(t)(rescheduled.CancelAppointment(at(4)))
	rebooked, _ := must(t)(cancelled.Book(book(90), at(5)))
	for _, c := range []struct {
		name string
		o    Flow
		next func(Flow) (Flow, []Webhook, error)
	}{
		{"placed", placed, func(o Flow) (Flow, []Webhook, error) { return o.Book(book(72), at(1)) }},
		{"requested", requested, func(o Flow) (Flow, []Webhook, error) { return o.PencilIn(at(50), at(51), at(2)) }},
		{"booked before the requisition", booked, func(o Flow) (Flow, []Webhook, error) { return o.CreateRequisition(at(2)) }},
		{"confirmed", confirmed, func(o Flow) (Flow, []Webhook, error) { return o.Reschedule(at(80), at(82), "", at(3)) }},
		{"rescheduled", rescheduled, func(o Flow) (Flow, []Webhook, error) { return o.StartVisit(at(79)) }},
		{"cancelled", cancelled, func(o Flow) (Flow, []Webhook, error) { return o.Request(request(), at(5)) }},
		{"booked again", rebooked, func(o Flow) (Flow, []Webhook, error) { return o.CompleteDraw(at(90)) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			back := reload(t, c.o)
			require.Equal(t, c.o, back)
			for i, a := range back.Appointments {
				assert.Equal(t, c.o.Appointments[i].Tier, a.Tier)
				assert.Equal(t, c.o.Appointments[i].PlacedAt, a.PlacedAt)
			}
			assert.Same(t, phoenix0(t), back.TimeZone)
			want, wantHooks, wantErr := c.next(c.o)
			require.NoError(t, wantErr)
			got, gotHooks, err := c.next(back)
			require.NoError(t, err)
			assert.Equal(t, wantHooks, gotHooks)
			assert.Equal(t, want, got)
		})
	}
}

// phoenix0 is the zone Place and decoding store for America/Phoenix.
func phoenix0(t *testing.T) *time.Location {
	loc, err := loadZone("America/Phoenix")
	require.NoError(t, err)
	return loc
}

// TestFlowJSONProperty runs random commands on an order and on a copy
// that is stored and loaded back at random points: both give the same
// results, webhooks and errors, and stay equal.
func TestFlowJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, now := drawPlaceOrder(t)
		o, _, err := Place(p, now)
		require.NoError(t, err)
		stored := reload(t, o)
		require.Equal(t, o, stored)
		for range rapid.IntRange(0, 25).Draw(t, "commands") {
			if rapid.Bool().Draw(t, "reload") {
				stored = reload(t, stored)
			}
			name, run := drawCommand(t, o.Clock)
			want, wantHooks, wantErr := run(o)
			got, gotHooks, err := run(stored)
			require.Equal(t, wantErr, err, name)
			require.Equal(t, wantHooks, gotHooks, name)
			require.Equal(t, want, got, name)
			o, stored = want, got
		}
		require.Equal(t, o, reload(t, o))
	})
}

// TestFlowJSONForm pins the stored form.
func TestFlowJSONForm(t *testing.T) {
	o, _ := mustPlace(PlaceOrder{ID: "ord", TeamID: "team-1", ClientUserID: "client-1", UserID: "user-1", Patient: jane(), Address: home(), Settings: beta}, t0)
	o, _ = must(t)(o.Request(request(), at(1)))
	b, err := json.Marshal(o)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"id": "ord", "team_id": "team-1", "client_user_id": "client-1", "status": "ordered",
		"created_at": "2026-11-21T09:00:00Z", "activate_by": null, "requisition": false, "user_id": "user-1",
		"patient": {"dob": "1990-06-15", "gender": "", "first_name": "", "last_name": "", "phone_number": "", "email": ""},
		"address": {"first_line": "123 Main St.", "city": "Phoenix", "state": "AZ", "zip_code": "85004", "access_notes": "Gate code #1234"},
		"time_zone": "UTC",
		"settings": {"pre_requisition_scheduling": true, "partial_results_webhooks": false},
		"appointments": [{
			"appointment": {"id": "ord-a1", "user_id": "user-1", "order_id": "ord",
				"address": {"first_line": "123 Main St.", "city": "Phoenix", "state": "AZ", "zip_code": "85004", "access_notes": "Gate code #1234"},
				"location": {"lng": 0, "lat": 0}, "start_at": null, "end_at": null, "iana_timezone": "UTC", "type": "phlebotomy", "provider": "phlebfinders",
				"status": "pending", "event_status": "pending", "provider_id": "", "can_reschedule": false,
				"appointment_notes": "Patient prefers left arm",
				"events": [{"created_at": "2026-11-21T10:00:00Z", "data": null, "status": "pending"}]},
			"tier": "appointment-request", "placed_at": "2026-11-21T10:00:00Z"}],
		"history": [{"id": 1, "created_at": "2026-11-21T09:00:00Z", "status": "ordered"}],
		"clock": "2026-11-21T10:00:00Z"}`, string(b))
	// An appointment encodes alone as it does inside the order.
	ab, err := json.Marshal(o.Appointments[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"appointments":[`+string(ab)+`]`)
	var a Placement
	require.NoError(t, json.Unmarshal(ab, &a))
	assert.Equal(t, o.Appointments[0], a)
	// A scheduled order's activate_by; a missing date of birth.
	o, _ = mustPlace(PlaceOrder{ID: "ord", Address: home(), ActivateBy: adate(1000)}, t0)
	b, err = json.Marshal(o)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"activate_by":"2027-01-02"`)
	assert.Contains(t, string(b), `"dob":null`)
	assert.Equal(t, o, reload(t, o))
}

// TestFlowJSONNormalises shows what a value built by hand loses on the
// way: only what Place would have normalised.
func TestFlowJSONNormalises(t *testing.T) {
	tokyo := loadTestZone("Asia/Tokyo")
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	hand := o
	hand.CreatedAt = o.CreatedAt.In(tokyo)
	hand.TimeZone = nil
	hand.Appointments = []Placement{}
	assert.Equal(t, o, reload(t, hand))
}

// validOrderJSON is an order with every member set, to break in
// TestDecodeFlowErrors.
func validOrderJSON(t *testing.T) string {
	p := placeOrder()
	p.TimeZone, p.Settings, p.ActivateBy = loadTestZone("America/New_York"), beta, adate(500)
	o, _, err := Place(p, t0)
	require.NoError(t, err)
	o, _ = must(t)(o.Book(book(72), at(1)))
	b, err := json.Marshal(o)
	require.NoError(t, err)
	return string(b)
}

func TestDecodeFlowErrors(t *testing.T) {
	valid := validOrderJSON(t)
	good, err := DecodeFlow([]byte(valid))
	require.NoError(t, err)
	replace := func(old, new string) string {
		require.Contains(t, valid, old)
		return strings.Replace(valid, old, new, 1)
	}
	edit := func(change func(map[string]any)) string {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(valid), &m))
		change(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}
	for _, c := range []struct {
		name  string
		json  string
		field string
		cause error // a sentinel the error also wraps, if any
	}{
		{"invalid JSON", `{"id":`, "/id", nil},
		{"not an object", `[]`, "", nil},
		{"data after the order", valid + ` {}`, "", nil},
		{"repeated member", replace(`"id":"ord"`, `"id":"ord","id":"ord"`), "/id", nil},
		{"repeated member of the patient", replace(`"dob":"1990-06-15"`, `"dob":"1990-06-15","dob":"1990-06-15"`), "/patient/dob", nil},
		{"member in another case", replace(`"id":"ord"`, `"ID":"ord"`), "/ID", nil},
		{"unknown member", replace(`"id":`, `"owner":"x","id":`), "/owner", nil},
		{"unknown member of the patient", replace(`"dob":"1990-06-15"`, `"age":36,"dob":"1990-06-15"`), "/patient/age", nil},
		{"unknown member of the address", replace(`"city":"Phoenix","state":"AZ","zip_code":"85004","access_notes":"Gate code #1234"},"time_zone"`,
			`"city":"Phoenix","state":"AZ","zip_code":"85004","access_notes":"Gate code #1234","floor":2},"time_zone"`), "/address/floor", nil},
		{"unknown member of the settings", replace(`"partial_results_webhooks":false`, `"partial_results_webhooks":false,"beta":true`), "/settings/beta", nil},
		{"unknown member of an appointment", replace(`"tier":"appointment-ready"`, `"tier":"appointment-ready","provider":"getlabs"`), "/appointments/0/provider", nil},
		{"id of the wrong type", replace(`"id":"ord"`, `"id":7`), "/id", nil},
		{"requisition of the wrong type", replace(`"requisition":false`, `"requisition":"no"`), "/requisition", nil},
		{"no status", replace(`"status":"ordered",`, ``), "/status", errMissing},
		{"null status", replace(`"status":"ordered"`, `"status":null`), "/status", errMissing},
		{"unknown status", replace(`"status":"ordered"`, `"status":"no_show"`), "/status", order.ErrUnknownStatus},
		{"no created_at", replace(`"created_at":"2026-11-21T09:00:00Z",`, ``), "/created_at", errMissing},
		{"created_at without a zone", replace(`"created_at":"2026-11-21T09:00:00Z"`, `"created_at":"2026-11-21T09:00:00"`), "/created_at", nil},
		{"created_at before the year 0 in UTC", replace(`"created_at":"2026-11-21T09:00:00Z"`, `"created_at":"0000-01-01T00:00:00+01:00"`), "/created_at", ErrRange},
		{"malformed activate_by", replace(`"activate_by":"2026-12-12"`, `"activate_by":"soon"`), "/activate_by", order.ErrMalformed},
		{"no clock", replace(`,"clock":"2026-11-21T10:00:00Z"`, ``), "/clock", errMissing},
		{"clock in 10000", replace(`"clock":"2026-11-21T10:00:00Z"`, `"clock":"9999-12-31T23:00:00-01:00"`), "/clock", ErrRange},
		{"no time zone", replace(`,"time_zone":"America/New_York"`, ``), "/time_zone", errMissing},
		{"empty time zone", replace(`"time_zone":"America/New_York"`, `"time_zone":""`), "/time_zone", ErrZone},
		{"the machine's time zone", replace(`"time_zone":"America/New_York"`, `"time_zone":"Local"`), "/time_zone", ErrZone},
		{"unknown time zone", replace(`"time_zone":"America/New_York"`, `"time_zone":"Mars/Olympus_Mons"`), "/time_zone", ErrZone},
		{"a path for a time zone", replace(`"time_zone":"America/New_York"`, `"time_zone":"../../etc/passwd"`), "/time_zone", ErrZone},
		{"birth date in another order", replace(`"dob":"1990-06-15"`, `"dob":"06/15/1990"`), "/patient/dob", order.ErrMalformed},
		{"user id of the wrong type", replace(`"user_id":"user-1","patient"`, `"user_id":1,"patient"`), "/user_id", nil},
		{"appointments not a list", edit(func(m map[string]any) { m["appointments"] = 7 }), "/appointments", nil},
		{"a null appointment", replace(`"appointments":[`, `"appointments":[null,`), "/appointments/0/appointment", errMissing},
		{"a record that is null", edit(func(m map[string]any) {
			m["appointments"].([]any)[0].(map[string]any)["appointment"] = nil
		}), "/appointments/0/appointment", errMissing},
		{"no record", replace(`"appointment":{`, `"x":{`), "/appointments/0/x", nil},
		{"a record that is not an object", edit(func(m map[string]any) {
			m["appointments"].([]any)[0].(map[string]any)["appointment"] = []any{}
		}), "/appointments/0/appointment", appointment.ErrMalformed},
		{"unknown appointment status", replace(`"status":"reserved"`, `"status":"no_show"`), "/appointments/0/appointment/status", appointment.ErrUnknownStatus},
		{"malformed start", replace(`"start_at":"2026-11-24T09:00:00Z"`, `"start_at":"tomorrow"`), "/appointments/0/appointment/start_at", appointment.ErrMalformed},
		{"no tier", replace(`"tier":"appointment-ready",`, ``), "/appointments/0/tier", errMissing},
		{"unknown tier", replace(`"tier":"appointment-ready"`, `"tier":"walk-in"`), "/appointments/0/tier", tier.ErrUnknownTier},
		{"no history", edit(func(m map[string]any) { delete(m, "history") }), "/history", errMissing},
		{"empty history", edit(func(m map[string]any) { m["history"] = []any{} }), "/history", errMissing},
		{"history not a list", edit(func(m map[string]any) { m["history"] = 7 }), "/history", nil},
		{"history entry without an id", replace(`{"id":1,`, `{`), "/history/0/id", errMissing},
		{"history entry without a time", replace(`"id":1,"created_at":"2026-11-21T09:00:00Z",`, `"id":1,`), "/history/0/created_at", errMissing},
		{"history entry without a status", replace(`"created_at":"2026-11-21T09:00:00Z","status":"ordered"}`, `"created_at":"2026-11-21T09:00:00Z"}`),
			"/history/0/status", errMissing},
		{"history entry of an unknown status", replace(`"created_at":"2026-11-21T09:00:00Z","status":"ordered"}`,
			`"created_at":"2026-11-21T09:00:00Z","status":"lost"}`), "/history/0/status", order.ErrUnknownStatus},
		{"history not ending in the order's status", replace(`"created_at":"2026-11-21T09:00:00Z","status":"ordered"}`,
			`"created_at":"2026-11-21T09:00:00Z","status":"requisition_created"}`), "/history/0/status", errHistoryOrder},
		{"history ids not increasing", replace(`"history":[`, `"history":[{"id":1,"created_at":"2026-11-21T08:00:00Z","status":"ordered"},`),
			"/history/1/id", errHistoryOrder},
		{"history going back in time", replace(`"history":[`, `"history":[{"id":0,"created_at":"2026-11-21T09:00:00.000000001Z","status":"ordered"},`),
			"/history/1/created_at", errHistoryOrder},
		{"no placed_at", replace(`,"placed_at":"2026-11-21T10:00:00Z"`, ``), "/appointments/0/placed_at", errMissing},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeFlow([]byte(c.json))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			require.ErrorIs(t, err, ErrMalformed)
			assert.Equal(t, c.field, de.Path, "%v", err)
			if c.cause != nil {
				assert.ErrorIs(t, err, c.cause)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "scheduling: decode"), err.Error())
			// The destination is left as it was.
			dest := good
			if err := json.Unmarshal([]byte(c.json), &dest); err == nil {
				t.Fatalf("json.Unmarshal accepted %s", c.json)
			}
			require.True(t, reflect.DeepEqual(good, dest), "the destination changed")
			err = dest.UnmarshalJSON([]byte(c.json))
			require.ErrorIs(t, err, ErrMalformed)
			require.True(t, reflect.DeepEqual(good, dest), "the destination changed")
		})
	}
	// null leaves the destination as it is, and decodes as the zero Order.
	dest := good
	require.NoError(t, json.Unmarshal([]byte(`null`), &dest))
	assert.Equal(t, good, dest)
	zero, err := DecodeFlow([]byte(" null "))
	assert.NoError(t, err)
	assert.Equal(t, Flow{}, zero)
	// A nil destination is an error, not a panic.
	assert.ErrorIs(t, (*Flow)(nil).UnmarshalJSON([]byte(valid)), ErrMalformed)
	var a *Placement
	assert.ErrorIs(t, a.UnmarshalJSON([]byte(`{"appointment":{},"tier":"appointment-ready","placed_at":"2026-11-21T10:00:00Z"}`)), ErrMalformed)
	// The parts are as strict alone.
	for _, bad := range []string{`{}`, `{"appointment":{},"tier":"appointment-ready"}`, `{"appointment":{},"tier":"appointment-ready","placed_at":"2026-11-21T10:00:00Z","x":1}`, `[]`} {
		a := good.Appointments[0]
		assert.ErrorIs(t, a.UnmarshalJSON([]byte(bad)), ErrMalformed, bad)
		assert.Equal(t, good.Appointments[0], a)
	}
	a = &Placement{Tier: tier.AppointmentReady}
	assert.NoError(t, a.UnmarshalJSON([]byte(`null`)))
	assert.Equal(t, tier.AppointmentReady, a.Tier)
	// Messages.
	_, err = DecodeFlow([]byte(replace(`"time_zone":"America/New_York"`, `"time_zone":"Local"`)))
	assert.EqualError(t, err, `scheduling: decode /time_zone: no IANA time zone: "Local": not an IANA name`)
	_, err = DecodeFlow([]byte(replace(`"requisition":false`, `"requisition":"no"`)))
	assert.EqualError(t, err, `scheduling: decode /requisition: cannot read string as bool`)
	_, err = DecodeFlow([]byte(replace(`"tier":"appointment-ready",`, ``)))
	assert.EqualError(t, err, `scheduling: decode /appointments/0/tier: missing`)
	assert.EqualError(t, &DecodeError{}, `scheduling: decode: malformed`)
	_, err = DecodeFlow([]byte(replace(`"clock":"2026-11-21T10:00:00Z"`, `"clock":"2026-11-21T10:00:00"`)))
	assert.EqualError(t, err, `scheduling: decode /clock: malformed time "2026-11-21T10:00:00", want RFC 3339 with a zone designator`)
	var pe *time.ParseError
	assert.ErrorAs(t, err, &pe)
	assert.Equal(t, []error{ErrMalformed}, (&DecodeError{}).Unwrap())
	assert.Equal(t, []error{ErrMalformed}, (&DecodeError{Op: "encode"}).Unwrap())
	// Op "encode" names encoding; any other Op reads as "decode".
	assert.EqualError(t, &DecodeError{Op: "encode", Path: "/x"}, `scheduling: encode /x: malformed`)
	assert.EqualError(t, &DecodeError{Op: "decode", Path: "/x"}, `scheduling: decode /x: malformed`)
	assert.EqualError(t, &DecodeError{Op: "parse", Path: "/x"}, `scheduling: decode /x: malformed`)
}

func TestEncodeFlowErrors(t *testing.T) {
	o, _ := must(t)(place(beta).Book(book(72), at(1)))
	y10k := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		mutate func(*Flow)
		field  string
		cause  error
	}{
		{"zero order", func(o *Flow) { *o = Flow{} }, "/status", order.ErrUnknownStatus},
		{"invalid status", func(o *Flow) { o.Status = 99 }, "/status", order.ErrUnknownStatus},
		{"created in 10000", func(o *Flow) { o.CreatedAt = y10k }, "/created_at", ErrRange},
		{"activate_by in 10000", func(o *Flow) { o.ActivateBy = order.DateOf(y10k) }, "/activate_by", order.ErrMalformed},
		{"clock before the year 0", func(o *Flow) { o.Clock = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, "/clock", ErrRange},
		{"born in 10000", func(o *Flow) { o.Patient.DOB = order.DateOf(y10k) }, "/patient/dob", order.ErrMalformed},
		{"the machine's zone", func(o *Flow) { o.TimeZone = time.Local }, "/time_zone", ErrZone},
		{"id not UTF-8", func(o *Flow) { o.ID = "ord\xff" }, "/id", nil},
		{"user id not UTF-8", func(o *Flow) { o.UserID = "\xc3" }, "/user_id", nil},
		{"name not UTF-8", func(o *Flow) { o.Patient.LastName = "\xc3" }, "/patient/last_name", nil},
		{"address not UTF-8", func(o *Flow) { o.Address.AccessNotes = "gate \xff" }, "/address/access_notes", nil},
		{"country not UTF-8", func(o *Flow) { o.Address.Country = "\xff" }, "/address/country", nil},
		{"no tier", func(o *Flow) { o.Appointments[0].Tier = 0 }, "/appointments/0/tier", tier.ErrInvalidTier},
		{"placed in 10000", func(o *Flow) { o.Appointments[0].PlacedAt = y10k }, "/appointments/0/placed_at", ErrRange},
		{"invalid appointment status", func(o *Flow) { o.Appointments[0].Status = 99 }, "/appointments/0/appointment/status", appointment.ErrUnknownStatus},
		{"start in 10000", func(o *Flow) { o.Appointments[0].StartAt = y10k }, "/appointments/0/appointment/start_at", appointment.ErrMalformed},
		{"notes not UTF-8", func(o *Flow) { o.Appointments[0].AppointmentNotes = "\xff" }, "/appointments/0/appointment/appointment_notes", nil},
		{"record address not UTF-8", func(o *Flow) { o.Appointments[0].Address.FirstLine = "1\xff" }, "/appointments/0/appointment/address/first_line", nil},
		{"origin not UTF-8", func(o *Flow) { o.Appointments[0].EventData.Origin = "\xff" }, "/appointments/0/appointment/event_data/origin", nil},
		{"event data key not UTF-8", func(o *Flow) {
			o.Appointments[0].EventData.Extra = map[string]jsontext.Value{"\xff": jsontext.Value(`1`)}
		}, "/appointments/0/appointment/event_data", nil},
		{"history status not UTF-8", func(o *Flow) {
			o.Appointments[0].History = []appointment.HistoryEntry{{Status: "pending"}, {Status: "\xff"}}
		}, "/appointments/0/appointment/events/1/status", nil},
		{"team not UTF-8", func(o *Flow) { o.TeamID = "\xff" }, "/team_id", nil},
		{"client user not UTF-8", func(o *Flow) { o.ClientUserID = "\xff" }, "/client_user_id", nil},
		{"history status unknown", func(o *Flow) {
			o.History = []order.HistoryEntry{{ID: 1, CreatedAt: t0, Status: order.Ordered}, {ID: 2, CreatedAt: t0}}
		}, "/history/1/status", order.ErrUnknownStatus},
		{"history status as text", func(o *Flow) {
			o.History = []order.HistoryEntry{{ID: 1, CreatedAt: t0, Status: order.Ordered, StatusText: "ordered"}}
		}, "/history/0/status", errNotFlow},
		{"history status detail", func(o *Flow) {
			o.History = []order.HistoryEntry{{ID: 1, CreatedAt: t0, Status: order.Ordered, Detail: "sample_hemolyzed"}}
		}, "/history/0/status", errNotFlow},
		{"history in 10000", func(o *Flow) {
			o.History = []order.HistoryEntry{{ID: 1, CreatedAt: y10k, Status: order.Ordered}}
		}, "/history/0/created_at", ErrRange},
		{"second appointment", func(o *Flow) {
			o.Appointments = append(o.Appointments, o.Appointments[0])
			o.Appointments[1].ExternalID = "\xff"
		}, "/appointments/1/appointment/external_id", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := deepCopy(o)
			c.mutate(&o)
			b, err := o.MarshalJSON()
			assert.Nil(t, b)
			var ee *DecodeError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "encode", ee.Op)
			assert.Equal(t, c.field, ee.Path)
			assert.ErrorIs(t, err, ErrMalformed)
			if c.cause != nil {
				assert.ErrorIs(t, err, c.cause)
			}
			_, err = json.Marshal(o)
			assert.ErrorIs(t, err, ErrMalformed, "through json.Marshal")
		})
	}
	bad := o
	bad.TimeZone = time.Local
	_, err := bad.MarshalJSON()
	assert.EqualError(t, err, `scheduling: encode /time_zone: no IANA time zone: "Local": not an IANA name`)
	_, err = Placement{}.MarshalJSON()
	assert.ErrorIs(t, err, tier.ErrInvalidTier)
	// A placement encoded on its own says where, as a flow does.
	for _, c := range []struct {
		a    Placement
		path string
	}{
		{Placement{}, "/tier"},
		{Placement{Tier: tier.AppointmentReady, PlacedAt: y10k}, "/placed_at"},
		{Placement{Tier: tier.AppointmentReady, PlacedAt: t0, Appointment: appointment.Appointment{Status: 99}},
			"/appointment/status"},
	} {
		_, err = c.a.MarshalJSON()
		var ee *DecodeError
		if assert.ErrorAs(t, err, &ee, c.path) {
			assert.Equal(t, DecodeError{Op: "encode", Path: c.path, Err: ee.Err}, *ee)
		}
		assert.ErrorIs(t, err, ErrMalformed, c.path)
	}
	bad = o
	bad.Clock = y10k
	_, err = bad.MarshalJSON()
	assert.EqualError(t, err, "scheduling: encode /clock: instant out of range: clock 10000-01-01T00:00:00Z is outside the years 0000 to 9999")
}

// FuzzFlowJSON decodes arbitrary input as a stored order: it never
// panics, every error is a *DecodeError, a failed decoding leaves the
// destination as it was, and what decodes encodes and decodes back to an
// equal value, on which the commands run without panicking.
func FuzzFlowJSON(f *testing.F) {
	seeds := func() []Flow {
		var os []Flow
		p := placeOrder()
		p.ID, p.TimeZone, p.Settings, p.ActivateBy = "ord-\u2028<&>", loadTestZone("America/Phoenix"), beta, adate(500)
		o, _, _ := Place(p, t0)
		os = append(os, o)
		r, _, _ := o.Request(request(), at(1))
		os = append(os, r)
		r, _, _ = r.PencilIn(at(50), at(51), at(2))
		os = append(os, r)
		b, _, _ := o.Book(book(72), at(1))
		os = append(os, b)
		b, _, _ = b.CreateRequisition(at(2))
		b, _, _ = b.Reschedule(at(80), time.Time{}, "Left \"arm\"", at(3))
		os = append(os, b)
		b, _, _ = b.CompleteDraw(at(80))
		b, _, _ = b.CompleteResults(at(90))
		os = append(os, b)
		c, _, _ := o.Cancel(at(1))
		return append(os, c)
	}()
	for _, o := range seeds {
		b, err := json.Marshal(o)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`null`, `{}`, `[]`, `{"status":"ordered"}`, `{"status":"ordered","created_at":"2026-11-21T09:00:00Z",` +
		`"clock":"2026-11-21T09:00:00Z","patient":{"time_zone":"UTC"},"appointments":[{"appointment":{"status":"pending"},` +
		`"tier":"appointment-request","placed_at":"2026-11-21T09:00:00Z"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := DecodeFlow(data)
		dest := seeds[1]
		uerr := dest.UnmarshalJSON(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Op == "encode" || !errors.Is(err, ErrMalformed) {
				t.Fatalf("DecodeOrder(%q) = %v, not a *DecodeError", data, err)
			}
			if uerr == nil || !reflect.DeepEqual(dest, seeds[1]) {
				t.Fatalf("UnmarshalJSON(%q) = %v and changed the destination", data, uerr)
			}
			return
		}
		if uerr != nil {
			t.Fatalf("UnmarshalJSON(%q) = %v, DecodeOrder accepted it", data, uerr)
		}
		if isNull(data) {
			return
		}
		if !reflect.DeepEqual(o, dest) {
			t.Fatalf("DecodeOrder and UnmarshalJSON disagree on %q", data)
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("decoded %q, cannot encode: %v", data, err)
		}
		back, err := DecodeFlow(b)
		if err != nil {
			t.Fatalf("cannot decode %s: %v", b, err)
		}
		if !reflect.DeepEqual(o, back) {
			t.Fatalf("round trip of %q:\n%#v\n%#v", data, o, back)
		}
		if b2, _ := json.Marshal(back); string(b2) != string(b) {
			t.Fatalf("encoding is not stable:\n%s\n%s", b, b2)
		}
		later := o.Clock.Add(time.Hour)
		_, _, _ = o.Tick(later)
		_, _, _ = o.Book(book(72), later)
		_, _, _ = o.Request(request(), later)
		_, _, _ = o.PencilIn(later.Add(50*time.Hour), time.Time{}, later)
		_, _, _ = o.Reschedule(later.Add(50*time.Hour), time.Time{}, "", later)
		_, _, _ = o.CreateRequisition(later)
		_, _, _ = o.CompleteDraw(later)
		_, _, _ = o.Cancel(later)
		_, _ = o.Active()
	})
}
