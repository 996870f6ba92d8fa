package tracksql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
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
	return append(events, more...)
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
