package junction_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

func TestSuccessStatuses(t *testing.T) {
	for _, tt := range []struct {
		status int
		ok     bool
	}{{200, true}, {201, true}, {299, true}, {300, false}} {
		srv, _ := script(t, answer{tt.status, apptBody, nil})
		c, _ := client(t, srv, 0)
		a, err := c.Appointment(context.Background(), "o-1")
		if tt.ok {
			require.NoError(t, err, "status %d", tt.status)
			assert.Equal(t, "a-1", a.ID)
			continue
		}
		requireAPIError(t, err, tt.status, junction.ErrStatus, false)
	}
}

func TestRetryableStatuses(t *testing.T) {
	for _, tt := range []struct {
		status   int
		attempts int
	}{{429, 2}, {500, 2}, {599, 2}, {428, 1}, {430, 1}, {499, 1}, {600, 1}} {
		srv, seen := script(t, answer{tt.status, `{"detail":"x"}`, nil}, answer{200, apptBody, nil})
		c, _ := client(t, srv, 0)
		_, _ = c.Appointment(context.Background(), "o-1")
		assert.Equal(t, tt.attempts, seen.count(), "status %d", tt.status)
	}
}

func TestBackoffEdges(t *testing.T) {
	// The default base delay when only the attempts are given.
	srv, _ := script(t, answer{503, unavailable, nil})
	c, w := client(t, srv, 0, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 3}))
	_, _ = c.Appointment(context.Background(), "o-1")
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, w.d)

	// A delay at the cap is not doubled again.
	const huge = time.Duration(1 << 62)
	c, w = client(t, srv, 0, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 3, BaseDelay: huge,
		MaxDelay: huge, MaxElapsed: huge}))
	_, _ = c.Appointment(context.Background(), "o-1")
	assert.Equal(t, []time.Duration{huge / 2, huge / 2}, w.d, "the fixed clock stands still")

	// The cap by default.
	c, w = client(t, srv, 0, junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 8, BaseDelay: 2 * time.Second,
		MaxElapsed: time.Hour}))
	_, _ = c.Appointment(context.Background(), "o-1")
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second,
		4 * time.Second, 4 * time.Second}, w.d)
}

func TestRetriedWithKey(t *testing.T) {
	ctx := context.Background()
	orderBody := `{"order":{"id":"o-1"},"status":"success","message":"Order cancelled successfully"}`
	calls := map[string]func(*junction.Client) error{
		"cancel order": func(c *junction.Client) error {
			_, err := c.CancelOrder(ctx, "o-1", junction.WithIdempotencyKey("k"))
			return err
		},
		"simulate": func(c *junction.Client) error {
			return c.Simulate(ctx, "o-1", junction.SimulateRequest{}, junction.WithIdempotencyKey("k"))
		},
		"cancel appointment": func(c *junction.Client) error {
			_, err := c.CancelAppointment(ctx, "o-1", junction.CancelAppointmentRequest{CancellationReasonID: "r"}, junction.WithIdempotencyKey("k"))
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			body := apptBody
			if name == "cancel order" {
				body = orderBody
			}
			srv, seen := script(t, answer{502, ``, nil}, answer{200, body, nil})
			c, _ := client(t, srv, 0)
			require.NoError(t, call(c))
			assert.Equal(t, 2, seen.count())
			assert.Equal(t, "k", seen.requests[1].Header.Get("X-Idempotency-Key"))
		})
	}
}

func TestQueries(t *testing.T) {
	ctx := context.Background()
	srv, seen := script(t, answer{200, `{"slots":[]}`, nil})
	c, _ := client(t, srv, 0)
	_, err := c.Availability(ctx, junction.AvailabilityRequest{Address: home, StartDate: order.Date{Year: 2026, Month: 11, Day: 25}})
	require.NoError(t, err)
	_, err = c.Availability(ctx, junction.AvailabilityRequest{Address: home})
	require.NoError(t, err)
	require.NoError(t, c.Simulate(ctx, "o-1", junction.SimulateRequest{FinalStatus: order.DrawCompleted, Delay: time.Minute}))
	require.NoError(t, c.Simulate(ctx, "o-1", junction.SimulateRequest{}))
	require.NoError(t, c.Simulate(ctx, "o-1", junction.SimulateRequest{Delay: time.Second}))
	var uris []string
	for _, r := range seen.requests {
		uris = append(uris, r.RequestURI)
	}
	assert.Equal(t, []string{
		"/v3/order/phlebotomy/appointment/availability?start_date=2026-11-25",
		"/v3/order/phlebotomy/appointment/availability",
		"/v3/order/o-1/test?delay=60&final_status=draw_completed",
		"/v3/order/o-1/test",
		"/v3/order/o-1/test?delay=1",
	}, uris)
	assert.JSONEq(t, `{"first_line":"123 Main St.","city":"Phoenix","state":"AZ","zip_code":"85004","country":"US",
		"access_notes":"gate code 1234"}`, seen.bodies[0])
}

func TestTimeoutBounds(t *testing.T) {
	ctx := context.Background()
	srv, seen := script(t, answer{200, apptBody, nil})
	c, _ := client(t, srv, 0)
	for _, r := range []junction.BookRequest{
		{BookingKey: "k", SyncConfirmationTimeoutMS: ptr[int64](1000)},
		{BookingKey: "k", SyncConfirmationTimeoutMS: ptr[int64](10_000)},
		{BookingKey: "k", AsyncConfirmationTimeoutMS: ptr[int64](60_000)},
		{BookingKey: "k", AsyncConfirmationTimeoutMS: ptr[int64](172_800_000)},
	} {
		_, err := c.Book(ctx, "o-1", r)
		require.NoError(t, err)
	}
	assert.Equal(t, 4, seen.count())
	for _, r := range []junction.BookRequest{
		{BookingKey: "k", SyncConfirmationTimeoutMS: ptr[int64](999)},
		{BookingKey: "k", AsyncConfirmationTimeoutMS: ptr[int64](172_800_001)},
	} {
		_, err := c.Book(ctx, "o-1", r)
		ae := requireAPIError(t, err, 422, junction.ErrValidation, true)
		assert.Contains(t, ae.Detail.String(), "ensure this value is between")
	}
	assert.Equal(t, 4, seen.count())
}

func TestRescheduleProvider(t *testing.T) {
	ctx := context.Background()
	srv, seen := script(t, answer{200, apptBody, nil})
	c, _ := client(t, srv, 0, junction.WithClock(func() time.Time { return t0 }))
	o := order.Order{ID: "o-1", Patient: ada, Address: home,
		Details: order.Details{Type: order.ModalityAtHomePhlebotomy, AppointmentID: "a-1"},
		History: []order.HistoryEntry{{ID: 1, Status: order.AppointmentScheduled}}}
	slot := junction.TimeSlot{BookingKey: "k", Start: t0.Add(72 * time.Hour), End: t0.Add(74 * time.Hour)}
	requested := appointment.Appointment{ID: "a-1", Provider: provider.Phlebfinders, Status: appointment.Pending}
	other := appointment.Appointment{ID: "a-2", Provider: provider.Phlebfinders, Status: appointment.Pending}

	// The active appointment is PhlebFinders': it cannot be moved to a slot.
	_, err := c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: "k"},
		junction.WithFacts(junction.Facts{Order: o, Slot: slot, Existing: []appointment.Appointment{requested}}))
	ae := requireAPIError(t, err, 422, junction.ErrValidation, true)
	assert.ErrorIs(t, ae, scheduling.ErrTierMismatch)
	// Another appointment of the patient's does not decide the provider.
	_, err = c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: "k"},
		junction.WithFacts(junction.Facts{Order: o, Slot: slot, Existing: []appointment.Appointment{other}}))
	require.NoError(t, err)
	// Without an active appointment, nor does an appointment that happens to have no id.
	o.Details.AppointmentID = ""
	_, err = c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: "k"},
		junction.WithFacts(junction.Facts{Order: o, Slot: slot, Existing: []appointment.Appointment{{Provider: provider.Phlebfinders}}}))
	require.NoError(t, err)
	assert.Equal(t, 2, seen.count())
}

func TestLocalProblems(t *testing.T) {
	ctx := context.Background()
	srv, _ := script(t, answer{200, `{}`, nil})
	c, _ := client(t, srv, 0)
	_, err := c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "8500"})
	var ae *junction.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, []any{"query", "zip_code"}, ae.Detail.Problems[0].Loc)
	_, err = c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "85004", Radius: 7})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, []any{"query", "radius"}, ae.Detail.Problems[0].Loc)
	_, err = c.Book(ctx, "o-1", junction.BookRequest{})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "junction: book: refused locally: 422 Unprocessable Entity: body.booking_key: field required", err.Error())

	// With the checks off, a request that cannot be encoded is still refused.
	c, _ = client(t, srv, 0, junction.WithoutLocalChecks())
	_, err = c.Request(ctx, "o-1", junction.RequestAppointmentRequest{Address: &home, Provider: provider.Provider(99)})
	requireAPIError(t, err, 422, junction.ErrValidation, true)
	_, err = c.Book(ctx, "o-1", junction.BookRequest{})
	require.NoError(t, err, "sent as it is")
}

func TestAreaInfoErrors(t *testing.T) {
	srv, _ := script(t, answer{404, `{"detail":"Not Found"}`, nil})
	c, _ := client(t, srv, 0)
	info, err := c.AreaInfo(context.Background(), provider.AreaQuery{ZipCode: "85004"})
	requireAPIError(t, err, 404, junction.ErrNotFound, false)
	assert.Equal(t, provider.AreaInfo{}, info)
	av, err := c.Availability(context.Background(), junction.AvailabilityRequest{Address: home})
	requireAPIError(t, err, 404, junction.ErrNotFound, false)
	assert.Nil(t, av.Slots)
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&junction.APIError{StatusCode: 600}, "junction: 600"},
		{&junction.APIError{Op: "book", StatusCode: 404, Detail: junction.Detail{Message: "Order not found"}}, "junction: book: 404 Not Found: Order not found"},
		{&junction.APIError{Op: "book", StatusCode: 400, Local: true}, "junction: book: refused locally: 400 Bad Request"},
		{&junction.RequestError{}, "junction: no answer"},
		{&junction.RequestError{Op: "book", Err: context.Canceled}, "junction: book: no answer: context canceled"},
		{&junction.RequestError{Op: "book", Err: context.Canceled, Last: &junction.APIError{Op: "book", StatusCode: 503}},
			"junction: book: no answer: context canceled (after book: 503 Service Unavailable)"},
		{&junction.DecodeError{}, "junction: decode"},
		{&junction.DecodeError{Err: junction.ErrMalformed}, "junction: decode"},
		{&junction.DecodeError{Op: "book", StatusCode: 200, Path: "/id", Err: errors.New("jsontext: bad")}, "junction: book: decode 200 answer /id: bad"},
		{&junction.DecodeError{Path: "/id", Reason: "why", Err: errors.New("other")}, "junction: decode /id: why"},
	}
	for _, tt := range tests {
		assert.EqualError(t, tt.err, tt.want)
	}
	cause := errors.New("cause")
	assert.Equal(t, []error{junction.ErrTransport}, (&junction.RequestError{}).Unwrap())
	assert.Equal(t, []error{junction.ErrTransport, cause}, (&junction.RequestError{Err: cause}).Unwrap())
	assert.Equal(t, []error{junction.ErrMalformed}, (&junction.DecodeError{}).Unwrap())
	assert.Equal(t, []error{junction.ErrMalformed}, (&junction.DecodeError{Err: junction.ErrMalformed}).Unwrap())
	assert.Equal(t, []error{junction.ErrMalformed, cause}, (&junction.DecodeError{Err: cause}).Unwrap())
	assert.Equal(t, []error{junction.ErrValidation, cause}, (&junction.APIError{StatusCode: 422, Cause: cause}).Unwrap())
}

func TestOptionsEdges(t *testing.T) {
	_, err := junction.New("k", nil, junction.WithMaxResponseBytes(1))
	require.NoError(t, err)
	srv, _ := script(t, answer{200, `[]`, nil})
	c, _ := client(t, srv, 0, junction.WithMaxResponseBytes(2))
	_, err = c.CancellationReasons(context.Background())
	require.NoError(t, err, "a body of exactly the bound is read")
	c, _ = client(t, srv, 0, junction.WithMaxResponseBytes(1))
	_, err = c.CancellationReasons(context.Background())
	assert.ErrorIs(t, err, junction.ErrMalformed)
	_, err = junction.New("k", junction.WithRetryPolicy(junction.RetryPolicy{}))
	require.NoError(t, err)

	srv, seen := script(t, answer{200, `[]`, nil})
	c, _ = client(t, srv, 0)
	_, err = c.CancellationReasons(context.Background())
	require.NoError(t, err)
	assert.NotContains(t, seen.requests[0].RequestURI, "?")
	assert.Equal(t, http.MethodGet, seen.requests[0].Method)
}

func TestProblemLocEmpty(t *testing.T) {
	b, err := junction.DecodeErrorBody([]byte(`{"detail":[{"loc":[],"msg":"m","type":"t"}]}`))
	require.NoError(t, err)
	assert.NotNil(t, b.Detail.Problems[0].Loc)
	assert.Empty(t, b.Detail.Problems[0].Loc)
	var s junction.TimeSlot
	require.NoError(t, json.Unmarshal([]byte(`{"start": "", "end": null, "booking_key": "k"}`), &s))
	assert.True(t, s.Start.IsZero())
	assert.Equal(t, "k", s.BookingKey)
}

func TestProblemInvalidUTF8(t *testing.T) {
	_, err := json.Marshal(junction.Problem{Loc: []any{"\xff"}, Msg: "m"})
	assert.Error(t, err)
}

func TestDefaultKeysAreUUIDs(t *testing.T) {
	srv, seen := script(t, answer{200, `{"order":{"id":"o-1"},"status":"success","message":"m"}`, nil})
	c, err := junction.New(apiKey, junction.WithBaseURL(srv.URL))
	require.NoError(t, err)
	keys := map[string]bool{}
	for range 64 {
		_, err := c.CreateOrder(context.Background(), newOrderRequest(""))
		require.NoError(t, err)
	}
	for _, r := range seen.requests {
		k := r.Header.Get("X-Idempotency-Key")
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, k)
		keys[k] = true
	}
	assert.Len(t, keys, 64)
}

// TestPublishedAnswers serves Junction's published example answers and
// checks that the client reads them.
func TestPublishedAnswers(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		return string(data)
	}
	ctx := context.Background()
	srv, _ := script(t, answer{200, read("appointment-booked.json"), nil})
	c, _ := client(t, srv, 0)
	a, err := c.Book(ctx, "o-1", junction.BookRequest{BookingKey: "k"})
	require.NoError(t, err)
	assert.Equal(t, provider.Getlabs, a.Provider)
	assert.NotEmpty(t, a.Address.AccessNotes)

	srv, _ = script(t, answer{200, read("area-info.json"), nil})
	c, _ = client(t, srv, 0)
	info, err := c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "85004"})
	require.NoError(t, err)
	assert.True(t, info.Served())

	srv, _ = script(t, answer{200, read("cancellation-reasons.json"), nil})
	c, _ = client(t, srv, 0)
	reasons, err := c.CancellationReasons(ctx)
	require.NoError(t, err)
	assert.Len(t, reasons, 11)

	srv, _ = script(t, answer{200, read("order-imported.json"), nil})
	c, _ = client(t, srv, 0)
	placed, err := c.CancelOrder(ctx, "o-1")
	require.NoError(t, err)
	assert.Equal(t, order.RequisitionBypassed, placed.Order.Status())
}
