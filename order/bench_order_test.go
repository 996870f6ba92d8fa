package order

import (
	"encoding/json"
	"testing"
)

// plainOrder is the baseline Decode is measured against: the fields Order
// reads, as encoding/json decodes them into plain strings, with no status,
// time or date parsed.
type plainOrder struct {
	ID             string `json:"id"`
	TeamID         string `json:"team_id"`
	UserID         string `json:"user_id"`
	PatientDetails struct {
		DOB         string `json:"dob"`
		Gender      string `json:"gender"`
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
		PhoneNumber string `json:"phone_number"`
		Email       string `json:"email"`
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
	LabTest struct {
		ID         string `json:"id"`
		Slug       string `json:"slug"`
		Name       string `json:"name"`
		SampleType string `json:"sample_type"`
		Method     string `json:"method"`
		Fasting    bool   `json:"fasting"`
	} `json:"lab_test"`
	Details struct {
		Type string `json:"type"`
		Data struct {
			ID            string `json:"id"`
			AppointmentID string `json:"appointment_id"`
			CreatedAt     string `json:"created_at"`
			UpdatedAt     string `json:"updated_at"`
		} `json:"data"`
	} `json:"details"`
	SampleID         string       `json:"sample_id"`
	Notes            string       `json:"notes"`
	CreatedAt        string       `json:"created_at"`
	UpdatedAt        string       `json:"updated_at"`
	Events           []plainEntry `json:"events"`
	LastEvent        *plainEntry  `json:"last_event"`
	Status           string       `json:"status"`
	ActivateBy       string       `json:"activate_by"`
	Origin           string       `json:"origin"`
	OrderTransaction *struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Orders []struct {
			ID                      string `json:"id"`
			LowLevelStatus          string `json:"low_level_status"`
			LowLevelStatusCreatedAt string `json:"low_level_status_created_at"`
			Origin                  string `json:"origin"`
			ParentID                string `json:"parent_id"`
			CreatedAt               string `json:"created_at"`
			UpdatedAt               string `json:"updated_at"`
		} `json:"orders"`
	} `json:"order_transaction"`
}

type plainEntry struct {
	ID           int64  `json:"id"`
	CreatedAt    string `json:"created_at"`
	Status       string `json:"status"`
	StatusDetail string `json:"status_detail"`
}

// BenchmarkDecode compares Decode of the order-updated webhook's order
// with encoding/json decoding the same bytes into plainOrder.
func BenchmarkDecode(b *testing.B) {
	data := fixture(b, "order-updated.json")
	text := string(data)
	b.Run("stdlib_plain", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p plainOrder
			if err := json.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode_string", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeString(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeHistory measures Decode on histories of 10k and 100k
// entries: decoding is linear when the second costs about ten times the
// first.
func BenchmarkDecodeHistory(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}} {
		data := longHistory(c.n)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshal(b *testing.B) {
	o, err := Decode(fixture(b, "order-updated.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateHistory(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"fixture", 0}, {"10k", 10_000}} {
		var h []HistoryEntry
		if c.n == 0 {
			o, err := Decode(fixture(b, "order-updated.json"))
			if err != nil {
				b.Fatal(err)
			}
			h = o.History
		} else {
			o, err := Decode(longHistory(c.n))
			if err != nil {
				b.Fatal(err)
			}
			h = o.History
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ValidateHistory(h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
