package track

import (
	"bytes"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/jsonerr"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/track/internal/parts"
)

// storedForm is the stored form of a Tracked: the snapshots in Junction's
// JSON, and the points of the histories they were seen at. It is written
// with the snapshots themselves (O and A are pointers to them) and read
// with their JSON kept as it is (O and A are jsontext.Value), so that each
// snapshot is decoded by its own type, with its own options.
type (
	storedForm[O, A any] struct {
		ID           string                 `json:"id"`
		Order        O                      `json:"order,omitzero"`
		Points       []storedPoint          `json:"points,omitempty"`
		Appointments []storedAppointment[A] `json:"appointments,omitempty"`
	}
	storedPoint struct {
		Events        int    `json:"events"`
		AppointmentID string `json:"appointment_id"`
	}
	storedAppointment[A any] struct {
		Appointment A            `json:"appointment"`
		Slots       []storedSlot `json:"slots"`
	}
	storedSlot struct {
		Events  int       `json:"events"`
		StartAt time.Time `json:"start_at,omitzero"`
		EndAt   time.Time `json:"end_at,omitzero"`
	}
)

// MarshalJSON writes o's stored form:
//
//	{"id": "ord-1", "order": {…}, "points": [{"events": 1, "appointment_id": ""}, …],
//	 "appointments": [{"appointment": {…}, "slots": [{"events": 1, "start_at": "…", "end_at": "…"}, …]}, …]}
//
// with the snapshots in Junction's JSON; "order", "points" and
// "appointments" are left out when there are none. [Tracked.UnmarshalJSON]
// reads it back into an equal value. A snapshot that cannot be encoded is
// an *[Error] wrapping [ErrMalformed], whose Path is the JSON Pointer of the
// value at fault.
func (o Tracked) MarshalJSON() ([]byte, error) {
	p := encodeBuffers.Get()
	b, err := o.AppendJSON(*p)
	defer encodeBuffers.Put(p, b)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil // before the buffer is put back, for another to write in
}

// encodeBuffers hold stored forms while MarshalJSON writes them, for reuse:
// each is written into one of them, then copied, so that it is allocated
// once, at its size.
var encodeBuffers jsonerr.Buffers

// AppendJSON appends o's stored form, as [Tracked.MarshalJSON] writes it,
// to b and returns the extended buffer, for a caller that keeps a buffer
// to write stored forms into. On error it returns b as it was (the bytes
// past its length may have been written) and the error MarshalJSON
// returns.
func (o Tracked) AppendJSON(b []byte) ([]byte, error) {
	out, err := o.appendJSON(b)
	if err != nil {
		return b, err
	}
	return out, nil
}

// appendJSON appends o's stored form to b.
func (o Tracked) appendJSON(b []byte) ([]byte, error) {
	b, _, err := o.appendParts(b, nil, false)
	return b, err
}

func init() {
	parts.AppendJSON = func(v any, b []byte, spans []parts.Span) ([]byte, []parts.Span, error) {
		o, ok := v.(*Tracked)
		switch {
		case !ok:
			return b, spans, &Error{Op: "encode", Reason: fmt.Sprintf("a %T is not a *track.Tracked", v), Err: ErrMalformed}
		case o == nil:
			return b, spans, &Error{Op: "encode", Reason: "a nil *track.Tracked", Err: ErrMalformed}
		}
		out, more, err := o.appendParts(b, spans, true)
		if err != nil {
			return b, spans, err
		}
		return out, more, nil
	}
}

// appendParts appends o's stored form to b, and, when told, the span of
// each snapshot's JSON in it to spans.
func (o Tracked) appendParts(b []byte, spans []parts.Span, withSpans bool) ([]byte, []parts.Span, error) {
	bad := func(path string, err error) error {
		return &Error{Op: "encode", OrderID: o.id, Path: path + pointer(err), Err: ErrMalformed, Cause: err}
	}
	// The snapshots' JSON is encoded once per snapshot (see encoded), and
	// put in as it is; the rest is written here, as json.Marshal would
	// write the stored form.
	var snap *snapshotJSON
	if o.snap != nil {
		var err error
		if snap, err = encoded(o.snap); err != nil {
			return nil, spans, bad("/order", err)
		}
	}
	appts := make([]*snapshotJSON, len(o.appts))
	for i, a := range o.appts {
		var err error
		if appts[i], err = encoded(a.snap); err != nil {
			return nil, spans, bad("/appointments/"+strconv.Itoa(i)+"/appointment", err)
		}
	}
	// put appends the JSON of a snapshot, and its span.
	put := func(b []byte, s *snapshotJSON) []byte {
		start := len(b)
		b = append(b, s.json...)
		if withSpans {
			spans = append(spans, parts.Span{Start: start, End: len(b), Snapshot: &s.part})
		}
		return b
	}
	b, err := jsontext.AppendQuote(append(b, `{"id":`...), o.id)
	if err != nil {
		return nil, spans, bad("/id", err)
	}
	if snap != nil {
		b = put(append(b, `,"order":`...), snap)
	}
	for i, p := range o.points {
		if i == 0 {
			b = append(b, `,"points":[`...)
		} else {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(b, `{"events":`...), int64(p.n), 10)
		if b, err = jsontext.AppendQuote(append(b, `,"appointment_id":`...), p.appointmentID); err != nil {
			return nil, spans, bad("/points/"+strconv.Itoa(i)+"/appointment_id", err)
		}
		b = append(b, '}')
	}
	if len(o.points) > 0 {
		b = append(b, ']')
	}
	for i, a := range o.appts {
		if i == 0 {
			b = append(b, `,"appointments":[`...)
		} else {
			b = append(b, ',')
		}
		b = append(put(append(b, `{"appointment":`...), appts[i]), `,"slots":`...)
		if fast, ok := appendSlots(b, a.slots); ok {
			b = append(fast, '}')
			continue
		}
		slots := make([]storedSlot, len(a.slots))
		for j, sl := range a.slots {
			slots[j] = storedSlot{Events: sl.n, StartAt: sl.slot.Start, EndAt: sl.slot.End}
		}
		w := appender(b)
		if err := json.MarshalWrite(&w, slots); err != nil {
			return nil, spans, bad("/appointments/"+strconv.Itoa(i)+"/slots", err)
		}
		b = append(w, '}')
	}
	if len(o.appts) > 0 {
		b = append(b, ']')
	}
	return append(b, '}'), spans, nil
}

// appendSlots appends the JSON of slots to b, as json.Marshal writes it
// for their storedSlot, and reports whether it could: not when a time is
// one RFC 3339 cannot hold, which json.Marshal reports.
func appendSlots(b []byte, slots []slotPoint) ([]byte, bool) {
	b = append(b, '[')
	for j, sl := range slots {
		if j > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(b, `{"events":`...), int64(sl.n), 10)
		var ok bool
		if b, ok = appendTime(b, `,"start_at":`, sl.slot.Start); !ok {
			return nil, false
		}
		if b, ok = appendTime(b, `,"end_at":`, sl.slot.End); !ok {
			return nil, false
		}
		b = append(b, '}')
	}
	return append(b, ']'), true
}

// appendTime appends the member name and t in RFC 3339 to b, nothing when
// t is zero, as json.Marshal writes it, and reports whether json.Marshal
// would: a year of four digits, and a zone offset under 24 hours.
func appendTime(b []byte, name string, t time.Time) ([]byte, bool) {
	if t.IsZero() {
		return b, true
	}
	b = append(append(b, name...), '"')
	n := len(b)
	b = t.AppendFormat(b, time.RFC3339Nano)
	if _, offset := t.Zone(); b[n+len("9999")] != '-' || offset <= -24*60*60 || offset >= 24*60*60 {
		return nil, false
	}
	return append(b, '"'), true
}

// appender is an io.Writer appending to itself.
type appender []byte

func (w *appender) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	return len(p), nil
}

// encodedSnapshots holds the JSON of the snapshots a Tracked holds, by the
// snapshot's address, each encoded once: a Tracked never writes to a
// snapshot it holds, and values that share one (each Apply returns a value
// sharing the snapshots it did not replace) share its JSON. An entry names
// its snapshot with a weak pointer, so that a snapshot allocated where one
// no longer reachable was is not taken for it; it goes once its snapshot
// is no longer reachable.
var encodedSnapshots sync.Map // uintptr → *snapshotJSON

// snapshotJSON is a snapshot's JSON, and what a store keeps with it.
type snapshotJSON struct {
	of   any // the snapshot's weak.Pointer
	json jsontext.Value
	part parts.Snapshot
}

// encodings counts the snapshots encoded, for their Age.
var encodings atomic.Uint64

// encoded returns the JSON of the snapshot p points to, encoding it the
// first time.
func encoded[T any](p *T) (*snapshotJSON, error) {
	k := uintptr(unsafe.Pointer(p))
	if v, ok := encodedSnapshots.Load(k); ok && holds(v.(*snapshotJSON), p) {
		return v.(*snapshotJSON), nil
	}
	b, err := marshalSnapshot(p)
	if err != nil {
		return nil, err
	}
	s := &snapshotJSON{of: weak.Make(p), json: b}
	s.part.Age = encodings.Add(1)
	return keep(k, p, s), nil
}

// keep stores s as the JSON of the snapshot p points to, at its address
// k, in place of the entry of a snapshot gone that was there, and returns
// it; or returns the entry of p's that another encoding stored first.
func keep[T any](k uintptr, p *T, s *snapshotJSON) *snapshotJSON {
	for {
		v, loaded := encodedSnapshots.LoadOrStore(k, s)
		switch {
		case loaded && holds(v.(*snapshotJSON), p):
			return v.(*snapshotJSON)
		case !loaded, encodedSnapshots.CompareAndSwap(k, v, s):
			runtime.AddCleanup(p, func(s *snapshotJSON) { encodedSnapshots.CompareAndDelete(k, s) }, s)
			return s
		}
		// Another entry replaced the one seen: look again.
	}
}

// holds reports whether s is the JSON of the snapshot p points to: not
// that of a snapshot gone, of either type, that was where p is.
func holds[T any](s *snapshotJSON, p *T) bool {
	w, ok := s.of.(weak.Pointer[T])
	return ok && w.Value() == p
}

// marshalSnapshot returns the JSON json.Marshal writes for the snapshot
// p points to, through the snapshot's MarshalJSON, which writes the same
// bytes without the json package's encoder; its errors are json.Marshal's.
func marshalSnapshot(p any) ([]byte, error) {
	if m, ok := p.(interface{ MarshalJSON() ([]byte, error) }); ok {
		if b, err := m.MarshalJSON(); err == nil {
			return b, nil
		}
	}
	return json.Marshal(p)
}

// UnmarshalJSON reads what [Tracked.MarshalJSON] writes, leaving o
// unchanged on error; null leaves o unchanged. Member names are matched
// exactly; an unknown member, a member given twice, or data after the
// stored form is refused. It also checks what Apply relies on: points in
// ascending order of history length, then of appointment id, and slots in
// ascending order of history length, all within the histories held;
// appointments in id order, of the order; every snapshot at-home
// phlebotomy, with a history that is a path of its lifecycle, since Apply
// checks only the entries that extend a history held. Anything else is an
// *[Error] wrapping [ErrMalformed] that names the order (when the stored
// form does) and the JSON Pointer of the member at fault.
func (o *Tracked) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	if o == nil {
		return &Error{Op: "decode", Reason: "decode into a nil *track.Tracked", Err: ErrMalformed}
	}
	var s storedForm[jsontext.Value, jsontext.Value]
	if err := json.Unmarshal(data, &s, json.RejectUnknownMembers(true)); err != nil {
		return &Error{Op: "decode", OrderID: storedID(data), Path: pointer(err), Err: ErrMalformed, Cause: err}
	}
	v, err := fromStored(&s)
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// storedID returns the order id a stored form names, if it can be read.
func storedID(data []byte) string {
	var s struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(data, &s) // best effort: the members before a fault are read
	return s.ID
}

// pointer returns the JSON Pointer that a JSON error locates its fault at,
// empty when it has none.
func pointer(err error) string {
	if se, ok := errors.AsType[*json.SemanticError](err); ok {
		return string(se.JSONPointer)
	}
	if se, ok := errors.AsType[*jsontext.SyntacticError](err); ok {
		return string(se.JSONPointer)
	}
	return ""
}

// fromStored returns the value a stored form holds, checked.
func fromStored(s *storedForm[jsontext.Value, jsontext.Value]) (Tracked, error) {
	bad := func(path, reason string, cause error) error {
		return &Error{Op: "decode", OrderID: s.ID, Path: path, Reason: reason, Err: ErrMalformed, Cause: cause}
	}
	v := Tracked{id: s.ID}
	if len(s.Order) > 0 && string(s.Order) != "null" {
		var snap order.Order
		if err := json.Unmarshal(s.Order, &snap); err != nil {
			return Tracked{}, bad("/order"+pointer(err), "", err)
		}
		if !snap.IsPhlebotomy() || snap.ID != s.ID {
			return Tracked{}, bad("/order", "not the phlebotomy order "+strconv.Quote(s.ID), nil)
		}
		if _, err := order.ValidateHistory(snap.History); err != nil {
			return Tracked{}, bad("/order/events", "", err)
		}
		v.snap = &snap
	}
	for i, p := range s.Points {
		pt := point{n: p.Events, appointmentID: p.AppointmentID}
		if p.Events < 1 || p.Events > len(v.ord().History) || i > 0 && comparePoints(v.points[i-1], pt) >= 0 {
			return Tracked{}, bad(fmt.Sprintf("/points/%d", i), fmt.Sprintf("events %d out of order or beyond the history", p.Events), nil)
		}
		v.points = append(v.points, pt)
	}
	for i, sa := range s.Appointments {
		at := fmt.Sprintf("/appointments/%d", i)
		var a appointment.Appointment
		if err := json.Unmarshal(sa.Appointment, &a); err != nil {
			return Tracked{}, bad(at+"/appointment"+pointer(err), "", err)
		}
		switch {
		case a.ID == "" || !a.IsPhlebotomy() || a.OrderID != s.ID:
			return Tracked{}, bad(at+"/appointment", "not a phlebotomy appointment of order "+strconv.Quote(s.ID), nil)
		case i > 0 && a.ID <= v.appts[i-1].snap.ID:
			return Tracked{}, bad(at+"/appointment/id", "not in id order", nil)
		case len(sa.Slots) == 0:
			return Tracked{}, bad(at+"/slots", "no slot", nil)
		}
		if err := appointment.ValidateHistory(a.History); err != nil {
			return Tracked{}, bad(at+"/appointment/events", "", err)
		}
		ap := appt{snap: &a}
		for j, sl := range sa.Slots {
			if sl.Events < 0 || sl.Events > len(a.History) || j > 0 && sl.Events <= sa.Slots[j-1].Events {
				return Tracked{}, bad(fmt.Sprintf("%s/slots/%d", at, j), fmt.Sprintf("events %d out of order or beyond the history", sl.Events), nil)
			}
			ap.slots = append(ap.slots, slotPoint{n: sl.Events, slot: Slot{Start: sl.StartAt, End: sl.EndAt}})
		}
		v.appts = append(v.appts, ap)
	}
	if v.id == "" && (v.snap != nil || len(v.appts) > 0) {
		return Tracked{}, bad("/id", "no id", nil)
	}
	return v, nil
}

// Value implements [driver.Valuer]: a database column holds the stored form
// of [Tracked.MarshalJSON], as bytes.
func (o Tracked) Value() (driver.Value, error) {
	b, err := o.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Scan implements [database/sql.Scanner] for a column holding the stored
// form, as bytes or text. NULL and other types are an *[Error] wrapping
// [ErrMalformed] (use sql.Null[Tracked] for a nullable column); on error o
// is unchanged.
func (o *Tracked) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		return o.UnmarshalJSON(v)
	case string:
		return o.UnmarshalJSON([]byte(v))
	case nil:
		return &Error{Op: "scan", Reason: "NULL", Err: ErrMalformed}
	}
	return &Error{Op: "scan", Reason: fmt.Sprintf("a %T", src), Err: ErrMalformed}
}
