package order

import (
	"fmt"
	"strings"
	"time"
)

// Step is one entry of an order's history read against the lifecycle: the
// entry, the status before it, and the transitions it stands for. A tracker
// that walks the steps of each delivery and remembers the id of the last
// entry it handled reports every transition exactly once, since each
// delivery carries the whole history.
type Step struct {
	// Index is the entry's position in the history.
	Index int
	// Entry is the history entry.
	Entry HistoryEntry
	// From is the status before the entry: the zero Status for the first
	// entry, which follows the order's creation.
	From Status
	// Transitions are the moves the entry stands for, in order: none for
	// the first entry (the order's creation); one for a step of the table,
	// a self-loop such as a reschedule included; several for a jump.
	Transitions []Transition
	// Jump reports whether the entry skips statuses the table would pass
	// through, such as requisition_created then appointment_scheduled.
	Jump bool
}

// jumps are the steps a history may take that the table makes in more than
// one transition; their transitions are the table's [Path]. Junction's own
// webhook example goes from requisition_created straight to
// appointment_scheduled, skipping appointment_pending. The same skip from
// requisition_bypassed is inferred (our decision): bypassed supports the
// same transitions as requisition_created.
var jumps = func() (out [2]struct {
	from, to Status
	path     []Transition
}) {
	for i, j := range [...][2]Status{
		{RequisitionCreated, AppointmentScheduled},
		{RequisitionBypassed, AppointmentScheduled}, // I
	} {
		out[i].from, out[i].to = j[0], j[1]
		out[i].path, _ = Path(j[0], j[1])
	}
	return out
}()

// jump returns the transitions of the documented jump from from to to, and
// whether there is one.
func jump(from, to Status) ([]Transition, bool) {
	for _, j := range jumps {
		if j.from == from && j.to == to {
			return j.path, true
		}
	}
	return nil, false
}

// ValidateHistory reads events, an at-home phlebotomy order's events[]
// history in the order Junction sends it, against the lifecycle. It
// returns one [Step] per entry, or, where the history first breaks, the
// steps before that entry and a *[TransitionError] with the entry's index,
// wrapping [ErrInvalidHistory] and the reason.
//
// The rules, which Junction does not spell out in full (our decisions):
//
//   - An empty history is valid.
//   - The first entry is ordered: events[] is the order's whole history,
//     and every order starts there (labtest.order.created). A history that
//     starts anywhere else has lost its beginning and wraps
//     [ErrInvalidTransition].
//   - Each following entry is one transition of the table away from the
//     entry before it. A repeated status is a transition only where the
//     table has that self-loop: appointment_scheduled (a reschedule),
//     partial_results and corrected; any other repeat, such as ordered
//     then ordered, wraps [ErrInvalidTransition], as does any step the
//     table does not make, such as completed then appointment_scheduled.
//   - The exception is the jump of Junction's own webhook example:
//     requisition_created then appointment_scheduled, skipping
//     appointment_pending; and, inferred, requisition_bypassed then
//     appointment_scheduled. It is reported as a Step with Jump set and
//     the transitions of the path it skips along, not as an error.
//   - Each entry's id is greater than the id of the entry before it;
//     otherwise the entry wraps [ErrIDNotIncreasing].
//   - created_at never goes backwards: an entry earlier than the last
//     entry with a timestamp wraps [ErrOutOfOrder]. Equal timestamps are
//     allowed (Junction records ordered and requisition_bypassed in the
//     same second), and an entry without created_at is not compared.
//   - An entry of another modality, whose status text names one (such as
//     "received.walk_in_test.ordered"), or whose text is a status of ours
//     that was left unparsed because its order is not at-home phlebotomy,
//     wraps [ErrNotPhlebotomy]: such a history is refused, not checked
//     against this lifecycle. Any other entry whose status is not valid
//     wraps [ErrUnknownStatus] (through a *[ParseError] naming it).
//
// Each entry's status is checked first, then its id, then its step, then
// its time; the first fault met is reported.
// ValidateHistory reads only Status and, when Status is zero, StatusText;
// it never changes events.
func ValidateHistory(events []HistoryEntry) ([]Step, error) {
	steps := make([]Step, 0, len(events))
	// One transition per entry after the first, and at most one jump per
	// history (nothing leads back to a requisition status): events fits.
	trs := make([]Transition, 0, len(events))
	var (
		prev    Status
		prevID  int64
		seen    time.Time // the latest timestamp so far
		hasSeen bool      // seen holds a timestamp
	)
	for i, e := range events {
		s, err := entryStatus(e)
		if err != nil {
			return steps, &TransitionError{Index: i, From: prev, Err: err}
		}
		step := Step{Index: i, Entry: e, From: prev}
		if i == 0 {
			if s != Ordered {
				return steps, &TransitionError{Index: i, To: s, Err: ErrInvalidTransition}
			}
		} else {
			if e.ID <= prevID {
				return steps, &TransitionError{Index: i, From: prev, To: s,
					Err: fmt.Errorf("%w: %d after %d", ErrIDNotIncreasing, e.ID, prevID)}
			}
			start := len(trs)
			if ev, ok := TriggerFor(prev, s); ok {
				trs = append(trs, Transition{From: prev, Trigger: ev, To: s})
			} else if path, ok := jump(prev, s); ok {
				trs = append(trs, path...)
				step.Jump = true
			} else {
				return steps, &TransitionError{Index: i, From: prev, To: s, Err: ErrInvalidTransition}
			}
			step.Transitions = trs[start:len(trs):len(trs)]
		}
		if t := e.CreatedAt; !t.IsZero() {
			if hasSeen && t.Before(seen) {
				return steps, &TransitionError{Index: i, From: prev, To: s, Err: fmt.Errorf("%w: %s is before %s",
					ErrOutOfOrder, t.UTC().Format(time.RFC3339Nano), seen.UTC().Format(time.RFC3339Nano))}
			}
			seen, hasSeen = t, true
		}
		steps = append(steps, step)
		prev, prevID = s, e.ID
	}
	return steps, nil
}

// entryStatus returns the status of a history entry, or why it has none
// this lifecycle can follow.
func entryStatus(e HistoryEntry) (Status, error) {
	if e.Status.IsValid() {
		return e.Status, nil
	}
	text := e.Status.String()
	if e.Status == 0 {
		text = e.StatusText
		if m, ok := modalityOf(text); ok && m != ModalityAtHomePhlebotomy {
			return 0, fmt.Errorf("%w: %q", ErrNotPhlebotomy, text)
		}
		if _, err := ParseStatus(text); err == nil {
			return 0, fmt.Errorf("%w: %q was not parsed", ErrNotPhlebotomy, text)
		}
	}
	return 0, &ParseError{Kind: "status", Text: text, Err: ErrUnknownStatus}
}

// modalityOf returns the middle part of a status in the full form
// [HIGH-LEVEL].[MODALITY].[LOW-LEVEL], and whether text has that form:
// three non-empty parts separated by dots.
func modalityOf(text string) (Modality, bool) {
	parts := strings.Split(text, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", false
	}
	return Modality(parts[1]), true
}
