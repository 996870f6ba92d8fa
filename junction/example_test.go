package junction_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// exampleSandbox starts a sandbox at Monday 23 November 2026, 09:00 UTC,
// and returns it with a client that calls it on its virtual clock.
func exampleSandbox() (*sandbox.Server, *junction.Client) {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		log.Fatal(err)
	}
	c, err := junction.New("sk_us_example", junction.WithBaseURL(srv.URL), junction.WithClock(srv.Now))
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

// exampleOrder is a create-order request for a patient in Phoenix, whose
// zip code Getlabs serves in the sandbox.
func exampleOrder() junction.CreateOrderRequest {
	return junction.CreateOrderRequest{
		UserID:    "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		LabTestID: sandbox.LabTestAtHomePhlebotomy,
		Patient: &order.Patient{FirstName: "Ada", LastName: "Lovelace", DOB: order.Date{Year: 1990, Month: 6, Day: 15},
			Gender: "female", PhoneNumber: "+16025550123", Email: "ada@example.com"},
		Address: &order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004",
			Country: "US", AccessNotes: "gate code 1234"},
	}
}

// Example books, reschedules and cancels an appointment: area, order,
// availability, book, reschedule, cancel.
func Example() {
	srv, c := exampleSandbox()
	defer srv.Close()
	ctx := context.Background()

	info, err := c.AreaInfo(ctx, provider.AreaQuery{ZipCode: "85004"})
	if err != nil {
		log.Fatal(err)
	}
	p, err := info.ForBooking() // who Junction will send
	if err != nil {
		log.Fatal(err)
	}
	placed, err := c.CreateOrder(ctx, exampleOrder()) // with an idempotency key: safe to retry
	if err != nil {
		log.Fatal(err)
	}
	o := placed.Order
	_ = srv.Apply(o.ID, scheduling.Flow.CreateRequisition) // what Junction's dashboard does
	if o, err = c.Order(ctx, o.ID); err != nil {
		log.Fatal(err)
	}

	av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: o.Address})
	if err != nil {
		log.Fatal(err)
	}
	slot := av.Slots[1].Slots[0]
	a, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: slot.BookingKey},
		junction.WithFacts(junction.Facts{Order: o, Slot: slot, Provider: p})) // the rules, checked first
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Provider, a.Status, a.StartAt)

	next := av.Slots[2].Slots[1]
	a, err = c.Reschedule(ctx, o.ID, junction.RescheduleRequest{BookingKey: next.BookingKey})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Status, a.StartAt)

	reasons, err := c.CancellationReasons(ctx)
	if err != nil {
		log.Fatal(err)
	}
	a, err = c.CancelAppointment(ctx, o.ID, junction.CancelAppointmentRequest{CancellationReasonID: reasons[3].ID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Status, reasons[3].Name)
	// Output:
	// getlabs confirmed 2026-11-24 15:00:00 +0000 UTC
	// confirmed 2026-11-25 17:00:00 +0000 UTC
	// cancelled No longer interested
}

// ExampleClient_CreateOrder places an order and reads it back.
func ExampleClient_CreateOrder() {
	srv, c := exampleSandbox()
	defer srv.Close()
	ctx := context.Background()

	placed, err := c.CreateOrder(ctx, exampleOrder())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(placed.Status, placed.Message, placed.Order.Status())
	o, err := c.Order(ctx, placed.Order.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(o.Patient.FirstName, o.Patient.DOB, o.Address.ZipCode)
	gone, err := c.CancelOrder(ctx, o.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(gone.Order.Status())
	// Output:
	// success Order created successfully ordered
	// Ada 1990-06-15 85004
	// cancelled
}

// ExampleClient_Availability lists the slots offered at an address, each
// with the booking key that books it.
func ExampleClient_Availability() {
	srv, c := exampleSandbox()
	defer srv.Close()

	av, err := c.Availability(context.Background(), junction.AvailabilityRequest{
		Address:   order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
		StartDate: order.Date{Year: 2026, Month: 11, Day: 25},
	})
	if err != nil {
		log.Fatal(err)
	}
	zone, _ := time.LoadLocation(av.Timezone)
	day := av.Slots[0]
	fmt.Println(av.Timezone, day.Date, len(day.Slots), "slots")
	for _, s := range day.Slots[:2] {
		fmt.Println(s.Start.In(zone).Format(time.Kitchen), "to", s.End.In(zone).Format(time.Kitchen), s.BookingKey != "")
	}
	// Output:
	// America/Phoenix 2026-11-25 5 slots
	// 8:00AM to 10:00AM true
	// 10:00AM to 12:00PM true
}

// ExampleClient_Request asks PhlebFinders for an appointment: it comes
// back pending, without a time.
func ExampleClient_Request() {
	srv, c := exampleSandbox()
	defer srv.Close()
	ctx := context.Background()

	r := exampleOrder()
	r.Address.ZipCode = "54650" // PhlebFinders takes requests there
	placed, err := c.CreateOrder(ctx, r)
	if err != nil {
		log.Fatal(err)
	}
	_ = srv.Apply(placed.Order.ID, scheduling.Flow.CreateRequisition)
	a, err := c.Request(ctx, placed.Order.ID, junction.RequestAppointmentRequest{
		Address: r.Address, Provider: provider.Phlebfinders, AppointmentNotes: "call on arrival"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Provider, a.Status, a.StartAt.IsZero(), a.AppointmentNotes)
	// Output:
	// phlebfinders pending true call on arrival
}

// ExampleWithFacts shows the local checks: a booking for a patient under
// 18 is refused without calling Junction, with the error Junction would
// answer and the rule's own.
func ExampleWithFacts() {
	srv, c := exampleSandbox()
	defer srv.Close()
	ctx := context.Background()

	r := exampleOrder()
	r.Patient.DOB = order.Date{Year: 2012, Month: 3, Day: 1}
	placed, err := c.CreateOrder(ctx, r)
	if err != nil {
		log.Fatal(err)
	}
	av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: *r.Address})
	if err != nil {
		log.Fatal(err)
	}
	slot := av.Slots[1].Slots[0]
	_, err = c.Book(ctx, placed.Order.ID, junction.BookRequest{BookingKey: slot.BookingKey},
		junction.WithFacts(junction.Facts{Order: placed.Order, Slot: slot}))
	var refusal *junction.APIError
	if errors.As(err, &refusal) {
		fmt.Println(refusal.StatusCode, refusal.Local)
	}
	fmt.Println(errors.Is(err, junction.ErrValidation), errors.Is(err, scheduling.ErrUnderage))
	// Output:
	// 422 true
	// true true
}

// ExampleAPIError branches on Junction's refusals: a transition the
// order's status forbids, and an order that does not exist.
func ExampleAPIError() {
	srv, c := exampleSandbox()
	defer srv.Close()
	ctx := context.Background()

	placed, err := c.CreateOrder(ctx, exampleOrder())
	if err != nil {
		log.Fatal(err)
	}
	_, _ = c.CancelOrder(ctx, placed.Order.ID)
	_, err = c.CancelOrder(ctx, placed.Order.ID)
	var refusal *junction.APIError
	if errors.As(err, &refusal) && errors.Is(err, junction.ErrRefused) {
		fmt.Println(refusal.StatusCode, refusal.Detail.Message)
	}
	_, err = c.Appointment(ctx, "00000000-0000-4000-8000-000000000000")
	fmt.Println(errors.Is(err, junction.ErrNotFound))
	// Output:
	// 400 Transition from cancelled to cancelled is not allowed
	// true
}

// ExampleDecodeErrorBody reads a 422 body: a list of problems, each with
// where it is.
func ExampleDecodeErrorBody() {
	b, err := junction.DecodeErrorBody([]byte(`{"detail": [
		{"loc": ["body", "patient_details", "dob"], "msg": "invalid date format", "type": "value_error.date"},
		{"loc": ["body", "patient_address", "zip"], "msg": "field required", "type": "value_error.missing"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range b.Detail.Problems {
		fmt.Println(p)
	}
	// Output:
	// body.patient_details.dob: invalid date format
	// body.patient_address.zip: field required
}

// ExampleWithRetryPolicy retries a read that Junction answers 503 twice,
// waiting as the policy says.
func ExampleWithRetryPolicy() {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n++; n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `[{"id": "5c0257ef-6fea-4a22-b20a-3ddab573d5c9", "name": "Did not fast for appointment", "is_refundable": true}]`)
	}))
	defer srv.Close()
	c, err := junction.New("sk_us_example", junction.WithBaseURL(srv.URL),
		junction.WithRetryPolicy(junction.RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond}),
		junction.WithJitter(func() float64 { return 0.5 }),
		junction.WithSleep(func(ctx context.Context, d time.Duration) error {
			fmt.Println("waiting", d)
			return nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	reasons, err := c.CancellationReasons(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reasons[0].Name)
	// Output:
	// waiting 75ms
	// waiting 150ms
	// Did not fast for appointment
}
