// Command lifecycle walks one at-home phlebotomy order through its
// lifecycle, from ordered to completed with a reschedule and a partial
// result on the way, and prints every transition in both wire forms.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/phlebkit/phlebkit/order"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run writes the walkthrough to w.
func run(w io.Writer) error {
	ctx := context.Background()
	step := 0
	m, err := order.NewMachine(order.Ordered,
		order.AfterAny(func(_ context.Context, t order.Transition) {
			step++
			fmt.Fprintf(w, "%2d. %-24s %s -> %s\n", step, t.Event, t.From, t.To)
			fmt.Fprintf(w, "    %-24s %s -> %s\n", "", t.From.Full(), t.To.Full())
		}),
	)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "Order lifecycle of one at-home phlebotomy order")
	fmt.Fprintf(w, "    %-24s %s (%s)\n", "created", m.Current(), m.Current().Full())
	for _, e := range []order.Event{
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
		m.Current(), m.Current().Terminal(), m.Current().Cancellable(), m.AvailableEvents())
	return nil
}
