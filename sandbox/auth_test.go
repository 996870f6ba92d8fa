package sandbox_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// send sends a request to srv's handler with the given headers and returns
// the answer.
func send(t testing.TB, srv http.Handler, method, path string, body []byte, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	checkWire(t, rec.Code, rec.Body.Bytes())
	return rec
}

func TestAPIKey(t *testing.T) {
	open, err := sandbox.New(sandbox.WithStart(t0))
	if err != nil {
		t.Fatal(err)
	}
	strict, err := sandbox.New(sandbox.WithStart(t0), sandbox.WithAPIKeys("sk_us_one", "sk_us_two"))
	if err != nil {
		t.Fatal(err)
	}
	const unauthorized = `{"detail":"The API key is missing or invalid."}`
	for _, tc := range []struct {
		name string
		srv  *sandbox.Server
		key  string
		want int
	}{
		{"no key", open, "", http.StatusUnauthorized},
		{"any key", open, "anything", http.StatusOK},
		{"no key, keys set", strict, "", http.StatusUnauthorized},
		{"another key", strict, "sk_us_three", http.StatusUnauthorized},
		{"first key", strict, "sk_us_one", http.StatusOK},
		{"second key", strict, "sk_us_two", http.StatusOK},
	} {
		for _, path := range []string{"/v3/order/phlebotomy/appointment/cancellation-reasons", "/v3/order/area/info?zip_code=85004"} {
			rec := send(t, tc.srv, http.MethodGet, path, nil, map[string]string{"x-vital-api-key": tc.key})
			if rec.Code != tc.want || tc.want == http.StatusUnauthorized && rec.Body.String() != unauthorized {
				t.Errorf("%s: GET %s = %d %s, want %d", tc.name, path, rec.Code, rec.Body.Bytes(), tc.want)
			}
		}
	}
	// A path the server does not have is 404 with a key or without.
	if rec := send(t, open, http.MethodGet, "/v3/nothing", nil, nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown path without a key: %d", rec.Code)
	}
	// The body of a request without a key is not read.
	if rec := send(t, open, http.MethodPost, "/v3/order", []byte("{"), nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("POST without a key: %d", rec.Code)
	}
	for _, bad := range []sandbox.Option{sandbox.WithAPIKeys(), sandbox.WithAPIKeys("sk", "")} {
		if _, err := sandbox.New(bad); !errors.Is(err, sandbox.ErrOption) {
			t.Errorf("bad WithAPIKeys: %v", err)
		}
	}
}

func TestIdempotencyKey(t *testing.T) {
	srv, err := sandbox.New(sandbox.WithStart(t0))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(orderBody(phoenix, nil))
	post := func(body []byte, headers map[string]string) *httptest.ResponseRecorder {
		t.Helper()
		h := map[string]string{"X-Vital-Api-Key": testAPIKey}
		for k, v := range headers {
			h[k] = v
		}
		return send(t, srv, http.MethodPost, "/v3/order", body, h)
	}
	id := func(rec *httptest.ResponseRecorder) string {
		t.Helper()
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
		}
		return decodeOrder(t, rec.Body.Bytes()).ID
	}
	first := post(body, map[string]string{"X-Idempotency-Key": "k1"})
	again := post(body, map[string]string{"X-Idempotency-Key": "k1"})
	if id(first) != id(again) || first.Body.String() != again.Body.String() {
		t.Fatalf("the same key made two answers:\n%s\n%s", first.Body.Bytes(), again.Body.Bytes())
	}
	// The first answer comes back even once the order has changed, and
	// whatever the body.
	if err := srv.Apply(id(first), scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	if rec := post([]byte(`{}`), map[string]string{"X-Idempotency-Key": "k1"}); rec.Body.String() != first.Body.String() {
		t.Fatalf("later answer %s", rec.Body.Bytes())
	}
	none1, none2 := id(post(body, nil)), id(post(body, nil))
	if id(post(body, map[string]string{"X-Idempotency-Key": "k2"})) == id(first) || none1 == none2 {
		t.Fatal("another key, or none, gave the same order")
	}
	// A body that does not validate is not saved: the key still works.
	if rec := post([]byte(`{}`), map[string]string{"X-Idempotency-Key": "k3"}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid body: %d", rec.Code)
	}
	if rec := post(body, map[string]string{"X-Idempotency-Key": "k3"}); rec.Code != http.StatusOK {
		t.Fatalf("after an invalid body: %d", rec.Code)
	}
	for _, h := range []map[string]string{
		{"X-Idempotency-Key": strings.Repeat("k", 256)},
	} {
		if rec := post(body, h); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d %s", h, rec.Code, rec.Body.Bytes())
		}
	}
	if rec := post(body, map[string]string{"X-Idempotency-Key": strings.Repeat("k", 255)}); rec.Code != http.StatusOK {
		t.Errorf("a 255-byte key: %d", rec.Code)
	}
	// Keys are kept a day of virtual time.
	srv.Advance(24*time.Hour - time.Nanosecond)
	if id(post(body, map[string]string{"X-Idempotency-Key": "k1"})) != id(first) {
		t.Fatal("key forgotten within a day")
	}
	srv.Advance(time.Nanosecond)
	if id(post(body, map[string]string{"X-Idempotency-Key": "k1"})) == id(first) {
		t.Fatal("key kept for a day")
	}
}

func TestReset(t *testing.T) {
	c := newConsumer(t)
	o := c.scheduled(thursday15)
	c.srv.Flush()
	if len(c.srv.Deliveries()) == 0 {
		t.Fatal("no deliveries before the reset")
	}
	key := c.slotAt(phoenix, friday17).BookingKey
	now := c.srv.Now()
	c.srv.Reset()
	if _, err := c.srv.Order(o.ID); !errors.Is(err, sandbox.ErrUnknownOrder) {
		t.Fatalf("order after reset: %v", err)
	}
	if len(c.srv.Deliveries()) != 0 || c.srv.Pending() != 0 || !c.srv.Now().Equal(now) {
		t.Fatalf("after reset: %d deliveries, %d pending, clock %v", len(c.srv.Deliveries()), c.srv.Pending(), c.srv.Now())
	}
	c.srv.Advance(72 * time.Hour) // the old order's timers do not fire
	if len(c.srv.Deliveries()) != 0 {
		t.Fatalf("deliveries after reset: %v", c.srv.Deliveries())
	}
	o2 := c.placeOrder(phoenix, nil)
	if o2.ID == o.ID {
		t.Fatal("an id made again after reset")
	}
	_ = key
}

func TestRetention(t *testing.T) {
	c := newConsumer(t, sandbox.WithRetention(2, 5))
	full := newConsumer(t) // the same story, every delivery kept
	var ids []string
	for range 4 {
		o := c.placeOrder(phoenix, nil)
		full.placeOrder(phoenix, nil)
		ids = append(ids, o.ID)
	}
	// Cancelled orders finish in the order of their cancellation.
	for _, i := range []int{2, 0, 1} {
		c.must(http.MethodPost, "/v3/order/"+ids[i]+"/cancel", nil)
		full.must(http.MethodPost, "/v3/order/"+ids[i]+"/cancel", nil)
	}
	c.srv.Flush()
	full.srv.Flush()
	if _, err := c.srv.Order(ids[2]); !errors.Is(err, sandbox.ErrUnknownOrder) {
		t.Fatalf("the first order finished is kept: %v", err)
	}
	c.refused(http.MethodGet, "/v3/order/"+ids[2], nil, http.StatusNotFound, "Order not found")
	for _, i := range []int{0, 1, 3} {
		if o, err := c.srv.Order(ids[i]); err != nil || o.ID != ids[i] {
			t.Fatalf("order %d: %v", i, err)
		}
	}
	all := full.srv.Deliveries()
	if d := c.srv.Deliveries(); len(all) != 7 || !slices.EqualFunc(d, all[len(all)-5:], func(a, b sandbox.Delivery) bool {
		return a.MessageID == b.MessageID && a.Attempt == b.Attempt && a.Copy == b.Copy
	}) {
		t.Fatalf("kept %v, want the latest 5 of %v", d, all)
	}
	none := newConsumer(t, sandbox.WithRetention(0, 0))
	o := none.placeOrder(phoenix, nil)
	none.must(http.MethodPost, "/v3/order/"+o.ID+"/cancel", nil)
	none.srv.Flush()
	if _, err := none.srv.Order(o.ID); err == nil || len(none.srv.Deliveries()) != 0 {
		t.Fatalf("retention 0 kept the order or deliveries")
	}
	for _, bad := range []sandbox.Option{sandbox.WithRetention(-1, 0), sandbox.WithRetention(0, -1)} {
		if _, err := sandbox.New(bad); !errors.Is(err, sandbox.ErrOption) {
			t.Errorf("bad WithRetention: %v", err)
		}
	}
	_ = order.Cancelled
}
