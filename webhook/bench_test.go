package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The baseline the benchmarks compare Parse with: what a receiver written
// with the standard library alone does with a delivery. It checks the
// timestamp, signs "id.timestamp.body" with crypto/hmac and SHA-256,
// encodes the sum in base64, compares it in constant time with each v1
// signature, and decodes the body with encoding/json into plain structs
// of strings that name every field of the fixture.

type plainEnvelope[T any] struct {
	EventType    string `json:"event_type"`
	Data         T      `json:"data"`
	UserID       string `json:"user_id"`
	ClientUserID string `json:"client_user_id"`
	TeamID       string `json:"team_id"`
}

// plainOrder has every field of order-updated.json.
type plainOrder struct {
	ID             string `json:"id"`
	TeamID         string `json:"team_id"`
	UserID         string `json:"user_id"`
	PatientDetails struct {
		DOB    string `json:"dob"`
		Gender string `json:"gender"`
	} `json:"patient_details"`
	PatientAddress struct {
		ReceiverName string `json:"receiver_name"`
		FirstLine    string `json:"first_line"`
		SecondLine   string `json:"second_line"`
		City         string `json:"city"`
		State        string `json:"state"`
		Zip          string `json:"zip"`
		Country      string `json:"country"`
		PhoneNumber  string `json:"phone_number"`
	} `json:"patient_address"`
	Details struct {
		Type string `json:"type"`
		Data struct {
			ID            string `json:"id"`
			AppointmentID string `json:"appointment_id"`
			CreatedAt     string `json:"created_at"`
			UpdatedAt     string `json:"updated_at"`
		} `json:"data"`
	} `json:"details"`
	SampleID  string `json:"sample_id"`
	Notes     string `json:"notes"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Status    string `json:"status"`
	Events    []struct {
		ID        int64  `json:"id"`
		CreatedAt string `json:"created_at"`
		Status    string `json:"status"`
	} `json:"events"`
	Origin           string `json:"origin"`
	OrderTransaction struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Orders []struct {
			ID                      string `json:"id"`
			CreatedAt               string `json:"created_at"`
			UpdatedAt               string `json:"updated_at"`
			LowLevelStatus          string `json:"low_level_status"`
			LowLevelStatusCreatedAt string `json:"low_level_status_created_at"`
			Origin                  string `json:"origin"`
		} `json:"orders"`
	} `json:"order_transaction"`
}

type plainEventData struct {
	Origin       string `json:"origin"`
	IsReschedule bool   `json:"is_reschedule"`
}

// plainAppointment has every field of the data of
// appointment-updated-webhook.json.
type plainAppointment struct {
	ID                 string `json:"id"`
	UserID             string `json:"user_id"`
	OrderID            string `json:"order_id"`
	OrderTransactionID string `json:"order_transaction_id"`
	Address            struct {
		FirstLine  string `json:"first_line"`
		SecondLine string `json:"second_line"`
		City       string `json:"city"`
		State      string `json:"state"`
		ZipCode    string `json:"zip_code"`
		Country    string `json:"country"`
	} `json:"address"`
	Location struct {
		Lng float64 `json:"lng"`
		Lat float64 `json:"lat"`
	} `json:"location"`
	StartAt       string         `json:"start_at"`
	EndAt         string         `json:"end_at"`
	IANATimezone  string         `json:"iana_timezone"`
	Type          string         `json:"type"`
	Provider      string         `json:"provider"`
	Status        string         `json:"status"`
	EventStatus   string         `json:"event_status"`
	ProviderID    string         `json:"provider_id"`
	CanReschedule bool           `json:"can_reschedule"`
	EventData     plainEventData `json:"event_data"`
	Events        []struct {
		CreatedAt string          `json:"created_at"`
		Data      *plainEventData `json:"data"`
		Status    string          `json:"status"`
	} `json:"events"`
}

var errBaseline = errors.New("baseline: unverified")

// stdlibParse verifies and decodes a delivery as a receiver written with
// the standard library alone does; key is the decoded secret.
func stdlibParse(key []byte, h http.Header, body []byte, now time.Time, v any) error {
	id, ts, sigs := h.Get("svix-id"), h.Get("svix-timestamp"), h.Get("svix-signature")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBaseline
	}
	if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
		return errBaseline
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	want := []byte(base64.StdEncoding.EncodeToString(m.Sum(nil)))
	ok := false
	for _, s := range strings.Split(sigs, " ") {
		if sig, found := strings.CutPrefix(s, "v1,"); found && hmac.Equal([]byte(sig), want) {
			ok = true
		}
	}
	if !ok {
		return errBaseline
	}
	return json.Unmarshal(body, v)
}

func vectorKey(tb testing.TB) []byte {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(vectorSecret, "whsec_"))
	if err != nil {
		tb.Fatal(err)
	}
	return key
}

// BenchmarkParse compares Verifier.Parse with the standard library
// baseline on the order webhook (order-updated.json in its envelope) and
// on the published appointment webhook. The sub-benchmarks are named as
// keys, so that benchstat -col /impl sets the two side by side.
func BenchmarkParse(b *testing.B) {
	v, key := mustVerifier(vectorSecret), vectorKey(b)
	at := time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		body  []byte
		plain func() any
	}{
		{"order", wrap("labtest.order.updated", fixture(b, "order-updated.json")), func() any { return new(plainEnvelope[plainOrder]) }},
		{"appointment", fixture(b, "appointment-updated-webhook.json"), func() any { return new(plainEnvelope[plainAppointment]) }},
	} {
		h := v.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at, c.body)
		b.Run("data="+c.name+"/impl=stdlib", func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := stdlibParse(key, h, c.body, at, c.plain()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("data="+c.name+"/impl=phlebkit", func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Parse(h, c.body, at); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecode measures Decode alone on the order webhook and on the
// appointment webhook, which it reads in one pass, beside the two passes
// (the envelope, then data) it makes for a body it cannot read so.
func BenchmarkDecode(b *testing.B) {
	for _, c := range []struct {
		name string
		body []byte
	}{
		{"order", wrap("labtest.order.updated", fixture(b, "order-updated.json"))},
		{"appointment", fixture(b, "appointment-updated-webhook.json")},
	} {
		for _, d := range []struct {
			name   string
			decode func([]byte) (Event, error)
		}{{"decode", Decode}, {"two-passes", decodeTwoPasses}} {
			b.Run(c.name+"/"+d.name, func(b *testing.B) {
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := d.decode(c.body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
