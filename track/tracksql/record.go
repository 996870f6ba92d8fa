package tracksql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
)

// querier is what a statement runs on: a *sql.Tx, or the *sql.Conn of an
// SQLite transaction begun by hand.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries are the statements whose text depends on the dialect.
type queries struct {
	lock   string // reads an order's row and locks it for the transaction
	lockTx string // the same, in a transaction the caller began
	claim  string // leases changes
}

func queriesFor(d Dialect) queries {
	const claim = `UPDATE phlebkit_changes SET lease = $1, available_at = $2, attempts = attempts + 1
WHERE id IN (SELECT id FROM phlebkit_changes WHERE done_at IS NULL AND available_at <= $3 ORDER BY id LIMIT $4%s)
RETURNING id, change_key, order_id, body, attempts, recorded_at`
	if d == PostgreSQL {
		lock := "SELECT value, version FROM phlebkit_orders WHERE order_id = $1 FOR UPDATE"
		return queries{lock: lock, lockTx: lock, claim: strings.Replace(claim, "%s", " FOR UPDATE SKIP LOCKED", 1)}
	}
	// SQLite locks the whole database for a writer. A transaction Store
	// begins is BEGIN IMMEDIATE, which takes that lock first; in the
	// caller's, a write as the first statement takes it.
	return queries{
		lock:   "SELECT value, version FROM phlebkit_orders WHERE order_id = $1",
		lockTx: "UPDATE phlebkit_orders SET version = version WHERE order_id = $1 RETURNING value, version",
		claim:  strings.Replace(claim, "%s", "", 1),
	}
}

// Record applies e to the order's value and returns the changes e
// revealed, as [track.Record] does, and, in one transaction, stores the
// new value and those changes, for [Store.Run] and [Store.Dispatch] to hand
// out. So a change is never lost: it is stored with the value that
// revealed it, or neither is. Whichever processes record a set of events on
// one database, in whatever order, each change is returned and stored by
// exactly one Record call; the order's row is locked for the transaction,
// so concurrent deliveries of an order wait for each other, and the first
// event of an order is handled as any other. An event that reveals
// nothing (a duplicate, or a stale snapshot) stores nothing.
//
// Errors: an *[track.Error] or *[track.ConflictError] wrapping
// [track.ErrInvalidEvent] for an event Apply refuses (sending it again
// will not help); an *[Error] wrapping [track.ErrMalformed] that names the
// order when its stored value cannot be read (the other orders are not
// affected); an *[Error] wrapping [ErrDatabase] when the database fails,
// after which nothing was stored: the delivery can be answered with an
// error, so that it comes again.
func (s *Store) Record(ctx context.Context, e webhook.Event) ([]track.Change, error) {
	var changes []track.Change
	err := s.write(ctx, "record", e.OrderID(), func(ctx context.Context, q querier) error {
		var err error
		changes, err = s.record(ctx, q, s.q.lock, &e)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return changes, nil
}

// RecordTx is [Store.Record] in tx, a transaction the caller began on the
// store's database and commits or rolls back: the new value and the
// changes are stored with whatever else tx writes, or not at all. A team
// whose side effect of a change is a write to the same database makes it
// exactly once this way: written in tx with the change, or not at all.
// The changes RecordTx stores are handed out by [Store.Run] once tx is
// committed, as Record's are (Run sees them within its poll interval).
//
// On PostgreSQL, tx should be READ COMMITTED (the default): at stricter
// levels, a concurrent delivery of the same order fails tx with a
// serialization error, to be retried. On SQLite, call RecordTx before tx
// reads anything, so that it takes the database's write lock before
// reading: a transaction that has read may fail to write once another
// has.
//
// Errors: those of Record. After an error, roll tx back.
func (s *Store) RecordTx(ctx context.Context, tx *sql.Tx, e webhook.Event) ([]track.Change, error) {
	if tx == nil {
		return nil, &Error{Op: "record", OrderID: e.OrderID(), Reason: "no transaction", Err: ErrDatabase}
	}
	return s.record(ctx, tx, s.q.lockTx, &e)
}

// record records e with q, reading the order's row with lock.
func (s *Store) record(ctx context.Context, q querier, lock string, e *webhook.Event) ([]track.Change, error) {
	rows := &rowStore{s: s, q: q, lock: lock}
	changes, err := track.Record(ctx, rows, *e)
	if err != nil || len(changes) == 0 {
		return nil, err
	}
	if err := s.insertChanges(ctx, q, e.OrderID(), changes); err != nil {
		return nil, err
	}
	return changes, nil
}

// rowStore is the [track.Store] of one transaction: Load locks the order's
// row, Swap writes it.
type rowStore struct {
	s    *Store
	q    querier
	lock string
}

func (r *rowStore) Load(ctx context.Context, orderID string) (track.Tracked, int64, error) {
	var (
		value   []byte
		version int64
	)
	err := r.q.QueryRowContext(ctx, r.lock, orderID).Scan(&value, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return track.Tracked{}, 0, nil
	}
	if err != nil {
		return track.Tracked{}, 0, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	var o track.Tracked
	if err := o.UnmarshalJSON(value); err != nil {
		return track.Tracked{}, 0, &Error{Op: "record", OrderID: orderID, Reason: "the stored value", Err: track.ErrMalformed, Cause: err}
	}
	return o, version, nil
}

func (r *rowStore) Swap(ctx context.Context, orderID string, version int64, next track.Tracked) (bool, error) {
	b, err := next.MarshalJSON()
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: track.ErrMalformed, Cause: err}
	}
	now := r.s.cfg.now().UnixNano()
	var res sql.Result
	if version == 0 {
		res, err = r.q.ExecContext(ctx, `INSERT INTO phlebkit_orders (order_id, value, version, updated_at) VALUES ($1, $2, 1, $3)
ON CONFLICT (order_id) DO NOTHING`, orderID, string(b), now)
	} else {
		res, err = r.q.ExecContext(ctx, `UPDATE phlebkit_orders SET value = $1, version = $2, updated_at = $3
WHERE order_id = $4 AND version = $5`, string(b), version+1, now, orderID, version)
	}
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	return n == 1, nil
}

// changeColumns is how many columns insertChanges writes per change, and
// maxChangeRows how many changes one INSERT writes at most.
const (
	changeColumns = 6
	maxChangeRows = 200
)

// insertChanges stores changes in the outbox, a few INSERT statements of
// many rows each.
func (s *Store) insertChanges(ctx context.Context, q querier, orderID string, changes []track.Change) error {
	now := s.cfg.now().UnixNano()
	for len(changes) > 0 {
		chunk := changes[:min(len(changes), maxChangeRows)]
		changes = changes[len(chunk):]
		var b strings.Builder
		b.WriteString("INSERT INTO phlebkit_changes (change_key, order_id, kind, body, recorded_at, available_at) VALUES ")
		args := make([]any, 0, len(chunk)*changeColumns)
		for i, c := range chunk {
			body, err := track.MarshalChange(c)
			if err != nil {
				return &Error{Op: "record", OrderID: orderID, Key: c.Key(), Err: track.ErrMalformed, Cause: err}
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j := range changeColumns {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(i*changeColumns+j+1))
			}
			b.WriteString(")")
			k := c.Key()
			args = append(args, k, orderID, kindOf(k), string(body), now, now)
		}
		b.WriteString(" ON CONFLICT (change_key) DO NOTHING")
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return &Error{Op: "record", OrderID: orderID, Reason: "storing the changes", Err: ErrDatabase, Cause: err}
		}
	}
	return nil
}

// kindOf returns the kind a change's key names: its second segment.
func kindOf(key string) string {
	_, rest, _ := strings.Cut(key, "/")
	kind, _, _ := strings.Cut(rest, "/")
	return kind
}

// Load returns the order's value and its version (which grows by one on
// each write), or the zero Tracked and version 0 when the store has none.
// A stored value that cannot be read is an *[Error] wrapping
// [track.ErrMalformed] that names the order; a database failure one
// wrapping [ErrDatabase].
func (s *Store) Load(ctx context.Context, orderID string) (track.Tracked, int64, error) {
	r := rowStore{s: s, q: s.db, lock: "SELECT value, version FROM phlebkit_orders WHERE order_id = $1"}
	o, v, err := r.Load(ctx, orderID)
	if e, ok := errors.AsType[*Error](err); ok {
		e.Op = "load"
	}
	return o, v, err
}

// write runs f in a transaction and commits it; f's error, or a failure to
// begin or commit, rolls it back. On SQLite the transaction is begun with
// BEGIN IMMEDIATE on a connection of its own, so that it holds the
// database's write lock from its start, and a busy database is waited for.
func (s *Store) write(ctx context.Context, op, orderID string, f func(context.Context, querier) error) error {
	fail := func(reason string, err error) error {
		return &Error{Op: op, OrderID: orderID, Reason: reason, Err: ErrDatabase, Cause: err}
	}
	if s.cfg.dialect == PostgreSQL {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fail("begin", err)
		}
		if err := f(ctx, tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fail("commit", err)
		}
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fail("connect", err)
	}
	defer conn.Close()
	if err := s.retryBusy(ctx, func() error { _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); return err }); err != nil {
		return fail("begin", err)
	}
	if err := f(ctx, conn); err != nil {
		s.rollback(ctx, conn)
		return err
	}
	if err := s.retryBusy(ctx, func() error { _, err := conn.ExecContext(ctx, "COMMIT"); return err }); err != nil {
		s.rollback(ctx, conn)
		return fail("commit", err)
	}
	return nil
}

// rollback rolls back the transaction begun by hand on conn, even once ctx
// is done; a connection that cannot roll back is discarded, so that no
// other statement runs in the transaction.
func (s *Store) rollback(ctx context.Context, conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// retryBusy runs f until it succeeds, fails otherwise than with SQLite's
// busy or locked error, ctx is done, or about ten seconds of waiting have
// passed.
func (s *Store) retryBusy(ctx context.Context, f func() error) error {
	wait := time.Millisecond
	for range 100 {
		err := f()
		if err == nil || !isBusy(err) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
	return f()
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// read from a driver error's Code method (as modernc.org/sqlite's errors
// have) or its message.
func isBusy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		c := coded.Code() & 0xff
		return c == 5 || c == 6
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}
