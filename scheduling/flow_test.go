package scheduling

import (
	"errors"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
	"github.com/phlebkit/phlebkit/webhook"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// jane is the patient of most tests: 36 in 2026.
func jane() order.Patient { return order.Patient{DOB: dob(1990, 6, 15)} }

// home is the patient's address in most tests.
func home() order.Address { return validBooking().Address }

// placeOrder is the order most tests place.
func placeOrder() PlaceOrder {
	return PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}
}

func dob(y int, m time.Month, d int) order.Date { return order.Date{Year: y, Month: m, Day: d} }

// adate is the calendar date, in UTC, h hours after t0.
func adate(h float64) order.Date { return order.DateOf(at(h)) }

func place(s Settings) Flow {
	o, _ := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home(), Settings: s}, t0)
	return o
}

// mustPlace is Place for hard-coded orders that it cannot refuse.
func mustPlace(p PlaceOrder, now time.Time) (Flow, []Webhook) {
	o, hooks, err := Place(p, now)
	if err != nil {
		panic(err)
	}
	return o, hooks
}

var beta = Settings{PreRequisitionScheduling: true}

// seq renders webhooks as "type status" lines, the appointment's id left
// out, so that scenarios read like DOMAIN.md's table.
func seq(hooks []Webhook) []string {
	out := []string{}
	for _, hw := range hooks {
		w := hw.Event()
		switch w.Type {
		case webhook.OrderCreated, webhook.OrderUpdated:
			out = append(out, w.Type.String()+" "+w.Order.Status().Full())
		case webhook.AppointmentCreated, webhook.AppointmentUpdated:
			s := w.Appointment.EffectiveStatus()
			out = append(out, w.Type.String()+" "+s.String()+"/"+s.EventStatus())
		}
	}
	return out
}

const (
	ordCreated   = "labtest.order.created received.at_home_phlebotomy.ordered"
	ordReqCre    = "labtest.order.updated received.at_home_phlebotomy.requisition_created"
	ordReqByp    = "labtest.order.updated received.at_home_phlebotomy.requisition_bypassed"
	ordPending   = "labtest.order.updated collecting_sample.at_home_phlebotomy.appointment_pending"
	ordScheduled = "labtest.order.updated collecting_sample.at_home_phlebotomy.appointment_scheduled"
	ordApptCanc  = "labtest.order.updated collecting_sample.at_home_phlebotomy.appointment_cancelled"
	ordDrawn     = "labtest.order.updated collecting_sample.at_home_phlebotomy.draw_completed"
	ordPartial   = "labtest.order.updated sample_with_lab.at_home_phlebotomy.partial_results"
	ordCompleted = "labtest.order.updated completed.at_home_phlebotomy.completed"
	ordCancelled = "labtest.order.updated cancelled.at_home_phlebotomy.cancelled"
	apCreated    = "labtest.appointment.created pending/pending"
	apReserved   = "labtest.appointment.updated reserved/reserved"
	apConfirmed  = "labtest.appointment.updated confirmed/scheduled"
	apStarted    = "labtest.appointment.updated in_progress/in_progress"
	apCompleted  = "labtest.appointment.updated completed/completed"
	apCancelled  = "labtest.appointment.updated cancelled/cancelled"
)

func book(start float64) BookRequest {
	return BookRequest{Provider: provider.Getlabs, Start: at(start), End: at(start + 2), Notes: "Please bring photo ID"}
}

func request() RequestAppointment {
	return RequestAppointment{Provider: provider.Phlebfinders, Notes: "Patient prefers left arm"}
}

// TestScenarios follows DOMAIN.md §3 row by row.
func TestScenarios(t *testing.T) {
	t.Run("order placed", func(t *testing.T) {
		o, hooks := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home()}, t0)
		assert.Equal(t, []string{ordCreated}, seq(hooks))
		assert.Equal(t, order.Ordered, o.Status)
		assert.Equal(t, t0, hooks[0].Event().At())
	})
	t.Run("requisition created, no appointment", func(t *testing.T) {
		o, hooks := must(t)(place(Settings{}).CreateRequisition(at(1)))
		assert.Equal(t, []string{ordReqCre}, seq(hooks))
		assert.True(t, o.Requisition)
	})
	t.Run("requisition bypassed", func(t *testing.T) {
		_, hooks := must(t)(place(Settings{}).BypassRequisition(at(1)))
		assert.Equal(t, []string{ordReqByp}, seq(hooks))
	})
	t.Run("ready appointment placed after the requisition", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, hooks := must(t)(o.Book(book(72), at(2)))
		assert.Equal(t, []string{ordPending, apCreated, ordScheduled, apConfirmed}, seq(hooks))
		a, ok := o.Active()
		require.True(t, ok)
		assert.Equal(t, appointment.Confirmed, a.Status)
		assert.Equal(t, "ord-a1", a.ID)
	})
	t.Run("request appointment placed after the requisition, then penciled in", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, hooks := must(t)(o.Request(request(), at(2)))
		assert.Equal(t, []string{ordPending, apCreated}, seq(hooks))
		a, _ := o.Active()
		assert.True(t, a.StartAt.IsZero(), "a request has no time")
		o, hooks = must(t)(o.PencilIn(at(50), at(51), at(10)))
		assert.Equal(t, []string{ordScheduled, apConfirmed}, seq(hooks))
		a, _ = o.Active()
		start := a.StartAt
		assert.Equal(t, at(50), start)
	})
	t.Run("ready appointment booked before the requisition", func(t *testing.T) {
		o, hooks := must(t)(place(beta).Book(book(72), at(1)))
		assert.Equal(t, []string{apCreated, apReserved}, seq(hooks))
		assert.Equal(t, order.Ordered, o.Status)
	})
	t.Run("request appointment before the requisition, penciled in", func(t *testing.T) {
		o, hooks := must(t)(place(beta).Request(request(), at(1)))
		assert.Equal(t, []string{apCreated}, seq(hooks))
		o, hooks = must(t)(o.PencilIn(at(50), time.Time{}, at(2)))
		assert.Equal(t, []string{apReserved}, seq(hooks))
		assert.Equal(t, order.Ordered, o.Status)
	})
	t.Run("requisition created while an appointment is reserved", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, hooks := must(t)(o.CreateRequisition(at(2)))
		assert.Equal(t, []string{ordReqCre, ordPending, ordScheduled, apConfirmed}, seq(hooks))
		assert.Equal(t, order.AppointmentScheduled, o.Status)
	})
	t.Run("requisition created while a request is still pending", func(t *testing.T) {
		o, _ := must(t)(place(beta).Request(request(), at(1)))
		o, hooks := must(t)(o.CreateRequisition(at(2)))
		assert.Equal(t, []string{ordReqCre, ordPending}, seq(hooks))
		a, _ := o.Active()
		assert.Equal(t, appointment.Pending, a.Status)
	})
	t.Run("appointment rescheduled", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(book(72), at(2)))
		o, hooks := must(t)(o.Reschedule(at(96), at(98), "", at(3)))
		assert.Equal(t, []string{ordScheduled, apConfirmed}, seq(hooks))
		assert.True(t, hooks[1].Event().Appointment.EventData.IsReschedule)
		a, _ := o.Active()
		start := a.StartAt
		assert.Equal(t, at(96), start)
		assert.Equal(t, "Please bring photo ID", a.AppointmentNotes, "notes kept")
		o, _ = must(t)(o.Reschedule(at(100), time.Time{}, "Left arm", at(4)))
		a, _ = o.Active()
		assert.Equal(t, "Left arm", a.AppointmentNotes)
		assert.NoError(t, appointment.ValidateHistory(a.History))
		assert.Len(t, a.History, 4, "pending, scheduled, scheduled, scheduled")
	})
	t.Run("reserved appointment rescheduled before the requisition", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, hooks := must(t)(o.Reschedule(at(96), time.Time{}, "", at(2)))
		assert.Equal(t, []string{apReserved}, seq(hooks))
		assert.Equal(t, order.Ordered, o.Status)
	})
	t.Run("appointment cancelled before the requisition", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, hooks := must(t)(o.CancelAppointment(at(2)))
		assert.Equal(t, []string{apCancelled}, seq(hooks))
		assert.Equal(t, order.Ordered, o.Status)
		_, ok := o.Active()
		assert.False(t, ok)
	})
	t.Run("appointment cancelled after the requisition, then booked again", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(book(72), at(2)))
		o, hooks := must(t)(o.CancelAppointment(at(3)))
		assert.Equal(t, []string{ordApptCanc, apCancelled}, seq(hooks))
		o, hooks = must(t)(o.Book(book(80), at(4)))
		assert.Equal(t, []string{ordPending, apCreated, ordScheduled, apConfirmed}, seq(hooks))
		assert.Len(t, o.Appointments, 2)
		assert.Equal(t, "ord-a2", o.Appointments[1].ID)
		o, _ = must(t)(o.CancelAppointment(at(5)))
		o, hooks = must(t)(o.Request(request(), at(6)))
		assert.Equal(t, []string{ordPending, apCreated}, seq(hooks))
		assert.Equal(t, order.AppointmentPending, o.Status)
	})
	t.Run("pending request cancelled after the requisition", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Request(request(), at(2)))
		_, hooks := must(t)(o.CancelAppointment(at(3)))
		assert.Equal(t, []string{ordApptCanc, apCancelled}, seq(hooks))
	})
	t.Run("visit starts, draw done, results", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(book(72), at(2)))
		o, hooks := must(t)(o.StartVisit(at(71)))
		assert.Equal(t, []string{apStarted}, seq(hooks))
		assert.Equal(t, order.AppointmentScheduled, o.Status)
		o, hooks = must(t)(o.CompleteDraw(at(72)))
		assert.Equal(t, []string{apCompleted, ordDrawn}, seq(hooks))
		o, hooks = must(t)(o.ReceivePartialResults(at(80)))
		assert.Empty(t, seq(hooks), "no webhook for partial results by default")
		assert.Equal(t, order.PartialResults, o.Status)
		o, hooks = must(t)(o.CompleteResults(at(90)))
		assert.Equal(t, []string{ordCompleted}, seq(hooks))
		o, hooks = must(t)(o.CorrectResults(at(100)))
		assert.Equal(t, []string{"labtest.order.updated completed.at_home_phlebotomy.corrected"}, seq(hooks))
		assert.Equal(t, order.Corrected, o.Status)
	})
	t.Run("draw without in_progress, partial results webhooks, sample error", func(t *testing.T) {
		o, _ := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home(), Settings: Settings{PartialResultsWebhooks: true}}, t0)
		o, _ = must(t)(o.CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(book(72), at(2)))
		o, hooks := must(t)(o.CompleteDraw(at(72)))
		assert.Equal(t, []string{apCompleted, ordDrawn}, seq(hooks))
		o, hooks = must(t)(o.ReceivePartialResults(at(80)))
		assert.Equal(t, []string{ordPartial}, seq(hooks))
		o, hooks = must(t)(o.ReceivePartialResults(at(81)))
		assert.Equal(t, []string{ordPartial}, seq(hooks))
		o, hooks = must(t)(o.ReportSampleError(at(82)))
		assert.Equal(t, []string{"labtest.order.updated failed.at_home_phlebotomy.sample_error"}, seq(hooks))
		_, _, err := o.Cancel(at(83))
		assert.ErrorIs(t, err, order.ErrInvalidTransition)
	})
	t.Run("order cancelled", func(t *testing.T) {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(book(72), at(2)))
		o, hooks := must(t)(o.Cancel(at(3)))
		assert.Equal(t, []string{ordCancelled, apCancelled}, seq(hooks))
		_, ok := o.Active()
		assert.False(t, ok)
		_, hooks = must(t)(place(Settings{}).Cancel(at(1)))
		assert.Equal(t, []string{ordCancelled}, seq(hooks))
	})
	t.Run("order cancelled before the requisition, with a reserved appointment", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, hooks := must(t)(o.Cancel(at(2)))
		assert.Equal(t, []string{ordCancelled, apCancelled}, seq(hooks))
		_, ok := o.Active()
		assert.False(t, ok)
		_, _, err := o.Book(book(72), at(3))
		assert.ErrorIs(t, err, ErrNotAllowed, "a cancelled order takes no appointment")
		_, _, err = o.Request(request(), at(3))
		assert.ErrorIs(t, err, ErrNotAllowed)
	})
}

// must takes a command's results and fails the test on an error.
func must(t *testing.T) func(Flow, []Webhook, error) (Flow, []Webhook) {
	return func(o Flow, hooks []Webhook, err error) (Flow, []Webhook) {
		t.Helper()
		require.NoError(t, err)
		return o, hooks
	}
}

func TestAutoCancellation(t *testing.T) {
	t.Run("rule 1 on tick", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, hooks := must(t)(o.Tick(at(8)))
		assert.Empty(t, hooks, "exactly 8 hours is not more than 8 hours")
		o, hooks = must(t)(o.Tick(at(30)))
		assert.Equal(t, []string{apCancelled}, seq(hooks))
		assert.Equal(t, t0.Add(8*time.Hour+1), hooks[0].Event().At(), "dated when the rule starts to hold")
		assert.Equal(t, order.Ordered, o.Status)
		assert.Equal(t, at(30), o.Clock)
	})
	t.Run("rule 1 applied before a late requisition", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, hooks := must(t)(o.CreateRequisition(at(9)))
		assert.Equal(t, []string{apCancelled, ordReqCre}, seq(hooks))
		assert.Equal(t, order.RequisitionCreated, o.Status)
	})
	t.Run("rule 1 does not apply to scheduled orders; rule 2 does", func(t *testing.T) {
		o, _ := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home(), Settings: beta, ActivateBy: adate(500)}, t0)
		o, _ = must(t)(o.Book(book(20), at(1)))
		o, hooks := must(t)(o.Tick(at(18)))
		assert.Empty(t, hooks, "exactly 2 hours before the start")
		_, hooks = must(t)(o.Tick(at(19)))
		assert.Equal(t, []string{apCancelled}, seq(hooks))
		assert.Equal(t, at(18).Add(1), hooks[0].Event().At())
	})
	t.Run("a pending request is subject to rule 1 only", func(t *testing.T) {
		o, _ := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home(), Settings: beta, ActivateBy: adate(500)}, t0)
		o, _ = must(t)(o.Request(request(), at(1)))
		_, hooks := must(t)(o.Tick(at(1000)))
		assert.Empty(t, hooks)
	})
	t.Run("a booking that would be cancelled at once is refused", func(t *testing.T) {
		o := place(beta)
		_, hooks, err := o.Book(book(2.5), at(1))
		assert.Equal(t, CancelStartSoon, ruleError(t, err, ErrAutoCancel).Value.(Deadline).Kind)
		assert.Nil(t, hooks)
		// With the requisition the rules do not apply.
		o, _ = must(t)(o.CreateRequisition(at(1)))
		_, hooks = must(t)(o.Book(book(2.5), at(1)))
		assert.Equal(t, []string{ordPending, apCreated, ordScheduled, apConfirmed}, seq(hooks))
	})
	t.Run("the requisition turns the rules off", func(t *testing.T) {
		o, _ := must(t)(place(beta).Book(book(72), at(1)))
		o, _ = must(t)(o.CreateRequisition(at(2)))
		o, hooks := must(t)(o.Tick(at(71)))
		assert.Empty(t, hooks)
		a, _ := o.Active()
		assert.Equal(t, appointment.Confirmed, a.Status)
	})
}

func TestRefusals(t *testing.T) {
	withReq, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	booked, _ := must(t)(withReq.Book(book(72), at(2)))
	for _, c := range []struct {
		name string
		run  func() (Flow, []Webhook, error)
		want []error
	}{
		{"booking before the requisition without the beta", func() (Flow, []Webhook, error) {
			return place(Settings{}).Book(book(72), at(1))
		}, []error{ErrRequisitionRequired}},
		{"requesting before the requisition without the beta", func() (Flow, []Webhook, error) {
			return place(Settings{}).Request(request(), at(1))
		}, []error{ErrRequisitionRequired}},
		{"second active appointment on the order", func() (Flow, []Webhook, error) {
			return booked.Request(request(), at(3))
		}, []error{ErrActiveAppointment, ErrNotAllowed}},
		{"active appointment with the provider on another order", func() (Flow, []Webhook, error) {
			r := book(72)
			r.Existing = []appointment.Appointment{{ID: "other", Provider: provider.Getlabs, Status: appointment.Confirmed}}
			return withReq.Book(r, at(2))
		}, []error{ErrActiveAppointment}},
		{"underage patient", func() (Flow, []Webhook, error) {
			o := withReq
			o.Patient.DOB = dob(2010, 1, 1)
			return o.Book(book(72), at(2))
		}, []error{ErrUnderage}},
		{"unreachable address", func() (Flow, []Webhook, error) {
			o := withReq
			o.Address.FirstLine = "West Lincoln Street"
			return o.Book(book(72), at(2))
		}, []error{ErrAddress}},
		{"requesting getlabs", func() (Flow, []Webhook, error) {
			r := request()
			r.Provider = provider.Getlabs
			return withReq.Request(r, at(2))
		}, []error{ErrTierMismatch}},
		{"booking with no provider and no area", func() (Flow, []Webhook, error) {
			r := book(72)
			r.Provider = 0
			return withReq.Book(r, at(2))
		}, []error{ErrTierMismatch}},
		{"slot in the past", func() (Flow, []Webhook, error) { return withReq.Book(book(1), at(2)) }, []error{ErrSlot}},
		{"time going backwards", func() (Flow, []Webhook, error) { return booked.Tick(at(1)) }, []error{ErrClock}},
		{"pencil in a ready appointment", func() (Flow, []Webhook, error) {
			return booked.PencilIn(at(80), time.Time{}, at(3))
		}, []error{ErrNotAllowed}},
		{"reschedule a pending request", func() (Flow, []Webhook, error) {
			o, _, _ := withReq.Request(request(), at(2))
			return o.Reschedule(at(80), time.Time{}, "", at(3))
		}, []error{ErrNotAllowed, appointment.ErrInvalidTransition}},
		{"reschedule into the past", func() (Flow, []Webhook, error) {
			return booked.Reschedule(at(2), time.Time{}, "", at(3))
		}, []error{ErrSlot}},
		{"complete a draw before the visit is confirmed", func() (Flow, []Webhook, error) {
			o, _, _ := place(beta).Book(book(72), at(1))
			return o.CompleteDraw(at(2))
		}, []error{ErrNotAllowed, appointment.ErrInvalidTransition}},
		{"cancel with no appointment", func() (Flow, []Webhook, error) {
			return withReq.CancelAppointment(at(2))
		}, []error{ErrNotAllowed}},
		{"complete results before the draw", func() (Flow, []Webhook, error) {
			return booked.CompleteResults(at(3))
		}, []error{ErrNotAllowed, order.ErrInvalidTransition}},
		{"second requisition", func() (Flow, []Webhook, error) {
			return withReq.CreateRequisition(at(2))
		}, []error{ErrNotAllowed, order.ErrInvalidTransition}},
		{"zero order", func() (Flow, []Webhook, error) { return Flow{}.Tick(at(1)) }, []error{ErrNotAllowed, order.ErrUnknownStatus}},
		{"reschedule to a day the patient is 17", func() (Flow, []Webhook, error) {
			o := withReq
			o.Patient.DOB = dob(2008, 11, 25)     // 18 on 2026-11-25
			o, _, err := o.Book(book(100), at(2)) // 2026-11-25T13:00Z
			require.NoError(t, err)
			return o.Reschedule(at(40), time.Time{}, "", at(3)) // 2026-11-23
		}, []error{ErrUnderage}},
		{"pencil in on a day the patient is 17", func() (Flow, []Webhook, error) {
			o := withReq
			o.Patient.DOB = dob(2008, 11, 21) // 18 on the day of the request
			o, _, err := o.Request(request(), at(2))
			require.NoError(t, err)
			o.Patient.DOB = dob(2008, 11, 25)
			return o.PencilIn(at(40), time.Time{}, at(3))
		}, []error{ErrUnderage}},
		{"no date of birth", func() (Flow, []Webhook, error) {
			o := withReq
			o.Patient.DOB = order.Date{}
			return o.Book(book(72), at(2))
		}, []error{ErrUnderage}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, hooks, err := c.run()
			require.Error(t, err)
			assert.Nil(t, hooks)
			for _, want := range c.want {
				assert.ErrorIs(t, err, want)
			}
		})
	}
	_, _, err := booked.Request(request(), at(3))
	assert.EqualError(t, err, "scheduling: active appointment exists: on this order: ord-a1\n"+
		"scheduling: not allowed: request: order appointment_scheduled, appointment confirmed")
}

func TestBookFromArea(t *testing.T) {
	area, err := provider.ParseAreaInfo([]byte(`{"zip_code":"85004","phlebotomy":{"is_served":true,
		"providers":[{"name":"getlabs","tier":["appointment-ready"]},{"name":"phlebfinders","tier":["appointment-request"]}]}}`))
	require.NoError(t, err)
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	r := book(72)
	r.Provider, r.Area = 0, &area
	o2, _ := must(t)(o.Book(r, at(2)))
	a, _ := o2.Active()
	assert.Equal(t, provider.Getlabs, a.Provider)
	assert.Equal(t, tier.AppointmentReady, a.Tier)

	q := request()
	q.Area = &area
	_, _ = must(t)(o.Request(q, at(2)))
	q.Provider = provider.Getlabs
	_, _, err = o.Request(q, at(2))
	assert.ErrorIs(t, err, provider.ErrTierUnavailable)
	unserved := area
	unserved.Phlebotomy.IsServed = false
	r.Area = &unserved
	_, _, err = o.Book(r, at(2))
	assert.ErrorIs(t, err, provider.ErrNotServed)
}

func TestAppointmentRecord(t *testing.T) {
	loc := time.FixedZone("MST", -7*60*60)
	p := placeOrder()
	p.TimeZone = loc
	o, _ := mustPlace(p, t0)
	o, _ = must(t)(o.CreateRequisition(at(1)))
	r := book(72)
	r.ID = "appt-42"
	o, _ = must(t)(o.Book(r, at(2)))
	a, _ := o.Active()
	assert.Equal(t, "appt-42", a.ID)
	assert.Equal(t, "user-1", a.UserID)
	assert.Equal(t, "ord", a.OrderID)
	assert.Equal(t, provider.Getlabs, a.Provider)
	assert.Equal(t, appointment.Phlebotomy, a.Type)
	assert.Equal(t, "MST", a.IANATimezone)
	assert.Equal(t, p.Address, a.Address)
	assert.Equal(t, "Please bring photo ID", a.AppointmentNotes)
	assert.Equal(t, appointment.Confirmed, a.EffectiveStatus())
	assert.True(t, a.CanReschedule)
	assert.Equal(t, at(2), a.PlacedAt)
	end := a.EndAt
	assert.Equal(t, at(74), end)
	require.NoError(t, appointment.ValidateHistory(a.History))
	// The record encodes as Junction's JSON and decodes back.
	b, err := a.Appointment.MarshalJSON()
	require.NoError(t, err)
	back, err := appointment.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, a.Appointment, back)
}

// TestCommandsArePure checks that a command leaves the value it is called on,
// and everything it shares, as it was.
func TestCommandsArePure(t *testing.T) {
	o, _ := must(t)(place(beta).Book(book(72), at(1)))
	before := deepCopy(o)
	_, _ = must(t)(o.CreateRequisition(at(2)))
	_, _ = must(t)(o.Reschedule(at(80), time.Time{}, "x", at(2)))
	_, _ = must(t)(o.Tick(at(20)))
	_, _ = must(t)(o.Cancel(at(2)))
	assert.Equal(t, before, o)
}

// TestCommandsDoNotWriteShared derives two results from one order whose
// history has spare capacity: the second must not write over the first.
func TestCommandsDoNotWriteShared(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	o, _ = must(t)(o.Book(book(72), at(2)))
	ev := o.Appointments[0].History
	o.Appointments[0].History = append(make([]appointment.HistoryEntry, 0, len(ev)+8), ev...)
	r1, _ := must(t)(o.Reschedule(at(80), time.Time{}, "", at(3)))
	r2, _ := must(t)(o.CancelAppointment(at(3)))
	last := func(o Flow) string { e := o.Appointments[0].History; return e[len(e)-1].Status }
	assert.Equal(t, "scheduled", last(r1))
	assert.Equal(t, "cancelled", last(r2))
	assert.Len(t, o.Appointments[0].History, len(ev))
}

func deepCopy(o Flow) Flow {
	o.History = slices.Clone(o.History)
	o.Appointments = slices.Clone(o.Appointments)
	for i := range o.Appointments {
		o.Appointments[i].History = slices.Clone(o.Appointments[i].History)
	}
	return o
}

func TestClockErrorMessage(t *testing.T) {
	assert.EqualError(t, clockError(t0, at(1)),
		"scheduling: time went backwards: 2026-11-21T09:00:00Z is before the last change at 2026-11-21T10:00:00Z")
}

// TestFlowStateMachine issues random commands at random times and checks
// the flow's invariants after every step.
func TestFlowStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, now := drawPlaceOrder(t)
		o, hooks, err := Place(p, now)
		require.NoError(t, err)
		m := newFlowModel(o, hooks)
		t.Repeat(map[string]func(*rapid.T){
			"command": func(t *rapid.T) {
				name, run := drawCommand(t, m.o.Clock)
				m.step(t, name, run)
			},
			"fork": m.fork,
			"":     m.check,
		})
	})
}

// zones are the patients' locations the property tests draw from; each
// has an IANA name.
var zones = []*time.Location{nil, time.UTC, time.FixedZone("UTC", 0), time.FixedZone("EST", -5*60*60),
	loadTestZone("America/Phoenix"), loadTestZone("America/New_York"), loadTestZone("Asia/Tokyo"), loadTestZone("Pacific/Kiritimati")}

func loadTestZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// drawPlaceOrder draws an order to place, and when: a patient who may turn
// 18 in the coming days, in any of zones, with a date of birth and instants
// given in any zone.
func drawPlaceOrder(t *rapid.T) (PlaceOrder, time.Time) {
	p := placeOrder()
	p.ID = rapid.StringN(0, 8, -1).Draw(t, "id")
	p.Settings = Settings{
		PreRequisitionScheduling: rapid.Bool().Draw(t, "beta"),
		PartialResultsWebhooks:   rapid.Bool().Draw(t, "partial webhooks"),
	}
	in := func(t *rapid.T, tm time.Time, label string) time.Time {
		if loc := rapid.SampledFrom(zones).Draw(t, label+" zone"); loc != nil {
			return tm.In(loc)
		}
		return tm
	}
	if rapid.Bool().Draw(t, "scheduled order") {
		p.ActivateBy = order.DateOf(in(t, at(1000), "activate_by"))
	}
	p.UserID = rapid.String().Draw(t, "user id")
	p.TimeZone = rapid.SampledFrom(zones).Draw(t, "location")
	p.Address.AccessNotes = rapid.StringN(0, 20, -1).Draw(t, "access notes")
	if rapid.Bool().Draw(t, "turns 18 soon") {
		p.Patient.DOB = dob(2008, 11, 22+rapid.IntRange(0, 4).Draw(t, "birthday"))
	}
	return p, in(t, t0, "now")
}

// commandWeights says how often drawCommand draws each command: those that
// end the story are rare, so that most runs go on.
var commandWeights = map[string]int{
	"create_requisition": 6, "bypass_requisition": 6, "book": 6, "request": 6, "pencil_in": 6, "reschedule": 6,
	"cancel_appointment": 2, "start_visit": 6, "complete_draw": 6, "partial_results": 6, "complete": 6,
	"sample_error": 2, "correct": 6, "cancel": 1, "tick": 6, "confirm": 4,
}

var commandNames = func() []string {
	var names []string
	for name, n := range commandWeights {
		for range n {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}()

// drawCommand draws one of the flow's commands, dated after clock: time
// mostly moves in small steps, so that appointments live long enough to be
// rescheduled and drawn; now and then it jumps, or goes backwards. Slots
// are mostly well ahead; now and then close or past. Instants are given in
// any of zones.
func drawCommand(t *rapid.T, clock time.Time) (string, func(Flow) (Flow, []Webhook, error)) {
	in := func(tm time.Time, label string) time.Time {
		if loc := rapid.SampledFrom(zones).Draw(t, label+" zone"); loc != nil {
			return tm.In(loc)
		}
		return tm
	}
	max := 3 * time.Hour
	var now time.Time
	switch rapid.IntRange(0, 19).Draw(t, "clock") {
	case 0:
		now = clock.Add(-time.Minute)
	case 1, 2, 3:
		max = 30 * time.Hour
		fallthrough
	default:
		now = clock.Add(time.Duration(rapid.Int64Range(0, int64(max)).Draw(t, "advance")))
	}
	now = in(now, "now")
	ahead := func(label string) time.Time {
		lo, hi := 3*time.Hour, 80*time.Hour
		if rapid.IntRange(0, 7).Draw(t, label+" close") == 0 {
			lo, hi = -time.Hour, 3*time.Hour
		}
		return in(clock.Add(time.Duration(rapid.Int64Range(int64(lo), int64(hi)).Draw(t, label))), label)
	}
	notes := func() string {
		if rapid.Bool().Draw(t, "has notes") {
			return rapid.StringN(0, 20, -1).Draw(t, "notes")
		}
		return ""
	}
	name := rapid.SampledFrom(commandNames).Draw(t, "command")
	var run func(Flow) (Flow, []Webhook, error)
	switch name {
	case "create_requisition":
		run = func(o Flow) (Flow, []Webhook, error) { return o.CreateRequisition(now) }
	case "bypass_requisition":
		run = func(o Flow) (Flow, []Webhook, error) { return o.BypassRequisition(now) }
	case "book":
		start := ahead("start")
		r := BookRequest{Provider: rapid.SampledFrom([]provider.Provider{provider.Getlabs, provider.Phlebfinders}).Draw(t, "provider"),
			Start: start, End: start.Add(2 * time.Hour), Notes: notes()}
		if rapid.IntRange(0, 5).Draw(t, "conflict") == 0 {
			r.Existing = []appointment.Appointment{{ID: "x", Provider: provider.Getlabs, Status: appointment.Confirmed}}
		}
		r.Async = rapid.IntRange(0, 3).Draw(t, "async") == 0
		run = func(o Flow) (Flow, []Webhook, error) { return o.Book(r, now) }
	case "confirm":
		run = func(o Flow) (Flow, []Webhook, error) { return o.Confirm(now) }
	case "request":
		r := request()
		r.Notes = notes()
		run = func(o Flow) (Flow, []Webhook, error) { return o.Request(r, now) }
	case "pencil_in":
		start := ahead("start")
		run = func(o Flow) (Flow, []Webhook, error) { return o.PencilIn(start, time.Time{}, now) }
	case "reschedule":
		start, n := ahead("start"), notes()
		run = func(o Flow) (Flow, []Webhook, error) { return o.Reschedule(start, time.Time{}, n, now) }
	case "cancel_appointment":
		run = func(o Flow) (Flow, []Webhook, error) { return o.CancelAppointment(now) }
	case "start_visit":
		run = func(o Flow) (Flow, []Webhook, error) { return o.StartVisit(now) }
	case "complete_draw":
		run = func(o Flow) (Flow, []Webhook, error) { return o.CompleteDraw(now) }
	case "partial_results":
		run = func(o Flow) (Flow, []Webhook, error) { return o.ReceivePartialResults(now) }
	case "complete":
		run = func(o Flow) (Flow, []Webhook, error) { return o.CompleteResults(now) }
	case "sample_error":
		run = func(o Flow) (Flow, []Webhook, error) { return o.ReportSampleError(now) }
	case "correct":
		run = func(o Flow) (Flow, []Webhook, error) { return o.CorrectResults(now) }
	case "cancel":
		run = func(o Flow) (Flow, []Webhook, error) { return o.Cancel(now) }
	case "tick":
		run = func(o Flow) (Flow, []Webhook, error) { return o.Tick(now) }
	}
	return name, run
}

// flowModel follows an Order through webhooks only, as a consumer would,
// and checks the order against it.
type flowModel struct {
	o          Flow
	orderSeen  order.Status                  // the last order status a webhook carried
	apptSeen   map[string]appointment.Status // the last status of each appointment
	lastAt     time.Time
	quietSince bool // a partial result was applied without a webhook
	// What the webhooks carried: the last order snapshot, the last
	// snapshot of each appointment, and every message id.
	orderSnap order.Order
	apptSnap  map[string]appointment.Appointment
	ids       map[string]bool
	// past are the flows the model went through, each with a deep copy
	// made when it was current; held are the webhooks it received, each
	// with a deep copy of its snapshot made when it arrived. Neither may
	// change, whatever is done later with the flows and snapshots.
	past []heldFlow
	held []heldEvent
}

type heldFlow struct{ flow, copy Flow }

// heldEvent is a webhook the model received: the Webhook, a deep copy of
// its Event made when it arrived, and the Event the receiver built then,
// which it may change.
type heldEvent struct {
	hook  Webhook
	copy  webhook.Event
	built webhook.Event
}

// deepEvent returns e with copies of its snapshots and their histories.
func deepEvent(e webhook.Event) webhook.Event {
	if e.Order != nil {
		o := *e.Order
		o.History = slices.Clone(o.History)
		e.Order = &o
	}
	if e.Appointment != nil {
		a := *e.Appointment
		a.History = slices.Clone(a.History)
		e.Appointment = &a
	}
	return e
}

// hold keeps w, a deep copy of its event and the event built now, and
// returns the event.
func (m *flowModel) hold(w Webhook) webhook.Event {
	e := w.Event()
	m.held = append(m.held, heldEvent{hook: w, copy: deepEvent(e), built: e})
	return e
}

// scribble changes e as a receiver might: it extends the histories of its
// snapshots and writes to their fields.
func scribble(e webhook.Event) {
	if e.Order != nil {
		e.Order.History = append(e.Order.History, order.HistoryEntry{ID: 1 << 40, Status: order.Cancelled})
		e.Order.ID, e.Order.Patient.FirstName, e.Order.Address.City = "changed", "changed", "changed"
		e.Order.Details.AppointmentID = "changed"
	}
	if e.Appointment != nil {
		e.Appointment.History = append(e.Appointment.History, appointment.HistoryEntry{Status: "changed"})
		e.Appointment.ID, e.Appointment.Status, e.Appointment.AppointmentNotes = "changed", appointment.Cancelled, "changed"
	}
}

// fork runs a command on the current flow or one the model went through,
// as a caller trying another branch would; changes the flow it gets back
// and the events it builds from its webhooks, and every event held, as a
// caller would; and checks that no flow held changed, and that each
// webhook held still builds the event it built when it arrived.
func (m *flowModel) fork(t *rapid.T) {
	current := heldFlow{flow: m.o, copy: deepCopy(m.o)}
	from := m.o
	if i := rapid.IntRange(-1, len(m.past)-1).Draw(t, "past"); i >= 0 {
		from = m.past[i].flow
	}
	name, run := drawCommand(t, from.Clock)
	next, hooks, err := run(from)
	if err != nil {
		name += " (refused)"
	}
	for _, w := range hooks {
		scribble(w.Event())
	}
	// The flow's own fields are the caller's to change.
	next.ID, next.TeamID, next.UserID, next.ClientUserID = "changed", "changed", "changed", "changed"
	next.Patient.FirstName, next.Address.City, next.CreatedAt = "changed", "changed", time.Time{}
	next.History, next.Appointments = nil, nil
	for i := range m.held {
		scribble(m.held[i].built)
	}
	for i, p := range append(m.past, current) {
		require.True(t, reflect.DeepEqual(p.copy, p.flow), "%s on a past flow changed past flow %d", name, i)
	}
	for i, h := range m.held {
		require.True(t, reflect.DeepEqual(h.copy, h.hook.Event()), "%s on a past flow changed webhook %d", name, i)
	}
}

func newFlowModel(o Flow, hooks []Webhook) *flowModel {
	m := &flowModel{o: o, apptSeen: map[string]appointment.Status{}, apptSnap: map[string]appointment.Appointment{},
		ids: map[string]bool{hooks[0].ID: true}}
	e := m.hold(hooks[0])
	m.orderSnap = *e.Order
	m.orderSeen = e.Order.Status()
	m.lastAt = e.At()
	return m
}

func (m *flowModel) step(t *rapid.T, name string, run func(Flow) (Flow, []Webhook, error)) {
	before := deepCopy(m.o)
	next, hooks, err := run(m.o)
	require.True(t, reflect.DeepEqual(before, m.o), "%s changed the value it was called on", name)
	if err != nil {
		require.True(t, reflect.DeepEqual(before, next), "refused %s changed the order: %v", name, err)
		require.Nil(t, hooks)
		for _, s := range []error{ErrNotAllowed, ErrClock, ErrRequisitionRequired, ErrActiveAppointment, ErrSlot,
			ErrTierMismatch, ErrUnderage, ErrAddress, ErrNotesTooLong, ErrAutoCancel} {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("%s: unexpected error %v", name, err)
	}
	m.past = append(m.past, heldFlow{flow: m.o, copy: before})
	created := map[string]bool{}
	for _, hw := range hooks {
		w := m.hold(hw)
		m.wire(t, name, next, w)
		m.sent(t, name, next, w)
		require.False(t, w.At().Before(m.lastAt), "%s: webhook %v earlier than %v", name, w, m.lastAt)
		require.False(t, w.At().After(next.Clock), "%s: webhook %v after the clock", name, w)
		m.lastAt = w.At()
		switch w.Type {
		case webhook.OrderUpdated:
			if m.quietSince {
				require.True(t, m.orderSeen == w.Order.Status() || order.Reachable(m.orderSeen, w.Order.Status()),
					"%s: order %v cannot follow %v", name, w.Order.Status(), m.orderSeen)
			} else {
				require.True(t, canStep(m.orderSeen, w.Order.Status()),
					"%s: order %v cannot follow %v", name, w.Order.Status(), m.orderSeen)
			}
			m.orderSeen, m.quietSince = w.Order.Status(), false
		case webhook.AppointmentCreated:
			_, seen := m.apptSeen[w.Appointment.ID]
			require.False(t, seen, "%s: appointment %s created twice", name, w.Appointment.ID)
			require.Equal(t, appointment.Pending, w.Appointment.EffectiveStatus())
			m.apptSeen[w.Appointment.ID] = w.Appointment.EffectiveStatus()
			created[w.Appointment.ID] = true
		case webhook.AppointmentUpdated:
			prev, seen := m.apptSeen[w.Appointment.ID]
			require.True(t, seen, "%s: update of unknown appointment %s", name, w.Appointment.ID)
			_, ok := appointment.TriggerFor(prev, w.Appointment.EffectiveStatus())
			require.True(t, ok,
				"%s: appointment %v cannot follow %v", name, w.Appointment.EffectiveStatus(), prev)
			require.False(t, created[w.Appointment.ID] && w.Appointment.EffectiveStatus() == appointment.Cancelled,
				"%s: appointment %s cancelled by the command that made it", name, w.Appointment.ID)
			m.apptSeen[w.Appointment.ID] = w.Appointment.EffectiveStatus()
		case webhook.OrderCreated:
			t.Fatalf("%s: a second labtest.order.created", name)
		}
	}
	if next.Status != m.orderSeen {
		// Only a partial result without its webhook moves the order silently.
		require.Equal(t, order.PartialResults, next.Status, "%s: order moved to %v without a webhook", name, next.Status)
		require.False(t, next.Settings.PartialResultsWebhooks)
		m.quietSince = true
	}
	m.o = next
}

// sent checks an event built from a webhook against the state it reports,
// rebuilt from the flow the command returned: an order event carries the
// snapshot ([Flow.Snapshot]) of that flow with its history cut at the
// entry the message id names; an appointment event, the appointment with
// its history cut at the length the message id names, and, when that is
// its last change, the appointment as the flow holds it.
func (m *flowModel) sent(t *rapid.T, name string, next Flow, e webhook.Event) {
	cut := strings.LastIndexByte(e.ID, '_')
	require.Positive(t, cut, "%s: message id %q", name, e.ID)
	num := e.ID[cut+1:]
	env := webhook.Event{ID: e.ID, Type: e.Type, UserID: next.UserID, ClientUserID: next.ClientUserID, TeamID: next.TeamID}
	if e.Type.IsOrder() {
		require.Equal(t, "msg_"+next.ID+"_o", e.ID[:cut+2], "%s: message id %q", name, e.ID)
		id, err := strconv.ParseInt(num[1:], 10, 64)
		require.NoError(t, err)
		at := slices.IndexFunc(next.History, func(h order.HistoryEntry) bool { return h.ID == id })
		require.GreaterOrEqual(t, at, 0, "%s: message id %q names no entry", name, e.ID)
		then := next
		then.History = next.History[:at+1]
		want := then.Snapshot()
		env.Order = &want
		require.True(t, reflect.DeepEqual(env, e), "%s: order webhook %s is not the flow's snapshot at its change", name, e.ID)
		return
	}
	n, err := strconv.Atoi(num)
	require.NoError(t, err)
	i := slices.IndexFunc(next.Appointments, func(a Placement) bool { return "msg_"+a.ID == e.ID[:cut] })
	require.GreaterOrEqual(t, i, 0, "%s: message id %q names no appointment", name, e.ID)
	a := next.Appointments[i].Appointment
	require.LessOrEqual(t, n, len(a.History))
	require.NotNil(t, e.Appointment)
	require.True(t, reflect.DeepEqual(a.History[:n:n], e.Appointment.History), "%s: appointment webhook %s's history", name, e.ID)
	if n == len(a.History) {
		a.History = a.History[:n:n]
		env.Appointment = &a
		require.True(t, reflect.DeepEqual(env, e), "%s: appointment webhook %s is not the flow's appointment", name, e.ID)
	}
}

// wire checks an event as Junction sends it: a message id of its own, the
// team and patient of the order, and a snapshot whose history extends the
// previous snapshot's (an order's by the entries since, an appointment's by
// exactly one entry), that encodes to JSON which decodes back equal.
func (m *flowModel) wire(t *rapid.T, name string, next Flow, w webhook.Event) {
	require.False(t, m.ids[w.ID], "%s: message id %s sent twice", name, w.ID)
	m.ids[w.ID] = true
	require.Equal(t, next.UserID, w.UserID)
	require.Equal(t, next.TeamID, w.TeamID)
	require.Equal(t, next.ClientUserID, w.ClientUserID)
	require.Equal(t, next.ID, w.OrderID())
	if w.Type.IsOrder() {
		h := w.Order.History
		require.Greater(t, len(h), len(m.orderSnap.History), "%s: an order webhook without news", name)
		require.Equal(t, m.orderSnap.History, slices.Clip(h[:len(m.orderSnap.History)]), "%s: the order's history was rewritten", name)
		require.Equal(t, next.History[:len(h)], h)
		_, err := order.ValidateHistory(h)
		require.NoError(t, err)
		require.Equal(t, h[len(h)-1], w.Order.LastEvent)
		require.True(t, w.Order.IsPhlebotomy())
		if n := len(next.Appointments); n > 0 && w.Order.AppointmentID() != "" {
			require.True(t, slices.ContainsFunc(next.Appointments, func(a Placement) bool { return a.ID == w.Order.AppointmentID() }))
		}
		m.orderSnap = *w.Order
	} else {
		prev := m.apptSnap[w.Appointment.ID]
		require.Len(t, w.Appointment.History, len(prev.History)+1, "%s: an appointment webhook is one step", name)
		require.True(t, slices.EqualFunc(prev.History, w.Appointment.History[:len(prev.History)],
			func(a, b appointment.HistoryEntry) bool { return reflect.DeepEqual(a, b) }),
			"%s: the appointment's history was rewritten", name)
		require.Equal(t, w.Appointment.EffectiveStatus().EventStatus(), w.Appointment.History[len(prev.History)].Status)
		require.True(t, w.Appointment.IsPhlebotomy())
		m.apptSnap[w.Appointment.ID] = *w.Appointment
	}
	body, err := w.MarshalJSON()
	require.NoError(t, err)
	back, err := webhook.Decode(body)
	require.NoError(t, err)
	back.ID = w.ID
	require.Equal(t, w, back, "%s: the event does not survive its JSON", name)
}

func (m *flowModel) check(t *rapid.T) {
	o := m.o
	// The order's endpoint shows its whole history; the last order webhook
	// showed the same or less.
	snap := o.Snapshot()
	require.Equal(t, o.History, snap.History)
	require.Equal(t, o.Status, snap.Status())
	require.Equal(t, m.orderSnap.History, snap.History[:len(m.orderSnap.History)])
	active := 0
	for _, a := range o.Appointments {
		require.Equal(t, m.apptSeen[a.ID], a.Status, "appointment %s differs from its webhooks", a.ID)
		require.Equal(t, a.Status, a.EventStatus)
		require.NoError(t, appointment.ValidateHistory(a.History))
		require.Equal(t, a.Status.EventStatus(), a.History[len(a.History)-1].Status)
		if a.Status.Active() {
			active++
		}
	}
	require.LessOrEqual(t, active, 1, "at most one active appointment")
	a, ok := o.Active()
	if o.Status == order.Cancelled {
		require.False(t, ok, "a cancelled order keeps an active appointment")
	}
	if o.Requisition {
		require.NotEqual(t, order.Ordered, o.Status)
	}
	if ok {
		// The age rule looks at the appointment's day, or, for a request
		// without one, at the day it was placed, in the patient's zone.
		day := a.PlacedAt
		if !a.StartAt.IsZero() {
			day = a.StartAt
		}
		require.GreaterOrEqual(t, AgeOn(o.Patient.DOB, day.In(o.timeZone())), MinAge,
			"an appointment on a day the patient is 17")
	}
	if !o.Requisition {
		require.Contains(t, []order.Status{order.Ordered, order.Cancelled}, o.Status)
		if ok {
			require.Contains(t, []appointment.Status{appointment.Pending, appointment.Reserved}, a.Status)
			ac, _ := o.AutoCancel()
			if when, _, fires := ac.FiresAt(); fires {
				require.True(t, when.After(o.Clock), "an appointment outlived its auto-cancellation at %v", when)
			}
		}
		return
	}
	switch {
	case !ok:
		require.NotContains(t, []order.Status{order.AppointmentPending, order.AppointmentScheduled}, o.Status,
			"order %v without an active appointment", o.Status)
	case a.Status == appointment.Pending:
		require.Equal(t, order.AppointmentPending, o.Status)
	case a.Status == appointment.Confirmed || a.Status == appointment.InProgress:
		require.Equal(t, order.AppointmentScheduled, o.Status)
	default:
		t.Fatalf("appointment %v after the requisition", a.Status)
	}
	if o.Status == order.AppointmentScheduled {
		require.True(t, ok && (a.Status == appointment.Confirmed || a.Status == appointment.InProgress))
	}
}

// TestRescheduleDataIsOwn writes to the data of one order's reschedule entry
// and checks that another order's entry is untouched: no two entries share
// their bytes.
func TestRescheduleDataIsOwn(t *testing.T) {
	booked := func() Flow {
		o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
		o, _ = must(t)(o.Book(book(72), at(2)))
		o, _ = must(t)(o.Reschedule(at(80), time.Time{}, "", at(3)))
		return o
	}
	last := func(o Flow) appointment.HistoryEntry {
		e := o.Appointments[0].History
		return e[len(e)-1]
	}
	o1, o2 := booked(), booked()
	want := string(last(o2).Data)
	require.JSONEq(t, `{"is_reschedule":true}`, want)
	data := last(o1).Data
	for i := range data {
		data[i] = ' '
	}
	assert.Equal(t, want, string(last(o2).Data), "another order's reschedule entry changed")
	o3 := booked()
	assert.Equal(t, want, string(last(o3).Data), "a later order's reschedule entry changed")
}

// TestSlotOutsideStorableYears refuses slots the appointment record cannot
// encode: a start or an end in the year 10000 or later, or before the year
// 0000, in UTC.
func TestSlotOutsideStorableYears(t *testing.T) {
	y10k := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	lastNs := y10k.Add(-1) // 9999-12-31T23:59:59.999999999Z
	beforeYear0 := time.Date(-1, 12, 31, 23, 0, 0, 0, time.UTC)
	inTokyo := time.Date(10000, 1, 1, 8, 0, 0, 0, time.FixedZone("JST", 9*60*60)) // 9999-12-31T23:00Z
	rangeProblem := func(err error) bool {
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var se *RuleError
			if errors.As(e, &se) && se.Err == ErrSlot && se.Problem == "outside the years 0000 to 9999" {
				return true
			}
		}
		return false
	}
	t.Run("ValidateBooking", func(t *testing.T) {
		for _, c := range []struct {
			name       string
			start, end time.Time
			refused    bool
		}{
			{"start in 10000", y10k, time.Time{}, true},
			{"end in 10000", lastNs.Add(-time.Hour), y10k, true},
			{"last nanosecond of 9999", lastNs.Add(-time.Hour), lastNs, false},
			{"10000 in Tokyo is 9999 in UTC", inTokyo, time.Time{}, false},
			{"start before the year 0", beforeYear0, time.Time{}, true},
			{"end before the year 0", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), beforeYear0, true},
		} {
			t.Run(c.name, func(t *testing.T) {
				b := validBooking()
				b.Start, b.End = c.start, c.end
				err := ValidateBooking(b, now)
				if !c.refused {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, ErrSlot)
				assert.True(t, rangeProblem(err), "%v", err)
			})
		}
	})
	withReq, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	booked, _ := must(t)(withReq.Book(book(72), at(2)))
	requested, _ := must(t)(withReq.Request(request(), at(2)))
	for _, c := range []struct {
		name string
		run  func(start, end time.Time) (Flow, []Webhook, error)
	}{
		{"Book", func(start, end time.Time) (Flow, []Webhook, error) {
			return withReq.Book(BookRequest{Provider: provider.Getlabs, Start: start, End: end}, at(2))
		}},
		{"Reschedule", func(start, end time.Time) (Flow, []Webhook, error) {
			return booked.Reschedule(start, end, "", at(3))
		}},
		{"PencilIn", func(start, end time.Time) (Flow, []Webhook, error) {
			return requested.PencilIn(start, end, at(3))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, slot := range [][2]time.Time{{y10k, time.Time{}}, {at(72), y10k}} {
				_, hooks, err := c.run(slot[0], slot[1])
				require.ErrorIs(t, err, ErrSlot, "slot %v", slot)
				assert.Nil(t, hooks)
			}
			o, _ := must(t)(c.run(lastNs.Add(-time.Hour), lastNs))
			a, _ := o.Active()
			_, err := a.Appointment.MarshalJSON()
			assert.NoError(t, err, "a slot in 9999 encodes")
		})
	}
}

// TestDeadOnArrival refuses, before the requisition, every way of making an
// appointment that an auto-cancellation rule would cancel the moment it is
// made, at the exact boundaries of [AutoCancel.Fires]: exactly 8 hours after
// the order and exactly 2 hours before the start are still allowed.
func TestDeadOnArrival(t *testing.T) {
	const ns = time.Nanosecond
	eight := t0.Add(OrderAgeLimit)
	scheduled := func() Flow {
		o, _ := mustPlace(PlaceOrder{ID: "ord", UserID: "user-1", Patient: jane(), Address: home(), Settings: beta, ActivateBy: adate(1000)}, t0)
		return o
	}
	for _, c := range []struct {
		name string
		run  func() (Flow, []Webhook, error)
		rule Rule      // 0 when accepted
		at   time.Time // when the rule began to hold
	}{
		{"book 8h-1ns after the order", func() (Flow, []Webhook, error) { return place(beta).Book(book(72), eight.Add(-ns)) }, 0, time.Time{}},
		{"book 8h after the order", func() (Flow, []Webhook, error) { return place(beta).Book(book(72), eight) }, 0, time.Time{}},
		{"book 8h+1ns after the order", func() (Flow, []Webhook, error) { return place(beta).Book(book(72), eight.Add(ns)) }, OrderAge, eight.Add(ns)},
		{"book 9h after the order", func() (Flow, []Webhook, error) { return place(beta).Book(book(72), at(9)) }, OrderAge, eight.Add(ns)},
		{"book 9h after a scheduled order", func() (Flow, []Webhook, error) { return scheduled().Book(book(72), at(9)) }, 0, time.Time{}},
		{"request 8h after the order", func() (Flow, []Webhook, error) { return place(beta).Request(request(), eight) }, 0, time.Time{}},
		{"request 8h+1ns after the order", func() (Flow, []Webhook, error) { return place(beta).Request(request(), eight.Add(ns)) }, OrderAge, eight.Add(ns)},
		{"request 9h after a scheduled order", func() (Flow, []Webhook, error) { return scheduled().Request(request(), at(9)) }, 0, time.Time{}},
		{"book 2h+1ns ahead", func() (Flow, []Webhook, error) {
			return place(beta).Book(BookRequest{Provider: provider.Getlabs, Start: at(3).Add(ns)}, at(1))
		}, 0, time.Time{}},
		{"book 2h ahead", func() (Flow, []Webhook, error) {
			return place(beta).Book(BookRequest{Provider: provider.Getlabs, Start: at(3)}, at(1))
		}, 0, time.Time{}},
		{"book 2h-1ns ahead", func() (Flow, []Webhook, error) {
			return place(beta).Book(BookRequest{Provider: provider.Getlabs, Start: at(3).Add(-ns)}, at(1))
		}, StartSoon, at(1).Add(-ns + 1)},
		{"book 90 minutes ahead", func() (Flow, []Webhook, error) {
			return place(beta).Book(BookRequest{Provider: provider.Getlabs, Start: at(2.5)}, at(1))
		}, StartSoon, at(0.5).Add(ns)},
		{"book 90 minutes ahead, scheduled order", func() (Flow, []Webhook, error) {
			return scheduled().Book(BookRequest{Provider: provider.Getlabs, Start: at(2.5)}, at(1))
		}, StartSoon, at(0.5).Add(ns)},
		{"reschedule a reserved appointment 2h ahead", func() (Flow, []Webhook, error) {
			o, _ := must(t)(place(beta).Book(book(72), at(1)))
			return o.Reschedule(at(4), time.Time{}, "", at(2))
		}, 0, time.Time{}},
		{"reschedule a reserved appointment 2h-1ns ahead", func() (Flow, []Webhook, error) {
			o, _ := must(t)(place(beta).Book(book(72), at(1)))
			return o.Reschedule(at(4).Add(-ns), time.Time{}, "", at(2))
		}, StartSoon, at(2).Add(-ns + 1)},
		{"pencil in a pending request 2h ahead", func() (Flow, []Webhook, error) {
			o, _ := must(t)(place(beta).Request(request(), at(1)))
			return o.PencilIn(at(4), time.Time{}, at(2))
		}, 0, time.Time{}},
		{"pencil in a pending request 2h-1ns ahead", func() (Flow, []Webhook, error) {
			o, _ := must(t)(place(beta).Request(request(), at(1)))
			return o.PencilIn(at(4).Add(-ns), time.Time{}, at(2))
		}, StartSoon, at(2).Add(-ns + 1)},
		{"pencil in 90 minutes ahead after the requisition", func() (Flow, []Webhook, error) {
			o, _ := must(t)(place(beta).Request(request(), at(1)))
			o, _ = must(t)(o.CreateRequisition(at(1)))
			return o.PencilIn(at(3.5), time.Time{}, at(2))
		}, 0, time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, hooks, err := c.run()
			if c.rule == 0 {
				require.NoError(t, err)
				for _, hw := range hooks {
					if w := hw.Event(); w.Appointment != nil {
						assert.NotEqual(t, appointment.Cancelled, w.Appointment.EffectiveStatus(), "cancelled in the same command: %v", w)
					}
				}
				_, ok := o.Active()
				assert.True(t, ok)
				return
			}
			require.ErrorIs(t, err, ErrAutoCancel)
			assertAutoCancel(t, err, c.rule, c.at)
			assert.Nil(t, hooks)
		})
	}
	// A reserved appointment is auto-cancelled before it can be
	// rescheduled past the order-age rule.
	o, _ := must(t)(place(beta).Book(book(72), at(1)))
	_, _, err := o.Reschedule(at(80), time.Time{}, "", eight.Add(ns))
	assert.ErrorIs(t, err, ErrNotAllowed)
	_, _ = must(t)(o.Reschedule(at(80), time.Time{}, "", eight))
}

// TestCanReschedule follows can_reschedule through an appointment's
// statuses: only a reserved or confirmed appointment may be rescheduled.
func TestCanReschedule(t *testing.T) {
	active := func(o Flow) Placement { return o.Appointments[len(o.Appointments)-1] }
	o, _ := must(t)(place(beta).Request(request(), at(1)))
	assert.False(t, active(o).CanReschedule, "pending")
	o, _ = must(t)(o.PencilIn(at(50), time.Time{}, at(2)))
	assert.True(t, active(o).CanReschedule, "reserved")
	o, _ = must(t)(o.CreateRequisition(at(3)))
	assert.True(t, active(o).CanReschedule, "confirmed")
	o, _ = must(t)(o.StartVisit(at(49)))
	assert.False(t, active(o).CanReschedule, "in progress")
	done, _ := must(t)(o.CompleteDraw(at(50)))
	assert.False(t, active(done).CanReschedule, "completed")
	cancelled, _ := must(t)(o.Cancel(at(50)))
	assert.False(t, active(cancelled).CanReschedule, "cancelled")
}

// TestBookEnforceLead: the flow books a Getlabs slot less than 48 hours
// away unless the request enforces the lead time.
func TestBookEnforceLead(t *testing.T) {
	o, _ := must(t)(place(Settings{}).CreateRequisition(at(1)))
	r := book(72)
	r.Start = at(1).Add(48*time.Hour - 1) // 48 hours less 1 ns ahead
	_, _, err := o.Book(r, at(1))
	require.NoError(t, err)
	r.EnforceLead = true
	_, hooks, err := o.Book(r, at(1))
	require.ErrorIs(t, err, ErrLeadTime)
	assert.Nil(t, hooks)
	r.Start = at(1).Add(48 * time.Hour)
	_, _, err = o.Book(r, at(1))
	assert.NoError(t, err)
}

// TestNoTransport: the flow, whose commands return webhook events, does not
// bring in HTTP, nor does anything it imports.
func TestNoTransport(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/phlebkit/phlebkit/scheduling", "go list -deps lists the package itself")
	for _, dep := range deps {
		if dep == "net/http" || strings.HasPrefix(dep, "net/http/") {
			t.Errorf("scheduling depends on %s", dep)
		}
	}
}

// canStep reports whether one trigger leads from from to to.
func canStep(from, to order.Status) bool {
	_, ok := order.TriggerFor(from, to)
	return ok
}
