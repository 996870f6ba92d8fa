package scheduling_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"
	_ "time/tzdata" // the examples name IANA zones; a program decides whether to embed the database

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

var (
	monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
)

// jane is the order the examples place, under the order id id.
func jane(id string) scheduling.PlaceOrder {
	return scheduling.PlaceOrder{
		ID:      id,
		UserID:  "user-1",
		Patient: order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}, FirstName: "Jane", LastName: "Doe"},
		Address: order.Address{FirstLine: "123 Main St.", SecondLine: "Apt. 208", City: "Phoenix",
			State: "AZ", ZipCode: "85004", AccessNotes: "Gate code #1234"},
	}
}

func show(hooks []scheduling.Webhook, err error) {
	if err != nil {
		fmt.Println(err)
	}
	for _, w := range hooks {
		fmt.Println(w.Event())
	}
}

// The appointment-ready tier: book a slot once the requisition exists.
func ExampleFlow_Book() {
	o, hooks, err := scheduling.Place(jane("ord-1"), monday)
	show(hooks, err)
	o, hooks, err = o.CreateRequisition(monday.Add(2 * time.Hour))
	show(hooks, err)
	o, hooks, err = o.Book(scheduling.BookRequest{
		Provider: provider.Getlabs,
		Start:    monday.Add(50 * time.Hour),
		End:      monday.Add(52 * time.Hour),
		Notes:    "Please bring photo ID",
	}, monday.Add(3*time.Hour))
	show(hooks, err)
	o, hooks, err = o.CompleteDraw(monday.Add(50 * time.Hour))
	show(hooks, err)
	_, hooks, err = o.CompleteResults(monday.Add(100 * time.Hour))
	show(hooks, err)
	// Output:
	// 2026-11-23T09:00:00Z labtest.order.created ord-1 received.at_home_phlebotomy.ordered
	// 2026-11-23T11:00:00Z labtest.order.updated ord-1 received.at_home_phlebotomy.requisition_created
	// 2026-11-23T12:00:00Z labtest.order.updated ord-1 collecting_sample.at_home_phlebotomy.appointment_pending
	// 2026-11-23T12:00:00Z labtest.appointment.created ord-1-a1 pending
	// 2026-11-23T12:00:00Z labtest.order.updated ord-1 collecting_sample.at_home_phlebotomy.appointment_scheduled
	// 2026-11-23T12:00:00Z labtest.appointment.updated ord-1-a1 confirmed
	// 2026-11-25T11:00:00Z labtest.appointment.updated ord-1-a1 completed
	// 2026-11-25T11:00:00Z labtest.order.updated ord-1 collecting_sample.at_home_phlebotomy.draw_completed
	// 2026-11-27T13:00:00Z labtest.order.updated ord-1 completed.at_home_phlebotomy.completed
}

// The appointment-request tier: the appointment waits, pending and without
// a time, until the provider pencils a slot in.
func ExampleFlow_Request() {
	o, _, _ := scheduling.Place(jane("ord-2"), monday)
	o, _, _ = o.CreateRequisition(monday.Add(time.Hour))
	o, hooks, err := o.Request(scheduling.RequestAppointment{Provider: provider.Phlebfinders}, monday.Add(2*time.Hour))
	show(hooks, err)
	a, _ := o.Active()
	fmt.Println("has a time:", !a.StartAt.IsZero())
	o, hooks, err = o.PencilIn(monday.Add(30*time.Hour), monday.Add(31*time.Hour), monday.Add(20*time.Hour))
	show(hooks, err)
	// Output:
	// 2026-11-23T11:00:00Z labtest.order.updated ord-2 collecting_sample.at_home_phlebotomy.appointment_pending
	// 2026-11-23T11:00:00Z labtest.appointment.created ord-2-a1 pending
	// has a time: false
	// 2026-11-24T05:00:00Z labtest.order.updated ord-2 collecting_sample.at_home_phlebotomy.appointment_scheduled
	// 2026-11-24T05:00:00Z labtest.appointment.updated ord-2-a1 confirmed
}

// Booking before the requisition (pre-requisition scheduling, a closed-beta
// feature per team): the appointment is reserved, and Junction cancels it
// if the requisition has not arrived 8 hours after the order.
func ExampleFlow_Tick() {
	p := jane("ord-3")
	p.Settings = scheduling.Settings{PreRequisitionScheduling: true}
	o, _, _ := scheduling.Place(p, monday)
	o, hooks, err := o.Book(scheduling.BookRequest{
		Provider: provider.Getlabs, Start: monday.Add(48 * time.Hour),
	}, monday)
	show(hooks, err)

	ac, _ := o.AutoCancel()
	when, rule, _ := ac.FiresAt()
	fmt.Println("auto-cancels at", when.Format(time.RFC3339Nano), "by", rule)

	o, hooks, err = o.Tick(monday.Add(12 * time.Hour))
	show(hooks, err)
	fmt.Println("order:", o.Status)
	// Output:
	// 2026-11-23T09:00:00Z labtest.appointment.created ord-3-a1 pending
	// 2026-11-23T09:00:00Z labtest.appointment.updated ord-3-a1 reserved
	// auto-cancels at 2026-11-23T17:00:00.000000001Z by order_age
	// 2026-11-23T17:00:00.000000001Z labtest.appointment.updated ord-3-a1 cancelled
	// order: ordered
}

// The requisition arriving in time confirms the reserved appointment.
func ExampleFlow_CreateRequisition() {
	p := jane("ord-4")
	p.Settings = scheduling.Settings{PreRequisitionScheduling: true}
	o, _, _ := scheduling.Place(p, monday)
	o, _, _ = o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: monday.Add(48 * time.Hour)}, monday)
	_, hooks, err := o.CreateRequisition(monday.Add(3 * time.Hour))
	show(hooks, err)
	// Output:
	// 2026-11-23T12:00:00Z labtest.order.updated ord-4 received.at_home_phlebotomy.requisition_created
	// 2026-11-23T12:00:00Z labtest.order.updated ord-4 collecting_sample.at_home_phlebotomy.appointment_pending
	// 2026-11-23T12:00:00Z labtest.order.updated ord-4 collecting_sample.at_home_phlebotomy.appointment_scheduled
	// 2026-11-23T12:00:00Z labtest.appointment.updated ord-4-a1 confirmed
}

// A refused command returns the order unchanged, with every reason.
func ExampleFlow_Book_refused() {
	o, _, _ := scheduling.Place(jane("ord-5"), monday)
	_, _, err := o.Book(scheduling.BookRequest{Provider: provider.Phlebfinders, Start: monday.Add(72 * time.Hour)}, monday)
	fmt.Println(err)
	// Output:
	// scheduling: provider does not offer tier: phlebfinders does not offer appointment-ready
	// scheduling: requisition required
}

// Rescheduling keeps the order in appointment_scheduled and, without new
// notes, keeps the old ones.
func ExampleFlow_Reschedule() {
	o, _, _ := scheduling.Place(jane("ord-6"), monday)
	o, _, _ = o.CreateRequisition(monday)
	o, _, _ = o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: monday.Add(72 * time.Hour), Notes: "Please bring photo ID"}, monday)
	o, hooks, err := o.Reschedule(monday.Add(96*time.Hour), time.Time{}, "", monday.Add(time.Hour))
	show(hooks, err)
	a, _ := o.Active()
	fmt.Println(a.AppointmentNotes)
	// Output:
	// 2026-11-23T10:00:00Z labtest.order.updated ord-6 collecting_sample.at_home_phlebotomy.appointment_scheduled
	// 2026-11-23T10:00:00Z labtest.appointment.updated ord-6-a1 confirmed (reschedule)
	// Please bring photo ID
}

// Placing an order checks that the patient's time zone has an IANA name,
// which every appointment's iana_timezone will carry: the machine's own
// zone, or a fixed zone with a made-up name or the wrong offset, has none.
func ExamplePlace() {
	phoenix, err := time.LoadLocation("America/Phoenix")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, loc := range []*time.Location{
		nil, phoenix, time.FixedZone("EST", -5*60*60),
		time.Local, time.FixedZone("EST", -4*60*60), time.FixedZone("Phoenix", -7*60*60),
	} {
		p := jane("ord-7")
		p.TimeZone = loc
		o, _, err := scheduling.Place(p, monday)
		if err != nil {
			fmt.Println(err)
			continue
		}
		o, _, _ = o.CreateRequisition(monday)
		o, _, _ = o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: monday.Add(72 * time.Hour)}, monday)
		a, _ := o.Active()
		local, err := a.LocalStart()
		fmt.Println(a.IANATimezone, local, err)
	}
	// Output:
	// UTC 2026-11-26 09:00:00 +0000 UTC <nil>
	// America/Phoenix 2026-11-26 02:00:00 -0700 MST <nil>
	// EST 2026-11-26 04:00:00 -0500 EST <nil>
	// scheduling: no IANA time zone: "Local": not an IANA name
	// scheduling: no IANA time zone: "EST": offset differs from the IANA zone on 1970-01-01
	// scheduling: no IANA time zone: "Phoenix": unknown to the zone database
}

// An order is stored between commands as JSON, and loaded back equal.
func ExampleFlow_MarshalJSON() {
	o, _, _ := scheduling.Place(jane("ord-8"), monday)
	o, _, _ = o.CreateRequisition(monday)
	o, _, _ = o.Request(scheduling.RequestAppointment{Provider: provider.Phlebfinders}, monday)
	stored, err := json.Marshal(o)
	if err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := scheduling.DecodeFlow(stored)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("equal:", reflect.DeepEqual(o, loaded))
	a, _ := loaded.Active()
	fmt.Println(a.ID, a.Tier, a.PlacedAt.Format(time.RFC3339), loaded.TimeZone)
	_, hooks, err := loaded.PencilIn(monday.Add(30*time.Hour), time.Time{}, monday.Add(time.Hour))
	show(hooks, err)

	_, err = scheduling.DecodeFlow([]byte(`{"status":"ordered","created_at":"2026-11-23T09:00:00Z","clock":"2026-11-23T09:00:00Z"}`))
	fmt.Println(err)
	// Output:
	// equal: true
	// ord-8-a1 appointment-request 2026-11-23T09:00:00Z UTC
	// 2026-11-23T10:00:00Z labtest.order.updated ord-8 collecting_sample.at_home_phlebotomy.appointment_scheduled
	// 2026-11-23T10:00:00Z labtest.appointment.updated ord-8-a1 confirmed
	// scheduling: decode /time_zone: missing
}

// Decoding a stored order is strict: every fault is a *DecodeError naming
// the field.
func ExampleDecodeFlow() {
	stored := []byte(`{"id":"ord-9","status":"ordered","created_at":"2026-11-23T09:00:00Z","clock":"2026-11-23T09:00:00Z",` +
		`"user_id":"user-1","patient":{"dob":"1990-06-15"},"time_zone":"America/Phoenix",` +
		`"appointments":[{"appointment":{"id":"a1","status":"pending"},"tier":"appointment-request","placed_at":"soon"}]}`)
	_, err := scheduling.DecodeFlow(stored)
	var de *scheduling.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Path, errors.Is(err, scheduling.ErrMalformed))
	}
	fmt.Println(err)
	// Output:
	// /appointments/0/placed_at true
	// scheduling: decode /appointments/0/placed_at: malformed time "soon", want RFC 3339 with a zone designator
}

// A booking with asynchronous confirmation stays pending until the provider
// confirms it.
func ExampleFlow_Confirm() {
	o, _, _ := scheduling.Place(jane("ord-10"), monday)
	o, _, _ = o.CreateRequisition(monday.Add(time.Hour))
	o, hooks, err := o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: monday.Add(72 * time.Hour),
		End: monday.Add(74 * time.Hour), Async: true}, monday.Add(2*time.Hour))
	show(hooks, err)
	_, hooks, err = o.Confirm(monday.Add(2*time.Hour + time.Minute))
	show(hooks, err)
	// Output:
	// 2026-11-23T11:00:00Z labtest.order.updated ord-10 collecting_sample.at_home_phlebotomy.appointment_pending
	// 2026-11-23T11:00:00Z labtest.appointment.created ord-10-a1 pending
	// 2026-11-23T11:01:00Z labtest.order.updated ord-10 collecting_sample.at_home_phlebotomy.appointment_scheduled
	// 2026-11-23T11:01:00Z labtest.appointment.updated ord-10-a1 confirmed
}

// Every order webhook carries the order as Junction's order endpoint
// returns it: its whole status history, and its latest appointment.
func ExampleFlow_Snapshot() {
	p := jane("ord-11")
	p.TeamID = "team-1"
	o, _, _ := scheduling.Place(p, monday)
	o, _, _ = o.CreateRequisition(monday.Add(time.Hour))
	o, hooks, _ := o.Request(scheduling.RequestAppointment{Provider: provider.Phlebfinders}, monday.Add(2*time.Hour))
	s := o.Snapshot()
	for _, e := range s.History {
		fmt.Println(e.ID, e.CreatedAt.Format(time.RFC3339), e.Status.Full())
	}
	fmt.Println("appointment:", s.AppointmentID(), "zip:", s.Address.ZipCode, "high-level:", s.HighLevel)
	fmt.Println("the last webhook carries the same:", hooks[0].ID, len(hooks[0].Event().Order.History) == len(s.History))
	// Output:
	// 1 2026-11-23T09:00:00Z received.at_home_phlebotomy.ordered
	// 2 2026-11-23T10:00:00Z received.at_home_phlebotomy.requisition_created
	// 3 2026-11-23T11:00:00Z collecting_sample.at_home_phlebotomy.appointment_pending
	// appointment: ord-11-a1 zip: 85004 high-level: collecting_sample
	// the last webhook carries the same: msg_ord-11_o3 true
}

// A command's webhooks hold what their events are built from; Event gives
// each as the consumer receives it, with its order or appointment
// snapshot as it was at that change, however the flow moves on.
func ExampleWebhook_Event() {
	p := jane("ord-12")
	p.TeamID = "team-1"
	o, _, _ := scheduling.Place(p, monday)
	o, hooks, _ := o.CreateRequisition(monday.Add(time.Hour))
	_, _, _ = o.Cancel(monday.Add(2 * time.Hour))
	for _, w := range hooks {
		e := w.Event()
		fmt.Println(w.ID, w.Type, e.TeamID, e.Order.ID, len(e.Order.History), e.Order.Status().Full())
	}
	// Output:
	// msg_ord-12_o2 labtest.order.updated team-1 ord-12 2 received.at_home_phlebotomy.requisition_created
}
