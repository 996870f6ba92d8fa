package sandbox_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// orderBody returns a valid create-order body for a patient at address,
// with changes applied: a nil value removes a member.
func orderBody(address map[string]any, changes map[string]any) map[string]any {
	body := map[string]any{
		"user_id":     "202b2c2f-fb4c-44dc-a4f8-621186fde227",
		"lab_test_id": sandbox.LabTestAtHomePhlebotomy,
		"patient_details": map[string]any{"first_name": "John", "last_name": "Doe", "dob": "1990-01-01",
			"gender": "male", "phone_number": "+16025550123", "email": "john@example.com"},
		"patient_address": map[string]any{"first_line": address["first_line"], "city": address["city"],
			"state": address["state"], "zip": address["zip_code"], "country": "US", "access_notes": address["access_notes"]},
	}
	for k, v := range changes {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	return body
}

// with returns m with changes: a nil value removes a member.
func with(m map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// rawCall sends body as it is.
func (c *consumer) rawCall(method, path, body string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		c.t.Fatal(err)
	}
	checkWire(c.t, resp.StatusCode, buf.Bytes())
	return resp.StatusCode, buf.Bytes()
}

// scheduled returns an order whose requisition exists, with a confirmed
// appointment at start.
func (c *consumer) scheduled(start time.Time) order.Order {
	c.t.Helper()
	o := c.placeOrder(phoenix, nil)
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		c.t.Fatal(err)
	}
	c.book(o.ID, start, nil)
	return o
}

func TestCreateOrder(t *testing.T) {
	c := newConsumer(t)
	body := c.must(http.MethodPost, "/v3/order", orderBody(phoenix, map[string]any{"activate_by": "2026-12-01"}))
	var wrapped struct {
		Order   json.RawMessage `json:"order"`
		Status  string          `json:"status"`
		Message string          `json:"message"`
	}
	if err := json.Unmarshal(body, &wrapped); err != nil || wrapped.Status != "success" || wrapped.Message == "" {
		t.Fatalf("answer %s: %v", body, err)
	}
	o, err := order.Decode(wrapped.Order)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status() != order.Ordered || !o.IsPhlebotomy() || o.ActivateBy != (order.Date{Year: 2026, Month: 12, Day: 1}) ||
		o.TeamID != sandbox.DefaultTeamID || o.Patient.DOB != (order.Date{Year: 1990, Month: 1, Day: 1}) ||
		o.Address.ZipCode != "85004" || o.LabTest.ID != sandbox.LabTestAtHomePhlebotomy || !o.CreatedAt.Equal(t0) ||
		o.Transaction.Status != "active" || len(o.History) != 1 || o.Address.AccessNotes != phoenix["access_notes"] {
		t.Fatalf("created order = %+v", o)
	}
	if got := c.getOrder(o.ID); got.Address.AccessNotes != phoenix["access_notes"] {
		t.Fatalf("GET: access notes %q", got.Address.AccessNotes)
	}

	long := strings.Repeat("x", 1001)
	for _, tc := range []struct {
		name string
		body any
		want string
	}{
		{"no body", nil, `"body"`},
		{"not an object", []int{1}, "value is not a valid dict"},
		{"no user", orderBody(phoenix, map[string]any{"user_id": nil}), `"user_id"`},
		{"user not a string", orderBody(phoenix, map[string]any{"user_id": 5}), "str type expected"},
		{"no lab test", orderBody(phoenix, map[string]any{"lab_test_id": nil}), `"lab_test_id"`},
		{"unknown lab test", orderBody(phoenix, map[string]any{"lab_test_id": "nope"}), "lab test not found"},
		{"walk-in lab test", orderBody(phoenix, map[string]any{"lab_test_id": sandbox.LabTestWalkIn}), "walk_in_test"},
		{"testkit collection", orderBody(phoenix, map[string]any{"collection_method": "testkit"}), "only at_home_phlebotomy"},
		{"no patient", orderBody(phoenix, map[string]any{"patient_details": nil}), `"patient_details"`},
		{"no date of birth", orderBody(phoenix, map[string]any{"patient_details": map[string]any{"first_name": "J",
			"last_name": "D", "gender": "male", "phone_number": "1", "email": "e"}}), `"dob"`},
		{"bad date of birth", orderBody(phoenix, map[string]any{"patient_details": map[string]any{"first_name": "J",
			"last_name": "D", "dob": "1990-02-30", "gender": "male", "phone_number": "1", "email": "e"}}), "invalid date"},
		{"no address", orderBody(phoenix, map[string]any{"patient_address": nil}), `"patient_address"`},
		{"no zip", orderBody(phoenix, map[string]any{"patient_address": map[string]any{"first_line": "1 A St",
			"city": "P", "state": "AZ", "country": "US"}}), `"zip"`},
		{"access notes too long", orderBody(phoenix, map[string]any{"patient_address": map[string]any{"first_line": "1 A St",
			"city": "P", "state": "AZ", "zip": "85004", "country": "US", "access_notes": long}}), "1000 characters"},
		{"bad activate_by", orderBody(phoenix, map[string]any{"activate_by": "soon"}), `"activate_by"`},
	} {
		func() {
			c.refused(http.MethodPost, "/v3/order", tc.body, http.StatusUnprocessableEntity, tc.want)
		}()
	}
	status, out := c.rawCall(http.MethodPost, "/v3/order", `{"user_id": `)
	if status != http.StatusUnprocessableEntity || !bytes.Contains(out, []byte(`"detail"`)) {
		t.Errorf("truncated JSON: %d %s", status, out)
	}
	// A patient too young is an order Junction takes; no appointment can
	// be booked for them (see TestBook).
	c.must(http.MethodPost, "/v3/order", orderBody(phoenix, map[string]any{"patient_details": map[string]any{
		"first_name": "J", "last_name": "D", "dob": "2015-06-01", "gender": "female", "phone_number": "1", "email": "e"}}))
}

func TestGetOrder(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	got := c.getOrder(o.ID)
	if got.ID != o.ID || got.Status() != order.Ordered {
		t.Fatalf("GET = %+v", got)
	}
	if got := c.getOrder(strings.ToUpper(o.ID)); got.ID != o.ID {
		t.Fatalf("GET with an upper-case id = %+v", got)
	}
	c.refused(http.MethodGet, "/v3/order/not-a-uuid", nil, http.StatusUnprocessableEntity, "not a valid uuid")
	c.refused(http.MethodGet, "/v3/order/00000000-0000-4000-8000-000000000000", nil, http.StatusNotFound, "Order not found")
}

func TestCancelOrder(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+o.ID+"/cancel", nil))
	if got.Status() != order.Cancelled || got.Transaction.Status != "cancelled" {
		t.Fatalf("cancelled = %v, transaction %v", got.Status(), got.Transaction.Status)
	}
	for i, final := range []string{"partial_results", "sample_error", "completed"} {
		d := c.placeOrder(phoenix, map[string]any{"user_id": "6a0c1a67-7d38-4d34-bd1b-00000000000" + strconv.Itoa(i)})
		c.must(http.MethodPost, "/v3/order/"+d.ID+"/test?final_status="+final, nil)
		c.refused(http.MethodPost, "/v3/order/"+d.ID+"/cancel", nil, http.StatusBadRequest,
			"Transition from "+final+" to cancelled is not allowed")
	}
	c.refused(http.MethodPost, "/v3/order/00000000-0000-4000-8000-000000000000/cancel", nil, http.StatusNotFound, "Order not found")
}

func TestAreaInfo(t *testing.T) {
	c := newConsumer(t)
	info, err := provider.ParseAreaInfo(c.must(http.MethodGet, "/v3/order/area/info?zip_code=54650&radius=50", nil))
	if err != nil || !info.Served() || info.ForRequest(provider.Phlebfinders) != nil {
		t.Fatalf("54650 = %+v, %v", info, err)
	}
	for _, tc := range []struct{ query, want string }{
		{"", `"zip_code"`},
		{"zip_code=8500", "does not match regex"},
		{"zip_code=85004-1234", "does not match regex"},
		{"zip_code=85004&radius=30", "radius must be"},
		{"zip_code=85004&radius=0", "radius must be"},
		{"zip_code=85004&radius=", "not a valid integer"},
		{"zip_code=85004&radius=far", "not a valid integer"},
	} {
		c.refused(http.MethodGet, "/v3/order/area/info?"+tc.query, nil, http.StatusUnprocessableEntity, tc.want)
	}
}

func TestAvailability(t *testing.T) {
	c := newConsumer(t)
	ss := c.slots(phoenix, "")
	// Monday at 02:00 in Phoenix: every window of the seven days from today.
	if len(ss) != 7*5 {
		t.Fatalf("%d slots, want 35", len(ss))
	}
	if first := ss[0]; !first.Start.Equal(time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)) ||
		first.End.Sub(first.Start) != 2*time.Hour || !first.ExpiresAt.Equal(t0.Add(sandbox.DefaultBookingKeyTTL)) ||
		!strings.HasPrefix(first.BookingKey, "bk_") || first.BookingKey == ss[1].BookingKey {
		t.Fatalf("first slot = %+v", first)
	}
	if ss := c.slots(phoenix, "2026-12-24"); !ss[0].Start.Equal(time.Date(2026, 12, 24, 15, 0, 0, 0, time.UTC)) {
		t.Fatalf("from 24 December: first slot %v", ss[0].Start)
	}
	if ss := c.slots(phoenix, "2020-01-01"); len(ss) != 35 {
		t.Fatalf("from a past date: %d slots, want those from today", len(ss))
	}
	c.srv.Advance(8 * time.Hour) // 10:00 in Phoenix: today's 8:00 and 10:00 windows have started
	if ss := c.slots(phoenix, ""); len(ss) != 33 {
		t.Fatalf("at 10:00 local: %d slots, want 33", len(ss))
	}

	const path = "/v3/order/phlebotomy/appointment/availability"
	for _, tc := range []struct {
		name  string
		query string
		body  any
		want  string
	}{
		{"bad start_date", "?start_date=tomorrow", phoenix, `"start_date"`},
		{"no body", "", nil, `"body"`},
		{"no zip code", "", with(phoenix, map[string]any{"zip_code": nil}), `"zip_code"`},
		{"no street number", "", with(phoenix, map[string]any{"first_line": "West Lincoln Street"}), "street number"},
		{"not served", "", with(phoenix, map[string]any{"zip_code": "10001"}), "10001 is not served"},
		{"no appointment-ready provider", "", onalaska, "no provider that books"},
	} {
		func() {
			c.refused(http.MethodPost, path+tc.query, tc.body, http.StatusUnprocessableEntity, tc.want)
		}()
	}
}

func TestBook(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	path := "/v3/order/" + o.ID + "/phlebotomy/appointment/book"
	key := c.slotAt(phoenix, thursday15).BookingKey
	c.refused(http.MethodPost, path, map[string]any{"booking_key": key}, http.StatusBadRequest, "does not have a requisition")
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		body map[string]any
		want string
	}{
		{"no booking key", map[string]any{}, `"booking_key"`},
		{"unknown booking key", map[string]any{"booking_key": "bk_nope"}, "unknown booking key"},
		{"notes too long", map[string]any{"booking_key": key, "appointment_notes": strings.Repeat("é", 1001)}, "1000 characters"},
		{"sync timeout", map[string]any{"booking_key": key, "sync_confirmation_timeout_millisecond": 999}, "1000 and 10000"},
		{"async timeout", map[string]any{"booking_key": key, "async_confirmation_timeout_millisecond": 172800001}, "60000 and 172800000"},
		{"async not a boolean", map[string]any{"booking_key": key, "async_confirmation": "yes"}, "parsed to a boolean"},
	} {
		func() {
			c.refused(http.MethodPost, path, tc.body, http.StatusUnprocessableEntity, tc.want)
		}()
	}
	a := decodeAppointment(t, c.must(http.MethodPost, path, map[string]any{"booking_key": key,
		"sync_confirmation_timeout_millisecond": 10000, "appointment_notes": strings.Repeat("é", 1000)}))
	if a.EffectiveStatus() != appointment.Confirmed || a.OrderID != o.ID || a.Provider != provider.Getlabs || !a.CanReschedule ||
		a.Location != (appointment.Location{Lng: -112.0772235, Lat: 33.4421912}) {
		t.Fatalf("booked = %+v", a)
	}
	c.refused(http.MethodPost, path, map[string]any{"booking_key": key}, http.StatusUnprocessableEntity, "unknown booking key")
	c.refused(http.MethodPost, path, map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey},
		http.StatusBadRequest, "already has an active appointment")

	t.Run("booking keys expire", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithBookingKeyTTL(time.Minute))
		o := c.placeOrder(phoenix, nil)
		if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
			t.Fatal(err)
		}
		s := c.slotAt(phoenix, thursday15)
		if !s.ExpiresAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("expires at %v", s.ExpiresAt)
		}
		c.srv.Advance(time.Minute)
		c.refused(http.MethodPost, "/v3/order/"+o.ID+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": s.BookingKey}, http.StatusUnprocessableEntity, "booking key expired")
		s = c.slotAt(phoenix, thursday15)
		c.srv.Advance(time.Minute - time.Nanosecond)
		c.must(http.MethodPost, "/v3/order/"+o.ID+"/phlebotomy/appointment/book", map[string]any{"booking_key": s.BookingKey})
	})

	t.Run("rules of the flow", func(t *testing.T) {
		c := newConsumer(t, sandbox.WithPreRequisitionScheduling(),
			sandbox.WithAreas(append(sandbox.DefaultAreas(), sandbox.Area{ZipCode: "85281",
				Providers: []provider.Provider{provider.Getlabs}, TimeZone: "America/Phoenix"})...))
		child := c.placeOrder(phoenix, map[string]any{"user_id": "9c0f0bde-53d5-4f5e-8d5a-21a8a2a0a001",
			"patient_details": map[string]any{"first_name": "J", "last_name": "D", "dob": "2010-06-01",
				"gender": "female", "phone_number": "1", "email": "e"}})
		c.refused(http.MethodPost, "/v3/order/"+child.ID+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": c.slotAt(phoenix, thursday15).BookingKey}, http.StatusUnprocessableEntity, "at least 18")

		o := c.placeOrder(phoenix, nil)
		tempe := with(phoenix, map[string]any{"zip_code": "85281", "city": "Tempe"})
		var other string
		for _, s := range c.slots(tempe, "") {
			other = s.BookingKey
		}
		c.refused(http.MethodPost, "/v3/order/"+o.ID+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": other}, http.StatusUnprocessableEntity, "zip code 85281, not the order's 85004")

		c.srv.Advance(4*time.Hour + 30*time.Minute) // 13:30 UTC, 90 minutes before the 15:00 slot
		c.refused(http.MethodPost, "/v3/order/"+o.ID+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": c.slotAt(phoenix, time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)).BookingKey},
			http.StatusUnprocessableEntity, "cancelled at once")
		c.book(o.ID, thursday15, nil)
		second := c.placeOrder(phoenix, nil) // the same patient
		c.refused(http.MethodPost, "/v3/order/"+second.ID+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey}, http.StatusBadRequest, "already has an active appointment")
		c.must(http.MethodPost, "/v3/order/"+second.ID+"/cancel", nil)
		c.refused(http.MethodPost, "/v3/order/"+second.ID+"/phlebotomy/appointment/book",
			map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey}, http.StatusBadRequest, "not allowed")
	})
}

func TestRequest(t *testing.T) {
	c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
	o := c.placeOrder(onalaska, nil)
	path := "/v3/order/" + o.ID + "/phlebotomy/appointment/request"
	for _, tc := range []struct {
		name string
		body map[string]any
		want string
	}{
		{"no address", map[string]any{"provider": "phlebfinders"}, `"address"`},
		{"address without city", map[string]any{"provider": "phlebfinders", "address": with(onalaska, map[string]any{"city": nil})}, `"city"`},
		{"no street number", map[string]any{"provider": "phlebfinders", "address": with(onalaska, map[string]any{"first_line": "Main Street"})}, "street number"},
		{"no provider", map[string]any{"address": onalaska}, `"provider"`},
		{"unknown provider", map[string]any{"address": onalaska, "provider": "acme"}, "not a valid enumeration member"},
		{"not at home", map[string]any{"address": onalaska, "provider": "quest"}, "permitted: 'getlabs', 'phlebfinders'"},
		{"provider not in the area", map[string]any{"address": onalaska, "provider": "getlabs"}, "does not offer this service type"},
		{"another zip code", map[string]any{"address": with(onalaska, map[string]any{"zip_code": "10001"}), "provider": "phlebfinders"}, "10001 is not the order's 54650"},
		{"notes too long", map[string]any{"address": onalaska, "provider": "phlebfinders", "appointment_notes": strings.Repeat("x", 1001)}, "1000 characters"},
	} {
		func() {
			c.refused(http.MethodPost, path, tc.body, http.StatusUnprocessableEntity, tc.want)
		}()
	}
	nyc := with(onalaska, map[string]any{"zip_code": "10001", "city": "New York", "state": "NY"})
	far := c.placeOrder(nyc, map[string]any{"user_id": "9c0f0bde-53d5-4f5e-8d5a-21a8a2a0a004"})
	c.refused(http.MethodPost, "/v3/order/"+far.ID+"/phlebotomy/appointment/request",
		map[string]any{"address": nyc, "provider": "phlebfinders"}, http.StatusUnprocessableEntity, "not served")
	a := c.request(o.ID)
	if a.Provider != provider.Phlebfinders || a.IANATimezone != "America/Chicago" ||
		a.Location != (appointment.Location{Lng: -91.2351, Lat: 43.8841}) {
		t.Fatalf("requested = %+v", a)
	}
	c.refused(http.MethodPost, path, map[string]any{"address": onalaska, "provider": "phlebfinders"},
		http.StatusBadRequest, "already has an active appointment")
	if err := c.srv.Apply(o.ID, pencilIn(t0.Add(time.Hour), time.Time{})); !errors.Is(err, sandbox.ErrRefused) ||
		!errors.Is(err, scheduling.ErrAutoCancel) {
		t.Fatalf("penciling in an hour ahead before the requisition: %v", err)
	}
}

func TestReschedule(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	path := "/v3/order/" + o.ID + "/phlebotomy/appointment/reschedule"
	c.refused(http.MethodPatch, path, map[string]any{"booking_key": "bk_x"}, http.StatusBadRequest, "No active appointment")
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	c.book(o.ID, thursday15, nil)
	c.refused(http.MethodPatch, path, map[string]any{}, http.StatusUnprocessableEntity, `"booking_key"`)
	c.refused(http.MethodPatch, path, map[string]any{"booking_key": "bk_x"}, http.StatusUnprocessableEntity, "unknown booking key")
	a := decodeAppointment(t, c.must(http.MethodPatch, path, map[string]any{"booking_key": c.slotAt(phoenix, friday17).BookingKey,
		"appointment_notes": "Patient prefers left arm"}))
	if start := a.StartAt; !start.Equal(friday17) || a.AppointmentNotes != "Patient prefers left arm" ||
		!a.EventData.IsReschedule {
		t.Fatalf("rescheduled = %+v", a)
	}
	if err := c.srv.Apply(o.ID, scheduling.Flow.StartVisit); err != nil {
		t.Fatal(err)
	}
	c.refused(http.MethodPatch, path, map[string]any{"booking_key": c.slotAt(phoenix, thursday15).BookingKey},
		http.StatusBadRequest, "cannot be rescheduled")

	r := c.placeOrder(onalaska, map[string]any{"user_id": "9c0f0bde-53d5-4f5e-8d5a-21a8a2a0a002"})
	if err := c.srv.Apply(r.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	c.request(r.ID)
	c.refused(http.MethodPatch, "/v3/order/"+r.ID+"/phlebotomy/appointment/reschedule",
		map[string]any{"booking_key": c.slotAt(phoenix, thursday15).BookingKey}, http.StatusUnprocessableEntity,
		"zip code 85004, not the order's 54650")
}

func TestCancelAppointment(t *testing.T) {
	c := newConsumer(t)
	const other = "2b9f23fd-163e-4483-bb10-90c74a67e0dc"
	o := c.scheduled(thursday15)
	path := "/v3/order/" + o.ID + "/phlebotomy/appointment/cancel"
	c.refused(http.MethodPatch, path, map[string]any{}, http.StatusUnprocessableEntity, `"cancellation_reason_id"`)
	c.refused(http.MethodPatch, path, map[string]any{"cancellation_reason_id": "nope"}, http.StatusUnprocessableEntity,
		"unknown cancellation reason")
	c.refused(http.MethodPatch, path, map[string]any{"cancellation_reason_id": other, "notes": strings.Repeat("x", 1001)},
		http.StatusUnprocessableEntity, "1000 characters")

	// Exactly 24 hours before the start: no longer refunded.
	c.srv.Advance(thursday15.Add(-24 * time.Hour).Sub(t0))
	c.must(http.MethodPatch, path, map[string]any{"cancellation_reason_id": other})
	c.refused(http.MethodPatch, path, map[string]any{"cancellation_reason_id": other}, http.StatusBadRequest, "No active appointment")

	d := c.placeOrder(phoenix, nil)
	if err := c.srv.Apply(d.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	c.book(d.ID, friday17, nil)
	c.must(http.MethodPatch, "/v3/order/"+d.ID+"/phlebotomy/appointment/cancel", map[string]any{"cancellation_reason_id": other})

	r := c.placeOrder(onalaska, map[string]any{"user_id": "9c0f0bde-53d5-4f5e-8d5a-21a8a2a0a003"})
	if err := c.srv.Apply(r.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	c.request(r.ID)
	c.must(http.MethodPatch, "/v3/order/"+r.ID+"/phlebotomy/appointment/cancel", map[string]any{"cancellation_reason_id": other})

	for _, tc := range []struct {
		id         string
		refundable bool
		start      time.Time
	}{{o.ID, false, thursday15}, {d.ID, true, friday17}, {r.ID, true, time.Time{}}} {
		cs, err := c.srv.Cancellations(tc.id)
		if err != nil || len(cs) != 1 {
			t.Fatalf("cancellations of %s: %v, %v", tc.id, cs, err)
		}
		got := cs[0]
		deadline := time.Time{}
		if !tc.start.IsZero() {
			deadline = tc.start.Add(-24 * time.Hour)
		}
		if got.Refundable != tc.refundable || !got.Start.Equal(tc.start) || !got.RefundDeadline.Equal(deadline) ||
			got.Reason.ID != other || !got.At.Equal(thursday15.Add(-24*time.Hour)) {
			t.Errorf("cancellation of %s = %+v", tc.id, got)
		}
	}
	if _, err := c.srv.Cancellations("nope"); !errors.Is(err, sandbox.ErrUnknownOrder) {
		t.Errorf("Cancellations of an unknown order: %v", err)
	}
}

func TestCancellationReasons(t *testing.T) {
	c := newConsumer(t)
	body := c.must(http.MethodGet, "/v3/order/phlebotomy/appointment/cancellation-reasons", nil)
	want, err := os.ReadFile("testdata/cancellation-reasons.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want) {
		t.Fatalf("reasons differ from the published list")
	}
	reasons, err := appointment.DecodeCancellationReasons(body)
	if err != nil || len(reasons) != 11 {
		t.Fatalf("%d reasons, %v", len(reasons), err)
	}
}

func TestGetAppointment(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	path := "/v3/order/" + o.ID + "/phlebotomy/appointment"
	c.refused(http.MethodGet, path, nil, http.StatusNotFound, "No active appointment")
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
		t.Fatal(err)
	}
	b := c.book(o.ID, thursday15, nil)
	if a := decodeAppointment(t, c.must(http.MethodGet, path, nil)); a.ID != b.ID || a.EffectiveStatus() != appointment.Confirmed {
		t.Fatalf("active = %+v", a)
	}
	if err := c.srv.Apply(o.ID, scheduling.Flow.CompleteDraw); err != nil {
		t.Fatal(err)
	}
	c.refused(http.MethodGet, path, nil, http.StatusNotFound, "No active appointment")
}

func TestSimulate(t *testing.T) {
	for _, tc := range []struct {
		final string
		zip   map[string]any
		want  order.Status
		appt  appointment.Status
	}{
		{"", phoenix, order.Completed, appointment.Completed},
		{"requisition_bypassed", phoenix, order.RequisitionBypassed, 0},
		{"appointment_pending", phoenix, order.AppointmentPending, appointment.Pending},
		{"appointment_pending", onalaska, order.AppointmentPending, appointment.Pending},
		{"appointment_scheduled", phoenix, order.AppointmentScheduled, appointment.Confirmed},
		{"appointment_cancelled", phoenix, order.AppointmentCancelled, appointment.Cancelled},
		{"draw_completed", onalaska, order.DrawCompleted, appointment.Completed},
		{"partial_results", phoenix, order.PartialResults, appointment.Completed},
		{"sample_error", phoenix, order.SampleError, appointment.Completed},
		{"failed.at_home_phlebotomy.sample_error", phoenix, order.SampleError, appointment.Completed},
		{"corrected", onalaska, order.Corrected, appointment.Completed},
		{"cancelled", phoenix, order.Cancelled, 0},
	} {
		t.Run(tc.final+" "+tc.zip["zip_code"].(string), func(t *testing.T) {
			c := newConsumer(t)
			o := c.placeOrder(tc.zip, nil)
			got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+o.ID+"/test?final_status="+tc.final, nil))
			if got.Status() != tc.want {
				t.Fatalf("status = %v, want %v", got.Status(), tc.want)
			}
			if _, err := order.ValidateHistory(got.History); err != nil {
				t.Fatal(err)
			}
			if tc.appt != 0 {
				c.take()
				var a appointment.Appointment
				for _, ev := range c.events {
					if ev.Type.IsAppointment() {
						a = *ev.Appointment
					}
				}
				if a.EffectiveStatus() != tc.appt || a.ID != got.AppointmentID() {
					t.Fatalf("appointment %s = %v, want %v", a.ID, a.EffectiveStatus(), tc.appt)
				}
			}
		})
	}

	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	path := "/v3/order/" + o.ID + "/test"
	for _, tc := range []struct {
		query, body string
		status      int
		want        string
	}{
		{"?final_status=shipped", "", http.StatusUnprocessableEntity, "not a valid enumeration member"},
		{"?final_status=completed.walk_in_test.completed", "", http.StatusUnprocessableEntity, "not a valid enumeration member"},
		{"?delay=-1", "", http.StatusUnprocessableEntity, `"delay"`},
		{"?delay=soon", "", http.StatusUnprocessableEntity, `"delay"`},
		{"?delay=31536001", "", http.StatusUnprocessableEntity, `"delay"`},
		{"", "[1]", http.StatusUnprocessableEntity, "value is not a valid dict"},
		{"", "{", http.StatusUnprocessableEntity, "Invalid JSON"},
	} {
		status, out := c.rawCall(http.MethodPost, path+tc.query, tc.body)
		if status != tc.status || !strings.Contains(string(out), tc.want) {
			t.Errorf("POST test%s %q = %d %s, want %d with %q", tc.query, tc.body, status, out, tc.status, tc.want)
		}
	}
	if status, out := c.rawCall(http.MethodPost, path+"?final_status=completed&delay=0", `{"interpretation": "normal"}`); status != http.StatusOK {
		t.Fatalf("POST test with simulation flags = %d %s", status, out)
	}
	c.refused(http.MethodPost, path+"?final_status=ordered", nil, http.StatusBadRequest,
		"Transition from completed to ordered is not allowed")

	// An order already there stays there, even where its status may
	// follow itself.
	s := c.placeOrder(phoenix, map[string]any{"user_id": "9c0f0bde-53d5-4f5e-8d5a-21a8a2a0a005"})
	c.must(http.MethodPost, "/v3/order/"+s.ID+"/test?final_status=appointment_scheduled", nil)
	c.take()
	for _, again := range []string{"appointment_scheduled", "collecting_sample.at_home_phlebotomy.appointment_scheduled"} {
		if got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+s.ID+"/test?final_status="+again, nil)); got.Status() != order.AppointmentScheduled {
			t.Fatalf("again to appointment_scheduled: %v", got.Status())
		}
	}
	c.expect("no change", nil...)

	far := c.placeOrder(with(phoenix, map[string]any{"zip_code": "10001", "city": "New York", "state": "NY"}), nil)
	c.refused(http.MethodPost, "/v3/order/"+far.ID+"/test", nil, http.StatusUnprocessableEntity, "10001 is not served")
	got := decodeOrder(t, c.must(http.MethodPost, "/v3/order/"+far.ID+"/test?final_status=requisition_created", nil))
	if got.Status() != order.RequisitionCreated {
		t.Fatalf("to requisition_created: %v", got.Status())
	}
}

func TestRouting(t *testing.T) {
	c := newConsumer(t)
	c.refused(http.MethodGet, "/v3/orders", nil, http.StatusNotFound, "Not Found")
	c.refused(http.MethodGet, "/v3/order/", nil, http.StatusNotFound, "Not Found")
	c.refused(http.MethodGet, "/v3/order/a/b/c/d/e", nil, http.StatusNotFound, "Not Found")
	c.refused(http.MethodGet, "/v3/order/phlebotomy/appointment", nil, http.StatusNotFound, "Not Found")
	// Paths ServeMux would redirect to their clean form are not found.
	for _, p := range []string{"/v3//order/area/info", "/v3/order/./area/info", "/v3/order/x/../area/info",
		"/v3/order/area/info/"} {
		c.refused(http.MethodGet, p+"?zip_code=85004", nil, http.StatusNotFound, "Not Found")
	}
	// HEAD is answered as GET.
	head, err := c.http.Head(c.srv.URL + "/v3/order/phlebotomy/appointment/cancellation-reasons")
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if head.StatusCode != http.StatusOK || head.Header.Get("Content-Type") != "application/json" {
		t.Errorf("HEAD cancellation-reasons = %d %q", head.StatusCode, head.Header.Get("Content-Type"))
	}
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodGet, "/v3/order", http.MethodPost},
		{http.MethodDelete, "/v3/order/x", http.MethodGet},
		{http.MethodPost, "/v3/order/area/info", http.MethodGet},
		{http.MethodPut, "/v3/order/x/phlebotomy/appointment/reschedule", http.MethodPatch},
		{http.MethodPost, "/v3/order/x/phlebotomy/appointment/cancel", http.MethodPatch},
		{http.MethodHead, "/v3/order", http.MethodPost},
	} {
		req, _ := http.NewRequest(tc.method, c.srv.URL+tc.path, nil)
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s = %d, Allow %q; want 405, %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.allow)
		}
	}
	status, _ := c.rawCall(http.MethodPost, "/v3/order", strings.Repeat(" ", 1<<20+1))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over 1 MiB: %d", status)
	}
}

func TestControlErrors(t *testing.T) {
	c := newConsumer(t)
	o := c.placeOrder(phoenix, nil)
	controls := map[string]command{
		"CreateRequisition": scheduling.Flow.CreateRequisition, "BypassRequisition": scheduling.Flow.BypassRequisition,
		"Confirm": scheduling.Flow.Confirm, "CancelAppointment": scheduling.Flow.CancelAppointment,
		"StartVisit": scheduling.Flow.StartVisit, "CompleteDraw": scheduling.Flow.CompleteDraw,
		"ReceivePartialResults": scheduling.Flow.ReceivePartialResults,
		"CompleteResults":       scheduling.Flow.CompleteResults, "ReportSampleError": scheduling.Flow.ReportSampleError,
		"CorrectResults": scheduling.Flow.CorrectResults,
		"PencilIn":       pencilIn(thursday15, time.Time{}),
	}
	for name, cmd := range controls {
		var se *sandbox.Error
		if err := c.srv.Apply("nope", cmd); !errors.Is(err, sandbox.ErrUnknownOrder) || !errors.As(err, &se) ||
			se.Op != "Apply" || se.OrderID != "nope" {
			t.Errorf("%s on an unknown order: %v", name, err)
		}
		if name == "CreateRequisition" || name == "BypassRequisition" {
			continue
		}
		err := c.srv.Apply(o.ID, cmd)
		if !errors.As(err, &se) || !errors.Is(err, sandbox.ErrRefused) || !errors.Is(err, scheduling.ErrNotAllowed) ||
			se.OrderID != o.ID || !strings.HasPrefix(err.Error(), "sandbox: refused: Apply ") {
			t.Errorf("%s on an ordered order: %v", name, err)
		}
	}
	if err := c.srv.Apply(o.ID, nil); !errors.Is(err, sandbox.ErrRefused) || err.Error() != `sandbox: refused: Apply "`+o.ID+`": nil command` {
		t.Errorf("a nil command: %v", err)
	}
	if _, err := c.srv.Order("nope"); !errors.Is(err, sandbox.ErrUnknownOrder) {
		t.Errorf("Order of an unknown order: %v", err)
	}
	if got, err := c.srv.Order(o.ID); err != nil || got.ID != o.ID {
		t.Errorf("Order = %v, %v", got.ID, err)
	}
}

// TestFarFuture lets virtual time run past the year 9999, which Junction's
// JSON cannot write: the server refuses what it cannot store and never
// fails.
func TestFarFuture(t *testing.T) {
	c := newConsumer(t, sandbox.WithPreRequisitionScheduling())
	o := c.placeOrder(phoenix, nil)
	c.book(o.ID, thursday15, nil)
	for c.srv.Now().Year() < 10001 {
		c.srv.Advance(math.MaxInt64)
		c.srv.Advance(-time.Hour)
	}
	c.refused(http.MethodPost, "/v3/order", orderBody(phoenix, nil), http.StatusUnprocessableEntity, "cannot be processed")
	if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); !errors.Is(err, scheduling.ErrRange) {
		t.Fatalf("CreateRequisition in the year %d: %v", c.srv.Now().Year(), err)
	}
	if got := c.getOrder(o.ID); got.Status() != order.Ordered {
		t.Fatalf("order = %v", got.Status())
	}
	if ss := c.slots(phoenix, ""); len(ss) != 0 {
		t.Fatalf("%d slots after the year 9999", len(ss))
	}
}

// TestSimulateEveryStatus drives a new order through POST
// /v3/order/{order_id}/test to every order status reachable from ordered,
// in an area where Getlabs books and in one where PhlebFinders takes
// requests, at once and a step a minute: the statuses come from the order
// lifecycle, so that a new one is walked without a change here.
func TestSimulateEveryStatus(t *testing.T) {
	for _, st := range order.Statuses() {
		if st != order.Ordered && !order.Reachable(order.Ordered, st) {
			continue
		}
		for _, area := range []map[string]any{phoenix, onalaska} {
			for _, delay := range []string{"", "&delay=60"} {
				t.Run(st.String()+" "+area["zip_code"].(string)+delay, func(t *testing.T) {
					c := newConsumer(t, sandbox.WithPartialResultsWebhooks())
					o := c.placeOrder(area, nil)
					c.must(http.MethodPost, "/v3/order/"+o.ID+"/test?final_status="+st.String()+delay, nil)
					c.srv.Advance(time.Hour)
					got := c.getOrder(o.ID)
					if got.Status() != st {
						t.Fatalf("POST test?final_status=%s: status %v", st, got.Status())
					}
					if _, err := order.ValidateHistory(got.History); err != nil {
						t.Fatal(err)
					}
					if tr := c.tracked(o.ID); tr.Status() != st {
						t.Fatalf("the consumer tracked %v, want %v", tr.Status(), st)
					}
				})
			}
		}
	}
}
