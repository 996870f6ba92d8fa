package sandbox

import (
	_ "embed" // the published cancellation reasons
	"errors"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/junction"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
)

// reasonsJSON is the response of the cancellation reasons endpoint as
// Junction's documentation publishes it, byte for byte.
//
//go:embed cancellation-reasons.json
var reasonsJSON []byte

// maxBody is the largest request body the server reads.
const maxBody = 1 << 20

// maxDelay is the longest delay POST /v3/order/{order_id}/test takes, in
// seconds (our decision: a year).
const maxDelay = 365 * 24 * 60 * 60

// routes returns the server's endpoints: one pattern each, with its
// method and its {order_id}.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, body []byte)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if !s.authorized(r.Header.Get(apiKeyHeader)) {
				detail(w, http.StatusUnauthorized, msgUnauthorized)
				return
			}
			body, ok := readBody(w, r)
			if !ok {
				return
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			fn(w, r, body)
			s.settle()
		})
	}
	// onOrder registers an endpoint of one order: the {order_id} must be a
	// UUID the server holds.
	onOrder := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, e *entry, body []byte)) {
		handle(pattern, func(w http.ResponseWriter, r *http.Request, body []byte) {
			id := r.PathValue("order_id")
			if !isUUID(id) {
				invalid(w, problems{{Loc: []any{"path", "order_id"}, Msg: "value is not a valid uuid", Type: "type_error.uuid"}})
				return
			}
			e, ok := s.orders[strings.ToLower(id)]
			if !ok {
				detail(w, http.StatusNotFound, msgNotFound)
				return
			}
			fn(w, r, e, body)
		})
	}
	handle("POST /v3/order", s.createOrderIdempotent)
	handle("GET /v3/order/area/info", func(w http.ResponseWriter, r *http.Request, _ []byte) {
		q := r.URL.Query()
		s.areaInfo(w, q.Get("zip_code"), q.Get("radius"), q.Has("radius"))
	})
	handle("POST /v3/order/phlebotomy/appointment/availability", func(w http.ResponseWriter, r *http.Request, body []byte) {
		s.availability(w, body, r.URL.Query().Get("start_date"))
	})
	handle("GET /v3/order/phlebotomy/appointment/cancellation-reasons", func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(reasonsJSON)
	})
	onOrder("GET /v3/order/{order_id}", func(w http.ResponseWriter, _ *http.Request, e *entry, _ []byte) {
		writeJSON(w, http.StatusOK, e.snapshot())
	})
	onOrder("POST /v3/order/{order_id}/cancel", func(w http.ResponseWriter, _ *http.Request, e *entry, _ []byte) {
		s.cancelOrder(w, e)
	})
	onOrder("POST /v3/order/{order_id}/test", func(w http.ResponseWriter, r *http.Request, e *entry, body []byte) {
		q := r.URL.Query()
		s.test(w, e, body, q.Get("final_status"), q.Get("delay"), q.Has("delay"))
	})
	onOrder("GET /v3/order/{order_id}/phlebotomy/appointment", func(w http.ResponseWriter, _ *http.Request, e *entry, _ []byte) {
		act, ok := e.flow.Active()
		if !ok {
			detail(w, http.StatusNotFound, "No active appointment")
			return
		}
		a, _ := e.appointmentByID(act.ID)
		writeJSON(w, http.StatusOK, a)
	})
	onOrder("POST /v3/order/{order_id}/phlebotomy/appointment/book", s.book)
	onOrder("POST /v3/order/{order_id}/phlebotomy/appointment/request", s.request)
	onOrder("PATCH /v3/order/{order_id}/phlebotomy/appointment/reschedule", s.reschedule)
	onOrder("PATCH /v3/order/{order_id}/phlebotomy/appointment/cancel", s.cancelAppointment)
	s.controls(mux)
	return mux
}

// readBody reads the request's body, up to [maxBody] bytes, or answers
// why it cannot.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Body == nil {
		return nil, true
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			detail(w, http.StatusRequestEntityTooLarge, "Request body too large")
		} else {
			detail(w, http.StatusBadRequest, "Cannot read the request body")
		}
		return nil, false
	}
	return body, true
}

// ServeHTTP answers one request of Junction's at-home phlebotomy API; see
// the package documentation for the endpoints and their answers. A path
// no endpoint has, or one not in its clean form (path.Clean: no empty,
// "." or ".." segment, no final slash), is answered 404 {"detail": "Not Found"}; a method the
// path does not answer, 405 {"detail": "Method Not Allowed"} with an
// Allow header naming the one it does. HEAD is answered as GET, as
// net/http does (our decision).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern == "" || path.Clean(r.URL.Path) != r.URL.Path {
		var miss missWriter
		if pattern == "" {
			h.ServeHTTP(&miss, r) // the mux's own 404 or 405, with its Allow header
		}
		if miss.status != http.StatusMethodNotAllowed {
			detail(w, http.StatusNotFound, "Not Found")
			return
		}
		allow := slices.DeleteFunc(strings.Split(miss.header.Get("Allow"), ", "), func(m string) bool {
			return m == http.MethodHead
		})
		w.Header().Set("Allow", strings.Join(allow, ", "))
		detail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// missWriter records what ServeMux answers a request no pattern takes:
// its status and headers, without the plain-text body.
type missWriter struct {
	header http.Header
	status int
}

func (m *missWriter) Header() http.Header {
	if m.header == nil {
		m.header = http.Header{}
	}
	return m.header
}

func (m *missWriter) Write(b []byte) (int, error) { return len(b), nil }

func (m *missWriter) WriteHeader(status int) { m.status = status }

// The headers the server reads.
const (
	apiKeyHeader         = "X-Vital-Api-Key"
	idempotencyKeyHeader = "X-Idempotency-Key"
)

// msgUnauthorized is the detail of a 401 answer (our wording: Junction's
// documentation says only that the API key is missing or invalid).
const msgUnauthorized = "The API key is missing or invalid."

// authorized reports whether key is one the server accepts
// ([WithAPIKeys]).
func (s *Server) authorized(key string) bool {
	if s.cfg.apiKeys == nil {
		return key != ""
	}
	return s.cfg.apiKeys[key]
}

// captured is an answer written to memory, to be saved for an
// idempotency key and then sent.
type captured struct {
	header http.Header
	status int
	body   []byte
}

func (c *captured) Header() http.Header { return c.header }
func (c *captured) Write(b []byte) (int, error) {
	c.body = append(c.body, b...)
	return len(b), nil
}
func (c *captured) WriteHeader(status int) { c.status = status }

// replay sends a saved answer.
func replay(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// createOrderIdempotent answers POST /v3/order, with X-Idempotency-Key as
// Junction's documentation describes it: the answer to the first request
// with a key is saved, whether it succeeded or failed, and sent again to
// every later request with the key, whatever its body; an answer to a
// body that does not validate is not saved. (X-Idempotency-Error: no-cache
// asks Junction not to save a failure; here a create fails only when its
// body does not validate, so it changes nothing.) Keys are kept a day of
// virtual time, at most 10,000 of them, oldest dropped first (our
// decisions); a key is at most 255 bytes.
func (s *Server) createOrderIdempotent(w http.ResponseWriter, r *http.Request, body []byte) {
	key := r.Header.Get(idempotencyKeyHeader)
	if len(key) > maxIdempotencyK {
		invalid(w, problems{{Loc: []any{"header", "x-idempotency-key"}, Msg: "ensure this value has at most 255 characters",
			Type: "value_error.any_str.max_length"}})
		return
	}
	if key == "" {
		s.createOrder(w, body)
		return
	}
	if saved, ok := s.recall(key); ok {
		replay(w, saved.status, saved.body)
		return
	}
	c := &captured{header: http.Header{}}
	if s.createOrder(c, body) {
		s.remember(key, c.status, c.body)
	}
	replay(w, c.status, c.body)
}

// createOrder answers POST /v3/order, and reports whether the order's
// creation began: the body validated.
func (s *Server) createOrder(w http.ResponseWriter, body []byte) (executed bool) {
	c, ps := decodeCreateOrder(body)
	if len(ps) > 0 {
		invalid(w, ps)
		return false
	}
	test, known := s.labTests[c.LabTestID]
	switch {
	case c.CollectionMethod != "" && c.CollectionMethod != order.ModalityAtHomePhlebotomy:
		ps.add("only at_home_phlebotomy orders are supported", "value_error.collection_method", "body", "collection_method")
	case !known:
		ps.add("lab test not found", "value_error.lab_test_id", "body", "lab_test_id")
	case test.Method != order.ModalityAtHomePhlebotomy:
		ps.add("only at_home_phlebotomy lab tests are supported, not "+string(test.Method),
			"value_error.lab_test_id", "body", "lab_test_id")
	}
	if len(ps) > 0 {
		invalid(w, ps)
		return false
	}
	area := s.areas[zip5(c.Address.ZipCode)]
	var zone *time.Location
	if area != nil {
		zone = area.zone
	}
	// The flow's address is the appointments' (a USAddress): without the
	// receiver and phone of the order's patient_address.
	at := *c.Address
	at.ReceiverName, at.PhoneNumber = "", ""
	id := s.newID(orderKind)
	o, events, err := scheduling.Place(scheduling.PlaceOrder{
		ID: id, TeamID: s.cfg.teamID, ClientUserID: c.UserID, UserID: c.UserID, Patient: *c.Patient, TimeZone: zone,
		Address:    at,
		ActivateBy: c.ActivateBy,
		Settings: scheduling.Settings{PreRequisitionScheduling: s.cfg.preReq,
			PartialResultsWebhooks: s.cfg.partialHooks},
	}, s.clock)
	if err != nil {
		detail(w, http.StatusUnprocessableEntity, msgCannotProcess) // a clock beyond the year 9999
		return true
	}
	s.orderSeq++
	e := &entry{seq: s.orderSeq, flow: o, req: c, labTest: test, area: area, txID: s.newID(transactionKind),
		detailsID: s.newID(detailsKind)}
	s.orders[id] = e
	s.touch(e)
	for i := range events {
		s.send(e, events[i])
	}
	writeJSON(w, http.StatusOK, junction.OrderResponse{Order: e.snapshot(), Status: "success", Message: "Order created successfully"})
	return true
}

// zip5 returns the five-digit zip code of a zip code or ZIP+4.
func zip5(zip string) string {
	five, _, _ := strings.Cut(zip, "-")
	return five
}

func (s *Server) cancelOrder(w http.ResponseWriter, e *entry) {
	if st := e.flow.Status; !st.Cancellable() {
		detail(w, http.StatusBadRequest, "Transition from "+st.String()+" to cancelled is not allowed")
		return
	}
	if err := s.apply(e, scheduling.Flow.Cancel); err != nil {
		refuse(w, err, cancelAction)
		return
	}
	writeJSON(w, http.StatusOK, junction.OrderResponse{Order: e.snapshot(), Status: "success", Message: "Order cancelled successfully"})
}

func (s *Server) areaInfo(w http.ResponseWriter, zip, radius string, hasRadius bool) {
	var ps problems
	if zip == "" {
		ps.missing("query", "zip_code")
	} else if err := (provider.AreaQuery{ZipCode: zip}).Validate(); err != nil {
		ps.add(msgZipPattern, "value_error.str.regex", "query", "zip_code")
	}
	if hasRadius {
		// A radius sent must be one Junction accepts; AreaQuery would
		// take 0 for "not sent".
		n, err := strconv.Atoi(radius)
		switch {
		case err != nil:
			ps.add("value is not a valid integer", "type_error.integer", "query", "radius")
		case !provider.Radius(n).IsValid():
			ps.add("radius must be 10, 20, 25, 50 or 100 miles", "value_error.radius", "query", "radius")
		}
	}
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	info := provider.AreaInfo{ZipCode: zip}
	if a := s.areas[zip]; a != nil {
		info = a.info()
	}
	writeJSON(w, http.StatusOK, info) // JSON v2: its lists are arrays, never null
}

func (s *Server) availability(w http.ResponseWriter, body []byte, startDate string) {
	var ps problems
	var from time.Time
	if startDate != "" {
		d, err := time.Parse(time.DateOnly, startDate)
		if err != nil {
			ps.add("invalid date format", "value_error.date", "query", "start_date")
		}
		from = d
	}
	addr, bodyProblems := decodeAddress(body)
	ps = append(ps, bodyProblems...)
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	if err := scheduling.ValidateAddress(addr); err != nil {
		invalid(w, addressProblems(err, "body"))
		return
	}
	a := s.areas[zip5(addr.ZipCode)]
	if a == nil {
		detail(w, http.StatusUnprocessableEntity, "zip code "+zip5(addr.ZipCode)+msgNotServed)
		return
	}
	p, err := a.info().ForBooking()
	if err != nil {
		detail(w, http.StatusUnprocessableEntity, "zip code "+a.ZipCode+msgNoBookingInArea)
		return
	}
	today := s.clock.In(a.zone)
	y, m, d := today.Date()
	if from.IsZero() || from.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		from = today
	} else {
		y, m, d = from.Date()
		from = time.Date(y, m, d, 0, 0, 0, 0, a.zone)
	}
	writeJSON(w, http.StatusOK, slots(a, p, from, s.clock, s.cfg.keyTTL, func(k bookingKey) string {
		s.keySeq++
		k.seq = s.keySeq
		return s.keys.text(k)
	}))
}

// key returns the slot a booking key stands for, for an appointment of e
// with p (any provider when p is zero), or answers why it cannot be used.
func (s *Server) key(w http.ResponseWriter, e *entry, text string, p provider.Provider) (bookingKey, bool) {
	k, ok := s.keys.parse(text)
	if _, used := s.used[text]; used {
		ok = false
	}
	switch {
	case !ok:
		invalid(w, problems{{Loc: []any{"body", "booking_key"}, Msg: "unknown booking key", Type: "value_error.booking_key"}})
	case !k.expires.After(s.clock):
		invalid(w, problems{{Loc: []any{"body", "booking_key"}, Msg: "booking key expired at " + wireTime(k.expires),
			Type: "value_error.booking_key"}})
	case k.zip != zip5(e.flow.Address.ZipCode):
		invalid(w, problems{{Loc: []any{"body", "booking_key"}, Msg: "booking key is for zip code " + k.zip +
			", not the order's " + zip5(e.flow.Address.ZipCode), Type: "value_error.booking_key"}})
	case p.IsValid() && k.provider != p:
		invalid(w, problems{{Loc: []any{"body", "booking_key"}, Msg: "booking key is for " + k.provider.String() +
			", not the appointment's " + p.String(), Type: "value_error.booking_key"}})
	default:
		return k, true
	}
	return bookingKey{}, false
}

func (s *Server) book(w http.ResponseWriter, _ *http.Request, e *entry, body []byte) {
	b, ps := decodeBook(body)
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	k, ok := s.key(w, e, b.BookingKey, 0)
	if !ok {
		return
	}
	id := s.newID(appointmentKind)
	r := scheduling.BookRequest{ID: id, Start: k.start, End: k.end, Provider: k.provider, Notes: b.AppointmentNotes,
		Existing: s.existing(e), Async: b.AsyncConfirmation}
	if err := s.apply(e, func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return o.Book(r, now)
	}); err != nil {
		refuse(w, err, bookAction)
		return
	}
	s.markUsed(b.BookingKey, k.expires)
	if b.AsyncConfirmation {
		e.async = asyncBooking{id: id, cancelAt: s.clock.Add(time.Duration(*b.AsyncConfirmationTimeoutMS) * time.Millisecond)}
		if s.cfg.asyncDelay >= 0 {
			e.async.confirmAt = s.clock.Add(s.cfg.asyncDelay)
		}
		s.touch(e)
	}
	a, _ := e.appointmentByID(id)
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) request(w http.ResponseWriter, _ *http.Request, e *entry, body []byte) {
	q, ps := decodeRequest(body)
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	if err := scheduling.ValidateAddress(*q.Address); err != nil {
		invalid(w, addressProblems(err, "body", "address"))
		return
	}
	if zip, own := zip5(q.Address.ZipCode), zip5(e.flow.Address.ZipCode); zip != own {
		invalid(w, problems{{Loc: []any{"body", "address", "zip_code"}, Msg: "zip code " + zip +
			" is not the order's " + own + ": the appointment is at the patient's address",
			Type: "value_error.zip_code"}})
		return
	}
	info := provider.AreaInfo{ZipCode: zip5(q.Address.ZipCode)}
	if a := s.areas[info.ZipCode]; a != nil {
		info = a.info()
	}
	id := s.newID(appointmentKind)
	r := scheduling.RequestAppointment{ID: id, Provider: q.Provider, Area: &info, Notes: q.AppointmentNotes,
		Existing: s.existing(e)}
	if err := s.apply(e, func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return o.Request(r, now)
	}); err != nil {
		refuse(w, err, requestAction)
		return
	}
	a, _ := e.appointmentByID(id)
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) reschedule(w http.ResponseWriter, _ *http.Request, e *entry, body []byte) {
	q, ps := decodeReschedule(body)
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	act, ok := e.flow.Active()
	if !ok {
		detail(w, http.StatusBadRequest, "No active appointment to reschedule")
		return
	}
	p := act.Provider
	k, ok := s.key(w, e, q.BookingKey, p)
	if !ok {
		return
	}
	if err := s.apply(e, func(o scheduling.Flow, now time.Time) (scheduling.Flow, []scheduling.Webhook, error) {
		return o.Reschedule(k.start, k.end, q.AppointmentNotes, now)
	}); err != nil {
		refuse(w, err, rescheduleAction)
		return
	}
	s.markUsed(q.BookingKey, k.expires)
	a, _ := e.appointmentByID(act.ID)
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) cancelAppointment(w http.ResponseWriter, _ *http.Request, e *entry, body []byte) {
	q, ps := decodeCancel(body)
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	i := slices.IndexFunc(s.reasons, func(r appointment.CancellationReason) bool { return r.ID == q.CancellationReasonID })
	if i < 0 {
		invalid(w, problems{{Loc: []any{"body", "cancellation_reason_id"}, Msg: "unknown cancellation reason",
			Type: "value_error.cancellation_reason_id"}})
		return
	}
	act, ok := e.flow.Active()
	if !ok {
		detail(w, http.StatusBadRequest, "No active appointment to cancel")
		return
	}
	if err := s.apply(e, scheduling.Flow.CancelAppointment); err != nil {
		refuse(w, err, cancelApptAction)
		return
	}
	reason := s.reasons[i]
	c := Cancellation{OrderID: e.flow.ID, AppointmentID: act.ID, Reason: reason, Notes: q.Notes, At: s.clock,
		Refundable: reason.IsRefundable}
	if start := act.StartAt; !start.IsZero() {
		c.Start, c.RefundDeadline = start, scheduling.RefundDeadline(start)
		c.Refundable = reason.IsRefundable && scheduling.Refundable(start, s.clock)
	}
	e.cancellations = append(e.cancellations, c)
	a, _ := e.appointmentByID(act.ID)
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) test(w http.ResponseWriter, e *entry, body []byte, finalStatus, delay string, hasDelay bool) {
	ps := decodeSimulationFlags(body)
	target := order.Completed
	if finalStatus != "" {
		st, err := order.ParseStatus(finalStatus)
		if err != nil {
			ps.add(msgEnum, "type_error.enum", "query", "final_status")
		}
		target = st
	}
	seconds := 0
	if hasDelay {
		n, err := strconv.Atoi(delay)
		if err != nil || n < 0 || n > maxDelay {
			ps.add("ensure this value is an integer from 0 to 31536000", "value_error.number.range", "query", "delay")
		}
		seconds = n
	}
	if len(ps) > 0 {
		invalid(w, ps)
		return
	}
	cur := e.flow.Status
	path, ok := order.Path(cur, target)
	if !ok {
		detail(w, http.StatusBadRequest, "Transition from "+cur.String()+" to "+target.String()+" is not allowed")
		return
	}
	if _, active := e.flow.Active(); !active && appoints(path) && !s.canPlace(e) {
		detail(w, http.StatusUnprocessableEntity, "zip code "+zip5(e.flow.Address.ZipCode)+msgNotServed)
		return
	}
	s.simulate(e, target, time.Duration(seconds)*time.Second)
	writeJSON(w, http.StatusOK, junction.OrderResponse{Order: e.snapshot(), Status: "success", Message: "Order simulation started"})
}
