// Package appointment models Junction's at-home phlebotomy appointment: its
// lifecycle, its history and its JSON.
//
// # Lifecycle
//
// An appointment is in one [Status]: [Pending], [Reserved], [Confirmed],
// [InProgress], [Completed] or [Cancelled]. Junction spells a status two
// ways, the API's status ("confirmed", [Status.String]) and the normalised
// event status ("scheduled", [Status.EventStatus]); [ParseStatus] reads
// both, and the lifecycle documentation's "in-progress". An unknown status
// is an error wrapping [ErrUnknownStatus] that callers can handle: Junction
// may add statuses.
//
// An [Trigger] ([Reserve], [Confirm], [Reschedule], [Start], [Complete],
// [Cancel]) moves an appointment from one status to the next. The allowed
// moves live in one table, from which everything else is derived: [Next]
// (a pure function), [CanTransition], [TriggerFor], [Reachable], [Path],
// [Transitions], [Status.Terminal], [Mermaid], and [Machine], a state
// machine backed by github.com/looplab/fsm with typed callbacks
// ([OnEnter], [AfterTrigger], [AfterAny]).
//
//	pending     → reserved (reserve), confirmed (confirm), cancelled (cancel)
//	reserved    → confirmed (confirm), reserved (reschedule), cancelled (cancel)
//	confirmed   → confirmed (reschedule), in_progress (start), completed (complete), cancelled (cancel)
//	in_progress → completed (complete), cancelled (cancel)
//	completed, cancelled: terminal
//
// The reschedule self-loop on reserved is inferred (our decision): Getlabs
// reschedules appointments that still lack a requisition. Every other move
// is in Junction's lifecycle diagram or documentation.
//
// # Values
//
// [Appointment] decodes straight from Junction's appointment JSON ([Decode],
// or [DecodeString] for an appointment held as part of a larger document),
// and [Webhook] from the envelope of an appointment webhook: [WebhookCreated],
// [WebhookUpdated], or [WebhookUpdatedLegacy], Junction's former spelling of
// the latter. [DecodeWebhook] reports any other event type with
// [ErrNotAppointment], and a body without one as malformed. Junction sends
// at-home phlebotomy appointments and walk-in patient service centre ones
// on the same events: an appointment's [Type] ([Phlebotomy],
// [PatientServiceCenter], or one this package does not know, kept as sent)
// tells them apart, and [Appointment.IsPhlebotomy] does so in one call.
// Timestamps are [time.Time] values in UTC, zero when absent; on the wire
// they come with or without a zone designator ([ParseTime]). [Appointment.EffectiveStatus] resolves a status and an event
// status that disagree; [Appointment.LocalStart] gives the start in the
// patient's time zone; [ValidateHistory] checks the events[] history
// against the lifecycle. [DecodeCancellationReasons] decodes the list of
// [CancellationReason] values Junction accepts when an appointment is
// cancelled.
//
// The decoders read their input once, front to back, in time linear in its
// size; a decoded value's strings share the memory of one copy of the
// input. Unlike encoding/json they match member names exactly (our
// decision), and a repeated member's last value replaces the first whole.
//
// # Errors
//
// Every error wraps one of the package's sentinels ([ErrUnknownStatus],
// [ErrUnknownTrigger], [ErrInvalidTransition], [ErrReentrantFire],
// [ErrMachine], [ErrMalformed], [ErrNotAppointment], [ErrInvalidHistory],
// [ErrOutOfOrder], [ErrNoStart], [ErrUnknownZone]), except that
// [Machine.Fire] with a done context wraps the context's error; the typed
// errors [ParseError], [TransitionError], [DecodeError], [EncodeError],
// [HistoryError] and [ZoneError] carry the details. A decoding or encoding
// error names the JSON path of the value at fault (empty when the document
// as a whole is) and wraps exactly one of [ErrUnknownStatus],
// [ErrNotAppointment] and [ErrMalformed]. A failed call never changes the
// caller's values.
package appointment
