package scheduling

import (
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
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

func BenchmarkFlow(b *testing.B) {
	placed, _ := mustPlace(placeOrder(), t0)
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
	// requisition, reschedule, visit, draw, partial results, results; its
	// webhooks refer to what their events are built from.
	b.Run("lifecycle", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			if n := lifecycle(withData); n != 14 {
				b.Fatal(n)
			}
		}
		reportCPU(b, cpu)
	})
	// The baseline: the same lifecycle with webhooks that refer to no
	// data (type and message id only).
	b.Run("lifecycle-bare", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			if n := lifecycle(bare); n != 14 {
				b.Fatal(n)
			}
		}
		reportCPU(b, cpu)
	})
	// The lifecycle with the event of every webhook built, as a consumer
	// given every webhook pays for them: an order.Order per order
	// webhook, a copy of the appointment per appointment webhook.
	b.Run("lifecycle-events", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			if n := lifecycle(withEvents); n != 14 {
				b.Fatal(n)
			}
		}
		reportCPU(b, cpu)
	})
	// The lifecycle on every core at once: ns/op is the wall time per
	// lifecycle, so 1e6 lifecycles take 1e6 times that.
	b.Run("lifecycle-parallel", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if n := lifecycle(withData); n != 14 {
					b.Error(n)
					return
				}
			}
		})
		reportCPU(b, cpu)
	})
}

// reportCPU reports the CPU time the process used per iteration since
// start, user and system, garbage collection included: on a machine
// other programs share, it varies less than the wall time.
func reportCPU(b *testing.B, start time.Duration) {
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// bareStep runs step i of the lifecycle as the exported command does,
// with webhooks that carry no snapshot. It calls the command's own code
// through a switch, not a function value, so that its tx stays on the
// stack as the exported command's does.
func bareStep(o Flow, i int) (Flow, []Webhook, error) {
	t := tx{bare: true}
	var err error
	switch i {
	case 0:
		if err = o.begin(&t, "book", at(1), 2, 2); err == nil {
			err = t.book(book(72))
		}
	case 1:
		if err = o.begin(&t, "create_requisition", at(2), 3, 1); err == nil {
			err = t.requisition(order.CreateRequisition)
		}
	case 2:
		if err = o.begin(&t, "reschedule", at(3), 1, 1); err == nil {
			err = t.reschedule(at(80), at(82), "")
		}
	case 3:
		if err = o.begin(&t, "start_visit", at(79), 0, 1); err == nil {
			err = t.startVisit()
		}
	case 4:
		if err = o.begin(&t, "complete_draw", at(80), 1, 1); err == nil {
			err = t.completeDraw()
		}
	case 5:
		if err = o.begin(&t, "receive_partial_results", at(90), 1, 0); err == nil {
			err = t.order(order.ReceivePartialResults, !t.o.Settings.PartialResultsWebhooks)
		}
	default:
		if err = o.begin(&t, "complete", at(100), 1, 0); err == nil {
			err = t.order(order.Complete, false)
		}
	}
	return o.done(&t, err)
}

// How lifecycle runs: with webhooks that refer to no data, as the
// commands send them, or with the event of every webhook built.
const (
	bare = iota
	withData
	withEvents
)

// lifecycle runs a whole lifecycle: placed, booked before the requisition,
// requisition, reschedule, visit, draw, partial results with their webhook,
// results. It returns how many webhooks the steps sent. bare runs it with
// webhooks that refer to no data; otherwise it calls the exported
// commands, and withEvents builds every webhook's event.
func lifecycle(mode int) int {
	p := placeOrder()
	p.Settings = Settings{PreRequisitionScheduling: true, PartialResultsWebhooks: true}
	o, hooks, err := placeFlow(p, t0, mode == bare)
	if err != nil {
		return 0
	}
	n := len(hooks)
	if mode == withEvents {
		build(hooks)
	}
	for i := range 7 {
		if mode == bare {
			o, hooks, err = bareStep(o, i)
		} else {
			switch i {
			case 0:
				o, hooks, err = o.Book(book(72), at(1))
			case 1:
				o, hooks, err = o.CreateRequisition(at(2))
			case 2:
				o, hooks, err = o.Reschedule(at(80), at(82), "", at(3))
			case 3:
				o, hooks, err = o.StartVisit(at(79))
			case 4:
				o, hooks, err = o.CompleteDraw(at(80))
			case 5:
				o, hooks, err = o.ReceivePartialResults(at(90))
			default:
				o, hooks, err = o.CompleteResults(at(100))
			}
		}
		if err != nil {
			return 0
		}
		n += len(hooks)
		if mode == withEvents {
			build(hooks)
		}
	}
	return n
}

// eventSink keeps the events lifecycle builds.
var eventSink webhook.Event

// build builds the event of every webhook of hooks.
func build(hooks []Webhook) {
	for _, w := range hooks {
		eventSink = w.Event()
	}
}

// TestBareLifecycle checks the baseline of BenchmarkFlow: the same
// webhooks, message ids and flow as the real lifecycle, the webhooks
// referring to no data.
func TestBareLifecycle(t *testing.T) {
	assert.Equal(t, 14, lifecycle(withData))
	assert.Equal(t, 14, lifecycle(bare))
	assert.Equal(t, 14, lifecycle(withEvents))
	p := placeOrder()
	p.Settings = Settings{PreRequisitionScheduling: true, PartialResultsWebhooks: true}
	o, hooks, err := placeFlow(p, t0, true)
	require.NoError(t, err)
	full, fullHooks, _ := Place(p, t0)
	assert.Equal(t, full, o)
	assert.Equal(t, ids(fullHooks), ids(hooks))
	assert.Equal(t, Webhook{ID: hooks[0].ID, Type: webhook.OrderCreated, userID: "user-1"}, hooks[0])
	for i := range 7 {
		var fullHooks []Webhook
		o, hooks, err = bareStep(o, i)
		require.NoError(t, err)
		switch i {
		case 0:
			full, fullHooks, err = full.Book(book(72), at(1))
		case 1:
			full, fullHooks, err = full.CreateRequisition(at(2))
		case 2:
			full, fullHooks, err = full.Reschedule(at(80), at(82), "", at(3))
		case 3:
			full, fullHooks, err = full.StartVisit(at(79))
		case 4:
			full, fullHooks, err = full.CompleteDraw(at(80))
		case 5:
			full, fullHooks, err = full.ReceivePartialResults(at(90))
		default:
			full, fullHooks, err = full.CompleteResults(at(100))
		}
		require.NoError(t, err)
		assert.Equal(t, full, o, "step %d", i)
		assert.Equal(t, ids(fullHooks), ids(hooks), "step %d", i)
		for k, h := range hooks {
			want := fullHooks[k]
			want.n, want.order, want.appt, want.change = 0, nil, nil, apptChange{}
			assert.Equal(t, want, h, "step %d: data", i)
			assert.Equal(t, webhook.Event{ID: h.ID, Type: h.Type, UserID: "user-1"}, h.Event(), "step %d", i)
		}
	}
	final, _ := mustPlace(p, t0)
	for i := range 7 {
		final, _, _ = bareStep(final, i)
	}
	assert.Equal(t, order.Completed, final.Status)
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
