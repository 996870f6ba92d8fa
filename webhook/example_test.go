package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// ExampleVerifier_Parse verifies a delivery and decodes its event, as a
// handler written by hand does with the request's headers and body.
func ExampleVerifier_Parse() {
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		panic(err)
	}
	body := []byte(orderUpdated)
	header := v.Sign("msg_2fY8kQpLZ", at, body) // what Junction sends

	e, err := v.Parse(header, body, at.Add(2*time.Second))
	switch {
	case errors.Is(err, webhook.ErrUnverified):
		fmt.Println("401:", err)
	case errors.Is(err, webhook.ErrNotPhlebotomy):
		fmt.Println("204, ignored:", err)
	case err != nil:
		fmt.Println("400 or 422:", err)
	default:
		fmt.Println(e.ID, e.Type)
		fmt.Println(e.OrderID(), e.Order.Status(), e.At().Format(time.RFC3339))
		fmt.Println(e.ClientUserID)
	}
	// Output:
	// msg_2fY8kQpLZ labtest.order.updated
	// 84d96c03-6b1c-4226-ad8f-ef44a6bc08af requisition_created 2026-11-21T09:00:00Z
	// 3Zru4O8cBEiwGTsXgUQGaQ==
}

// ExampleVerifier_Sign shows how a test calls its own webhook endpoint as
// Junction would: sign the body with the endpoint's test secret and send
// the headers Sign returns.
func ExampleVerifier_Sign() {
	v, err := webhook.NewVerifier(secret) // the test's secret, shared with the handler
	if err != nil {
		panic(err)
	}
	var handled []string
	h := &webhookhttp.Handler{
		Verifier: v,
		Now:      func() time.Time { return at },
		Handle: func(ctx context.Context, e webhook.Event) error {
			handled = append(handled, e.ID+" "+e.Type.String())
			return nil
		},
	}

	body := []byte(appointmentUpdated)
	r := httptest.NewRequest(http.MethodPost, "/webhooks/junction", bytes.NewReader(body))
	r.Header = v.Sign("msg_test_1", at, body)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)

	fmt.Println(w.Code, handled)
	// Output:
	// 204 [msg_test_1 labtest.appointment.updated]
}

// ExampleSign signs Svix's published test vector: the headers of the
// delivery, the signature being base64 HMAC-SHA256 over
// "{svix-id}.{svix-timestamp}.{body}".
func ExampleSign() {
	h, err := webhook.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(webhook.HeaderID+":", http.Header(h).Get(webhook.HeaderID))
	fmt.Println(webhook.HeaderTimestamp+":", http.Header(h).Get(webhook.HeaderTimestamp))
	fmt.Println(webhook.HeaderSignature+":", http.Header(h).Get(webhook.HeaderSignature))
	// Output:
	// svix-id: msg_p5jXN8AQM9LWM0D4loKWxJek
	// svix-timestamp: 1614265330
	// svix-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

// ExampleVerifier_Verify checks one delivery against a secret, here Svix's
// published test vector, at times inside and outside the five minutes'
// tolerance.
func ExampleVerifier_Verify() {
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set("svix-timestamp", "1614265330")
	h.Set("svix-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	body := []byte(`{"test": 2432232314}`)
	sent := time.Unix(1614265330, 0)

	fmt.Println(v.Verify(h, body, sent.Add(webhook.Tolerance)))
	err = v.Verify(h, body, sent.Add(time.Hour))
	fmt.Println(errors.Is(err, webhook.ErrUnverified), errors.Is(err, webhook.ErrStaleTimestamp))
	err = v.Verify(h, []byte(`{"test": 1}`), sent)
	fmt.Println(err)
	// Output:
	// <nil>
	// true true
	// webhook: no matching signature: svix-signature
}

// ExampleNewVerifier verifies with the old and the new secret while the
// endpoint's secret is rotated.
func ExampleNewVerifier() {
	const newSecret = "whsec_c2Vjb25kIHNlY3JldCBmb3Igcm90YXRpb24="
	v, err := webhook.NewVerifier(secret, newSecret)
	if err != nil {
		panic(err)
	}
	body := []byte(sleepCreated)
	fromOld, _ := webhook.Sign(secret, "msg_1", at, body)
	fromNew, _ := webhook.Sign(newSecret, "msg_2", at, body)
	fmt.Println(v.Verify(fromOld, body, at), v.Verify(fromNew, body, at))

	_, err = webhook.NewVerifier("whsec_not base64")
	fmt.Println(err)
	// Output:
	// <nil> <nil>
	// webhook: invalid secret: not base64 after the whsec_ prefix
}

// ExampleDecode decodes bodies without verifying them: events that are not
// at-home phlebotomy come back with a typed reason, which one errors.Is
// tells apart.
func ExampleDecode() {
	for _, body := range []string{walkInOrder, sleepCreated, `{"data": {}}`} {
		e, err := webhook.Decode([]byte(body))
		var de *webhook.DecodeError
		switch {
		case errors.Is(err, webhook.ErrNotPhlebotomy) && errors.As(err, &de):
			fmt.Printf("ignore %s %q, order %q\n", de.Path, de.Value, e.OrderID())
		case errors.Is(err, webhook.ErrMalformed):
			fmt.Println("malformed:", err)
		case err == nil:
			fmt.Println(e)
		}
	}
	// Output:
	// ignore /data/details/type "walk_in_test", order "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	// ignore /event_type "daily.data.sleep.created", order ""
	// malformed: webhook: decode /event_type: missing
}

// ExampleDecode_unknownStatus decodes an order with a status this library
// does not know: Junction's enums are non-exhaustive, so the event comes
// beside the error, which names the field.
func ExampleDecode_unknownStatus() {
	body := `{"event_type": "labtest.order.updated", "data": {"id": "o1", "details": {"type": "at_home_phlebotomy"},
	 "events": [{"id": 7, "created_at": "2026-11-21T09:00:00Z", "status": "collecting_sample.at_home_phlebotomy.on_hold"}]}}`
	e, err := webhook.Decode([]byte(body))
	var de *webhook.DecodeError
	if errors.Is(err, webhook.ErrUnknownStatus) && errors.As(err, &de) {
		fmt.Println(de.Path)
		fmt.Println(err)
		fmt.Println(e.OrderID(), e.Order.History[0].StatusText)
	}
	// Output:
	// /data/events/0/status
	// webhook: decode /data/events/0/status: unknown status "collecting_sample.at_home_phlebotomy.on_hold"
	// o1 collecting_sample.at_home_phlebotomy.on_hold
}

// ExampleEvent_MarshalJSON stores an event as JSON and reads it back. The
// JSON is Junction's webhook body; the message id travels apart.
func ExampleEvent_MarshalJSON() {
	e, err := webhook.Decode([]byte(appointmentUpdated))
	if err != nil {
		panic(err)
	}
	e.ID = "msg_2"
	stored, err := json.Marshal(e)
	if err != nil {
		panic(err)
	}
	back := webhook.Event{ID: "msg_2"}
	if err := json.Unmarshal(stored, &back); err != nil {
		panic(err)
	}
	fmt.Println(back.String() == e.String(), back.ID, back.Appointment.EventData.IsReschedule)
	// Output:
	// true msg_2 true
}

// ExampleEvent_String summarises events for a log line: the time of the
// change, the type, the order's or appointment's id and its status.
func ExampleEvent_String() {
	for _, body := range []string{orderUpdated, appointmentUpdated} {
		e, err := webhook.Decode([]byte(body))
		if err != nil {
			panic(err)
		}
		fmt.Println(e)
	}
	// Output:
	// 2026-11-21T09:00:00Z labtest.order.updated 84d96c03-6b1c-4226-ad8f-ef44a6bc08af received.at_home_phlebotomy.requisition_created
	// 2026-11-21T09:10:00Z labtest.appointment.updated 06c2c65b-74a0-4f25-a4a9-44f796296355 confirmed (reschedule)
}

// ExampleParseType parses event types: the four of at-home phlebotomy, and
// the spelling Junction's documentation used for appointment updates from
// 2023-10 to 2025-02.
func ExampleParseType() {
	for _, text := range []string{"labtest.order.created", "labtest.appointment.update", "labtest.result.critical"} {
		t, err := webhook.ParseType(text)
		fmt.Println(t, t.IsOrder(), t.IsAppointment(), err)
	}
	// Output:
	// labtest.order.created true false <nil>
	// labtest.appointment.updated false true <nil>
	// webhook.Type(0) false false webhook: unknown event type "labtest.result.critical"
}
