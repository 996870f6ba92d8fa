package order

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// phleb wraps order members in an at-home phlebotomy order.
func phleb(members string) string {
	if members != "" {
		members = ", " + members
	}
	return `{"details": {"type": "at_home_phlebotomy"}` + members + `}`
}

// decodeCases are inputs that Decode refuses, with the path of the value at
// fault and the sentinel the error wraps.
var decodeCases = []struct {
	name, data, field string
	unknown           bool // the error wraps ErrUnknownStatus, not ErrMalformed
	msg               string
}{
	// The document.
	{name: "empty", data: ``, msg: "order: decode: unexpected end of JSON input"},
	{name: "not JSON", data: `x`},
	{name: "array", data: `[]`, msg: "order: decode: cannot read array as object"},
	{name: "string", data: `"order"`},
	{name: "unterminated", data: `{"id": "a"`},
	{name: "trailing", data: `{} {}`},
	{name: "bad member", data: `{"physician": {"npi": tru}}`, field: "/physician/npi"},
	{name: "bad key", data: `{"id" "a"}`, field: "/id"},
	// Scalars of the order.
	{name: "id", data: `{"id": 1}`, field: "/id", msg: "order: decode /id: cannot read number as string"},
	{name: "team_id", data: `{"team_id": {}}`, field: "/team_id"},
	{name: "user_id", data: `{"user_id": []}`, field: "/user_id"},
	{name: "sample_id", data: `{"sample_id": 123}`, field: "/sample_id"},
	{name: "notes", data: `{"notes": false}`, field: "/notes"},
	{name: "created_at type", data: `{"created_at": 0}`, field: "/created_at"},
	{name: "created_at", data: `{"created_at": "2020-01-01"}`, field: "/created_at",
		msg: `order: decode /created_at: malformed time "2020-01-01"`},
	{name: "updated_at", data: `{"updated_at": "yesterday"}`, field: "/updated_at"},
	{name: "status type", data: `{"status": 1}`, field: "/status"},
	{name: "activate_by", data: `{"activate_by": "2024-02-30"}`, field: "/activate_by",
		msg: `order: decode /activate_by: malformed date "2024-02-30"`},
	{name: "activate_by type", data: `{"activate_by": 20240201}`, field: "/activate_by"},
	{name: "origin", data: `{"origin": 1}`, field: "/origin"},
	// patient_details.
	{name: "patient_details", data: `{"patient_details": "John"}`, field: "/patient_details"},
	{name: "dob", data: `{"patient_details": {"dob": "1990-01-32"}}`, field: "/patient_details/dob"},
	{name: "dob type", data: `{"patient_details": {"dob": 1990}}`, field: "/patient_details/dob"},
	{name: "gender", data: `{"patient_details": {"gender": 1}}`, field: "/patient_details/gender"},
	{name: "first_name", data: `{"patient_details": {"first_name": 1}}`, field: "/patient_details/first_name"},
	{name: "last_name", data: `{"patient_details": {"last_name": 1}}`, field: "/patient_details/last_name"},
	{name: "patient phone_number", data: `{"patient_details": {"phone_number": 1}}`, field: "/patient_details/phone_number"},
	{name: "email", data: `{"patient_details": {"email": 1}}`, field: "/patient_details/email"},
	{name: "patient other", data: `{"patient_details": {"x": [}}`, field: "/patient_details/x/0"},
	// patient_address.
	{name: "patient_address", data: `{"patient_address": []}`, field: "/patient_address"},
	{name: "receiver_name", data: `{"patient_address": {"receiver_name": 1}}`, field: "/patient_address/receiver_name"},
	{name: "first_line", data: `{"patient_address": {"first_line": 1}}`, field: "/patient_address/first_line"},
	{name: "second_line", data: `{"patient_address": {"second_line": 1}}`, field: "/patient_address/second_line"},
	{name: "city", data: `{"patient_address": {"city": 1}}`, field: "/patient_address/city"},
	{name: "state", data: `{"patient_address": {"state": 1}}`, field: "/patient_address/state"},
	{name: "zip", data: `{"patient_address": {"zip": 91189}}`, field: "/patient_address/zip"},
	{name: "country", data: `{"patient_address": {"country": 1}}`, field: "/patient_address/country"},
	{name: "address phone_number", data: `{"patient_address": {"phone_number": 1}}`, field: "/patient_address/phone_number"},
	{name: "address other", data: `{"patient_address": {"zip_code": tru}}`, field: "/patient_address/zip_code"},
	// lab_test.
	{name: "lab_test", data: `{"lab_test": 1}`, field: "/lab_test"},
	{name: "lab_test id", data: `{"lab_test": {"id": 1}}`, field: "/lab_test/id"},
	{name: "slug", data: `{"lab_test": {"slug": 1}}`, field: "/lab_test/slug"},
	{name: "name", data: `{"lab_test": {"name": 1}}`, field: "/lab_test/name"},
	{name: "sample_type", data: `{"lab_test": {"sample_type": 1}}`, field: "/lab_test/sample_type"},
	{name: "method", data: `{"lab_test": {"method": 1}}`, field: "/lab_test/method"},
	{name: "fasting", data: `{"lab_test": {"fasting": "no"}}`, field: "/lab_test/fasting"},
	{name: "lab_test other", data: `{"lab_test": {"price": 1.}}`, field: "/lab_test/price"},
	// details.
	{name: "details", data: `{"details": "at_home_phlebotomy"}`, field: "/details"},
	{name: "details.type", data: `{"details": {"type": 1}}`, field: "/details/type"},
	{name: "details other", data: `{"details": {"x": nul}}`, field: "/details/x"},
	{name: "details.data syntax", data: `{"details": {"type": "walk_in_test", "data": {"id": }}}`, field: "/details/data/id"},
	{name: "details.data", data: `{"details": {"type": "at_home_phlebotomy", "data": []}}`, field: "/details/data"},
	{name: "details.data.id", data: `{"details": {"type": "at_home_phlebotomy", "data": {"id": 1}}}`, field: "/details/data/id"},
	{name: "appointment_id", data: `{"details": {"type": "at_home_phlebotomy", "data": {"appointment_id": 1}}}`,
		field: "/details/data/appointment_id"},
	{name: "details.data.created_at", data: `{"details": {"type": "at_home_phlebotomy", "data": {"created_at": "x"}}}`,
		field: "/details/data/created_at", msg: `order: decode /details/data/created_at: malformed time "x"`},
	{name: "details.data.updated_at", data: `{"details": {"type": "at_home_phlebotomy", "data": {"updated_at": 1}}}`,
		field: "/details/data/updated_at"},
	{name: "details.data before type", data: `{"details": {"data": {"created_at": "x"}, "type": "at_home_phlebotomy"}}`,
		field: "/details/data/created_at"},
	{name: "details.data fault after another", data: `{"details": {"type": "at_home_phlebotomy", "data": {"shipment": {}, "id": 5}}}`,
		field: "/details/data/id"},
	// events.
	{name: "events", data: `{"events": {}}`, field: "/events"},
	{name: "events element", data: `{"events": [{}, 1]}`, field: "/events/1"},
	{name: "events id", data: `{"events": [{"id": "1"}]}`, field: "/events/0/id"},
	{name: "events id fraction", data: `{"events": [{"id": 1.5}]}`, field: "/events/0/id",
		msg: "order: decode /events/0/id: cannot read number 1.5 as int64"},
	{name: "events id too big", data: `{"events": [{"id": 9223372036854775808}]}`, field: "/events/0/id"},
	{name: "events created_at", data: `{"events": [{}, {}, {"created_at": "2022-01-01 00:00:00"}]}`, field: "/events/2/created_at"},
	{name: "events status", data: `{"events": [{"status": 1}]}`, field: "/events/0/status"},
	{name: "events status_detail", data: `{"events": [{"status_detail": 1}]}`, field: "/events/0/status_detail"},
	{name: "events other", data: `{"events": [{"data": [1,]}]}`, field: "/events/0/data"},
	{name: "events trailing comma", data: `{"events": [{},]}`, field: "/events"},
	{name: "events first element", data: `{"events": [1]}`, field: "/events/0"},
	// last_event.
	{name: "last_event", data: `{"last_event": []}`, field: "/last_event"},
	{name: "last_event id", data: `{"last_event": {"id": true}}`, field: "/last_event/id"},
	{name: "last_event created_at", data: `{"last_event": {"created_at": "x"}}`, field: "/last_event/created_at"},
	{name: "last_event status", data: `{"last_event": {"status": {}}}`, field: "/last_event/status"},
	// order_transaction.
	{name: "order_transaction", data: `{"order_transaction": "x"}`, field: "/order_transaction"},
	{name: "order_transaction id", data: `{"order_transaction": {"id": 1}}`, field: "/order_transaction/id"},
	{name: "order_transaction status", data: `{"order_transaction": {"status": 1}}`, field: "/order_transaction/status"},
	{name: "order_transaction other", data: `{"order_transaction": {"x": -}}`, field: "/order_transaction/x"},
	{name: "orders", data: `{"order_transaction": {"orders": {}}}`, field: "/order_transaction/orders"},
	{name: "orders element", data: `{"order_transaction": {"orders": ["x"]}}`, field: "/order_transaction/orders/0"},
	{name: "orders id", data: `{"order_transaction": {"orders": [{"id": 1}]}}`, field: "/order_transaction/orders/0/id"},
	{name: "low_level_status", data: `{"order_transaction": {"orders": [{}, {"low_level_status": 1}]}}`,
		field: "/order_transaction/orders/1/low_level_status"},
	{name: "low_level_status_created_at", data: `{"order_transaction": {"orders": [{"low_level_status_created_at": "x"}]}}`,
		field: "/order_transaction/orders/0/low_level_status_created_at"},
	{name: "orders origin", data: `{"order_transaction": {"orders": [{"origin": 1}]}}`, field: "/order_transaction/orders/0/origin"},
	{name: "parent_id", data: `{"order_transaction": {"orders": [{"parent_id": 1}]}}`, field: "/order_transaction/orders/0/parent_id"},
	{name: "orders created_at", data: `{"order_transaction": {"orders": [{"created_at": "x"}]}}`,
		field: "/order_transaction/orders/0/created_at"},
	{name: "orders updated_at", data: `{"order_transaction": {"orders": [{"updated_at": "x"}]}}`,
		field: "/order_transaction/orders/0/updated_at"},
	{name: "orders other", data: `{"order_transaction": {"orders": [{"x": "\q"}]}}`, field: "/order_transaction/orders/0/x"},
	// Unknown statuses of a phlebotomy order.
	{name: "unknown event status", data: phleb(`"events": [{"status": "received.at_home_phlebotomy.ordered"},
		{"status": "collecting_sample.at_home_phlebotomy.redraw_available"}]`),
		field: "/events/1/status", unknown: true,
		msg: `order: decode /events/1/status: unknown status "collecting_sample.at_home_phlebotomy.redraw_available"`},
	{name: "other modality on a phlebotomy order", data: phleb(`"events": [{"status": "received.walk_in_test.ordered"}]`),
		field: "/events/0/status", unknown: true},
	{name: "unknown last_event status", data: phleb(`"last_event": {"status": "ordered "}`),
		field: "/last_event/status", unknown: true},
	{name: "unknown low_level_status", data: phleb(`"order_transaction": {"orders": [{}, {"low_level_status": "lost"}]}`),
		field: "/order_transaction/orders/1/low_level_status", unknown: true},
	{name: "unknown high-level status", data: phleb(`"status": "on_hold"`), field: "/status", unknown: true,
		msg: `order: decode /status: unknown high-level status "on_hold"`},
	{name: "events first", data: phleb(`"status": "x", "order_transaction": {"orders": [{"low_level_status": "x"}]},
		"last_event": {"status": "x"}, "events": [{"status": "x"}]`), field: "/events/0/status", unknown: true},
	{name: "last_event second", data: phleb(`"status": "x", "order_transaction": {"orders": [{"low_level_status": "x"}]},
		"last_event": {"status": "x"}, "events": [{"status": "ordered"}]`), field: "/last_event/status", unknown: true},
	{name: "order_transaction third", data: phleb(`"status": "x",
		"order_transaction": {"orders": [{"low_level_status": "x"}]}`), field: "/order_transaction/orders/0/low_level_status",
		unknown: true},
	// A member repeated in one object, wherever it is (our decision, the
	// reader's default).
	{name: "repeated id", data: `{"id": "a", "id": "b"}`, field: "/id", msg: "order: decode /id: repeated member"},
	{name: "repeated events", data: `{"events": [], "events": []}`, field: "/events"},
	{name: "repeated in an entry", data: `{"events": [{"id": 1, "id": 2}]}`, field: "/events/0/id"},
	{name: "repeated last_event", data: `{"last_event": {"id": 1}, "last_event": null}`, field: "/last_event"},
	{name: "repeated details", data: `{"details": {"type": "at_home_phlebotomy"}, "details": null}`, field: "/details"},
	{name: "repeated type", data: `{"details": {"type": "walk_in_test", "data": {"id": "d"}, "type": "at_home_phlebotomy"}}`,
		field: "/details/type"},
	{name: "repeated data", data: `{"details": {"data": {"id": "first"}, "type": "at_home_phlebotomy", "data": {"id": "d"}}}`,
		field: "/details/data"},
	{name: "repeated in other data", data: `{"details": {"type": "walk_in_test", "data": {"x": 1, "x": 2}}}`,
		field: "/details/data/x"},
	{name: "repeated in a member skipped", data: `{"physician": {"npi": "1", "npi": "2"}}`, field: "/physician/npi"},
	{name: "repeated zip", data: `{"patient_address": {"zip": "1", "zip": "1"}}`, field: "/patient_address/zip"},
	{name: "repeated in data before type", data: `{"details": {"data": {"id": "a", "id": "a"}, "type": "at_home_phlebotomy"}}`,
		field: "/details/data/id"},
	// Other faults.
	{name: "zip and zip_code differ", data: `{"patient_address": {"zip": "85004", "zip_code": "54650"}}`, field: "/patient_address",
		msg: `order: decode /patient_address: malformed input: zip "85004" and zip_code "54650" differ`},
	{name: "invalid UTF-8", data: "{\"notes\": \"\xff\"}", field: "/notes"},
	{name: "malformed wins over unknown", data: phleb(`"events": [{"status": "x"}], "created_at": "x"`), field: "/created_at"},
	{name: "malformed data wins over unknown", data: `{"events": [{"status": "x"}],
		"details": {"type": "at_home_phlebotomy", "data": {"id": 1}}}`, field: "/details/data/id"},
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range decodeCases {
		t.Run(c.name, func(t *testing.T) {
			o, err := Decode([]byte(c.data))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Path)
			assert.Equal(t, "decode", de.Op)
			assert.Equal(t, c.unknown, errors.Is(err, ErrUnknownStatus), "unknown status: %v", err)
			assert.Equal(t, !c.unknown, errors.Is(err, ErrMalformed), "malformed: %v", err)
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}
			assert.True(t, strings.HasPrefix(err.Error(), "order: decode"), err.Error())
			if c.unknown {
				var pe *ParseError
				assert.ErrorAs(t, err, &pe)
				assert.True(t, o.IsPhlebotomy(), "the rest of the order comes with an unknown status")
			} else {
				assert.Zero(t, o)
			}

			if c.name == "empty" || c.name == "trailing" {
				return // faults of the document, which the reader finds outside the order
			}
			kept := Order{ID: "kept", History: []HistoryEntry{{ID: 1, Status: Ordered}}}
			dst := kept
			uerr := json.Unmarshal([]byte(c.data), &dst)
			assert.Equal(t, c.unknown, errors.Is(uerr, ErrUnknownStatus), "UnmarshalJSONFrom: %v", uerr)
			assert.Equal(t, !c.unknown, errors.Is(uerr, ErrMalformed), "UnmarshalJSONFrom: %v", uerr)
			assert.Equal(t, c.field, pointerOf(uerr), "UnmarshalJSONFrom: %v", uerr)
			assert.Equal(t, kept, dst, "UnmarshalJSONFrom changed its destination on error")
		})
	}
}

// TestDecodeUnknownStatusKeepsOrder checks that an order with statuses this
// package does not know comes back whole, each such status zero beside its
// text, the known ones parsed.
func TestDecodeUnknownStatusKeepsOrder(t *testing.T) {
	data := phleb(`"id": "o-1", "status": "on_hold",
		"events": [{"id": 1, "status": "received.at_home_phlebotomy.ordered"},
			{"id": 2, "status": "collecting_sample.at_home_phlebotomy.redraw_available", "status_detail": "sample_lost"}],
		"last_event": {"id": 2, "status": "collecting_sample.at_home_phlebotomy.redraw_available"},
		"order_transaction": {"id": "t-1", "orders": [{"id": "o-0", "low_level_status": "cancelled"},
			{"id": "o-1", "low_level_status": "redraw_available"}]}`)
	o, err := Decode([]byte(data))
	require.ErrorIs(t, err, ErrUnknownStatus)
	assert.Equal(t, Order{
		ID:      "o-1",
		Details: Details{Type: ModalityAtHomePhlebotomy},
		History: []HistoryEntry{
			{ID: 1, Status: Ordered},
			{ID: 2, StatusText: "collecting_sample.at_home_phlebotomy.redraw_available", Detail: "sample_lost"},
		},
		LastEvent:     HistoryEntry{ID: 2, StatusText: "collecting_sample.at_home_phlebotomy.redraw_available"},
		HighLevelText: "on_hold",
		Transaction: Transaction{ID: "t-1", Orders: []TransactionOrder{
			{ID: "o-0", Status: Cancelled}, {ID: "o-1", StatusText: "redraw_available"},
		}},
	}, o)

	var dst Order
	uerr := json.Unmarshal([]byte(data), &dst)
	assert.ErrorIs(t, uerr, ErrUnknownStatus)
	assert.Equal(t, "/events/1/status", pointerOf(uerr))
	assert.Zero(t, dst)
}

// TestDecodeNotPhlebotomy checks that an order of another modality, or
// without details, decodes without error and never has a status parsed.
func TestDecodeNotPhlebotomy(t *testing.T) {
	members := `"status": "on_hold",
		"events": [{"id": 1, "status": "received.walk_in_test.ordered"}, {"id": 2, "status": "received.at_home_phlebotomy.ordered"},
			{"id": 3, "status": "ordered"}],
		"last_event": {"id": 3, "status": "ordered"},
		"order_transaction": {"orders": [{"low_level_status": "completed"}]}`
	want := Order{
		History: []HistoryEntry{
			{ID: 1, StatusText: "received.walk_in_test.ordered"}, {ID: 2, StatusText: "received.at_home_phlebotomy.ordered"},
			{ID: 3, StatusText: "ordered"},
		},
		LastEvent:     HistoryEntry{ID: 3, StatusText: "ordered"},
		HighLevelText: "on_hold",
		Transaction:   Transaction{Orders: []TransactionOrder{{StatusText: "completed"}}},
	}
	for name, c := range map[string]struct {
		details string
		typ     Modality
	}{
		"walk_in_test":         {`"details": {"type": "walk_in_test", "data": {"id": 5, "created_at": "x"}},`, ModalityWalkInTest},
		"testkit":              {`"details": {"data": null, "type": "testkit"},`, ModalityTestkit},
		"on_site_collection":   {`"details": {"type": "on_site_collection", "data": 12},`, ModalityOnSiteCollection},
		"unknown modality":     {`"details": {"type": "drone", "data": {}},`, "drone"},
		"other case":           {`"details": {"type": "AT_HOME_PHLEBOTOMY", "data": {"id": "x"}},`, "AT_HOME_PHLEBOTOMY"},
		"no details":           {``, ""},
		"null details":         {`"details": null,`, ""},
		"details without type": {`"details": {"data": {"id": "d"}},`, ""},
		"null type":            {`"details": {"type": null},`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			o, err := Decode([]byte(`{` + c.details + members + `}`))
			require.NoError(t, err)
			w := want
			w.Details.Type = c.typ
			assert.Equal(t, w, o)
			assert.False(t, o.IsPhlebotomy())
			assert.Zero(t, o.Status())
			round(t, o, nil)
		})
	}
}

func TestDecodeDetails(t *testing.T) {
	appt := Details{Type: ModalityAtHomePhlebotomy, ID: "d", AppointmentID: "a",
		CreatedAt: ts(2025, 3, 20, 13, 7, 32), UpdatedAt: ts(2025, 3, 20, 14, 0, 0)}
	data := `{"id": "d", "appointment_id": "a", "created_at": "2025-03-20T13:07:32+00:00",
		"updated_at": "2025-03-20T09:00:00-05:00", "extra": [1, {"x": null}]}`
	for name, c := range map[string]struct {
		details string
		want    Details
	}{
		"type first":       {`{"type": "at_home_phlebotomy", "data": ` + data + `}`, appt},
		"data first":       {`{"data": ` + data + `, "type": "at_home_phlebotomy"}`, appt},
		"null data":        {`{"type": "at_home_phlebotomy", "data": null}`, Details{Type: ModalityAtHomePhlebotomy}},
		"no data":          {`{"type": "at_home_phlebotomy"}`, Details{Type: ModalityAtHomePhlebotomy}},
		"null appointment": {`{"type": "at_home_phlebotomy", "data": {"id": "d", "appointment_id": null}}`, Details{Type: ModalityAtHomePhlebotomy, ID: "d"}},
	} {
		t.Run(name, func(t *testing.T) {
			o, err := Decode([]byte(`{"details": ` + c.details + `}`))
			require.NoError(t, err)
			assert.Equal(t, c.want, o.Details)
			assert.Equal(t, c.want.AppointmentID, o.AppointmentID())
			round(t, o, nil)
		})
	}
}

func TestDecodeValues(t *testing.T) {
	for name, c := range map[string]struct {
		data string
		want Order
	}{
		"null":  {`null`, Order{}},
		"empty": {` {} `, Order{}},
		"nulls": {`{"id": null, "patient_details": null, "patient_address": null, "lab_test": null, "details": null,
			"sample_id": null, "notes": null, "created_at": null, "updated_at": null, "events": null, "last_event": null,
			"status": null, "activate_by": null, "origin": null, "order_transaction": null}`, Order{}},
		"empty collections": {`{"events": [], "order_transaction": {"orders": []}}`, Order{}},
		"empty strings":     {`{"status": "", "activate_by": "", "patient_details": {"dob": ""}}`, Order{}},
		"short statuses": {phleb(`"events": [{"id": 1, "status": "ordered"}], "last_event": {"status": "ordered"},
			"order_transaction": {"orders": [{"low_level_status": "received.at_home_phlebotomy.ordered"}]}`), Order{
			Details:     Details{Type: ModalityAtHomePhlebotomy},
			History:     []HistoryEntry{{ID: 1, Status: Ordered}},
			LastEvent:   HistoryEntry{Status: Ordered},
			Transaction: Transaction{Orders: []TransactionOrder{{Status: Ordered}}},
		}},
		"empty statuses": {phleb(`"events": [{"id": 1, "status": ""}, {"id": 2}, null], "last_event": {"id": 2, "status": null},
			"order_transaction": {"orders": [{"id": "o", "low_level_status": null}]}`), Order{
			Details:     Details{Type: ModalityAtHomePhlebotomy},
			History:     []HistoryEntry{{ID: 1}, {ID: 2}, {}},
			LastEvent:   HistoryEntry{ID: 2},
			Transaction: Transaction{Orders: []TransactionOrder{{ID: "o"}}},
		}},
		"more and less": {`{"activate_by": "2025-04-01", "origin": "redraw", "priority": true, "icd_codes": ["Z00.00"],
			"billing_type": "client_bill", "passthrough": "{\"k\": 1}", "shipping_details": null,
			"events": [{"id": -3, "created_at": "2022-01-01T00:00:00.123456789", "status": "x", "status_detail": "sample_hemolyzed"}],
			"order_transaction": {"id": "t", "status": "cancelled", "orders": [{"id": "o", "parent_id": "p", "origin": "recreation",
			"low_level_status_created_at": "2022-01-02T00:00:00+01:00", "created_at": "2022-01-01T00:00:00Z",
			"updated_at": "2022-01-03T00:00:00Z"}]}, "notes": "a\u00e9\n", "lab_test": {"fasting": null}}`, Order{
			ActivateBy: Date{2025, 4, 1},
			Origin:     "redraw",
			Notes:      "aé\n",
			History: []HistoryEntry{{ID: -3, CreatedAt: ts(2022, 1, 1, 0, 0, 0).Add(123456789), StatusText: "x",
				Detail: "sample_hemolyzed"}},
			Transaction: Transaction{ID: "t", Status: "cancelled", Orders: []TransactionOrder{{ID: "o",
				ParentID: "p", Origin: "recreation", StatusCreatedAt: ts(2022, 1, 1, 23, 0, 0),
				CreatedAt: day(2022, 1, 1), UpdatedAt: day(2022, 1, 3)}}},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			o, err := Decode([]byte(c.data))
			require.NoError(t, err)
			assert.Equal(t, c.want, o)
			if c.want.History == nil {
				assert.Nil(t, o.History)
			}
			if c.want.Transaction.Orders == nil {
				assert.Nil(t, o.Transaction.Orders)
			}
			round(t, o, nil)
		})
	}
}

func TestDecodeLongHistory(t *testing.T) {
	// More entries than the decoder gathers on the stack.
	o, err := Decode(longHistory(20))
	require.NoError(t, err)
	require.Len(t, o.History, 20)
	assert.Equal(t, 20, cap(o.History))
	for i, e := range o.History {
		assert.Equal(t, int64(i+1), e.ID)
		assert.True(t, e.Status.IsValid())
	}
	o, err = Decode(longTransaction(9))
	require.NoError(t, err)
	require.Len(t, o.Transaction.Orders, 9)
	assert.Equal(t, 9, cap(o.Transaction.Orders))
	for i, t2 := range o.Transaction.Orders {
		assert.Equal(t, "o"+string(rune('0'+i)), t2.ID)
	}
}

// longHistory returns a phlebotomy order whose history has n entries, ids 1
// to n a second apart: ordered, requisition_created, appointment_pending,
// then appointment_scheduled and reschedules.
func longHistory(n int) []byte {
	statuses := []string{"received.at_home_phlebotomy.ordered", "received.at_home_phlebotomy.requisition_created",
		"collecting_sample.at_home_phlebotomy.appointment_pending"}
	var b strings.Builder
	b.WriteString(`{"id": "o-1", "details": {"type": "at_home_phlebotomy"}, "events": [`)
	t0 := day(2022, 1, 1)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		status := "collecting_sample.at_home_phlebotomy.appointment_scheduled"
		if i < len(statuses) {
			status = statuses[i]
		}
		b.WriteString(`{"id": ` + strconv.Itoa(i+1) + `, "created_at": "` +
			t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339) + `", "status": "` + status + `"}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// longTransaction returns a phlebotomy order whose transaction has n
// orders, o0, o1, ….
func longTransaction(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"details": {"type": "at_home_phlebotomy"}, "order_transaction": {"orders": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id": "o` + string(rune('0'+i)) + `", "low_level_status": "completed"}`)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// pointerOf returns the JSON Pointer an error of the JSON decoder names,
// "-" when it names none.
func pointerOf(err error) string {
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &syn):
		return string(syn.JSONPointer)
	case errors.As(err, &sem):
		return string(sem.JSONPointer)
	}
	return "-"
}

func TestUnmarshalJSONFrom(t *testing.T) {
	data := fixture(t, "order-updated.json")
	want, err := Decode(data)
	require.NoError(t, err)

	var o Order
	require.NoError(t, json.Unmarshal(data, &o))
	assert.Equal(t, want, o)

	require.NoError(t, json.Unmarshal([]byte(" null\n"), &o))
	assert.Zero(t, o, "null is the zero Order")

	var doc struct {
		Orders []Order `json:"orders"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"orders": [`+string(data)+`, null]}`), &doc))
	assert.Equal(t, []Order{want, {}}, doc.Orders)

	for _, c := range []struct{ data, path string }{
		{`{"orders": [{}, {"events": [{"id": "x"}]}]}`, "/orders/1/events/0/id"},
		{`{"orders": [{"details": {"data": {"id": 1}, "type": "at_home_phlebotomy"}}]}`, "/orders/0/details/data/id"},
		{`{"orders": [{"details": {"type": "at_home_phlebotomy"}, "status": "x"}]}`, "/orders/0/status"},
		{`{"orders": [{"id": "a", "id": "a"}]}`, "/orders/0/id"},
	} {
		err = json.Unmarshal([]byte(c.data), &doc)
		assert.Equal(t, c.path, pointerOf(err), "%s: %v", c.data, err)
	}

	var nilOrder *Order
	dec := jsontext.NewDecoder(strings.NewReader(string(data)))
	err = nilOrder.UnmarshalJSONFrom(dec)
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestDecodeErrorMessage(t *testing.T) {
	assert.Equal(t, "order: decode: malformed input", (&DecodeError{}).Error())
	assert.Equal(t, "order: decode /x: malformed input", (&DecodeError{Path: "/x"}).Error())
	assert.Equal(t, "order: encode /x: malformed input", (&DecodeError{Op: "encode", Path: "/x"}).Error())
	cause := errors.New("boom")
	e := &DecodeError{Op: "decode", Path: "/a/b", Err: cause}
	assert.Equal(t, "order: decode /a/b: boom", e.Error())
	assert.ErrorIs(t, e, ErrMalformed)
	assert.ErrorIs(t, e, cause)
	e = &DecodeError{Err: &ParseError{Kind: "status", Text: "x", Err: ErrUnknownStatus}}
	assert.NotErrorIs(t, e, ErrMalformed)
	assert.Equal(t, `order: decode: unknown status "x"`, e.Error())
	e = &DecodeError{Err: &ParseError{Kind: "time", Text: "x", Err: ErrMalformed}}
	assert.Equal(t, []error{e.Err}, e.Unwrap())
	assert.Equal(t, `order: malformed time "x"`, e.Err.Error())
}
