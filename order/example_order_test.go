package order_test

import (
	stdjson "encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/phlebkit/phlebkit/order"
)

// updated is the data of a labtest.order.updated webhook, shortened from
// Junction's example.
const updated = `{
  "id": "84d96c03-6b1c-4226-ad8f-ef44a6bc08af",
  "team_id": "6353bcab-3526-4838-8c92-063fa760fb6b",
  "user_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  "patient_details": {"dob": "1990-01-01T00:00:00+00:00", "gender": "male"},
  "patient_address": {"first_line": "123 Main St.", "city": "San Francisco", "state": "CA", "zip": "91189"},
  "details": {
    "type": "at_home_phlebotomy",
    "data": {"id": "a655f0e4", "appointment_id": "d55210cc", "created_at": "2022-01-01T00:00:00Z"}
  },
  "created_at": "2022-01-01T00:00:00Z",
  "status": "collecting_sample",
  "events": [
    {"id": 1, "created_at": "2022-01-01T00:00:00Z", "status": "received.at_home_phlebotomy.ordered"},
    {"id": 2, "created_at": "2022-01-02T00:00:00Z", "status": "received.at_home_phlebotomy.requisition_created"},
    {"id": 3, "created_at": "2022-01-03T00:00:00+01:00", "status": "collecting_sample.at_home_phlebotomy.appointment_scheduled"}
  ],
  "physician": {"first_name": "Jane", "npi": "123"},
  "order_transaction": {"id": "6424dd45", "status": "active",
    "orders": [{"id": "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", "low_level_status": "appointment_scheduled"}]}
}`

func ExampleDecode() {
	// data is the data member of the webhook's body.
	data := []byte(updated)
	o, err := order.Decode(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.ID, o.IsPhlebotomy())
	fmt.Println(o.Status(), o.Status().HighLevel(), o.AppointmentID())
	fmt.Println(o.Patient.DOB, o.Address.ZipCode)
	for _, e := range o.History {
		fmt.Println(e.ID, e.CreatedAt.Format(time.RFC3339), e.Status)
	}
	fmt.Println(o.Transaction.Status, o.Transaction.Orders[0].Status)
	// Output:
	// 84d96c03-6b1c-4226-ad8f-ef44a6bc08af true
	// appointment_scheduled collecting_sample d55210cc
	// 1990-01-01 91189
	// 1 2022-01-01T00:00:00Z ordered
	// 2 2022-01-02T00:00:00Z requisition_created
	// 3 2022-01-02T23:00:00Z appointment_scheduled
	// active appointment_scheduled
}

func ExampleDecode_errors() {
	// A malformed value is named by its JSON path.
	_, err := order.Decode([]byte(`{"events": [{"id": 1}, {"id": 2, "created_at": "noon"}]}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, order.ErrMalformed))

	// Junction may add statuses: the order comes back whole beside the
	// error, the status zero and its text kept.
	o, err := order.Decode([]byte(`{"id": "o-1", "details": {"type": "at_home_phlebotomy"},
		"events": [{"id": 1, "status": "received.at_home_phlebotomy.ordered"},
			{"id": 2, "status": "collecting_sample.at_home_phlebotomy.redraw_available"}]}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, order.ErrUnknownStatus), o.ID, o.History[1].Status, o.History[1].StatusText)
	// Output:
	// order: decode /events/1/created_at: malformed time "noon"
	// true
	// order: decode /events/1/status: unknown status "collecting_sample.at_home_phlebotomy.redraw_available"
	// true o-1 order.Status(0) collecting_sample.at_home_phlebotomy.redraw_available
}

// An order inside a webhook envelope decodes in the same pass as the
// envelope.
func ExampleOrder_UnmarshalJSONFrom() {
	body := `{"event_type": "labtest.order.created", "data": {"id": "o-1", "details": {"type": "at_home_phlebotomy"},
		"events": [{"id": 7, "status": "received.at_home_phlebotomy.ordered"}]}}`
	var env struct {
		Data order.Order `json:"data"`
	}
	err := json.Unmarshal([]byte(body), &env)
	fmt.Println(env.Data.ID, env.Data.Status(), err)

	err = json.Unmarshal([]byte(`{"data": {"events": [{"id": 7, "created_at": "noon"}]}}`), &env)
	fmt.Println(errors.Is(err, order.ErrMalformed))
	// Output:
	// o-1 ordered <nil>
	// true
}

// encoding/json reads and writes an order as Junction's JSON too, through
// UnmarshalJSON and MarshalJSON.
func ExampleOrder_MarshalJSON() {
	var env struct {
		Data order.Order `json:"data"`
	}
	err := stdjson.Unmarshal([]byte(`{"data": {"id": "o-1", "details": {"type": "at_home_phlebotomy"},
		"events": [{"id": 7, "created_at": "2022-01-01T09:00:00Z", "status": "received.at_home_phlebotomy.ordered"}]}}`), &env)
	fmt.Println(env.Data.ID, env.Data.Status(), err)

	b, err := stdjson.Marshal(env.Data)
	fmt.Println(err)
	var back order.Order
	err = back.UnmarshalJSON(b)
	fmt.Println(back.History[0].CreatedAt, back.Status(), err)

	err = back.UnmarshalJSON([]byte(`{"id": "o-2", "events": [{"id": 8, "created_at": "noon"}]}`))
	fmt.Println(back.ID, errors.Is(err, order.ErrMalformed))
	// Output:
	// o-1 ordered <nil>
	// <nil>
	// 2022-01-01 09:00:00 +0000 UTC ordered <nil>
	// o-1 true
}

// UnmarshalJSON decodes as Decode does; null, and an order it cannot read,
// leave the destination as it was.
func ExampleOrder_UnmarshalJSON() {
	o := order.Order{ID: "kept"}
	err := o.UnmarshalJSON([]byte(`null`))
	fmt.Println(o.ID, err)

	err = o.UnmarshalJSON([]byte(`{"id": "o-2", "details": {"type": "at_home_phlebotomy"}, "status": "lost"}`))
	fmt.Println(o.ID, errors.Is(err, order.ErrUnknownStatus))

	err = o.UnmarshalJSON([]byte(`{"id": "o-3", "details": {"type": "at_home_phlebotomy"}, "status": "completed"}`))
	fmt.Println(o.ID, o.HighLevel, err)
	// Output:
	// kept <nil>
	// kept true
	// o-3 completed <nil>
}

// Orders of every modality arrive on the same webhook events. Only an
// at-home phlebotomy order has its statuses parsed.
func ExampleOrder_IsPhlebotomy() {
	o, err := order.Decode([]byte(`{"id": "w-1", "details": {"type": "walk_in_test"}, "status": "received",
		"events": [{"id": 1, "status": "received.walk_in_test.ordered"}]}`))
	fmt.Println(err)
	fmt.Println(o.IsPhlebotomy(), o.Details.Type, o.Details.Type == order.ModalityWalkInTest)
	cur, _ := o.Current()
	fmt.Println(o.Status().IsValid(), cur.StatusText, o.HighLevel)

	_, err = order.ValidateHistory(o.History)
	fmt.Println(errors.Is(err, order.ErrNotPhlebotomy))
	// Output:
	// <nil>
	// false walk_in_test true
	// false received.walk_in_test.ordered received
	// true
}

func ExampleOrder_Current() {
	// last_event may run ahead of a history that stops short of it.
	o := order.Order{
		History:   []order.HistoryEntry{{ID: 1, Status: order.Ordered}},
		LastEvent: order.HistoryEntry{ID: 2, Status: order.RequisitionCreated},
	}
	e, ok := o.Current()
	fmt.Println(e.ID, e.Status, ok, o.Status())
	// Output:
	// 2 requisition_created true requisition_created
}

func ExampleValidateHistory() {
	o, err := order.Decode([]byte(updated))
	if err != nil {
		fmt.Println(err)
		return
	}
	steps, err := order.ValidateHistory(o.History)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A tracker remembers the last entry it handled, and handles each
	// delivery's new entries once.
	var handled int64 = 1
	for _, s := range steps {
		if s.Entry.ID <= handled {
			continue
		}
		for _, t := range s.Transitions {
			fmt.Printf("%s: %s -> %s (jump: %t)\n", t.Trigger, t.From, t.To, s.Jump)
		}
		handled = s.Entry.ID
	}
	// Output:
	// create_requisition: ordered -> requisition_created (jump: false)
	// place_appointment: requisition_created -> appointment_pending (jump: true)
	// schedule_appointment: appointment_pending -> appointment_scheduled (jump: true)
}

func ExampleValidateHistory_invalid() {
	at := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := order.ValidateHistory([]order.HistoryEntry{
		{ID: 1, CreatedAt: at, Status: order.Ordered},
		{ID: 2, CreatedAt: at, Status: order.Cancelled},
		{ID: 3, CreatedAt: at, Status: order.AppointmentScheduled},
	})
	fmt.Println(err)
	var he *order.TransitionError
	if errors.As(err, &he) {
		fmt.Println(he.Index, errors.Is(err, order.ErrInvalidTransition))
	}
	// Output:
	// order: invalid history: events[2]: cancelled to appointment_scheduled: invalid transition
	// 2 true
}

func ExampleOrder_MarshalJSONTo() {
	o, err := order.Decode([]byte(`{"id": "o-1", "details": {"type": "at_home_phlebotomy"},
		"created_at": "2022-01-01T09:00:00-05:00",
		"events": [{"id": 1, "created_at": "2022-01-01T09:00:00-05:00", "status": "ordered"}],
		"order_transaction": {"id": "t-1", "orders": [{"id": "o-1", "low_level_status": "ordered"}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := json.Marshal(o)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	back, err := order.Decode(out)
	fmt.Println(err, back.History[0] == o.History[0])
	// Output:
	// {"id":"o-1","team_id":"","user_id":"","patient_details":null,"patient_address":null,"lab_test":{"id":"","slug":"","name":"","sample_type":"","method":"","fasting":false,"price":0,"is_active":false,"status":"","lab":null,"markers":null},"details":{"type":"at_home_phlebotomy","data":null},"sample_id":null,"notes":null,"created_at":"2022-01-01T14:00:00Z","updated_at":"0001-01-01T00:00:00Z","events":[{"id":1,"created_at":"2022-01-01T14:00:00Z","status":"received.at_home_phlebotomy.ordered"}],"last_event":{"id":0,"created_at":"0001-01-01T00:00:00Z","status":""},"status":null,"health_insurance_id":null,"requisition_form_url":null,"shipping_details":null,"has_abn":false,"activate_by":null,"origin":null,"order_transaction":{"id":"t-1","status":"","orders":[{"id":"o-1","low_level_status":"ordered","low_level_status_created_at":null,"origin":null,"parent_id":null,"created_at":"0001-01-01T00:00:00Z","updated_at":"0001-01-01T00:00:00Z"}]}}
	// <nil> true
}

func ExampleDate_UnmarshalText() {
	// Junction sends a date of birth both ways; both are the same date.
	for _, text := range []string{"1990-01-01", "1990-01-01T00:00:00+00:00", "1990-02-30"} {
		var d order.Date
		err := d.UnmarshalText([]byte(text))
		fmt.Println(d, err)
	}
	fmt.Println(order.DateOf(time.Date(1990, time.January, 1, 23, 0, 0, 0, time.UTC)))
	// Output:
	// 1990-01-01 <nil>
	// 1990-01-01 <nil>
	//  order: malformed date "1990-02-30"
	// 1990-01-01
}

func ExampleHistoryEntry_Text() {
	for _, e := range []order.HistoryEntry{
		{ID: 1, Status: order.DrawCompleted, Detail: "sample_hemolyzed"},
		{ID: 2, StatusText: "failed.testkit.lost"},
	} {
		fmt.Printf("%s %q\n", e.Text(), e.Detail)
	}
	// Output:
	// collecting_sample.at_home_phlebotomy.draw_completed "sample_hemolyzed"
	// failed.testkit.lost ""
}

// An address decodes from either spelling of the zip code, and writes the
// USAddress form on its own and the order's form inside an order.
func ExampleAddress() {
	var a order.Address
	if err := json.Unmarshal([]byte(`{"first_line": "123 Main St.", "unit": "14", "city": "Phoenix",
		"state": "AZ", "zip": "85004"}`), &a); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ZipCode, a.EffectiveSecondLine())
	b, _ := json.Marshal(a)
	fmt.Println(string(b))

	err := json.Unmarshal([]byte(`{"zip": "85004", "zip_code": "54650"}`), &a)
	fmt.Println(errors.Is(err, order.ErrMalformed))
	// Output:
	// 85004 14
	// {"first_line":"123 Main St.","unit":"14","city":"Phoenix","state":"AZ","zip_code":"85004"}
	// true
}

// Whether the requisition exists decides what a booking may do before it.
func ExampleOrder_HasRequisition() {
	o, err := order.Decode([]byte(`{"id": "o-1", "details": {"type": "at_home_phlebotomy"},
		"events": [{"id": 1, "status": "received.at_home_phlebotomy.ordered"}]}`))
	fmt.Println(o.HasRequisition(), err)
	o, err = order.Decode([]byte(`{"id": "o-1", "details": {"type": "at_home_phlebotomy"},
		"events": [{"id": 1, "status": "received.at_home_phlebotomy.ordered"},
			{"id": 2, "status": "received.at_home_phlebotomy.requisition_created"},
			{"id": 3, "status": "cancelled.at_home_phlebotomy.cancelled"}]}`))
	fmt.Println(o.HasRequisition(), o.Status(), err)
	// Output:
	// false <nil>
	// true cancelled <nil>
}

func ExampleAddress_EffectiveSecondLine() {
	fmt.Println(order.Address{SecondLine: "Apt. 208", Unit: "14"}.EffectiveSecondLine())
	fmt.Println(order.Address{Unit: "14"}.EffectiveSecondLine())
	// Output:
	// Apt. 208
	// 14
}

// A Date inside a document is its text form, or null when absent.
func ExampleDate_MarshalJSONTo() {
	doc := struct {
		DOB        order.Date `json:"dob"`
		ActivateBy order.Date `json:"activate_by"`
	}{DOB: order.Date{Year: 1990, Month: time.January, Day: 1}}
	b, err := json.Marshal(doc)
	fmt.Println(string(b), err)
	err = json.Unmarshal([]byte(`{"dob": "1990-01-01T00:00:00+00:00", "activate_by": null}`), &doc)
	fmt.Println(doc.DOB, doc.ActivateBy.IsZero(), err)
	// Output:
	// {"dob":"1990-01-01","activate_by":null} <nil>
	// 1990-01-01 true <nil>
}

// A DecodeError names the value at fault with its JSON Pointer; a repeated
// member is refused.
func ExampleDecodeError() {
	for _, data := range []string{
		`{"events": [{"id": 1}, {"id": "2"}]}`,
		`{"id": "o-1", "id": "o-2"}`,
		`{"patient_address": {"zip": "85004", "zip_code": "54650"}}`,
	} {
		_, err := order.Decode([]byte(data))
		var de *order.DecodeError
		if errors.As(err, &de) {
			fmt.Println(de.Path, errors.Is(err, order.ErrMalformed))
		}
		fmt.Println(err)
	}
	// Output:
	// /events/1/id true
	// order: decode /events/1/id: cannot read string as int64
	// /id true
	// order: decode /id: repeated member
	// /patient_address true
	// order: decode /patient_address: malformed input: zip "85004" and zip_code "54650" differ
}

// A TransitionError says which move the lifecycle forbids: a trigger, or a
// step of a history.
func ExampleTransitionError() {
	_, err := order.Next(order.Completed, order.Cancel)
	var te *order.TransitionError
	if errors.As(err, &te) {
		fmt.Println(te.From, te.Trigger, errors.Is(err, order.ErrInvalidTransition))
	}
	_, err = order.ValidateHistory([]order.HistoryEntry{{ID: 1, Status: order.Ordered}, {ID: 2, Status: order.Completed}})
	if errors.As(err, &te) {
		fmt.Println(te.Index, te.From, te.To, errors.Is(err, order.ErrInvalidHistory))
	}
	// Output:
	// completed cancel true
	// 1 ordered completed true
}

// A ParseError holds the text that is not a value of its kind.
func ExampleParseError() {
	_, err := order.ParseStatus("no_show")
	var pe *order.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Kind, pe.Text, errors.Is(err, order.ErrUnknownStatus))
	}
	var d order.Date
	err = d.UnmarshalText([]byte("1990-02-30"))
	if errors.As(err, &pe) {
		fmt.Println(pe.Kind, pe.Text, errors.Is(err, order.ErrMalformed))
	}
	// Output:
	// status no_show true
	// date 1990-02-30 true
}
