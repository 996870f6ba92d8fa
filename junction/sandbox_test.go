package junction_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// t0 is the sandbox's start: Monday 23 November 2026, 09:00 UTC.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// userID is the Junction user of the tests' orders.
const userID = "202b2c2f-fb4c-44dc-a4f8-621186fde227"

// unknownOrder is a UUID no sandbox order has.
const unknownOrder = "00000000-0000-4000-8000-000000000000"

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

// place creates an order through c and returns it.
func place(t testing.TB, c *junction.Client, r junction.CreateOrderRequest) order.Order {
	t.Helper()
	placed, err := c.CreateOrder(context.Background(), r)
	require.NoError(t, err)
	return placed.Order
}

// firstSlot returns the first slot of the second day offered at a.
func firstSlot(t testing.TB, c *junction.Client, a order.Address) junction.TimeSlot {
	t.Helper()
	av, err := c.Availability(context.Background(), junction.AvailabilityRequest{Address: a})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(av.Slots), 2)
	return av.Slots[1].Slots[0]
}

// requireAPIError checks that err is an *APIError with status and
// sentinel, sent to Junction or refused locally, and returns it.
func requireAPIError(t testing.TB, err error, status int, sentinel error, local bool) *junction.APIError {
	t.Helper()
	var ae *junction.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, status, ae.StatusCode, "status of %v", err)
	assert.ErrorIs(t, err, sentinel)
	assert.Equal(t, local, ae.Local, "local: %v", err)
	assert.NotContains(t, err.Error(), "sk_us_test")
	return ae
}

func TestBookingLifecycle(t *testing.T) {
	srv, c := newSandbox(t, nil)
	ctx := context.Background()

	info, err := c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "85004"})
	require.NoError(t, err)
	p, err := info.ForBooking()
	require.NoError(t, err)
	assert.Equal(t, provider.Getlabs, p)

	placed, err := c.CreateOrder(ctx, newOrderRequest(""))
	require.NoError(t, err)
	assert.Equal(t, "success", placed.Status)
	assert.Equal(t, order.Ordered, placed.Order.Status())
	id := placed.Order.ID

	o, err := c.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, id, o.ID)
	assert.Equal(t, ada.DOB, o.Patient.DOB)

	require.NoError(t, srv.Apply(id, scheduling.Flow.CreateRequisition))
	o, err = c.Order(ctx, id)
	require.NoError(t, err)

	av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: home, StartDate: order.Date{Year: 2026, Month: 11, Day: 25}})
	require.NoError(t, err)
	assert.Equal(t, "America/Phoenix", av.Timezone)
	assert.Equal(t, order.Date{Year: 2026, Month: 11, Day: 25}, av.Slots[0].Date)
	slot := av.Slots[0].Slots[0]
	zone, err := time.LoadLocation(av.Timezone)
	require.NoError(t, err)

	a, err := c.Book(ctx, id, junction.BookRequest{BookingKey: slot.BookingKey, AppointmentNotes: "ring twice"},
		junction.WithFacts(junction.Facts{Order: o, Slot: slot, TimeZone: zone, Provider: p}))
	require.NoError(t, err)
	assert.Equal(t, appointment.Confirmed, a.Status)
	assert.Equal(t, slot.Start, a.StartAt)
	assert.Equal(t, "ring twice", a.AppointmentNotes)

	got, err := c.Appointment(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)

	o, err = c.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, order.AppointmentScheduled, o.Status())
	next := av.Slots[1].Slots[2]
	moved, err := c.Reschedule(ctx, id, junction.RescheduleRequest{BookingKey: next.BookingKey},
		junction.WithFacts(junction.Facts{Order: o, Slot: next, Existing: []appointment.Appointment{got}}))
	require.NoError(t, err)
	assert.Equal(t, a.ID, moved.ID)
	assert.Equal(t, next.Start, moved.StartAt)

	reasons, err := c.CancellationReasons(ctx)
	require.NoError(t, err)
	require.Len(t, reasons, 11)
	cancelled, err := c.CancelAppointment(ctx, id, junction.CancelAppointmentRequest{
		CancellationReasonID: reasons[0].ID, Notes: "patient travelling"})
	require.NoError(t, err)
	assert.Equal(t, appointment.Cancelled, cancelled.Status)

	gone, err := c.CancelOrder(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, order.Cancelled, gone.Order.Status())
}

func TestRequestAndSimulate(t *testing.T) {
	srv, c := newSandbox(t, nil)
	ctx := context.Background()
	o := place(t, c, newOrderRequest("54650"))
	require.NoError(t, srv.Apply(o.ID, scheduling.Flow.CreateRequisition))
	at := home
	at.ZipCode = "54650"
	a, err := c.Request(ctx, o.ID, junction.RequestAppointmentRequest{Address: &at, Provider: provider.Phlebfinders,
		AppointmentNotes: "call first"}, junction.WithFacts(junction.Facts{Order: o}))
	require.NoError(t, err)
	assert.Equal(t, appointment.Pending, a.Status)
	assert.True(t, a.StartAt.IsZero())

	o2 := place(t, c, newOrderRequest(""))
	require.NoError(t, c.Simulate(ctx, o2.ID, junction.SimulateRequest{FinalStatus: order.Completed}))
	srv.Advance(time.Hour)
	got, err := c.Order(ctx, o2.ID)
	require.NoError(t, err)
	assert.Equal(t, order.Completed, got.Status())
	require.NoError(t, c.Simulate(ctx, place(t, c, newOrderRequest("")).ID,
		junction.SimulateRequest{FinalStatus: order.DrawCompleted, Delay: time.Minute}, junction.WithIdempotencyKey("k")))

	_, err = c.CancelOrder(ctx, o2.ID)
	requireAPIError(t, err, 400, junction.ErrRefused, false)
	err = c.Simulate(ctx, o2.ID, junction.SimulateRequest{FinalStatus: order.Ordered})
	requireAPIError(t, err, 400, junction.ErrRefused, false)
}

// TestSandboxRefusals sends requests the sandbox refuses, with the local
// checks off, and checks the typed error of each.
func TestSandboxRefusals(t *testing.T) {
	srv, c := newSandbox(t, nil, junction.WithoutLocalChecks())
	ctx := context.Background()
	o := place(t, c, newOrderRequest(""))
	slot := firstSlot(t, c, home)
	under := newOrderRequest("")
	under.Patient.DOB = order.Date{Year: 2015, Month: 1, Day: 1}
	young := place(t, c, under)
	require.NoError(t, srv.Apply(young.ID, scheduling.Flow.CreateRequisition))
	other := home
	other.ZipCode = "10001"

	tests := []struct {
		name     string
		call     func() error
		status   int
		sentinel error
	}{
		{"create order without patient", func() error {
			r := newOrderRequest("")
			r.Patient = nil
			_, err := c.CreateOrder(ctx, r)
			return err
		}, 422, junction.ErrValidation},
		{"get unknown order", func() error { _, err := c.Order(ctx, unknownOrder); return err }, 404, junction.ErrNotFound},
		{"get order by a bad id", func() error { _, err := c.Order(ctx, "not-a-uuid"); return err }, 422, junction.ErrValidation},
		{"cancel unknown order", func() error { _, err := c.CancelOrder(ctx, unknownOrder); return err }, 404, junction.ErrNotFound},
		{"availability in an area not served", func() error {
			_, err := c.Availability(ctx, junction.AvailabilityRequest{Address: other})
			return err
		}, 422, junction.ErrValidation},
		{"availability at an unreachable address", func() error {
			a := home
			a.FirstLine = "Main Street"
			_, err := c.Availability(ctx, junction.AvailabilityRequest{Address: a})
			return err
		}, 422, junction.ErrValidation},
		{"book before the requisition", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: slot.BookingKey})
			return err
		}, 400, junction.ErrRefused},
		{"book an unknown key", func() error {
			_, err := c.Book(ctx, young.ID, junction.BookRequest{BookingKey: "bk_nope"})
			return err
		}, 422, junction.ErrValidation},
		{"book without a key", func() error { _, err := c.Book(ctx, young.ID, junction.BookRequest{}); return err }, 422, junction.ErrValidation},
		{"book for an underage patient", func() error {
			_, err := c.Book(ctx, young.ID, junction.BookRequest{BookingKey: slot.BookingKey})
			return err
		}, 422, junction.ErrValidation},
		{"book with a timeout out of range", func() error {
			_, err := c.Book(ctx, young.ID, junction.BookRequest{BookingKey: slot.BookingKey, SyncConfirmationTimeoutMS: ptr[int64](1)})
			return err
		}, 422, junction.ErrValidation},
		{"request from a provider that books", func() error {
			_, err := c.Request(ctx, young.ID, junction.RequestAppointmentRequest{Address: &home, Provider: provider.Getlabs})
			return err
		}, 422, junction.ErrValidation},
		{"request without an address", func() error {
			_, err := c.Request(ctx, young.ID, junction.RequestAppointmentRequest{Provider: provider.Phlebfinders})
			return err
		}, 422, junction.ErrValidation},
		{"reschedule without an appointment", func() error {
			_, err := c.Reschedule(ctx, young.ID, junction.RescheduleRequest{BookingKey: slot.BookingKey})
			return err
		}, 400, junction.ErrRefused},
		{"cancel without an appointment", func() error {
			_, err := c.CancelAppointment(ctx, young.ID, junction.CancelAppointmentRequest{CancellationReasonID: "5c0257ef-6fea-4a22-b20a-3ddab573d5c9"})
			return err
		}, 400, junction.ErrRefused},
		{"cancel for an unknown reason", func() error {
			_, err := c.CancelAppointment(ctx, young.ID, junction.CancelAppointmentRequest{CancellationReasonID: "nope"})
			return err
		}, 422, junction.ErrValidation},
		{"cancel without a reason", func() error {
			_, err := c.CancelAppointment(ctx, young.ID, junction.CancelAppointmentRequest{})
			return err
		}, 422, junction.ErrValidation},
		{"appointment of an order without one", func() error { _, err := c.Appointment(ctx, o.ID); return err }, 404, junction.ErrNotFound},
		{"simulate an unknown order", func() error {
			return c.Simulate(ctx, unknownOrder, junction.SimulateRequest{})
		}, 404, junction.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireAPIError(t, tt.call(), tt.status, tt.sentinel, false)
		})
	}
}

// TestSandboxProblems checks that a 422's detail list comes back as
// problems, each with its location.
func TestSandboxProblems(t *testing.T) {
	_, c := newSandbox(t, nil)
	r := newOrderRequest("")
	r.Patient.FirstName, r.UserID = "", ""
	_, err := c.CreateOrder(context.Background(), r)
	ae := requireAPIError(t, err, 422, junction.ErrValidation, false)
	var locs []string
	for _, p := range ae.Detail.Problems {
		locs = append(locs, strings.SplitN(p.String(), ":", 2)[0])
	}
	assert.Equal(t, []string{"body.user_id", "body.patient_details.first_name"}, locs)
}

// TestLocalChecks checks that what the sandbox would refuse, the client
// refuses without sending, with the same typed error and the rule's.
func TestLocalChecks(t *testing.T) {
	srv, c := newSandbox(t, []sandbox.Option{sandbox.WithPreRequisitionScheduling()}, junction.WithLeadTime())
	ctx := context.Background()
	under := newOrderRequest("")
	under.Patient.DOB = order.Date{Year: 2015, Month: 1, Day: 1}
	young := place(t, c, under)
	o := place(t, c, newOrderRequest(""))
	slot := firstSlot(t, c, home) // 2026-11-24 15:00 UTC: 30 hours ahead
	av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: home, StartDate: order.Date{Year: 2026, Month: 11, Day: 27}})
	require.NoError(t, err)
	later := av.Slots[0].Slots[0]
	active := appointment.Appointment{ID: "a-1", Provider: provider.Getlabs, Status: appointment.Confirmed}
	far := home
	far.FirstLine = "Main Street"
	phlebotomy := home
	phlebotomy.ZipCode = "54650"
	long := strings.Repeat("x", scheduling.MaxNotes+1)
	stale := o
	stale.CreatedAt = t0.Add(-9 * time.Hour)

	tests := []struct {
		name     string
		call     func() error
		status   int
		sentinel error
		rule     error
	}{
		{"book for an underage patient", func() error {
			_, err := c.Book(ctx, young.ID, junction.BookRequest{BookingKey: later.BookingKey},
				junction.WithFacts(junction.Facts{Order: young, Slot: later}))
			return err
		}, 422, junction.ErrValidation, scheduling.ErrUnderage},
		{"book too soon", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: slot.BookingKey}, junction.WithFacts(junction.Facts{Order: o, Slot: slot}))
			return err
		}, 422, junction.ErrValidation, scheduling.ErrLeadTime},
		{"book with an active appointment", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: later.BookingKey},
				junction.WithFacts(junction.Facts{Order: o, Slot: later, Existing: []appointment.Appointment{active}}))
			return err
		}, 400, junction.ErrRefused, scheduling.ErrActiveAppointment},
		{"book what auto-cancellation would cancel", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: later.BookingKey}, junction.WithFacts(junction.Facts{Order: stale, Slot: later}))
			return err
		}, 422, junction.ErrValidation, scheduling.ErrAutoCancel},
		{"book with long notes", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: later.BookingKey, AppointmentNotes: long})
			return err
		}, 422, junction.ErrValidation, scheduling.ErrNotesTooLong},
		{"book without a key", func() error { _, err := c.Book(ctx, o.ID, junction.BookRequest{}); return err }, 422, junction.ErrValidation, nil},
		{"book with a sync timeout out of range", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: "k", SyncConfirmationTimeoutMS: ptr[int64](10_001)})
			return err
		}, 422, junction.ErrValidation, nil},
		{"book with an async timeout out of range", func() error {
			_, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: "k", AsyncConfirmationTimeoutMS: ptr[int64](59_999)})
			return err
		}, 422, junction.ErrValidation, nil},
		{"book for no order", func() error { _, err := c.Book(ctx, "", junction.BookRequest{BookingKey: "k"}); return err }, 422, junction.ErrValidation, nil},
		{"reschedule too soon", func() error {
			_, err := c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: slot.BookingKey}, junction.WithFacts(junction.Facts{Order: o, Slot: slot}))
			return err
		}, 422, junction.ErrValidation, scheduling.ErrLeadTime},
		{"reschedule with long notes", func() error {
			_, err := c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: "k", AppointmentNotes: long})
			return err
		}, 422, junction.ErrValidation, scheduling.ErrNotesTooLong},
		{"reschedule without a key", func() error { _, err := c.Reschedule(ctx, o.ID, junction.RescheduleRequest{}); return err }, 422, junction.ErrValidation, nil},
		{"request at an unreachable address", func() error {
			_, err := c.Request(ctx, o.ID, junction.RequestAppointmentRequest{Address: &far, Provider: provider.Phlebfinders})
			return err
		}, 422, junction.ErrValidation, scheduling.ErrAddress},
		{"request from a provider that books", func() error {
			_, err := c.Request(ctx, o.ID, junction.RequestAppointmentRequest{Address: &phlebotomy, Provider: provider.Getlabs})
			return err
		}, 422, junction.ErrValidation, scheduling.ErrTierMismatch},
		{"request for an underage patient", func() error {
			_, err := c.Request(ctx, young.ID, junction.RequestAppointmentRequest{Address: &phlebotomy, Provider: provider.Phlebfinders},
				junction.WithFacts(junction.Facts{Order: young}))
			return err
		}, 422, junction.ErrValidation, scheduling.ErrUnderage},
		{"request without a provider", func() error {
			_, err := c.Request(ctx, o.ID, junction.RequestAppointmentRequest{Address: &phlebotomy})
			return err
		}, 422, junction.ErrValidation, nil},
		{"request without an address", func() error {
			_, err := c.Request(ctx, o.ID, junction.RequestAppointmentRequest{Provider: provider.Phlebfinders})
			return err
		}, 422, junction.ErrValidation, nil},
		{"cancel without a reason", func() error {
			_, err := c.CancelAppointment(ctx, o.ID, junction.CancelAppointmentRequest{})
			return err
		}, 422, junction.ErrValidation, nil},
		{"area info for a bad zip code", func() error {
			_, err := c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "8500"})
			return err
		}, 422, junction.ErrValidation, provider.ErrInvalidZipCode},
		{"area info for a bad radius", func() error {
			_, err := c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "85004", Radius: 7})
			return err
		}, 422, junction.ErrValidation, provider.ErrInvalidRadius},
		{"availability from a bad date", func() error {
			_, err := c.Availability(ctx, junction.AvailabilityRequest{Address: home, StartDate: order.Date{Year: 2026, Month: 2, Day: 30}})
			return err
		}, 422, junction.ErrValidation, order.ErrMalformed},
		{"get order without an id", func() error { _, err := c.Order(ctx, ""); return err }, 422, junction.ErrValidation, nil},
		{"cancel order without an id", func() error { _, err := c.CancelOrder(ctx, ""); return err }, 422, junction.ErrValidation, nil},
		{"appointment without an id", func() error { _, err := c.Appointment(ctx, ""); return err }, 422, junction.ErrValidation, nil},
		{"simulate without an id", func() error { return c.Simulate(ctx, "", junction.SimulateRequest{}) }, 422, junction.ErrValidation, nil},
		{"simulate to no status", func() error {
			return c.Simulate(ctx, o.ID, junction.SimulateRequest{FinalStatus: order.Status(200)})
		}, 422, junction.ErrValidation, nil},
		{"simulate with a fraction of a second", func() error {
			return c.Simulate(ctx, o.ID, junction.SimulateRequest{Delay: time.Millisecond})
		}, 422, junction.ErrValidation, nil},
		{"simulate with a negative delay", func() error {
			return c.Simulate(ctx, o.ID, junction.SimulateRequest{Delay: -time.Second})
		}, 422, junction.ErrValidation, nil},
		{"create an order that cannot be encoded", func() error {
			r := newOrderRequest("")
			r.ActivateBy = order.Date{Year: 2026, Month: 2, Day: 30}
			_, err := c.CreateOrder(ctx, r)
			return err
		}, 422, junction.ErrValidation, nil},
		{"request with an invalid provider", func() error {
			_, err := c.Request(ctx, o.ID, junction.RequestAppointmentRequest{Address: &phlebotomy, Provider: provider.Provider(99)})
			return err
		}, 422, junction.ErrValidation, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := requireAPIError(t, tt.call(), tt.status, tt.sentinel, true)
			if tt.rule != nil {
				assert.ErrorIs(t, ae, tt.rule)
			}
			assert.NotEmpty(t, ae.Detail.String())
		})
	}
	// Nothing was sent: the orders have no appointment.
	for _, id := range []string{o.ID, young.ID} {
		got, err := srv.Order(id)
		require.NoError(t, err)
		assert.Empty(t, got.AppointmentID())
	}
}

// TestLocalChecksAgree checks that what the client lets through with the
// local checks on, the sandbox accepts: a booking 48 hours ahead, a
// reschedule keeping the moved appointment out of the active rule, and a
// request before the requisition.
func TestLocalChecksAgree(t *testing.T) {
	srv, c := newSandbox(t, []sandbox.Option{sandbox.WithPreRequisitionScheduling()}, junction.WithLeadTime())
	ctx := context.Background()
	o := place(t, c, newOrderRequest(""))
	av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: home, StartDate: order.Date{Year: 2026, Month: 11, Day: 27}})
	require.NoError(t, err)
	a, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: av.Slots[0].Slots[0].BookingKey},
		junction.WithFacts(junction.Facts{Order: o, Slot: av.Slots[0].Slots[0]}))
	require.NoError(t, err)
	assert.Equal(t, appointment.Reserved, a.Status)
	o, err = c.Order(ctx, o.ID)
	require.NoError(t, err)
	require.NoError(t, srv.Apply(o.ID, scheduling.Flow.CreateRequisition))
	a, err = c.Appointment(ctx, o.ID)
	require.NoError(t, err)
	o, err = c.Order(ctx, o.ID)
	require.NoError(t, err)
	next := av.Slots[1].Slots[0]
	_, err = c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: next.BookingKey},
		junction.WithFacts(junction.Facts{Order: o, Slot: next, Existing: []appointment.Appointment{a}}))
	require.NoError(t, err)

	r := place(t, c, newOrderRequest("54650"))
	at := home
	at.ZipCode = "54650"
	_, err = c.Request(ctx, r.ID, junction.RequestAppointmentRequest{Address: &at, Provider: provider.Phlebfinders},
		junction.WithFacts(junction.Facts{Order: r}))
	require.NoError(t, err)
}

// TestAPIErrorIs checks the sentinel of each status.
func TestAPIErrorIs(t *testing.T) {
	for status, want := range map[int]error{400: junction.ErrRefused, 401: junction.ErrUnauthorized,
		403: junction.ErrUnauthorized, 404: junction.ErrNotFound, 409: junction.ErrStatus, 422: junction.ErrValidation,
		429: junction.ErrRateLimited, 500: junction.ErrServer, 599: junction.ErrServer, 600: junction.ErrStatus,
		499: junction.ErrStatus, 302: junction.ErrStatus} {
		err := error(&junction.APIError{StatusCode: status})
		assert.ErrorIs(t, err, want, "status %d", status)
		for _, other := range []error{junction.ErrRefused, junction.ErrUnauthorized, junction.ErrNotFound,
			junction.ErrStatus, junction.ErrValidation, junction.ErrRateLimited, junction.ErrServer} {
			if other != want {
				assert.False(t, errors.Is(err, other), "status %d is %v", status, other)
			}
		}
	}
}

// TestSandboxKeysAndIdempotency checks the client against the sandbox's
// API keys and idempotency keys.
func TestSandboxKeysAndIdempotency(t *testing.T) {
	srv, c := newSandbox(t, []sandbox.Option{sandbox.WithAPIKeys("sk_us_test")})
	ctx := context.Background()
	first, err := c.CreateOrder(ctx, newOrderRequest(""), junction.WithIdempotencyKey("order-1"))
	require.NoError(t, err)
	again, err := c.CreateOrder(ctx, newOrderRequest(""), junction.WithIdempotencyKey("order-1"))
	require.NoError(t, err)
	assert.Equal(t, first.Order.ID, again.Order.ID, "the same key returns the first order")
	other, err := c.CreateOrder(ctx, newOrderRequest(""))
	require.NoError(t, err)
	assert.NotEqual(t, first.Order.ID, other.Order.ID, "the client makes a new key per call")
	assert.Equal(t, "gate code 1234", first.Order.Address.AccessNotes)

	wrong, err := junction.New("sk_us_wrong", junction.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = wrong.Order(ctx, first.Order.ID)
	ae := requireAPIError(t, err, 401, junction.ErrUnauthorized, false)
	assert.NotEmpty(t, ae.Detail.Message)
	assert.NotContains(t, err.Error(), "sk_us_wrong")
}
