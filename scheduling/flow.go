package scheduling

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
	"github.com/phlebkit/phlebkit/webhook"
)

// Errors of the order flow.
var (
	// ErrRequisitionRequired reports a booking or request made before the
	// order's requisition exists, by a team without pre-requisition
	// scheduling.
	ErrRequisitionRequired = errors.New("scheduling: requisition required")
	// ErrNotAllowed reports a command that the order or its appointment
	// cannot take in its current status.
	ErrNotAllowed = errors.New("scheduling: not allowed")
	// ErrClock reports a command dated before the order's last change.
	ErrClock = errors.New("scheduling: time went backwards")
)

// StateError reports a command that the order or its active appointment
// cannot take in its current status. It unwraps to [ErrNotAllowed] and,
// when a lifecycle refused a transition, to that lifecycle's error.
type StateError struct {
	Command     string             // such as "reschedule"
	Order       order.Status       // the order's status
	Appointment appointment.Status // the active appointment's status; zero when there is none
	Err         error              // the lifecycle's refusal, if any
}

// Error returns a message such as
// "scheduling: not allowed: reschedule: order appointment_pending, appointment pending".
func (e *StateError) Error() string {
	appt := "no active appointment"
	if e.Appointment.IsValid() {
		appt = "appointment " + e.Appointment.String()
	}
	return "scheduling: not allowed: " + e.Command + ": order " + e.Order.String() + ", " + appt
}

// Unwrap returns [ErrNotAllowed] and the lifecycle's refusal, if any.
func (e *StateError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrNotAllowed}
	}
	return []error{ErrNotAllowed, e.Err}
}

// Settings are a team's options that change the flow.
type Settings struct {
	// PreRequisitionScheduling lets the team book or request an appointment
	// before the order's requisition exists (a closed-beta feature
	// enabled per team). Such appointments are subject to
	// auto-cancellation.
	PreRequisitionScheduling bool `json:"pre_requisition_scheduling"`
	// PartialResultsWebhooks makes partial results send a
	// labtest.order.updated webhook; by default Junction sends none.
	PartialResultsWebhooks bool `json:"partial_results_webhooks"`
}

// timeZone returns the patient's time zone, UTC when none is set.
func (o *Flow) timeZone() *time.Location {
	if o.TimeZone == nil {
		return time.UTC
	}
	return o.TimeZone
}

// Placement is one appointment of a [Flow]: Junction's appointment
// value, with its events history kept as Junction keeps it, and what the
// flow needs besides.
//
// Its JSON form is its own, not Junction's: {"appointment": Junction's
// appointment JSON, "tier", "placed_at"} (see [Placement.MarshalJSON]),
// so that Tier and PlacedAt are stored too. For Junction's JSON alone,
// encode the embedded appointment.Placement.
type Placement struct {
	appointment.Appointment
	// Tier is how the appointment was made.
	Tier tier.Tier
	// PlacedAt is when it was booked or requested.
	PlacedAt time.Time
}

// Flow is one at-home phlebotomy order together with its appointments, as
// a value: the state Junction keeps and changes, of which an [order.Order]
// is one snapshot as Junction sends it (see [Flow.Snapshot]), and from
// whose webhooks a consumer's track.Tracked learns. Its commands
// ([Flow.CreateRequisition], [Flow.Book], [Flow.Request],
// [Flow.Reschedule], …) are pure: each takes the instant
// it happens at and returns the new value and the webhooks Junction would
// send, in order; or a typed error and the value unchanged. A command never
// writes to the value it is called on: what it changes, it copies first.
// Like any Go value holding slices, the new value shares what did not change
// (the history of an appointment the command did not touch) with the old
// one, so treat the slices of a Flow as read-only. The order's History,
// and each appointment's, also share their entries with the flows before
// it: they have room after their entries that a later command fills in
// place, unless another command on the same flow already has, so append to
// a copy of one ([slices.Clone]), never to the history itself.
//
// An appointment's status is its [appointment.Appointment.EffectiveStatus];
// the flow keeps Status and EventStatus equal.
//
// Every command, [Flow.Tick] included, first applies Junction's
// auto-cancellation up to its instant (see [AutoCancel]), and again after
// its own change, so that no appointment outlives its auto-cancellation
// deadline. An auto-cancellation is dated when its rule starts to hold, or
// at the change that made it hold, if later. Before the requisition, a
// command that would leave an appointment that a rule cancels at once (a
// booking or request more than 8 hours after the order, a slot less than 2
// hours away) is refused with an *[RuleError] wrapping [ErrAutoCancel] instead (our decision:
// such an appointment would be cancelled the moment it is made).
//
// Where the documentation is silent the flow makes these choices (our
// decisions): creating an appointment record always sends
// labtest.appointment.created in status pending, and each later status
// change labtest.appointment.updated; an order webhook comes before the
// appointment webhook of the same change, except when the draw completes;
// a ready-tier appointment booked after the requisition moves the order
// through appointment_pending to appointment_scheduled, also after a
// cancelled appointment; a reserved appointment, booked before the
// requisition, may be rescheduled and stays reserved (as Getlabs does with
// appointments that lack a requisition); a reschedule without notes keeps
// the previous appointment notes; an appointment-request is judged by the
// age rule on the day it is requested, and again on the day penciled in or
// rescheduled to.
//
// Each webhook is a [Webhook]: its message id and type, and what its
// order or appointment snapshot is built from, which [Webhook.Event] turns
// into the [webhook.Event] Junction sends, its snapshot carrying the
// history up to that change (see [Flow.Snapshot]). A command copies no
// order for its webhooks: they share the histories with the flow, which
// is why the flow's slices are read-only. Its ID, the message id Svix
// would give it, is made up and stable (our decision): "msg_<order
// id>_o<history entry id>" for an order webhook, "msg_<appointment
// id>_<length of its history>" for an appointment webhook.
//
// A refused command reports the statuses it found after applying
// auto-cancellation up to its instant; the value it returns is the one it
// was called on, to which [Flow.Tick] applies that cancellation.
//
// A Flow is meant to be stored between commands: it encodes to JSON of
// its own ([Flow.MarshalJSON]), and decoding that ([Flow.UnmarshalJSON],
// [DecodeFlow]) gives an equal value, on which every command behaves as on
// the original. Commands write instants in UTC (webhooks' too), as [Place]
// does, and refuse an instant outside the years 0000 to 9999 in UTC with a
// *[RuleError] wrapping [ErrRange] (our decision: the order could not be stored).
type Flow struct {
	// ID is the order's id.
	ID string
	// TeamID is the customer's Junction team, which the webhooks carry.
	TeamID string
	// ClientUserID is the customer's own id for the patient, which the
	// webhooks carry.
	ClientUserID string
	// Status is the order's low-level status: the status of the last
	// entry of History.
	Status order.Status
	// History is the order's status history as Junction keeps it (the
	// order's events[]): one entry per status the order entered, oldest
	// first, with ids 1, 2, 3, … and the instant of the change. Partial
	// results enter it even when no webhook is sent for them (inferred).
	History []order.HistoryEntry
	// CreatedAt is when the order was placed.
	CreatedAt time.Time
	// ActivateBy is the activate_by date of a scheduled order; the zero
	// Date otherwise.
	ActivateBy order.Date
	// Requisition reports whether the order's requisition exists (created
	// or bypassed).
	Requisition bool
	// UserID is the patient's Junction user id.
	UserID string
	// Patient is who the order is for; its DOB is the date of birth the age
	// rule reads.
	Patient order.Patient
	// Address is the patient's address, with its access notes.
	Address order.Address
	// TimeZone is the patient's time zone, which names the appointments'
	// iana_timezone and tells the calendar day of an appointment for the
	// age rule; nil means UTC. It has an IANA name (see [ErrZone]).
	TimeZone *time.Location
	// Settings are the team's options.
	Settings Settings
	// Appointments are the order's appointments, oldest first; at most one
	// is active.
	Appointments []Placement
	// Clock is the instant of the last change; commands dated earlier are
	// refused.
	Clock time.Time
}

// PlaceOrder describes an order to place.
type PlaceOrder struct {
	// ID is the order's id.
	ID string
	// TeamID is the customer's Junction team.
	TeamID string
	// ClientUserID is the customer's own id for the patient.
	ClientUserID string
	// UserID is the patient's Junction user id.
	UserID string
	// Patient is who the order is for; its DOB is the date of birth the age
	// rule reads.
	Patient order.Patient
	// Address is the patient's address, with its access notes.
	Address order.Address
	// TimeZone is the patient's time zone, which names the appointments'
	// iana_timezone; nil means UTC. It must have an IANA name (see
	// [ErrZone]): [Place] refuses one that has none, such as time.Local
	// or a time.FixedZone with a made-up name, and stores the zone loaded
	// from the name ([time.UTC] for nil).
	TimeZone *time.Location
	// ActivateBy is the activate_by date of a scheduled order; the zero
	// Date otherwise.
	ActivateBy order.Date
	// Settings are the team's options.
	Settings Settings
}

// Place places an order at now: it starts ordered, with one entry in its
// history, and Junction sends labtest.order.created.
//
// Place refuses, with every reason at once, a TimeZone without an IANA
// name (a *[RuleError] wrapping [ErrZone]), a now outside the years 0000 to
// 9999 in UTC, and an ActivateBy or a date of birth that is neither zero
// nor a valid date ([order.Date.IsValid]) (a *[RuleError] wrapping
// [ErrRange]; our decision: the order could not be stored).
//
// It stores what it is given in the form the order's JSON writes, so that
// an order survives encoding exactly (see [Flow.MarshalJSON]): instants
// in UTC without their monotonic clock reading, and the TimeZone as the
// zone loaded from its IANA name (time.UTC for nil). Behaviour does not
// change: the rules compare instants.
func Place(p PlaceOrder, now time.Time) (Flow, []Webhook, error) {
	return placeFlow(p, now, false)
}

// placeFlow is [Place]; bare leaves the webhook without its data.
func placeFlow(p PlaceOrder, now time.Time, bare bool) (Flow, []Webhook, error) {
	loc, zoneErr := ianaZone(p.TimeZone)
	if err := errors.Join(zoneErr, inRange("now", now), dateInRange("activate_by", p.ActivateBy),
		dateInRange("dob", p.Patient.DOB)); err != nil {
		return Flow{}, nil, err
	}
	now = now.UTC()
	o := Flow{
		ID: p.ID, TeamID: p.TeamID, ClientUserID: p.ClientUserID, Status: order.Ordered,
		History:   appendHistory(nil, order.HistoryEntry{ID: 1, CreatedAt: now, Status: order.Ordered}),
		CreatedAt: now, ActivateBy: p.ActivateBy, UserID: p.UserID, Patient: p.Patient, Address: p.Address,
		TimeZone: loc, Settings: p.Settings, Clock: now,
	}
	t := tx{o: o, now: now, orders: 1, bare: bare}
	t.orderEvent(webhook.OrderCreated)
	t.name()
	return t.o, t.hooks, nil
}

// Active returns the order's active appointment (pending, reserved,
// confirmed or in progress), and whether there is one. Its history is
// clipped to its length, so that appending to it copies it.
func (o Flow) Active() (Placement, bool) {
	if i := o.active(); i >= 0 {
		p := o.Appointments[i]
		p.History = p.History[:len(p.History):len(p.History)]
		return p, true
	}
	return Placement{}, false
}

func (o *Flow) active() int {
	for i := len(o.Appointments) - 1; i >= 0; i-- {
		if o.Appointments[i].EffectiveStatus().Active() {
			return i
		}
	}
	return -1
}

// AutoCancel describes the order's active appointment for the
// auto-cancellation rules, and reports whether there is one.
func (o Flow) AutoCancel() (AutoCancel, bool) { return o.autoCancel() }

func (o *Flow) autoCancel() (AutoCancel, bool) {
	i := o.active()
	if i < 0 {
		return AutoCancel{}, false
	}
	start := o.Appointments[i].StartAt
	return AutoCancel{OrderCreatedAt: o.CreatedAt, ActivateBy: o.ActivateBy, Requisition: o.Requisition, Start: start}, true
}

// tx is a command under way: a copy of the order, changed in place, and the
// webhooks it has sent so far.
type tx struct {
	o     Flow
	now   time.Time
	cmd   string
	hooks []Webhook
	// orders and appts are how many order and appointment webhooks the
	// command usually sends.
	orders, appts int
	bare          bool // the webhooks refer to no data (for measuring what the data costs)
	// data is what the command's order webhooks are built from, allocated
	// with the first of them.
	data *orderData
	// apptSnaps hold the appointment snapshots the webhooks point to: one
	// allocation for those the command usually takes.
	apptSnaps []appointment.Appointment
	// subjects are what each webhook's message id names, by position.
	subjects [maxSubjects]subject
	owned    bool // t.o.Appointments is this command's own copy
}

// own gives the command its own copy of the appointments, with room for
// extra more, before it changes any of them: the order it was called on
// shares the original.
func (t *tx) own(extra int) {
	if t.owned {
		return
	}
	own := make([]Placement, len(t.o.Appointments), len(t.o.Appointments)+extra)
	copy(own, t.o.Appointments)
	t.o.Appointments, t.owned = own, true
}

// begin starts a command at now in t, on a copy of the order: it checks the
// order and the clock, and applies auto-cancellation up to now. The command
// then changes t.o and ends with [Flow.done]. orders and appts are how
// many order and appointment webhooks the command usually sends, the room
// its webhooks and their snapshots start with.
func (o *Flow) begin(t *tx, cmd string, now time.Time, orders, appts int) error {
	if !o.Status.IsValid() {
		return &StateError{Command: cmd, Order: o.Status, Err: order.ErrUnknownStatus}
	}
	if err := inRange("now", now); err != nil {
		return err
	}
	if now.Before(o.Clock) {
		return clockError(now, o.Clock)
	}
	t.o, t.now, t.cmd, t.orders, t.appts = *o, now.UTC(), cmd, orders, appts
	t.autoCancel(o.Clock)
	return nil
}

// done ends a command: on error it returns the order it was called on,
// unchanged; otherwise it applies auto-cancellation again and dates the
// result.
func (o Flow) done(t *tx, err error) (Flow, []Webhook, error) {
	if err != nil {
		return o, nil, err
	}
	t.autoCancel(t.now)
	t.o.Clock = t.now
	t.name()
	t.share()
	return t.o, t.hooks, nil
}

// emit adds a webhook of type typ, with the envelope, for the caller to
// add what its data refers to, and records that it is about id, numbered
// n. The slot past the end of the slice is zero already (make and
// growslice zero what they allocate): reslicing spares copying a zero
// Webhook into it.
func (t *tx) emit(typ webhook.Type, id string, n int64) *Webhook {
	if t.hooks == nil {
		t.hooks = make([]Webhook, 0, max(t.orders+t.appts, 1))
	}
	i := len(t.hooks)
	t.hooks = slices.Grow(t.hooks, 1)[:i+1]
	if i < maxSubjects {
		t.subjects[i] = subject{id: id, n: n}
	}
	w := &t.hooks[i]
	w.Type, w.userID, w.clientUserID, w.teamID = typ, t.o.UserID, t.o.ClientUserID, t.o.TeamID
	return w
}

// refuse returns the error for a command the current statuses do not allow.
func (t *tx) refuse(cause error) error {
	e := &StateError{Command: t.cmd, Order: t.o.Status, Err: cause}
	if i := t.o.active(); i >= 0 {
		e.Appointment = t.o.Appointments[i].EffectiveStatus()
	}
	return e
}

// order moves the order along e, records the new status in its history and
// sends labtest.order.updated, unless quiet. The history is shared with
// the order the command was called on, so the command appends to its own
// copy.
func (t *tx) order(e order.Trigger, quiet bool) error {
	next, err := order.Next(t.o.Status, e)
	if err != nil {
		return t.refuse(err)
	}
	var id int64 = 1
	if n := len(t.o.History); n > 0 {
		id = t.o.History[n-1].ID + 1
	}
	t.o.Status = next
	t.o.History = appendHistory(t.o.History, order.HistoryEntry{ID: id, CreatedAt: t.now.UTC(), Status: next})
	if !quiet {
		t.orderEvent(webhook.OrderUpdated)
	}
	return nil
}

// appt moves appointment i along e at at, records it in the appointment's
// history and sends labtest.appointment.updated. The entry goes in the
// room after the history, or at the end of a copy when the history has
// none or another command took it ([appendApptHistory]).
func (t *tx) appt(i int, e appointment.Trigger, at time.Time, data appointment.EventData) error {
	next, err := appointment.Next(t.o.Appointments[i].EffectiveStatus(), e)
	if err != nil {
		return t.refuse(err)
	}
	t.own(0)
	t.touch(i, true)
	a := &t.o.Appointments[i]
	a.Status, a.EventStatus, a.EventData = next, next, data
	a.CanReschedule = next == appointment.Reserved || next == appointment.Confirmed
	var raw jsontext.Value
	if data.IsReschedule {
		// Each entry gets its own bytes: a caller writing to one entry's
		// Data must not change another order's.
		raw = jsontext.Value(rescheduleData)
	}
	a.History = appendApptHistory(a.History, appointment.HistoryEntry{CreatedAt: at.UTC(), Status: next.EventStatus(), Data: raw})
	t.appointmentEvent(webhook.AppointmentUpdated, i)
	return nil
}

// rescheduleData is the data of a reschedule entry of an appointment's
// history, as Junction's example webhook carries it; the flow sets no other
// event data.
const rescheduleData = `{"is_reschedule":true}`

// autoCancel cancels the active appointment if an auto-cancellation rule
// holds at t.now. The cancellation is dated when the rule starts to hold,
// but not before since, the last change to what the rules look at.
func (t *tx) autoCancel(since time.Time) {
	ac, ok := t.o.autoCancel()
	if !ok {
		return
	}
	at, _, ok := ac.FiresAt()
	if !ok || at.After(t.now) {
		return
	}
	if at.Before(since) {
		at = since
	}
	// Without a requisition the order is ordered and stays so; cancelling an
	// active appointment is always allowed.
	_ = t.appt(t.o.active(), appointment.Cancel, at, appointment.EventData{})
}

// Tick advances the order's clock to now, applying auto-cancellation when
// its rule fires: the active appointment is cancelled and Junction sends
// labtest.appointment.updated; the order stays ordered.
func (o Flow) Tick(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "tick", now, 0, 1)
	return o.done(&t, err)
}

// CreateRequisition records that the order's requisition was created. The
// order moves to requisition_created; with an active appointment, on to
// appointment_pending; and when that appointment is reserved, on to
// appointment_scheduled while the appointment is confirmed. A request-tier
// appointment still pending stays pending.
func (o Flow) CreateRequisition(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "create_requisition", now, 3, 1)
	if err == nil {
		err = t.requisition(order.CreateRequisition)
	}
	return o.done(&t, err)
}

// BypassRequisition records that no requisition is needed because one
// already existed (imported orders). The order moves to
// requisition_bypassed, then as [Flow.CreateRequisition] describes.
func (o Flow) BypassRequisition(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "bypass_requisition", now, 3, 1)
	if err == nil {
		err = t.requisition(order.BypassRequisition)
	}
	return o.done(&t, err)
}

func (t *tx) requisition(e order.Trigger) error {
	if err := t.order(e, false); err != nil {
		return err
	}
	t.o.Requisition = true
	i := t.o.active()
	if i < 0 {
		return nil
	}
	if err := t.order(order.PlaceAppointment, false); err != nil {
		return err
	}
	if t.o.Appointments[i].EffectiveStatus() != appointment.Reserved {
		return nil
	}
	if err := t.order(order.ScheduleAppointment, false); err != nil {
		return err
	}
	return t.appt(i, appointment.Confirm, t.now, appointment.EventData{})
}

// BookRequest is an appointment-ready booking: a slot from the
// availability endpoint.
type BookRequest struct {
	// ID is the new appointment's id; empty gives "<order id>-a<n>".
	ID string
	// Start and End are the slot.
	Start, End time.Time
	// Provider is the provider to book. When it is not valid (the zero
	// Provider) and Area is set, the provider is chosen from Area as the
	// book endpoint would ([provider.AreaInfo.ForBooking]).
	Provider provider.Provider
	// Area is the area information of the patient's zip code, consulted
	// when Provider is zero.
	Area *provider.AreaInfo
	// Notes are the appointment notes.
	Notes string
	// Existing are the patient's appointments on other orders, for the
	// one-active-appointment-per-provider rule.
	Existing []appointment.Appointment
	// Async books with asynchronous confirmation (the book endpoint's
	// async_confirmation): the appointment stays pending, and the order
	// appointment_pending once the requisition exists, until the provider
	// confirms it ([Flow.Confirm]) or it is cancelled.
	Async bool
	// EnforceLead refuses a booking that starts sooner than the provider's
	// recommended lead time (Getlabs: 48 hours) with [ErrLeadTime], as
	// [Booking.EnforceLead] does; by default the flow books it.
	EnforceLead bool
}

// Book books an appointment-ready appointment at now. Before the
// requisition exists it needs [Settings.PreRequisitionScheduling]: the
// order stays ordered and the appointment goes pending, then at once
// reserved. After it, the order moves through appointment_pending to
// appointment_scheduled and the appointment from pending to confirmed.
//
// It is refused, with every reason at once where several apply, when the
// order already has an active appointment, when [ValidateBooking] refuses
// the booking (before the requisition, with the order's
// [Booking.PreRequisition]: a booking an auto-cancellation rule would
// cancel at once is refused with [ErrAutoCancel]), when the patient's
// location has no IANA name ([ErrZone]), when the requisition is required,
// or when the order's status does not allow an appointment. When the
// provider is to be chosen from the area and none can be, the provider
// package's error (wrapping [provider.ErrNotServed] or
// [provider.ErrTierUnavailable]) comes alone.
func (o Flow) Book(r BookRequest, now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "book", now, 2, 2)
	if err == nil {
		err = t.book(r)
	}
	return o.done(&t, err)
}

func (t *tx) book(r BookRequest) error {
	p := r.Provider
	if !p.IsValid() && r.Area != nil {
		var err error
		if p, err = r.Area.ForBooking(); err != nil {
			return err
		}
	}
	return t.place(tier.AppointmentReady, p, r.ID, r.Start, r.End, r.Notes, r.Existing, r.Async, r.EnforceLead)
}

// RequestAppointment is an appointment-request request: no time, a
// provider that offers the tier.
type RequestAppointment struct {
	// ID is the new appointment's id; empty gives "<order id>-a<n>".
	ID string
	// Provider is the provider asked; it must offer appointment-request.
	Provider provider.Provider
	// Area, when set, must list Provider with appointment-request
	// ([provider.AreaInfo.ForRequest]).
	Area *provider.AreaInfo
	// Notes are the appointment notes.
	Notes string
	// Existing are the patient's appointments on other orders.
	Existing []appointment.Appointment
}

// Request requests an appointment-request appointment at now. It starts
// pending, with no time, until the provider pencils a slot in
// ([Flow.PencilIn]). After the requisition, the order moves to
// appointment_pending. It is refused as [Flow.Book] is; an Area that does
// not list the provider with appointment-request is refused with the
// provider package's error alone.
func (o Flow) Request(r RequestAppointment, now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "request", now, 1, 1)
	if err == nil {
		err = t.request(r)
	}
	return o.done(&t, err)
}

func (t *tx) request(r RequestAppointment) error {
	if r.Area != nil {
		if err := r.Area.ForRequest(r.Provider); err != nil {
			return err
		}
	}
	return t.place(tier.AppointmentRequest, r.Provider, r.ID, time.Time{}, time.Time{}, r.Notes, r.Existing, false, false)
}

func (t *tx) place(tr tier.Tier, p provider.Provider, id string, start, end time.Time, notes string, existing []appointment.Appointment, async, lead bool) error {
	var errs []error
	if i := t.o.active(); i >= 0 {
		errs = append(errs, activeError(0, []string{t.o.Appointments[i].ID}))
	}
	b := Booking{
		Tier: tr, Provider: p, BirthDate: t.o.Patient.DOB, Address: t.o.Address,
		Start: start, End: end, TimeZone: t.o.TimeZone, AppointmentNotes: notes, Existing: existing, EnforceLead: lead,
	}
	if err := ValidateBooking(b, t.now); err != nil {
		errs = append(errs, err)
	}
	// The auto-cancellation rules, as ValidateBooking checks them with a
	// Booking.PreRequisition.
	if err := t.checkAutoCancel(start); err != nil {
		errs = append(errs, err)
	}
	loc, err := ianaZone(t.o.TimeZone)
	if err != nil {
		errs = append(errs, err)
	}
	if !t.o.Requisition && !t.o.Settings.PreRequisitionScheduling {
		errs = append(errs, ErrRequisitionRequired)
	}
	if t.o.Requisition {
		if _, err := order.Next(t.o.Status, order.PlaceAppointment); err != nil {
			errs = append(errs, t.refuse(err))
		}
	} else if t.o.Status != order.Ordered {
		errs = append(errs, t.refuse(nil))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if id == "" {
		id = t.o.ID + "-a" + strconv.Itoa(len(t.o.Appointments)+1)
	}
	// The new appointment is built in place, at the end of the command's
	// own copy of the appointments, before the order's webhook, which names
	// it.
	t.own(1)
	i := len(t.o.Appointments)
	t.o.Appointments = append(t.o.Appointments, Placement{Tier: tr, PlacedAt: t.now})
	a := &t.o.Appointments[i]
	a.ID, a.UserID, a.OrderID = id, t.o.UserID, t.o.ID
	a.Address, a.Type, a.Provider = t.o.Address, appointment.Phlebotomy, p
	a.Status, a.EventStatus = appointment.Pending, appointment.Pending
	a.AppointmentNotes = notes
	a.IANATimezone = loc.String()
	if !start.IsZero() {
		a.StartAt = start.UTC()
	}
	if !end.IsZero() {
		a.EndAt = end.UTC()
	}
	a.History = appendApptHistory(nil, appointment.HistoryEntry{CreatedAt: t.now.UTC(), Status: appointment.Pending.EventStatus()})
	if t.o.Requisition {
		if err := t.order(order.PlaceAppointment, false); err != nil {
			return err
		}
	}
	t.appointmentEvent(webhook.AppointmentCreated, i)
	if tr != tier.AppointmentReady || async {
		return nil
	}
	return t.confirm(i)
}

// confirm confirms pending appointment i, which has its slot: with the
// requisition the order moves to appointment_scheduled and the appointment
// is confirmed; without it the appointment is reserved and the order stays
// ordered.
func (t *tx) confirm(i int) error {
	if !t.o.Requisition {
		return t.appt(i, appointment.Reserve, t.now, appointment.EventData{})
	}
	if err := t.order(order.ScheduleAppointment, false); err != nil {
		return err
	}
	return t.appt(i, appointment.Confirm, t.now, appointment.EventData{})
}

// checkAutoCancel returns an *[RuleError] wrapping [ErrAutoCancel] when an appointment
// starting at start (zero for none yet), made at t.now, is one that an
// auto-cancellation rule cancels at once; nil once the requisition exists.
func (t *tx) checkAutoCancel(start time.Time) error {
	return checkAutoCancel(AutoCancel{OrderCreatedAt: t.o.CreatedAt, ActivateBy: t.o.ActivateBy,
		Requisition: t.o.Requisition, Start: start}, t.now)
}

// checkSlot checks a new slot for the appointment, penciled in or
// rescheduled, at t.now: the slot itself, the patient's age on its day,
// and, before the requisition, the auto-cancellation rules.
func (t *tx) checkSlot(start, end time.Time, notes string) error {
	return errors.Join(slot(start, end, t.now), CheckAge(t.o.Patient.DOB, start.In(t.o.timeZone())),
		CheckNotes("", notes), t.checkAutoCancel(start))
}

// slot checks a new slot at now.
func slot(start, end, now time.Time) error {
	switch {
	case start.IsZero():
		return slotError("start_at", start, "a slot needs a start time")
	case !storable(start) || !storable(end):
		return storableSlot(start, end)
	case !end.IsZero() && !end.After(start):
		return slotError("end_at", end, "end is not after start")
	case !start.After(now):
		return slotError("start_at", start, "start is not in the future")
	}
	return nil
}

// PencilIn records that the provider of a pending appointment-request
// appointment has agreed a slot with the patient. With the requisition the
// appointment is confirmed and the order moves to appointment_scheduled;
// without it the appointment is reserved and the order stays ordered. The
// slot must be in the future and within the years 0000 to 9999 in UTC, the
// patient 18 on its day, and, before the requisition, at least 2 hours
// away (otherwise [ErrAutoCancel]).
func (o Flow) PencilIn(start, end, now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "pencil_in", now, 1, 1)
	if err == nil {
		err = t.pencilIn(start, end)
	}
	return o.done(&t, err)
}

func (t *tx) pencilIn(start, end time.Time) error {
	i := t.o.active()
	if i < 0 || t.o.Appointments[i].Tier != tier.AppointmentRequest || t.o.Appointments[i].EffectiveStatus() != appointment.Pending {
		return t.refuse(nil)
	}
	if err := t.checkSlot(start, end, ""); err != nil {
		return err
	}
	t.own(0)
	t.touch(i, false)
	a := &t.o.Appointments[i]
	a.StartAt, a.EndAt = start.UTC(), time.Time{}
	if !end.IsZero() {
		a.EndAt = end.UTC()
	}
	return t.confirm(i)
}

// Confirm records that the provider confirmed an appointment-ready booking
// made with [BookRequest.Async], still pending: with the requisition the
// appointment is confirmed and the order moves to appointment_scheduled;
// without it the appointment is reserved and the order stays ordered. An
// unconfirmed booking is declined with [Flow.CancelAppointment].
func (o Flow) Confirm(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "confirm", now, 1, 1)
	if err == nil {
		err = t.confirmBooking()
	}
	return o.done(&t, err)
}

func (t *tx) confirmBooking() error {
	i := t.o.active()
	if i < 0 || t.o.Appointments[i].Tier != tier.AppointmentReady || t.o.Appointments[i].EffectiveStatus() != appointment.Pending {
		return t.refuse(nil)
	}
	return t.confirm(i)
}

// Reschedule moves the active appointment, reserved or confirmed, to a new
// slot, with new appointment notes or, when notes is empty, the previous
// ones (see [NotesForReschedule]). A confirmed appointment keeps the order
// in appointment_scheduled (labtest.order.updated, then
// labtest.appointment.updated with is_reschedule); a reserved one, booked
// before the requisition, stays reserved and the order ordered (inferred:
// our decision). The new slot must be in the future and within the years
// 0000 to 9999 in UTC, the patient 18 on its day, and, for a reserved
// appointment, the slot at least 2 hours away (otherwise [ErrAutoCancel]).
func (o Flow) Reschedule(start, end time.Time, notes string, now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "reschedule", now, 1, 1)
	if err == nil {
		err = t.reschedule(start, end, notes)
	}
	return o.done(&t, err)
}

func (t *tx) reschedule(start, end time.Time, notes string) error {
	i := t.o.active()
	if i < 0 {
		return t.refuse(nil)
	}
	if _, err := appointment.Next(t.o.Appointments[i].EffectiveStatus(), appointment.Reschedule); err != nil {
		return t.refuse(err)
	}
	if err := t.checkSlot(start, end, notes); err != nil {
		return err
	}
	t.own(0)
	t.touch(i, false)
	a := &t.o.Appointments[i]
	a.StartAt, a.EndAt = start.UTC(), time.Time{}
	if !end.IsZero() {
		a.EndAt = end.UTC()
	}
	a.AppointmentNotes = NotesForReschedule(a.Appointment, notes).AppointmentNotes
	if a.EffectiveStatus() == appointment.Confirmed {
		if err := t.order(order.RescheduleAppointment, false); err != nil {
			return err
		}
	}
	return t.appt(i, appointment.Reschedule, t.now, appointment.EventData{IsReschedule: true})
}

// CancelAppointment cancels the active appointment. Before the requisition
// the order stays ordered; after it the order moves to
// appointment_cancelled, from which a new appointment can be booked or
// requested. Junction's appointment carries no cancellation reason: the
// caller keeps its own.
func (o Flow) CancelAppointment(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "cancel_appointment", now, 1, 1)
	if err == nil {
		err = t.cancelAppointment()
	}
	return o.done(&t, err)
}

func (t *tx) cancelAppointment() error {
	i := t.o.active()
	if i < 0 {
		return t.refuse(nil)
	}
	if t.o.Requisition {
		if err := t.order(order.CancelAppointment, false); err != nil {
			return err
		}
	}
	return t.appt(i, appointment.Cancel, t.now, appointment.EventData{})
}

// StartVisit records that the phlebotomist is on the way: the confirmed
// appointment moves to in_progress; the order does not change.
func (o Flow) StartVisit(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "start_visit", now, 0, 1)
	if err == nil {
		err = t.startVisit()
	}
	return o.done(&t, err)
}

func (t *tx) startVisit() error {
	i := t.o.active()
	if i < 0 {
		return t.refuse(nil)
	}
	return t.appt(i, appointment.Start, t.now, appointment.EventData{})
}

// CompleteDraw records that the blood was drawn: the appointment, confirmed
// or in progress, completes (labtest.appointment.updated) and the order
// moves to draw_completed (labtest.order.updated).
func (o Flow) CompleteDraw(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "complete_draw", now, 1, 1)
	if err == nil {
		err = t.completeDraw()
	}
	return o.done(&t, err)
}

func (t *tx) completeDraw() error {
	i := t.o.active()
	if i < 0 {
		return t.refuse(nil)
	}
	if err := t.appt(i, appointment.Complete, t.now, appointment.EventData{}); err != nil {
		return err
	}
	return t.order(order.CompleteDraw, false)
}

// ReceivePartialResults records partial results: the order moves to
// partial_results, as often as they come. Junction sends a webhook for it
// only with [Settings.PartialResultsWebhooks].
func (o Flow) ReceivePartialResults(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "receive_partial_results", now, 1, 0)
	if err == nil {
		err = t.order(order.ReceivePartialResults, !t.o.Settings.PartialResultsWebhooks)
	}
	return o.done(&t, err)
}

// CompleteResults records the final results: the order moves to completed.
func (o Flow) CompleteResults(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "complete", now, 1, 0)
	if err == nil {
		err = t.order(order.Complete, false)
	}
	return o.done(&t, err)
}

// ReportSampleError records that the laboratory could not process the
// sample: the order moves to sample_error, for good.
func (o Flow) ReportSampleError(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "report_sample_error", now, 1, 0)
	if err == nil {
		err = t.order(order.ReportSampleError, false)
	}
	return o.done(&t, err)
}

// CorrectResults records corrected results: the order moves to corrected.
func (o Flow) CorrectResults(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "correct_results", now, 1, 0)
	if err == nil {
		err = t.order(order.CorrectResults, false)
	}
	return o.done(&t, err)
}

// Cancel cancels the order, when its status allows it
// ([order.Status.Cancellable]), and its active appointment with it:
// labtest.order.updated, then labtest.appointment.updated.
func (o Flow) Cancel(now time.Time) (Flow, []Webhook, error) {
	var t tx
	err := o.begin(&t, "cancel", now, 1, 1)
	if err == nil {
		err = t.cancel()
	}
	return o.done(&t, err)
}

func (t *tx) cancel() error {
	if err := t.order(order.Cancel, false); err != nil {
		return err
	}
	if i := t.o.active(); i >= 0 {
		return t.appt(i, appointment.Cancel, t.now, appointment.EventData{})
	}
	return nil
}
