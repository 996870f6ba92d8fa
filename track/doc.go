// Package track keeps a consumer's view of an at-home phlebotomy order,
// right whatever order Junction's webhooks arrive in.
//
// Junction does not guarantee the order of delivery, delivers some messages
// more than once, and retries for up to a day and a half. An [Tracked] folds
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
// An Order is a value with no I/O and no clock. It round-trips through JSON
// and a database column. [Record] applies an event to an Order held in a
// [Store] with compare-and-swap, so that several receivers behind a load
// balancer converge; [MemoryStore] is one in memory.
package track
