package webhookhttp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// secret is an endpoint's signing secret as Junction's dashboard shows it.
// A real service reads it from its environment, such as
// os.Getenv("JUNCTION_WEBHOOK_SECRET"); never put it in the code.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// The bodies of four deliveries: an at-home phlebotomy order whose
// requisition was just created, its appointment rescheduled, a sleep
// summary and a walk-in order, which are not this library's.
const (
	orderUpdated = `{"event_type": "labtest.order.updated", "user_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
	 "client_user_id": "3Zru4O8cBEiwGTsXgUQGaQ==", "team_id": "6353bcab-3526-4838-8c92-063fa760fb6b",
	 "data": {"id": "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", "details": {"type": "at_home_phlebotomy", "data": {"appointment_id": null}},
	  "events": [{"id": 1, "created_at": "2026-11-20T09:00:00Z", "status": "received.at_home_phlebotomy.ordered"},
	             {"id": 2, "created_at": "2026-11-21T09:00:00Z", "status": "received.at_home_phlebotomy.requisition_created"}]}}`
	appointmentUpdated = `{"event_type": "labtest.appointment.updated",
	 "data": {"id": "06c2c65b-74a0-4f25-a4a9-44f796296355", "order_id": "84d96c03-6b1c-4226-ad8f-ef44a6bc08af",
	  "type": "phlebotomy", "provider": "getlabs", "status": "confirmed", "event_status": "scheduled",
	  "start_at": "2026-11-24T16:00:00Z", "end_at": "2026-11-24T18:00:00Z",
	  "event_data": {"origin": "patient", "is_reschedule": true},
	  "events": [{"created_at": "2026-11-21T09:10:00Z", "status": "scheduled", "data": {"origin": "patient", "is_reschedule": true}}]}}`
	sleepCreated = `{"event_type": "daily.data.sleep.created", "user_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "data": {}}`
	walkInOrder  = `{"event_type": "labtest.order.updated", "data": {"id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
	 "details": {"type": "walk_in_test"}, "events": [{"id": 5, "status": "received.walk_in_test.ordered"}]}}`
)

// at is when the deliveries of the examples are sent and received.
var at = time.Date(2026, 11, 21, 9, 15, 0, 0, time.UTC)

// ExampleNewHandler serves Junction's webhooks: each at-home phlebotomy
// event is routed by its type; other events are acknowledged and ignored,
// and forged deliveries refused.
func ExampleNewHandler() {
	h, err := webhookhttp.NewHandler(secret, func(ctx context.Context, e webhook.Event) error {
		// Junction may deliver an event twice, and out of order: process
		// it idempotently, keyed by e.ID, or by the history it carries.
		switch e.Type {
		case webhook.OrderCreated, webhook.OrderUpdated:
			fmt.Println("order", e.Order.ID, "is", e.Order.Status())
		case webhook.AppointmentCreated, webhook.AppointmentUpdated:
			a := e.Appointment
			fmt.Println("appointment", a.ID, "is", a.EffectiveStatus(), "from", a.StartAt.Format(time.RFC3339))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	h.Now = func() time.Time { return at } // a fixed clock, for the example
	h.Ignored = func(ctx context.Context, e webhook.Event, err error) {
		fmt.Println("ignored:", err)
	}
	h.Rejected = func(r *http.Request, status int, err error) {
		fmt.Println("rejected:", status, errors.Is(err, webhook.ErrUnverified))
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	deliver := func(id, body, signedWith string) {
		hdr, err := webhook.Sign(signedWith, id, at, []byte(body))
		if err != nil {
			panic(err)
		}
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader([]byte(body)))
		if err != nil {
			panic(err)
		}
		req.Header = hdr
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println("->", resp.StatusCode)
	}
	deliver("msg_1", orderUpdated, secret)
	deliver("msg_2", appointmentUpdated, secret)
	deliver("msg_3", sleepCreated, secret)
	deliver("msg_4", walkInOrder, secret)
	deliver("msg_5", orderUpdated, "whsec_c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24=")
	// Output:
	// order 84d96c03-6b1c-4226-ad8f-ef44a6bc08af is requisition_created
	// -> 204
	// appointment 06c2c65b-74a0-4f25-a4a9-44f796296355 is confirmed from 2026-11-24T16:00:00Z
	// -> 204
	// ignored: webhook: not an at-home phlebotomy event: daily.data.sleep.created
	// -> 204
	// ignored: webhook: not an at-home phlebotomy event: a walk_in_test order
	// -> 204
	// rejected: 401 true
	// -> 401
}

// ExampleHandler sets a Handler's limits and hooks by hand, and verifies
// with two secrets while the endpoint's secret is rotated.
func ExampleHandler() {
	const next = "whsec_c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24=" // the new secret
	v, err := webhook.NewVerifier(secret, next)
	if err != nil {
		panic(err)
	}
	h := &webhookhttp.Handler{
		Verifier:     v,
		Handle:       func(ctx context.Context, e webhook.Event) error { return nil },
		MaxBodyBytes: 64 << 10,
		Timeout:      5 * time.Second,
		Now:          func() time.Time { return at },
		Rejected: func(r *http.Request, status int, err error) {
			fmt.Println(status, err)
		},
	}
	body := []byte(orderUpdated)
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		r := httptest.NewRequest(method, "/webhooks/junction", bytes.NewReader(body))
		r.Header, err = webhook.Sign(next, "msg_1", at, body) // what Junction sends, once it signs with the new one
		if err != nil {
			panic(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Header().Values("Allow"))
	}
	// Output:
	// 204 []
	// 405 webhookhttp: bad request: method GET not allowed
	// 405 [POST]
}
