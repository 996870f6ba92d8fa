package sandbox_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
)

// control sends a request to a control, without an API key, and returns
// the answer's status and body.
func (c *consumer) control(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			c.t.Fatal(err)
		}
	}
	rec := send(c.t, c.srv, method, sandbox.ControlPrefix+path, b, nil)
	return rec.Code, rec.Body.Bytes()
}

// controlOK is control for a request that must succeed.
func (c *consumer) controlOK(method, path string, body any) []byte {
	c.t.Helper()
	status, out := c.control(method, path, body)
	if status != http.StatusOK {
		c.t.Fatalf("%s %s = %d %s", method, path, status, out)
	}
	return out
}

func TestControls(t *testing.T) {
	c := newConsumer(t)
	var clock struct{ Now time.Time }
	if err := json.Unmarshal(c.controlOK(http.MethodGet, "clock", nil), &clock); err != nil || !clock.Now.Equal(t0) {
		t.Fatalf("clock %s: %v", clock.Now, err)
	}
	if err := json.Unmarshal(c.controlOK(http.MethodPost, "clock/advance", map[string]any{"by": "90m"}), &clock); err != nil ||
		!clock.Now.Equal(t0.Add(90*time.Minute)) || !c.srv.Now().Equal(clock.Now) {
		t.Fatalf("advanced to %s: %v", clock.Now, err)
	}
	to := t0.Add(3 * time.Hour)
	if err := json.Unmarshal(c.controlOK(http.MethodPost, "clock/set", map[string]any{"to": to}), &clock); err != nil ||
		!clock.Now.Equal(to) {
		t.Fatalf("set to %s: %v", clock.Now, err)
	}
	c.controlOK(http.MethodPost, "clock/set", map[string]any{"to": to}) // the same instant: nothing moves
	c.controlOK(http.MethodPost, "clock/advance", map[string]any{"by": "0s"})

	// An order walked by the controls, as Junction, the provider and the
	// laboratory would.
	o := c.placeOrder(phoenix, nil)
	walk := func(command string, body any, want order.Status) {
		t.Helper()
		got := decodeOrder(t, c.controlOK(http.MethodPost, "orders/"+o.ID+"/"+command, body))
		if got.Status() != want {
			t.Fatalf("%s: order %s, want %s", command, got.Status(), want)
		}
	}
	walk("create-requisition", nil, order.RequisitionCreated)
	c.book(o.ID, thursday15, nil)
	walk("start-visit", nil, order.AppointmentScheduled)
	walk("complete-draw", nil, order.DrawCompleted)
	walk("partial-results", nil, order.PartialResults)
	walk("results", nil, order.Completed)
	walk("corrected-results", nil, order.Corrected)

	req := c.placeOrder(onalaska, nil)
	for _, step := range []struct {
		command string
		body    any
		want    order.Status
	}{
		{"bypass-requisition", nil, order.RequisitionBypassed},
	} {
		got := decodeOrder(t, c.controlOK(http.MethodPost, "orders/"+req.ID+"/"+step.command, step.body))
		if got.Status() != step.want {
			t.Fatalf("%s: %s", step.command, got.Status())
		}
	}
	c.request(req.ID)
	pencil := map[string]any{"start": thursday15, "end": thursday15.Add(2 * time.Hour)}
	if got := decodeOrder(t, c.controlOK(http.MethodPost, "orders/"+req.ID+"/pencil-in", pencil)); got.Status() != order.AppointmentScheduled {
		t.Fatalf("penciled in: %s", got.Status())
	}
	c.controlOK(http.MethodPost, "orders/"+req.ID+"/complete-draw", nil)
	if got := decodeOrder(t, c.controlOK(http.MethodPost, "orders/"+req.ID+"/sample-error", nil)); got.Status() != order.SampleError {
		t.Fatalf("sample error: %s", got.Status())
	}
	async := c.placeOrder(phoenix, map[string]any{"user_id": "3f1c6c1e-6a4f-4f55-9d2e-6a0f5d1b2c09"})
	c.controlOK(http.MethodPost, "orders/"+async.ID+"/create-requisition", nil)
	c.book(async.ID, friday17, map[string]any{"async_confirmation": true})
	if got := decodeOrder(t, c.controlOK(http.MethodPost, "orders/"+async.ID+"/confirm", nil)); got.Status() != order.AppointmentScheduled {
		t.Fatalf("confirmed: %s", got.Status())
	}

	c.controlOK(http.MethodPost, "flush", nil)
	var ds []struct {
		MessageID  string `json:"message_id"`
		Type       string `json:"type"`
		OrderID    string `json:"order_id"`
		Attempt    int    `json:"attempt"`
		StatusCode int    `json:"status_code"`
		OK         bool   `json:"ok"`
		Final      bool   `json:"final"`
	}
	if err := json.Unmarshal(c.controlOK(http.MethodGet, "deliveries", nil), &ds); err != nil || len(ds) != len(c.srv.Deliveries()) ||
		len(ds) == 0 || ds[0].Type != "labtest.order.created" || ds[0].OrderID != o.ID || !ds[0].OK || ds[0].Attempt != 1 ||
		ds[0].StatusCode/100 != 2 || !ds[0].Final || ds[0].MessageID == "" {
		t.Fatalf("deliveries %+v: %v", ds, err)
	}
	c.controlOK(http.MethodPost, "reset", nil)
	if out := c.controlOK(http.MethodGet, "deliveries", nil); string(out) != "[]" {
		t.Fatalf("deliveries after reset: %s", out)
	}

	// Refusals: clear, in Junction's shape, never a Go error.
	p := c.placeOrder(phoenix, nil)
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		want         string
	}{
		{http.MethodPost, "clock/advance", map[string]any{"by": "soon"}, 422, "not a duration"},
		{http.MethodPost, "clock/advance", map[string]any{"by": "-1s"}, 422, "not a duration"},
		{http.MethodPost, "clock/advance", nil, 422, `"body"`},
		{http.MethodPost, "clock/set", map[string]any{"to": t0}, 422, "cannot go back"},
		{http.MethodPost, "clock/set", map[string]any{}, 422, `"to"`},
		{http.MethodPost, "clock/set", map[string]any{"to": "tomorrow"}, 422, `"to"`},
		{http.MethodPost, "orders/" + p.ID + "/launch", nil, 404, "Not Found"},
		{http.MethodPost, "orders/00000000-0000-4000-8000-000000000000/confirm", nil, 404, "Order not found"},
		{http.MethodPost, "orders/" + p.ID + "/pencil-in", map[string]any{}, 422, `"start"`},
		{http.MethodPost, "orders/" + p.ID + "/pencil-in", map[string]any{"start": "x"}, 422, `"start"`},
		{http.MethodPost, "orders/" + p.ID + "/results", nil, 400, "Transition from ordered to completed is not allowed"},
		{http.MethodPost, "orders/" + p.ID + "/start-visit", nil, 400, "not allowed"},
		{http.MethodGet, "reset", nil, 405, "Method Not Allowed"},
		{http.MethodGet, "nothing", nil, 404, "Not Found"},
	} {
		status, out := c.control(tc.method, tc.path, tc.body)
		if status != tc.status || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s %s = %d %s, want %d with %q", tc.method, tc.path, status, out, tc.status, tc.want)
		}
		checkAnswer(t, tc.method, sandbox.ControlPrefix+tc.path, status, out)
	}
}
