package tracksql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql/internal/column"
	"github.com/phlebkit/phlebkit/webhook"
)

// packLimit returns the size of the largest stored form written as it is
// on a database of dialect d.
func packLimit(d Dialect) int {
	if d == PostgreSQL {
		return column.LimitPostgreSQL
	}
	return column.LimitSQLite
}

// querier is what the statements creating the tables run on: a *sql.Tx,
// or the *sql.Conn of an SQLite transaction begun by hand.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queries are the statements whose text depends on the dialect.
type queries struct {
	take  string // takes the database's write lock (SQLite); empty for none
	read  string // reads an order's row
	lock  string // reads an order's row and locks it for the transaction
	claim string // leases changes
	fresh string // SQLite: the id from which on changes may never have been leased
	prune string // deletes changes done before a time
}

func queriesFor(d Dialect) queries {
	// The value is read only when the version is not the one cached ($2).
	const (
		read  = "SELECT version, CASE WHEN version = $2 THEN NULL ELSE value END FROM phlebkit_orders WHERE order_id = $1"
		claim = `UPDATE phlebkit_changes SET lease = $1, available_at = $2, attempts = attempts + 1
WHERE id IN (%s)
RETURNING id, change_key, order_id, body, attempts, recorded_at`
		prune = "DELETE FROM phlebkit_changes WHERE done_at IS NOT NULL AND done_at < $1"
	)
	if d == PostgreSQL {
		return queries{
			read:  read,
			lock:  read + " FOR UPDATE",
			claim: strings.Replace(claim, "%s", "SELECT id FROM phlebkit_changes WHERE done_at IS NULL AND available_at <= $3 ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED", 1),
			prune: prune,
		}
	}
	// SQLite locks the whole database for a writer, and a transaction that
	// has read may not write once another has: a write as the first
	// statement takes the lock before anything is read (waiting while the
	// database is busy), even one that changes no row.
	//
	// The changes never leased are in no index, so that recording one
	// writes no index page: they are the changes from an id on (the Store's
	// fresh, $5) whose lease is NULL, since a change keeps its last lease
	// until it is done, and SQLite gives a new row an id above all others
	// (Prune keeps the newest change, so that no id is given again). The
	// changes leased and not done are in the index phlebkit_changes_leased.
	return queries{
		take: "UPDATE phlebkit_orders SET version = version WHERE 0",
		read: read,
		lock: read,
		claim: strings.Replace(claim, "%s", `SELECT id FROM (
	SELECT id FROM phlebkit_changes WHERE lease IS NOT NULL AND done_at IS NULL AND available_at <= $3
	UNION ALL
	SELECT id FROM phlebkit_changes WHERE id >= $5 AND lease IS NULL AND done_at IS NULL AND available_at <= $3
) ORDER BY id LIMIT $4`, 1),
		fresh: `SELECT coalesce(
	(SELECT min(id) FROM phlebkit_changes WHERE id >= $1 AND lease IS NULL AND done_at IS NULL),
	(SELECT max(id) + 1 FROM phlebkit_changes),
	$1)`,
		prune: prune + " AND id < (SELECT max(id) FROM phlebkit_changes)",
	}
}

// statements are the statements a Store prepares once, for all its
// transactions.
type statements struct {
	take, read, lock, insertOrder, updateOrder *sql.Stmt

	// changes[n] is the INSERT of n changes, for n from 1 to
	// preparedChanges (changes[0] is nil); an INSERT of more is prepared
	// on the transaction that runs it. None is prepared while a transaction holds a
	// connection: with one connection (SetMaxOpenConns(1), usual on
	// SQLite), that would wait forever.
	changes []*sql.Stmt
}

// preparedChanges is how many INSERT statements of changes a Store
// prepares when it opens: of one change, of two, and so on. Most events
// reveal one to three changes.
const preparedChanges = 8

// prepare prepares the statements of s.
func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		st    **sql.Stmt
		query string
	}{
		{&s.st.take, s.q.take},
		{&s.st.read, s.q.read},
		{&s.st.lock, s.q.lock},
		{&s.st.insertOrder, "INSERT INTO phlebkit_orders (order_id, value, version, updated_at) VALUES ($1, $2, 1, $3) ON CONFLICT (order_id) DO NOTHING"},
		{&s.st.updateOrder, "UPDATE phlebkit_orders SET value = $1, version = $2, updated_at = $3 WHERE order_id = $4 AND version = $5"},
	} {
		if p.query == "" {
			continue
		}
		st, err := s.db.PrepareContext(ctx, p.query)
		if err != nil {
			s.Close()
			return &Error{Op: "open", Reason: "preparing statements", Err: ErrDatabase, Cause: err}
		}
		*p.st = st
	}
	s.st.changes = make([]*sql.Stmt, preparedChanges+1)
	for n := 1; n <= preparedChanges; n++ {
		st, err := s.db.PrepareContext(ctx, insertChangesQuery(n))
		if err != nil {
			s.Close()
			return &Error{Op: "open", Reason: "preparing statements", Err: ErrDatabase, Cause: err}
		}
		s.st.changes[n] = st
	}
	return nil
}

// Close releases the statements the store prepared on its database. It
// does not close the database, and the store must not be used after.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	var errs []error
	for _, st := range append([]*sql.Stmt{s.st.take, s.st.read, s.st.lock, s.st.insertOrder, s.st.updateOrder}, s.st.changes...) {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if err := errors.Join(errs...); err != nil {
		return &Error{Op: "close", Err: ErrDatabase, Cause: err}
	}
	return nil
}

// Record applies e to the order's value and returns the changes e
// revealed, as [track.Record] does, and, in one transaction, stores the
// new value and those changes, for [Store.Run] and [Store.Dispatch] to hand
// out. So a change is never lost: it is stored with the value that
// revealed it, or neither is. Whichever processes record a set of events on
// one database, in whatever order, each change is returned and stored by
// exactly one Record call: on PostgreSQL, the value and the changes are
// written by one statement, only if the order's version is still the one
// read (else Record reads and applies again); on SQLite, the transaction
// holds the database's write lock. The first event of an order is handled
// as any other. An event that reveals nothing (a duplicate, or a stale
// snapshot) stores nothing.
//
// A Store keeps the values it read or wrote lately in memory, and reads a
// stored value again only when its version changed: change the tables
// through a Store only.
//
// Errors: an *[track.Error] or *[track.ConflictError] wrapping
// [track.ErrInvalidEvent] for an event Apply refuses (sending it again
// will not help); an *[Error] wrapping [track.ErrMalformed] that names the
// order when its stored value cannot be read (the other orders are not
// affected); an *[Error] wrapping [ErrDatabase] when the database fails,
// after which nothing was stored: the delivery can be answered with an
// error, so that it comes again; on PostgreSQL, an *[Error] wrapping
// [track.ErrContention] after 100 swaps lost in a row.
func (s *Store) Record(ctx context.Context, e webhook.Event) ([]track.Change, error) {
	if err := s.usable("record", ctx); err != nil {
		return nil, err
	}
	if s.cfg.dialect == PostgreSQL {
		return s.recordSwap(ctx, &e)
	}
	g := s.guess(&e)
	if g.stale() {
		return nil, nil
	}
	s.prepareGuess(&g)
	defer g.release()
	var (
		changes []track.Change
		rows    *rowStore
	)
	fail := func(reason string, err error) error {
		return &Error{Op: "record", OrderID: e.OrderID(), Reason: reason, Err: ErrDatabase, Cause: err}
	}
	err := s.retryBusy(ctx, func() error { // a busy SQLite database: nothing was done, do it again
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fail("begin", err)
		}
		rows = &rowStore{s: s, tx: tx}
		if changes, err = s.record(ctx, rows, &e, g); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fail("commit", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rows.version != 0 { // committed: cache the value written
		s.cache.put(e.OrderID(), rows.version, rows.written)
	}
	s.woken(changes)
	return changes, nil
}

// woken wakes Run when changes were recorded.
func (s *Store) woken(changes []track.Change) {
	if len(changes) != 0 {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// maxSwaps bounds how often recordSwap tries again after losing the
// compare-and-swap to another writer.
const maxSwaps = 100

// recordSwap is Record on PostgreSQL, in two round trips and no lock held
// in between: read the order's row, apply e, then write the new value, if
// the row's version is still the one read, and the changes, in one
// statement (so in one transaction). Another writer got there first: the
// statement writes nothing, and it starts again.
func (s *Store) recordSwap(ctx context.Context, e *webhook.Event) ([]track.Change, error) {
	id := e.OrderID()
	held, version := s.cache.get(id)
	for i := range maxSwaps {
		// First, the value in memory, if any: it is the stored value as
		// long as the row's version is still its version, which the
		// write checks. Then the row as read.
		p := &pending{s: s, fixed: i == 0 && version != 0, held: held, heldVersion: version}
		changes, err := track.Record(ctx, p, *e)
		switch {
		case err != nil && p.fixed:
			continue // read the row, and apply e to it
		case err != nil || p.next == nil:
			return nil, err // refused, failed, or nothing new
		case len(changes) > maxChangeRows:
			return s.recordLocked(ctx, e)
		}
		ok, err := s.swap(ctx, id, p.version, p.next, changes)
		if err != nil {
			return nil, err
		}
		if ok {
			s.cache.put(id, p.version+1, *p.next)
			s.woken(changes)
			return changes, nil
		}
	}
	return nil, &Error{Op: "record", OrderID: id, Reason: strconv.Itoa(maxSwaps) + " swaps lost in a row", Err: track.ErrContention}
}

// guessed is an event applied to the value of its order in memory: what
// recording it writes if the stored value is still that one (at version,
// 0 when none is in memory), which the write checks.
type guessed struct {
	version int64
	next    *track.Tracked // nil: nothing new, or refused
	changes []track.Change
	err     error // the value in memory refused the event

	// packed is the value column of next, and bodies the JSON of changes,
	// when prepareGuess made them: before the transaction begins, so that it
	// holds SQLite's write lock the shorter. buf holds packed until
	// release.
	packed []byte
	bodies []string
	buf    *column.Buffer
}

// prepareGuess makes g's value column and its changes' JSON, if it can;
// otherwise the transaction makes them, and fails as it should.
func (s *Store) prepareGuess(g *guessed) {
	if g.next == nil {
		return
	}
	bodies := make([]string, len(g.changes))
	for i, c := range g.changes {
		body, err := track.MarshalChange(c)
		if err != nil {
			return
		}
		bodies[i] = string(body)
	}
	buf := column.Get()
	packed, err := column.Pack(buf, g.next, packLimit(s.cfg.dialect))
	if err != nil {
		column.Put(buf)
		return
	}
	g.packed, g.bodies, g.buf = packed, bodies, buf
}

// release puts back the buffer prepareGuess took; g's packed bytes must not be
// used after.
func (g *guessed) release() {
	if g.buf != nil {
		column.Put(g.buf)
		g.buf, g.packed = nil, nil
	}
}

// guess applies e to the value of its order in memory, or to the zero
// Tracked when none is.
func (s *Store) guess(e *webhook.Event) guessed {
	p := &pending{fixed: true}
	p.held, p.heldVersion = s.cache.get(e.OrderID())
	changes, err := track.Record(context.Background(), p, *e)
	return guessed{version: p.heldVersion, next: p.next, changes: changes, err: err}
}

// stale reports whether the value in memory shows that the event brings
// nothing new: then the stored value, which knows at least as much (a
// value only ever learns more), does not either.
func (g guessed) stale() bool {
	return g.version != 0 && g.err == nil && g.next == nil
}

// recordLocked is Record in a transaction, the order's row locked.
func (s *Store) recordLocked(ctx context.Context, e *webhook.Event) ([]track.Change, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, &Error{Op: "record", OrderID: e.OrderID(), Reason: "begin", Err: ErrDatabase, Cause: err}
	}
	changes, err := s.record(ctx, &rowStore{s: s, tx: tx}, e, s.guess(e))
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, &Error{Op: "record", OrderID: e.OrderID(), Reason: "commit", Err: ErrDatabase, Cause: err}
	}
	s.woken(changes)
	return changes, nil
}

// pending is the [track.Store] of recordSwap: Load reads the order's row,
// or, when fixed, returns held; Swap keeps the new value for recordSwap to
// write.
type pending struct {
	s           *Store
	fixed       bool
	held        track.Tracked
	heldVersion int64
	version     int64 // of the value Swap replaces
	next        *track.Tracked
}

func (p *pending) Load(ctx context.Context, orderID string) (track.Tracked, int64, error) {
	if p.fixed {
		return p.held, p.heldVersion, nil
	}
	return p.s.load(ctx, p.s.st.read, "record", orderID)
}

func (p *pending) Swap(_ context.Context, _ string, version int64, next track.Tracked) (bool, error) {
	p.version, p.next = version, &next
	return true, nil
}

// swap writes next as the order's value if its version is still version,
// with changes, in one statement, and reports whether it did.
func (s *Store) swap(ctx context.Context, orderID string, version int64, next *track.Tracked, changes []track.Change) (bool, error) {
	buf := column.Get()
	defer column.Put(buf)
	b, err := column.Pack(buf, next, packLimit(s.cfg.dialect))
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: track.ErrMalformed, Cause: err}
	}
	now := s.cfg.now().UnixNano()
	var (
		q    strings.Builder
		args []any
	)
	if version == 0 {
		q.WriteString("INSERT INTO phlebkit_orders (order_id, value, version, updated_at) VALUES ($1, $2, 1, $3) ON CONFLICT (order_id) DO NOTHING")
		args = []any{orderID, b, now}
	} else {
		q.WriteString("UPDATE phlebkit_orders SET value = $2, version = $4, updated_at = $3 WHERE order_id = $1 AND version = $5")
		args = []any{orderID, b, now, version + 1, version}
	}
	if len(changes) != 0 {
		// The changes are inserted only if the order's row was written.
		order := q.String() + " RETURNING 1"
		q.Reset()
		q.WriteString("WITH written AS (" + order + ")\nINSERT INTO phlebkit_changes (change_key, order_id, kind, body, recorded_at, available_at)\nSELECT * FROM (VALUES ")
		for i, c := range changes {
			body, err := track.MarshalChange(c)
			if err != nil {
				return false, &Error{Op: "record", OrderID: orderID, Key: c.Key(), Err: track.ErrMalformed, Cause: err}
			}
			k := c.Key()
			n := len(args)
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "($%d::text, $1::text, $%d::text, $%d::text, $3::bigint, $3::bigint)", n+1, n+2, n+3)
			args = append(args, k, kindOf(k), string(body))
		}
		q.WriteString(") AS c WHERE EXISTS (SELECT FROM written)")
	}
	res, err := s.db.ExecContext(ctx, q.String(), args...)
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	return n == int64(max(len(changes), 1)), nil
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
// reads anything: its first statement takes the database's write lock,
// and a transaction that has read may fail to take it once another has
// written.
//
// Errors: those of Record. After an error, roll tx back.
func (s *Store) RecordTx(ctx context.Context, tx *sql.Tx, e webhook.Event) ([]track.Change, error) {
	if err := s.usable("record", ctx); err != nil {
		return nil, err
	}
	if tx == nil {
		return nil, &Error{Op: "record", OrderID: e.OrderID(), Reason: "no transaction", Err: ErrDatabase}
	}
	return s.record(ctx, &rowStore{s: s, tx: tx}, &e, s.guess(&e))
}

// record records e with rows, guessed as g: when g has news, its value
// is written first, if the order's version is still g's (so that news of
// an order the Store knows takes one statement, which on SQLite takes the
// database's write lock); otherwise, or when g is stale or refused, or that
// write finds another version, e is applied to the order's row as read.
func (s *Store) record(ctx context.Context, rows *rowStore, e *webhook.Event, g guessed) ([]track.Change, error) {
	if g.stale() {
		return nil, nil
	}
	changes, bodies := g.changes, g.bodies
	ok := false
	if g.next != nil {
		var err error
		if ok, err = rows.swap(ctx, e.OrderID(), g.version, g.next, g.packed); err != nil {
			return nil, err
		}
	}
	if !ok {
		var err error
		if changes, err = track.Record(ctx, rows, *e); err != nil {
			return nil, err
		}
		bodies = nil
	}
	if len(changes) == 0 {
		return nil, nil
	}
	if err := s.insertChanges(ctx, rows.tx, e.OrderID(), changes, bodies); err != nil {
		return nil, err
	}
	return changes, nil
}

// rowStore is the [track.Store] of one transaction: Load reads the order's
// row, locking it (on SQLite, taking the database's write lock first,
// unless a write did), and Swap writes it. Values read are cached at once,
// since they are committed; the value written is kept in written, for the
// caller to cache once the transaction is committed.
type rowStore struct {
	s       *Store
	tx      *sql.Tx
	locked  bool  // a statement that takes SQLite's write lock ran in tx
	version int64 // of the value written; 0 until one is
	written track.Tracked
}

func (r *rowStore) Load(ctx context.Context, orderID string) (track.Tracked, int64, error) {
	if r.s.st.take != nil && !r.locked {
		if _, err := r.tx.StmtContext(ctx, r.s.st.take).ExecContext(ctx); err != nil {
			return track.Tracked{}, 0, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
		}
		r.locked = true
	}
	return r.s.load(ctx, r.tx.StmtContext(ctx, r.s.st.lock), "record", orderID)
}

// load reads the order's row with st, and its value unless the cache has
// it at the version the row has.
func (s *Store) load(ctx context.Context, st *sql.Stmt, op, orderID string) (track.Tracked, int64, error) {
	held, cachedVersion := s.cache.get(orderID)
	var (
		value   []byte
		version int64
	)
	err := st.QueryRowContext(ctx, orderID, cachedVersion).Scan(&version, &value)
	if errors.Is(err, sql.ErrNoRows) {
		return track.Tracked{}, 0, nil
	}
	if err != nil {
		return track.Tracked{}, 0, &Error{Op: op, OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	if value == nil { // the version is the one cached: the value is NOT NULL
		return held, version, nil
	}
	o, err := column.UnpackValue(value)
	if err != nil {
		return track.Tracked{}, 0, &Error{Op: op, OrderID: orderID, Reason: "the stored value", Err: track.ErrMalformed, Cause: err}
	}
	s.cache.put(orderID, version, o)
	return o, version, nil
}

func (r *rowStore) Swap(ctx context.Context, orderID string, version int64, next track.Tracked) (bool, error) {
	return r.swap(ctx, orderID, version, &next, nil)
}

// swap is Swap, given where next is, and its value column when it was
// made (nil when not).
func (r *rowStore) swap(ctx context.Context, orderID string, version int64, next *track.Tracked, b []byte) (bool, error) {
	if b == nil {
		buf := column.Get()
		defer column.Put(buf)
		var err error
		if b, err = column.Pack(buf, next, packLimit(r.s.cfg.dialect)); err != nil {
			return false, &Error{Op: "record", OrderID: orderID, Err: track.ErrMalformed, Cause: err}
		}
	}
	var err error
	now := r.s.cfg.now().UnixNano()
	var res sql.Result
	if version == 0 {
		res, err = r.tx.StmtContext(ctx, r.s.st.insertOrder).ExecContext(ctx, orderID, b, now)
	} else {
		res, err = r.tx.StmtContext(ctx, r.s.st.updateOrder).ExecContext(ctx, b, version+1, now, orderID, version)
	}
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	r.locked = true
	n, err := res.RowsAffected()
	if err != nil {
		return false, &Error{Op: "record", OrderID: orderID, Err: ErrDatabase, Cause: err}
	}
	if n == 1 {
		r.version, r.written = version+1, *next
	}
	return n == 1, nil
}

// changeColumns is how many columns insertChanges writes per change.
const changeColumns = 6

// maxChangeRows is how many changes one INSERT writes at most: a variable,
// for tests.
var maxChangeRows = 200

// insertChanges stores changes in the outbox, a few INSERT statements of
// many rows each; bodies, when not nil, are the changes' JSON.
func (s *Store) insertChanges(ctx context.Context, tx *sql.Tx, orderID string, changes []track.Change, bodies []string) error {
	now := s.cfg.now().UnixNano()
	for at := 0; at < len(changes); {
		chunk := changes[at:min(len(changes), at+maxChangeRows)]
		args := make([]any, len(chunk)*changeColumns)
		for i, c := range chunk {
			var body string
			if bodies != nil {
				body = bodies[at+i]
			} else {
				b, err := track.MarshalChange(c)
				if err != nil {
					return &Error{Op: "record", OrderID: orderID, Key: c.Key(), Err: track.ErrMalformed, Cause: err}
				}
				body = string(b)
			}
			k := c.Key()
			copy(args[i*changeColumns:], []any{k, orderID, kindOf(k), body, now, now})
		}
		at += len(chunk)
		var err error
		if n := len(chunk); n < len(s.st.changes) {
			_, err = tx.StmtContext(ctx, s.st.changes[n]).ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertChangesQuery(n), args...)
		}
		if err != nil {
			return &Error{Op: "record", OrderID: orderID, Reason: "storing the changes", Err: ErrDatabase, Cause: err}
		}
	}
	return nil
}

// insertChangesQuery returns the statement that inserts n changes.
func insertChangesQuery(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO phlebkit_changes (change_key, order_id, kind, body, recorded_at, available_at) VALUES ")
	for i := range n {
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
	}
	return b.String()
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
	if err := s.usable("load", ctx); err != nil {
		return track.Tracked{}, 0, err
	}
	return s.load(ctx, s.st.read, "load", orderID)
}

// write runs f in a transaction and commits it; f's error, or a failure to
// begin or commit, rolls it back. On SQLite the transaction is begun with
// BEGIN IMMEDIATE on a connection of its own, so that it holds the
// database's write lock from its start, and a busy database is waited for:
// f may read, then write.
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
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
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
			return err
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
