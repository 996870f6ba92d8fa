// Command lifecycle walks one at-home phlebotomy order through its
// lifecycle, from ordered to completed with a reschedule and a partial
// result on the way, and prints every transition in both wire forms. It
// then runs the same story through the coupled order and appointment flow,
// booking before the requisition exists, and prints the webhooks Junction
// would send; and shows an appointment auto-cancelled for want of a
// requisition.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run writes the walkthrough to w.
func run(w io.Writer) error {
	if err := walkOrder(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if err := walkFlow(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return walkAutoCancel(w)
}

// walkOrder fires the order lifecycle's events on a machine.
func walkOrder(w io.Writer) error {
	ctx := context.Background()
	step := 0
	m, err := order.NewMachine(order.Ordered,
		order.AfterAny(func(_ context.Context, t order.Transition) {
			step++
			fmt.Fprintf(w, "%2d. %-24s %s -> %s\n", step, t.Trigger, t.From, t.To)
			fmt.Fprintf(w, "    %-24s %s -> %s\n", "", t.From.Full(), t.To.Full())
		}),
	)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "Order lifecycle of one at-home phlebotomy order")
	fmt.Fprintf(w, "    %-24s %s (%s)\n", "created", m.Current(), m.Current().Full())
	for _, e := range []order.Trigger{
		order.CreateRequisition,     // the lab accepted the requisition
		order.PlaceAppointment,      // an appointment exists, no date yet
		order.ScheduleAppointment,   // the patient picked a slot
		order.RescheduleAppointment, // and moved it
		order.CompleteDraw,          // the phlebotomist drew the blood
		order.ReceivePartialResults, // the lab published some results
		order.Complete,              // and then all of them
	} {
		if err := m.Fire(ctx, e); err != nil {
			return err
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "What the table refuses:")
	if err := m.Fire(ctx, order.Cancel); err != nil {
		fmt.Fprintf(w, "    %v\n", err)
	}
	fmt.Fprintf(w, "    %s is terminal: %t; cancellable: %t; next: %v\n",
		m.Current(), m.Current().Terminal(), m.Current().Cancellable(), m.AvailableTriggers())
	return nil
}

// Fixed instants: the walkthrough's output never depends on the clock.
var (
	monday  = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	patient = order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}}
	address = order.Address{
		FirstLine: "123 Main St.", SecondLine: "Apt. 208", City: "Phoenix", State: "AZ", ZipCode: "85004",
		AccessNotes: "Gate code #1234, use side entrance",
	}
	beta = scheduling.Settings{PreRequisitionScheduling: true, PartialResultsWebhooks: true}
)

func hours(h int) time.Time { return monday.Add(time.Duration(h) * time.Hour) }

// walkFlow runs one order and its appointment through the coupled flow and
// prints the webhooks of every step.
func walkFlow(w io.Writer) error {
	fmt.Fprintln(w, "The same order with its appointment, and the webhooks Junction sends")
	o, hooks, err := scheduling.Place(scheduling.PlaceOrder{ID: "ord-1", TeamID: "team-1", UserID: "user-1", Patient: patient,
		Address: address, Settings: beta}, monday)
	if err != nil {
		return err
	}
	printHooks(w, "place the order", hooks)

	steps := []struct {
		what string
		do   func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error)
	}{
		{"book Getlabs before the requisition", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(50), End: hours(52),
				Notes: "Please bring photo ID"}, hours(0))
		}},
		{"the requisition is created", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CreateRequisition(hours(3))
		}},
		{"the patient moves the visit", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Reschedule(hours(74), hours(76), "", hours(5))
		}},
		{"the phlebotomist is on the way", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.StartVisit(hours(73))
		}},
		{"the blood is drawn", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteDraw(hours(74))
		}},
		{"partial results", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.ReceivePartialResults(hours(90))
		}},
		{"final results", func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteResults(hours(120))
		}},
	}
	for _, s := range steps {
		next, hooks, err := s.do(o)
		if err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
		o = next
		printHooks(w, s.what, hooks)
	}
	a := o.Appointments[0]
	fmt.Fprintf(w, "    appointment %s history:", a.ID)
	for _, e := range a.History {
		fmt.Fprintf(w, " %s", e.Status)
	}
	fmt.Fprintf(w, " (valid: %t)\n", appointment.ValidateHistory(a.History) == nil)
	// Every order webhook carries the order's whole history, as the order
	// endpoint does.
	snap := o.Snapshot()
	fmt.Fprintf(w, "    order %s history:", snap.ID)
	for _, e := range snap.History {
		fmt.Fprintf(w, " %d:%s", e.ID, e.Status)
	}
	_, err = order.ValidateHistory(snap.History)
	fmt.Fprintf(w, " (valid: %t)\n", err == nil)
	return nil
}

// walkAutoCancel books before the requisition and lets the clock run.
func walkAutoCancel(w io.Writer) error {
	fmt.Fprintln(w, "No requisition: Junction cancels the appointment")
	o, _, err := scheduling.Place(scheduling.PlaceOrder{ID: "ord-2", UserID: "user-1", Patient: patient, Address: address,
		Settings: beta}, monday)
	if err != nil {
		return err
	}
	o, hooks, err := o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(48)}, hours(0))
	if err != nil {
		return err
	}
	printHooks(w, "book Getlabs 48 hours ahead", hooks)
	ac, _ := o.AutoCancel()
	for _, d := range scheduling.Deadlines(ac, provider.Getlabs) {
		fmt.Fprintf(w, "    deadline %-20s %s\n", d.Kind, when(d.At))
	}
	o, hooks, err = o.Tick(hours(12))
	if err != nil {
		return err
	}
	printHooks(w, "12 hours later", hooks)
	fmt.Fprintf(w, "    order still %s; a new appointment can be booked\n", o.Status)
	return nil
}

func printHooks(w io.Writer, what string, hooks []scheduling.Webhook) {
	fmt.Fprintf(w, "  %s\n", what)
	if len(hooks) == 0 {
		fmt.Fprintln(w, "    (no webhook)")
	}
	for _, hook := range hooks {
		// The event as the consumer receives it. Its summary starts with
		// the instant in full; print it to the minute.
		h := hook.Event()
		_, summary, _ := strings.Cut(h.String(), " ")
		fmt.Fprintf(w, "    %s %s\n", clock(h.At()), summary)
	}
}

// clock prints an instant to the minute, in UTC.
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04Z07:00") }

// when prints when a deadline falls. An auto-cancellation rule holds once
// its limit has passed, so its deadline is an instant just after a whole
// minute: printed as after that minute.
func when(t time.Time) string {
	if m := t.Truncate(time.Minute); !m.Equal(t) {
		return "after " + clock(m)
	}
	return "at " + clock(t)
}
