package junction_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// t0 is the sandbox's start: Monday 23 November 2026, 09:00 UTC.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// userID is the Junction user of the tests' orders.
const userID = "202b2c2f-fb4c-44dc-a4f8-621186fde227"

// newSandbox starts a sandbox and returns it with a client pointed at it.
func newSandbox(t testing.TB, sopts []sandbox.Option, copts ...junction.Option) (*sandbox.Server, *junction.Client) {
	t.Helper()
	srv, err := sandbox.NewServer(append([]sandbox.Option{sandbox.WithStart(t0)}, sopts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := junction.New("sk_us_test", append([]junction.Option{junction.WithBaseURL(srv.URL),
		junction.WithClock(srv.Now), junction.WithSleep(noSleep)}, copts...)...)
	require.NoError(t, err)
	return srv, c
}

// noSleep waits no time.
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// newOrderRequest is a create-order request for Ada in Phoenix (Getlabs
// books), or at zip when given.
func newOrderRequest(zip string) junction.CreateOrderRequest {
	p, a := ada, home
	if zip != "" {
		a.ZipCode = zip
	}
	return junction.CreateOrderRequest{UserID: userID, LabTestID: sandbox.LabTestAtHomePhlebotomy, Patient: &p, Address: &a}
}

func TestSmoke(t *testing.T) {
	srv, c := newSandbox(t, nil)
	ctx := context.Background()
	placed, err := c.CreateOrder(ctx, newOrderRequest(""))
	require.NoError(t, err)
	t.Log(placed.Status, placed.Message, placed.Order.ID, placed.Order.Status(), placed.Order.Address.AccessNotes)
	id := placed.Order.ID
	require.NoError(t, srv.Apply(id, scheduling.Flow.CreateRequisition))
	av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: home})
	require.NoError(t, err)
	t.Log(av.Timezone, len(av.Slots), av.Slots[0].Date, av.Slots[0].Slots[0])
	o, err := c.GetOrder(ctx, id)
	require.NoError(t, err)
	a, err := c.Book(ctx, id, junction.BookRequest{BookingKey: av.Slots[1].Slots[0].BookingKey},
		junction.WithFacts(junction.Facts{Order: o, Slot: av.Slots[1].Slots[0]}))
	require.NoError(t, err)
	t.Log(a.ID, a.Status, a.StartAt)
	_, err = c.CancelOrder(ctx, id)
	require.NoError(t, err)
	_, err = c.CancelOrder(ctx, id)
	t.Log(err)
	_ = order.Ordered
}
