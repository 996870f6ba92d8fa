package sandbox_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// exactly checks the status and the whole body of an answer.
func (c *consumer) exactly(method, path string, body any, status int, want string) {
	c.t.Helper()
	got, out := c.call(method, path, body)
	if got != status || string(out) != want {
		c.t.Errorf("%s %s = %d %s\nwant %d %s", method, path, got, out, status, want)
	}
}

func TestExactRefusals(t *testing.T) {
	c := newConsumer(t)
	c.exactly(http.MethodGet, "/v3/order/area/info?zip_code=10001", nil, http.StatusOK,
		`{"zip_code":"10001","phlebotomy":{"is_served":false,"providers":[]},"central_labs":{}}`)
	c.exactly(http.MethodGet, "/v3/order/area/info", nil, http.StatusUnprocessableEntity,
		`{"detail":[{"loc":["query","zip_code"],"msg":"field required","type":"value_error.missing"}]}`)
	c.exactly(http.MethodGet, "/v3/order/area/info?zip_code=85004&radius=30", nil, http.StatusUnprocessableEntity,
		`{"detail":[{"loc":["query","radius"],"msg":"radius must be 10, 20, 25, 50 or 100 miles","type":"value_error.radius"}]}`)
	c.exactly(http.MethodGet, "/v3/order/area/info?zip_code=850&radius=x", nil, http.StatusUnprocessableEntity,
		`{"detail":[{"loc":["query","zip_code"],"msg":"string does not match regex \"^\\d{5}$\"","type":"value_error.str.regex"},`+
			`{"loc":["query","radius"],"msg":"value is not a valid integer","type":"type_error.integer"}]}`)
	c.exactly(http.MethodPost, "/v3/order/phlebotomy/appointment/availability",
		with(phoenix, map[string]any{"first_line": "Lincoln Street", "zip_code": "8500"}), http.StatusUnprocessableEntity,
		`{"detail":[{"loc":["body","first_line"],"msg":"first_line must begin with a street number","type":"value_error.address"},`+
			`{"loc":["body","zip_code"],"msg":"string does not match regex \"^\\d{5}(-\\d{4})?$\"","type":"value_error.str.regex"}]}`)
	c.exactly(http.MethodPost, "/v3/order", map[string]any{"user_id": true}, http.StatusUnprocessableEntity,
		`{"detail":[{"loc":["body","user_id"],"msg":"str type expected","type":"type_error.str"}]}`)
	status, out := c.rawCall(http.MethodPost, "/v3/order", `{"user_id": "x",}`)
	if want := `{"detail":[{"loc":["body"],"msg":"Invalid JSON: the body cannot be decoded","type":"value_error.jsondecode"}]}`; status != http.StatusUnprocessableEntity || string(out) != want {
		t.Errorf("a syntax error: %d %s\nwant %s", status, out, want)
	}
}

func TestNearMissRoutes(t *testing.T) {
	c := newConsumer(t)
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/v3/order/area/x"},
		{http.MethodGet, "/v3/order/x/info"},
		{http.MethodPost, "/v3/order/phlebotomy/x/availability"},
		{http.MethodPost, "/v3/order/x/appointment/availability"},
		{http.MethodPost, "/v3/order/phlebotomy/appointment/x"},
		{http.MethodGet, "/v3/order/phlebotomy/x/cancellation-reasons"},
		{http.MethodGet, "/v3/order/x/appointment/cancellation-reasons"},
		{http.MethodGet, "/v3/order/x/phlebotomy/y"},
		{http.MethodGet, "/v3/order/x/y/appointment"},
		{http.MethodPost, "/v3/order/x/y/appointment/book"},
		{http.MethodPost, "/v3/order/x/phlebotomy/y/book"},
		{http.MethodPost, "/v3/order/x/phlebotomy/appointment/y"},
		{http.MethodPost, "/v3/orderx"},
		{http.MethodPost, "/v3/order/x/y"},
	} {
		c.refused(r.method, r.path, nil, http.StatusNotFound, "Not Found")
	}
}

// bothProviders is an area where Getlabs books and PhlebFinders takes
// requests.
var bothProviders = sandbox.Area{ZipCode: "85281", TimeZone: "America/Phoenix",
	Providers: []provider.Provider{provider.Getlabs, provider.Phlebfinders}}

var tempe = map[string]any{"first_line": "10 Mill Avenue", "city": "Tempe", "state": "AZ", "zip_code": "85281"}

func TestAreaWithBothProviders(t *testing.T) {
	c := newConsumer(t, sandbox.WithAreas(bothProviders, sandbox.Area{ZipCode: "85282", TimeZone: "America/Phoenix"}),
		sandbox.WithAsyncConfirmDelay(-1))
	info, err := provider.ParseAreaInfo(c.must(http.MethodGet, "/v3/order/area/info?zip_code=85282", nil))
	if err != nil || info.Phlebotomy.IsServed {
		t.Fatalf("an area without providers: %+v, %v", info, err)
	}
	o := c.placeOrder(tempe, nil)
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	path := "/v3/order/" + o.ID + "/phlebotomy/appointment/"
	key := c.slotAt(tempe, thursday15).BookingKey
	c.must(http.MethodPost, path+"book", map[string]any{"booking_key": key, "async_confirmation": true,
		"async_confirmation_timeout_millisecond": 60000})
	c.must(http.MethodPatch, path+"cancel", map[string]any{"cancellation_reason_id": "5c0257ef-6fea-4a22-b20a-3ddab573d5c9"})
	a := decodeAppointment(t, c.must(http.MethodPost, path+"request", map[string]any{"address": tempe, "provider": "phlebfinders"}))
	c.srv.Advance(2 * time.Minute) // the cancelled booking's timeout does not touch the request
	if got := decodeAppointment(t, c.must(http.MethodGet, path[:len(path)-1], nil)); got.ID != a.ID || got.EffectiveStatus() != appointment.Pending {
		t.Fatalf("after the booking's timeout: %s %v", got.ID, got.EffectiveStatus())
	}
	c.refused(http.MethodPatch, path+"reschedule", map[string]any{"booking_key": c.slotAt(tempe, friday17).BookingKey},
		http.StatusUnprocessableEntity, "booking key is for getlabs, not the appointment's phlebfinders")
	cs, err := c.srv.Cancellations(o.ID)
	if err != nil || len(cs) != 1 || cs[0].Reason.Name != "Did not fast for appointment" {
		t.Fatalf("cancellations %+v, %v", cs, err)
	}
}

func TestAsyncConfirmAtOnce(t *testing.T) {
	c := newConsumer(t, sandbox.WithAsyncConfirmDelay(0))
	o := c.placeOrder(phoenix, nil)
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	c.book(o.ID, thursday15, map[string]any{"async_confirmation": true})
	c.expect("confirmed at once", orderCreated, requisition, orderPending, apptCreated, orderScheduled, apptConfirmed)
}

func TestSimulationEdges(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	c.must(http.MethodPost, "/v3/order/"+o.ID+"/test?final_status=corrected&delay=31536000", nil)
	c.srv.Advance(10 * 365 * 24 * time.Hour)
	got := c.getOrder(o.ID)
	if got.Status() != order.Corrected || got.Transaction.Status != "completed" {
		t.Fatalf("corrected: %v, transaction %v", got.Status(), got.Transaction.Status)
	}
	d := c.placeOrder(phoenix, nil)
	if got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+d.ID+"/test", nil)); got.Transaction.Status != "completed" {
		t.Fatalf("completed: transaction %v", got.Transaction.Status)
	}

	r := newConsumer(t)
	q := r.placeOrder(onalaska, nil)
	if got := decodeOrder(t, r.must(http.MethodPost, "/v3/order/"+q.ID+"/test?final_status=appointment_cancelled", nil)); got.Status() != order.AppointmentCancelled {
		t.Fatalf("request cancelled: %v", got.Status())
	}
	r.expect("request, then its cancellation", orderCreated, requisition, orderPending, apptCreated, orderApptCancel, apptCancelled)

	// At the end of the year 9999 no slot is left: the simulation stops
	// at the requisition.
	end := newConsumer(t, sandbox.WithStart(time.Date(9999, 12, 31, 22, 0, 0, 0, time.UTC)))
	for _, tc := range []struct {
		address map[string]any
		want    order.Status
	}{{phoenix, order.RequisitionCreated}, {onalaska, order.AppointmentPending}} {
		e := end.placeOrder(tc.address, nil)
		if got := decodeOrder(t, end.must(http.MethodPost, "/v3/order/"+e.ID+"/test", nil)); got.Status() != tc.want {
			t.Fatalf("simulation at the end of time in %s: %v, want %v", tc.address["zip_code"], got.Status(), tc.want)
		}
	}
}

// TestSlotDays checks how slots are grouped by day, and the last slots
// that can be written.
func TestSlotDays(t *testing.T) {
	c := newConsumer(t)
	var av struct {
		Slots []struct {
			Date  string `json:"date"`
			Slots []slot `json:"slots"`
		} `json:"slots"`
		Timezone string `json:"timezone"`
	}
	if err := json.Unmarshal(c.must(http.MethodPost, "/v3/order/phlebotomy/appointment/availability", phoenix), &av); err != nil {
		t.Fatal(err)
	}
	if len(av.Slots) != 7 || av.Timezone != "America/Phoenix" {
		t.Fatalf("%d days in %s", len(av.Slots), av.Timezone)
	}
	for i, d := range av.Slots {
		if want := time.Date(2026, 11, 23+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); d.Date != want || len(d.Slots) != 5 {
			t.Fatalf("day %d: %s with %d slots, want %s with 5", i, d.Date, len(d.Slots), want)
		}
		loc, _ := time.LoadLocation("America/Phoenix")
		for _, s := range d.Slots {
			if s.Start.In(loc).Format(time.DateOnly) != d.Date {
				t.Fatalf("slot %v listed under %s", s.Start, d.Date)
			}
		}
	}
	ss := c.slots(phoenix, "9999-12-28")
	if len(ss) != 4*5-1 || ss[len(ss)-1].End.Year() != 9999 {
		t.Fatalf("%d slots at the end of the year 9999, the last ending %v", len(ss), ss[len(ss)-1].End)
	}
}

func TestServerLifecycle(t *testing.T) {
	srv, err := sandbox.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %s", srv.URL)
	}
	resp, err := apiClient.Get(srv.URL + "/v3/order/phlebotomy/appointment/cancellation-reasons")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	srv.Close()
	if resp, err := apiClient.Get(srv.URL + "/v3/order/phlebotomy/appointment/cancellation-reasons"); err == nil {
		resp.Body.Close()
		t.Fatal("a closed server still answers")
	}
	if _, err := sandbox.New(sandbox.WithWebhookURL("http://", testSecret)); err == nil {
		t.Fatal("a URL without a host was taken")
	}
}
