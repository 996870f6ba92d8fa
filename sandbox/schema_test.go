package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/internal/schematest"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// junctionSchemas are the schemas of Junction's OpenAPI document that the
// sandbox's answers and webhooks must meet (testdata/README.md says where
// they come from).
var junctionSchemas = sync.OnceValues(func() (*schematest.Doc, error) {
	return schematest.Load(filepath.Join("testdata", "junction-schemas.json"))
})

// strict is what the schema checks look at: members, types, null, and
// formats, patterns, lengths and enumerations.
var strict = schematest.Options{Formats: true, Enums: true}

// routes name the schema of each endpoint's 200 answer, by method and path.
var routes = []struct {
	method string
	path   *regexp.Regexp
	schema string
}{
	{http.MethodPost, regexp.MustCompile(`^/v3/order$`), "PostOrderResponse"},
	{http.MethodGet, regexp.MustCompile(`^/v3/order/area/info$`), "AreaInfo"},
	{http.MethodPost, regexp.MustCompile(`^/v3/order/phlebotomy/appointment/availability$`), "AppointmentAvailabilitySlots"},
	{http.MethodGet, regexp.MustCompile(`^/v3/order/phlebotomy/appointment/cancellation-reasons$`), "[]ClientFacingAppointmentCancellationReason"},
	{http.MethodGet, regexp.MustCompile(`^/v3/order/[^/]+$`), "ClientFacingOrder"},
	{http.MethodPost, regexp.MustCompile(`^/v3/order/[^/]+/(cancel|test)$`), "PostOrderResponse"},
	{http.MethodGet, regexp.MustCompile(`^/v3/order/[^/]+/phlebotomy/appointment$`), "ClientFacingAppointment"},
	{http.MethodPost, regexp.MustCompile(`^/v3/order/[^/]+/phlebotomy/appointment/(book|request)$`), "ClientFacingAppointment"},
	{http.MethodPatch, regexp.MustCompile(`^/v3/order/[^/]+/phlebotomy/appointment/(reschedule|cancel)$`), "ClientFacingAppointment"},
}

// checkAnswer fails t when an answer of the sandbox's API does not meet
// Junction's schema for it: a 200 answer its endpoint's, a 422 answer
// HTTPValidationError with a list of {loc, msg, type}, any other refusal
// {"detail": a string}. target is the request's path and query.
func checkAnswer(t testing.TB, method, target string, status int, body []byte) {
	t.Helper()
	doc, err := junctionSchemas()
	if err != nil {
		t.Fatal(err)
	}
	path, _, _ := strings.Cut(target, "?")
	fail := func(schema string, faults []string) {
		t.Helper()
		if len(faults) > 0 {
			t.Fatalf("%s %s: %d answer does not meet %s:\n%s\n%s", method, target, status, schema, strings.Join(faults, "\n"), body)
		}
	}
	switch {
	case status == http.StatusOK:
		for _, r := range routes {
			if r.method != method || !r.path.MatchString(path) {
				continue
			}
			if name, ok := strings.CutPrefix(r.schema, "[]"); ok {
				var list []json.RawMessage
				if err := json.Unmarshal(body, &list); err != nil {
					t.Fatalf("%s %s: not a list: %s", method, target, body)
				}
				for _, e := range list {
					fail(name, doc.Check(name, e, strict))
				}
				return
			}
			fail(r.schema, doc.Check(r.schema, body, strict))
			return
		}
		if !strings.HasPrefix(path, "/_sandbox/") {
			t.Fatalf("%s %s: no schema for the answer", method, target)
		}
	case status == http.StatusUnprocessableEntity:
		fail("HTTPValidationError", doc.Check("HTTPValidationError", body, strict))
		var e struct {
			Detail []struct {
				Loc  []any  `json:"loc"`
				Msg  string `json:"msg"`
				Type string `json:"type"`
			} `json:"detail"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			var msg struct{ Detail string }
			if json.Unmarshal(body, &msg) != nil || msg.Detail == "" {
				t.Fatalf("%s %s: 422 %s is neither a list of problems nor a message", method, target, body)
			}
			return
		}
		for _, p := range e.Detail {
			if len(p.Loc) == 0 || p.Msg == "" || p.Type == "" {
				t.Fatalf("%s %s: problem %+v without loc, msg or type", method, target, p)
			}
		}
	case status >= 400:
		var e struct{ Detail string }
		if err := json.Unmarshal(body, &e); err != nil || e.Detail == "" {
			t.Fatalf("%s %s: %d answer %s is not {\"detail\": a message}", method, target, status, body)
		}
	}
}

// checkWebhook fails t (with Errorf: deliveries may come from any
// goroutine) when a webhook's body does not meet Junction's
// schema for its event type.
func checkWebhook(t testing.TB, body []byte) {
	t.Helper()
	doc, err := junctionSchemas()
	if err != nil {
		t.Error(err)
		return
	}
	var e struct {
		EventType string `json:"event_type"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Errorf("webhook %s: %v", body, err)
		return
	}
	schema := "ClientFacingAppointmentChanged"
	if strings.HasPrefix(e.EventType, "labtest.order.") {
		schema = "ClientFacingOrderChanged"
	}
	if faults := doc.Check(schema, body, strict); len(faults) > 0 {
		t.Errorf("webhook %s does not meet %s:\n%s\n%s", e.EventType, schema, strings.Join(faults, "\n"), body)
	}
}

// checkedReceiver checks each delivery's body against Junction's schemas,
// then hands it to next.
func checkedReceiver(t testing.TB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading a delivery: %v", err)
			return
		}
		checkWebhook(t, body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// step runs cmd on the order, as Junction, the laboratory or a provider.
func (c *consumer) step(id string, cmd command) {
	c.t.Helper()
	if err := c.srv.Apply(id, cmd); err != nil {
		c.t.Fatal(err)
	}
}

// TestSchemasAlongEveryPath walks every path of the coupled order and
// appointment flow (a table row each: placed, requisition, booked or
// requested after and before the requisition, penciled in, confirmed,
// rescheduled, cancelled before and after the requisition, visit, draw,
// partial results, results, sample error, corrected results, order
// cancelled, auto-cancellation, the simulation) and checks every answer
// and webhook against Junction's schemas (the consumer does, on each
// call and delivery), and that each webhook of the paths was seen.
func TestSchemasAlongEveryPath(t *testing.T) {
	c := newConsumer(t, sandbox.WithPreRequisitionScheduling(), sandbox.WithPartialResultsWebhooks())
	c.must(http.MethodGet, "/v3/order/area/info?zip_code=85004", nil)
	c.must(http.MethodGet, "/v3/order/area/info?zip_code=54650&radius=50", nil)
	c.must(http.MethodGet, "/v3/order/area/info?zip_code=10001", nil)
	c.must(http.MethodGet, "/v3/order/phlebotomy/appointment/cancellation-reasons", nil)
	reason := "796da8c8-e654-4347-8ded-1026410c1976"

	// Booked after the requisition, rescheduled, visited, drawn, partial
	// results, results, corrected.
	ready := c.placeOrder(phoenix, nil)
	c.must(http.MethodGet, "/v3/order/"+ready.ID, nil)
	c.step(ready.ID, scheduling.Flow.CreateRequisition)
	c.book(ready.ID, thursday15, map[string]any{"appointment_notes": "Ring twice"})
	c.must(http.MethodPatch, "/v3/order/"+ready.ID+"/phlebotomy/appointment/reschedule",
		map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey})
	c.must(http.MethodGet, "/v3/order/"+ready.ID+"/phlebotomy/appointment", nil)
	for _, cmd := range []command{scheduling.Flow.StartVisit, scheduling.Flow.CompleteDraw, scheduling.Flow.ReceivePartialResults,
		scheduling.Flow.CompleteResults, scheduling.Flow.CorrectResults} {
		c.step(ready.ID, cmd)
	}
	c.must(http.MethodGet, "/v3/order/"+ready.ID, nil)

	// Requested after the requisition, penciled in, cancelled after the
	// requisition, requested again, drawn, sample error.
	req := c.placeOrder(onalaska, nil)
	c.step(req.ID, scheduling.Flow.CreateRequisition)
	c.request(req.ID)
	c.step(req.ID, pencilIn(thursday15, thursday15.Add(2*time.Hour)))
	c.must(http.MethodPatch, "/v3/order/"+req.ID+"/phlebotomy/appointment/cancel", map[string]any{"cancellation_reason_id": reason})
	c.request(req.ID)
	for _, cmd := range []command{pencilIn(friday17, friday17.Add(2*time.Hour)), scheduling.Flow.CompleteDraw,
		scheduling.Flow.ReportSampleError} {
		c.step(req.ID, cmd)
	}

	// Booked before the requisition (reserved), requisition created while
	// reserved; another cancelled before the requisition; a request
	// pending when the requisition comes; an order cancelled with its
	// appointment; an auto-cancellation.
	early := c.placeOrder(phoenix, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c01"})
	c.book(early.ID, thursday15, nil)
	c.step(early.ID, scheduling.Flow.CreateRequisition)
	gone := c.placeOrder(phoenix, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c02"})
	c.book(gone.ID, thursday15, nil)
	c.must(http.MethodPatch, "/v3/order/"+gone.ID+"/phlebotomy/appointment/cancel", map[string]any{"cancellation_reason_id": reason})
	penciled := c.placeOrder(onalaska, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c07"})
	c.request(penciled.ID)
	c.step(penciled.ID, pencilIn(thursday15, thursday15.Add(2*time.Hour))) // reserved: no requisition yet
	c.step(penciled.ID, scheduling.Flow.CreateRequisition)
	pending := c.placeOrder(onalaska, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c03"})
	c.request(pending.ID)
	c.step(pending.ID, scheduling.Flow.CreateRequisition)
	c.must(http.MethodPost, "/v3/order/"+pending.ID+"/cancel", nil)
	auto := c.placeOrder(phoenix, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c04"})
	c.book(auto.ID, thursday15, nil)
	async := c.placeOrder(phoenix, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c05"})
	c.step(async.ID, scheduling.Flow.BypassRequisition)
	c.book(async.ID, friday17, map[string]any{"async_confirmation": true})
	sim := c.placeOrder(phoenix, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c06"})
	c.must(http.MethodPost, "/v3/order/"+sim.ID+"/test?final_status=completed&delay=60", nil)
	c.srv.Advance(72 * time.Hour) // auto-cancellation, the async confirmation, the simulation, every delivery

	seen := map[string]bool{}
	c.take()
	for _, e := range c.events {
		seen[e.Type.String()] = true
	}
	for _, want := range []string{"labtest.order.created", "labtest.order.updated", "labtest.appointment.created",
		"labtest.appointment.updated"} {
		if !seen[want] {
			t.Errorf("no %s delivered", want)
		}
	}
}
