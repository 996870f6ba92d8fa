package junction_test

import (
	"os"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
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
