package tracksql

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/track"
)

// Delivery is a stored change handed to a handler by [Store.Dispatch] or
// [Store.Run].
type Delivery struct {
	// Key names the change among all the changes of all orders
	// ([track.Change]'s Key): the same on every attempt, and in every
	// process, so that a handler can be made idempotent on it.
	Key string
	// OrderID is the order the change is about.
	OrderID string
	// Change is the change, as [Store.Record] returned it.
	Change track.Change
	// Attempt counts the times the change was handed out, this one
	// included: 1 the first time. A change handed out again after a crash
	// counts the attempt that did not finish.
	Attempt int
	// RecordedAt is when the change was stored, by the store's clock.
	RecordedAt time.Time
}

// claimed is a change a dispatcher leased.
type claimed struct {
	id         int64
	key        string
	orderID    string
	body       string
	attempts   int
	recordedAt int64
}

// Dispatch hands each stored change that is due to handle, one at a time,
// until none is left, and returns how many handle accepted. A change is
// due when it was recorded and not yet accepted, unless it is leased (by
// this or another dispatcher, in this or another process: a lease that
// expires makes it due again, so a crashed process's changes are not lost)
// or waits after a failure. Changes are leased a batch at a time in the
// order they were recorded ([WithBatch], [WithLease]); on PostgreSQL,
// dispatchers sharing one database skip the changes another holds (FOR
// UPDATE SKIP LOCKED), so that no change is handed to two at once while
// its lease runs.
//
// handle accepts a change by returning nil: the change is then done, and
// handed out no more. An error, or a panic, is a failure: the change is
// handed out again after a backoff ([WithBackoff]) that doubles on each
// failure, with no limit on the attempts. Each call is given the lease as
// its deadline, and is not cancelled with ctx, so that a change under way
// when ctx is done finishes; the changes leased after it are released for
// another dispatcher at once.
//
// A change is handed out at least once: it can be handed out again after
// handle accepted it, when the process stops, or the database fails,
// before the change is marked done, or when handle outlives its lease. So
// make handle idempotent on [Delivery.Key], or use [Store.RecordTx] for
// side effects in the same database.
//
// A stored change that cannot be read is a failure: it waits as after a
// handler's failure, and is logged; the others are not affected. The error
// is a database failure, an *[Error] wrapping [ErrDatabase], on which
// Dispatch stops; a nil handle is one too.
func (s *Store) Dispatch(ctx context.Context, handle func(context.Context, Delivery) error) (int, error) {
	if err := s.usable("dispatch", ctx); err != nil {
		return 0, err
	}
	if handle == nil {
		return 0, &Error{Op: "dispatch", Reason: "no handler", Err: ErrDatabase}
	}
	accepted := 0
	for ctx.Err() == nil {
		batch, token, err := s.claim(ctx)
		if err != nil || len(batch) == 0 {
			return accepted, err
		}
		for i, c := range batch {
			if ctx.Err() != nil {
				s.release(ctx, token, batch[i:])
				return accepted, nil
			}
			ok, err := s.hand(ctx, c, token, handle)
			if err != nil {
				s.release(ctx, token, batch[i+1:])
				return accepted, err
			}
			if ok {
				accepted++
			}
		}
	}
	return accepted, nil
}

// Run dispatches stored changes to handle, as [Store.Dispatch] does, until
// ctx is done, then returns nil. When none is due, it waits for a change
// this Store records, or for the poll interval ([WithPollInterval]) to
// pass. A database failure is logged ([WithLogger]) and retried after the
// poll interval: the changes wait in the database meanwhile. Several Runs,
// in one process or many, may share a database.
func (s *Store) Run(ctx context.Context, handle func(context.Context, Delivery) error) error {
	if err := s.usable("dispatch", ctx); err != nil {
		return err
	}
	for {
		if _, err := s.Dispatch(ctx, handle); err != nil && ctx.Err() == nil {
			s.cfg.logger.ErrorContext(ctx, "tracksql: dispatch failed", "err", err)
		}
		t := time.NewTimer(s.cfg.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// claim leases the next batch of due changes, and returns them in the
// order they were recorded, with the lease's token.
func (s *Store) claim(ctx context.Context) ([]claimed, string, error) {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // never fails
	token := hex.EncodeToString(raw[:])
	now := s.cfg.now()
	var batch []claimed
	err := s.retryBusy(ctx, func() error {
		batch = batch[:0]
		// Not cancelled with ctx: changes leased are always read, to be
		// handed out or released.
		args := []any{token, now.Add(s.cfg.lease).UnixNano(), now.UnixNano(), s.cfg.batch}
		if s.q.fresh != "" {
			args = append(args, s.fresh.Load())
		}
		rows, err := s.db.QueryContext(context.WithoutCancel(ctx), s.q.claim, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.id, &c.key, &c.orderID, &c.body, &c.attempts, &c.recordedAt); err != nil {
				return err
			}
			batch = append(batch, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", &Error{Op: "dispatch", Reason: "leasing changes", Err: ErrDatabase, Cause: err}
	}
	if s.q.fresh != "" {
		s.advance(ctx)
	}
	slices.SortFunc(batch, func(a, b claimed) int { return cmp.Compare(a.id, b.id) })
	return batch, token, nil
}

// advance moves s.fresh past the changes that were leased since (SQLite).
// If the database fails, it stays where it was, which is as correct: the
// next claim looks at more changes.
func (s *Store) advance(ctx context.Context) {
	from := s.fresh.Load()
	var fresh int64
	if err := s.db.QueryRowContext(context.WithoutCancel(ctx), s.q.fresh, from).Scan(&fresh); err == nil {
		// Another dispatcher of this Store may have moved it further
		// meanwhile.
		s.fresh.CompareAndSwap(from, fresh)
	}
}

// hand hands one leased change to handle and marks it done or failed,
// reporting whether handle accepted it; the error is the database's.
func (s *Store) hand(ctx context.Context, c claimed, token string, handle func(context.Context, Delivery) error) (bool, error) {
	change, err := track.UnmarshalChange([]byte(c.body))
	if err != nil {
		err = &Error{Op: "dispatch", OrderID: c.orderID, Key: c.key, Err: track.ErrMalformed, Cause: err}
		s.cfg.logger.ErrorContext(ctx, "tracksql: stored change unreadable", "key", c.key, "err", err)
		return false, s.fail(ctx, c, token, err)
	}
	d := Delivery{Key: c.key, OrderID: c.orderID, Change: change, Attempt: c.attempts, RecordedAt: time.Unix(0, c.recordedAt).UTC()}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.lease)
	err = call(hctx, handle, d)
	cancel()
	if err != nil {
		s.cfg.logger.WarnContext(ctx, "tracksql: handler failed", "key", c.key, "attempt", c.attempts, "err", err)
		return false, s.fail(ctx, c, token, err)
	}
	err = s.retryBusy(ctx, func() error {
		_, err := s.db.ExecContext(context.WithoutCancel(ctx),
			"UPDATE phlebkit_changes SET done_at = $1, lease = NULL, last_error = NULL WHERE id = $2 AND done_at IS NULL",
			s.cfg.now().UnixNano(), c.id)
		return err
	})
	if err != nil {
		return true, &Error{Op: "dispatch", OrderID: c.orderID, Key: c.key, Reason: "marking it done", Err: ErrDatabase, Cause: err}
	}
	return true, nil
}

// call calls handle, turning a panic into an error.
func call(ctx context.Context, handle func(context.Context, Delivery) error, d Delivery) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("tracksql: handler panicked: %v", p)
		}
	}()
	return handle(ctx, d)
}

// maxErrorText bounds the text of a failure stored with a change.
const maxErrorText = 1000

// fail marks a leased change failed by cause: due again after the backoff,
// unless another dispatcher leased it since.
func (s *Store) fail(ctx context.Context, c claimed, token string, cause error) error {
	text := cause.Error()
	text = strings.ToValidUTF8(text[:min(len(text), maxErrorText)], "\uFFFD")
	at := s.cfg.now().Add(s.backoff(c.attempts)).UnixNano()
	err := s.retryBusy(ctx, func() error {
		_, err := s.db.ExecContext(context.WithoutCancel(ctx),
			"UPDATE phlebkit_changes SET available_at = $1, last_error = $2 WHERE id = $3 AND lease = $4 AND done_at IS NULL",
			at, text, c.id, token)
		return err
	})
	if err != nil {
		return &Error{Op: "dispatch", OrderID: c.orderID, Key: c.key, Reason: "marking it failed", Err: ErrDatabase, Cause: err}
	}
	return nil
}

// backoff returns how long a change waits after its attempts-th failure.
func (s *Store) backoff(attempts int) time.Duration {
	d := s.cfg.backoffMin
	for i := 1; i < min(attempts, 64); i++ {
		d = min(2*d, s.cfg.backoffMax)
	}
	return d
}

// release hands leased changes back, due at once and their attempt not
// counted, for another dispatcher; best effort, since the lease expires
// anyway.
func (s *Store) release(ctx context.Context, token string, batch []claimed) {
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_ = s.retryBusy(ctx, func() error {
		_, err := s.db.ExecContext(ctx,
			"UPDATE phlebkit_changes SET available_at = $1, attempts = attempts - 1 WHERE lease = $2 AND done_at IS NULL",
			s.cfg.now().UnixNano(), token)
		return err
	})
}

// Prune deletes the changes that were done before olderThan, and returns
// how many it deleted. Changes not done yet are kept, however old. On
// SQLite, so is the change recorded last, until a newer one is: SQLite
// would give its id to the next change, and the dispatchers find the
// changes never handed out by their ids. A database failure is an
// *[Error] wrapping [ErrDatabase].
func (s *Store) Prune(ctx context.Context, olderThan time.Time) (int64, error) {
	if err := s.usable("prune", ctx); err != nil {
		return 0, err
	}
	var n int64
	err := s.retryBusy(ctx, func() error {
		res, err := s.db.ExecContext(ctx, s.q.prune, olderThan.UnixNano())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, &Error{Op: "prune", Err: ErrDatabase, Cause: err}
	}
	return n, nil
}
