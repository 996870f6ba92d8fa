package sandbox_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// keyPaths returns every member path of a JSON document, such as
// "patient_address.zip" or "events[].status".
func keyPaths(t *testing.T, doc []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(v any, prefix string)
	walk = func(v any, prefix string) {
		switch v := v.(type) {
		case map[string]any:
			for k, m := range v {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				out[p] = true
				walk(m, p)
			}
		case []any:
			for _, m := range v {
				walk(m, prefix+"[]")
			}
		}
	}
	walk(v, "")
	return out
}

// fixture returns the key paths of a file of testdata, under member if
// it is not empty.
func fixture(t *testing.T, name, member string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if member != "" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		b = m[member]
	}
	return keyPaths(t, b)
}

// union returns the union of sets.
func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		maps.Copy(out, s)
	}
	return out
}

// missing returns the paths of a that b lacks, sorted.
func missing(a, b map[string]bool) []string {
	var out []string
	for p := range a {
		if !b[p] {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// set returns a set of paths.
func set(paths ...string) map[string]bool {
	out := map[string]bool{}
	for _, p := range paths {
		out[p] = true
	}
	return out
}

// TestFieldNamesMatchFixtures checks that the sandbox's answers and
// webhooks use the field names of Junction's published payloads: every
// name they write is in a payload (or named here, with why), and every
// name of the payloads is written.
func TestFieldNamesMatchFixtures(t *testing.T) {
	c := newConsumer(t)
	o := c.scheduled(thursday15)
	c.must(http.MethodPatch, "/v3/order/"+o.ID+"/phlebotomy/appointment/reschedule",
		map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey})
	c.srv.Flush()

	t.Run("order", func(t *testing.T) {
		got := keyPaths(t, c.must(http.MethodGet, "/v3/order/"+o.ID, nil))
		published := union(fixture(t, "order-updated.json", ""), fixture(t, "order-imported.json", "order"),
			// last_event replaces the deprecated status (DOMAIN.md §6); parent_id is in
			// order_transaction.orders[] of the OpenAPI schema, which requires has_abn;
			// access_notes is in its PatientAddressCompatible.
			set("last_event", "last_event.id", "last_event.created_at", "last_event.status",
				"order_transaction.orders[].parent_id", "has_abn", "patient_address.access_notes"))
		if extra := missing(got, published); len(extra) > 0 {
			t.Errorf("names no payload has: %v", extra)
		}
		if lost := missing(fixture(t, "order-updated.json", ""), got); len(lost) > 0 {
			t.Errorf("names of order-updated.json not written: %v", lost)
		}
	})

	t.Run("create order answer", func(t *testing.T) {
		body := c.must(http.MethodPost, "/v3/order", orderBody(phoenix, nil))
		var got, want map[string]json.RawMessage
		b, _ := os.ReadFile("testdata/order-imported.json")
		if json.Unmarshal(body, &got) != nil || json.Unmarshal(b, &want) != nil ||
			!slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
			t.Errorf("answer members %v, want those of order-imported.json", slices.Sorted(maps.Keys(got)))
		}
	})

	t.Run("appointment", func(t *testing.T) {
		got := keyPaths(t, c.must(http.MethodGet, "/v3/order/"+o.ID+"/phlebotomy/appointment", nil))
		published := union(fixture(t, "appointment-booked.json", ""), fixture(t, "appointment-requested.json", ""),
			fixture(t, "appointment-updated-webhook.json", "data"))
		if extra := missing(got, published); len(extra) > 0 {
			t.Errorf("names no payload has: %v", extra)
		}
		// Left out when empty: the deprecated unit and an empty second line.
		if lost := missing(fixture(t, "appointment-booked.json", ""), union(got, set("address.unit", "address.second_line"))); len(lost) > 0 {
			t.Errorf("names of appointment-booked.json not written: %v", lost)
		}
	})

	t.Run("area info", func(t *testing.T) {
		got := keyPaths(t, c.must(http.MethodGet, "/v3/order/area/info?zip_code=85004", nil))
		// service_types is the OpenAPI schema's name for the example's tier.
		published := union(fixture(t, "area-info.json", ""), set("phlebotomy.providers[].service_types"))
		if extra := missing(got, published); len(extra) > 0 {
			t.Errorf("names no payload has: %v", extra)
		}
	})

	t.Run("webhook", func(t *testing.T) {
		rec := &capture{}
		srv, d := newPlain(t, sandbox.WithWebhookHandler(rec, testSecret))
		o := d.placeOrder(phoenix, nil)
		if err := srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		d.book(o.ID, thursday15, nil)
		d.must(http.MethodPatch, "/v3/order/"+o.ID+"/phlebotomy/appointment/reschedule",
			map[string]any{"booking_key": d.slotAt(phoenix, friday17).BookingKey})
		srv.Advance(time.Second)
		rescheduled := 0
		envelope := set("event_type", "data", "user_id", "client_user_id", "team_id")
		published := fixture(t, "appointment-updated-webhook.json", "")
		for _, r := range rec.all() {
			got := keyPaths(t, r.body)
			top := map[string]bool{}
			for p := range got {
				if !slices.Contains([]string{"data"}, p) && !envelope[p] {
					continue
				}
				top[p] = true
			}
			if !maps.Equal(top, envelope) {
				t.Errorf("envelope members %v", slices.Sorted(maps.Keys(top)))
			}
			var e struct {
				Type string `json:"event_type"`
			}
			if json.Unmarshal(r.body, &e) == nil && e.Type == "labtest.appointment.updated" && got["data.event_data"] {
				rescheduled++
				// The flow sets no origin; this patient's address has no country.
				if lost := missing(published, union(got, set("data.address.country", "data.event_data.origin",
					"data.events[].data.origin"))); len(lost) > 0 {
					t.Errorf("names of appointment-updated-webhook.json not written: %v", lost)
				}
			}
		}
		if rescheduled != 1 {
			t.Errorf("%d reschedule webhooks, want 1", rescheduled)
		}
	})
}
