package order

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// round checks that o, a value Decode returned beside wantErr, encodes to
// JSON that decodes to an equal value beside an equal error.
func round(t testing.TB, o Order, wantErr error) {
	t.Helper()
	b, err := json.Marshal(o)
	require.NoError(t, err, "encoding %#v", o)
	back, err := Decode(b)
	require.Equal(t, wantErr, err, "decoding %s", b)
	require.Equal(t, o, back, "round trip through %s", b)
}

func TestRoundTripFixtures(t *testing.T) {
	for _, name := range orderFixtures {
		t.Run(name, func(t *testing.T) {
			o, err := Decode(fixture(t, name))
			require.NoError(t, err)
			round(t, o, nil)
		})
	}
}

func TestRoundTripUnknownStatuses(t *testing.T) {
	o, err := Decode([]byte(phleb(`"status": "on_hold", "events": [{"id": 1, "status": "x"}], "last_event": {"status": "y"},
		"order_transaction": {"orders": [{"low_level_status": "z"}]}`)))
	require.ErrorIs(t, err, ErrUnknownStatus)
	round(t, o, err)
}

// TestMarshalGolden compares the encoding of each fixture with its golden
// file; go test -update rewrites them.
func TestMarshalGolden(t *testing.T) {
	for _, name := range []string{"order-updated.json", "order-imported.json", "order-walk-in.json"} {
		t.Run(name, func(t *testing.T) {
			o, err := Decode(fixture(t, name))
			require.NoError(t, err)
			b, err := json.Marshal(o, jsontext.WithIndent("  "))
			require.NoError(t, err)
			b = append(b, '\n')
			golden := filepath.Join("testdata", "golden", name)
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, b, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(b), "go test ./order -run TestMarshalGolden -update rewrites %s", golden)
		})
	}
}

// zeroTime is how a zero timestamp that Junction does not allow to be null
// is written.
const zeroTime = "0001-01-01T00:00:00Z"

func TestMarshalShape(t *testing.T) {
	b, err := json.Marshal(Order{})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"","team_id":"","user_id":"","patient_details":null,"patient_address":null,`+
		`"lab_test":{"id":"","slug":"","name":"","sample_type":"","method":"","fasting":false,"price":0,"is_active":false,`+
		`"status":"","lab":null,"markers":null},"details":{"type":"","data":null},"sample_id":null,"notes":null,`+
		`"created_at":"0001-01-01T00:00:00Z","updated_at":"0001-01-01T00:00:00Z","events":[],`+
		`"last_event":{"id":0,"created_at":"0001-01-01T00:00:00Z","status":""},"status":null,"health_insurance_id":null,`+
		`"requisition_form_url":null,"shipping_details":null,"has_abn":false,"activate_by":null,"origin":null,`+
		`"order_transaction":null}`, string(b))

	o := Order{
		Details:       Details{Type: ModalityWalkInTest, ID: "dropped", AppointmentID: "dropped"},
		HighLevelText: "on_hold",
		History:       []HistoryEntry{{ID: 1, StatusText: "received.walk_in_test.ordered", Detail: "sample_hemolyzed"}, {ID: 2}},
		LastEvent:     HistoryEntry{ID: 2, Status: Ordered, StatusText: "ignored"},
		Transaction:   Transaction{Status: "active"},
	}
	b, err = json.Marshal(o)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, map[string]any{"type": "walk_in_test", "data": nil}, doc["details"], "data only for phlebotomy")
	assert.Equal(t, "on_hold", doc["status"])
	assert.Equal(t, []any{
		map[string]any{"id": 1.0, "created_at": zeroTime, "status": "received.walk_in_test.ordered", "status_detail": "sample_hemolyzed"},
		map[string]any{"id": 2.0, "created_at": zeroTime, "status": ""},
	}, doc["events"])
	assert.Equal(t, map[string]any{"id": 2.0, "created_at": zeroTime, "status": "received.at_home_phlebotomy.ordered"}, doc["last_event"])
	assert.Equal(t, map[string]any{"id": "", "status": "active", "orders": []any{}}, doc["order_transaction"])

	o = Order{Details: Details{Type: ModalityAtHomePhlebotomy, UpdatedAt: day(2020, 1, 1)},
		Transaction: Transaction{Orders: []TransactionOrder{{Status: DrawCompleted}, {StatusText: "lost"}}}}
	b, err = json.Marshal(o)
	require.NoError(t, err)
	doc = nil
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, map[string]any{"type": "at_home_phlebotomy", "data": map[string]any{"id": "", "appointment_id": nil,
		"created_at": zeroTime, "updated_at": "2020-01-01T00:00:00Z"}}, doc["details"])
	orders := doc["order_transaction"].(map[string]any)["orders"].([]any)
	assert.Equal(t, "draw_completed", orders[0].(map[string]any)["low_level_status"], "the short form")
	assert.Equal(t, "lost", orders[1].(map[string]any)["low_level_status"])
	assert.Nil(t, doc["status"])

	for _, d := range []Details{{Type: ModalityAtHomePhlebotomy, ID: "d"}, {Type: ModalityAtHomePhlebotomy, AppointmentID: "a"},
		{Type: ModalityAtHomePhlebotomy, CreatedAt: day(2020, 1, 1)}} {
		b, err := json.Marshal(Order{Details: d})
		require.NoError(t, err)
		assert.Contains(t, string(b), `"data":{`, "%+v", d)
		round(t, Order{Details: d}, nil)
	}
}

// TestMarshalErrors checks every value that cannot be written.
func TestMarshalErrors(t *testing.T) {
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, field string
		o           Order
		sentinel    error
		msg         string
	}{
		{name: "event status", field: "/events/1/status", sentinel: ErrUnknownStatus,
			o:   Order{History: []HistoryEntry{{Status: Ordered}, {Status: 99}}},
			msg: `order: encode /events/1/status: unknown status "order.Status(99)"`},
		{name: "last_event status", field: "/last_event/status", sentinel: ErrUnknownStatus,
			o: Order{LastEvent: HistoryEntry{Status: Corrected + 1}}},
		{name: "low_level_status", field: "/order_transaction/orders/1/low_level_status", sentinel: ErrUnknownStatus,
			o: Order{Transaction: Transaction{Orders: []TransactionOrder{{}, {Status: 200}}}}},
		{name: "high-level status", field: "/status", sentinel: ErrUnknownStatus, o: Order{HighLevel: HighLevelFailed + 1},
			msg: `order: encode /status: unknown high-level status "order.HighLevel(7)"`},
		{name: "created_at", field: "/created_at", sentinel: ErrMalformed, o: Order{CreatedAt: late},
			msg: `order: encode /created_at: malformed time "10000-01-01 00:00:00 +0000 UTC"`},
		{name: "updated_at", field: "/updated_at", sentinel: ErrMalformed, o: Order{UpdatedAt: early}},
		{name: "details.data.created_at", field: "/details/data/created_at", sentinel: ErrMalformed,
			o: Order{Details: Details{Type: ModalityAtHomePhlebotomy, CreatedAt: late}}},
		{name: "details.data.updated_at", field: "/details/data/updated_at", sentinel: ErrMalformed,
			o: Order{Details: Details{Type: ModalityAtHomePhlebotomy, UpdatedAt: late}}},
		{name: "events created_at", field: "/events/2/created_at", sentinel: ErrMalformed,
			o: Order{History: []HistoryEntry{{}, {}, {CreatedAt: early}}}},
		{name: "last_event created_at", field: "/last_event/created_at", sentinel: ErrMalformed,
			o: Order{LastEvent: HistoryEntry{CreatedAt: late}}},
		{name: "low_level_status_created_at", field: "/order_transaction/orders/0/low_level_status_created_at",
			sentinel: ErrMalformed, o: Order{Transaction: Transaction{Orders: []TransactionOrder{{StatusCreatedAt: late}}}}},
		{name: "orders created_at", field: "/order_transaction/orders/1/created_at", sentinel: ErrMalformed,
			o: Order{Transaction: Transaction{Orders: []TransactionOrder{{}, {CreatedAt: late}}}}},
		{name: "orders updated_at", field: "/order_transaction/orders/0/updated_at", sentinel: ErrMalformed,
			o: Order{Transaction: Transaction{Orders: []TransactionOrder{{UpdatedAt: early}}}}},
		{name: "dob", field: "/patient_details/dob", sentinel: ErrMalformed,
			o: Order{Patient: Patient{DOB: Date{2023, time.February, 29}}}, msg: `order: encode /patient_details/dob: malformed date "2023-02-29"`},
		{name: "activate_by", field: "/activate_by", sentinel: ErrMalformed, o: Order{ActivateBy: Date{Year: 2024}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.o)
			assert.Empty(t, b)
			var ee *DecodeError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "encode", ee.Op)
			assert.Equal(t, c.field, ee.Path)
			assert.ErrorIs(t, err, c.sentinel)
			if c.msg != "" {
				assert.Equal(t, c.msg, ee.Error())
			}
		})
	}
}

// TestMarshalEscapes checks text that JSON must escape.
func TestMarshalEscapes(t *testing.T) {
	o := Order{ID: "a\"b\\c\n<&>\u2028", Notes: "\x01", Origin: "é", History: []HistoryEntry{{StatusText: "\t"}}}
	b, err := json.Marshal(o)
	require.NoError(t, err)
	assert.True(t, jsontext.Value(b).IsValid())
	round(t, o, nil)
}
