// Package order models the lifecycle of a Junction at-home phlebotomy order
// as a finite state machine.
//
// A [Status] is one of the twelve low-level statuses (ordered,
// requisition_created, …, corrected). It has three wire forms: the low-level
// value written by [Status.String] and [Status.MarshalText]; the full form
// [HIGH-LEVEL].at_home_phlebotomy.[LOW-LEVEL] of webhook events, written by
// [Status.Full]; and the coarse [HighLevel] status of the deprecated
// top-level field. [ParseStatus] reads the first two, [ParseHighLevel] the
// third.
//
// The transitions live in one table. Everything else is derived from it:
// [Next], a pure lookup that neither allocates nor changes its input;
// [CanTransition], [EventFor], [Reachable], [ReachableFrom] and [Path] for
// reconciling webhooks that arrive late, twice or out of order;
// [Status.Terminal], [Status.Cancellable] and [Status.Events]; [Mermaid];
// and [Machine], a concurrency-safe machine backed by
// github.com/looplab/fsm with typed callbacks.
//
// Most transitions are arrows of Junction's lifecycle diagram or stated in
// its documentation. Some are inferred, and are our decision: a sample error
// is reported only after the draw (from draw_completed or partial_results),
// and corrected results (a status that appears in Junction's API enums but
// not in its lifecycle documentation) follow completed and may be corrected
// again.
//
// Every error wraps one of the package's sentinels: [ErrUnknownStatus],
// [ErrUnknownEvent], [ErrInvalidTransition], [ErrReentrantFire],
// [ErrMachine]. Details are in [*ParseError] and [*TransitionError].
package order
