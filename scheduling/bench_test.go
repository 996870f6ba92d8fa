package scheduling

import (
	"github.com/go-json-experiment/json"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/webhook"
)

func BenchmarkValidateBooking(b *testing.B) {
	bk := validBooking()
	bk.Existing = []appointment.Appointment{appt("a", "getlabs", appointment.Completed), appt("b", "phlebfinders", appointment.Pending)}
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidateBooking(bk, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAutoCancel(b *testing.B) {
	a := AutoCancel{OrderCreatedAt: now, Start: now.Add(48 * time.Hour)}
	at := now.Add(7 * time.Hour)
	b.Run("Fires", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a.Fires(at)
		}
	})
	b.Run("FiresAt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a.FiresAt()
		}
	})
}

func BenchmarkOrder(b *testing.B) {
	placed, _ := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}, t0)
	withReq, _, _ := placed.CreateRequisition(at(1))
	booked, _, err := withReq.Book(book(72), at(2))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Reschedule", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := booked.Reschedule(at(80), at(82), "", at(3)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Book", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := withReq.Book(book(72), at(2)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Tick", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := booked.Tick(at(3)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refused", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := booked.CompleteResults(at(3)); err == nil {
				b.Fatal("completed")
			}
		}
	})
	// A whole lifecycle: placed, booked before the requisition,
	// requisition, reschedule, visit, draw, partial results, results.
	b.Run("lifecycle", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if n := lifecycle(); n != 14 {
				b.Fatal(n)
			}
		}
	})
	// The same on every core at once: ns/op is the wall time per lifecycle,
	// so 1e6 lifecycles take 1e6 times that.
	b.Run("lifecycle/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if n := lifecycle(); n != 14 {
					b.Error(n)
					return
				}
			}
		})
	})
}

// lifecycle runs a whole lifecycle: placed, booked before the requisition,
// requisition, reschedule, visit, draw, partial results with their webhook,
// results. It returns how many webhooks the steps sent.
func lifecycle() int {
	o, hooks := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home(), Settings: Settings{PreRequisitionScheduling: true,
		PartialResultsWebhooks: true}}, t0)
	n := len(hooks)
	for _, step := range []func(Flow) (Flow, []webhook.Event, error){
		func(o Flow) (Flow, []webhook.Event, error) { return o.Book(book(72), at(1)) },
		func(o Flow) (Flow, []webhook.Event, error) { return o.CreateRequisition(at(2)) },
		func(o Flow) (Flow, []webhook.Event, error) { return o.Reschedule(at(80), at(82), "", at(3)) },
		func(o Flow) (Flow, []webhook.Event, error) { return o.StartVisit(at(79)) },
		func(o Flow) (Flow, []webhook.Event, error) { return o.CompleteDraw(at(80)) },
		func(o Flow) (Flow, []webhook.Event, error) { return o.ReceivePartialResults(at(90)) },
		func(o Flow) (Flow, []webhook.Event, error) { return o.CompleteResults(at(100)) },
	} {
		var err error
		if o, hooks, err = step(o); err != nil {
			return 0
		}
		n += len(hooks)
	}
	return n
}

func BenchmarkPlace(b *testing.B) {
	phoenix := loadTestZone("America/Phoenix")
	placed, _ := mustPlace(PlaceOrder{ID: "ord", TimeZone: phoenix}, t0)
	for _, c := range []struct {
		name string
		loc  *time.Location
	}{
		{"utc", nil},
		// The zone a placed or decoded order holds: no offsets to compare.
		{"stored_zone", placed.TimeZone},
		// A zone the caller loaded itself: its offsets are compared with
		// the zone database's.
		{"loaded_zone", phoenix},
	} {
		p := PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}
		p.TimeZone = c.loc
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Place(p, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFlowJSON(b *testing.B) {
	p := placeOrder()
	p.TimeZone, p.Settings = loadTestZone("America/Phoenix"), beta
	o, _ := mustPlace(p, t0)
	o, _, _ = o.Book(book(72), at(1))
	o, _, _ = o.CreateRequisition(at(2))
	o, _, err := o.Reschedule(at(80), at(82), "", at(3))
	if err != nil {
		b.Fatal(err)
	}
	data, err := json.Marshal(o)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := o.MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeFlow(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
