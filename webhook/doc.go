// Package webhook receives Junction's lab-testing webhooks: it answers,
// for each delivery, whether it really comes from Junction, what it is,
// whether it is this library's (an at-home phlebotomy order or
// appointment), and what it says, as typed values.
//
// # Entry points
//
// [Handler] is the endpoint: an http.Handler that reads, verifies and
// decodes each delivery, calls your function with each at-home phlebotomy
// [Event], and answers Junction with the status that makes it retry or
// not. [NewHandler] builds one from the endpoint's signing secret:
//
//	h, err := webhook.NewHandler(os.Getenv("JUNCTION_WEBHOOK_SECRET"),
//		func(ctx context.Context, e webhook.Event) error {
//			switch e.Type {
//			case webhook.OrderCreated, webhook.OrderUpdated:
//				log.Printf("order %s is %s", e.Order.ID, e.Order.Status())
//			case webhook.AppointmentCreated, webhook.AppointmentUpdated:
//				log.Printf("appointment %s is %s", e.Appointment.ID, e.Appointment.EffectiveStatus())
//			}
//			return nil // an error makes Junction retry
//		})
//	http.Handle("POST /webhooks/junction", h)
//
// A handler written by hand calls [Verifier.Parse] with the request's
// headers and body: verification, then decoding, as stripe-go's
// webhook.ConstructEvent does for Stripe. [Decode] decodes a body without
// verifying it, such as one stored earlier; [Event.MarshalJSON] writes an
// event back as Junction's body. In tests, [Verifier.Sign] and [Sign]
// produce the headers of a delivery, so that a test calls its own
// endpoint as Junction would.
//
// # What is guaranteed
//
// Authenticity. A delivery is accepted only when one of its svix-signature
// entries is the HMAC-SHA256 of "{svix-id}.{svix-timestamp}.{body}" under
// one of the endpoint's secrets (Junction delivers through Svix), compared
// in constant time, and its timestamp is within [Tolerance] (5 minutes) of
// the time of verification, which the caller gives ([Handler].Now). A
// delivery that fails is never decoded. Several secrets verify together
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
//   - [ErrNotPhlebotomy] (an *[IgnoredError]): another event type
//     (daily.data.*, labtest.result.*, …), or an order or appointment of
//     another kind (walk-in, testkit, on-site; a patient service centre
//     appointment), which Junction sends to the same endpoint. Acknowledge
//     and ignore it;
//   - [ErrUnknownStatus] (a *[DecodeError]): a phlebotomy order or
//     appointment with a status this library does not know; Junction's
//     enums are non-exhaustive, so the rest of the event comes beside it;
//   - [ErrMalformed] (a *[DecodeError] naming the field, such as
//     "data.events[2].created_at"): a body that is not a webhook Junction
//     would send.
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
// twice, and an older event after a newer one. The library cannot tell; the caller's
// processing must be idempotent and tolerate disorder:
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
// # Statuses the Handler answers
//
// The statuses are this library's decision (Junction only distinguishes
// 2xx from the rest): 204 for a processed or ignored event, 401 for an
// unverified delivery, 400 for a malformed body, 413 for a body over the
// limit, 405 for a method but POST, 422 for an unknown status (Junction
// retries for about a day and a half: time to upgrade), 500 when Handle
// fails or the Handler is not set up, and 503 when Handle's time runs
// out. See [Handler].
package webhook
