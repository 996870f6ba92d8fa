package order_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/phlebkit/phlebkit/order"
)

func ExampleNext() {
	s, err := order.Next(order.AppointmentScheduled, order.CompleteDraw)
	fmt.Println(s, err)

	// A forbidden event leaves the status as it was.
	s, err = order.Next(order.Completed, order.Cancel)
	fmt.Println(s, err)
	fmt.Println(errors.Is(err, order.ErrInvalidTransition))

	var te *order.TransitionError
	if errors.As(err, &te) {
		fmt.Println(te.From.Full(), te.Trigger)
	}
	// Output:
	// draw_completed <nil>
	// completed order: invalid transition: cancel from completed
	// true
	// completed.at_home_phlebotomy.completed cancel
}

func ExampleParseStatus() {
	// Webhook events carry the full form, order_transaction the low-level one.
	for _, text := range []string{
		"collecting_sample.at_home_phlebotomy.appointment_scheduled",
		"appointment_scheduled",
		"completed.walk_in_test.completed",
	} {
		s, err := order.ParseStatus(text)
		if errors.Is(err, order.ErrUnknownStatus) {
			fmt.Println("skip:", err)
			continue
		}
		fmt.Println(s, s.HighLevel(), s.Full())
	}
	// Output:
	// appointment_scheduled collecting_sample collecting_sample.at_home_phlebotomy.appointment_scheduled
	// appointment_scheduled collecting_sample collecting_sample.at_home_phlebotomy.appointment_scheduled
	// skip: order: unknown status "completed.walk_in_test.completed"
}

func ExampleHighLevel_UnmarshalText() {
	// The deprecated top-level status field carries only the high-level part.
	var h order.HighLevel
	err := h.UnmarshalText([]byte("collecting_sample"))
	fmt.Println(h, err, order.AppointmentScheduled.HighLevel() == h)
	err = h.UnmarshalText([]byte("on_hold"))
	fmt.Println(h, err)
	// Output:
	// collecting_sample <nil> true
	// collecting_sample order: unknown high-level status "on_hold"
}

func ExampleStatus_MarshalText() {
	var doc struct {
		Status order.Status `json:"status"`
	}
	_ = json.Unmarshal([]byte(`{"status":"received.at_home_phlebotomy.requisition_created"}`), &doc)
	out, _ := json.Marshal(doc)
	fmt.Println(string(out))
	// Output:
	// {"status":"requisition_created"}
}

func ExampleStatus_Cancellable() {
	for _, s := range []order.Status{order.DrawCompleted, order.PartialResults} {
		fmt.Println(s, s.Cancellable(), s.Terminal())
	}
	// Output:
	// draw_completed true false
	// partial_results false false
}

func ExampleStatus_Triggers() {
	fmt.Println(order.AppointmentScheduled.Triggers())
	// Output:
	// [reschedule_appointment cancel_appointment complete_draw cancel]
}

func ExampleTriggerFor() {
	e, ok := order.TriggerFor(order.AppointmentCancelled, order.AppointmentScheduled)
	fmt.Println(e, ok)
	_, ok = order.TriggerFor(order.Ordered, order.AppointmentScheduled)
	fmt.Println(ok)
	// Output:
	// schedule_appointment true
	// false
}

func ExamplePath() {
	// An older webhook example jumps from requisition_created straight to
	// appointment_scheduled: not one transition, but a valid path.
	path, ok := order.Path(order.RequisitionCreated, order.AppointmentScheduled)
	fmt.Println(ok)
	for _, t := range path {
		fmt.Println(t.From, "--"+t.Trigger.String()+"->", t.To)
	}
	_, ok = order.Path(order.Completed, order.Ordered)
	fmt.Println(ok)
	// Output:
	// true
	// requisition_created --place_appointment-> appointment_pending
	// appointment_pending --schedule_appointment-> appointment_scheduled
	// false
}

func ExampleReachable() {
	fmt.Println(order.Reachable(order.PartialResults, order.Corrected))
	fmt.Println(order.Reachable(order.Completed, order.Cancelled))
	// Output:
	// true
	// false
}

func ExampleTransitions() {
	for _, t := range order.Transitions() {
		if t.From == order.DrawCompleted {
			fmt.Println(t.From, "--"+t.Trigger.String()+"->", t.To)
		}
	}
	// Output:
	// draw_completed --receive_partial_results-> partial_results
	// draw_completed --complete-> completed
	// draw_completed --report_sample_error-> sample_error
	// draw_completed --cancel-> cancelled
}

func ExampleParseTrigger() {
	e, err := order.ParseTrigger("schedule_appointment")
	fmt.Println(e, err)
	_, err = order.ParseTrigger("schedule")
	fmt.Println(errors.Is(err, order.ErrUnknownTrigger))
	// Output:
	// schedule_appointment <nil>
	// true
}

func ExampleNewMachine() {
	m, err := order.NewMachine(order.Ordered,
		order.OnEnter(order.AppointmentScheduled, func(_ context.Context, t order.Transition) {
			fmt.Println("notify patient:", t.Trigger)
		}),
		order.AfterAny(func(_ context.Context, t order.Transition) {
			fmt.Println(t.From, "->", t.To)
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for _, e := range []order.Trigger{
		order.CreateRequisition,
		order.PlaceAppointment,
		order.ScheduleAppointment,
		order.RescheduleAppointment,
		order.Complete, // forbidden before the draw
	} {
		if err := m.Fire(ctx, e); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(m.Current(), m.AvailableTriggers())
	// Output:
	// ordered -> requisition_created
	// requisition_created -> appointment_pending
	// notify patient: schedule_appointment
	// appointment_pending -> appointment_scheduled
	// notify patient: reschedule_appointment
	// appointment_scheduled -> appointment_scheduled
	// order: invalid transition: complete from appointment_scheduled
	// appointment_scheduled [reschedule_appointment cancel_appointment complete_draw cancel]
}

func ExampleMermaid() {
	fmt.Print(order.Mermaid())
	// Output:
	// stateDiagram-v2
	//     [*] --> ordered
	//     ordered --> requisition_created: create_requisition
	//     ordered --> requisition_bypassed: bypass_requisition
	//     ordered --> cancelled: cancel
	//     requisition_created --> appointment_pending: place_appointment
	//     requisition_created --> cancelled: cancel
	//     requisition_bypassed --> appointment_pending: place_appointment
	//     requisition_bypassed --> cancelled: cancel
	//     appointment_pending --> appointment_scheduled: schedule_appointment
	//     appointment_pending --> appointment_cancelled: cancel_appointment
	//     appointment_pending --> cancelled: cancel
	//     appointment_scheduled --> appointment_scheduled: reschedule_appointment
	//     appointment_scheduled --> appointment_cancelled: cancel_appointment
	//     appointment_scheduled --> draw_completed: complete_draw
	//     appointment_scheduled --> cancelled: cancel
	//     draw_completed --> partial_results: receive_partial_results
	//     draw_completed --> completed: complete
	//     draw_completed --> sample_error: report_sample_error
	//     draw_completed --> cancelled: cancel
	//     appointment_cancelled --> appointment_pending: place_appointment
	//     appointment_cancelled --> appointment_scheduled: schedule_appointment
	//     appointment_cancelled --> cancelled: cancel
	//     partial_results --> partial_results: receive_partial_results
	//     partial_results --> completed: complete
	//     partial_results --> sample_error: report_sample_error
	//     completed --> corrected: correct_results
	//     corrected --> corrected: correct_results
	//     sample_error --> [*]
	//     cancelled --> [*]
}

func ExampleStatus_Full() {
	s := order.PartialResults
	fmt.Println(s.String())
	fmt.Println(s.Full())
	fmt.Println(s.HighLevel())
	// Output:
	// partial_results
	// sample_with_lab.at_home_phlebotomy.partial_results
	// sample_with_lab
}
