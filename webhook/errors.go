package webhook

import (
	"cmp"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/internal/jsonerr"
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
	// Header is the header at fault, such as "svix-timestamp", in the
	// spelling the delivery uses: "webhook-timestamp" for a delivery with
	// the Standard Webhooks headers.
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

// secretError reports a signing secret that cannot be used. It unwraps to
// [ErrInvalidSecret]; it never holds the secret.
type secretError struct {
	problem string // what is wrong, such as "empty"
}

func (e *secretError) Error() string { return ErrInvalidSecret.Error() + ": " + e.problem }
func (e *secretError) Unwrap() error { return ErrInvalidSecret }

// Sentinel errors of decoding.
var (
	// ErrMalformed reports a body that is not a webhook envelope Junction
	// would send: invalid JSON, a value of the wrong type, a repeated
	// member, no event_type, no data, or data its package refuses; and an
	// event that cannot be written.
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
	// appointment event type. A body of such a type wraps it beside
	// [ErrNotPhlebotomy].
	ErrUnknownType = errors.New("webhook: unknown event type")
)

// DecodeError reports, in the style of io/fs.PathError, what went wrong
// with a webhook body or an event type, and where:
//
//   - Op "decode": a body [Decode] refuses, or an event that is not this
//     library's. It unwraps to [ErrNotPhlebotomy] for an event type that is
//     not ours (Err is [ErrUnknownType], which it unwraps to too, and Value
//     the type as sent) or an order or appointment of another kind (Err is
//     [ErrNotPhlebotomy], Value the kind); to [ErrUnknownStatus] for a
//     status this library does not know; to [ErrMalformed] otherwise. It
//     unwraps to Err too: the error of [order.Decode] or
//     [appointment.Decode] for a fault in data, with its own path relative
//     to data, or the JSON error of github.com/go-json-experiment/json;
//   - Op "encode": an [Event] that cannot be written as a body. It unwraps
//     like a decoding error, an invalid type being [ErrMalformed] and
//     [ErrUnknownType];
//   - Op "parse": text that is not an event type ([ParseType],
//     [Type.UnmarshalText]). It unwraps to [ErrUnknownType] alone.
type DecodeError struct {
	// Op is "decode", "encode" or "parse".
	Op string
	// Path is the JSON Pointer (RFC 6901) of the value at fault in the
	// body, such as "/event_type" or "/data/events/2/status"; empty when
	// the body as a whole is at fault, and for text parsed on its own.
	Path string
	// Value is the text at fault when there is one: an event type as sent,
	// or the kind of an order or appointment that is not at-home
	// phlebotomy (its details.type or type, such as "walk_in_test").
	Value string
	// Err is the cause.
	Err error
}

// Error returns a message such as
// `webhook: decode /data/events/2/status: unknown status "no_show"`,
// `webhook: not an at-home phlebotomy event: daily.data.sleep.created` or
// `webhook: unknown event type "daily.data.sleep.created"`.
func (e *DecodeError) Error() string {
	switch {
	case e.Op == "parse":
		return ErrUnknownType.Error() + " " + strconv.Quote(e.Value)
	case e.Op != "encode" && e.Err == ErrUnknownType:
		return ErrNotPhlebotomy.Error() + ": " + e.Value
	case e.Err == ErrNotPhlebotomy:
		return ErrNotPhlebotomy.Error() + ": " + article(e.Value, noun(e.Path))
	}
	msg := "webhook: " + cmp.Or(e.Op, "decode")
	if e.Path != "" {
		msg += " " + e.Path
	}
	switch {
	case e.Err == nil:
		return msg + ": malformed body"
	case e.Err == ErrUnknownType:
		return msg + ": unknown event type " + strconv.Quote(e.Value)
	}
	return msg + ": " + cause(e.Err)
}

// Unwrap returns the sentinel, as the type's documentation says, then Err.
func (e *DecodeError) Unwrap() []error {
	switch {
	case e.Op == "parse":
		return []error{ErrUnknownType}
	case e.Err == nil:
		return []error{ErrMalformed}
	case e.Err == ErrNotPhlebotomy:
		return []error{ErrNotPhlebotomy}
	case e.Err == ErrUnknownType && e.Op != "encode":
		return []error{ErrNotPhlebotomy, ErrUnknownType}
	case errors.Is(e.Err, order.ErrUnknownStatus) || errors.Is(e.Err, appointment.ErrUnknownStatus):
		return []error{ErrUnknownStatus, e.Err}
	}
	return []error{ErrMalformed, e.Err}
}

// cause tells err without the words that begin a nested package's message
// ("order: decode /events/2/status: "), since the path already says where.
func cause(err error) string {
	if _, prefix, _ := inner(err); prefix != "" {
		return strings.TrimPrefix(err.Error(), prefix)
	}
	return strings.TrimPrefix(jsonerr.Message(err), "webhook: ")
}

// noun returns "appointment" for the path of an appointment's type,
// "order" otherwise.
func noun(path string) string {
	if path == appointmentKindPath {
		return "appointment"
	}
	return "order"
}

// The paths of what makes an order or an appointment at-home phlebotomy.
const (
	orderKindPath       = "/data/details/type"
	appointmentKindPath = "/data/type"
)

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
