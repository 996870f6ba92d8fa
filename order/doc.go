// Package order models the lifecycle of a Junction at-home phlebotomy order
// as a finite state machine, and the order itself as Junction sends it.
//
// A [Status] is one of the twelve low-level statuses (ordered,
// requisition_created, …, corrected). It has three wire forms: the low-level
// value written by [Status.String] and [Status.MarshalText]; the full form
// [HIGH-LEVEL].at_home_phlebotomy.[LOW-LEVEL] of webhook events, written by
// [Status.Full]; and the coarse [HighLevel] status of the deprecated
// top-level field. [ParseStatus] reads the first two,
// [HighLevel.UnmarshalText] the third.
//
// The transitions live in one table. Everything else is derived from it:
// [Next], a pure lookup that neither allocates nor changes its input;
// [Transitions], [TriggerFor], [Reachable] and [Path] for
// reconciling webhooks that arrive late, twice or out of order;
// [Status.Terminal], [Status.Cancellable] and [Status.Triggers]; [Mermaid];
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
// # Orders
//
// [Order] is the order object of the labtest.order.created and
// labtest.order.updated webhooks and of the order endpoints, typed: the
// [Patient] (a [Date] of birth), the [Address] (zip or zip_code), the
// [LabTest], the [Details], timestamps in UTC, the events[] history
// ([HistoryEntry]), last_event, the deprecated high-level status,
// activate_by and the order [Transaction]. [Decode] reads it in one pass,
// in time linear in the input, with github.com/go-json-experiment/json;
// [Order.UnmarshalJSONFrom] does the same inside a larger document, and
// [Order.MarshalJSONTo] writes it back so that every decoded order
// round-trips; [Order.UnmarshalJSON] and [Order.MarshalJSON] do the same
// for encoding/json. Member names are matched exactly, letter case included;
// members this package does not model are skipped; a member repeated in one
// object, anywhere in the document, is refused as malformed (our decision:
// which of two values Junction meant cannot be known), as is invalid UTF-8.
// Every decoding error is a *[DecodeError] naming the JSON Pointer of the
// value at fault, such as /events/1/created_at.
//
// Orders of every modality arrive on the same webhook events.
// [Order.IsPhlebotomy] tells an at-home phlebotomy order ([Modality]), the
// only kind whose statuses are parsed into [Status]; those of any other
// order, and of an order without details (our decision), stay text
// (HistoryEntry.StatusText), so that received.walk_in_test.ordered never
// becomes [Ordered]. A status this package does not know keeps its text too,
// and [Decode] returns the order beside an error wrapping
// [ErrUnknownStatus]. [Order.Current], [Order.Status] and
// [Order.AppointmentID] answer the usual questions in one call, and
// [Order.HasRequisition] says whether the history shows the requisition.
//
// # History
//
// [ValidateHistory] reads an order's events[] against the transition table
// and returns one [Step] per entry: the status before it and the transitions
// it stands for. The history starts at ordered (our decision); each step is
// a transition of the table, a repeated status only where the table has
// that self-loop; ids increase and times never go backwards. The skip of
// Junction's own webhook example, requisition_created to
// appointment_scheduled, is a jump along the table's path, not an error;
// the same skip from requisition_bypassed is inferred (our decision). A
// history of another modality is refused with [ErrNotPhlebotomy].
//
// # Errors
//
// Every error wraps one of the package's sentinels: [ErrUnknownStatus],
// [ErrUnknownTrigger], [ErrInvalidTransition], [ErrReentrantFire],
// [ErrMachine], [ErrMalformed], [ErrNotPhlebotomy], [ErrInvalidHistory],
// [ErrOutOfOrder], [ErrIDNotIncreasing]. Details are in [*ParseError] (text
// that is not a value of its kind), [*DecodeError] (JSON that cannot be
// read, or an order that cannot be written, with the JSON Pointer of the
// value at fault) and [*TransitionError] (a trigger or a history entry the
// lifecycle forbids). A failed call never changes the caller's values.
package order
