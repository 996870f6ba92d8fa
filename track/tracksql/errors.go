package tracksql

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error this package returns wraps one of them, or
// one of package track's ([track.ErrInvalidEvent] for an event
// [track.Tracked.Apply] refuses, [track.ErrMalformed] for a stored value
// that cannot be read).
var (
	// ErrSchema reports a database whose tables this package cannot use: a
	// schema written by a newer version of it, or tables that are not
	// its own.
	ErrSchema = errors.New("tracksql: unusable schema")
	// ErrDialect reports a database that is neither SQLite nor
	// PostgreSQL, or a dialect this package does not know.
	ErrDialect = errors.New("tracksql: unknown dialect")
	// ErrDatabase reports a statement the database failed: it is down,
	// read-only, closed, or refused the statement. Nothing was stored;
	// the call can be made again once the database is back.
	ErrDatabase = errors.New("tracksql: database failed")
)

// Error reports what failed, on which order or change, and why. Like
// [io/fs.PathError] it says what was done (Op), to what, and wraps the
// sentinel (Err) and the cause (Cause, such as the driver's error or a
// *[track.Error]); branch with errors.Is.
type Error struct {
	// Op is what failed: "open", "record", "load", "dispatch" or "prune".
	Op string
	// OrderID is the order concerned; empty when none is.
	OrderID string
	// Key is the key of the change concerned; empty when none is.
	Key string
	// Reason says what is wrong; empty when Err and Cause say it.
	Reason string
	// Err is the sentinel: [ErrSchema], [ErrDialect], [ErrDatabase],
	// [track.ErrMalformed] for a stored value or change that cannot be
	// read, or [track.ErrContention].
	Err error
	// Cause is the underlying error; nil when there is none.
	Cause error
}

// Error returns a message such as
// `tracksql: database failed: record order "ord-1": sql: database is closed`,
// or, for a sentinel of package track, such as
// `tracksql: record order "ord-1": the stored value: track: malformed stored order: …`.
func (e *Error) Error() string {
	own := e.Err == ErrSchema || e.Err == ErrDialect || e.Err == ErrDatabase
	msg := "tracksql"
	if own {
		msg = e.Err.Error()
	}
	if e.Op != "" {
		msg += ": " + e.Op
	}
	if e.OrderID != "" {
		msg += " order " + strconv.Quote(e.OrderID)
	}
	if e.Key != "" {
		msg += " change " + strconv.Quote(e.Key)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	switch {
	case e.Cause != nil:
		msg += ": " + e.Cause.Error()
	case !own && e.Err != nil:
		msg += ": " + e.Err.Error()
	case msg == "tracksql":
		msg += ": error"
	}
	return msg
}

// Unwrap returns Err and Cause.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}
