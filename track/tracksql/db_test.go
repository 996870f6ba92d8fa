package tracksql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/webhook"
)

// postgresVar names the environment variable holding the URL of the
// PostgreSQL database the tests use, such as
// postgres://phlebkit@/phlebkit?host=/tmp/pg. Each test works in a schema
// of its own, which it drops at the end.
const postgresVar = "PHLEBKIT_POSTGRES_URL"

// opener opens a new *sql.DB on one test database each time it is called,
// as another process would; each is closed when the test ends.
type opener func() *sql.DB

// eachDB runs f on a fresh SQLite database, and on a fresh PostgreSQL
// schema when postgresVar is set.
func eachDB(t *testing.T, f func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteDB(t)) })
	t.Run("postgresql", func(t *testing.T) { f(t, postgresDB(t)) })
}

// sqliteDSN returns the data source name of an SQLite file in dir.
func sqliteDSN(dir string) string {
	return "file:" + filepath.Join(dir, "track.db") + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" + os.Getenv("SQLITE_EXTRA")
}

func sqliteDB(t testing.TB) opener {
	dsn := sqliteDSN(t.TempDir())
	return func() *sql.DB {
		db, err := sql.Open("sqlite", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// postgresDB returns an opener of a schema of its own in the database
// postgresVar names, or skips t when it is not set.
func postgresDB(t testing.TB) opener {
	url := os.Getenv(postgresVar)
	if url == "" {
		t.Skip(postgresVar + " is not set: skipping the PostgreSQL tests (.ci/run starts a database and sets it)")
	}
	admin, err := sql.Open("pgx", url)
	require.NoError(t, err)
	var raw [6]byte
	_, _ = rand.Read(raw[:])
	schema := "test_" + hex.EncodeToString(raw[:])
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	dsn := url + sep + "search_path=" + schema
	return func() *sql.DB {
		db, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// clock is a clock a test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// open opens a Store on a new *sql.DB of open.
func open(t testing.TB, o opener, opts ...Option) *Store {
	t.Helper()
	opts = append([]Option{WithLogger(slog.New(slog.DiscardHandler))}, opts...)
	s, err := Open(context.Background(), o(), opts...)
	require.NoError(t, err)
	return s
}

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func hours(h float64) time.Time { return monday.Add(time.Duration(h * float64(time.Hour))) }

// lifecycle returns the webhook events Junction sends, in order, for an
// order id whose life shows every kind of change: an appointment booked
// before the requisition and auto-cancelled, a booking after it,
// rescheduled, cancelled and replaced, the draw and the results.
func lifecycle(t testing.TB, id string) []webhook.Event {
	t.Helper()
	o, hooks, err := scheduling.Place(scheduling.PlaceOrder{
		ID: id, UserID: "user-" + id, Patient: order.Patient{DOB: order.Date{Year: 1990, Month: time.June, Day: 15}},
		Address:  order.Address{FirstLine: "123 Main St.", City: "Phoenix", State: "AZ", ZipCode: "85004"},
		Settings: scheduling.Settings{PreRequisitionScheduling: true},
	}, monday)
	require.NoError(t, err)
	getlabs := func(start, now float64) func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
		return func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Book(scheduling.BookRequest{Provider: provider.Getlabs, Start: hours(start), End: hours(start + 2)}, hours(now))
		}
	}
	for _, c := range []func(scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error){
		getlabs(50, 1),
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) { return o.Tick(hours(9)) },
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CreateRequisition(hours(10))
		},
		getlabs(60, 11),
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.Reschedule(hours(84), hours(86), "", hours(12))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CancelAppointment(hours(13))
		},
		getlabs(100, 14),
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.StartVisit(hours(100))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteDraw(hours(101))
		},
		func(o scheduling.Flow) (scheduling.Flow, []scheduling.Webhook, error) {
			return o.CompleteResults(hours(130))
		},
	} {
		var more []scheduling.Webhook
		o, more, err = c(o)
		require.NoError(t, err)
		hooks = append(hooks, more...)
	}
	events := make([]webhook.Event, len(hooks))
	for i, w := range hooks {
		events[i] = w.Event()
	}
	return events
}

// inOrder returns the value and the changes of events applied in order.
func inOrder(t testing.TB, events []webhook.Event) (track.Tracked, []track.Change) {
	t.Helper()
	var o track.Tracked
	var all []track.Change
	for _, e := range events {
		next, changes, err := o.Apply(e)
		require.NoError(t, err)
		o = next
		all = append(all, changes...)
	}
	return o, all
}

// stored returns the changes in the outbox, by key, with how often each
// key is there.
func stored(t testing.TB, db *sql.DB) map[string]track.Change {
	t.Helper()
	rows, err := db.Query("SELECT change_key, order_id, kind, body FROM phlebkit_changes ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]track.Change{}
	for rows.Next() {
		var key, orderID, kind, body string
		require.NoError(t, rows.Scan(&key, &orderID, &kind, &body))
		c, err := track.UnmarshalChange([]byte(body))
		require.NoError(t, err)
		require.Equal(t, key, c.Key())
		require.Equal(t, kindOf(key), kind)
		require.True(t, strings.HasPrefix(key, orderID+"/"), key)
		_, dup := out[key]
		require.False(t, dup, "change %s stored twice", key)
		out[key] = c
	}
	require.NoError(t, rows.Err())
	return out
}

// byKey returns changes by key, each key once.
func byKey(t testing.TB, changes []track.Change) map[string]track.Change {
	t.Helper()
	out := map[string]track.Change{}
	for _, c := range changes {
		_, dup := out[c.Key()]
		require.False(t, dup, "change %s twice", c.Key())
		out[c.Key()] = c
	}
	return out
}
