package appointment

import (
	"fmt"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/phlebkit/phlebkit/internal/jsonerr"
)

// HistoryEntry is one entry of an appointment's events[] history:
// {"created_at", "data", "status"}.
//
// Status is kept as sent, an event status such as "scheduled", so that a
// history holding a status this package does not know still decodes;
// [ParseStatus] and [ValidateHistory] report it.
type HistoryEntry struct {
	// CreatedAt is when the entry was recorded (created_at), in UTC; zero
	// (null on the wire) when Junction sends none.
	CreatedAt time.Time `json:"created_at"`
	// Status is the event status as sent (status).
	Status string `json:"status"`
	// Data is the provider-specific event data (data) as sent, in the form
	// the encoder writes it (compacted, strings canonical); nil when
	// Junction sends null. It has the shape of [EventData] in Junction's
	// examples.
	Data jsontext.Value `json:"data"`
}

// ValidateHistory reports whether events, an appointment's events[]
// history in the order Junction sends it, is a path through the lifecycle,
// and if not, where it first breaks: a *[TransitionError] with the index of
// the entry at fault, wrapping [ErrInvalidHistory] and the reason.
//
// The rules, which Junction does not spell out (our decision):
//
//   - An empty history is valid.
//   - The first entry may have any status reachable from creation: the
//     history may start after pending, as Junction's own example starts at
//     scheduled. In this lifecycle that is every status.
//   - Each following entry is either one transition away from the entry
//     before it (scheduled then completed is one: providers may skip
//     in_progress), or has the same status. A repeated reserved or
//     scheduled is a reschedule; any other repeated status, such as pending
//     or cancelled, is taken as a duplicate delivery and accepted.
//     Anything else, such as completed then scheduled, cancelled then any
//     other status, or in_progress then reserved, wraps
//     [ErrInvalidTransition].
//   - A status [ParseStatus] does not accept wraps [ErrUnknownStatus];
//     nothing after it is checked.
//   - created_at never goes backwards: an entry earlier than the last entry
//     with a timestamp wraps [ErrOutOfOrder]. Equal timestamps are allowed,
//     and an entry without created_at is not compared. When one entry both
//     makes a forbidden step and goes back in time, the forbidden step is
//     reported.
func ValidateHistory(events []HistoryEntry) error {
	var (
		prev Status
		last time.Time
		seen bool // last holds a timestamp
	)
	for i, e := range events {
		s, err := ParseStatus(e.Status)
		if err != nil {
			return &TransitionError{Index: i, From: prev, Err: err}
		}
		switch {
		case i == 0:
			if s != table.Initial() && !table.Reachable(table.Initial(), s) {
				return &TransitionError{Index: i, To: s, Err: ErrInvalidTransition}
			}
		case s == prev:
			// A reschedule self-loop, or a duplicate delivery.
		case !table.CanTransition(prev, s):
			return &TransitionError{Index: i, From: prev, To: s, Err: ErrInvalidTransition}
		}
		if t := e.CreatedAt; !t.IsZero() {
			if seen && t.Before(last) {
				return &TransitionError{Index: i, From: prev, To: s, Err: fmt.Errorf("%w: %s is before %s",
					ErrOutOfOrder, jsonerr.FormatTime(t), jsonerr.FormatTime(last))}
			}
			last, seen = t, true
		}
		prev = s
	}
	return nil
}
