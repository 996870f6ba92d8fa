package scheduling_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/tier"
)

func ExampleValidateBooking() {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	b := scheduling.Booking{
		Tier:      tier.AppointmentReady,
		Provider:  provider.Getlabs,
		BirthDate: order.Date{Year: 2009, Month: time.January, Day: 1},
		Address: order.Address{
			FirstLine: "West Lincoln Street", City: "Phoenix", State: "AZ", ZipCode: "85004",
			Unit: "14", AccessNotes: "Gate code #1234, use side entrance",
		},
		Start: time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC),
		Existing: []appointment.Appointment{
			{ID: "413d7205", Provider: provider.Getlabs, Status: appointment.Confirmed},
		},
	}
	err := scheduling.ValidateBooking(b, now)
	fmt.Println(errors.Is(err, scheduling.ErrUnderage), errors.Is(err, scheduling.ErrAddress))
	fmt.Println(err)
	// Output:
	// true true
	// scheduling: patient under 18: 17 on 2026-11-24 (born 2009-01-01)
	// scheduling: unreachable address: first_line: no street number before the street name
	// scheduling: active appointment exists: with getlabs: 413d7205
}

// Before the requisition exists, a booking that an auto-cancellation rule
// would cancel the moment it is made is refused.
func ExampleValidateBooking_preRequisition() {
	now := time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)
	b := scheduling.Booking{
		Tier:      tier.AppointmentReady,
		Provider:  provider.Getlabs,
		BirthDate: order.Date{Year: 1990, Month: time.June, Day: 15},
		Address:   order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
		Start:     time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC),
		PreRequisition: &scheduling.PreRequisition{
			OrderCreatedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), // 9 hours ago
		},
	}
	err := scheduling.ValidateBooking(b, now)
	var re *scheduling.RuleError
	if errors.As(err, &re) && errors.Is(re, scheduling.ErrAutoCancel) {
		d := re.Value.(scheduling.Deadline)
		fmt.Println(d.Kind, d.At.Format(time.RFC3339Nano))
	}
	fmt.Println(err)

	b.PreRequisition = nil // the requisition exists
	fmt.Println(scheduling.ValidateBooking(b, now))
	// Output:
	// cancel_order_age 2026-11-21T17:00:00.000000001Z
	// scheduling: would be auto-cancelled at once: order_age holds since 2026-11-21T17:00:00.000000001Z
	// <nil>
}

func ExampleAgeOn() {
	leapling := order.Date{Year: 2008, Month: time.February, Day: 29}
	for _, day := range []time.Time{
		time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
	} {
		fmt.Println(day.Format(time.DateOnly), scheduling.AgeOn(leapling, day), scheduling.CheckAge(leapling, day))
	}
	// Output:
	// 2026-02-28 17 scheduling: patient under 18: 17 on 2026-02-28 (born 2008-02-29)
	// 2026-03-01 18 <nil>
}

func ExampleValidateAddress() {
	for _, line := range []string{"123 Main St.", "1200-1210 Broadway", "N89W16758 Appleton Ave", "123½ Main St", "West Lincoln Street"} {
		err := scheduling.ValidateAddress(order.Address{FirstLine: line, City: "Phoenix", State: "AZ", ZipCode: "85004-1234"})
		fmt.Printf("%-23s %v\n", line, err)
	}
	// Output:
	// 123 Main St.            <nil>
	// 1200-1210 Broadway      <nil>
	// N89W16758 Appleton Ave  <nil>
	// 123½ Main St            <nil>
	// West Lincoln Street     scheduling: unreachable address: first_line: no street number before the street name
}

func ExampleCheckNotes() {
	long := make([]rune, 1001)
	for i := range long {
		long[i] = 'é'
	}
	fmt.Println(scheduling.CheckNotes("Gate code #1234", string(long)))
	// Output:
	// scheduling: notes too long: appointment_notes has 1001 characters, at most 1000
}

func ExampleCheckActive() {
	existing := []appointment.Appointment{
		{ID: "a1", Provider: provider.Getlabs, Status: appointment.Completed},
		{ID: "a2", Provider: provider.Phlebfinders, Status: appointment.Pending},
	}
	fmt.Println(scheduling.CheckActive(provider.Getlabs, existing))
	fmt.Println(scheduling.CheckActive(provider.Phlebfinders, existing))
	// Output:
	// <nil>
	// scheduling: active appointment exists: with phlebfinders: a2
}

func ExampleAutoCancel() {
	created := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	a := scheduling.AutoCancel{
		OrderCreatedAt: created,
		Start:          time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC),
	}
	for _, after := range []time.Duration{8 * time.Hour, 8*time.Hour + time.Nanosecond} {
		rule, fires := a.Fires(created.Add(after))
		fmt.Println(after, fires, rule)
	}
	at, rule, _ := a.FiresAt()
	fmt.Println("set a timer for", at.Format(time.RFC3339Nano), rule)

	a.Requisition = true
	_, fires := a.Fires(created.Add(24 * time.Hour))
	fmt.Println("with a requisition:", fires)
	// Output:
	// 8h0m0s false scheduling.Rule(0)
	// 8h0m0.000000001s true order_age
	// set a timer for 2026-11-21T17:00:00.000000001Z order_age
	// with a requisition: false
}

func ExampleAutoCancel_startSoon() {
	// A scheduled order (activate_by set) is not subject to rule 1; rule 2
	// fires when fewer than 2 hours remain.
	a := scheduling.AutoCancel{
		OrderCreatedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC),
		ActivateBy:     order.Date{Year: 2026, Month: time.December, Day: 1},
		Start:          time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC),
	}
	for _, now := range []time.Time{
		time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 22, 14, 1, 0, 0, time.UTC),
	} {
		rule, fires := a.Fires(now)
		fmt.Println(now.Format(time.Kitchen), fires, rule)
	}
	// Output:
	// 2:00PM false scheduling.Rule(0)
	// 2:01PM true start_soon
}

func ExampleCheckLead() {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	err := scheduling.CheckLead(provider.Getlabs, now.Add(30*time.Hour), now)
	fmt.Println(err)
	fmt.Println("48h ahead warns:", scheduling.CheckLead(provider.Getlabs, now.Add(48*time.Hour), now) != nil)
	// Output:
	// scheduling: booked too close to the start: getlabs booking 30h ahead, 48h recommended
	// 48h ahead warns: false
}

func ExampleProviderRescheduleAt() {
	start := time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	at, ok := scheduling.ProviderRescheduleAt(provider.Getlabs, start)
	fmt.Println(at.Format(time.RFC3339), ok)
	// Output:
	// 2026-11-23T16:00:00Z true
}

func ExampleDeadlines() {
	// An order placed and booked with Getlabs at once, 48 hours ahead: if no
	// requisition arrives, Junction cancels after 8 hours, long before
	// Getlabs would reschedule and text the patient.
	created := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	a := scheduling.AutoCancel{OrderCreatedAt: created, Start: created.Add(48 * time.Hour)}
	for _, d := range scheduling.Deadlines(a, provider.Getlabs) {
		fmt.Println(d.At.Format(time.RFC3339), d.Kind)
	}
	// Output:
	// 2026-11-21T17:00:00Z cancel_order_age
	// 2026-11-22T09:00:00Z provider_reschedule
	// 2026-11-23T07:00:00Z cancel_start_soon
}

func ExampleRefundable() {
	start := time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	fmt.Println(scheduling.Refundable(start, start.Add(-25*time.Hour)))
	fmt.Println(scheduling.Refundable(start, start.Add(-24*time.Hour)))
	fmt.Println("refunded if cancelled before", scheduling.RefundDeadline(start).Format(time.RFC3339))
	// Output:
	// true
	// false
	// refunded if cancelled before 2026-11-23T16:00:00Z
}

func ExampleNotesForReschedule() {
	booked := appointment.Appointment{
		Address:          order.Address{AccessNotes: "Gate code #1234"},
		AppointmentNotes: "Please bring photo ID",
	}
	fmt.Printf("%+v\n", scheduling.NotesForBooking(booked.Address, "Please bring photo ID"))
	fmt.Printf("%+v\n", scheduling.NotesForReschedule(booked, ""))
	fmt.Printf("%+v\n", scheduling.NotesForReschedule(booked, "Patient prefers left arm"))
	// Output:
	// {AccessNotes:Gate code #1234 AppointmentNotes:Please bring photo ID}
	// {AccessNotes:Gate code #1234 AppointmentNotes:Please bring photo ID}
	// {AccessNotes:Gate code #1234 AppointmentNotes:Patient prefers left arm}
}

// A back end books from the order Junction returned: before its
// requisition exists, the auto-cancellation rules apply to the booking.
func ExamplePreRequisitionOf() {
	o := order.Order{
		ID:        "ord-1",
		CreatedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC),
		Details:   order.Details{Type: order.ModalityAtHomePhlebotomy},
		History: []order.HistoryEntry{
			{ID: 1, CreatedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), Status: order.Ordered},
		},
	}
	b := scheduling.Booking{
		Tier:           tier.AppointmentReady,
		Provider:       provider.Getlabs,
		BirthDate:      order.Date{Year: 1990, Month: time.June, Day: 15},
		Address:        order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
		Start:          time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC),
		PreRequisition: scheduling.PreRequisitionOf(o),
	}
	fmt.Println(scheduling.ValidateBooking(b, time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)))

	o.History = append(o.History, order.HistoryEntry{ID: 2, CreatedAt: time.Date(2026, 11, 21, 19, 0, 0, 0, time.UTC),
		Status: order.RequisitionCreated})
	b.PreRequisition = scheduling.PreRequisitionOf(o)
	fmt.Println(b.PreRequisition == nil, scheduling.ValidateBooking(b, time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)))
	// Output:
	// scheduling: would be auto-cancelled at once: order_age holds since 2026-11-21T17:00:00.000000001Z
	// true <nil>
}

// Rescheduling an appointment: it does not count against the rule of one
// active appointment per provider, which it would break as a new booking.
func ExampleBooking_rescheduling() {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	b := scheduling.Booking{
		Tier:      tier.AppointmentReady,
		Provider:  provider.Getlabs,
		BirthDate: order.Date{Year: 1990, Month: time.June, Day: 15},
		Address:   order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
		Start:     time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC),
		Existing: []appointment.Appointment{
			{ID: "413d7205", Provider: provider.Getlabs, Status: appointment.Confirmed},
		},
	}
	fmt.Println(scheduling.ValidateBooking(b, now))
	b.Rescheduling = "413d7205"
	fmt.Println(scheduling.ValidateBooking(b, now))
	// Output:
	// scheduling: active appointment exists: with getlabs: 413d7205
	// <nil>
}

// A team that wants the Getlabs lead time as a rule enforces it.
func ExampleBooking_enforceLead() {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	b := scheduling.Booking{
		Tier:      tier.AppointmentReady,
		Provider:  provider.Getlabs,
		BirthDate: order.Date{Year: 1990, Month: time.June, Day: 15},
		Address:   order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
		Start:     now.Add(30 * time.Hour),
	}
	fmt.Println(scheduling.ValidateBooking(b, now))
	b.EnforceLead = true
	err := scheduling.ValidateBooking(b, now)
	fmt.Println(errors.Is(err, scheduling.ErrLeadTime), err)
	// Output:
	// <nil>
	// true scheduling: booked too close to the start: getlabs booking 30h ahead, 48h recommended
}
