package track

import (
	"strconv"
	"testing"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// Deliveries of the booked order (6 order history entries, 5 appointment
// entries) that the benchmarks use: the last order event and the last
// appointment event are news to a value that has seen the others.
const (
	lastAppointment = 9  // the appointment completed
	lastOrder       = 10 // the order's draw
)

// without returns events without the one at index i.
func without(events []webhook.Event, i int) []webhook.Event {
	out := append([]webhook.Event(nil), events[:i]...)
	return append(out, events[i+1:]...)
}

// BenchmarkApply measures applying deliveries of a typical order: news of
// the order and of an appointment, a stale snapshot and a duplicate of
// each.
func BenchmarkApply(b *testing.B) {
	events := booked()
	full, _ := run(b, events)
	for _, c := range []struct {
		name string
		held Tracked
		e    webhook.Event
	}{
		{"news/order", must(run(b, without(events, lastOrder))), events[lastOrder]},
		{"news/appointment", must(run(b, without(events, lastAppointment))), events[lastAppointment]},
		{"stale/order", full, events[1]},
		{"stale/appointment", full, events[3]},
		{"duplicate/order", full, events[lastOrder]},
		{"duplicate/appointment", full, events[lastAppointment]},
	} {
		b.Run(c.name, func(b *testing.B) {
			loop(b, func() {
				if _, _, err := c.held.Apply(c.e); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func must(o Tracked, _ []Change) Tracked { return o }

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

// BenchmarkApplyHistory measures news that adds n order history entries to
// an order that knows none (new=n: the cost grows with n), and news that
// adds one entry to an order that knows n (held=n: the entries already
// known are compared, not validated again).
func BenchmarkApplyHistory(b *testing.B) {
	history := func(n int) webhook.Event {
		steps := []step{{order.Ordered, 0, ""}, {order.RequisitionCreated, 1, ""}, {order.AppointmentPending, 2, "a1"}, {order.AppointmentScheduled, 3, "a1"}}
		for i := len(steps); i < n; i++ {
			steps = append(steps, step{order.AppointmentScheduled, float64(i), "a1"})
		}
		return orderEvent("o1", steps...)
	}
	for _, n := range []int{10, 100, 1000} {
		e := history(n)
		b.Run("new="+strconv.Itoa(n), func(b *testing.B) {
			var o Tracked
			loop(b, func() {
				if _, _, err := o.Apply(e); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
	for _, n := range []int{10, 100, 1000} {
		// The value has seen every delivery up to n entries, as a receiver
		// that got them all in turn.
		var held Tracked
		for k := 1; k <= n; k++ {
			next, _, err := held.Apply(history(k))
			if err != nil {
				b.Fatal(err)
			}
			held = next
		}
		e := history(n + 1)
		b.Run("held="+strconv.Itoa(n), func(b *testing.B) {
			loop(b, func() {
				if _, _, err := held.Apply(e); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkDecodeApply is the whole work of a receiver for a news delivery
// of the typical order, from the body: decoding alone, the baseline, beside
// decoding and applying, for an order and an appointment delivery.
func BenchmarkDecodeApply(b *testing.B) {
	events := booked()
	for _, c := range []struct {
		name string
		news int
	}{{"order", lastOrder}, {"appointment", lastAppointment}} {
		body, err := events[c.news].MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		// The held value is built from decoded deliveries, as a receiver's.
		var held Tracked
		for _, e := range without(events, c.news) {
			w, err := e.MarshalJSON()
			if err != nil {
				b.Fatal(err)
			}
			d, err := webhook.Decode(w)
			if err != nil {
				b.Fatal(err)
			}
			if held, _, err = held.Apply(d); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name+"/decode", func(b *testing.B) {
			loop(b, func() {
				if _, err := webhook.Decode(body); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(c.name+"/decode+apply", func(b *testing.B) {
			loop(b, func() {
				e, err := webhook.Decode(body)
				if err != nil {
					b.Fatal(err)
				}
				if _, changes, err := held.Apply(e); err != nil || len(changes) == 0 {
					b.Fatal(err, changes)
				}
			})
		})
	}
}

// BenchmarkMarshalChange measures writing the stored form of each change
// of a typical order (MarshalChange), against the general path it stood
// on before (each change's form through the json package), which writes
// the same bytes.
func BenchmarkMarshalChange(b *testing.B) {
	_, changes := run(b, booked())
	for _, c := range []struct {
		name string
		f    func(Change) ([]byte, error)
	}{{"written", MarshalChange}, {"general", marshalChangeForm}} {
		b.Run(c.name, func(b *testing.B) {
			loop(b, func() {
				for _, ch := range changes {
					if _, err := c.f(ch); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(len(changes)), "changes/op")
		})
	}
}
