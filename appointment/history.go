package appointment

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/phlebkit/phlebkit/internal/jsonwire"
)

// HistoryEntry is one entry of an appointment's events[] history:
// {"created_at", "data", "status"}.
//
// Status is kept as sent, an event status such as "scheduled", so that a
// history holding a status this package does not know still decodes;
// [HistoryEntry.ParseStatus] and [ValidateHistory] report it.
type HistoryEntry struct {
	// CreatedAt is when the entry was recorded (created_at), in UTC; zero
	// (null on the wire) when Junction sends none.
	CreatedAt time.Time
	// Status is the event status as sent (status).
	Status string
	// Data is the provider-specific event data (data) as sent, compacted;
	// nil when Junction sends null. It has the shape of [EventData] in
	// Junction's examples.
	Data json.RawMessage
}

// ParseStatus parses e.Status as [ParseStatus] does.
func (e HistoryEntry) ParseStatus() (Status, error) { return ParseStatus(e.Status) }

type wireEntry struct {
	CreatedAt *string         `json:"created_at"`
	Data      json.RawMessage `json:"data"`
	Status    string          `json:"status"`
}

// MarshalJSON writes Junction's fields: created_at (null when absent), data
// (null when nil) and status. A CreatedAt outside the years 0000 to 9999 and
// a Data that is not valid JSON are an *[EncodeError] wrapping
// [ErrMalformed] whose Field is "created_at" or "data".
func (e HistoryEntry) MarshalJSON() ([]byte, error) {
	created, err := timeText(e.CreatedAt)
	if err != nil {
		return nil, &EncodeError{Field: "created_at", Err: err}
	}
	b, err := json.Marshal(wireEntry{CreatedAt: created, Data: e.Data, Status: e.Status})
	if err != nil {
		return nil, &EncodeError{Field: "data", Err: checkRaw(e.Data)}
	}
	return b, nil
}

// UnmarshalJSON decodes Junction's fields. created_at must be a string that
// [ParseTime] accepts, or null; status must be a string, or null for "";
// data may be any JSON value, kept as encoding/json writes a
// json.RawMessage: compacted, with <, >, &, U+2028 and U+2029 escaped.
// Keys are matched exactly, and a repeated member's last value wins. Like
// the standard library's decoders it leaves e unchanged for null; on error
// (a *[DecodeError]) e is unchanged too.
func (e *HistoryEntry) UnmarshalJSON(data []byte) error {
	var r jsonwire.Reader
	r.Reset(data)
	var v HistoryEntry
	present := r.Object()
	if present {
		readEntry(&r, &v)
	}
	if err := finish(&r); err != nil || !present {
		return asError(err)
	}
	if e == nil {
		return &DecodeError{}
	}
	*e = v
	return nil
}

// ValidateHistory reports whether events, an appointment's events[]
// history in the order Junction sends it, is a path through the lifecycle,
// and if not, where it first breaks: a *[HistoryError] with the index of
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
		s, err := e.ParseStatus()
		if err != nil {
			return &HistoryError{Index: i, From: prev, Err: err}
		}
		switch {
		case i == 0:
			if s != table.Initial() && !table.Reachable(table.Initial(), s) {
				return &HistoryError{Index: i, To: s, Err: ErrInvalidTransition}
			}
		case s == prev:
			// A reschedule self-loop, or a duplicate delivery.
		case !table.CanTransition(prev, s):
			return &HistoryError{Index: i, From: prev, To: s, Err: ErrInvalidTransition}
		}
		if t := e.CreatedAt; !t.IsZero() {
			if seen && t.Before(last) {
				return &HistoryError{Index: i, From: prev, To: s, Err: fmt.Errorf("%w: %s is before %s",
					ErrOutOfOrder, formatTime(t), formatTime(last))}
			}
			last, seen = t, true
		}
		prev = s
	}
	return nil
}
