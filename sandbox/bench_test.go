package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// lifecycle is one order's whole life through the API: placed, its
// requisition created, a slot found and booked, rescheduled, drawn and
// resulted, every webhook delivered to a webhookhttp.Handler in process. do
// sends a request and returns the answer's body.
func lifecycle(b *testing.B, srv *sandbox.Server, do func(method, path string, body []byte) []byte) {
	var created struct {
		Order struct {
			ID string `json:"id"`
		} `json:"order"`
	}
	if err := json.Unmarshal(do(http.MethodPost, "/v3/order", benchOrder), &created); err != nil {
		b.Fatal(err)
	}
	id := created.Order.ID
	if err := srv.Apply(id, scheduling.Flow.CreateRequisition); err != nil {
		b.Fatal(err)
	}
	var av struct {
		Slots []struct {
			Slots []struct {
				BookingKey string `json:"booking_key"`
			} `json:"slots"`
		} `json:"slots"`
	}
	if err := json.Unmarshal(do(http.MethodPost, "/v3/order/phlebotomy/appointment/availability", benchAddress), &av); err != nil {
		b.Fatal(err)
	}
	do(http.MethodPost, "/v3/order/"+id+"/phlebotomy/appointment/book",
		[]byte(`{"booking_key": "`+av.Slots[3].Slots[0].BookingKey+`"}`))
	do(http.MethodPatch, "/v3/order/"+id+"/phlebotomy/appointment/reschedule",
		[]byte(`{"booking_key": "`+av.Slots[4].Slots[0].BookingKey+`"}`))
	for _, step := range []command{scheduling.Flow.StartVisit, scheduling.Flow.CompleteDraw, scheduling.Flow.CompleteResults} {
		if err := srv.Apply(id, step); err != nil {
			b.Fatal(err)
		}
	}
	srv.Flush()
	do(http.MethodGet, "/v3/order/"+id, nil)
}

var (
	benchOrder, _   = json.Marshal(orderBody(phoenix, nil))
	benchAddress, _ = json.Marshal(phoenix)
)

// newBenchServer returns a sandbox delivering to a webhookhttp.Handler that
// counts the events.
func newBenchServer(b *testing.B, events *int) *sandbox.Server {
	recv, err := webhookhttp.NewHandler(testSecret, func(context.Context, webhook.Event) error {
		*events++
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := sandbox.New(sandbox.WithStart(t0), sandbox.WithWebhookHandler(recv, testSecret))
	if err != nil {
		b.Fatal(err)
	}
	recv.Now = srv.Now
	return srv
}

// BenchmarkLifecycle runs one order's whole life through a new sandbox:
// through its handler in process, and over a loopback connection.
func BenchmarkLifecycle(b *testing.B) {
	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		events := 0
		for b.Loop() {
			srv := newBenchServer(b, &events)
			lifecycle(b, srv, func(method, path string, body []byte) []byte {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, newRequest(method, path, bytes.NewReader(body)))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.Bytes())
				}
				return rec.Body.Bytes()
			})
		}
		b.ReportMetric(float64(events)/float64(b.N), "webhooks/op")
	})
	b.Run("loopback", func(b *testing.B) {
		b.ReportAllocs()
		var current atomic.Pointer[sandbox.Server]
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			current.Load().ServeHTTP(w, r)
		}))
		defer front.Close()
		client := front.Client()
		events := 0
		for b.Loop() {
			srv := newBenchServer(b, &events)
			current.Store(srv)
			lifecycle(b, srv, func(method, path string, body []byte) []byte {
				req, err := http.NewRequest(method, front.URL+path, bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("X-Vital-Api-Key", testAPIKey)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				out, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%s %s: %d %s %v", method, path, resp.StatusCode, out, err)
				}
				return out
			})
		}
		b.ReportMetric(float64(events)/float64(b.N), "webhooks/op")
	})
}

// BenchmarkAdvance measures a day of virtual time passing over many idle
// orders with appointments: the cost of finding what is due.
func BenchmarkAdvance(b *testing.B) {
	events := 0
	srv := newBenchServer(b, &events)
	for range 100 {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, newRequest(http.MethodPost, "/v3/order", bytes.NewReader(benchOrder)))
	}
	srv.Flush()
	b.ReportAllocs()
	for b.Loop() {
		srv.Advance(time.Hour)
	}
}

// walkOrders walks n orders to completion over HTTP against a new sandbox
// served on a loopback port, from 16 goroutines, with the virtual clock
// standing still (so that no booking key ever expires): each order is
// placed, its requisition created, a slot found and booked, drawn and
// resulted, its webhooks delivered, and read back.
func walkOrders(b *testing.B, n int) {
	srv, err := sandbox.NewServer(sandbox.WithStart(t0),
		sandbox.WithWebhookHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}), testSecret))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	do := func(method, path string, body []byte) []byte {
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			b.Error(err)
			return nil
		}
		req.Header.Set("X-Vital-Api-Key", testAPIKey)
		resp, err := client.Do(req)
		if err != nil {
			b.Error(err)
			return nil
		}
		out, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Errorf("%s %s: %d %s %v", method, path, resp.StatusCode, out, err)
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				walkOne(b, srv, do, i)
			}
		})
	}
	wg.Wait()
	srv.Flush()
	client.CloseIdleConnections() // so that Close need not wait for them
}

// walkOne walks the i-th order of walkOrders.
func walkOne(b *testing.B, srv *sandbox.Server, do func(method, path string, body []byte) []byte, i int64) {
	user := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	body, _ := json.Marshal(orderBody(phoenix, map[string]any{"user_id": user}))
	var created struct {
		Order struct {
			ID string `json:"id"`
		} `json:"order"`
	}
	if err := json.Unmarshal(do(http.MethodPost, "/v3/order", body), &created); err != nil {
		b.Error(err)
		return
	}
	id := created.Order.ID
	if err := srv.Apply(id, scheduling.Flow.CreateRequisition); err != nil {
		b.Error(err)
		return
	}
	var av struct {
		Slots []struct {
			Slots []struct {
				BookingKey string `json:"booking_key"`
			} `json:"slots"`
		} `json:"slots"`
	}
	if err := json.Unmarshal(do(http.MethodPost, "/v3/order/phlebotomy/appointment/availability", benchAddress), &av); err != nil {
		b.Error(err)
		return
	}
	do(http.MethodPost, "/v3/order/"+id+"/phlebotomy/appointment/book",
		[]byte(`{"booking_key": "`+av.Slots[3].Slots[0].BookingKey+`"}`))
	for _, step := range []command{scheduling.Flow.StartVisit, scheduling.Flow.CompleteDraw, scheduling.Flow.CompleteResults} {
		if err := srv.Apply(id, step); err != nil {
			b.Error(err)
			return
		}
	}
	srv.Flush()
	do(http.MethodGet, "/v3/order/"+id, nil)
}

// BenchmarkOrders walks 1,000 and 10,000 orders over HTTP (walkOrders): the
// cost of a call must not grow with the orders, booking keys and
// deliveries the server has seen, so the second takes at most 11 times the
// first.
func BenchmarkOrders(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				walkOrders(b, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/order")
		})
	}
}
