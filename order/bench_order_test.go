package order

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
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
		Unit         string `json:"unit"`
		Zip          string `json:"zip"`
		ZipCode      string `json:"zip_code"`
		AccessNotes  string `json:"access_notes"`
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
// with its baseline, encoding/json decoding the same bytes into plainOrder.
// The goal is at most 0.7 times the baseline.
func BenchmarkDecode(b *testing.B) {
	data := fixture(b, "order-updated.json")
	b.Run("baseline", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		loop(b, func() {
			var p plainOrder
			if err := json.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		loop(b, func() {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// loop runs f as the benchmark's operation, and reports the CPU time the
// process spent per operation (cpu-ns/op) beside the wall time: on a
// machine shared with other work, the CPU time is the steadier figure.
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		f()
	}
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
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

// BenchmarkMarshal measures encoding an order: json.Marshal, which calls
// MarshalJSONTo; MarshalJSON, for encoding/json; and, as the baseline, the
// general path both stood on before (its wire form through the json
// package), which writes the same bytes.
func BenchmarkMarshal(b *testing.B) {
	o, err := Decode(fixture(b, "order-updated.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func() ([]byte, error)
	}{
		{"json.Marshal", func() ([]byte, error) { return jsonv2.Marshal(o) }},
		{"MarshalJSON", o.MarshalJSON},
		{"general", o.marshalWire},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
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

// disagreement compares an order with what encoding/json decoded from the
// same JSON into plainOrder, and describes the first difference; "" when
// they agree.
func disagreement(o Order, p plainOrder) string {
	pairs := [][2]string{
		{o.ID, p.ID}, {o.TeamID, p.TeamID}, {o.UserID, p.UserID}, {o.SampleID, p.SampleID}, {o.Notes, p.Notes},
		{o.Patient.DOB.String(), dateText(p.PatientDetails.DOB)}, {o.Patient.FirstName, p.PatientDetails.FirstName},
		{o.Patient.LastName, p.PatientDetails.LastName}, {o.Patient.Email, p.PatientDetails.Email},
		{o.Address.FirstLine, p.PatientAddress.FirstLine}, {o.Address.City, p.PatientAddress.City},
		{o.Address.ZipCode, p.PatientAddress.Zip + p.PatientAddress.ZipCode},
		{o.LabTest.Name, p.LabTest.Name}, {string(o.LabTest.Method), p.LabTest.Method},
		{string(o.Details.Type), p.Details.Type},
		{timeText(o.CreatedAt), timeText(parsed(p.CreatedAt))}, {timeText(o.UpdatedAt), timeText(parsed(p.UpdatedAt))},
		{string(o.Origin), p.Origin}, {o.ActivateBy.String(), dateText(p.ActivateBy)},
		{strconv.Itoa(len(o.History)), strconv.Itoa(len(p.Events))},
	}
	if o.IsPhlebotomy() {
		pairs = append(pairs, [2]string{o.Details.AppointmentID, p.Details.Data.AppointmentID},
			[2]string{o.Details.ID, p.Details.Data.ID})
	}
	if o.HighLevel != 0 {
		pairs = append(pairs, [2]string{o.HighLevel.String(), p.Status})
	} else {
		pairs = append(pairs, [2]string{o.HighLevelText, p.Status})
	}
	for i := 0; i < len(o.History) && i < len(p.Events); i++ {
		pairs = append(pairs, [2]string{strconv.FormatInt(o.History[i].ID, 10), strconv.FormatInt(p.Events[i].ID, 10)},
			[2]string{statusText(o.History[i].Status, o.History[i].StatusText), plainStatus(o.IsPhlebotomy(), p.Events[i].Status)})
	}
	for i, pair := range pairs {
		if pair[0] != pair[1] {
			return fmt.Sprintf("value %d: %q against %q", i, pair[0], pair[1])
		}
	}
	return ""
}

// statusText returns the status as text, the same for both wire forms.
func statusText(s Status, text string) string {
	if s != 0 {
		return s.String()
	}
	return text
}

// plainStatus returns a status text as Decode keeps it: parsed on an
// at-home phlebotomy order when it can be.
func plainStatus(phlebotomy bool, text string) string {
	if s, err := ParseStatus(text); phlebotomy && err == nil {
		return s.String()
	}
	return text
}

func dateText(text string) string {
	d, _ := parseDate(text)
	return d.String()
}

func parsed(text string) time.Time {
	t, _ := jsonerr.ParseTime(text)
	return t
}

func timeText(t time.Time) string { return t.Format(time.RFC3339Nano) }

// TestDecodeAgreesWithStdlib decodes every fixture with Decode and with
// encoding/json into plainOrder: the values agree.
func TestDecodeAgreesWithStdlib(t *testing.T) {
	for _, name := range orderFixtures {
		data := fixture(t, name)
		o, err := Decode(data)
		require.NoError(t, err, name)
		var p plainOrder
		require.NoError(t, json.Unmarshal(data, &p), name)
		assert.Empty(t, disagreement(o, p), name)
	}
}
