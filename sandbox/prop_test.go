package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// machine is a sandbox driven through its handler by rapid, with a
// receiver that checks every webhook.
type machine struct {
	srv    *sandbox.Server
	ids    []string
	mu     sync.Mutex
	store  track.MemoryStore
	faults []string
}

func (m *machine) call(t *rapid.T, method, path string, body any) (int, []byte) {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	m.srv.ServeHTTP(rec, newRequest(method, path, bytes.NewReader(b)))
	checkWire(t, rec.Code, rec.Body.Bytes())
	switch rec.Code {
	case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusUnprocessableEntity:
	default:
		t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.Bytes())
	}
	return rec.Code, rec.Body.Bytes()
}

func (m *machine) handle(ctx context.Context, e webhook.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.Type.IsOrder() {
		if _, err := order.ValidateHistory(e.Order.History); err != nil {
			m.faults = append(m.faults, fmt.Sprintf("%s: %v", e.ID, err))
		}
	} else if err := appointment.ValidateHistory(e.Appointment.History); err != nil {
		m.faults = append(m.faults, fmt.Sprintf("%s: %v", e.ID, err))
	}
	if _, err := track.Record(ctx, &m.store, e); err != nil {
		m.faults = append(m.faults, fmt.Sprintf("%s: %v", e.ID, err))
	}
	return nil
}

// pick draws one of the orders.
func (m *machine) pick(t *rapid.T) string {
	if len(m.ids) == 0 {
		t.Skip("no order yet")
	}
	return rapid.SampledFrom(m.ids).Draw(t, "order")
}

// check verifies what no sequence of accepted calls may break: every
// order's history is a path of its lifecycle, ending in its status; an
// active appointment is active and its history valid; a patient has at
// most one active appointment with a provider; every webhook received was
// valid and consistent with the others.
func (m *machine) check(t *rapid.T) {
	active := map[string]string{}
	for _, id := range m.ids {
		o, err := m.srv.Order(id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := order.ValidateHistory(o.History); err != nil {
			t.Fatalf("order %s: %v", id, err)
		}
		if o.Status() != o.LastEvent.Status || !o.Status().IsValid() {
			t.Fatalf("order %s: status %v, last event %v", id, o.Status(), o.LastEvent.Status)
		}
		status, body := m.call(t, http.MethodGet, "/v3/order/"+id+"/phlebotomy/appointment", nil)
		if status != http.StatusOK {
			continue
		}
		a, err := appointment.Decode(body)
		if err != nil || !a.EffectiveStatus().Active() || appointment.ValidateHistory(a.History) != nil {
			t.Fatalf("active appointment of %s: %v, %v", id, a.EffectiveStatus(), err)
		}
		key := o.UserID + "/" + a.Provider.String()
		if other, ok := active[key]; ok {
			t.Fatalf("orders %s and %s both have an active %s appointment for one patient", other, id, a.Provider)
		}
		active[key] = id
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.faults) > 0 {
		t.Fatalf("webhooks: %v", m.faults)
	}
}

var users = []string{"202b2c2f-fb4c-44dc-a4f8-621186fde227", "7ea94b27-a536-461f-ac4b-1c26c854d180"}

// TestNothingForbidden drives a sandbox with random requests, controls and
// time, and checks after each step that no order is in a state Junction's
// rules forbid.
func TestNothingForbidden(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &machine{}
		recv, err := webhookhttp.NewHandler(testSecret, m.handle)
		if err != nil {
			t.Fatal(err)
		}
		opts := []sandbox.Option{sandbox.WithStart(t0), sandbox.WithWebhookHandler(recv, testSecret),
			sandbox.WithAsyncConfirmDelay(rapid.SampledFrom([]time.Duration{-1, time.Minute, 3 * time.Hour}).Draw(t, "async"))}
		if rapid.Bool().Draw(t, "prerequisition") {
			opts = append(opts, sandbox.WithPreRequisitionScheduling())
		}
		if rapid.Bool().Draw(t, "partial") {
			opts = append(opts, sandbox.WithPartialResultsWebhooks())
		}
		if rapid.Bool().Draw(t, "chaos") {
			opts = append(opts, sandbox.WithChaos(rapid.Uint64().Draw(t, "seed")))
		}
		m.srv, err = sandbox.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		recv.Now = m.srv.Now
		controls := map[string]command{
			"create_requisition": scheduling.Flow.CreateRequisition, "bypass_requisition": scheduling.Flow.BypassRequisition,
			"confirm": scheduling.Flow.Confirm, "cancel_appointment": scheduling.Flow.CancelAppointment,
			"start_visit": scheduling.Flow.StartVisit, "complete_draw": scheduling.Flow.CompleteDraw,
			"partial_results": scheduling.Flow.ReceivePartialResults, "complete": scheduling.Flow.CompleteResults,
			"sample_error": scheduling.Flow.ReportSampleError, "correct": scheduling.Flow.CorrectResults,
		}
		actions := map[string]func(*rapid.T){
			"": m.check,
			"place": func(t *rapid.T) {
				address := rapid.SampledFrom([]map[string]any{phoenix, onalaska}).Draw(t, "address")
				body := orderBody(address, map[string]any{"user_id": rapid.SampledFrom(users).Draw(t, "user")})
				if rapid.Bool().Draw(t, "scheduled") {
					body["activate_by"] = "2026-12-10"
				}
				status, out := m.call(t, http.MethodPost, "/v3/order", body)
				if status != http.StatusOK {
					t.Fatalf("place: %d %s", status, out)
				}
				var r struct {
					Order struct {
						ID string `json:"id"`
					} `json:"order"`
				}
				if err := json.Unmarshal(out, &r); err != nil {
					t.Fatal(err)
				}
				m.ids = append(m.ids, r.Order.ID)
			},
			"control": func(t *rapid.T) {
				id := m.pick(t)
				name := rapid.SampledFrom([]string{"create_requisition", "bypass_requisition", "confirm",
					"cancel_appointment", "start_visit", "complete_draw", "partial_results", "complete",
					"sample_error", "correct"}).Draw(t, "control")
				_ = m.srv.Apply(id, controls[name])
			},
			"pencil_in": func(t *rapid.T) {
				start := m.srv.Now().Add(time.Duration(rapid.IntRange(-2, 100).Draw(t, "hours")) * time.Hour)
				_ = m.srv.Apply(m.pick(t), pencilIn(start, start.Add(time.Hour)))
			},
			"book_or_reschedule": func(t *rapid.T) {
				id := m.pick(t)
				status, out := m.call(t, http.MethodPost,
					"/v3/order/phlebotomy/appointment/availability", phoenix)
				if status != http.StatusOK {
					t.Fatalf("availability: %d %s", status, out)
				}
				var av struct {
					Slots []struct {
						Slots []slot `json:"slots"`
					} `json:"slots"`
				}
				if err := json.Unmarshal(out, &av); err != nil || len(av.Slots) == 0 {
					t.Fatalf("availability %s: %v", out, err)
				}
				day := rapid.SampledFrom(av.Slots).Draw(t, "day")
				key := rapid.SampledFrom(day.Slots).Draw(t, "slot").BookingKey
				if rapid.Bool().Draw(t, "reschedule") {
					m.call(t, http.MethodPatch, "/v3/order/"+id+"/phlebotomy/appointment/reschedule",
						map[string]any{"booking_key": key})
					return
				}
				m.call(t, http.MethodPost, "/v3/order/"+id+"/phlebotomy/appointment/book",
					map[string]any{"booking_key": key, "async_confirmation": rapid.Bool().Draw(t, "async"),
						"async_confirmation_timeout_millisecond": rapid.IntRange(60000, 20000000).Draw(t, "timeout")})
			},
			"request": func(t *rapid.T) {
				m.call(t, http.MethodPost, "/v3/order/"+m.pick(t)+"/phlebotomy/appointment/request",
					map[string]any{"address": onalaska, "provider": "phlebfinders"})
			},
			"cancel_appointment_http": func(t *rapid.T) {
				reason := rapid.SampledFrom([]string{"5c0257ef-6fea-4a22-b20a-3ddab573d5c9", "nope"}).Draw(t, "reason")
				m.call(t, http.MethodPatch, "/v3/order/"+m.pick(t)+"/phlebotomy/appointment/cancel",
					map[string]any{"cancellation_reason_id": reason})
			},
			"cancel_order": func(t *rapid.T) {
				m.call(t, http.MethodPost, "/v3/order/"+m.pick(t)+"/cancel", nil)
			},
			"simulate": func(t *rapid.T) {
				final := rapid.SampledFrom(order.Statuses()).Draw(t, "final")
				delay := rapid.SampledFrom([]int{0, 30, 3600}).Draw(t, "delay")
				m.call(t, http.MethodPost, fmt.Sprintf("/v3/order/%s/test?final_status=%s&delay=%d", m.pick(t), final, delay), nil)
			},
			"advance": func(t *rapid.T) {
				m.srv.Advance(time.Duration(rapid.Int64Range(0, int64(30*time.Hour)).Draw(t, "d")))
			},
		}
		t.Repeat(actions)
		m.srv.Advance(3 * 24 * time.Hour)
		m.check(t)
	})
}
