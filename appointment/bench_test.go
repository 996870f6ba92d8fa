package appointment

import (
	"context"
	stdjson "encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/looplab/fsm"
)

// Inputs live in variables so that the compiler cannot fold the lookups;
// b.Loop keeps the results of calls in its body alive.
var (
	benchConfirmed, benchCompleted = Confirmed, Completed
	benchStart, benchCancel        = Start, Cancel
)

func BenchmarkNext(b *testing.B) {
	b.Run("accept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Next(benchConfirmed, benchStart)
		}
	})
	b.Run("reject", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Next(benchCompleted, benchCancel)
		}
	})
}

func BenchmarkParseStatus(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"api", "in_progress"},
		{"event", "scheduled"},
		{"unknown", "no_show"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ParseStatus(c.text)
			}
		})
	}
}

// fireCycle is the lifecycle of an appointment-ready appointment booked
// before its requisition, rescheduled twice: every event is allowed where it
// is fired, and the cycle ends in a terminal status.
var fireCycle = []Trigger{Reserve, Reschedule, Confirm, Reschedule, Start, Complete}

// firePool is how many fresh machines a benchmark prepares at a time, off
// the timer, since a terminal machine cannot run the cycle again.
const firePool = 256

// BenchmarkFire compares Machine.Fire with a bare looplab machine built from
// the same table, on the same cycle of events (one op is one event). Both
// sides build their machines the same way off the timer (from a fresh
// table.FSMEvents(), as NewMachine does), so that the garbage of the
// refills weighs the same on both.
func BenchmarkFire(b *testing.B) {
	ctx := context.Background()
	b.Run("looplab", func(b *testing.B) {
		names := make([]string, len(fireCycle))
		for i, e := range fireCycle {
			names[i] = e.String()
		}
		fs := make([]*fsm.FSM, firePool)
		fill := func() {
			for i := range fs {
				fs[i] = fsm.NewFSM(Pending.String(), table.FSMEvents(), nil)
			}
		}
		fill()
		i, j := 0, 0
		b.ReportAllocs()
		for b.Loop() {
			if err := fs[i].Event(ctx, names[j]); err != nil {
				if _, ok := err.(fsm.NoTransitionError); !ok { // a self-loop
					b.Fatal(err)
				}
			}
			if j++; j == len(names) {
				j = 0
				if i++; i == firePool {
					b.StopTimer()
					fill()
					i = 0
					b.StartTimer()
				}
			}
		}
	})
	benchMachine := func(b *testing.B, opts ...Option) {
		ms := make([]*Machine, firePool)
		fill := func() {
			for i := range ms {
				m, err := NewMachine(Pending, opts...)
				if err != nil {
					b.Fatal(err)
				}
				ms[i] = m
			}
		}
		fill()
		i, j := 0, 0
		b.ReportAllocs()
		for b.Loop() {
			if err := ms[i].Fire(ctx, fireCycle[j]); err != nil {
				b.Fatal(err)
			}
			if j++; j == len(fireCycle) {
				j = 0
				if i++; i == firePool {
					b.StopTimer()
					fill()
					i = 0
					b.StartTimer()
				}
			}
		}
	}
	b.Run("machine", func(b *testing.B) { benchMachine(b) })
	b.Run("machine_callbacks", func(b *testing.B) {
		n := 0
		count := func(context.Context, Transition) { n++ }
		benchMachine(b, OnEnter(Confirmed, count), AfterAny(count))
	})
	b.Run("rejected", func(b *testing.B) {
		m, err := NewMachine(Completed)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			m.Fire(ctx, benchCancel)
		}
	})
}

// BenchmarkFireReschedule compares the steady state of the one cycle the
// lifecycle has: rescheduling a confirmed appointment again and again.
func BenchmarkFireReschedule(b *testing.B) {
	ctx := context.Background()
	b.Run("looplab", func(b *testing.B) {
		f := fsm.NewFSM(Confirmed.String(), table.FSMEvents(), nil)
		name := Reschedule.String()
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := f.Event(ctx, name).(fsm.NoTransitionError); !ok {
				b.Fatal("reschedule failed")
			}
		}
	})
	b.Run("machine", func(b *testing.B) {
		m, err := NewMachine(Confirmed)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Fire(ctx, Reschedule); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// stringAppointment mirrors every field of the appointment fixtures as
// encoding/json decodes it with no checks at all: strings, float64 and bool.
// It is the baseline of BenchmarkDecode.
type stringAppointment struct {
	ID                 string `json:"id"`
	UserID             string `json:"user_id"`
	OrderID            string `json:"order_id"`
	OrderTransactionID string `json:"order_transaction_id"`
	Address            struct {
		FirstLine   string `json:"first_line"`
		SecondLine  string `json:"second_line"`
		City        string `json:"city"`
		State       string `json:"state"`
		ZipCode     string `json:"zip_code"`
		Country     string `json:"country"`
		Unit        string `json:"unit"`
		AccessNotes string `json:"access_notes"`
	} `json:"address"`
	Location struct {
		Lng float64 `json:"lng"`
		Lat float64 `json:"lat"`
	} `json:"location"`
	StartAt          string         `json:"start_at"`
	EndAt            string         `json:"end_at"`
	IANATimezone     string         `json:"iana_timezone"`
	Type             string         `json:"type"`
	Provider         string         `json:"provider"`
	Status           string         `json:"status"`
	EventStatus      string         `json:"event_status"`
	ProviderID       string         `json:"provider_id"`
	CanReschedule    bool           `json:"can_reschedule"`
	AppointmentNotes string         `json:"appointment_notes"`
	EventData        plainEventData `json:"event_data"`
	Events           []struct {
		CreatedAt string          `json:"created_at"`
		Data      *plainEventData `json:"data"`
		Status    string          `json:"status"`
	} `json:"events"`
}

type plainEventData struct {
	Origin       string `json:"origin"`
	IsReschedule bool   `json:"is_reschedule"`
}

// loop runs f for b.Loop and reports, beside the time per operation, the
// CPU time the process spent per operation (cpu-ns/op, GC included, on
// Unix): on a machine shared with other work, the wall time of an
// operation grows with the work of others, its CPU time much less.
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

// BenchmarkDecode compares Decode, which checks every timestamp, status and
// member, with encoding/json decoding the same bytes into a plain struct of
// strings that checks nothing (the baseline sub-benchmark). One op decodes
// both appointment fixtures: the booked appointment and the data of the
// published updated webhook.
func BenchmarkDecode(b *testing.B) {
	docs := [][]byte{fixture(b, "appointment-booked.json"), webhookData(b, "appointment-updated-webhook.json")}
	size := int64(len(docs[0]) + len(docs[1]))
	b.Run("appointment", func(b *testing.B) {
		b.SetBytes(size)
		loop(b, func() {
			for _, d := range docs {
				if _, err := Decode(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("baseline", func(b *testing.B) {
		b.SetBytes(size)
		loop(b, func() {
			for _, d := range docs {
				var a stringAppointment
				if err := stdjson.Unmarshal(d, &a); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	as := make([]Appointment, len(docs))
	for i, d := range docs {
		var err error
		if as[i], err = Decode(d); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name    string
		marshal func(Appointment) ([]byte, error)
	}{
		{"encode", Appointment.MarshalJSON},
		{"encode-general", Appointment.marshalWire}, // the same bytes, through appointmentOut and the json package
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			loop(b, func() {
				for _, a := range as {
					if _, err := c.marshal(a); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func BenchmarkValidateHistory(b *testing.B) {
	a, err := Decode(webhookData(b, "appointment-updated-webhook.json"))
	if err != nil {
		b.Fatal(err)
	}
	h := append(a.History, HistoryEntry{CreatedAt: a.History[1].CreatedAt, Status: "in_progress"},
		HistoryEntry{CreatedAt: a.History[1].CreatedAt, Status: "completed"})
	b.ReportAllocs()
	for b.Loop() {
		ValidateHistory(h)
	}
}

// historyDoc returns an appointment whose events[] history has n entries,
// every other one with data.
func historyDoc(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":"06c2c65b-74a0-4f25-a4a9-44f796296355","status":"confirmed","events":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%2 == 0 {
			b.WriteString(`{"created_at":"2022-01-01T00:00:00Z","data":null,"status":"scheduled"}`)
		} else {
			b.WriteString(`{"created_at":"2022-01-01T00:00:00.5+00:00","data":{"origin":"patient","is_reschedule":true},"status":"scheduled"}`)
		}
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// BenchmarkDecodeHistory shows that decoding is linear in the input: a
// history ten times as long takes about ten times as long (compare the
// ns/entry metric of the two sizes).
func BenchmarkDecodeHistory(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		data := historyDoc(n)
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			start := processCPU()
			loop(b, func() {
				a, err := Decode(data)
				if err != nil || len(a.History) != n {
					b.Fatal(len(a.History), err)
				}
			})
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
			if cpu := processCPU() - start; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/entry")
			}
		})
	}
}
