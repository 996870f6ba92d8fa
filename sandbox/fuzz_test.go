package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// checkProblems checks a decoder's outcome: either no problems, or a
// non-empty list, each under the body, with a message and a type, and the
// zero value.
func checkProblems[T any](t *testing.T, v T, ps problems) bool {
	t.Helper()
	if ps == nil {
		return true
	}
	if len(ps) == 0 {
		t.Fatal("an empty, non-nil list of problems")
	}
	for _, p := range ps {
		if len(p.Loc) == 0 || p.Loc[0] != "body" || p.Msg == "" || p.Type == "" {
			t.Fatalf("problem %+v", p)
		}
	}
	var zero T
	if !reflect.DeepEqual(v, zero) {
		t.Fatalf("refused body decoded to %+v", v)
	}
	return false
}

func FuzzDecodeCreateOrder(f *testing.F) {
	f.Add([]byte(validCreateOrder))
	f.Add([]byte(`{"user_id": "u", "lab_test_id": "l", "patient_details": {}, "patient_address": null}`))
	f.Add([]byte(`{"patient_details": {"dob": 19900101}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ps := decodeCreateOrder(data)
		if !checkProblems(t, c, ps) {
			return
		}
		if c.UserID == "" || c.LabTestID == "" || !c.Patient.DOB.IsValid() || c.Address.ZipCode == "" {
			t.Fatalf("accepted %+v", c)
		}
		again, ps := decodeCreateOrder(wire(c))
		want := c
		a := *c.Address // the request writes the unit as second_line
		a.SecondLine, a.Unit = a.EffectiveSecondLine(), ""
		want.Address = &a
		if ps != nil || !reflect.DeepEqual(again, want) {
			t.Fatalf("round trip: %+v, %v\nwant %+v", again, ps, c)
		}
	})
}

func FuzzDecodeAddress(f *testing.F) {
	f.Add([]byte(validAddress))
	f.Add([]byte(`{"first_line": 1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, ps := decodeAddress(data)
		if !checkProblems(t, a, ps) {
			return
		}
		b, _ := json.Marshal(addressBody(a))
		again, ps := decodeAddress(b)
		if ps != nil || again != a {
			t.Fatalf("round trip: %+v, %v\nwant %+v", again, ps, a)
		}
	})
}

func FuzzDecodeBook(f *testing.F) {
	f.Add([]byte(validBook))
	f.Add([]byte(`{"booking_key": "k", "sync_confirmation_timeout_millisecond": null}`))
	f.Add([]byte(`{"booking_key": "k", "sync_confirmation_timeout_millisecond": 1.5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, ps := decodeBook(data)
		if !checkProblems(t, b, ps) {
			return
		}
		if sync, async := *b.SyncConfirmationTimeoutMS, *b.AsyncConfirmationTimeoutMS; b.BookingKey == "" ||
			sync < 1000 || sync > 10000 || async < 60000 || async > 172800000 {
			t.Fatalf("accepted %+v", b)
		}
		again, ps := decodeBook(wire(b))
		if ps != nil || !reflect.DeepEqual(again, b) {
			t.Fatalf("round trip: %+v, %v\nwant %+v", again, ps, b)
		}
	})
}

func FuzzDecodeReschedule(f *testing.F) {
	f.Add([]byte(validReschedule))
	f.Add([]byte(`{"booking_key": ""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, ps := decodeReschedule(data)
		if !checkProblems(t, q, ps) {
			return
		}
		again, ps := decodeReschedule(wire(q))
		if ps != nil || again != q || q.BookingKey == "" {
			t.Fatalf("round trip: %+v, %v\nwant %+v", again, ps, q)
		}
	})
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(validRequest))
	f.Add([]byte(`{"address": {}, "provider": "acme"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, ps := decodeRequest(data)
		if !checkProblems(t, q, ps) {
			return
		}
		again, ps := decodeRequest(wire(q))
		if ps != nil || !reflect.DeepEqual(again, q) || !q.Provider.IsValid() {
			t.Fatalf("round trip: %+v, %v\nwant %+v", again, ps, q)
		}
	})
}

func FuzzDecodeCancel(f *testing.F) {
	f.Add([]byte(validCancel))
	f.Add([]byte(`{"cancellation_reason_id": "r", "notes": false}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, ps := decodeCancel(data)
		if !checkProblems(t, q, ps) {
			return
		}
		again, ps := decodeCancel(wire(q))
		if ps != nil || again != q || q.CancellationReasonID == "" {
			t.Fatalf("round trip: %+v, %v\nwant %+v", again, ps, q)
		}
	})
}

func FuzzDecodeSimulationFlags(f *testing.F) {
	for _, s := range []string{"", "null", `{"interpretation": "abnormal"}`, "[]", "{", `{"a": 1, "a": 2}`, "{\"a\": \"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := decodeSimulationFlags(data)
		checkProblems(t, 0, ps)
		// Valid JSON as the server reads it: no repeated member, valid
		// UTF-8 (jsontext's defaults; encoding/json accepts both).
		v := jsontext.Value(data)
		isObject := v.IsValid() && (v.Kind() == '{' || v.Kind() == 'n')
		if (ps == nil) != (blank(data) || isObject) {
			t.Fatalf("%q: problems %v", data, ps)
		}
	})
}

// FuzzServeHTTP sends any request to a server holding one order at each
// stage, and checks that it answers with one of the statuses the package
// documents, JSON, and a detail with every refusal.
func FuzzServeHTTP(f *testing.F) {
	const id = "{id}"
	for _, s := range []struct{ method, path, body string }{
		{"POST", "/v3/order", validCreateOrder},
		{"GET", "/v3/order/" + id, ""},
		{"POST", "/v3/order/" + id + "/cancel", ""},
		{"POST", "/v3/order/" + id + "/test?final_status=draw_completed&delay=60", "{}"},
		{"GET", "/v3/order/area/info?zip_code=85004&radius=25", ""},
		{"POST", "/v3/order/phlebotomy/appointment/availability?start_date=2026-11-24", validAddress},
		{"GET", "/v3/order/phlebotomy/appointment/cancellation-reasons", ""},
		{"GET", "/v3/order/" + id + "/phlebotomy/appointment", ""},
		{"POST", "/v3/order/" + id + "/phlebotomy/appointment/book", validBook},
		{"POST", "/v3/order/" + id + "/phlebotomy/appointment/request", validRequest},
		{"PATCH", "/v3/order/" + id + "/phlebotomy/appointment/reschedule", validReschedule},
		{"PATCH", "/v3/order/" + id + "/phlebotomy/appointment/cancel", validCancel},
		{"DELETE", "/v3/order/x/y/z", "\x00"},
		{"POST", "/_sandbox/orders/" + id + "/create-requisition", ""},
		{"POST", "/_sandbox/orders/" + id + "/pencil-in", `{"start": "2026-11-26T15:00:00Z", "end": "2026-11-26T17:00:00Z"}`},
		{"POST", "/_sandbox/clock/advance", `{"by": "48h"}`},
		{"POST", "/_sandbox/clock/set", `{"to": "2026-11-30T09:00:00Z"}`},
		{"GET", "/_sandbox/deliveries", ""},
		{"POST", "/_sandbox/reset", ""},
	} {
		f.Add(s.method, s.path, []byte(s.body))
	}
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, method, path string, body []byte) {
		s, err := New(WithStart(start), WithPreRequisitionScheduling(), WithWebhookHandler(http.NotFoundHandler(), testSecret))
		if err != nil {
			t.Fatal(err)
		}
		id := placeForFuzz(t, s)
		path = strings.ReplaceAll(path, "{id}", id)
		req := newRequest(http.MethodGet, "/", bytes.NewReader(body))
		req.Method = method
		if u, err := req.URL.Parse(path); err == nil {
			req.URL = u
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 401, 404, 405, 413, 422:
		default:
			t.Fatalf("%s %s: status %d", method, path, rec.Code)
		}
		for _, p := range []string{"scheduling:", "provider:", "order:", "appointment:", "sandbox:", "jsontext:", "json:"} {
			if rec.Code >= 400 && strings.Contains(rec.Body.String(), p) {
				t.Fatalf("%s %s: answer %s carries a Go error", method, path, rec.Body.Bytes())
			}
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: answer %q is not JSON", method, path, rec.Body.Bytes())
		}
		if rec.Code != 200 {
			var e struct {
				Detail json.RawMessage `json:"detail"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &e) != nil || len(e.Detail) == 0 {
				t.Fatalf("%s %s: refusal %s without a detail", method, path, rec.Body.Bytes())
			}
		}
		s.Advance(72 * time.Hour)
	})
}

// testSecret signs the fuzz server's webhooks.
const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// placeForFuzz places an order on s, through its handler, and returns its
// id.
func placeForFuzz(t *testing.T, s *Server) string {
	t.Helper()
	body := strings.Replace(validCreateOrder, "123 Main Street", "123 West Lincoln Street", 1)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, newRequest(http.MethodPost, "/v3/order", strings.NewReader(body)))
	var r struct {
		Order struct {
			ID string `json:"id"`
		} `json:"order"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || r.Order.ID == "" {
		t.Fatalf("placing an order: %d %s", rec.Code, rec.Body.Bytes())
	}
	return r.Order.ID
}
