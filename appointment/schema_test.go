package appointment

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/internal/schematest"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// TestSchema checks that what MarshalJSON writes is an appointment as
// Junction's OpenAPI document describes it (testdata/README.md): every
// required member, with its JSON type, null only where allowed; for the
// full appointment, formats and enumerations too. Each value decodes back
// equal.
func TestSchema(t *testing.T) {
	doc, err := schematest.Load(filepath.Join("testdata", "junction-appointment-schemas.json"))
	require.NoError(t, err)
	check := func(t *testing.T, a Appointment, opts schematest.Options) {
		t.Helper()
		b, err := json.Marshal(a)
		require.NoError(t, err)
		assert.Empty(t, doc.Check("ClientFacingAppointment", b, opts), "%s", b)
		back, err := Decode(b)
		require.NoError(t, err)
		assert.Equal(t, a, back)
	}
	at := time.Date(2026, 11, 21, 16, 0, 0, 0, time.UTC)
	full := Appointment{
		ID: "413d7205-f8a9-42ed-aa4a-edb99e481ca0", UserID: "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		OrderID: "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", OrderTransactionID: "6424dd45-ee1a-49c6-ad0c-5769b8e03fc1",
		ExternalID: "ext-1",
		Address: order.Address{FirstLine: "1 Main St.", SecondLine: "Apt. 2", City: "Phoenix", State: "AZ", ZipCode: "85004",
			AccessNotes: "Gate 4"},
		Location: Location{Lng: -112.07, Lat: 33.44}, StartAt: at, EndAt: at.Add(2 * time.Hour), IANATimezone: "America/Phoenix",
		Type: Phlebotomy, Provider: provider.Getlabs, Status: Confirmed, EventStatus: Confirmed, ProviderID: "p-1",
		CanReschedule: true, AppointmentNotes: "Bring ID", EventData: EventData{Origin: "patient"},
		History: []HistoryEntry{{CreatedAt: at, Status: "pending"}, {CreatedAt: at, Status: "scheduled",
			Data: jsontext.Value(`{"origin":"patient"}`)}},
	}
	t.Run("full", func(t *testing.T) { check(t, full, schematest.Options{Formats: true, Enums: true}) })
	for _, name := range []string{"appointment-booked.json", "appointment-requested.json", "appointment-psc.json"} {
		t.Run(name, func(t *testing.T) {
			a, err := Decode(fixture(t, name))
			require.NoError(t, err)
			check(t, a, schematest.Options{})
		})
	}
	t.Run("webhook", func(t *testing.T) {
		a, err := Decode(webhookData(t, "appointment-updated-webhook.json"))
		require.NoError(t, err)
		check(t, a, schematest.Options{})
	})
	for name, a := range map[string]Appointment{
		"zero":    {},
		"history": {History: []HistoryEntry{{}}},
		"text":    {ProviderText: "quest", Type: "lab_visit"},
	} {
		t.Run(name, func(t *testing.T) { check(t, a, schematest.Options{}) })
	}
}
