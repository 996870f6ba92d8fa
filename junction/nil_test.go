package junction_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/provider"
)

// TestNilClient shows that every method of a nil *Client returns an error
// wrapping ErrConfig instead of panicking.
func TestNilClient(t *testing.T) {
	var c *junction.Client
	ctx := context.Background()
	errs := map[string]error{}
	_, errs["create order"] = c.CreateOrder(ctx, junction.CreateOrderRequest{})
	_, errs["get order"] = c.Order(ctx, "o")
	_, errs["cancel order"] = c.CancelOrder(ctx, "o")
	_, errs["area info"] = c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "85004"})
	_, errs["availability"] = c.Availability(ctx, junction.AvailabilityRequest{})
	_, errs["book"] = c.Book(ctx, "o", junction.BookRequest{})
	_, errs["request"] = c.Request(ctx, "o", junction.RequestAppointmentRequest{})
	_, errs["reschedule"] = c.Reschedule(ctx, "o", junction.RescheduleRequest{})
	_, errs["cancel appointment"] = c.CancelAppointment(ctx, "o", junction.CancelAppointmentRequest{})
	_, errs["appointment"] = c.Appointment(ctx, "o")
	_, errs["cancellation reasons"] = c.CancellationReasons(ctx)
	errs["simulate"] = c.Simulate(ctx, "o", junction.SimulateRequest{})
	for op, err := range errs {
		assert.ErrorIs(t, err, junction.ErrConfig, op)
		assert.ErrorContains(t, err, "junction: invalid configuration: ", op)
		assert.ErrorContains(t, err, "nil client", op)
	}
}
