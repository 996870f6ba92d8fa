package track

import (
	"strconv"
	"testing"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/webhook"
)

// BenchmarkApply measures applying deliveries of a typical order (the
// booked order: 6 order entries, 5 appointment entries): news, a stale
// snapshot and a duplicate.
func BenchmarkApply(b *testing.B) {
	events := booked()
	held, _ := run(b, events[:len(events)-1])
	last := events[len(events)-1] // the order's draw: news
	full, _ := run(b, events)
	b.Run("news", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := held.Apply(last); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stale", func(b *testing.B) {
		stale := events[1] // the order at requisition_created
		b.ReportAllocs()
		for b.Loop() {
			full.Apply(stale)
		}
	})
	b.Run("duplicate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			full.Apply(last)
		}
	})
}

// BenchmarkApplyHistory measures news that adds n order history entries at
// once, to show the cost is linear in the new entries.
func BenchmarkApplyHistory(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		steps := []step{{order.Ordered, 0, ""}, {order.RequisitionCreated, 1, ""}, {order.AppointmentPending, 2, "a1"}, {order.AppointmentScheduled, 3, "a1"}}
		for i := len(steps); i < n; i++ {
			steps = append(steps, step{order.AppointmentScheduled, float64(i), "a1"})
		}
		e := orderEvent("o1", steps...)
		var o Order
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := o.Apply(e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeApply is the whole work of a receiver for a news delivery
// of the published order, decoding included.
func BenchmarkDecodeApply(b *testing.B) {
	body := []byte(`{"event_type":"labtest.appointment.updated","data":` + mustAppointmentJSON(b) + `}`)
	var o Order
	b.ReportAllocs()
	for b.Loop() {
		e, err := webhook.Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := o.Apply(e); err != nil {
			b.Fatal(err)
		}
	}
}

func mustAppointmentJSON(b *testing.B) string {
	a := apptEvent("o1", "a1", 48, astep{appointment.Pending, 1}, astep{appointment.Confirmed, 1}, astep{appointment.Confirmed, 2})
	data, err := a.Appointment.MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}
