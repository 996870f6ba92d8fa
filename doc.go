// Package phlebkit is the root of a Go SDK for Junction's at-home
// phlebotomy lab-testing flow. It holds no code of its own; the work is done
// by its packages:
//
//   - [github.com/phlebkit/phlebkit/order]: the order lifecycle as a state
//     machine driven by triggers, its statuses in every wire form, and the
//     order value decoded from Junction's JSON, with the one patient address
//     ([github.com/phlebkit/phlebkit/order.Address]) and date
//     ([github.com/phlebkit/phlebkit/order.Date]) every package uses.
//   - [github.com/phlebkit/phlebkit/appointment]: the appointment lifecycle
//     on the same engine, and the appointment value decoded from Junction's
//     JSON.
//   - [github.com/phlebkit/phlebkit/tier]: appointment-ready and
//     appointment-request, and how each is created.
//   - [github.com/phlebkit/phlebkit/provider]: the phlebotomy providers and
//     area coverage.
//   - [github.com/phlebkit/phlebkit/scheduling]: the scheduling rules as
//     pure functions, and the coupled order and appointment flow
//     ([github.com/phlebkit/phlebkit/scheduling.Flow]) with the webhooks it
//     sends.
//   - [github.com/phlebkit/phlebkit/webhook]: Junction's webhooks without
//     transport: signature verification and typed events.
//   - [github.com/phlebkit/phlebkit/webhook/webhookhttp]: the webhook
//     endpoint, an http.Handler.
//   - [github.com/phlebkit/phlebkit/track]: a consumer's view of an order
//     ([github.com/phlebkit/phlebkit/track.Tracked]), right whatever order
//     the webhooks arrive in, kept in a store with compare-and-swap.
//   - [github.com/phlebkit/phlebkit/track/tracksql]: tracked orders and
//     their changes in SQLite or PostgreSQL, through database/sql, with
//     the changes handed to your code at least once.
//   - [github.com/phlebkit/phlebkit/sandbox]: an offline fake of Junction's
//     at-home phlebotomy API, with a virtual clock and signed webhooks, for
//     tests.
//   - [github.com/phlebkit/phlebkit/junction]: a typed client for
//     Junction's at-home phlebotomy API, and the request and response
//     bodies of its endpoints, which the sandbox answers with too.
//   - [github.com/phlebkit/phlebkit/cmd/junction-sandbox]: the sandbox as
//     a command serving on an address, with its controls over HTTP, for
//     tests in any language.
//
// Errors wrap each package's sentinels for errors.Is, with the details in
// a few types per package for errors.As, in the style of io/fs.PathError.
//
// Run the walkthrough with go run ./examples/lifecycle.
package phlebkit
