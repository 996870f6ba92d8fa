package webhook

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// The envelope the tests wrap bare orders in. client_user_id is the
// non-UUID string Junction's examples carry.
const (
	envUserID       = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	envClientUserID = "3Zru4O8cBEiwGTsXgUQGaQ=="
	envTeamID       = "6353bcab-3526-4838-8c92-063fa760fb6b"
)

func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// wrap returns the body of a delivery of data as an event of eventType,
// with the test envelope's ids; data is kept byte for byte.
func wrap(eventType string, data []byte) []byte {
	return []byte(`{"event_type": "` + eventType + `", "data": ` + string(data) +
		`, "user_id": "` + envUserID + `", "client_user_id": "` + envClientUserID + `", "team_id": "` + envTeamID + `"}`)
}

// importedOrder returns the order member of order-imported.json, byte for
// byte.
func importedOrder(tb testing.TB) []byte {
	tb.Helper()
	var resp struct{ Order json.RawMessage }
	if err := json.Unmarshal(fixture(tb, "order-imported.json"), &resp); err != nil {
		tb.Fatal(err)
	}
	return resp.Order
}

// appointmentData returns the data member of the appointment webhook
// fixture, byte for byte.
func appointmentData(tb testing.TB) []byte {
	tb.Helper()
	var w struct{ Data json.RawMessage }
	if err := json.Unmarshal(fixture(tb, "appointment-updated-webhook.json"), &w); err != nil {
		tb.Fatal(err)
	}
	return w.Data
}

func mustOrder(tb testing.TB, data []byte) *order.Order {
	tb.Helper()
	o, err := order.Decode(data)
	if err != nil {
		tb.Fatal(err)
	}
	return &o
}

func mustAppointment(tb testing.TB, data []byte) *appointment.Appointment {
	tb.Helper()
	a, err := appointment.Decode(data)
	if err != nil {
		tb.Fatal(err)
	}
	return &a
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// acceptedBodies are the webhook bodies built from the fixtures that decode
// without error, by name; the fuzz test starts from them.
func acceptedBodies(tb testing.TB) map[string][]byte {
	return map[string][]byte{
		"order updated":               wrap("labtest.order.updated", fixture(tb, "order-updated.json")),
		"order created":               wrap("labtest.order.created", fixture(tb, "order-updated.json")),
		"imported order":              wrap("labtest.order.created", importedOrder(tb)),
		"appointment webhook":         fixture(tb, "appointment-updated-webhook.json"),
		"appointment created":         wrap("labtest.appointment.created", appointmentData(tb)),
		"appointment update (legacy)": wrap("labtest.appointment.update", appointmentData(tb)),
	}
}

func TestDecodeFixtures(t *testing.T) {
	updated := mustOrder(t, fixture(t, "order-updated.json"))
	imported := mustOrder(t, importedOrder(t))
	appt := mustAppointment(t, appointmentData(t))
	bodies := acceptedBodies(t)
	envelope := Event{UserID: envUserID, ClientUserID: envClientUserID, TeamID: envTeamID}
	for _, c := range []struct {
		name string
		want Event
	}{
		{"order updated", with(envelope, OrderUpdated, updated, nil)},
		{"order created", with(envelope, OrderCreated, updated, nil)},
		{"imported order", with(envelope, OrderCreated, imported, nil)},
		// The published webhook carries no user_id, client_user_id or team_id.
		{"appointment webhook", with(Event{}, AppointmentUpdated, nil, appt)},
		{"appointment created", with(envelope, AppointmentCreated, nil, appt)},
		{"appointment update (legacy)", with(envelope, AppointmentUpdated, nil, appt)},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := bodies[c.name]
			before := string(body)
			e, err := Decode(body)
			require.NoError(t, err)
			assert.Equal(t, c.want, e)
			assert.Equal(t, before, string(body), "Decode must not change the body")
		})
	}
}

func with(e Event, t Type, o *order.Order, a *appointment.Appointment) Event {
	e.Type, e.Order, e.Appointment = t, o, a
	return e
}

// TestDecodeFixtureFields checks the fields a consumer reads first, so that
// a fixture that decodes into the wrong place is caught even if the order
// and appointment decoders agree with it.
func TestDecodeFixtureFields(t *testing.T) {
	bodies := acceptedBodies(t)

	e, err := Decode(bodies["order updated"])
	require.NoError(t, err)
	assert.Equal(t, OrderUpdated, e.Type)
	assert.Empty(t, e.ID, "a body alone has no message id")
	assert.Equal(t, envUserID, e.UserID)
	assert.Equal(t, envClientUserID, e.ClientUserID)
	assert.Equal(t, envTeamID, e.TeamID)
	assert.Equal(t, "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", e.Order.ID)
	assert.Equal(t, "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", e.OrderID())
	assert.True(t, e.Order.IsPhlebotomy())
	assert.Equal(t, order.AppointmentScheduled, e.Order.Status())
	assert.Equal(t, "d55210cc-3d9f-4115-8262-5013f700c7be", e.Order.AppointmentID())
	assert.Equal(t, "91189", e.Order.Address.ZipCode)
	require.Len(t, e.Order.History, 3)
	assert.Equal(t, []order.Status{order.Ordered, order.RequisitionCreated, order.AppointmentScheduled},
		[]order.Status{e.Order.History[0].Status, e.Order.History[1].Status, e.Order.History[2].Status})
	assert.Equal(t, order.HighLevelCollectingSample, e.Order.HighLevel)
	require.Len(t, e.Order.Transaction.Orders, 1)
	assert.Equal(t, order.AppointmentScheduled, e.Order.Transaction.Orders[0].Status)
	assert.Equal(t, day(2022, 1, 3), e.At())
	assert.Nil(t, e.Appointment, "exactly one snapshot")
	assert.Equal(t, "2022-01-03T00:00:00Z labtest.order.updated 84d96c03-6b1c-4226-ad8f-ef44a6bc08af "+
		"collecting_sample.at_home_phlebotomy.appointment_scheduled", e.String())

	e, err = Decode(bodies["imported order"])
	require.NoError(t, err)
	assert.Equal(t, OrderCreated, e.Type)
	assert.Equal(t, "d3ec7ac7-2584-4254-9709-fc61d80635c4", e.OrderID())
	assert.Equal(t, order.RequisitionBypassed, e.Order.Status())
	assert.Empty(t, e.Order.AppointmentID(), "appointment_id is null")
	assert.Equal(t, "John", e.Order.Patient.FirstName)
	assert.Equal(t, time.Date(2025, 3, 20, 13, 7, 32, 0, time.UTC), e.At())
	assert.Equal(t, "2025-03-20T13:07:32Z labtest.order.created d3ec7ac7-2584-4254-9709-fc61d80635c4 "+
		"received.at_home_phlebotomy.requisition_bypassed", e.String())

	e, err = Decode(bodies["appointment webhook"])
	require.NoError(t, err)
	assert.Equal(t, AppointmentUpdated, e.Type)
	assert.Empty(t, e.UserID+e.ClientUserID+e.TeamID, "the published webhook has no envelope ids")
	a := e.Appointment
	assert.Equal(t, "06c2c65b-74a0-4f25-a4a9-44f796296355", a.ID)
	assert.Equal(t, "1ed9c8d7-e1b4-4d61-8123-0f99de5ae99a", e.OrderID())
	assert.True(t, a.IsPhlebotomy())
	assert.Equal(t, appointment.Pending, a.Status)
	assert.Equal(t, appointment.Confirmed, a.EventStatus)
	assert.Equal(t, appointment.Confirmed, a.EffectiveStatus())
	assert.True(t, a.EventData.IsReschedule)
	assert.Equal(t, "patient", a.EventData.Origin)
	assert.Equal(t, provider.Getlabs, a.Provider)
	assert.Equal(t, day(2022, 1, 1), a.StartAt)
	require.Len(t, a.History, 2)
	assert.Equal(t, "scheduled", a.History[1].Status)
	assert.Equal(t, day(2022, 1, 1), e.At())
	assert.Nil(t, e.Order, "exactly one snapshot")
	assert.Equal(t, "2022-01-01T00:00:00Z labtest.appointment.updated 06c2c65b-74a0-4f25-a4a9-44f796296355 confirmed (reschedule)", e.String())

	e, err = Decode(bodies["appointment update (legacy)"])
	require.NoError(t, err)
	assert.Equal(t, AppointmentUpdated, e.Type, "the legacy spelling is the same type")
	assert.Equal(t, envClientUserID, e.ClientUserID)
}

// TestDecodeEnvelope checks each envelope member on its own, and that keys
// are matched exactly.
func TestDecodeEnvelope(t *testing.T) {
	data := string(appointmentData(t))
	for _, c := range []struct {
		name string
		body string
		want Event
	}{
		{"type and data only", `{"event_type": "labtest.appointment.created", "data": ` + data + `}`,
			Event{Type: AppointmentCreated}},
		{"user_id", `{"event_type": "labtest.appointment.created", "user_id": "u1", "data": ` + data + `}`,
			Event{Type: AppointmentCreated, UserID: "u1"}},
		{"client_user_id", `{"client_user_id": "` + envClientUserID + `", "event_type": "labtest.appointment.created", "data": ` + data + `}`,
			Event{Type: AppointmentCreated, ClientUserID: envClientUserID}},
		{"team_id", `{"data": ` + data + `, "team_id": "t1", "event_type": "labtest.appointment.created"}`,
			Event{Type: AppointmentCreated, TeamID: "t1"}},
		{"null ids", `{"event_type": "labtest.appointment.created", "data": ` + data + `, "user_id": null, "client_user_id": null, "team_id": null}`,
			Event{Type: AppointmentCreated}},
		{"escaped ids", `{"event_type": "labtest.appointment.created", "data": ` + data + `, "user_id": "a\"b", "client_user_id": "\u00e9", "team_id": "\\"}`,
			Event{Type: AppointmentCreated, UserID: `a"b`, ClientUserID: "é", TeamID: `\`}},
		{"unknown members skipped", `{"event_type": "labtest.appointment.updated", "data": ` + data + `, "extra": {"x": [1, {"y": null}]}, "id": 5}`,
			Event{Type: AppointmentUpdated}},
		{"keys matched exactly", `{"event_type": "labtest.appointment.created", "data": ` + data + `, "User_ID": "x", "TEAM_ID": "y"}`,
			Event{Type: AppointmentCreated}},
		{"white space around", " \n\t{\"event_type\" : \"labtest.appointment.created\" ,\r\n \"data\" : " + data + " } \n",
			Event{Type: AppointmentCreated}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := Decode([]byte(c.body))
			require.NoError(t, err)
			c.want.Appointment = mustAppointment(t, []byte(data))
			assert.Equal(t, c.want, e)
		})
	}
}

func TestDecodeIgnored(t *testing.T) {
	walkIn, testkit, onSite := fixture(t, "order-walk-in.json"), fixture(t, "order-testkit.json"), fixture(t, "order-on-site.json")
	psc := fixture(t, "appointment-psc.json")
	for _, c := range []struct {
		name      string
		body      string
		eventType string // the type as sent
		kind      string // the order's or appointment's kind (Value)
		typ       Type   // the event's Type
		order     []byte // the order decoded beside the error, if any
		appt      []byte // the appointment decoded beside the error, if any
		msg       string
	}{
		{name: "sleep data", body: string(wrap("daily.data.sleep.created", []byte(`{"user_id": "u", "data": [1, 2]}`))),
			eventType: "daily.data.sleep.created", msg: "webhook: not an at-home phlebotomy event: daily.data.sleep.created"},
		{name: "critical result", body: string(wrap("labtest.result.critical", []byte(`{"order_id": "o"}`))),
			eventType: "labtest.result.critical", msg: "webhook: not an at-home phlebotomy event: labtest.result.critical"},
		{name: "order deleted", body: string(wrap("labtest.order.deleted", fixture(t, "order-updated.json"))),
			eventType: "labtest.order.deleted", msg: "webhook: not an at-home phlebotomy event: labtest.order.deleted"},
		{name: "order update without d", body: string(wrap("labtest.order.update", fixture(t, "order-updated.json"))),
			eventType: "labtest.order.update", msg: "webhook: not an at-home phlebotomy event: labtest.order.update"},
		{name: "type in upper case", body: string(wrap("LABTEST.ORDER.UPDATED", fixture(t, "order-updated.json"))),
			eventType: "LABTEST.ORDER.UPDATED", msg: "webhook: not an at-home phlebotomy event: LABTEST.ORDER.UPDATED"},
		{name: "type with a space", body: string(wrap("labtest.order.updated ", fixture(t, "order-updated.json"))),
			eventType: "labtest.order.updated ", msg: "webhook: not an at-home phlebotomy event: labtest.order.updated "},
		{name: "other type without data", body: `{"event_type": "provider.connection.created", "user_id": "` + envUserID + `", "client_user_id": "` + envClientUserID + `", "team_id": "` + envTeamID + `"}`,
			eventType: "provider.connection.created", msg: "webhook: not an at-home phlebotomy event: provider.connection.created"},
		{name: "walk-in order", body: string(wrap("labtest.order.updated", walkIn)),
			eventType: "labtest.order.updated", kind: "walk_in_test", typ: OrderUpdated, order: walkIn,
			msg: "webhook: not an at-home phlebotomy event: a walk_in_test order"},
		{name: "testkit order", body: string(wrap("labtest.order.created", testkit)),
			eventType: "labtest.order.created", kind: "testkit", typ: OrderCreated, order: testkit,
			msg: "webhook: not an at-home phlebotomy event: a testkit order"},
		{name: "on-site order", body: string(wrap("labtest.order.updated", onSite)),
			eventType: "labtest.order.updated", kind: "on_site_collection", typ: OrderUpdated, order: onSite,
			msg: "webhook: not an at-home phlebotomy event: an on_site_collection order"},
		{name: "order without details", body: string(wrap("labtest.order.updated", []byte(`{"id": "o1", "events": [{"id": 1, "status": "received.at_home_phlebotomy.no_show"}]}`))),
			eventType: "labtest.order.updated", typ: OrderUpdated, order: []byte(`{"id": "o1", "events": [{"id": 1, "status": "received.at_home_phlebotomy.no_show"}]}`),
			msg: "webhook: not an at-home phlebotomy event: an order of no kind"},
		{name: "patient service centre appointment", body: string(wrap("labtest.appointment.updated", psc)),
			eventType: "labtest.appointment.updated", kind: "patient_service_center", typ: AppointmentUpdated, appt: psc,
			msg: "webhook: not an at-home phlebotomy event: a patient_service_center appointment"},
		{name: "legacy type of a psc appointment", body: string(wrap("labtest.appointment.update", psc)),
			eventType: "labtest.appointment.update", kind: "patient_service_center", typ: AppointmentUpdated, appt: psc,
			msg: "webhook: not an at-home phlebotomy event: a patient_service_center appointment"},
		{name: "appointment without a type", body: string(wrap("labtest.appointment.created", []byte(`{"id": "a1", "status": "no_show"}`))),
			eventType: "labtest.appointment.created", typ: AppointmentCreated, appt: []byte(`{"id": "a1"}`),
			msg: "webhook: not an at-home phlebotomy event: an appointment of no kind"},
		{name: "appointment of an unknown type", body: string(wrap("labtest.appointment.created", []byte(`{"id": "a1", "type": "in_clinic"}`))),
			eventType: "labtest.appointment.created", kind: "in_clinic", typ: AppointmentCreated, appt: []byte(`{"id": "a1", "type": "in_clinic"}`),
			msg: "webhook: not an at-home phlebotomy event: an in_clinic appointment"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := Decode([]byte(c.body))
			require.ErrorIs(t, err, ErrNotPhlebotomy)
			assert.NotErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrUnknownStatus)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "decode", de.Op)
			if c.typ == 0 {
				require.ErrorIs(t, err, ErrUnknownType, "a type that is not ours")
				assert.Equal(t, &DecodeError{Op: "decode", Path: "/event_type", Value: c.eventType, Err: ErrUnknownType}, de)
			} else {
				assert.NotErrorIs(t, err, ErrUnknownType)
				path := "/data/details/type"
				if c.typ.IsAppointment() {
					path = "/data/type"
				}
				assert.Equal(t, &DecodeError{Op: "decode", Path: path, Value: c.kind, Err: ErrNotPhlebotomy}, de)
			}
			assert.EqualError(t, err, c.msg)
			want := Event{Type: c.typ, UserID: envUserID, ClientUserID: envClientUserID, TeamID: envTeamID}
			if c.order != nil {
				want.Order = ptr(order.Decode(c.order))
			}
			if c.appt != nil {
				want.Appointment = ptr(appointment.Decode(c.appt))
			}
			assert.Equal(t, want, e, "what could be decoded comes beside the error")
		})
	}
}

// wantMalformed is a body Decode refuses as malformed: the field at fault
// and the whole message.
type wantMalformed struct {
	name, body, field, msg string
}

func malformedCases(tb testing.TB) []wantMalformed {
	ord := func(members string) string {
		return string(wrap("labtest.order.updated", []byte(`{"id": "o1", "details": {"type": "at_home_phlebotomy"}, `+members+`}`)))
	}
	appt := func(members string) string {
		return string(wrap("labtest.appointment.updated", []byte(`{"id": "a1", "type": "phlebotomy", `+members+`}`)))
	}
	data := string(fixture(tb, "order-updated.json"))
	return []wantMalformed{
		// The body as a whole.
		{"empty body", ``, "", "webhook: decode: unexpected end of JSON input"},
		{"white space only", " \n", "", "webhook: decode: unexpected end of JSON input"},
		{"null", `null`, "", "webhook: decode: the body is null"},
		{"array", `[]`, "", "webhook: decode: cannot read array as object"},
		{"string", `"labtest.order.updated"`, "", "webhook: decode: cannot read string as object"},
		{"number", `42`, "", "webhook: decode: cannot read number as object"},
		{"not JSON", `event_type=labtest.order.updated`, "", "webhook: decode: invalid character 'e' at start of value"},
		{"cut short", `{"event_type": "labtest.order.updated", "data": {"id": "o1"`, "/data",
			"webhook: decode /data: unexpected end of JSON input"},
		{"trailing text", `{"event_type": "labtest.order.updated", "data": ` + data + `} {}`, "",
			"webhook: decode: invalid character '{' after top-level value"},
		{"trailing comma", `{"event_type": "labtest.order.updated", "data": ` + data + `,}`, "",
			"webhook: decode: invalid character ',' at start of value"},
		{"invalid JSON in data", `{"event_type": "labtest.order.updated", "data": {"id": }}`, "/data/id",
			"webhook: decode /data/id: invalid character '}' at start of value"},
		{"invalid JSON in an ignored event's data", `{"event_type": "daily.data.sleep.created", "data": [1,]}`, "/data",
			"webhook: decode /data: invalid character ']' after object value (expecting ',' or '}')"},

		// event_type.
		{"no event_type", `{"data": ` + data + `}`, "/event_type", "webhook: decode /event_type: missing"},
		{"empty object", `{}`, "/event_type", "webhook: decode /event_type: missing"},
		{"null event_type", `{"event_type": null, "data": ` + data + `}`, "/event_type", "webhook: decode /event_type: missing"},
		{"empty event_type", `{"event_type": "", "data": ` + data + `}`, "/event_type", "webhook: decode /event_type: missing"},
		// A member repeated, whatever its values.
		{"event_type twice", `{"event_type": "labtest.order.updated", "data": ` + data + `, "event_type": ""}`, "/event_type",
			"webhook: decode /event_type: repeated member"},
		{"event_type twice the same", `{"event_type": "labtest.order.updated", "data": ` + data + `, "event_type": "labtest.order.updated"}`, "/event_type",
			"webhook: decode /event_type: repeated member"},
		{"data twice", `{"event_type": "labtest.order.updated", "data": null, "data": ` + data + `}`, "/data",
			"webhook: decode /data: repeated member"},
		{"user_id twice", `{"event_type": "daily.data.sleep.created", "user_id": "a", "user_id": "b"}`, "/user_id",
			"webhook: decode /user_id: repeated member"},
		{"escaped repeat", `{"event_type": "labtest.order.updated", "data": ` + data + `, "team_id": "a", "team\u005fid": "b"}`, "/team_id",
			"webhook: decode /team_id: repeated member"},
		{"event_type a number", `{"event_type": 3, "data": ` + data + `}`, "/event_type",
			"webhook: decode /event_type: cannot read number as string"},
		{"event_type an object", `{"data": ` + data + `, "event_type": {"name": "labtest.order.updated"}}`, "/event_type",
			"webhook: decode /event_type: cannot read object as string"},

		// The other envelope members.
		{"user_id a number", `{"event_type": "labtest.order.updated", "data": ` + data + `, "user_id": 7}`, "/user_id",
			"webhook: decode /user_id: cannot read number as string"},
		{"client_user_id a boolean", `{"event_type": "labtest.order.updated", "client_user_id": true, "data": ` + data + `}`, "/client_user_id",
			"webhook: decode /client_user_id: cannot read boolean as string"},
		{"team_id an array", `{"team_id": [], "event_type": "labtest.order.updated", "data": ` + data + `}`, "/team_id",
			"webhook: decode /team_id: cannot read array as string"},
		{"bad id of an ignored event", `{"event_type": "daily.data.sleep.created", "user_id": {}}`, "/user_id",
			"webhook: decode /user_id: cannot read object as string"},
		{"invalid escape in an id", `{"event_type": "labtest.order.updated", "team_id": "a\x"}`, "/team_id",
			"webhook: decode /team_id: invalid escape sequence `\\x` in string"},

		// data.
		{"order without data", `{"event_type": "labtest.order.updated"}`, "/data", "webhook: decode /data: missing"},
		{"order with null data", `{"event_type": "labtest.order.created", "data": null}`, "/data", "webhook: decode /data: missing"},
		{"appointment without data", `{"event_type": "labtest.appointment.created", "user_id": "u"}`, "/data", "webhook: decode /data: missing"},
		{"appointment with null data", `{"event_type": "labtest.appointment.update", "data": null}`, "/data", "webhook: decode /data: missing"},
		{"order data a string", `{"event_type": "labtest.order.updated", "data": "` + envUserID + `"}`, "/data",
			"webhook: decode /data: cannot read string as object"},
		{"order data an array", `{"event_type": "labtest.order.updated", "data": [` + data + `]}`, "/data",
			"webhook: decode /data: cannot read array as object"},
		{"appointment data a number", `{"event_type": "labtest.appointment.updated", "data": 1}`, "/data",
			"webhook: decode /data: cannot read number as object"},
		{"appointment data an array", `{"event_type": "labtest.appointment.updated", "data": []}`, "/data",
			"webhook: decode /data: cannot read array as object"},

		// Faults inside an order.
		{"order id a number", ord(`"user_id": 5`), "/data/user_id", "webhook: decode /data/user_id: cannot read number as string"},
		{"order history time", ord(`"events": [{"id": 1}, {"id": 2}, {"id": 3, "created_at": "noon"}]`), "/data/events/2/created_at",
			`webhook: decode /data/events/2/created_at: malformed time "noon"`},
		{"order history id", ord(`"events": [{"id": 1}, {"id": 2}, {"id": 2.5}]`), "/data/events/2/id",
			"webhook: decode /data/events/2/id: cannot read number 2.5 as int64"},
		{"order history status", ord(`"events": [{"id": 1}, {"id": 2, "status": 3}]`), "/data/events/1/status",
			"webhook: decode /data/events/1/status: cannot read number as string"},
		{"order history entry", ord(`"events": [{"id": 1}, "ordered"]`), "/data/events/1",
			"webhook: decode /data/events/1: cannot read string as object"},
		{"order last_event time", ord(`"last_event": {"created_at": "2022-01-01"}`), "/data/last_event/created_at",
			`webhook: decode /data/last_event/created_at: malformed time "2022-01-01"`},
		{"order details data time", string(wrap("labtest.order.updated", []byte(`{"id": "o1", "details": {"type": "at_home_phlebotomy", "data": {"created_at": "soon"}}}`))), "/data/details/data/created_at",
			`webhook: decode /data/details/data/created_at: malformed time "soon"`},
		{"order dob", ord(`"patient_details": {"dob": "1 May 1990"}`), "/data/patient_details/dob",
			`webhook: decode /data/patient_details/dob: malformed date "1 May 1990"`},
		{"order transaction time", ord(`"order_transaction": {"orders": [{"id": "o1", "low_level_status_created_at": "x"}]}`),
			"/data/order_transaction/orders/0/low_level_status_created_at",
			`webhook: decode /data/order_transaction/orders/0/low_level_status_created_at: malformed time "x"`},
		{"order fasting a string", ord(`"lab_test": {"fasting": "no"}`), "/data/lab_test/fasting",
			"webhook: decode /data/lab_test/fasting: cannot read string as bool"},

		// Faults inside an appointment.
		{"appointment id a number", appt(`"user_id": 5`), "/data/user_id", "webhook: decode /data/user_id: cannot read number as string"},
		{"appointment start_at", appt(`"start_at": "noon"`), "/data/start_at", `webhook: decode /data/start_at: malformed time "noon"`},
		{"appointment zip code", appt(`"address": {"zip_code": 85004}`), "/data/address/zip_code",
			"webhook: decode /data/address/zip_code: cannot read number as string"},
		{"appointment history time", appt(`"events": [{}, {"created_at": "later"}]`), "/data/events/1/created_at",
			`webhook: decode /data/events/1/created_at: malformed time "later"`},
		{"appointment history an object", appt(`"events": {"status": "pending"}`), "/data/events",
			"webhook: decode /data/events: cannot read object as array"},
		{"appointment reschedule flag", appt(`"event_data": {"is_reschedule": "yes"}`), "/data/event_data/is_reschedule",
			"webhook: decode /data/event_data/is_reschedule: cannot read string as bool"},
		{"appointment location", appt(`"location": {"lat": "north"}`), "/data/location/lat",
			"webhook: decode /data/location/lat: cannot read string as float64"},
	}
}

func TestDecodeMalformed(t *testing.T) {
	for _, c := range malformedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			e, err := Decode([]byte(c.body))
			require.ErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrUnknownStatus)
			assert.NotErrorIs(t, err, ErrNotPhlebotomy)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Path)
			assert.EqualError(t, err, c.msg)
			assert.True(t, reflect.DeepEqual(e, Event{}), "a malformed body gives the zero Event, got %v", e)
		})
	}
}

// TestDecodeDepth checks that nesting beyond the reader's limit is
// malformed, also in the data of an event that is not ours, and named down
// to the array at fault.
func TestDecodeDepth(t *testing.T) {
	for _, n := range []int{10000, 10001, 100000} {
		body := `{"event_type": "daily.data.sleep.created", "data": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
		_, err := Decode([]byte(body))
		if n < 10000 {
			require.ErrorIs(t, err, ErrNotPhlebotomy)
			continue
		}
		require.ErrorIs(t, err, ErrMalformed, "depth %d", n)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		// The envelope is the first level: the array at fault is the
		// 10000th, the 9999th element down.
		assert.True(t, strings.HasPrefix(de.Path, "/data/0"), "depth %d", n)
		assert.Equal(t, 9999, strings.Count(de.Path, "/0"), "depth %d", n)
		assert.Len(t, de.Path, len("/data")+2*9999, "depth %d", n)
		assert.True(t, strings.HasSuffix(err.Error(), "/0: exceeded max depth"), "depth %d", n)
	}
	_, err := Decode([]byte(`{"event_type": "daily.data.sleep.created", "data": ` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`))
	require.ErrorIs(t, err, ErrNotPhlebotomy, "10000 levels in all are allowed")
}

// TestDecodeDataErrors checks that the error of the order or appointment
// decoder stays reachable, with its own field, under the webhook's.
func TestDecodeDataErrors(t *testing.T) {
	_, err := Decode(wrap("labtest.order.updated", []byte(`{"details": {"type": "at_home_phlebotomy"}, "events": [{}, {}, {"created_at": "noon"}]}`)))
	var oe *order.DecodeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "/events/2/created_at", oe.Path)
	require.ErrorIs(t, err, order.ErrMalformed)
	var me *order.ParseError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "noon", me.Text)

	_, err = Decode(wrap("labtest.appointment.updated", []byte(`{"type": "phlebotomy", "end_at": "noon"}`)))
	var ae *appointment.DecodeError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/end_at", ae.Path)
	require.ErrorIs(t, err, appointment.ErrMalformed)
}

func TestDecodeUnknownStatus(t *testing.T) {
	phleb := func(members string) []byte {
		return []byte(`{"id": "o1", "details": {"type": "at_home_phlebotomy"}, ` + members + `}`)
	}
	for _, c := range []struct {
		name      string
		eventType string
		data      []byte
		field     string
		msg       string
		pkgErr    error // the order or appointment sentinel the error wraps
	}{
		{"order history", "labtest.order.updated",
			phleb(`"events": [{"id": 1, "status": "received.at_home_phlebotomy.ordered"}, {"id": 2, "status": "received.at_home_phlebotomy.requisition_created"}, {"id": 3, "status": "collecting_sample.at_home_phlebotomy.no_show"}]`),
			"/data/events/2/status", `webhook: decode /data/events/2/status: unknown status "collecting_sample.at_home_phlebotomy.no_show"`,
			order.ErrUnknownStatus},
		{"order last_event", "labtest.order.created", phleb(`"last_event": {"id": 9, "status": "on_hold"}`),
			"/data/last_event/status", `webhook: decode /data/last_event/status: unknown status "on_hold"`, order.ErrUnknownStatus},
		{"order transaction", "labtest.order.updated", phleb(`"order_transaction": {"orders": [{"id": "o0"}, {"id": "o1", "low_level_status": "paused"}]}`),
			"/data/order_transaction/orders/1/low_level_status",
			`webhook: decode /data/order_transaction/orders/1/low_level_status: unknown status "paused"`, order.ErrUnknownStatus},
		{"order high-level status", "labtest.order.updated", phleb(`"status": "on_hold"`),
			"/data/status", `webhook: decode /data/status: unknown high-level status "on_hold"`, order.ErrUnknownStatus},
		{"appointment status", "labtest.appointment.updated", []byte(`{"id": "a1", "type": "phlebotomy", "status": "no_show"}`),
			"/data/status", `webhook: decode /data/status: unknown status "no_show"`, appointment.ErrUnknownStatus},
		{"appointment event status", "labtest.appointment.created", []byte(`{"id": "a1", "type": "phlebotomy", "status": "pending", "event_status": "no_show"}`),
			"/data/event_status", `webhook: decode /data/event_status: unknown status "no_show"`, appointment.ErrUnknownStatus},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := Decode(wrap(c.eventType, c.data))
			require.ErrorIs(t, err, ErrUnknownStatus)
			require.ErrorIs(t, err, c.pkgErr)
			assert.NotErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrNotPhlebotomy)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Path)
			assert.EqualError(t, err, c.msg)

			// The rest of the event comes beside the error.
			want := Event{Type: parseType(c.eventType), UserID: envUserID, ClientUserID: envClientUserID, TeamID: envTeamID}
			if want.Type.IsOrder() {
				want.Order = ptr(order.Decode(c.data))
				assert.Equal(t, "o1", e.OrderID())
			} else {
				want.Appointment = ptr(appointment.Decode(c.data))
				assert.Equal(t, "a1", e.Appointment.ID)
			}
			assert.Equal(t, want, e)
		})
	}
}

func TestParse(t *testing.T) {
	v := mustVerifier(vectorSecret)
	at := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	body := acceptedBodies(t)["order updated"]
	want, err := Decode(body)
	require.NoError(t, err)

	t.Run("verified", func(t *testing.T) {
		h := v.Sign("msg_2fY8kQ", at, body)
		e, err := v.Parse(h, body, at.Add(time.Minute))
		require.NoError(t, err)
		assert.Equal(t, "msg_2fY8kQ", e.ID)
		e.ID = ""
		assert.Equal(t, want, e)
	})
	t.Run("standard webhooks headers", func(t *testing.T) {
		s := v.Sign("msg_std", at, body)
		h := http.Header{}
		h.Set("webhook-id", http.Header(s).Get(HeaderID))
		h.Set("webhook-timestamp", http.Header(s).Get(HeaderTimestamp))
		h.Set("webhook-signature", http.Header(s).Get(HeaderSignature))
		e, err := v.Parse(h, body, at)
		require.NoError(t, err)
		assert.Equal(t, "msg_std", e.ID)
	})
	t.Run("verified at now", func(t *testing.T) {
		h := v.Sign("msg_late", at, body)
		_, err := v.Parse(h, body, at.Add(Tolerance+time.Second))
		require.ErrorIs(t, err, ErrStaleTimestamp)
	})
	// An unverified delivery is not decoded: a malformed or ignored body
	// gives the verification error, and a good one the zero Event.
	for name, b := range map[string][]byte{
		"good body":      body,
		"malformed body": []byte(`{"event_type": `),
		"ignored body":   wrap("daily.data.sleep.created", []byte(`{}`)),
	} {
		t.Run("unverified "+name, func(t *testing.T) {
			h := mustVerifier(otherSecret).Sign("msg_x", at, b)
			e, err := v.Parse(h, b, at)
			require.ErrorIs(t, err, ErrUnverified)
			require.ErrorIs(t, err, ErrNoSignature)
			assert.NotErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrNotPhlebotomy)
			assert.True(t, reflect.DeepEqual(e, Event{}), "got %v", e)
		})
	}
	t.Run("verified but malformed", func(t *testing.T) {
		b := []byte(`{"event_type": "labtest.order.updated"}`)
		e, err := v.Parse(v.Sign("msg_m", at, b), b, at)
		require.ErrorIs(t, err, ErrMalformed)
		assert.NotErrorIs(t, err, ErrUnverified)
		assert.Equal(t, Event{ID: "msg_m"}, e, "the id is kept, for logging")
	})
	t.Run("verified but ignored", func(t *testing.T) {
		b := wrap("labtest.result.critical", []byte(`{}`))
		e, err := v.Parse(v.Sign("msg_i", at, b), b, at)
		require.ErrorIs(t, err, ErrNotPhlebotomy)
		assert.Equal(t, Event{ID: "msg_i", UserID: envUserID, ClientUserID: envClientUserID, TeamID: envTeamID}, e)
	})
	t.Run("nil verifier", func(t *testing.T) {
		var nv *Verifier
		e, err := nv.Parse(v.Sign("msg_n", at, body), body, at)
		require.ErrorIs(t, err, ErrNoSignature)
		assert.True(t, reflect.DeepEqual(e, Event{}))
	})
}

// roundTripBodies are bodies with a valid type whose event MarshalJSON
// writes back, accepted or not: the fixtures, the ignored orders and
// appointments, and an order's unknown statuses, which it keeps as text.
// (An appointment keeps no text for an unknown status: its event has the
// zero status, and writes as an appointment without one.)
func roundTripBodies(tb testing.TB) map[string][]byte {
	m := acceptedBodies(tb)
	m["walk-in order"] = wrap("labtest.order.updated", fixture(tb, "order-walk-in.json"))
	m["testkit order"] = wrap("labtest.order.created", fixture(tb, "order-testkit.json"))
	m["on-site order"] = wrap("labtest.order.updated", fixture(tb, "order-on-site.json"))
	m["psc appointment"] = wrap("labtest.appointment.updated", fixture(tb, "appointment-psc.json"))
	m["unknown order status"] = wrap("labtest.order.updated", []byte(`{"id": "o1", "details": {"type": "at_home_phlebotomy"}, "events": [{"id": 1, "status": "x.at_home_phlebotomy.on_hold"}], "status": "paused"}`))
	m["escaped envelope"] = []byte(`{"event_type": "labtest.order.updated", "user_id": "<&>\u2028", "client_user_id": "\"\\", "team_id": "\ud83d\ude00", "data": ` +
		string(fixture(tb, "order-updated.json")) + `}`)
	return m
}

func TestMarshalRoundTrip(t *testing.T) {
	for name, body := range roundTripBodies(t) {
		t.Run(name, func(t *testing.T) {
			e, err := Decode(body)
			e.ID = "msg_kept_apart"
			b, merr := json.Marshal(e)
			require.NoError(t, merr)
			var members map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(b, &members))
			assert.ElementsMatch(t, []string{"event_type", "data", "user_id", "client_user_id", "team_id"}, keys(members))
			assert.Equal(t, `"`+e.Type.String()+`"`, string(members["event_type"]))
			assert.NotContains(t, string(b), "msg_kept_apart", "the id travels in a header, not the body")

			again, err2 := Decode(b)
			assert.Equal(t, err, err2, "the same outcome")
			e.ID = ""
			assert.Equal(t, e, again)

			// json.Unmarshal gives the same, or leaves the event alone.
			u := Event{ID: "msg_1"}
			uerr := json.Unmarshal(b, &u)
			if err != nil {
				require.ErrorIs(t, uerr, firstSentinel(err))
				assert.Equal(t, Event{ID: "msg_1"}, u, "a failed UnmarshalJSON changes nothing")
				return
			}
			require.NoError(t, uerr)
			e.ID = "msg_1"
			assert.Equal(t, e, u, "UnmarshalJSON keeps the id, which the body does not carry")
		})
	}
	// The legacy spelling is written in the current one.
	e, err := Decode(acceptedBodies(t)["appointment update (legacy)"])
	require.NoError(t, err)
	b, err := e.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"event_type":"labtest.appointment.updated"`)
}

func keys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// firstSentinel returns the one of the package's decoding sentinels err
// wraps.
func firstSentinel(err error) error {
	for _, s := range []error{ErrMalformed, ErrUnknownStatus, ErrNotPhlebotomy} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

func TestUnmarshalJSON(t *testing.T) {
	body := acceptedBodies(t)["order updated"]
	want, err := Decode(body)
	require.NoError(t, err)

	var e Event
	require.NoError(t, json.Unmarshal(body, &e))
	assert.Equal(t, want, e)

	e = Event{ID: "msg_1", UserID: "kept"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &e), "null leaves the event alone")
	assert.Equal(t, Event{ID: "msg_1", UserID: "kept"}, e)
	require.NoError(t, e.UnmarshalJSON([]byte(" null\n")))
	assert.Equal(t, Event{ID: "msg_1", UserID: "kept"}, e)

	for _, c := range malformedCases(t)[:8] {
		err := e.UnmarshalJSON([]byte(c.body))
		if c.body == "null" {
			require.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, ErrMalformed, c.name)
		assert.Equal(t, Event{ID: "msg_1", UserID: "kept"}, e, c.name)
	}

	var nilEvent *Event
	require.ErrorIs(t, nilEvent.UnmarshalJSON(body), ErrMalformed, "a nil event cannot be written")
	require.NoError(t, nilEvent.UnmarshalJSON([]byte("null")))

	// An event inside a stored value.
	type stored struct {
		Events []Event `json:"events"`
	}
	var s stored
	require.NoError(t, json.Unmarshal([]byte(`{"events": [`+string(body)+`, `+string(acceptedBodies(t)["appointment webhook"])+`]}`), &s))
	require.Len(t, s.Events, 2)
	assert.Equal(t, want, s.Events[0])
	assert.Equal(t, AppointmentUpdated, s.Events[1].Type)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var s2 stored
	require.NoError(t, json.Unmarshal(b, &s2))
	assert.Equal(t, s, s2)
}

func TestMarshalErrors(t *testing.T) {
	o := mustOrder(t, fixture(t, "order-updated.json"))
	a := mustAppointment(t, appointmentData(t))
	badOrder := *o
	badOrder.History = append([]order.HistoryEntry(nil), o.History...)
	badOrder.History[1].Status = order.Status(99)
	badTime := *o
	badTime.CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	badAppt := *a
	badAppt.Location.Lat = math.NaN()
	badApptStatus := *a
	badApptStatus.Status = appointment.Status(42)
	for _, c := range []struct {
		name    string
		e       Event
		field   string
		wrapped []error // besides the package's sentinel
		want    error   // the package's sentinel
		msg     string
	}{
		{"zero event", Event{}, "/event_type", []error{ErrUnknownType}, ErrMalformed,
			`webhook: encode /event_type: unknown event type "webhook.Type(0)"`},
		{"type out of range", Event{Type: AppointmentUpdated + 1, Order: o}, "/event_type", []error{ErrUnknownType}, ErrMalformed,
			`webhook: encode /event_type: unknown event type "webhook.Type(5)"`},
		{"order status", Event{Type: OrderUpdated, Order: &badOrder}, "/data/events/1/status", []error{order.ErrUnknownStatus}, ErrUnknownStatus,
			`webhook: encode /data/events/1/status: unknown status "order.Status(99)"`},
		{"order time", Event{Type: OrderCreated, Order: &badTime}, "/data/created_at", []error{order.ErrMalformed}, ErrMalformed,
			`webhook: encode /data/created_at: malformed time "10000-01-01 00:00:00 +0000 UTC"`},
		{"appointment location", Event{Type: AppointmentUpdated, Appointment: &badAppt}, "/data/location/lat", []error{appointment.ErrMalformed}, ErrMalformed,
			`webhook: encode /data/location/lat: unsupported value: NaN`},
		{"appointment status", Event{Type: AppointmentCreated, Appointment: &badApptStatus}, "/data/status", []error{appointment.ErrUnknownStatus}, ErrUnknownStatus,
			`webhook: encode /data/status: unknown status "appointment.Status(42)"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.e)
			assert.Nil(t, b)
			require.ErrorIs(t, err, c.want)
			for _, w := range c.wrapped {
				require.ErrorIs(t, err, w)
			}
			for _, other := range []error{ErrMalformed, ErrUnknownStatus} {
				if other != c.want {
					assert.NotErrorIs(t, err, other)
				}
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "encode", de.Op)
			assert.Equal(t, c.field, de.Path)
			_, err = c.e.MarshalJSON()
			assert.EqualError(t, err, c.msg)
		})
	}
}

// ptr returns a pointer to v, whatever err is: what a decoder returned
// beside its error.
func ptr[T any](v T, _ error) *T { return &v }
