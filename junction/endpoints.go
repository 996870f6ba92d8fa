package junction

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
)

// The endpoints' paths, under the client's base URL.
const (
	orderPath        = "/v3/order"
	availabilityPath = "/v3/order/phlebotomy/appointment/availability"
	reasonsPath      = "/v3/order/phlebotomy/appointment/cancellation-reasons"
)

// orderURL returns the path of an order's endpoint, such as
// /v3/order/{order_id}/cancel, or a local refusal of an empty order id.
func orderURL(op, orderID, rest string) (string, error) {
	if orderID == "" {
		return "", local(op, http.StatusUnprocessableEntity, nil,
			Problem{Loc: []any{"path", "order_id"}, Msg: "field required", Type: "value_error.missing"})
	}
	return orderPath + "/" + url.PathEscape(orderID) + rest, nil
}

// marshal encodes a request body.
func marshal(op string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, local(op, http.StatusUnprocessableEntity, err,
			Problem{Loc: []any{"body"}, Msg: "cannot be encoded: " + message(err), Type: "value_error"})
	}
	return b, nil
}

// CreateOrder places an order (POST /v3/order) and returns Junction's
// answer, the order ordered. It sends an idempotency key the client makes
// (see [WithIdempotencyKeys]), or the one given with
// [WithIdempotencyKey], the same on every attempt, so that the call is
// retried without risk of a second order.
func (c *Client) CreateOrder(ctx context.Context, r CreateOrderRequest, opts ...CallOption) (OrderResponse, error) {
	const op = "create order"
	if c == nil {
		return OrderResponse{}, errNilClient(op)
	}
	cfg := options(opts)
	key := cfg.key
	if !cfg.keySet {
		key = c.newKey()
	}
	body, err := marshal(op, r)
	if err != nil {
		return OrderResponse{}, err
	}
	var out OrderResponse
	err = c.do(ctx, call{op: op, method: http.MethodPost, path: orderPath, body: body, retry: key != "", key: key}, &out)
	if err != nil {
		return OrderResponse{}, err
	}
	return out, nil
}

// Order returns an order (GET /v3/order/{order_id}).
func (c *Client) Order(ctx context.Context, orderID string) (order.Order, error) {
	const op = "get order"
	if c == nil {
		return order.Order{}, errNilClient(op)
	}
	path, err := orderURL(op, orderID, "")
	if err != nil {
		return order.Order{}, err
	}
	var out order.Order
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: path, retry: true}, &out); err != nil {
		return order.Order{}, err
	}
	return out, nil
}

// CancelOrder cancels an order (POST /v3/order/{order_id}/cancel) and
// returns Junction's answer, the order cancelled. Junction refuses, with
// an *[APIError] wrapping [ErrRefused], an order whose status forbids it
// (completed, partial results, sample error, cancelled). It is retried
// only with [WithIdempotencyKey].
func (c *Client) CancelOrder(ctx context.Context, orderID string, opts ...CallOption) (OrderResponse, error) {
	const op = "cancel order"
	if c == nil {
		return OrderResponse{}, errNilClient(op)
	}
	path, err := orderURL(op, orderID, "/cancel")
	if err != nil {
		return OrderResponse{}, err
	}
	cfg := options(opts)
	var out OrderResponse
	err = c.do(ctx, call{op: op, method: http.MethodPost, path: path, retry: cfg.key != "", key: cfg.key}, &out)
	if err != nil {
		return OrderResponse{}, err
	}
	return out, nil
}

// AreaInfo says whether and by whom a zip code is served (GET
// /v3/order/area/info). A query [provider.AreaQuery.Validate] refuses is
// refused locally, with an *[APIError] wrapping [ErrValidation] and the
// provider package's error.
func (c *Client) AreaInfo(ctx context.Context, q provider.AreaQuery) (provider.AreaInfo, error) {
	const op = "area info"
	if c == nil {
		return provider.AreaInfo{}, errNilClient(op)
	}
	v, err := q.Values()
	if err != nil {
		field := "zip_code"
		if (provider.AreaQuery{ZipCode: q.ZipCode}).Validate() == nil {
			field = "radius"
		}
		return provider.AreaInfo{}, local(op, http.StatusUnprocessableEntity, err,
			Problem{Loc: []any{"query", field}, Msg: message(err), Type: "value_error." + field})
	}
	var out provider.AreaInfo
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: provider.AreaInfoPath, query: v, retry: true}, &out); err != nil {
		return provider.AreaInfo{}, err
	}
	return out, nil
}

// Availability returns the slots an appointment-ready provider offers at
// an address (POST /v3/order/phlebotomy/appointment/availability), from
// r.StartDate on. The endpoint changes nothing, so the client retries it
// as it does a GET (our decision). Each slot's booking key expires.
func (c *Client) Availability(ctx context.Context, r AvailabilityRequest) (Availability, error) {
	const op = "availability"
	if c == nil {
		return Availability{}, errNilClient(op)
	}
	var q url.Values
	if !r.StartDate.IsZero() {
		text, err := r.StartDate.MarshalText()
		if err != nil {
			return Availability{}, local(op, http.StatusUnprocessableEntity, err,
				Problem{Loc: []any{"query", "start_date"}, Msg: "invalid date", Type: "value_error.date"})
		}
		q = url.Values{"start_date": {string(text)}}
	}
	body, err := marshal(op, r.Address)
	if err != nil {
		return Availability{}, err
	}
	var out Availability
	if err := c.do(ctx, call{op: op, method: http.MethodPost, path: availabilityPath, query: q, body: body, retry: true}, &out); err != nil {
		return Availability{}, err
	}
	return out, nil
}

// Book books a slot for an order's appointment (POST
// /v3/order/{order_id}/phlebotomy/appointment/book) and returns the
// appointment. The client checks the request first (see [Facts]), and
// retries it only with [WithIdempotencyKey].
func (c *Client) Book(ctx context.Context, orderID string, r BookRequest, opts ...CallOption) (appointment.Appointment, error) {
	const op = "book"
	if c == nil {
		return appointment.Appointment{}, errNilClient(op)
	}
	cfg := options(opts)
	if err := c.checkBook(op, r, cfg.facts); err != nil {
		return appointment.Appointment{}, err
	}
	return c.appointmentCall(ctx, op, http.MethodPost, orderID, "/phlebotomy/appointment/book", r, cfg)
}

// Request asks a provider for an appointment (POST
// /v3/order/{order_id}/phlebotomy/appointment/request) and returns it,
// pending without a time until the provider assigns one. The client checks
// the request first (see [Facts]), and retries it only with
// [WithIdempotencyKey].
func (c *Client) Request(ctx context.Context, orderID string, r RequestAppointmentRequest, opts ...CallOption) (appointment.Appointment, error) {
	const op = "request"
	if c == nil {
		return appointment.Appointment{}, errNilClient(op)
	}
	cfg := options(opts)
	if err := c.checkRequest(op, r, cfg.facts); err != nil {
		return appointment.Appointment{}, err
	}
	return c.appointmentCall(ctx, op, http.MethodPost, orderID, "/phlebotomy/appointment/request", r, cfg)
}

// Reschedule moves an order's active appointment to another slot (PATCH
// /v3/order/{order_id}/phlebotomy/appointment/reschedule) and returns it.
// The client checks the request first (see [Facts]), and retries it only
// with [WithIdempotencyKey].
func (c *Client) Reschedule(ctx context.Context, orderID string, r RescheduleRequest, opts ...CallOption) (appointment.Appointment, error) {
	const op = "reschedule"
	if c == nil {
		return appointment.Appointment{}, errNilClient(op)
	}
	cfg := options(opts)
	if err := c.checkReschedule(op, r, cfg.facts); err != nil {
		return appointment.Appointment{}, err
	}
	return c.appointmentCall(ctx, op, http.MethodPatch, orderID, "/phlebotomy/appointment/reschedule", r, cfg)
}

// CancelAppointment cancels an order's active appointment (PATCH
// /v3/order/{order_id}/phlebotomy/appointment/cancel) for one of the
// reasons [Client.CancellationReasons] lists, and returns it cancelled.
// It is retried only with [WithIdempotencyKey].
func (c *Client) CancelAppointment(ctx context.Context, orderID string, r CancelAppointmentRequest, opts ...CallOption) (appointment.Appointment, error) {
	const op = "cancel appointment"
	if c == nil {
		return appointment.Appointment{}, errNilClient(op)
	}
	cfg := options(opts)
	if r.CancellationReasonID == "" && c.checks {
		return appointment.Appointment{}, local(op, http.StatusUnprocessableEntity, nil, Problem{
			Loc: []any{"body", "cancellation_reason_id"}, Msg: "field required", Type: "value_error.missing"})
	}
	return c.appointmentCall(ctx, op, http.MethodPatch, orderID, "/phlebotomy/appointment/cancel", r, cfg)
}

// Appointment returns an order's active appointment (GET
// /v3/order/{order_id}/phlebotomy/appointment); an order without one is
// an *[APIError] wrapping [ErrNotFound].
func (c *Client) Appointment(ctx context.Context, orderID string) (appointment.Appointment, error) {
	const op = "get appointment"
	if c == nil {
		return appointment.Appointment{}, errNilClient(op)
	}
	path, err := orderURL(op, orderID, "/phlebotomy/appointment")
	if err != nil {
		return appointment.Appointment{}, err
	}
	var out appointment.Appointment
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: path, retry: true}, &out); err != nil {
		return appointment.Appointment{}, err
	}
	return out, nil
}

// CancellationReasons returns the reasons Junction accepts for cancelling
// an appointment (GET
// /v3/order/phlebotomy/appointment/cancellation-reasons).
func (c *Client) CancellationReasons(ctx context.Context) ([]appointment.CancellationReason, error) {
	const op = "cancellation reasons"
	if c == nil {
		return nil, errNilClient(op)
	}
	var out []appointment.CancellationReason
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: reasonsPath, retry: true}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SimulateRequest is the query of POST /v3/order/{order_id}/test, which
// only Junction's sandbox answers: drive the order to FinalStatus, one
// step every Delay.
type SimulateRequest struct {
	// FinalStatus is the status to reach (final_status); the zero Status
	// leaves Junction's default, completed.
	FinalStatus order.Status
	// Delay is the time between steps (delay), in whole seconds; zero
	// sends none.
	Delay time.Duration
}

// Simulate asks Junction's sandbox to move an order along its lifecycle
// (POST /v3/order/{order_id}/test). The answer's body, which Junction
// does not describe, is not read. It is retried only with
// [WithIdempotencyKey].
func (c *Client) Simulate(ctx context.Context, orderID string, r SimulateRequest, opts ...CallOption) error {
	const op = "simulate"
	if c == nil {
		return errNilClient(op)
	}
	path, err := orderURL(op, orderID, "/test")
	if err != nil {
		return err
	}
	q := url.Values{}
	if r.FinalStatus != 0 {
		if !r.FinalStatus.IsValid() {
			return local(op, http.StatusUnprocessableEntity, nil,
				Problem{Loc: []any{"query", "final_status"}, Msg: "not an order status", Type: "type_error.enum"})
		}
		q.Set("final_status", r.FinalStatus.String())
	}
	if r.Delay < 0 || r.Delay%time.Second != 0 {
		return local(op, http.StatusUnprocessableEntity, nil,
			Problem{Loc: []any{"query", "delay"}, Msg: "not a whole number of seconds from 0", Type: "value_error.number"})
	}
	if r.Delay > 0 {
		q.Set("delay", strconv.FormatInt(int64(r.Delay/time.Second), 10))
	}
	cfg := options(opts)
	return c.do(ctx, call{op: op, method: http.MethodPost, path: path, query: q, retry: cfg.key != "", key: cfg.key}, nil)
}

// appointmentCall sends an appointment command with body v and decodes
// the appointment it answers.
func (c *Client) appointmentCall(ctx context.Context, op, method, orderID, rest string, v any, cfg callConfig) (appointment.Appointment, error) {
	path, err := orderURL(op, orderID, rest)
	if err != nil {
		return appointment.Appointment{}, err
	}
	body, err := marshal(op, v)
	if err != nil {
		return appointment.Appointment{}, err
	}
	var out appointment.Appointment
	k := call{op: op, method: method, path: path, body: body, retry: cfg.key != "", key: cfg.key}
	if err := c.do(ctx, k, &out); err != nil {
		return appointment.Appointment{}, err
	}
	return out, nil
}

// errNilClient is what a method of a nil *Client returns, in place of a
// panic: an error wrapping [ErrConfig].
func errNilClient(op string) error {
	return &configError{option: op, problem: "nil client (build one with New)"}
}
