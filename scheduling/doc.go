// Package scheduling holds Junction's at-home phlebotomy scheduling rules as
// pure functions over values. Nothing here reads the clock: every rule that
// depends on time takes the instant to judge as a parameter.
//
// Booking constraints: [ValidateBooking] checks a whole booking or request
// and returns every violation at once; its parts are [CheckAge] (no patient
// under 18, see [AgeOn]), [ValidateAddress] (a street number the
// phlebotomist can find, and a zip code or ZIP+4), [CheckNotes] (at most
// [MaxNotes] characters) and [CheckActive] (one active appointment per
// patient per provider; [Booking.Rescheduling] leaves out the appointment a
// reschedule moves); given a [Booking.PreRequisition] (from an order,
// [PreRequisitionOf]), it also refuses a booking that auto-cancellation
// would cancel the moment it is made, and with [Booking.EnforceLead] one
// made less than the provider's lead time ahead ([ErrLeadTime]).
//
// Time rules: [AutoCancel] says when Junction cancels an appointment placed
// before its order's requisition exists ([AutoCancel.Fires],
// [AutoCancel.FiresAt]); [CheckLead] reports Getlabs bookings made less
// than 48 hours ahead, a recommendation unless enforced; [ProviderRescheduleAt] is when Getlabs reschedules an
// appointment still without a requisition; [Deadlines] orders them all.
// [Refundable] and [RefundDeadline] give the refund rule, and
// [NotesForBooking] and [NotesForReschedule] which notes reach the provider.
//
// The coupled flow: [Flow] is one order with its appointments and its
// status history as a value, the state Junction keeps (order.Order is what
// Junction sends of it; [Flow.Snapshot] gives that); [Place] makes one,
// and its commands return the new value and the webhooks Junction would
// send ([Webhook]), applying auto-cancellation as the clock passes. A
// webhook holds what its event is built from, sharing it with the flow and
// the command's other webhooks; [Webhook.Event] builds the [webhook.Event]
// a consumer receives, carrying the order or appointment snapshot exactly
// as Junction's payload does, as it was at that change. The patient's time zone must have an IANA name, which every
// appointment's iana_timezone carries (see [ErrZone]).
//
// Storing: a [Flow] encodes to JSON of its own ([Flow.MarshalJSON]) and
// decodes back, strictly, to an equal value ([Flow.UnmarshalJSON],
// [DecodeFlow]); a [Placement] encodes the same way alone. Decoding matches
// member names exactly and refuses an unknown member, a member given twice
// (our decision: a stored flow is written by this package, which never
// repeats one) and data after the value, each a *[DecodeError] whose Path
// is the JSON Pointer of the fault.
//
// Every error wraps one of the package's sentinels ([ErrUnderage],
// [ErrAddress], [ErrActiveAppointment], [ErrNotesTooLong],
// [ErrTierMismatch], [ErrSlot], [ErrAutoCancel], [ErrZone], [ErrRange],
// [ErrMalformed], and the flow's [ErrRequisitionRequired], [ErrNotAllowed],
// [ErrClock]), with details in a typed error; the flow passes on the
// provider package's errors about an area.
package scheduling
