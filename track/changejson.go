package track

import (
	"net/url"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/jsonerr"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/scheduling"
)

// The stored forms of the changes: each a JSON object whose "kind" member
// names the change, followed by its fields. Times are RFC 3339 in UTC, a
// zero time, a zero From status and empty optional members are left out.
type (
	orderStepForm struct {
		Kind        string           `json:"kind"`
		OrderID     string           `json:"order_id"`
		EventID     int64            `json:"event_id"`
		At          time.Time        `json:"at,omitzero"`
		From        order.Status     `json:"from,omitzero"`
		To          order.Status     `json:"to"`
		Detail      string           `json:"detail,omitempty"`
		Jump        bool             `json:"jump,omitzero"`
		Transitions []transitionForm `json:"transitions,omitempty"`
	}
	transitionForm struct {
		From    order.Status `json:"from"`
		Trigger string       `json:"trigger"`
		To      order.Status `json:"to"`
	}
	appointmentStepForm struct {
		Kind          string             `json:"kind"`
		OrderID       string             `json:"order_id"`
		AppointmentID string             `json:"appointment_id"`
		Index         int                `json:"index"`
		At            time.Time          `json:"at,omitzero"`
		From          appointment.Status `json:"from,omitzero"`
		To            appointment.Status `json:"to"`
		Reschedule    bool               `json:"reschedule,omitzero"`
	}
	rescheduledForm struct {
		Kind          string    `json:"kind"`
		OrderID       string    `json:"order_id"`
		AppointmentID string    `json:"appointment_id"`
		Index         int       `json:"index"`
		At            time.Time `json:"at,omitzero"`
		From          slotForm  `json:"from"`
		To            slotForm  `json:"to"`
	}
	slotForm struct {
		Start time.Time `json:"start,omitzero"`
		End   time.Time `json:"end,omitzero"`
	}
	activeChangedForm struct {
		Kind    string    `json:"kind"`
		OrderID string    `json:"order_id"`
		EventID int64     `json:"event_id"`
		At      time.Time `json:"at,omitzero"`
		From    string    `json:"from"`
		To      string    `json:"to"`
	}
	autoCancelledForm struct {
		Kind          string    `json:"kind"`
		OrderID       string    `json:"order_id"`
		AppointmentID string    `json:"appointment_id"`
		Index         int       `json:"index"`
		At            time.Time `json:"at,omitzero"`
		Rule          string    `json:"rule"`
	}
)

// The kinds of change, as the stored form's "kind" member and a [Change]'s
// key name them.
const (
	kindOrderStep       = "order_step"
	kindAppointmentStep = "appointment_step"
	kindRescheduled     = "rescheduled"
	kindActiveChanged   = "active_changed"
	kindAutoCancelled   = "auto_cancelled"
)

// Key returns "ORDER/order_step/EVENT_ID", such as "ord-1/order_step/3":
// see [Change].
func (c OrderStep) Key() string {
	return key(c.OrderID, kindOrderStep, strconv.FormatInt(c.EventID, 10))
}

// Key returns "ORDER/appointment_step/APPOINTMENT/INDEX", such as
// "ord-1/appointment_step/ord-1-a1/0": see [Change].
func (c AppointmentStep) Key() string {
	return key(c.OrderID, kindAppointmentStep, c.AppointmentID, strconv.Itoa(c.Index))
}

// Key returns "ORDER/rescheduled/APPOINTMENT/INDEX": see [Change].
func (c Rescheduled) Key() string {
	return key(c.OrderID, kindRescheduled, c.AppointmentID, strconv.Itoa(c.Index))
}

// Key returns "ORDER/active_changed/EVENT_ID/FROM/TO", such as
// "ord-1/active_changed/4/ord-1-a1/ord-1-a2" (FROM empty for none): see
// [Change].
func (c ActiveChanged) Key() string {
	return key(c.OrderID, kindActiveChanged, strconv.FormatInt(c.EventID, 10), c.From, c.To)
}

// Key returns "ORDER/auto_cancelled/APPOINTMENT/INDEX": see [Change].
func (c AutoCancelled) Key() string {
	return key(c.OrderID, kindAutoCancelled, c.AppointmentID, strconv.Itoa(c.Index))
}

// key joins the parts of a key with "/", each escaped as a URL path
// segment, so that no two different sets of parts give the same key.
func key(orderID, kind string, parts ...string) string {
	k := url.PathEscape(orderID) + "/" + kind
	for _, p := range parts {
		k += "/" + url.PathEscape(p)
	}
	return k
}

// MarshalChange returns the stored form of c: a JSON object whose "kind"
// member is "order_step", "appointment_step", "rescheduled",
// "active_changed" or "auto_cancelled", followed by the change's fields in
// snake case, such as
//
//	{"kind":"order_step","order_id":"ord-1","event_id":2,"at":"2026-11-23T12:00:00Z",
//	 "from":"ordered","to":"requisition_created","transitions":[{"from":"ordered","trigger":"create_requisition","to":"requisition_created"}]}
//
// Statuses are written as [order.Status.MarshalText] and
// [appointment.Status.MarshalText] write them, the rule of an
// [AutoCancelled] as [scheduling.Rule.String]; a zero time, a zero From
// and empty optional members are left out. [UnmarshalChange] reads it back
// into an equal value. A nil change or one with a status or rule that is
// not valid is an *[Error] wrapping [ErrMalformed].
func MarshalChange(c Change) ([]byte, error) {
	if b, ok := appendChange(make([]byte, 0, 256), c); ok {
		return b, nil
	}
	return marshalChangeForm(c)
}

// marshalChangeForm writes c as [MarshalChange] describes, through its
// form and the json package: what appendChange writes more quickly, and
// the errors of what it does not write.
func marshalChangeForm(c Change) ([]byte, error) {
	var v any
	switch c := c.(type) {
	case OrderStep:
		f := orderStepForm{Kind: kindOrderStep, OrderID: c.OrderID, EventID: c.EventID, At: c.At, From: c.From, To: c.To, Detail: c.Detail, Jump: c.Jump}
		for _, t := range c.Transitions {
			f.Transitions = append(f.Transitions, transitionForm{From: t.From, Trigger: t.Trigger.String(), To: t.To})
		}
		v = f
	case AppointmentStep:
		v = appointmentStepForm{Kind: kindAppointmentStep, OrderID: c.OrderID, AppointmentID: c.AppointmentID, Index: c.Index, At: c.At, From: c.From, To: c.To, Reschedule: c.Reschedule}
	case Rescheduled:
		v = rescheduledForm{Kind: kindRescheduled, OrderID: c.OrderID, AppointmentID: c.AppointmentID, Index: c.Index, At: c.At,
			From: slotForm(c.From), To: slotForm(c.To)}
	case ActiveChanged:
		v = activeChangedForm{Kind: kindActiveChanged, OrderID: c.OrderID, EventID: c.EventID, At: c.At, From: c.From, To: c.To}
	case AutoCancelled:
		if c.Rule != scheduling.OrderAge && c.Rule != scheduling.StartSoon {
			return nil, &Error{Op: "encode change", OrderID: c.OrderID, Path: "/rule", Reason: "no rule " + c.Rule.String(), Err: ErrMalformed}
		}
		v = autoCancelledForm{Kind: kindAutoCancelled, OrderID: c.OrderID, AppointmentID: c.AppointmentID, Index: c.Index, At: c.At, Rule: c.Rule.String()}
	default:
		return nil, &Error{Op: "encode change", Reason: "no change", Err: ErrMalformed}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Op: "encode change", OrderID: changeOrder(c), Path: pointer(err), Err: ErrMalformed, Cause: err}
	}
	return b, nil
}

// changeOrder returns the order a change is about.
func changeOrder(c Change) string {
	switch c := c.(type) {
	case OrderStep:
		return c.OrderID
	case AppointmentStep:
		return c.OrderID
	case Rescheduled:
		return c.OrderID
	case ActiveChanged:
		return c.OrderID
	case AutoCancelled:
		return c.OrderID
	}
	return ""
}

// UnmarshalChange reads the stored form [MarshalChange] writes. Member
// names are matched exactly; an unknown kind or member, a member given
// twice, a status, trigger or rule this library does not know, or data
// after the object is an *[Error] wrapping [ErrMalformed] that names the
// order (when the form does) and the JSON Pointer of the fault.
func UnmarshalChange(data []byte) (Change, error) {
	var head struct {
		Kind    string `json:"kind"`
		OrderID string `json:"order_id"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, &Error{Op: "decode change", OrderID: head.OrderID, Path: pointer(err), Err: ErrMalformed, Cause: err}
	}
	bad := func(path, reason string, cause error) error {
		return &Error{Op: "decode change", OrderID: head.OrderID, Path: path, Reason: reason, Err: ErrMalformed, Cause: cause}
	}
	strict := json.RejectUnknownMembers(true)
	switch head.Kind {
	case kindOrderStep:
		var f orderStepForm
		if err := json.Unmarshal(data, &f, strict); err != nil {
			return nil, bad(pointer(err), "", err)
		}
		c := OrderStep{OrderID: f.OrderID, EventID: f.EventID, At: f.At, From: f.From, To: f.To, Detail: f.Detail, Jump: f.Jump}
		for i, t := range f.Transitions {
			tr, err := order.ParseTrigger(t.Trigger)
			if err != nil {
				return nil, bad("/transitions/"+strconv.Itoa(i)+"/trigger", "", err)
			}
			c.Transitions = append(c.Transitions, order.Transition{From: t.From, Trigger: tr, To: t.To})
		}
		return c, nil
	case kindAppointmentStep:
		var f appointmentStepForm
		if err := json.Unmarshal(data, &f, strict); err != nil {
			return nil, bad(pointer(err), "", err)
		}
		return AppointmentStep{OrderID: f.OrderID, AppointmentID: f.AppointmentID, Index: f.Index, At: f.At, From: f.From, To: f.To, Reschedule: f.Reschedule}, nil
	case kindRescheduled:
		var f rescheduledForm
		if err := json.Unmarshal(data, &f, strict); err != nil {
			return nil, bad(pointer(err), "", err)
		}
		return Rescheduled{OrderID: f.OrderID, AppointmentID: f.AppointmentID, Index: f.Index, At: f.At, From: Slot(f.From), To: Slot(f.To)}, nil
	case kindActiveChanged:
		var f activeChangedForm
		if err := json.Unmarshal(data, &f, strict); err != nil {
			return nil, bad(pointer(err), "", err)
		}
		return ActiveChanged{OrderID: f.OrderID, EventID: f.EventID, At: f.At, From: f.From, To: f.To}, nil
	case kindAutoCancelled:
		var f autoCancelledForm
		if err := json.Unmarshal(data, &f, strict); err != nil {
			return nil, bad(pointer(err), "", err)
		}
		c := AutoCancelled{OrderID: f.OrderID, AppointmentID: f.AppointmentID, Index: f.Index, At: f.At}
		switch f.Rule {
		case scheduling.OrderAge.String():
			c.Rule = scheduling.OrderAge
		case scheduling.StartSoon.String():
			c.Rule = scheduling.StartSoon
		default:
			return nil, bad("/rule", "unknown rule "+strconv.Quote(f.Rule), nil)
		}
		return c, nil
	}
	return nil, bad("/kind", "unknown kind "+strconv.Quote(head.Kind), nil)
}

// appendChange appends the bytes marshalChangeForm writes for c, and
// reports true. It reports false, b then extended by an unspecified
// amount, for every c that marshalChangeForm refuses.
func appendChange(b []byte, c Change) ([]byte, bool) {
	ok := true
	str := func(name, s string) {
		b = append(b, name...)
		if ok {
			b, ok = jsonerr.AppendString(b, s)
		}
	}
	num := func(name string, n int64) { b = strconv.AppendInt(append(b, name...), n, 10) }
	at := func(name string, t time.Time) { // omitted when zero, written in its zone
		if c, written := appendTime(b, name, t); written {
			b = c
		} else {
			ok = false
		}
	}
	orderStatus := func(name string, s order.Status) {
		ok = ok && s.IsValid()
		str(name, s.String())
	}
	appointmentStatus := func(name string, s appointment.Status) {
		ok = ok && s.IsValid()
		str(name, s.String())
	}
	head := func(kind, orderID string) { str(`{"kind":`, kind); str(`,"order_id":`, orderID) }
	switch c := c.(type) {
	case OrderStep:
		head(kindOrderStep, c.OrderID)
		num(`,"event_id":`, c.EventID)
		at(`,"at":`, c.At)
		if c.From != 0 {
			orderStatus(`,"from":`, c.From)
		}
		orderStatus(`,"to":`, c.To)
		if c.Detail != "" {
			str(`,"detail":`, c.Detail)
		}
		if c.Jump {
			b = append(b, `,"jump":true`...)
		}
		for i, t := range c.Transitions {
			if i == 0 {
				b = append(b, `,"transitions":[`...)
			} else {
				b = append(b, ',')
			}
			orderStatus(`{"from":`, t.From)
			str(`,"trigger":`, t.Trigger.String())
			orderStatus(`,"to":`, t.To)
			b = append(b, '}')
		}
		if len(c.Transitions) > 0 {
			b = append(b, ']')
		}
	case AppointmentStep:
		head(kindAppointmentStep, c.OrderID)
		str(`,"appointment_id":`, c.AppointmentID)
		num(`,"index":`, int64(c.Index))
		at(`,"at":`, c.At)
		if c.From != 0 {
			appointmentStatus(`,"from":`, c.From)
		}
		appointmentStatus(`,"to":`, c.To)
		if c.Reschedule {
			b = append(b, `,"reschedule":true`...)
		}
	case Rescheduled:
		head(kindRescheduled, c.OrderID)
		str(`,"appointment_id":`, c.AppointmentID)
		num(`,"index":`, int64(c.Index))
		at(`,"at":`, c.At)
		for i, sl := range [2]Slot{c.From, c.To} {
			b = append(b, [2]string{`,"from":{`, `},"to":{`}[i]...)
			start := len(b)
			at(`,"start":`, sl.Start)
			at(`,"end":`, sl.End)
			if len(b) > start {
				b = append(b[:start], b[start+1:]...) // the first member's comma
			}
		}
		b = append(b, '}')
	case ActiveChanged:
		head(kindActiveChanged, c.OrderID)
		num(`,"event_id":`, c.EventID)
		at(`,"at":`, c.At)
		str(`,"from":`, c.From)
		str(`,"to":`, c.To)
	case AutoCancelled:
		head(kindAutoCancelled, c.OrderID)
		str(`,"appointment_id":`, c.AppointmentID)
		num(`,"index":`, int64(c.Index))
		at(`,"at":`, c.At)
		ok = ok && (c.Rule == scheduling.OrderAge || c.Rule == scheduling.StartSoon)
		str(`,"rule":`, c.Rule.String())
	default:
		return b, false
	}
	return append(b, '}'), ok
}
