package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
)

var sandboxSeeds = flag.Int("receiver.seeds", 4, "how many seeds TestShuffles and TestAgainstSandbox run")

// againstSandbox runs the receiver behind a sandbox of Junction, in chaos
// mode with seed unless seed is 0, drives two orders through the sandbox's
// API, and returns the lines the receiver printed and the orders it holds.
func againstSandbox(t *testing.T, seed uint64) ([]string, map[string]track.Tracked) {
	t.Helper()
	var srv *sandbox.Server
	r := newReceiverOn(t, filepath.Join(t.TempDir(), "receiver.db"), false, func() time.Time { return srv.Now() })
	h := r.h
	opts := []sandbox.Option{sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithWebhookHandler(h, secret), sandbox.WithPreRequisitionScheduling()}
	if seed != 0 {
		opts = append(opts, sandbox.WithChaos(seed))
	}
	srv, err := sandbox.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ids := scenario(t, srv)
	orders := map[string]track.Tracked{}
	for _, id := range ids {
		o, _, err := r.r.store.Load(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		orders[id] = o
	}
	return r.lines(t), orders
}

// TestAgainstSandbox runs the receiver behind the sandbox, delivering in
// order and then with chaos (reordered, duplicated, delayed, retried) for
// many seeds: it must print the same changes, each once, and hold the same
// orders. -receiver.seeds sets how many seeds.
func TestAgainstSandbox(t *testing.T) {
	want, wantOrders := againstSandbox(t, 0)
	for _, s := range []string{"active appointment", "auto-cancelled", "moved from", "-> completed"} {
		if !slices.ContainsFunc(want, func(l string) bool { return strings.Contains(strings.ToLower(l), strings.ToLower(s)) }) {
			t.Errorf("no change mentions %q:\n%s", s, strings.Join(want, "\n"))
		}
	}
	inOrder := slices.Clone(want)
	slices.Sort(want)
	reordered := 0
	for seed := uint64(1); seed <= uint64(*sandboxSeeds); seed++ {
		got, orders := againstSandbox(t, seed)
		if !slices.Equal(inOrder, got) {
			reordered++
		}
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Fatalf("seed %d: printed\n%s\nwant\n%s", seed, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for id, o := range orders {
			if !o.Equal(wantOrders[id]) {
				t.Fatalf("seed %d: order %s differs from in-order delivery", seed, id)
			}
		}
	}
	if *sandboxSeeds > 1 && reordered == 0 {
		t.Error("chaos never changed the order in which changes were printed")
	}
}

// scenario drives two orders through srv's API and controls, and returns
// their ids: one booked after its requisition, rescheduled, drawn and
// completed; one booked before its requisition, auto-cancelled, and
// booked again. It ends with 48 hours of virtual time, long enough for
// every retry of every webhook.
func scenario(t *testing.T, srv *sandbox.Server) []string {
	t.Helper()
	api := func(method, path string, body any) []byte {
		t.Helper()
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Vital-Api-Key", "sk_us_test")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %d %s %v", method, path, resp.StatusCode, answer, err)
		}
		return answer
	}
	address := map[string]any{"first_line": "123 West Lincoln Street", "city": "Phoenix", "state": "AZ", "zip_code": "85004"}
	place := func(user string) string {
		var r struct {
			Order struct {
				ID string `json:"id"`
			} `json:"order"`
		}
		patient := map[string]any{"first_name": "Jane", "last_name": "Doe", "dob": "1990-01-01", "gender": "female",
			"phone_number": "+16025550123", "email": "jane@example.com"}
		orderAddress := map[string]any{"first_line": address["first_line"], "city": address["city"], "state": address["state"],
			"zip": address["zip_code"], "country": "US"}
		if err := json.Unmarshal(api(http.MethodPost, "/v3/order", map[string]any{"user_id": user,
			"lab_test_id": sandbox.LabTestAtHomePhlebotomy, "patient_details": patient, "patient_address": orderAddress}), &r); err != nil {
			t.Fatal(err)
		}
		return r.Order.ID
	}
	keyAt := func(start time.Time) string {
		var av struct {
			Slots []struct {
				Slots []struct {
					BookingKey string    `json:"booking_key"`
					Start      time.Time `json:"start"`
				} `json:"slots"`
			} `json:"slots"`
		}
		if err := json.Unmarshal(api(http.MethodPost, "/v3/order/phlebotomy/appointment/availability?start_date="+
			start.Format(time.DateOnly), address), &av); err != nil {
			t.Fatal(err)
		}
		for _, day := range av.Slots {
			for _, s := range day.Slots {
				if s.Start.Equal(start) {
					return s.BookingKey
				}
			}
		}
		t.Fatalf("no slot at %v", start)
		return ""
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	thursday := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	friday := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
	step := func() { srv.Advance(2 * time.Minute) }

	// Booked after the requisition, rescheduled, drawn, with results.
	a := place("202b2c2f-fb4c-44dc-a4f8-621186fde227")
	step()
	must(srv.Apply(a, scheduling.Flow.CreateRequisition))
	step()
	api(http.MethodPost, "/v3/order/"+a+"/phlebotomy/appointment/book", map[string]any{"booking_key": keyAt(thursday)})
	step()
	api(http.MethodPatch, "/v3/order/"+a+"/phlebotomy/appointment/reschedule", map[string]any{"booking_key": keyAt(friday)})
	step()
	// Booked before the requisition: auto-cancelled, then booked again.
	b := place("5e1b0c4a-7f3d-4b8e-9a21-3c4d5e6f7a01")
	api(http.MethodPost, "/v3/order/"+b+"/phlebotomy/appointment/book", map[string]any{"booking_key": keyAt(thursday)})
	srv.Advance(9 * time.Hour)
	must(srv.Apply(b, scheduling.Flow.CreateRequisition))
	api(http.MethodPost, "/v3/order/"+b+"/phlebotomy/appointment/book", map[string]any{"booking_key": keyAt(friday)})
	srv.Advance(friday.Sub(srv.Now()))
	must(srv.Apply(a, scheduling.Flow.StartVisit))
	step()
	must(srv.Apply(a, scheduling.Flow.CompleteDraw))
	step()
	must(srv.Apply(a, scheduling.Flow.CompleteResults))
	// Long enough for every retry.
	srv.Advance(48 * time.Hour)
	return []string{a, b}
}
