package tier

import (
	"net/url"
	"strings"
)

// orderIDPlaceholder is the path parameter of every endpoint pattern.
const orderIDPlaceholder = "{order_id}"

// methodPost is the HTTP method of both create endpoints. It is spelled
// out rather than taken from net/http to keep this package light.
const methodPost = "POST"

// Endpoint is the Junction endpoint that creates an appointment of one
// tier: POST /v3/order/{order_id}/phlebotomy/appointment/book for
// appointment-ready and POST /v3/order/{order_id}/phlebotomy/appointment/request
// for appointment-request. Get one from [Tier.Endpoint]. It is a small
// comparable value; the zero value is invalid, as is the endpoint of an
// invalid tier: [Endpoint.Tier] tells which tier it belongs to.
type Endpoint struct {
	tier Tier
}

// Tier returns the tier whose appointments e creates.
func (e Endpoint) Tier() Tier { return e.tier }

// Method returns the HTTP method of e ("POST"), or "" if e is invalid.
func (e Endpoint) Method() string {
	if !e.tier.IsValid() {
		return ""
	}
	return methodPost
}

// Pattern returns the path of e with its parameter in braces, such as
// "/v3/order/{order_id}/phlebotomy/appointment/book", or "" if e is
// invalid.
func (e Endpoint) Pattern() string {
	if !e.tier.IsValid() {
		return ""
	}
	return tiers[e.tier].pattern
}

// String returns the method and the pattern separated by a space, such as
// "POST /v3/order/{order_id}/phlebotomy/appointment/book", the form that
// [net/http.ServeMux] accepts as a route. For an invalid endpoint it
// returns a Go-syntax form such as "tier.Endpoint(tier.Tier(0))".
func (e Endpoint) String() string {
	if !e.tier.IsValid() {
		return "tier.Endpoint(" + e.tier.String() + ")"
	}
	return methodPost + " " + tiers[e.tier].pattern
}

// Path returns the request path of e for one order, such as
// "/v3/order/8d2a.../phlebotomy/appointment/book".
//
// Our decision: the order id is placed as it is, never escaped. An id
// that is empty, that is "." or "..", or that holds any byte
// [url.PathEscape] would change ('/', '?', '#', '%', spaces, control or
// non-ASCII bytes) is rejected with an [*Error] wrapping
// [ErrInvalidOrderID]: Junction's order ids are UUIDs in all its
// examples, so such an id is a caller's bug, and escaping it would send a
// request for an order that does not exist. An invalid endpoint yields an
// [*Error] wrapping [ErrInvalidTier].
func (e Endpoint) Path(orderID string) (string, error) {
	if !e.tier.IsValid() {
		return "", &Error{Value: e.tier.String(), Err: ErrInvalidTier}
	}
	if err := checkOrderID(orderID); err != nil {
		return "", err
	}
	return strings.Replace(tiers[e.tier].pattern, orderIDPlaceholder, orderID, 1), nil
}

// checkOrderID returns an [*Error] when id cannot be placed in a
// path segment unchanged.
func checkOrderID(id string) error {
	switch {
	case id == "":
		return &Error{Value: id, Reason: "is empty", Err: ErrInvalidOrderID}
	case id == "." || id == "..":
		return &Error{Value: id, Reason: "is a dot segment", Err: ErrInvalidOrderID}
	case url.PathEscape(id) != id:
		return &Error{Value: id, Reason: "contains a character that needs escaping", Err: ErrInvalidOrderID}
	}
	return nil
}
