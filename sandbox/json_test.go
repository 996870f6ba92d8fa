package sandbox

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// Valid bodies of each request, the seeds of the fuzz tests.
const (
	validCreateOrder = `{"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227", "lab_test_id": "d0b479ec-afcc-4763-985c-4e23f17149f5",
	 "collection_method": "at_home_phlebotomy", "activate_by": "2026-12-01", "priority": false, "icd_codes": ["Z00.00"],
	 "patient_details": {"first_name": "John", "last_name": "Doe", "dob": "1990-01-01T00:00:00+00:00", "gender": "male",
	  "phone_number": "+11231234123", "email": "john@example.com", "race": null},
	 "patient_address": {"receiver_name": "John Doe", "first_line": "123 Main Street", "second_line": null, "city": "Phoenix",
	  "state": "AZ", "zip": "85004", "country": "US", "phone_number": "+11231234123", "access_notes": "Gate code #1234"}}`
	validAddress = `{"first_line": "123 West Lincoln Street", "second_line": "", "city": "Phoenix", "state": "AZ",
	 "zip_code": "85004", "unit": "14", "access_notes": "Gate code #1234, use side entrance"}`
	validBook = `{"booking_key": "bk_1", "appointment_notes": "Please bring photo ID", "async_confirmation": true,
	 "sync_confirmation_timeout_millisecond": 2500, "async_confirmation_timeout_millisecond": 60000}`
	validReschedule = `{"booking_key": "bk_2", "appointment_notes": "Patient prefers left arm"}`
	validRequest    = `{"address": {"first_line": "456 Main Street", "city": "Onalaska", "state": "WI", "zip_code": "54650"},
	 "provider": "phlebfinders", "appointment_notes": "Call on arrival"}`
	validCancel = `{"cancellation_reason_id": "796da8c8-e654-4347-8ded-1026410c1976", "notes": "moved away"}`
)

// locs returns each problem's location, joined with dots.
func locs(ps problems) []string {
	var out []string
	for _, p := range ps {
		var parts []string
		for _, l := range p.Loc {
			b, _ := json.Marshal(l)
			parts = append(parts, strings.Trim(string(b), `"`))
		}
		out = append(out, strings.Join(parts, "."))
	}
	return out
}

func TestDecodeCreateOrder(t *testing.T) {
	c, ps := decodeCreateOrder([]byte(validCreateOrder))
	if ps != nil {
		t.Fatal(ps)
	}
	want := junction.CreateOrderRequest{
		UserID: "202b2c2f-fb4c-44dc-a4f8-621186fde227", LabTestID: LabTestAtHomePhlebotomy, CollectionMethod: "at_home_phlebotomy",
		Patient: &order.Patient{DOB: order.Date{Year: 1990, Month: 1, Day: 1}, Gender: "male", FirstName: "John", LastName: "Doe",
			PhoneNumber: "+11231234123", Email: "john@example.com"},
		Address: &order.Address{ReceiverName: "John Doe", FirstLine: "123 Main Street", City: "Phoenix", State: "AZ",
			ZipCode: "85004", Country: "US", PhoneNumber: "+11231234123", AccessNotes: "Gate code #1234"},
		ActivateBy: order.Date{Year: 2026, Month: 12, Day: 1},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("decoded %+v\nwant %+v", c, want)
	}
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"empty", "", []string{"body"}},
		{"white space", " \n\t", []string{"body"}},
		{"null", "null", []string{"body"}},
		{"array", "[]", []string{"body"}},
		{"not JSON", "{x", []string{"body"}},
		{"trailing data", "{} {}", []string{"body"}},
		{"empty object", "{}", []string{"body.user_id", "body.lab_test_id", "body.patient_details", "body.patient_address"}},
		{"wrong type", `{"patient_details": {"dob": 19900101}}`, []string{"body.patient_details.dob"}},
		{"nested missing", `{"user_id": "u", "lab_test_id": "l", "patient_details": {}, "patient_address": null}`,
			[]string{"body.user_id", "body.patient_details.first_name", "body.patient_details.last_name", "body.patient_details.dob",
				"body.patient_details.gender", "body.patient_details.phone_number", "body.patient_details.email",
				"body.patient_address"}},
		{"bad dates", `{"user_id": "u", "lab_test_id": "l", "activate_by": "2026-13-01",
		  "patient_details": {"first_name": "a", "last_name": "b", "dob": "1990-02-30", "gender": "g", "phone_number": "p", "email": "e"},
		  "patient_address": {"first_line": "1 A", "city": "c", "state": "s", "zip": "z", "country": "US", "access_notes": "` +
			strings.Repeat("n", 1001) + `"}}`,
			[]string{"body.activate_by"}}, // the first fault: decoding stops there
		{"long access notes", `{"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227", "lab_test_id": "l",
		  "patient_details": {"first_name": "a", "last_name": "b", "dob": "1990-02-03", "gender": "g", "phone_number": "p", "email": "e"},
		  "patient_address": {"first_line": "1 A", "city": "c", "state": "s", "zip": "85004", "country": "US", "access_notes": "` +
			strings.Repeat("n", 1001) + `"}}`, []string{"body.patient_address.access_notes"}},
		{"user not a UUID, zip not a zip", `{"user_id": "u", "lab_test_id": "l",
		  "patient_details": {"first_name": "a", "last_name": "b", "dob": "1990-02-03", "gender": "g", "phone_number": "p", "email": "e"},
		  "patient_address": {"first_line": "1 A", "city": "c", "state": "s", "zip": "8500", "country": "US"}}`,
			[]string{"body.user_id", "body.patient_address.zip"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ps := decodeCreateOrder([]byte(tc.body))
			if got := locs(ps); !slices.Equal(got, tc.want) {
				t.Fatalf("problems at %v, want %v (%v)", got, tc.want, ps)
			}
			if !reflect.DeepEqual(c, junction.CreateOrderRequest{}) {
				t.Fatalf("refused body decoded to %+v", c)
			}
		})
	}
}

func TestDecodeAddress(t *testing.T) {
	a, ps := decodeAddress([]byte(validAddress))
	want := order.Address{FirstLine: "123 West Lincoln Street", City: "Phoenix", State: "AZ", ZipCode: "85004",
		Unit: "14", AccessNotes: "Gate code #1234, use side entrance"}
	if ps != nil || a != want {
		t.Fatalf("decoded %+v, %v", a, ps)
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"", []string{"body"}},
		{"null", []string{"body"}},
		{"[]", []string{"body"}},
		{"{}", []string{"body.first_line", "body.city", "body.state", "body.zip_code"}},
		{`{"first_line": 1}`, []string{"body.first_line"}},
		{`{"first_line": "1 A", "city": "c", "state": "s", "zip_code": "z", "access_notes": "` + strings.Repeat("n", 1001) + `"}`,
			[]string{"body.access_notes"}},
	} {
		if _, ps := decodeAddress([]byte(tc.body)); !slices.Equal(locs(ps), tc.want) {
			t.Errorf("%q: problems at %v, want %v", tc.body, locs(ps), tc.want)
		}
	}
}

func TestDecodeBook(t *testing.T) {
	b, ps := decodeBook([]byte(validBook))
	if ps != nil || !reflect.DeepEqual(b, junction.BookRequest{BookingKey: "bk_1", AppointmentNotes: "Please bring photo ID",
		AsyncConfirmation: true, SyncConfirmationTimeoutMS: new(int64(2500)), AsyncConfirmationTimeoutMS: new(int64(60000))}) {
		t.Fatalf("decoded %+v, %v", b, ps)
	}
	b, ps = decodeBook([]byte(`{"booking_key": "k", "sync_confirmation_timeout_millisecond": null, "async_confirmation_timeout_millisecond": null}`))
	if ps != nil || !reflect.DeepEqual(b, junction.BookRequest{BookingKey: "k", SyncConfirmationTimeoutMS: new(int64(2500)),
		AsyncConfirmationTimeoutMS: new(int64(900_000))}) {
		t.Fatalf("defaults: %+v, %v", b, ps)
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"{}", []string{"body.booking_key"}},
		{`{"booking_key": "k", "sync_confirmation_timeout_millisecond": 1000, "async_confirmation_timeout_millisecond": 172800000}`, nil},
		{`{"booking_key": "k", "sync_confirmation_timeout_millisecond": 10001, "async_confirmation_timeout_millisecond": 59999}`,
			[]string{"body.sync_confirmation_timeout_millisecond", "body.async_confirmation_timeout_millisecond"}},
		{`{"booking_key": "k", "sync_confirmation_timeout_millisecond": 999}`, []string{"body.sync_confirmation_timeout_millisecond"}},
		{`{"booking_key": "k", "async_confirmation_timeout_millisecond": 172800001}`, []string{"body.async_confirmation_timeout_millisecond"}},
		{`{"booking_key": "k", "sync_confirmation_timeout_millisecond": 1.5}`, []string{"body.sync_confirmation_timeout_millisecond"}},
		{`{"booking_key": "k", "async_confirmation": "yes"}`, []string{"body.async_confirmation"}},
		{`{"booking_key": "k", "appointment_notes": "` + strings.Repeat("é", 1001) + `"}`, []string{"body.appointment_notes"}},
		{`{"booking_key": "k", "appointment_notes": "` + strings.Repeat("é", 1000) + `"}`, nil},
	} {
		if _, ps := decodeBook([]byte(tc.body)); !slices.Equal(locs(ps), tc.want) {
			t.Errorf("%.80q: problems at %v, want %v", tc.body, locs(ps), tc.want)
		}
	}
}

func TestDecodeReschedule(t *testing.T) {
	q, ps := decodeReschedule([]byte(validReschedule))
	if ps != nil || q != (junction.RescheduleRequest{BookingKey: "bk_2", AppointmentNotes: "Patient prefers left arm"}) {
		t.Fatalf("decoded %+v, %v", q, ps)
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"{}", []string{"body.booking_key"}},
		{`{"booking_key": ""}`, []string{"body.booking_key"}},
		{`{"booking_key": "k", "appointment_notes": "` + strings.Repeat("x", 1001) + `"}`, []string{"body.appointment_notes"}},
		{`"k"`, []string{"body"}},
	} {
		if _, ps := decodeReschedule([]byte(tc.body)); !slices.Equal(locs(ps), tc.want) {
			t.Errorf("%.80q: problems at %v, want %v", tc.body, locs(ps), tc.want)
		}
	}
}

func TestDecodeRequest(t *testing.T) {
	q, ps := decodeRequest([]byte(validRequest))
	want := junction.RequestAppointmentRequest{Address: &order.Address{FirstLine: "456 Main Street", City: "Onalaska", State: "WI",
		ZipCode: "54650"}, Provider: provider.Phlebfinders, AppointmentNotes: "Call on arrival"}
	if ps != nil || !reflect.DeepEqual(q, want) {
		t.Fatalf("decoded %+v, %v", q, ps)
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"{}", []string{"body.address", "body.provider"}},
		{`{"address": {}, "provider": "acme"}`, []string{"body.provider"}},
		{`{"address": {}}`, []string{"body.address.first_line", "body.address.city", "body.address.state",
			"body.address.zip_code", "body.provider"}},
		{`{"address": [], "provider": "phlebfinders"}`, []string{"body.address"}},
		{`{"address": {"first_line": "1 A", "city": "c", "state": "s", "zip_code": "z"}, "provider": "quest",
		  "appointment_notes": "` + strings.Repeat("x", 1001) + `"}`, []string{"body.provider"}},
		{`{"address": {"first_line": "1 A", "city": "c", "state": "s", "zip_code": "z"}, "provider": "getlabs",
		  "appointment_notes": "` + strings.Repeat("x", 1001) + `"}`, []string{"body.appointment_notes"}},
	} {
		if _, ps := decodeRequest([]byte(tc.body)); !slices.Equal(locs(ps), tc.want) {
			t.Errorf("%.80q: problems at %v, want %v", tc.body, locs(ps), tc.want)
		}
	}
}

func TestDecodeCancel(t *testing.T) {
	q, ps := decodeCancel([]byte(validCancel))
	if ps != nil || q != (junction.CancelAppointmentRequest{CancellationReasonID: "796da8c8-e654-4347-8ded-1026410c1976", Notes: "moved away"}) {
		t.Fatalf("decoded %+v, %v", q, ps)
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"{}", []string{"body.cancellation_reason_id"}},
		{`{"cancellation_reason_id": "r", "notes": "` + strings.Repeat("x", 1001) + `"}`, []string{"body.notes"}},
		{`{"cancellation_reason_id": "r", "notes": false}`, []string{"body.notes"}},
	} {
		if _, ps := decodeCancel([]byte(tc.body)); !slices.Equal(locs(ps), tc.want) {
			t.Errorf("%.80q: problems at %v, want %v", tc.body, locs(ps), tc.want)
		}
	}
}

func TestDecodeSimulationFlags(t *testing.T) {
	for body, want := range map[string][]string{
		"": nil, "null": nil, `{"interpretation": "abnormal", "result_types": ["numeric"]}`: nil,
		"[]": {"body"}, "1": {"body"}, "{": {"body"}, "{} x": {"body"},
	} {
		if got := locs(decodeSimulationFlags([]byte(body))); !slices.Equal(got, want) {
			t.Errorf("%q: problems at %v, want %v", body, got, want)
		}
	}
}

// TestDecodeFaults checks where and how each kind of fault is reported:
// JSON that does not parse (a repeated member, invalid UTF-8 included),
// a body that is not an object, a member of the wrong type, a value a
// domain type refuses.
func TestDecodeFaults(t *testing.T) {
	for _, tc := range []struct {
		body, loc, typ string
	}{
		{`{"booking_key": "k", "booking_key": "l"}`, "body", "value_error.jsondecode"},
		{"{\"booking_key\": \"\xff\"}", "body", "value_error.jsondecode"},
		{`[1,`, "body", "type_error.dict"},
		{`"k"`, "body", "type_error.dict"},
		{`{"booking_key": 1}`, "body.booking_key", "type_error.str"},
		{`{"async_confirmation": "yes"}`, "body.async_confirmation", "type_error.bool"},
		{`{"sync_confirmation_timeout_millisecond": "1"}`, "body.sync_confirmation_timeout_millisecond", "type_error.integer"},
		{`{"sync_confirmation_timeout_millisecond": 1.5}`, "body.sync_confirmation_timeout_millisecond", "type_error.integer"},
		{`{"address": []}`, "body.address", "type_error.dict"},
		{`{"address": {"zip": "85004", "zip_code": "54650"}}`, "body.address", "value_error"},
		{`{"patient_details": {"dob": "1990-02-30"}}`, "body.patient_details.dob", "value_error.date"},
		{`{"provider": "acme"}`, "body.provider", "type_error.enum"},
		{`{"list": ["a", 1]}`, "body.list.1", "type_error.str"},
		{`{"list": [0]}`, "body.list.0", "type_error.str"},
	} {
		var in struct {
			junction.BookRequest
			Address  *order.Address    `json:"address"`
			Patient  *order.Patient    `json:"patient_details"`
			Provider provider.Provider `json:"provider"`
			List     []string          `json:"list"`
		}
		ps := decodeBody([]byte(tc.body), &in)
		if len(ps) != 1 || locs(ps)[0] != tc.loc || ps[0].Type != tc.typ || ps[0].Msg == "" ||
			tc.loc == "body.list.1" && ps[0].Loc[2] != 1 || tc.loc == "body.list.0" && ps[0].Loc[2] != 0 {
			t.Errorf("%q: %+v, want one at %s of type %s", tc.body, ps, tc.loc, tc.typ)
		}
	}
	if name, _ := typeError(nil); name != "dict" {
		t.Error("typeError(nil)")
	}
}

// wire writes a decoded request back as a body, for the round trips of
// the fuzz tests.
func wire(v any) []byte {
	b, err := jsonv2.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func addressBody(a order.Address) map[string]any {
	return map[string]any{"first_line": a.FirstLine, "second_line": a.SecondLine, "city": a.City, "state": a.State,
		"zip_code": a.ZipCode, "unit": a.Unit, "access_notes": a.AccessNotes, "receiver_name": a.ReceiverName,
		"country": a.Country, "phone_number": a.PhoneNumber}
}
