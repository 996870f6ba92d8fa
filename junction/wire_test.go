package junction_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

func ptr[T any](v T) *T { return &v }

var (
	ada = order.Patient{FirstName: "Ada", LastName: "Lovelace", DOB: order.Date{Year: 1990, Month: time.June, Day: 15},
		Gender: "female", PhoneNumber: "+16025550123", Email: "ada@example.com"}
	home = order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004", Country: "US",
		AccessNotes: "gate code 1234"}
)

func TestCreateOrderRequestJSON(t *testing.T) {
	r := junction.CreateOrderRequest{UserID: "u", LabTestID: "lt", Patient: &ada, Address: &home,
		CollectionMethod: order.ModalityAtHomePhlebotomy}
	b, err := json.Marshal(r, json.Deterministic(true))
	require.NoError(t, err)
	assert.JSONEq(t, `{"user_id":"u","lab_test_id":"lt","collection_method":"at_home_phlebotomy",
		"patient_details":{"dob":"1990-06-15","gender":"female","first_name":"Ada","last_name":"Lovelace",
		"phone_number":"+16025550123","email":"ada@example.com"},
		"patient_address":{"first_line":"123 Main St.","city":"Phoenix","state":"AZ","zip":"85004","country":"US",
		"access_notes":"gate code 1234"}}`, string(b))
	var back junction.CreateOrderRequest
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)

	var empty junction.CreateOrderRequest
	require.NoError(t, json.Unmarshal([]byte(`{"patient_details":null}`), &empty))
	assert.Nil(t, empty.Patient)
	assert.Nil(t, empty.Address)
}

func TestAvailabilityJSON(t *testing.T) {
	in := `{"slots":[{"date":"2026-11-25","slots":[{"booking_key":"bk_1","start":"2026-11-25T15:00:00",
		"end":"2026-11-25T17:00:00Z","expires_at":null,"price":0,"is_priority":false,"num_appointments_available":1}]}],
		"timezone":"America/Phoenix"}`
	var av junction.Availability
	require.NoError(t, json.Unmarshal([]byte(in), &av))
	s := av.Slots[0].Slots[0]
	assert.Equal(t, time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), s.Start)
	assert.True(t, s.ExpiresAt.IsZero())
	b, err := json.Marshal(av)
	require.NoError(t, err)
	var back junction.Availability
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, av, back)
}

func TestBodiesJSON(t *testing.T) {
	b, err := json.Marshal(junction.BookRequest{BookingKey: "k", SyncConfirmationTimeoutMS: ptr[int64](2000)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"booking_key":"k","sync_confirmation_timeout_millisecond":2000}`, string(b))
	b, err = json.Marshal(junction.RequestAppointmentRequest{Address: &home, Provider: provider.Phlebfinders})
	require.NoError(t, err)
	assert.JSONEq(t, `{"address":{"first_line":"123 Main St.","city":"Phoenix","state":"AZ","zip_code":"85004",
		"country":"US","access_notes":"gate code 1234"},"provider":"phlebfinders"}`, string(b))
	var r junction.RequestAppointmentRequest
	require.NoError(t, json.Unmarshal([]byte(`{}`), &r))
	assert.Equal(t, junction.RequestAppointmentRequest{}, r)
}

func TestOrderResponseFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/order-imported.json")
	require.NoError(t, err)
	var r junction.OrderResponse
	require.NoError(t, json.Unmarshal(data, &r))
	assert.Equal(t, "requisition_bypassed", r.Order.Status().String())
}

func TestErrorBody(t *testing.T) {
	b, err := junction.DecodeErrorBody([]byte(`{"detail":[{"loc":["body","slots",0],"msg":"field required","type":"value_error.missing","input":"secret"}]}`))
	require.NoError(t, err)
	assert.Equal(t, "body.slots.0: field required", b.Detail.String())
	out, err := json.Marshal(b)
	require.NoError(t, err)
	assert.JSONEq(t, `{"detail":[{"loc":["body","slots",0],"msg":"field required","type":"value_error.missing"}]}`, string(out))
	b, err = junction.DecodeErrorBody([]byte(`{"detail":"Order not found"}`))
	require.NoError(t, err)
	assert.Equal(t, "Order not found", b.Detail.Message)
}

func TestNilDestinations(t *testing.T) {
	for _, v := range []interface {
		UnmarshalJSONFrom(*jsontext.Decoder) error
	}{(*junction.Detail)(nil), (*junction.Problem)(nil), (*junction.CreateOrderRequest)(nil), (*junction.TimeSlot)(nil)} {
		err := v.UnmarshalJSONFrom(jsontext.NewDecoder(strings.NewReader(`{}`)))
		assert.ErrorIs(t, err, junction.ErrMalformed, "%T", v)
	}
}

func TestTimeSlotJSON(t *testing.T) {
	s := junction.TimeSlot{Start: time.Date(2026, 11, 25, 15, 0, 0, 0, time.FixedZone("MST", -7*3600)),
		End: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), Price: 12.5, IsPriority: true, NumAppointmentsAvailable: 3}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `{"booking_key":null,"start":"2026-11-25T22:00:00Z","end":"2026-11-25T17:00:00Z","expires_at":null,`+
		`"price":12.5,"is_priority":true,"num_appointments_available":3}`, string(b))
	s.BookingKey, s.ExpiresAt = "bk", time.Date(2026, 11, 23, 9, 15, 0, 0, time.UTC)
	b, err = json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"booking_key":"bk"`)
	assert.Contains(t, string(b), `"expires_at":"2026-11-23T09:15:00Z"`)
	var back junction.TimeSlot
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s.Start.UTC(), back.Start)
	assert.Equal(t, s.ExpiresAt, back.ExpiresAt)
	assert.Equal(t, "bk", back.BookingKey)

	for _, in := range []string{`{"start": "tomorrow"}`, `{"end": "2026-13-01T00:00:00Z"}`, `{"expires_at": "x"}`, `{"start": 5}`, `[]`} {
		keep := junction.TimeSlot{BookingKey: "keep"}
		err := json.Unmarshal([]byte(in), &keep)
		assert.Error(t, err, in)
		assert.Equal(t, "keep", keep.BookingKey, "a failed decode changes nothing: %s", in)
	}
	var av junction.Availability
	err = json.Unmarshal([]byte(`{"slots":[{"date":"2026-11-25","slots":[{"start":"x"}]}]}`), &av)
	var se *json.SemanticError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, jsontext.Pointer("/slots/0/slots/0/start"), se.JSONPointer)
	require.NoError(t, json.Unmarshal([]byte(`{"slots":[{"date":"2026-11-25","location":{"code":"PSC 1"},"slots":[]}],"timezone":null}`), &av))
	assert.JSONEq(t, `{"code":"PSC 1"}`, string(av.Slots[0].Location))
	b, err = json.Marshal(junction.Availability{})
	require.NoError(t, err)
	assert.Equal(t, `{"slots":[]}`, string(b))
}

func TestCreateOrderAddressForms(t *testing.T) {
	a := home
	a.Unit, a.ReceiverName, a.PhoneNumber = "Apt 4", "Ada", "+16025550123"
	b, err := json.Marshal(junction.CreateOrderRequest{UserID: "u", Address: &a, ActivateBy: order.Date{Year: 2026, Month: 12, Day: 1}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"user_id":"u","patient_details":null,"activate_by":"2026-12-01",
		"patient_address":{"receiver_name":"Ada","first_line":"123 Main St.","second_line":"Apt 4","city":"Phoenix","state":"AZ",
		"zip":"85004","country":"US","access_notes":"gate code 1234","phone_number":"+16025550123"}}`, string(b))
	var r junction.CreateOrderRequest
	require.NoError(t, json.Unmarshal([]byte(`{"patient_address":{"zip_code":"85004"}}`), &r))
	assert.Equal(t, "85004", r.Address.ZipCode)
	keep := junction.CreateOrderRequest{UserID: "keep"}
	assert.Error(t, json.Unmarshal([]byte(`{"user_id": 5}`), &keep))
	assert.Equal(t, "keep", keep.UserID)
	b, err = json.Marshal(junction.CreateOrderRequest{})
	require.NoError(t, err)
	assert.Equal(t, `{"user_id":"","patient_details":null,"patient_address":null}`, string(b))
}

func TestDetailDecodeKeepsOnError(t *testing.T) {
	d := junction.Detail{Message: "keep"}
	for _, in := range []string{`[{"msg": 5}]`, `"unterminated`, `{"a":`} {
		assert.Error(t, json.Unmarshal([]byte(in), &d), in)
		assert.Equal(t, junction.Detail{Message: "keep"}, d)
	}
	p := junction.Problem{Msg: "keep"}
	assert.Error(t, json.Unmarshal([]byte(`{"loc": "body"}`), &p))
	assert.Error(t, json.Unmarshal([]byte(`{"loc": ["\ud800"]}`), &p))
	assert.Equal(t, junction.Problem{Msg: "keep"}, p)
	require.NoError(t, json.Unmarshal([]byte(`{"loc": null, "msg": "m"}`), &p))
	assert.Nil(t, p.Loc)
	require.NoError(t, json.Unmarshal([]byte(`{"loc": ["a\u00e9", -3]}`), &p))
	assert.Equal(t, []any{"aé", -3}, p.Loc)
}
