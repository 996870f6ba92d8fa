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
// A [Trigger] ([Reserve], [Confirm], [Reschedule], [Start], [Complete],
// [Cancel]) moves an appointment from one status to the next. The allowed
// moves live in one table, from which everything else is derived: [Next]
// (a pure function), [TriggerFor], [Reachable], [Path],
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
// [Appointment] decodes straight from Junction's appointment JSON
// ([Decode], or its UnmarshalJSON method), the data of the
// labtest.appointment.* webhooks and the response of the appointment
// endpoints; decoding the webhook envelope is package webhook's. Junction
// sends at-home phlebotomy appointments and walk-in patient service centre
// ones on the same events: an appointment's [Kind] ([Phlebotomy],
// [PatientServiceCenter], or one this package does not know, kept as sent)
// tells them apart, and [Appointment.IsPhlebotomy] does so in one call.
// The address is an [order.Address] in its USAddress form (zip_code).
// Times are [time.Time] values in UTC, zero when absent (null on the
// wire); on the wire they come with or without a zone designator, which
// when missing means UTC ([ParseTime]). [Appointment.EffectiveStatus]
// resolves a status and an event status that disagree;
// [Appointment.LocalStart] gives the start in the patient's time zone;
// [ValidateHistory] checks the events[] history against the lifecycle.
// [DecodeCancellationReasons] decodes the list of [CancellationReason]
// values Junction accepts when an appointment is cancelled.
//
// # JSON
//
// The JSON is github.com/go-json-experiment/json's, read and write: struct
// tags give the plain members, and a few methods the special ones (times,
// the two spellings of a status, provider data kept raw). Decoding takes
// time linear in the size of its input, and never panics. Member names are
// matched exactly (our decision: "Status" is not status); members this
// package does not know are ignored, since Junction adds fields; a member
// that appears twice in one object, anywhere in the document, is malformed
// (our decision, the json package's default): a *[DecodeError] wrapping
// [ErrMalformed] at the repeated member. Provider data (event_data members
// other than origin and is_reschedule, and each history entry's data) is
// kept as sent, in the form the json package writes it: compacted, strings
// canonical. A failed decode leaves its destination unchanged.
//
// # Errors
//
// Every error wraps one of the package's sentinels ([ErrUnknownStatus],
// [ErrUnknownTrigger], [ErrInvalidTransition], [ErrReentrantFire],
// [ErrMachine], [ErrMalformed], [ErrInvalidHistory], [ErrOutOfOrder],
// [ErrNoStart], [ErrUnknownZone]), except that [Machine.Fire] with a done
// context wraps the context's error. Two typed errors carry the details,
// in the style of io/fs.PathError: [DecodeError] for text or JSON this
// package cannot read (Op "decode") and for a value it cannot write (Op
// "encode"), with the JSON Pointer of the fault, such as
// "/events/1/created_at", the text at fault and the cause; and
// [TransitionError] for a move the lifecycle forbids, by a trigger or in a
// history. A decoding or encoding error wraps
// exactly one of [ErrUnknownStatus], [ErrUnknownTrigger], [ErrUnknownZone]
// and [ErrMalformed]. A failed call never changes the caller's values.
package appointment
