// Package sandbox is an in-process fake of Junction's at-home phlebotomy
// API with a clock the test controls: what net/http/httptest is for HTTP,
// and stripe-mock for Stripe. A consumer's tests point their Junction
// client at [Server].URL, drive orders through the API, advance virtual
// time, and receive the webhooks Junction would send, signed, on their own
// endpoint.
//
//	srv, err := sandbox.NewServer(
//		sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
//		sandbox.WithWebhookHandler(receiver, secret))
//	defer srv.Close()
//	// POST srv.URL+"/v3/order", book an appointment, …
//	srv.Apply(orderID, scheduling.Flow.CreateRequisition) // what Junction's dashboard does
//	srv.Advance(48 * time.Hour)                           // deliver webhooks, let time-based rules act
//
// # Endpoints
//
// The server answers these endpoints of Junction's API, with Junction's
// paths, methods, bodies and JSON field names, reading and writing the
// junction package's request and response types (the client's own);
// every answer and every webhook carries every member Junction's OpenAPI
// document requires, with its type, null only where the document allows
// it, and ids in its forms (UUIDs). Every request needs an
// x-vital-api-key header: any key that is not empty, or one of
// [WithAPIKeys]; without one it is answered 401 {"detail": "The API key
// is missing or invalid."} (our wording) before its body is read.
//
//   - POST /v3/order: places an at-home phlebotomy order from user_id,
//     lab_test_id (one of [DefaultLabTests] or [WithLabTests]),
//     patient_details, patient_address (with access_notes) and
//     activate_by; answers {"order", "status", "message"} as Junction
//     does, the order ordered, its address with its access_notes. A lab
//     test or collection_method of another modality is refused with 422.
//     With X-Idempotency-Key, the first answer for the key is saved and
//     sent again for the key, as Junction's documentation describes;
//     an answer to a body that does not validate is not saved.
//   - GET /v3/order/{order_id}: the order.
//   - POST /v3/order/{order_id}/cancel: cancels the order, answering as
//     POST /v3/order does; 400 "Transition from X to cancelled is not
//     allowed" where its status forbids it.
//   - GET /v3/order/area/info?zip_code=&radius=: the area-info response
//     of a served zip code ([DefaultAreas], [WithAreas]), or is_served
//     false.
//   - POST /v3/order/phlebotomy/appointment/availability?start_date=: for
//     a USAddress in a served area with an appointment-ready provider, the
//     slots of the seven days from start_date (default today in the area's
//     zone): two-hour windows from 8:00 to 18:00 local time that have not
//     started, each with a booking key that expires ([WithBookingKeyTTL])
//     and is used up by a booking or reschedule.
//   - POST /v3/order/{order_id}/phlebotomy/appointment/book: books the
//     booking key's slot; with async_confirmation the appointment comes
//     back pending and the provider confirms it later in virtual time, or
//     it is cancelled at the timeout ([WithAsyncConfirmDelay]).
//   - POST /v3/order/{order_id}/phlebotomy/appointment/request: requests an
//     appointment from a provider that takes requests in the address's
//     area; it comes back pending without a time, until
//     the provider pencils it in (scheduling.Flow.PencilIn through
//     [Server.Apply]). The address must be in the order's zip code: the
//     appointment takes the order's patient address (our decision).
//   - PATCH /v3/order/{order_id}/phlebotomy/appointment/reschedule: moves
//     the active appointment to a booking key's slot.
//   - PATCH /v3/order/{order_id}/phlebotomy/appointment/cancel: cancels the
//     active appointment with a cancellation_reason_id from the published
//     list, and records the refund decision ([Server.Cancellations]).
//   - GET /v3/order/phlebotomy/appointment/cancellation-reasons: the
//     published list of reasons, byte for byte.
//   - GET /v3/order/{order_id}/phlebotomy/appointment: the active
//     appointment; 404 when there is none.
//   - POST /v3/order/{order_id}/test?final_status=&delay=: drives the
//     order to final_status (default completed) through the flow's
//     commands, one step at once and then one every delay seconds of
//     virtual time (all at once without a delay; our reading of the
//     parameter, which Junction does not document). Each step is the
//     first transition of a shortest path of the order lifecycle to the
//     target (order.Path), fired by the flow's command for its trigger:
//     Junction's success path, with the detours the target asks for, an
//     appointment booked in the first slot where an appointment-ready
//     provider serves the area, else requested and penciled in there.
//     The order's area must let it have an appointment when the path
//     needs one; a step the rules refuse (an underage patient, say) ends
//     the simulation where it is.
//
// # Errors
//
// Every refusal is a 4xx with a JSON body {"detail": ...}, as Junction's
// API answers, in Junction's words, never the text of this module's Go
// errors: 422 with a list of {"loc", "msg", "type"} (Junction's
// HTTPValidationError) for a request that does not validate (a missing or
// mistyped member, a user_id that is not a UUID, a zip code that does not
// match Junction's pattern, notes over 1000 characters, an unreachable
// address, an unknown or expired booking key, an unknown cancellation
// reason, an order id that is not a UUID); 422 with a message for what
// the scheduling rules refuse (an underage patient, a slot
// auto-cancellation would cancel at once, an area not served); 400 with a
// message for a command the order's or appointment's status does not
// allow ("Transition from X to Y is not allowed", Junction's words), or
// that needs the requisition or has an active appointment in its way; 401
// without a valid API key; 404 for an unknown order or path; 405 for
// another method; 413 for a body over 1 MiB. Where Junction publishes no
// wording, the words are ours. Nothing accepted can put an order in a
// state Junction's rules forbid: every change goes through the flow,
// which refuses it otherwise.
//
// Request bodies are decoded with github.com/go-json-experiment/json into
// the junction package's types: member names match exactly, members the
// server does not read are ignored, and a member given twice or a string
// that is not valid UTF-8 makes the body malformed JSON, a 422 of type
// value_error.jsondecode (our decision: which of two values to take is a
// guess). A 422 locates a member of the wrong type by its path, such as
// ["body", "patient_details", "dob"]; decoding stops at the first such
// member.
//
// # Load
//
// A call costs the same however many orders, booking keys and deliveries
// the server has seen: booking keys carry their slot (the server stores
// only those used up, until they expire), each order's next timer waits
// in a heap, and orders with an active appointment are indexed by user.
// What the server remembers is bounded by what is live: finished orders
// (cancelled, failed, or with final results) beyond [WithRetention]'s
// limit are forgotten, oldest first, as is the delivery log beyond its
// own; the answers kept for idempotency keys are dropped after a day of
// virtual time, at most 10,000 kept. [Server.Reset] forgets everything.
// The server [Server.Start] serves has read, write and idle timeouts, and
// [Server.Close] returns within about five seconds whatever clients do.
//
// # Controls
//
// What Junction, the laboratory and the providers do on their own, a test
// does with [Server.Apply] and the flow's commands, such as
// scheduling.Flow.CreateRequisition (what Junction's dashboard does),
// scheduling.Flow.PencilIn, scheduling.Flow.Confirm,
// scheduling.Flow.StartVisit, scheduling.Flow.CompleteDraw or
// scheduling.Flow.CompleteResults. What happens as time passes, and how
// webhooks are delivered, is described on [Server].
//
// The same controls answer over HTTP under [ControlPrefix], without an
// API key, for tests in other languages (the command
// github.com/phlebkit/phlebkit/cmd/junction-sandbox serves them):
//
//   - POST /_sandbox/orders/{order_id}/{command}, where command is
//     create-requisition, bypass-requisition, pencil-in (with a body
//     {"start", "end"}, RFC 3339), confirm, start-visit, complete-draw,
//     partial-results, results, sample-error or corrected-results: runs
//     the flow's command and answers the order, as GET /v3/order/{order_id}
//     does; a refusal is 400 in Junction's words, an unknown order or
//     command 404;
//   - GET /_sandbox/clock, POST /_sandbox/clock/advance with {"by": a Go
//     duration such as "48h"} ([Server.Advance]), POST /_sandbox/clock/set
//     with {"to": an RFC 3339 instant not before the clock}, POST
//     /_sandbox/flush ([Server.Flush]) and POST /_sandbox/reset
//     ([Server.Reset]): each answers {"now": the clock};
//   - GET /_sandbox/deliveries: [Server.Deliveries] as a list of
//     {"message_id", "type", "order_id", "copy", "attempt", "at",
//     "status_code", "error", "ok", "final"}.
package sandbox
