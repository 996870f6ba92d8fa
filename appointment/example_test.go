package appointment_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
	_ "time/tzdata" // examples must not depend on the system's zone database

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/provider"
)

func ExampleNext() {
	s, err := appointment.Next(appointment.Confirmed, appointment.Start)
	fmt.Println(s, err)

	// A reschedule keeps the status.
	s, err = appointment.Next(appointment.Confirmed, appointment.Reschedule)
	fmt.Println(s, err)

	// A forbidden event leaves the status as it was.
	s, err = appointment.Next(appointment.Completed, appointment.Cancel)
	fmt.Println(s, err)
	fmt.Println(errors.Is(err, appointment.ErrInvalidTransition))
	// Output:
	// in_progress <nil>
	// confirmed <nil>
	// completed appointment: invalid transition: cancel from completed
	// true
}

func ExampleParseStatus() {
	// The API's status, the event status and the older spellings all parse;
	// an unknown status is an error the caller can skip.
	for _, text := range []string{"confirmed", "scheduled", "in-progress", "no_show"} {
		s, err := appointment.ParseStatus(text)
		if errors.Is(err, appointment.ErrUnknownStatus) {
			fmt.Println("skip:", err)
			continue
		}
		fmt.Println(s, s.EventStatus(), s.Active())
	}
	// Output:
	// confirmed scheduled true
	// confirmed scheduled true
	// in_progress in_progress true
	// skip: appointment: unknown status "no_show"
}

func ExampleDecode() {
	// The data of a labtest.appointment.updated webhook: start_at without a
	// zone designator is UTC.
	data := []byte(`{
	  "id": "06c2c65b-74a0-4f25-a4a9-44f796296355",
	  "start_at": "2022-01-01T00:00:00",
	  "iana_timezone": "America/New_York",
	  "provider": "getlabs",
	  "status": "pending",
	  "event_status": "scheduled",
	  "event_data": {"origin": "patient", "is_reschedule": true}
	}`)
	a, err := appointment.Decode(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Status, a.EventStatus, a.EffectiveStatus())
	fmt.Println(a.StartAt.Format(time.RFC3339), a.EventData.Origin, a.EventData.IsReschedule)
	// Output:
	// pending confirmed confirmed
	// 2022-01-01T00:00:00Z patient true
}

func ExampleDecode_errors() {
	for _, body := range []string{
		`{"id": "a", "status": "no_show"}`,
		`{"id": "a", "start_at": "tomorrow"}`,
		`{"id": "a", "can_reschedule": "yes"}`,
		`{"id": "a", "events": [{"status": "pending"}, {"status": "scheduled", "status": "pending"}]}`,
	} {
		a, err := appointment.Decode([]byte(body))
		var de *appointment.DecodeError
		errors.As(err, &de)
		fmt.Printf("%s: unknown=%t malformed=%t id=%q\n", de.Path,
			errors.Is(err, appointment.ErrUnknownStatus), errors.Is(err, appointment.ErrMalformed), a.ID)
	}
	// Output:
	// /status: unknown=true malformed=false id="a"
	// /start_at: unknown=false malformed=true id=""
	// /can_reschedule: unknown=false malformed=true id=""
	// /events/1/status: unknown=false malformed=true id=""
}

func ExampleMachine() {
	m, err := appointment.NewMachine(appointment.Confirmed,
		appointment.OnEnter(appointment.Confirmed, func(_ context.Context, t appointment.Transition) {
			fmt.Println("enter", t.To, "by", t.Trigger)
		}),
		appointment.AfterAny(func(_ context.Context, t appointment.Transition) {
			fmt.Println("after", t.From, "→", t.To)
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	fmt.Println(m.Fire(ctx, appointment.Reschedule))
	fmt.Println(m.Fire(ctx, appointment.Reserve))
	fmt.Println(m.Current(), m.AvailableTriggers())
	// Output:
	// enter confirmed by reschedule
	// after confirmed → confirmed
	// <nil>
	// appointment: invalid transition: reserve from confirmed
	// confirmed [reschedule start complete cancel]
}

func ExampleValidateHistory() {
	t0 := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	entry := func(h int, status string) appointment.HistoryEntry {
		return appointment.HistoryEntry{CreatedAt: t0.Add(time.Duration(h) * time.Hour), Status: status}
	}
	// Junction's own example: scheduled twice (a reschedule), then completed
	// without in_progress.
	fmt.Println(appointment.ValidateHistory([]appointment.HistoryEntry{
		entry(0, "scheduled"), entry(1, "scheduled"), entry(2, "completed"),
	}))

	err := appointment.ValidateHistory([]appointment.HistoryEntry{
		entry(0, "pending"), entry(1, "scheduled"), entry(2, "completed"), entry(3, "scheduled"),
	})
	var he *appointment.TransitionError
	if errors.As(err, &he) {
		fmt.Println(he.Index, he.From, he.To, errors.Is(err, appointment.ErrInvalidTransition))
	}
	fmt.Println(err)
	// Output:
	// <nil>
	// 3 completed confirmed true
	// appointment: invalid history: events[3]: completed to confirmed: invalid transition
}

func ExampleAppointment_LocalStart() {
	a := appointment.Appointment{
		StartAt:      time.Date(2023, 5, 15, 16, 0, 0, 0, time.UTC),
		IANATimezone: "America/Phoenix",
	}
	start, err := a.LocalStart()
	fmt.Println(start, err)

	a.IANATimezone = ""
	_, err = a.LocalStart()
	fmt.Println(err, errors.Is(err, appointment.ErrUnknownZone))

	_, err = appointment.Appointment{IANATimezone: "America/Phoenix"}.LocalStart()
	fmt.Println(err)
	// Output:
	// 2023-05-15 09:00:00 -0700 MST <nil>
	// appointment: unknown time zone "" true
	// appointment: no start time
}

func ExampleParseTime() {
	for _, text := range []string{"2022-01-01T00:00:00", "2023-05-15T09:00:00.5-07:00", "2022-01-01"} {
		t, err := appointment.ParseTime(text)
		fmt.Println(t, err)
	}
	// Output:
	// 2022-01-01 00:00:00 +0000 UTC <nil>
	// 2023-05-15 16:00:00.5 +0000 UTC <nil>
	// 0001-01-01 00:00:00 +0000 UTC appointment: malformed time "2022-01-01"
}

func ExamplePath() {
	// A consumer that last saw pending and now sees completed missed
	// webhooks; the shortest path says which.
	path, ok := appointment.Path(appointment.Pending, appointment.Completed)
	fmt.Println(ok)
	for _, t := range path {
		fmt.Println(t.From, t.Trigger, t.To)
	}
	// Output:
	// true
	// pending confirm confirmed
	// confirmed complete completed
}

func ExampleReachable() {
	fmt.Println(appointment.Reachable(appointment.Reserved, appointment.Completed))
	fmt.Println(appointment.Reachable(appointment.Completed, appointment.Cancelled))
	// Output:
	// true
	// false
}

func ExampleTransitions() {
	for _, t := range appointment.Transitions() {
		if t.From == appointment.Confirmed {
			fmt.Println(t.From, "--"+t.Trigger.String()+"->", t.To)
		}
	}
	// Output:
	// confirmed --reschedule-> confirmed
	// confirmed --start-> in_progress
	// confirmed --complete-> completed
	// confirmed --cancel-> cancelled
}

func ExampleParseTrigger() {
	e, err := appointment.ParseTrigger("reschedule")
	fmt.Println(e, err)
	_, err = appointment.ParseTrigger("rebook")
	fmt.Println(errors.Is(err, appointment.ErrUnknownTrigger))
	// Output:
	// reschedule <nil>
	// true
}

func ExampleMermaid() {
	fmt.Print(appointment.Mermaid())
	// Output:
	// stateDiagram-v2
	//     [*] --> pending
	//     pending --> reserved: reserve
	//     pending --> confirmed: confirm
	//     pending --> cancelled: cancel
	//     reserved --> confirmed: confirm
	//     reserved --> reserved: reschedule
	//     reserved --> cancelled: cancel
	//     confirmed --> confirmed: reschedule
	//     confirmed --> in_progress: start
	//     confirmed --> completed: complete
	//     confirmed --> cancelled: cancel
	//     in_progress --> completed: complete
	//     in_progress --> cancelled: cancel
	//     completed --> [*]
	//     cancelled --> [*]
}

func ExampleAppointment_MarshalJSON() {
	a := appointment.Appointment{
		ID:          "a1",
		Provider:    provider.Phlebfinders,
		Status:      appointment.Confirmed,
		EventStatus: appointment.Confirmed,
	}
	b, err := json.Marshal(a)
	fmt.Println(string(b), err)
	// Output:
	// {"id":"a1","user_id":"","order_id":"","address":{"first_line":"","city":"","state":"","zip_code":""},"location":{"lng":0,"lat":0},"start_at":null,"end_at":null,"type":"","provider":"phlebfinders","status":"confirmed","event_status":"scheduled","provider_id":"","can_reschedule":false,"events":[]} <nil>
}

func ExampleAppointment_IsPhlebotomy() {
	// Walk-in appointments at a patient service centre come on the same
	// webhooks as at-home ones: tell them apart before acting.
	for _, body := range []string{
		`{"id": "a1", "type": "phlebotomy", "status": "confirmed"}`,
		`{"id": "a2", "type": "patient_service_center", "status": "confirmed"}`,
		`{"id": "a3", "type": "mobile_lab", "status": "confirmed"}`,
	} {
		a, err := appointment.Decode([]byte(body))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.ID, a.Type, a.Type.IsKnown(), a.IsPhlebotomy())
	}
	// Output:
	// a1 phlebotomy true true
	// a2 patient_service_center true false
	// a3 mobile_lab false false
}

func ExampleDecodeError_encode() {
	for _, a := range []appointment.Appointment{
		{ID: "a1", Status: appointment.Status(42)},
		{ID: "a2", Location: appointment.Location{Lng: math.NaN()}},
		{ID: "a3", History: []appointment.HistoryEntry{{Status: "pending", Data: jsontext.Value(`{"origin":`)}}},
	} {
		_, err := a.MarshalJSON()
		var ee *appointment.DecodeError
		if errors.As(err, &ee) {
			fmt.Printf("%s %s: unknown=%t malformed=%t\n", ee.Op, ee.Path,
				errors.Is(err, appointment.ErrUnknownStatus), errors.Is(err, appointment.ErrMalformed))
			fmt.Println(ee)
		}
	}
	// Output:
	// encode /status: unknown=true malformed=false
	// appointment: encode /status: unknown status "appointment.Status(42)"
	// encode /location/lng: unknown=false malformed=true
	// appointment: encode /location/lng: unsupported value: NaN
	// encode /events/0/data/origin: unknown=false malformed=true
	// appointment: encode /events/0/data/origin: unexpected end of JSON input
}

func ExampleDecodeCancellationReasons() {
	// The response of GET /v3/order/phlebotomy/appointment/cancellation-reasons.
	body := []byte(`[
	  {"id": "796da8c8-e654-4347-8ded-1026410c1976", "name": "Scheduled time no longer works", "is_refundable": true},
	  {"id": "2b9f23fd-163e-4483-bb10-90c74a67e0dc", "name": "Other", "is_refundable": true}
	]`)
	reasons, err := appointment.DecodeCancellationReasons(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range reasons {
		fmt.Println(r.ID, r.Name, r.IsRefundable)
	}

	_, err = appointment.DecodeCancellationReasons([]byte(`[{"id": "a"}, {"id": 7}]`))
	fmt.Println(err, errors.Is(err, appointment.ErrMalformed))
	// Output:
	// 796da8c8-e654-4347-8ded-1026410c1976 Scheduled time no longer works true
	// 2b9f23fd-163e-4483-bb10-90c74a67e0dc Other true
	// appointment: decode /1/id: cannot read number as string true
}
