package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql"
	"github.com/phlebkit/phlebkit/webhook"
	"github.com/phlebkit/phlebkit/webhook/webhookhttp"
)

// receiver records events in its store and hands each change to notify.
type receiver struct {
	db    *sql.DB
	store *tracksql.Store
	log   *slog.Logger
	// tx makes notifyTx write each change inside the transaction that
	// records it.
	tx bool
	// keep is how long the changes handled are kept; 0 keeps them all.
	keep time.Duration
	mu   sync.Mutex // serialises writes to out
	out  io.Writer
}

// handler returns the HTTP handler of the receiver: Junction's webhook
// endpoint at POST /webhooks/junction, verifying deliveries with secret at
// the time now gives (nil for the system clock), and the health check at
// GET /healthz. A secret that cannot be used is an error wrapping
// webhook.ErrInvalidSecret.
func (r *receiver) handler(secret string, now func() time.Time) (http.Handler, error) {
	h, err := webhookhttp.NewHandler(secret, r.handle)
	if err != nil {
		return nil, err
	}
	h.Now = now
	// Junction sends every event type of the team to the endpoint: the
	// Handler acknowledges those that are not at-home phlebotomy (2xx, so
	// that they are not sent again) without calling r.handle.
	h.Ignored = func(ctx context.Context, e webhook.Event, err error) {
		r.log.InfoContext(ctx, "ignored", "msg_id", e.ID, "type", e.Type.String(), "reason", err.Error())
	}
	// The reason never holds the body (webhookhttp.Handler.Rejected).
	h.Rejected = func(req *http.Request, status int, err error) {
		r.log.WarnContext(req.Context(), "rejected", "status", status, "method", req.Method, "path", req.URL.Path,
			"msg_id", req.Header.Get(webhook.HeaderID), "err", err.Error())
	}
	mux := http.NewServeMux()
	mux.Handle(path, h) // the Handler answers 405 to other methods itself
	mux.HandleFunc("GET "+healthPath, r.health)
	return mux, nil
}

// healthTimeout bounds the health check's ping of the database.
const healthTimeout = 2 * time.Second

// health answers 200 while the database answers, else 503: what a load
// balancer asks before sending deliveries to this receiver.
func (r *receiver) health(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), healthTimeout)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	err := r.db.PingContext(ctx)
	if err != nil && ctx.Err() == nil {
		// A connection the database closed meanwhile (a restart) fails
		// once, and is dropped: ask again.
		err = r.db.PingContext(ctx)
	}
	if err != nil {
		r.log.WarnContext(ctx, "health check failed", "err", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// handle records one at-home phlebotomy event. Junction may deliver it
// more than once, and after events that happened later: the store decides
// from the histories the event carries what is new, and records each
// change exactly once over all deliveries, so handle needs no
// deduplication of its own.
func (r *receiver) handle(ctx context.Context, e webhook.Event) error {
	var changes []track.Change
	var err error
	if r.tx {
		changes, err = r.recordTx(ctx, e)
	} else {
		changes, err = r.store.Record(ctx, e)
	}
	if errors.Is(err, track.ErrInvalidEvent) {
		// The event contradicts what is held, or its history is not a
		// path of the lifecycle: delivering it again would not help.
		// Acknowledge it and leave it to a person, who can ask Junction's
		// API for the order.
		r.log.ErrorContext(ctx, "not recorded", "msg_id", e.ID, "order_id", e.OrderID(), "type", e.Type.String(), "err", err.Error())
		return nil
	}
	if err != nil {
		// The database failed (tracksql.ErrDatabase), or holds a value of
		// the order it cannot read (track.ErrMalformed, naming the
		// order): answer 5xx, and Junction delivers the event again later,
		// once the database is back or the order's row is repaired. The
		// other orders are not affected.
		r.log.ErrorContext(ctx, "recording failed", "msg_id", e.ID, "order_id", e.OrderID(), "type", e.Type.String(), "err", err.Error())
		return err
	}
	r.log.InfoContext(ctx, "recorded", "msg_id", e.ID, "order_id", e.OrderID(), "type", e.Type.String(), "changes", len(changes))
	return nil
}

// recordTx records e in a transaction of its own, and writes each change
// it reveals in the same transaction (notifyTx): both are committed, or
// neither.
func (r *receiver) recordTx(ctx context.Context, e webhook.Event) (changes []track.Change, err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	// First in the transaction, so that on SQLite it takes the write
	// lock before reading.
	changes, err = r.store.RecordTx(ctx, tx, e)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		if err := r.notifyTx(ctx, tx, e.OrderID(), c); err != nil {
			return nil, fmt.Errorf("database: notify %s: %w", c.Key(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	return changes, nil
}

// notify is the handler of each recorded change, called by the
// dispatcher at least once per change, with a key that is the same every
// time: this is where a team puts its side effects (tell the patient that
// the visit is confirmed, alert someone about a sample error), keyed on
// d.Key where they must happen once. Here it prints one line: the order's
// id, the change, and its key. An error makes the dispatcher hand the
// change out again later, with a backoff.
func (r *receiver) notify(ctx context.Context, d tracksql.Delivery) error {
	if d.Attempt > 1 {
		r.log.InfoContext(ctx, "handling again", "key", d.Key, "order_id", d.OrderID, "attempt", d.Attempt)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := fmt.Fprintf(r.out, "%s %s key=%s\n", d.OrderID, d.Change, d.Key)
	return err
}

// notifyTx is a side effect inside the transaction recording the change:
// a write to the same database (here, one row per change in
// receiver_notifications) is committed with the change, or not at all, so
// it happens exactly once. Were a change written twice, its key, the
// table's primary key, would make the transaction fail.
func (r *receiver) notifyTx(ctx context.Context, tx *sql.Tx, orderID string, c track.Change) error {
	q := "INSERT INTO receiver_notifications (change_key, order_id, line) VALUES (?, ?, ?)"
	if r.store.Dialect() == tracksql.PostgreSQL {
		q = "INSERT INTO receiver_notifications (change_key, order_id, line) VALUES ($1, $2, $3)"
	}
	_, err := tx.ExecContext(ctx, q, c.Key(), orderID, c.String())
	return err
}

// drainTime bounds the last pass of a dispatcher asked to stop.
const drainTime = 3 * time.Second

// dispatch hands the recorded changes to notify until ctx is done; the
// change under way then finishes, and the changes still waiting are handed
// out for drainTime at most: a receiver stopped for a deploy leaves as
// little as it can to the others, or to its next start. In the
// in-transaction mode too: the changes are also in the outbox, and are
// printed from there.
func (r *receiver) dispatch(ctx context.Context) error {
	if r.keep > 0 {
		var pruning sync.WaitGroup
		defer pruning.Wait()
		pruning.Go(func() { r.pruneEvery(ctx, pruneInterval) })
	}
	if err := r.store.Run(ctx, r.notify); err != nil {
		return err
	}
	drainCtx, cancel := context.WithTimeout(context.Background(), drainTime)
	defer cancel()
	_, err := r.store.Dispatch(drainCtx, r.notify)
	return err
}

// pruneInterval is how often a receiver deletes the changes handled more
// than keep ago.
const pruneInterval = time.Hour

// pruneEvery deletes the changes handled more than keep ago, at once and
// then every interval, until ctx is done. Each receiver sharing a database
// does so; deleting what another just deleted deletes nothing.
func (r *receiver) pruneEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r.prune(ctx, time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// prune deletes the changes handled before now less keep.
func (r *receiver) prune(ctx context.Context, now time.Time) {
	n, err := r.store.Prune(ctx, now.Add(-r.keep))
	if err != nil {
		if ctx.Err() == nil {
			r.log.WarnContext(ctx, "pruning failed", "err", err.Error())
		}
		return
	}
	if n > 0 {
		r.log.InfoContext(ctx, "pruned", "changes", n)
	}
}
