// Package webhook receives Junction's lab-testing webhooks: it answers,
// for each delivery, whether it really comes from Junction, what it is,
// whether it is this library's (an at-home phlebotomy order or
// appointment), and what it says, as typed values.
//
// # Entry points
//
// Package [github.com/phlebkit/phlebkit/webhook/webhookhttp] is the
// endpoint: an http.Handler that reads, verifies and decodes each delivery
// with this package, calls your function with each at-home phlebotomy
// [Event], and answers Junction with the status that makes it retry or
// not. This package itself holds no transport (it does not import
// net/http), so that code which only builds or reads events does not link
// an HTTP stack.
//
// A handler written by hand calls [Verifier.Parse] with the request's
// headers and body: verification, then decoding, as stripe-go's
// webhook.ConstructEvent does for Stripe. Headers are a
// map[string][]string, which an http.Header is, so r.Header is passed as
// it is:
//
//	func receive(w http.ResponseWriter, r *http.Request, v *webhook.Verifier) {
//		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//		if err != nil {
//			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
//			return
//		}
//		e, err := v.Parse(r.Header, body, time.Now())
//		switch {
//		case errors.Is(err, webhook.ErrNotPhlebotomy):
//			w.WriteHeader(http.StatusNoContent) // not ours: acknowledge it
//			return
//		case errors.Is(err, webhook.ErrUnverified):
//			http.Error(w, "unverified delivery", http.StatusUnauthorized)
//			return
//		case err != nil:
//			http.Error(w, "malformed webhook body", http.StatusBadRequest)
//			return
//		}
//		log.Printf("%s: %s", e.ID, e)
//		w.WriteHeader(http.StatusNoContent)
//	}
//
// [Decode] decodes a body without verifying it, such as one stored
// earlier; [Event.MarshalJSON] writes an event back as Junction's body. In
// tests, [Verifier.Sign] and [Sign] produce the headers of a delivery, as
// a map that is an http.Header as it is, so that a test calls its own
// endpoint as Junction would.
//
// # What is guaranteed
//
// Authenticity. A delivery is accepted only when one of its svix-signature
// entries is the HMAC-SHA256 of "{svix-id}.{svix-timestamp}.{body}" under
// one of the endpoint's secrets (Junction delivers through Svix), compared
// in constant time, and its timestamp is within [Tolerance] (5 minutes) of
// the time of verification, which the caller gives. A delivery that
// fails is never decoded. Several secrets verify together
// while a secret is rotated.
//
// Exact types. An event's [Type] is one of the four lab-testing types
// (labtest.order.created and .updated, labtest.appointment.created and
// .updated, whose spelling labtest.appointment.update of 2023-10 to
// 2025-02 is accepted as the same type), and its data is an
// [order.Order] or an [appointment.Appointment], decoded by those packages
// with their statuses parsed, never a map or raw JSON to pick apart.
//
// Typed reasons. Every failure wraps exactly one of four sentinels, so
// that one errors.Is decides what to do, and a typed error says where:
//
//   - [ErrUnverified] (a *[VerifyError], with the reason:
//     [ErrMissingHeader], [ErrMalformedHeader], [ErrStaleTimestamp],
//     [ErrFutureTimestamp], [ErrNoSignature]): not from Junction;
//   - [ErrNotPhlebotomy] (a *[DecodeError] whose Value is the type as sent,
//     or the order's or appointment's kind): another event type
//     (daily.data.*, labtest.result.*, …; [ErrUnknownType] too), or an
//     order or appointment of another kind (walk-in, testkit, on-site; a
//     patient service centre appointment), which Junction sends to the same
//     endpoint. Acknowledge and ignore it;
//   - [ErrUnknownStatus] (a *[DecodeError]): a phlebotomy order or
//     appointment with a status this library does not know; Junction's
//     enums are non-exhaustive, so the rest of the event comes beside it;
//   - [ErrMalformed] (a *[DecodeError] whose Path is the JSON Pointer of
//     the value at fault, such as "/data/events/2/created_at"): a body that
//     is not a webhook Junction would send. A member that appears twice in
//     an object is refused so, whatever its values (our decision, JSON
//     v2's default).
//
// No input makes the package panic, decoding is linear in the size of the
// body, and no response or error holds the body (an error may quote the
// one value at fault).
//
// # What is not guaranteed
//
// Junction does not guarantee the order in which events are delivered, and
// may deliver a message more than once; it delivers it again when the
// endpoint does not answer 2xx within 15 seconds (after 5 seconds, 5
// minutes, 30 minutes, 2, 5, 10 and 10 hours). The same event may arrive
// twice, and an older event after a newer one. The library cannot tell;
// the caller's processing must be idempotent and tolerate disorder:
//
//   - [Event].ID is the message id (svix-id), the same on every delivery of
//     one message: the key to process each message once;
//   - each order event carries the order's whole status history up to its
//     moment (Order.Events, oldest first, with increasing ids), so an event
//     whose history is a prefix of what is already held is stale, and one
//     that extends it is news; see [order.ValidateHistory]. An appointment
//     event carries the appointment's own history likewise;
//   - Junction advises its API as the source of truth when in doubt.
//
// A captured delivery can be replayed within the tolerance; deduplicating by
// ID covers that too.
//
// The statuses an HTTP endpoint answers for each outcome are package
// webhookhttp's.
package webhook
