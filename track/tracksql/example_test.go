package tracksql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql"
	"github.com/phlebkit/phlebkit/webhook"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func hours(h float64) time.Time { return monday.Add(time.Duration(h * float64(time.Hour))) }

// booked returns the webhooks of an order whose appointment is booked
// after the requisition.
func booked() []webhook.Event {
	o, events, err := scheduling.Place(scheduling.PlaceOrder{
		ID: "ord-1", UserID: "user-1", Patient: order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}},
		Address: order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
	}, monday)
	if err != nil {
		panic(err)
	}
	o, more, err := o.CreateRequisition(hours(1))
	if err != nil {
		panic(err)
	}
	events = append(events, more...)
	_, more, err = o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(50), End: hours(52)}, hours(2))
	if err != nil {
		panic(err)
	}
	var out []webhook.Event
	for _, w := range append(events, more...) {
		out = append(out, w.Event())
	}
	return out
}

// sqliteFile opens an SQLite database in a new directory, which cleanup
// removes.
func sqliteFile() (db *sql.DB, cleanup func()) {
	dir, err := os.MkdirTemp("", "tracksql-example")
	if err != nil {
		panic(err)
	}
	db, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "track.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		panic(err)
	}
	return db, func() { db.Close(); os.RemoveAll(dir) }
}

// Record each delivery, whatever order it comes in and however often: the
// order's value and the changes it revealed are stored in one transaction.
// Then hand each stored change to your code.
func Example() {
	ctx := context.Background()
	db, cleanup := sqliteFile()
	defer cleanup()
	store, err := tracksql.Open(ctx, db, tracksql.WithClock(func() time.Time { return hours(3) }))
	if err != nil {
		panic(err)
	}
	events := booked()
	for _, e := range []webhook.Event{events[2], events[0], events[2], events[1], events[3]} {
		changes, err := store.Record(ctx, e)
		if err != nil {
			panic(err) // answer the delivery 5xx: it comes again
		}
		fmt.Println(e.Type, "revealed", len(changes))
	}
	_, err = store.Dispatch(ctx, func(ctx context.Context, d tracksql.Delivery) error {
		fmt.Println(d.Attempt, d.Key)
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// labtest.order.updated revealed 3
	// labtest.order.created revealed 0
	// labtest.order.updated revealed 0
	// labtest.order.updated revealed 1
	// labtest.appointment.created revealed 1
	// 1 ord-1/order_step/1
	// 1 ord-1/order_step/2
	// 1 ord-1/order_step/3
	// 1 ord-1/active_changed/3//ord-1-a1
	// 1 ord-1/appointment_step/ord-1-a1/0
}

// A handler's failure hands the change out again after a backoff that
// doubles on each failure; Delivery.Key is the same every time, for the
// handler to be idempotent on.
func ExampleStore_Dispatch() {
	ctx := context.Background()
	db, cleanup := sqliteFile()
	defer cleanup()
	now := hours(3)
	store, err := tracksql.Open(ctx, db,
		tracksql.WithClock(func() time.Time { return now }),
		tracksql.WithBackoff(time.Minute, time.Hour),
		tracksql.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		panic(err)
	}
	if _, err := store.Record(ctx, booked()[0]); err != nil {
		panic(err)
	}
	handle := func(ctx context.Context, d tracksql.Delivery) error {
		fmt.Println(d.Attempt, d.Key, d.Change)
		if d.Attempt < 3 {
			return errors.New("the mail server is down")
		}
		return nil
	}
	for range 5 { // a minute apart: the retries come after 1, then 2 minutes
		n, err := store.Dispatch(ctx, handle)
		fmt.Println("accepted", n, err)
		now = now.Add(time.Minute)
	}
	// Output:
	// 1 ord-1/order_step/1 2026-11-23T09:00:00Z order ord-1 #1 created ordered
	// accepted 0 <nil>
	// 2 ord-1/order_step/1 2026-11-23T09:00:00Z order ord-1 #1 created ordered
	// accepted 0 <nil>
	// accepted 0 <nil>
	// 3 ord-1/order_step/1 2026-11-23T09:00:00Z order ord-1 #1 created ordered
	// accepted 1 <nil>
	// accepted 0 <nil>
}

// Run hands out the changes as they are recorded, until its context is
// done. Several Runs, in one process or many, may share a database.
func ExampleStore_Run() {
	ctx, stop := context.WithCancel(context.Background())
	db, cleanup := sqliteFile()
	defer cleanup()
	store, err := tracksql.Open(ctx, db)
	if err != nil {
		panic(err)
	}
	for _, e := range booked() {
		if _, err := store.Record(ctx, e); err != nil {
			panic(err)
		}
	}
	seen := 0
	err = store.Run(ctx, func(ctx context.Context, d tracksql.Delivery) error {
		fmt.Println(d.Change)
		if seen++; seen == 6 {
			stop() // the change under way finishes; Run returns
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// 2026-11-23T09:00:00Z order ord-1 #1 created ordered
	// 2026-11-23T10:00:00Z order ord-1 #2 ordered -> requisition_created
	// 2026-11-23T11:00:00Z order ord-1 #3 requisition_created -> appointment_pending
	// 2026-11-23T11:00:00Z order ord-1 #3 active appointment none -> ord-1-a1
	// 2026-11-23T11:00:00Z appointment ord-1-a1 created pending
	// 2026-11-23T11:00:00Z order ord-1 #4 appointment_pending -> appointment_scheduled
	// <nil>
}

// A side effect that is a write to the same database happens exactly once
// when it is written in the transaction that records the event.
func ExampleStore_RecordTx() {
	ctx := context.Background()
	db, cleanup := sqliteFile()
	defer cleanup()
	store, err := tracksql.Open(ctx, db)
	if err != nil {
		panic(err)
	}
	if _, err := db.Exec("CREATE TABLE reminders (change_key TEXT PRIMARY KEY, appointment_id TEXT)"); err != nil {
		panic(err)
	}
	record := func(e webhook.Event) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // after Commit, does nothing
		changes, err := store.RecordTx(ctx, tx, e)
		if err != nil {
			return err
		}
		for _, c := range changes {
			if s, ok := c.(track.AppointmentStep); ok && s.To == appointment.Confirmed {
				if _, err := tx.Exec("INSERT INTO reminders VALUES ($1, $2)", c.Key(), s.AppointmentID); err != nil {
					return err
				}
			}
		}
		return tx.Commit()
	}
	events := booked()
	for _, e := range append(events, events...) { // every delivery twice
		if err := record(e); err != nil {
			panic(err)
		}
	}
	var key, id string
	if err := db.QueryRow("SELECT change_key, appointment_id FROM reminders").Scan(&key, &id); err != nil {
		panic(err)
	}
	fmt.Println(key, id)
	// Output:
	// ord-1/appointment_step/ord-1-a1/1 ord-1-a1
}

// Done changes are kept until pruned; those not done are kept however old.
func ExampleStore_Prune() {
	ctx := context.Background()
	db, cleanup := sqliteFile()
	defer cleanup()
	now := hours(3)
	store, err := tracksql.Open(ctx, db, tracksql.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	for _, e := range booked() {
		if _, err := store.Record(ctx, e); err != nil {
			panic(err)
		}
	}
	n, _ := store.Dispatch(ctx, func(context.Context, tracksql.Delivery) error { return nil })
	fmt.Println("done", n)
	now = now.Add(30 * 24 * time.Hour)
	// Keep a week; on SQLite, the change recorded last is kept too, until
	// a newer one is.
	pruned, err := store.Prune(ctx, now.Add(-7*24*time.Hour))
	fmt.Println("pruned", pruned, err)
	// Output:
	// done 7
	// pruned 6 <nil>
}

// Load returns what is known of an order, and its version.
func ExampleStore_Load() {
	ctx := context.Background()
	db, cleanup := sqliteFile()
	defer cleanup()
	store, err := tracksql.Open(ctx, db)
	if err != nil {
		panic(err)
	}
	for _, e := range booked() {
		if _, err := store.Record(ctx, e); err != nil {
			panic(err)
		}
	}
	o, version, err := store.Load(ctx, "ord-1")
	active, _ := o.Active()
	fmt.Println(o.Status(), active.ID, version, err)
	_, version, err = store.Load(ctx, "ord-2")
	fmt.Println(version, err)
	// Output:
	// appointment_scheduled ord-1-a1 6 <nil>
	// 0 <nil>
}

// Tables written by a newer version of this package are refused, and left
// as they are.
func ExampleOpen_newerSchema() {
	ctx := context.Background()
	db, cleanup := sqliteFile()
	defer cleanup()
	if _, err := tracksql.Open(ctx, db); err != nil {
		panic(err)
	}
	if _, err := db.Exec("UPDATE phlebkit_schema SET version = $1", tracksql.SchemaVersion+1); err != nil {
		panic(err)
	}
	_, err := tracksql.Open(ctx, db)
	fmt.Println(errors.Is(err, tracksql.ErrSchema))
	fmt.Println(err)
	// Output:
	// true
	// tracksql: unusable schema: open: the tables are of schema version 3, and this version of tracksql knows versions up to 2: upgrade it
}

// The dialect is asked of the database, unless WithDialect sets it.
func ExampleStore_Dialect() {
	db, cleanup := sqliteFile()
	defer cleanup()
	store, err := tracksql.Open(context.Background(), db)
	if err != nil {
		panic(err)
	}
	fmt.Println(store.Dialect(), tracksql.PostgreSQL)
	// Output:
	// sqlite postgresql
}
