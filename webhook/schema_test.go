package webhook

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/schematest"
	"github.com/phlebkit/phlebkit/order"
)

// TestSchema checks that the bodies MarshalJSON writes are webhook bodies
// as Junction's OpenAPI document describes them: the envelope's required
// members, and every required member of the order or appointment in data,
// with its JSON type, null only where allowed.
func TestSchema(t *testing.T) {
	load := func(name string) *schematest.Doc {
		doc, err := schematest.Load(filepath.Join("testdata", name))
		require.NoError(t, err)
		return doc
	}
	orders, appointments := load("junction-order-schemas.json"), load("junction-appointment-schemas.json")
	check := func(t *testing.T, doc *schematest.Doc, schema string, e Event) {
		t.Helper()
		b, err := e.MarshalJSON()
		require.NoError(t, err)
		assert.Empty(t, doc.Check(schema, b, schematest.Options{}), "%s", b)
	}
	envelope := Event{UserID: envUserID, ClientUserID: envClientUserID, TeamID: envTeamID}
	for _, name := range []string{"order-updated.json", "order-walk-in.json", "order-testkit.json", "order-on-site.json"} {
		t.Run(name, func(t *testing.T) {
			e := envelope
			e.Type, e.Order = OrderUpdated, mustOrder(t, fixture(t, name))
			check(t, orders, "ClientFacingOrderChanged", e)
		})
	}
	t.Run("order-imported.json", func(t *testing.T) {
		e := envelope
		e.Type, e.Order = OrderCreated, mustOrder(t, importedOrder(t))
		check(t, orders, "ClientFacingOrderChanged", e)
	})
	t.Run("zero order", func(t *testing.T) {
		check(t, orders, "ClientFacingOrderChanged", Event{Type: OrderCreated, Order: &order.Order{}})
	})
	t.Run("appointment", func(t *testing.T) {
		e := envelope
		e.Type, e.Appointment = AppointmentUpdated, mustAppointment(t, appointmentData(t))
		check(t, appointments, "ClientFacingAppointmentChanged", e)
	})
	t.Run("zero appointment", func(t *testing.T) {
		check(t, appointments, "ClientFacingAppointmentChanged", Event{Type: AppointmentCreated, Appointment: &appointment.Appointment{}})
	})
}
