// Package track keeps a consumer's view of an at-home phlebotomy order,
// right whatever order Junction's webhooks arrive in.
//
// Junction does not guarantee the order of delivery, delivers some messages
// more than once, and retries for up to a day and a half. A [Tracked] folds
// the events of one order ([webhook.Event]) into what is known of it: the
// latest order snapshot and every appointment's latest snapshot. Newer or
// stale is decided from the histories the snapshots carry (the order's
// events[] with increasing ids, each appointment's events[]), never from
// arrival order: [Tracked.Apply] is commutative, associative and idempotent,
// and reports each [Change] exactly once over all deliveries: every order
// status step ([OrderStep]) and appointment status step ([AppointmentStep]),
// including steps no delivery showed on its own; reschedules with their
// slots ([Rescheduled]); the order's active appointment changing
// ([ActiveChanged]); and, by inference, auto-cancellations
// ([AutoCancelled]).
//
// A Tracked is a value with no I/O and no clock. [Record] applies an event
// to a Tracked held in a [Store] with compare-and-swap, so that several
// receivers behind a load balancer converge; [MemoryStore] is one in
// memory.
//
// A Tracked round-trips exactly through JSON ([Tracked.MarshalJSON], with
// the snapshots in Junction's JSON) and a database column ([Tracked.Value],
// [Tracked.Scan]). Reading a stored form is strict, since this package
// wrote it: member names match exactly, and an unknown member, a member
// given twice or data after the value is refused, as is a form that breaks
// what [Tracked.Apply] relies on. The error is an *[Error] wrapping
// [ErrMalformed] that names the order and the JSON Pointer of the fault.
//
// Errors: an *[Error] says what was done (Op), to which order, where (a
// JSON Pointer) and why, and wraps one of the sentinels; a
// *[ConflictError] keeps both diverging histories. Branch with errors.Is.
package track
