package order

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/internal/schematest"
)

// junctionSchemas loads the schemas of Junction's OpenAPI document that an
// order uses (see testdata/README.md).
func junctionSchemas(t *testing.T) *schematest.Doc {
	t.Helper()
	doc, err := schematest.Load(filepath.Join("testdata", "junction-order-schemas.json"))
	require.NoError(t, err)
	return doc
}

// fullOrder is an order with every field set, in the forms Junction's
// document gives.
func fullOrder() Order {
	at := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	addr := Address{ReceiverName: "Ada Lovelace", FirstLine: "1 Main St.", SecondLine: "Apt. 2", City: "Phoenix", State: "AZ",
		ZipCode: "85004", Country: "US", PhoneNumber: "+16025550100", AccessNotes: "Gate code 1234"}
	return Order{
		ID: "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", TeamID: "6353bcab-3526-4838-8c92-063fa760fb6b",
		UserID:  "3fa85f64-5717-4562-b3fc-2c963f66afa6",
		Patient: Patient{DOB: Date{1990, time.January, 2}, Gender: "female", FirstName: "Ada", LastName: "Lovelace", PhoneNumber: "+16025550100", Email: "ada@example.com"},
		Address: addr,
		LabTest: LabTest{ID: "d0b479ec-afcc-4763-985c-4e23f17149f5", Slug: "testosterone", Name: "Testosterone", SampleType: "serum",
			Method: ModalityAtHomePhlebotomy, Fasting: true, Price: 49.5, IsActive: true, Status: "active"},
		Details: Details{Type: ModalityAtHomePhlebotomy, ID: "a655f0e4-6405-4a1d-80b7-66f06c2108a7",
			AppointmentID: "d55210cc-3d9f-4115-8262-5013f700c7be", CreatedAt: at, UpdatedAt: at},
		SampleID: "123456789", Notes: "Call first", CreatedAt: at, UpdatedAt: at.Add(time.Hour),
		History: []HistoryEntry{{ID: 1, CreatedAt: at, Status: Ordered}, {ID: 2, CreatedAt: at, Status: RequisitionCreated,
			Detail: "fulfillment_error"}},
		LastEvent: HistoryEntry{ID: 2, CreatedAt: at, Status: RequisitionCreated}, HighLevel: HighLevelReceived,
		ActivateBy: Date{2026, time.December, 1}, Origin: "initial",
		Transaction: Transaction{ID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1", Status: "active",
			Orders: []TransactionOrder{{ID: "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", Status: RequisitionCreated, StatusCreatedAt: at,
				Origin: "initial", ParentID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1", CreatedAt: at, UpdatedAt: at}}},
		HasABN: true, HealthInsuranceID: "0d7c1b67-54a3-4b57-9f0e-3b0d2a3c7e11",
		RequisitionFormURL: "https://example.com/requisition.pdf", ShippingDetails: addr,
	}
}

// TestSchema checks that what MarshalJSONTo writes is an order as Junction's
// OpenAPI document describes it: every required member, with its JSON
// type, null only where allowed; for the full order, formats and
// enumerations too.
func TestSchema(t *testing.T) {
	doc := junctionSchemas(t)
	check := func(t *testing.T, o Order, opts schematest.Options) {
		t.Helper()
		b, err := json.Marshal(o)
		require.NoError(t, err)
		assert.Empty(t, doc.Check("ClientFacingOrder", b, opts), "%s", b)
		round(t, o, nil)
	}
	t.Run("full", func(t *testing.T) { check(t, fullOrder(), schematest.Options{Formats: true, Enums: true}) })
	for _, name := range orderFixtures {
		t.Run(name, func(t *testing.T) {
			o, err := Decode(fixture(t, name))
			require.NoError(t, err)
			check(t, o, schematest.Options{})
		})
	}
	for name, o := range map[string]Order{
		"zero":         {},
		"patient":      {Patient: Patient{Gender: "male"}},
		"address":      {Address: Address{City: "Phoenix"}, ShippingDetails: Address{ZipCode: "85004"}},
		"phlebotomy":   {Details: Details{Type: ModalityAtHomePhlebotomy, ID: "d"}},
		"walk-in":      {Details: Details{Type: ModalityWalkInTest}},
		"history":      {History: []HistoryEntry{{}, {StatusText: "x"}}},
		"transaction":  {Transaction: Transaction{Orders: []TransactionOrder{{}}}},
		"transaction2": {Transaction: Transaction{ID: "t"}},
	} {
		t.Run(name, func(t *testing.T) { check(t, o, schematest.Options{}) })
	}
}

// TestRequiredMembersRoundTrip checks the members Junction's document
// requires that older payloads lack: they decode into their fields and
// are written back as they came.
func TestRequiredMembersRoundTrip(t *testing.T) {
	o, err := Decode([]byte(phleb(`"has_abn": true, "health_insurance_id": "h-1", "requisition_form_url": "https://x/r.pdf",
		"shipping_details": {"receiver_name": "Ada", "first_line": "1 Main St.", "second_line": null, "city": "Phoenix",
			"state": "AZ", "zip": "85004", "country": "US", "phone_number": "+1"},
		"lab_test": {"id": "l", "price": 12.5, "is_active": true, "status": "pending_approval", "lab": {"id": 1}, "markers": [{"id": 2}]},
		"patient_address": {"first_line": "1 Main St.", "city": "Phoenix", "state": "AZ", "zip": "85004", "country": "US",
			"access_notes": "Gate 4"}`)))
	require.NoError(t, err)
	assert.True(t, o.HasABN)
	assert.Equal(t, "h-1", o.HealthInsuranceID)
	assert.Equal(t, "https://x/r.pdf", o.RequisitionFormURL)
	assert.Equal(t, Address{ReceiverName: "Ada", FirstLine: "1 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004",
		Country: "US", PhoneNumber: "+1"}, o.ShippingDetails)
	assert.Equal(t, LabTest{ID: "l", Price: 12.5, IsActive: true, Status: "pending_approval"}, o.LabTest)
	assert.Equal(t, "Gate 4", o.Address.AccessNotes)
	round(t, o, nil)
	round(t, fullOrder(), nil)

	b, err := json.Marshal(fullOrder())
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "1990-01-02T00:00:00+00:00", m["patient_details"].(map[string]any)["dob"], "dob is a date-time")
	assert.Equal(t, "Gate code 1234", m["patient_address"].(map[string]any)["access_notes"])
	assert.Equal(t, "85004", m["shipping_details"].(map[string]any)["zip"])
	b, err = json.Marshal(Order{Patient: Patient{Gender: "male"}})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "", m["patient_details"].(map[string]any)["dob"], "an absent dob is not null")
}
