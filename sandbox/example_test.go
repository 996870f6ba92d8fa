package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// secret is the signing secret of the examples' webhook endpoint.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// newOrder is a create-order body for a patient in Phoenix, served by
// Getlabs in the sandbox.
const newOrder = `{"user_id": "202b2c2f-fb4c-44dc-a4f8-621186fde227",
 "lab_test_id": "d0b479ec-afcc-4763-985c-4e23f17149f5",
 "patient_details": {"first_name": "John", "last_name": "Doe", "dob": "1990-01-01", "gender": "male",
  "phone_number": "+16025550123", "email": "john@example.com"},
 "patient_address": {"first_line": "123 West Lincoln Street", "city": "Phoenix", "state": "AZ", "zip": "85004",
  "country": "US", "access_notes": "Gate code #1234"}}`

// post sends body to the sandbox and returns the answer's body.
func post(method, url, body string) []byte {
	req, err := http.NewRequest(method, url, bytes.NewBufferString(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("X-Vital-Api-Key", "sk_us_test") // any key that is not empty, unless WithAPIKeys says which
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	return out
}

// orderID returns the id of the order in a POST /v3/order answer.
func orderID(answer []byte) string {
	var r struct {
		Order json.RawMessage `json:"order"`
	}
	if err := json.Unmarshal(answer, &r); err != nil {
		panic(err)
	}
	o, err := order.Decode(r.Order)
	if err != nil {
		panic(err)
	}
	return o.ID
}

// receiver returns a webhook endpoint that prints each event it receives.
func receiver() *webhookhttp.Handler {
	h, err := webhookhttp.NewHandler(secret, func(_ context.Context, e webhook.Event) error {
		fmt.Println("webhook:", e.Type, summaryOf(e))
		return nil
	})
	if err != nil {
		panic(err)
	}
	return h
}

// summaryOf names the status an event reports.
func summaryOf(e webhook.Event) string {
	if e.Type.IsOrder() {
		return e.Order.Status().String()
	}
	return e.Appointment.EffectiveStatus().String()
}

// ExampleNewServer starts a sandbox on a loopback port, places an order
// through the API as a client pointed at its URL would, and reads it back.
func ExampleNewServer() {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	o, err := order.Decode(post(http.MethodGet, srv.URL+"/v3/order/"+id, ""))
	if err != nil {
		panic(err)
	}
	fmt.Println(o.Status(), o.LabTest.Name, o.Address.ZipCode, o.CreatedAt.Format(time.RFC3339))
	fmt.Println(string(post(http.MethodPost, srv.URL+"/v3/order/"+id+"/phlebotomy/appointment/book", `{}`)))
	// Output:
	// ordered Testosterone 85004 2026-11-23T09:00:00Z
	// {"detail":[{"loc":["body","booking_key"],"msg":"field required","type":"value_error.missing"}]}
}

// ExampleNew uses a sandbox as an http.Handler, without a network.
func ExampleNew() {
	srv, err := sandbox.New(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v3/order/area/info?zip_code=54650", nil)
	req.Header.Set("X-Vital-Api-Key", "sk_us_test")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 200 {"zip_code":"54650","phlebotomy":{"is_served":true,"providers":[{"name":"phlebfinders","service_types":["appointment-request"]}]},"central_labs":{}}
}

// ExampleWithWebhookHandler receives the sandbox's signed webhooks on a
// webhookhttp.Handler, verified at the sandbox's virtual time.
func ExampleWithWebhookHandler() {
	recv := receiver()
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithWebhookHandler(recv, secret))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	recv.Now = srv.Now

	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	if err := srv.Apply(id, scheduling.Flow.CreateRequisition); err != nil { // what Junction's dashboard does in its sandbox
		panic(err)
	}
	fmt.Println("before Flush:", len(srv.Deliveries()), "deliveries")
	srv.Flush()
	for _, d := range srv.Deliveries() {
		fmt.Println(d.Type, "attempt", d.Attempt, "answered", d.StatusCode)
	}
	// Output:
	// before Flush: 0 deliveries
	// webhook: labtest.order.created ordered
	// webhook: labtest.order.updated requisition_created
	// labtest.order.created attempt 1 answered 204
	// labtest.order.updated attempt 1 answered 204
}

// ExampleServer_Advance books an appointment before the requisition exists
// and lets virtual time pass: 8 hours after the order, Junction cancels
// it.
func ExampleServer_Advance() {
	recv := receiver()
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithWebhookHandler(recv, secret), sandbox.WithPreRequisitionScheduling())
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	recv.Now = srv.Now

	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	var av struct {
		Slots []struct {
			Slots []struct {
				BookingKey string    `json:"booking_key"`
				Start      time.Time `json:"start"`
			} `json:"slots"`
		} `json:"slots"`
	}
	if err := json.Unmarshal(post(http.MethodPost, srv.URL+"/v3/order/phlebotomy/appointment/availability?start_date=2026-11-26",
		`{"first_line": "123 West Lincoln Street", "city": "Phoenix", "state": "AZ", "zip_code": "85004"}`), &av); err != nil {
		panic(err)
	}
	slot := av.Slots[0].Slots[0]
	a, err := appointment.Decode(post(http.MethodPost, srv.URL+"/v3/order/"+id+"/phlebotomy/appointment/book",
		`{"booking_key": "`+slot.BookingKey+`"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println("booked", slot.Start.Format(time.RFC3339), a.EffectiveStatus())

	srv.Advance(8*time.Hour + time.Second)
	fmt.Println("now", srv.Now().Format(time.RFC3339))
	// Output:
	// booked 2026-11-26T15:00:00Z reserved
	// webhook: labtest.order.created ordered
	// webhook: labtest.appointment.created pending
	// webhook: labtest.appointment.updated reserved
	// webhook: labtest.appointment.updated cancelled
	// now 2026-11-23T17:00:01Z
}

// ExampleServer_Deliveries shows Svix's retries of a webhook the endpoint
// keeps refusing, in virtual time.
func ExampleServer_Deliveries() {
	refuse := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithWebhookHandler(refuse, secret))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	post(http.MethodPost, srv.URL+"/v3/order", newOrder)
	srv.Advance(48 * time.Hour)
	for _, d := range srv.Deliveries() {
		fmt.Println(d.At.Format(time.RFC3339), d.Type, "attempt", d.Attempt, d.StatusCode, d.Final)
	}
	// Output:
	// 2026-11-23T09:00:00Z labtest.order.created attempt 1 503 false
	// 2026-11-23T09:00:05Z labtest.order.created attempt 2 503 false
	// 2026-11-23T09:05:05Z labtest.order.created attempt 3 503 false
	// 2026-11-23T09:35:05Z labtest.order.created attempt 4 503 false
	// 2026-11-23T11:35:05Z labtest.order.created attempt 5 503 false
	// 2026-11-23T16:35:05Z labtest.order.created attempt 6 503 false
	// 2026-11-24T02:35:05Z labtest.order.created attempt 7 503 false
	// 2026-11-24T12:35:05Z labtest.order.created attempt 8 503 true
}

// ExampleWithChaos delivers an order's two webhooks in chaos mode:
// delayed, reordered (the update first), each twice, answers lost and
// the message retried.
// The same seed gives the same deliveries. The message ids end in the
// order's history entry: o1 is labtest.order.created, o2 the update.
func ExampleWithChaos() {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithWebhookHandler(ok, secret), sandbox.WithChaos(4))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	if err := srv.Apply(id, scheduling.Flow.CreateRequisition); err != nil {
		panic(err)
	}
	srv.Advance(time.Hour)
	for _, d := range srv.Deliveries() {
		fmt.Printf("%s %s copy %d attempt %d: %d %v\n", d.At.Format("15:04:05"),
			d.MessageID[len(d.MessageID)-2:], d.Copy, d.Attempt, d.StatusCode, d.Err)
	}
	// Output:
	// 09:00:21 o2 copy 1 attempt 1: 204 <nil>
	// 09:03:24 o1 copy 1 attempt 1: 204 sandbox: answer lost
	// 09:03:29 o1 copy 1 attempt 2: 204 <nil>
	// 09:07:17 o2 copy 2 attempt 1: 204 <nil>
	// 09:07:36 o1 copy 2 attempt 1: 204 sandbox: answer lost
	// 09:07:41 o1 copy 2 attempt 2: 204 <nil>
}

// ExampleServer_Cancellations cancels an appointment through the API and
// reads the refund decision: more than 24 hours before the start, it is
// refunded.
func ExampleServer_Cancellations() {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	post(http.MethodPost, srv.URL+"/v3/order/"+id+"/test?final_status=appointment_scheduled", "")
	post(http.MethodPatch, srv.URL+"/v3/order/"+id+"/phlebotomy/appointment/cancel",
		`{"cancellation_reason_id": "796da8c8-e654-4347-8ded-1026410c1976"}`)
	cs, err := srv.Cancellations(id)
	if err != nil {
		panic(err)
	}
	c := cs[0]
	fmt.Println(c.Reason.Name)
	fmt.Println("start", c.Start.Format(time.RFC3339), "refunded until", c.RefundDeadline.Format(time.RFC3339))
	fmt.Println("refundable:", c.Refundable)
	// Output:
	// Scheduled time no longer works
	// start 2026-11-23T15:00:00Z refunded until 2026-11-22T15:00:00Z
	// refundable: false
}

// ExampleRetrySchedule prints when Svix attempts a message again after
// each failure.
func ExampleRetrySchedule() {
	fmt.Println(sandbox.RetrySchedule())
	// Output:
	// [0s 5s 5m0s 30m0s 2h0m0s 5h0m0s 10h0m0s 10h0m0s]
}

// ExampleServer_Apply walks an order through what the provider and
// the laboratory do, with the server's controls.
func ExampleServer_Apply() {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	post(http.MethodPost, srv.URL+"/v3/order/"+id+"/test?final_status=appointment_scheduled", "")
	srv.Advance(6 * time.Hour)
	for _, step := range []func(scheduling.Flow, time.Time) (scheduling.Flow, []scheduling.Webhook, error){
		scheduling.Flow.StartVisit, scheduling.Flow.CompleteDraw, scheduling.Flow.ReceivePartialResults,
		scheduling.Flow.CompleteResults, scheduling.Flow.CorrectResults,
	} {
		if err := srv.Apply(id, step); err != nil {
			panic(err)
		}
		o, _ := srv.Order(id)
		fmt.Println(o.Status())
	}
	err = srv.Apply(id, scheduling.Flow.CompleteDraw)
	fmt.Println(err)
	// Output:
	// appointment_scheduled
	// draw_completed
	// partial_results
	// completed
	// corrected
	// sandbox: refused: Apply "066a48f6-5d86-4cd6-9650-431fd64b428c": scheduling: not allowed: complete_draw: order corrected, no active appointment
}

// ExampleWithAPIKeys accepts one API key: a request with another, or
// none, is refused as Junction refuses it.
func ExampleWithAPIKeys() {
	srv, err := sandbox.New(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithAPIKeys("sk_us_mine"))
	if err != nil {
		panic(err)
	}
	for _, key := range []string{"", "sk_us_other", "sk_us_mine"} {
		req := httptest.NewRequest(http.MethodGet, "/v3/order/phlebotomy/appointment/cancellation-reasons", nil)
		req.Header.Set("X-Vital-Api-Key", key)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.Contains(rec.Body.String(), `"detail"`))
	}
	// Output:
	// 401 true
	// 401 true
	// 200 false
}

// ExampleWithRetention keeps one finished order: the older one is
// forgotten once the newer one finishes.
func ExampleWithRetention() {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithRetention(1, 100))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	first := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	second := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	for _, id := range []string{first, second} {
		post(http.MethodPost, srv.URL+"/v3/order/"+id+"/cancel", "")
	}
	_, err = srv.Order(first)
	fmt.Println(errors.Is(err, sandbox.ErrUnknownOrder))
	o, err := srv.Order(second)
	fmt.Println(o.Status(), err)
	// Output:
	// true
	// cancelled <nil>
}

// ExampleServer_Reset forgets every order and delivery; the clock stays.
func ExampleServer_Reset() {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	srv.Advance(time.Hour)
	srv.Reset()
	_, err = srv.Order(id)
	fmt.Println(errors.Is(err, sandbox.ErrUnknownOrder), srv.Now().Format(time.RFC3339))
	// Output:
	// true 2026-11-23T10:00:00Z
}

// Example_controls drives an order and the clock over HTTP, as a test in
// another language does, through the controls under ControlPrefix.
func Example_controls() {
	srv, err := sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	id := orderID(post(http.MethodPost, srv.URL+"/v3/order", newOrder))
	o, err := order.Decode(post(http.MethodPost, srv.URL+sandbox.ControlPrefix+"orders/"+id+"/create-requisition", ""))
	fmt.Println(o.Status(), err)
	fmt.Println(string(post(http.MethodPost, srv.URL+sandbox.ControlPrefix+"orders/"+id+"/results", "")))
	fmt.Println(string(post(http.MethodPost, srv.URL+sandbox.ControlPrefix+"clock/advance", `{"by": "48h"}`)))
	// Output:
	// requisition_created <nil>
	// {"detail":"Transition from requisition_created to completed is not allowed"}
	// {"now":"2026-11-25T09:00:00Z"}
}
