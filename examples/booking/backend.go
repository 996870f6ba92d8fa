package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// Backend is a booking back end: the API a patient-facing app calls to
// place an order, see the slots offered at the patient's address, and
// book, move or cancel the appointment. Every call to Junction goes
// through the client; the back end holds only the slots it offered, so
// that it can check a booking against the scheduling rules before
// sending it.
type Backend struct {
	junction *junction.Client
	now      func() time.Time

	mu      sync.Mutex
	offered map[string]offer // by booking key
}

// offer is a slot the back end offered, with the provider Junction will
// send and the patient's time zone.
type offer struct {
	slot     junction.TimeSlot
	provider provider.Provider
	zone     *time.Location
}

// maxOffered bounds the slots the back end remembers (our decision):
// beyond it, the expired ones are dropped, then the whole set.
const maxOffered = 10_000

// maxBody is the largest request body the back end reads.
const maxBody = 64 << 10

// NewBackend returns a back end that calls Junction through c, with now
// the clock that tells which offered slots have expired.
func NewBackend(c *junction.Client, now func() time.Time) *Backend {
	return &Backend{junction: c, now: now, offered: map[string]offer{}}
}

// Handler returns the back end's endpoints:
//
//	POST   /orders                      a junction.CreateOrderRequest → {"order_id", "status"}
//	GET    /orders/{id}/slots           → {"provider", "timezone", "slots": [junction.TimeSlot]}
//	POST   /orders/{id}/appointment     {"booking_key", "notes"} → the appointment
//	PATCH  /orders/{id}/appointment     {"booking_key", "notes"} → the appointment
//	DELETE /orders/{id}/appointment     ?reason=<cancellation reason id> → the appointment
//
// A refusal answers {"error": …}: 422 for a request the rules or Junction
// refuse, 409 for one the order's status forbids, 404 for an unknown
// order, 502 when Junction cannot be reached.
func (b *Backend) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", b.createOrder)
	mux.HandleFunc("GET /orders/{id}/slots", b.slots)
	mux.HandleFunc("POST /orders/{id}/appointment", b.place(b.book))
	mux.HandleFunc("PATCH /orders/{id}/appointment", b.place(b.reschedule))
	mux.HandleFunc("DELETE /orders/{id}/appointment", b.cancel)
	return mux
}

// appointmentView is what the back end answers about an appointment.
type appointmentView struct {
	ID       string    `json:"id"`
	Status   string    `json:"status"`
	Provider string    `json:"provider"`
	StartAt  time.Time `json:"start_at,omitzero"`
	EndAt    time.Time `json:"end_at,omitzero"`
}

func view(a appointment.Appointment) appointmentView {
	return appointmentView{ID: a.ID, Status: a.Status.String(), Provider: a.Provider.String(), StartAt: a.StartAt, EndAt: a.EndAt}
}

func (b *Backend) createOrder(w http.ResponseWriter, r *http.Request) {
	var req junction.CreateOrderRequest
	if !read(w, r, &req) {
		return
	}
	placed, err := b.junction.CreateOrder(r.Context(), req)
	if err != nil {
		fail(w, err)
		return
	}
	write(w, http.StatusCreated, map[string]string{"order_id": placed.Order.ID, "status": placed.Order.Status().String()})
}

func (b *Backend) slots(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, err := b.junction.Order(ctx, r.PathValue("id"))
	if err != nil {
		fail(w, err)
		return
	}
	zip, _, _ := strings.Cut(o.Address.ZipCode, "-")
	info, err := b.junction.AreaInfo(ctx, provider.AreaQuery{ZipCode: zip})
	if err != nil {
		fail(w, err)
		return
	}
	p, err := info.ForBooking()
	if err != nil {
		write(w, http.StatusUnprocessableEntity, map[string]string{"error": "no provider books appointments at this address"})
		return
	}
	av, err := b.junction.Availability(ctx, junction.AvailabilityRequest{Address: o.Address})
	if err != nil {
		fail(w, err)
		return
	}
	zone, err := time.LoadLocation(av.Timezone)
	if err != nil || av.Timezone == "" {
		zone = time.UTC
	}
	out := struct {
		Provider string              `json:"provider"`
		Timezone string              `json:"timezone"`
		Slots    []junction.TimeSlot `json:"slots"`
	}{Provider: p.String(), Timezone: av.Timezone, Slots: []junction.TimeSlot{}}
	b.mu.Lock()
	b.forget()
	for _, day := range av.Slots {
		for _, s := range day.Slots {
			if s.BookingKey != "" {
				b.offered[s.BookingKey] = offer{slot: s, provider: p, zone: zone}
				out.Slots = append(out.Slots, s)
			}
		}
	}
	b.mu.Unlock()
	write(w, http.StatusOK, out)
}

// forget drops the expired offers once there are too many, and all of
// them if that is not enough. It is called with b.mu held.
func (b *Backend) forget() {
	if len(b.offered) < maxOffered {
		return
	}
	now := b.now()
	for k, o := range b.offered {
		if !o.slot.ExpiresAt.IsZero() && !o.slot.ExpiresAt.After(now) {
			delete(b.offered, k)
		}
	}
	if len(b.offered) >= maxOffered {
		clear(b.offered)
	}
}

// change is the body of a book or reschedule.
type change struct {
	BookingKey string `json:"booking_key"`
	Notes      string `json:"notes"`
}

// facts returns what the back end knows for the client's local checks:
// the order, the slot it offered under key, and the order's active
// appointment, if any.
func (b *Backend) facts(ctx context.Context, o order.Order, key string) junction.Facts {
	b.mu.Lock()
	off, ok := b.offered[key]
	b.mu.Unlock()
	f := junction.Facts{Order: o}
	if ok {
		f.Slot, f.Provider, f.TimeZone = off.slot, off.provider, off.zone
	}
	if o.AppointmentID() != "" {
		if a, err := b.junction.Appointment(ctx, o.ID); err == nil {
			f.Existing = []appointment.Appointment{a}
		}
	}
	return f
}

// place is the handler that books a slot for an order's appointment, or
// reschedules it: the two differ only in the call to Junction.
func (b *Backend) place(call func(ctx context.Context, orderID string, c change, facts junction.CallOption) (appointment.Appointment, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var c change
		if !read(w, r, &c) {
			return
		}
		ctx := r.Context()
		o, err := b.junction.Order(ctx, r.PathValue("id"))
		if err != nil {
			fail(w, err)
			return
		}
		a, err := call(ctx, o.ID, c, junction.WithFacts(b.facts(ctx, o, c.BookingKey)))
		if err != nil {
			fail(w, err)
			return
		}
		b.used(c.BookingKey)
		write(w, http.StatusOK, view(a))
	}
}

func (b *Backend) book(ctx context.Context, orderID string, c change, facts junction.CallOption) (appointment.Appointment, error) {
	return b.junction.Book(ctx, orderID, junction.BookRequest{BookingKey: c.BookingKey, AppointmentNotes: c.Notes}, facts)
}

func (b *Backend) reschedule(ctx context.Context, orderID string, c change, facts junction.CallOption) (appointment.Appointment, error) {
	return b.junction.Reschedule(ctx, orderID, junction.RescheduleRequest{BookingKey: c.BookingKey, AppointmentNotes: c.Notes}, facts)
}

// used forgets a booking key Junction has used up.
func (b *Backend) used(key string) {
	b.mu.Lock()
	delete(b.offered, key)
	b.mu.Unlock()
}

func (b *Backend) cancel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	reason := r.URL.Query().Get("reason")
	if reason == "" {
		reasons, err := b.junction.CancellationReasons(ctx)
		if err != nil || len(reasons) == 0 {
			fail(w, err)
			return
		}
		reason = reasons[0].ID
	}
	a, err := b.junction.CancelAppointment(ctx, r.PathValue("id"), junction.CancelAppointmentRequest{CancellationReasonID: reason})
	if err != nil {
		fail(w, err)
		return
	}
	write(w, http.StatusOK, view(a))
}

// read decodes a request body into v, or answers 400.
func read(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		write(w, http.StatusBadRequest, map[string]string{"error": "the body is not the JSON expected"})
		return false
	}
	return true
}

// fail answers the error of a call to Junction: its detail for a
// refusal, never the request.
func fail(w http.ResponseWriter, err error) {
	status, msg := http.StatusBadGateway, "Junction cannot be reached"
	var refusal *junction.APIError
	if errors.As(err, &refusal) {
		msg = refusal.Detail.String()
		switch {
		case errors.Is(err, junction.ErrValidation):
			status = http.StatusUnprocessableEntity
		case errors.Is(err, junction.ErrRefused):
			status = http.StatusConflict
		case errors.Is(err, junction.ErrNotFound):
			status = http.StatusNotFound
		}
	}
	write(w, status, map[string]string{"error": msg})
}

// write answers status with v's JSON.
func write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.MarshalWrite(w, v)
}
