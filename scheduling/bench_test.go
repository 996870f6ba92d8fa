package scheduling

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
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
	placed, _ := mustPlace(PlaceOrder{ID: "ord", Patient: patient()}, t0)
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
			o, _ := mustPlace(PlaceOrder{ID: "ord", Patient: patient(), Settings: beta}, t0)
			o, _, _ = o.Book(book(72), at(1))
			o, _, _ = o.CreateRequisition(at(2))
			o, _, _ = o.Reschedule(at(80), at(82), "", at(3))
			o, _, _ = o.StartVisit(at(79))
			o, _, _ = o.CompleteDraw(at(80))
			o, _, _ = o.ReceivePartialResults(at(90))
			if _, _, err := o.CompleteResults(at(100)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPlace(b *testing.B) {
	phoenix := loadTestZone("America/Phoenix")
	placed, _ := mustPlace(PlaceOrder{ID: "ord", Patient: Patient{Location: phoenix}}, t0)
	for _, c := range []struct {
		name string
		loc  *time.Location
	}{
		{"utc", nil},
		// The zone a placed or decoded order holds: no offsets to compare.
		{"stored_zone", placed.Patient.Location},
		// A zone the caller loaded itself: its offsets are compared with
		// the zone database's.
		{"loaded_zone", phoenix},
	} {
		p := PlaceOrder{ID: "ord", Patient: patient()}
		p.Patient.Location = c.loc
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

func BenchmarkOrderJSON(b *testing.B) {
	p := patient()
	p.Location = loadTestZone("America/Phoenix")
	o, _ := mustPlace(PlaceOrder{ID: "ord", Patient: p, Settings: beta}, t0)
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
			if _, err := DecodeOrder(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
