package webhook

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

// Sentinel errors of verification. Every error [Verifier.Verify] returns
// wraps [ErrUnverified] and one reason, so that a caller can answer any
// failure alike with one errors.Is and still tell the reasons apart.
var (
	// ErrUnverified reports a delivery that cannot be shown to come from
	// Junction: it wraps every verification failure.
	ErrUnverified = errors.New("webhook: unverified delivery")
	// ErrMissingHeader reports a delivery without one of the svix-id,
	// svix-timestamp and svix-signature headers, or with one empty.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrMalformedHeader reports a svix-timestamp that is not a Unix time
	// in seconds written as a plain decimal integer.
	ErrMalformedHeader = errors.New("webhook: malformed header")
	// ErrStaleTimestamp reports a delivery sent more than [Tolerance]
	// before the time of verification: too old to accept, since it could
	// be a replay.
	ErrStaleTimestamp = errors.New("webhook: timestamp too old")
	// ErrFutureTimestamp reports a delivery sent more than [Tolerance]
	// after the time of verification.
	ErrFutureTimestamp = errors.New("webhook: timestamp too new")
	// ErrNoSignature reports a delivery none of whose v1 signatures was
	// made with the verifier's secrets over this body.
	ErrNoSignature = errors.New("webhook: no matching signature")
	// ErrInvalidSecret reports a signing secret that cannot be used: empty,
	// or not base64 after its whsec_ prefix.
	ErrInvalidSecret = errors.New("webhook: invalid secret")
)

// VerifyError reports a delivery that failed verification. It unwraps to
// [ErrUnverified] and to the reason. It never holds the body.
type VerifyError struct {
	// Err is the reason: [ErrMissingHeader], [ErrMalformedHeader],
	// [ErrStaleTimestamp], [ErrFutureTimestamp] or [ErrNoSignature].
	Err error
	// Header is the header at fault, such as "svix-timestamp".
	Header string
	// Sent and Now are the delivery's timestamp and the time of
	// verification, for a timestamp out of tolerance; zero otherwise.
	Sent, Now time.Time
}

// Error returns a message such as "webhook: timestamp too old:
// svix-timestamp 2026-11-21T09:00:00Z is 6m0s before 2026-11-21T09:06:00Z".
func (e *VerifyError) Error() string {
	if e.Err == nil {
		return ErrUnverified.Error() + ": " + e.Header
	}
	msg := e.Err.Error() + ": " + e.Header
	switch e.Err {
	case ErrStaleTimestamp:
		msg += " " + e.Sent.Format(time.RFC3339) + " is " + e.Now.Sub(e.Sent).String() + " before " + e.Now.UTC().Format(time.RFC3339Nano)
	case ErrFutureTimestamp:
		msg += " " + e.Sent.Format(time.RFC3339) + " is " + e.Sent.Sub(e.Now).String() + " after " + e.Now.UTC().Format(time.RFC3339Nano)
	}
	return msg
}

// Unwrap returns [ErrUnverified] and the reason.
func (e *VerifyError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrUnverified}
	}
	return []error{ErrUnverified, e.Err}
}

// SecretError reports a signing secret that cannot be used. It unwraps to
// [ErrInvalidSecret]; it never holds the secret.
type SecretError struct {
	Problem string // what is wrong, such as "empty"
}

// Error returns a message such as "webhook: invalid secret: empty".
func (e *SecretError) Error() string { return "webhook: invalid secret: " + e.Problem }

// Unwrap returns [ErrInvalidSecret].
func (e *SecretError) Unwrap() error { return ErrInvalidSecret }

// Sentinel errors of decoding.
var (
	// ErrMalformed reports a body that is not a webhook envelope Junction
	// would send: invalid JSON, a value of the wrong type, no event_type,
	// no data, or data its package refuses.
	ErrMalformed = errors.New("webhook: malformed body")
	// ErrUnknownStatus reports a phlebotomy order or appointment with a
	// status this library does not know. Junction's enums are
	// non-exhaustive: the rest of the event is decoded beside it.
	ErrUnknownStatus = errors.New("webhook: unknown status")
	// ErrNotPhlebotomy reports an event that is not about an at-home
	// phlebotomy order or appointment: another event type, or an order or
	// appointment of another kind. Junction sends them to the same
	// endpoint; a receiver acknowledges and ignores them.
	ErrNotPhlebotomy = errors.New("webhook: not an at-home phlebotomy event")
	// ErrUnknownType reports text that is not a lab-testing order or
	// appointment event type.
	ErrUnknownType = errors.New("webhook: unknown event type")
)

// ParseError reports text that is not an event type of this package. It
// unwraps to [ErrUnknownType].
type ParseError struct {
	Text string // the rejected input
}

// Error returns a message such as `webhook: unknown event type "daily.data.sleep.created"`.
func (e *ParseError) Error() string { return "webhook: unknown event type " + strconv.Quote(e.Text) }

// Unwrap returns [ErrUnknownType].
func (e *ParseError) Unwrap() error { return ErrUnknownType }

// DecodeError reports a body that cannot be decoded as a webhook event. It
// unwraps to [ErrUnknownStatus] when the cause is a status this library
// does not know, to [ErrMalformed] otherwise, and to the cause: an error of
// [order.Decode] or [appointment.Decode] for a fault in data (which
// errors.As finds, with its own Field, relative to data), or an error
// describing the JSON fault.
type DecodeError struct {
	// Field is the JSON path of the value at fault, such as "event_type"
	// or "data.events[2].status"; empty when the body as a whole is.
	Field string
	// Err is the cause.
	Err error
}

// Error returns the field, then the cause, such as
// `webhook: decode data.events[2].status: unknown status "no_show"`.
func (e *DecodeError) Error() string { return message("webhook: decode", e.Field, e.Err) }

// Unwrap returns [ErrUnknownStatus] or [ErrMalformed], and the cause.
func (e *DecodeError) Unwrap() []error { return causes(e.Err) }

// EncodeError reports an [Event] that cannot be written as a webhook body.
// Like [DecodeError], it unwraps to [ErrUnknownStatus] when the cause is a
// status that is not valid, to [ErrMalformed] otherwise, and to the cause:
// a *[ParseError] for an invalid type, or the error of
// [order.Order.MarshalJSON] or [appointment.Appointment.MarshalJSON].
type EncodeError struct {
	// Field is the JSON path of the value at fault: "event_type", or a
	// path in data such as "data.events[1].status".
	Field string
	// Err is the cause.
	Err error
}

// Error returns the field, then the cause, such as
// `webhook: encode data.events[1].status: unknown status "order.Status(99)"`.
func (e *EncodeError) Error() string { return message("webhook: encode", e.Field, e.Err) }

// Unwrap returns [ErrUnknownStatus] or [ErrMalformed], and the cause.
func (e *EncodeError) Unwrap() []error { return causes(e.Err) }

// causes returns what a *DecodeError or an *EncodeError with cause err
// unwraps to: the sentinel for the cause, then the cause.
func causes(err error) []error {
	if err == nil {
		return []error{ErrMalformed}
	}
	if errors.Is(err, order.ErrUnknownStatus) || errors.Is(err, appointment.ErrUnknownStatus) {
		return []error{ErrUnknownStatus, err}
	}
	return []error{ErrMalformed, err}
}

// message returns what, the field and the cause: "webhook: decode
// data.start_at: malformed time \"noon\"". The cause is told without the
// words that begin a nested package's error ("order: decode
// events[2].status: "), since the field already says where.
func message(what, field string, err error) string {
	if field != "" {
		what += " " + field
	}
	if err == nil {
		return what + ": malformed body"
	}
	_, prefix := inner(err)
	return what + ": " + strings.TrimPrefix(strings.TrimPrefix(err.Error(), prefix), "webhook: ")
}

// inner returns the field of an error of the order or appointment codecs,
// relative to the order or the appointment, and the words its message
// starts with, field included ("order: decode events[2].status: "); both
// are empty for any other error.
func inner(err error) (field, prefix string) {
	switch e := err.(type) {
	case *order.DecodeError:
		field, prefix = e.Field, "order: decode"
	case *order.EncodeError:
		field, prefix = e.Field, "order: encode"
	case *appointment.DecodeError:
		if e.Path != "" {
			return dotted(e.Path), "appointment: decode " + e.Path + ": "
		}
		field, prefix = "", "appointment: decode"
	case *appointment.EncodeError:
		if e.Path != "" {
			return dotted(e.Path), "appointment: encode " + e.Path + ": "
		}
		field, prefix = "", "appointment: encode"
	default:
		return "", ""
	}
	if field != "" {
		prefix += " " + field
	}
	return field, prefix + ": "
}

// dotted returns a JSON Pointer such as "/events/1/created_at" as a path in
// this package's form, "events[1].created_at".
func dotted(pointer string) string {
	var b strings.Builder
	for tok := range strings.SplitSeq(strings.TrimPrefix(pointer, "/"), "/") {
		if tok == "" && pointer == "" {
			break
		}
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~"))
	}
	return b.String()
}

// IgnoredError reports an event that is not about an at-home phlebotomy
// order or appointment. It unwraps to [ErrNotPhlebotomy].
type IgnoredError struct {
	// EventType is the event type as sent, such as "daily.data.sleep.created".
	EventType string
	// Kind is, for an order or appointment event, what the data is
	// instead: the order's modality (details.type, such as "walk_in_test")
	// or the appointment's type (such as "patient_service_center"); empty
	// when absent, and for an event type that is not ours.
	Kind string
}

// Error returns a message such as
// `webhook: not an at-home phlebotomy event: daily.data.sleep.created` or
// `webhook: not an at-home phlebotomy event: labtest.order.updated of a walk_in_test order`.
func (e *IgnoredError) Error() string {
	msg := ErrNotPhlebotomy.Error() + ": " + e.EventType
	t := parseType(e.EventType)
	switch {
	case t.IsOrder():
		msg += " of " + article(e.Kind, "order")
	case t.IsAppointment():
		msg += " of " + article(e.Kind, "appointment")
	}
	return msg
}

// article returns "a walk_in_test order", "an on_site_collection order", or
// "an order of no kind" for an empty kind.
func article(kind, noun string) string {
	if kind == "" {
		return "an " + noun + " of no kind"
	}
	if strings.ContainsRune("aeiouAEIOU", rune(kind[0])) {
		return "an " + kind + " " + noun
	}
	return "a " + kind + " " + noun
}

// Unwrap returns [ErrNotPhlebotomy].
func (e *IgnoredError) Unwrap() error { return ErrNotPhlebotomy }
