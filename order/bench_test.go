package order

import (
	"context"
	"testing"

	"github.com/looplab/fsm"
)

// Inputs live in variables so that the compiler cannot fold the lookups;
// b.Loop keeps the results of calls in its body alive.
var (
	benchScheduled, benchCompleted = AppointmentScheduled, Completed
	benchDraw, benchCancel         = CompleteDraw, Cancel
)

// limitTable and limitNext are the floor Next is measured against: a bare
// lookup in a fixed-size array, with no error to return.
var limitTable = [numStatuses + 1][numEvents + 1]Status{AppointmentScheduled: {CompleteDraw: DrawCompleted}}

func limitNext(from Status, e Trigger) Status {
	if from <= numStatuses && e <= numEvents {
		return limitTable[from][e]
	}
	return from
}

func BenchmarkNext(b *testing.B) {
	b.Run("accept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Next(benchScheduled, benchDraw)
		}
	})
	b.Run("reject", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Next(benchCompleted, benchCancel)
		}
	})
	b.Run("array_limit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			limitNext(benchScheduled, benchDraw)
		}
	})
}

func BenchmarkParseStatus(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"low", "appointment_scheduled"},
		{"full", "collecting_sample.at_home_phlebotomy.appointment_scheduled"},
		{"unknown", "collecting_sample.walk_in_test.appointment_scheduled"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ParseStatus(c.text)
			}
		})
	}
}

// BenchmarkFire compares Machine.Fire with a bare looplab machine built from
// the same table, on the same cycle: appointment_pending and
// appointment_cancelled, back and forth.
func BenchmarkFire(b *testing.B) {
	ctx := context.Background()
	b.Run("looplab", func(b *testing.B) {
		f := fsm.NewFSM(AppointmentPending.String(), table.FSMEvents(), nil)
		cancel, place := CancelAppointment.String(), PlaceAppointment.String()
		b.ReportAllocs()
		for b.Loop() {
			if err := f.Event(ctx, cancel); err != nil {
				b.Fatal(err)
			}
			if err := f.Event(ctx, place); err != nil {
				b.Fatal(err)
			}
		}
	})
	// cycle fires the two events of the cycle on a new machine.
	cycle := func(b *testing.B, opts ...Option) {
		m, err := NewMachine(AppointmentPending, opts...)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Fire(ctx, CancelAppointment); err != nil {
				b.Fatal(err)
			}
			if err := m.Fire(ctx, PlaceAppointment); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("machine", func(b *testing.B) { cycle(b) })
	b.Run("machine_callbacks", func(b *testing.B) {
		n := 0
		count := func(context.Context, Transition) { n++ }
		cycle(b, OnEnter(AppointmentCancelled, count), AfterAny(count))
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
