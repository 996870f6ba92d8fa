package junction_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// BenchmarkLifecycle walks one order through the client against the
// in-process sandbox, over loopback HTTP: create, requisition (in the
// sandbox), get, availability, book, reschedule, cancellation reasons,
// cancel the appointment, cancel the order; nine calls. The sandbox's
// clock moves a minute per lifecycle, so that the booking keys of the
// lifecycle before have expired.
func BenchmarkLifecycle(b *testing.B) {
	srv, c := newSandbox(b, []sandbox.Option{sandbox.WithBookingKeyTTL(30 * time.Second)})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		srv.Advance(time.Minute)
		placed, err := c.CreateOrder(ctx, newOrderRequest(""))
		if err != nil {
			b.Fatal(err)
		}
		id := placed.Order.ID
		if err := srv.Apply(id, scheduling.Flow.CreateRequisition); err != nil {
			b.Fatal(err)
		}
		o, err := c.Order(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		av, err := c.Availability(ctx, junction.AvailabilityRequest{Address: o.Address})
		if err != nil {
			b.Fatal(err)
		}
		slot := av.Slots[1].Slots[0]
		if _, err := c.Book(ctx, id, junction.BookRequest{BookingKey: slot.BookingKey},
			junction.WithFacts(junction.Facts{Order: o, Slot: slot})); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Reschedule(ctx, id, junction.RescheduleRequest{BookingKey: av.Slots[1].Slots[1].BookingKey}); err != nil {
			b.Fatal(err)
		}
		reasons, err := c.CancellationReasons(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.CancelAppointment(ctx, id, junction.CancelAppointmentRequest{CancellationReasonID: reasons[0].ID}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.CancelOrder(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// recorded returns the sandbox's answers to a get-appointment and an
// availability call, to be served as they are.
func recorded(b *testing.B) (appt, av []byte) {
	b.Helper()
	srv, c := newSandbox(b, nil, junction.WithoutLocalChecks())
	ctx := context.Background()
	o := place(b, c, newOrderRequest(""))
	if err := srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		b.Fatal(err)
	}
	slot := firstSlot(b, c, home)
	if _, err := c.Book(ctx, o.ID, junction.BookRequest{BookingKey: slot.BookingKey}); err != nil {
		b.Fatal(err)
	}
	get := func(method, path, body string) []byte {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("x-vital-api-key", apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, err)
		}
		return data
	}
	return get(http.MethodGet, "/v3/order/"+o.ID+"/phlebotomy/appointment", ""),
		get(http.MethodPost, "/v3/order/phlebotomy/appointment/availability",
			`{"first_line":"123 Main St.","city":"Phoenix","state":"AZ","zip_code":"85004"}`)
}

// handAvailability is what a hand-written client decodes an availability
// answer into.
type handAvailability struct {
	Slots []struct {
		Date  string `json:"date"`
		Slots []struct {
			BookingKey               string    `json:"booking_key"`
			Start                    time.Time `json:"start"`
			End                      time.Time `json:"end"`
			ExpiresAt                time.Time `json:"expires_at"`
			Price                    float64   `json:"price"`
			IsPriority               bool      `json:"is_priority"`
			NumAppointmentsAvailable int       `json:"num_appointments_available"`
		} `json:"slots"`
	} `json:"slots"`
	Timezone string `json:"timezone"`
}

// handAddress is what a hand-written client sends as an address.
type handAddress struct {
	FirstLine string `json:"first_line"`
	City      string `json:"city"`
	State     string `json:"state"`
	ZipCode   string `json:"zip_code"`
}

// hand is the call a hand-written client makes: net/http, with the key
// and JSON headers, and encoding/json.
func hand(ctx context.Context, hc *http.Client, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = strings.NewReader(string(data))
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("x-vital-api-key", "sk_us_test")
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &junction.APIError{StatusCode: resp.StatusCode}
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// BenchmarkCall measures the client's cost per call against a
// hand-written net/http and encoding/json call of the same endpoint (the
// baseline, a sub-benchmark of each): a GET of the active appointment,
// and an availability POST (35 slots). Both go through the same
// http.Client, whose transport answers the sandbox's recorded answer in
// memory, so that what differs is the client's own work.
func BenchmarkCall(b *testing.B) {
	appt, av := recorded(b)
	hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		body := av
		if r.Method == http.MethodGet {
			body = appt
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
	})}
	const base = "http://junction.test"
	c, err := junction.New("sk_us_test", junction.WithBaseURL(base), junction.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const id = "066a48f6-5d86-4cd6-9650-431fd64b428c"
	addr := order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"}

	b.Run("appointment/client", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Appointment(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("appointment/baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a appointment.Appointment
			if err := hand(ctx, hc, http.MethodGet, base+"/v3/order/"+id+"/phlebotomy/appointment", nil, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("availability/client", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Availability(ctx, junction.AvailabilityRequest{Address: addr}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("availability/baseline", func(b *testing.B) {
		b.ReportAllocs()
		in := handAddress{FirstLine: addr.FirstLine, City: addr.City, State: addr.State, ZipCode: addr.ZipCode}
		for b.Loop() {
			var out handAvailability
			if err := hand(ctx, hc, http.MethodPost, base+"/v3/order/phlebotomy/appointment/availability", in, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
