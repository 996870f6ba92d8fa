package main

import (
	"bytes"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/scheduling"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql"
	"github.com/phlebkit/phlebkit/webhook"
)

// secondOrder returns the first events of another order, ord-2: placed,
// then its requisition created.
func secondOrder(t *testing.T) []webhook.Event {
	t.Helper()
	o, events, err := scheduling.Place(scheduling.PlaceOrder{
		ID: "ord-2", TeamID: "team-1", ClientUserID: "client-2", UserID: "user-2",
		Patient: order.Patient{DOB: order.Date{Year: 1985, Month: time.March, Day: 2}}, Address: address,
	}, hours(0.5))
	require.NoError(t, err)
	_, more, err := o.CreateRequisition(hours(1.5))
	require.NoError(t, err)
	return eventsOf(append(events, more...))
}

// health returns the status of the receiver's health check.
func (r *testReceiver) health(t *testing.T) int {
	t.Helper()
	return send(t, http.MethodGet, strings.TrimSuffix(r.url, path)+healthPath, nil, nil)
}

// failWhileDown delivers the first events of the lifecycle, then takes
// the database away with down, and sends the next ones: each is answered
// 5xx, so that Junction delivers it again, and nothing is printed; with
// unreachable, the health check answers 503 meanwhile. Once up brings the
// database back, it delivers the whole lifecycle again, as Junction's
// retries do: the receiver prints what delivery in order prints, none
// lost.
func failWhileDown(t *testing.T, r *testReceiver, down, up func(), unreachable bool) {
	t.Helper()
	all := deliveries(t, lifecycle(t))
	want := inOrder(t, all)
	r.deliver(t, all[:3])
	printed := r.lines(t)
	down()
	for _, d := range all[3:7] {
		status := r.post(t, signed(t, d.id, deliveredAt, d.body), d.body)
		assert.GreaterOrEqual(t, status, 500, "delivery %s while the database is unavailable", d.id)
	}
	if unreachable {
		assert.Equal(t, http.StatusServiceUnavailable, r.health(t))
	}
	assert.Equal(t, printed, withoutKeys(t, r.out.lines()), "nothing recorded while the database is unavailable")
	assert.Contains(t, r.logs.String(), `"msg":"recording failed"`)
	assert.NotContains(t, r.logs.String(), secret)

	up()
	assert.Equal(t, http.StatusOK, r.health(t))
	for _, d := range all {
		// A connection the database closed meanwhile fails once, and
		// Junction delivers again.
		status := 0
		for range 3 {
			if status = r.post(t, signed(t, d.id, deliveredAt, d.body), d.body); status == http.StatusNoContent {
				break
			}
		}
		require.Equal(t, http.StatusNoContent, status, "delivery %s once the database is back", d.id)
	}
	assert.Equal(t, want, r.lines(t))
}

// TestDatabaseDown cuts the receiver's connections to PostgreSQL and
// refuses new ones, then brings the database back.
func TestDatabaseDown(t *testing.T) {
	dbURL, _ := postgresDatabase(t)
	px, viaProxy := newProxy(t, dbURL)
	r := newReceiverOn(t, viaProxy, false, func() time.Time { return deliveredAt })
	failWhileDown(t, r, func() { px.setDown(true) }, func() { px.setDown(false) }, true)
}

// TestDatabaseReadOnly makes the receiver's PostgreSQL database read-only,
// then writable again.
func TestDatabaseReadOnly(t *testing.T) {
	dbURL, admin := postgresDatabase(t)
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	name := strings.TrimPrefix(u.Path, "/")
	readOnly := func(on bool) func() {
		return func() {
			setting := "off"
			if on {
				setting = "on"
			}
			_, err := admin.ExecContext(t.Context(), "ALTER DATABASE "+name+" SET default_transaction_read_only = "+setting)
			require.NoError(t, err)
			// The setting applies to new sessions: end the receiver's.
			_, err = admin.ExecContext(t.Context(),
				"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
			require.NoError(t, err)
		}
	}
	r := newReceiverOn(t, dbURL, false, func() time.Time { return deliveredAt })
	// A read-only database still answers, and the health check says so.
	failWhileDown(t, r, readOnly(true), readOnly(false), false)
	assert.Contains(t, r.logs.String(), "read-only")
}

// exec runs a statement written with ? placeholders on db, in the
// dialect of the receiver's store.
func (r *testReceiver) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if r.r.store.Dialect() == tracksql.PostgreSQL {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+string(rune('0'+i)), 1)
		}
	}
	_, err := r.r.db.ExecContext(t.Context(), q, args...)
	require.NoError(t, err)
}

// TestCorruptRow damages the stored value of one order: its deliveries are
// answered 500 with a typed error naming it, logged, and the other order
// is recorded as before.
func TestCorruptRow(t *testing.T) {
	databases(t, func(t *testing.T, fresh func(*testing.T) string) {
		r := newReceiverOn(t, fresh(t), false, func() time.Time { return deliveredAt })
		one, two := deliveries(t, lifecycle(t)), deliveries(t, secondOrder(t))
		r.deliver(t, append(one[:2:2], two[0]))
		before := r.lines(t)
		// As another writer would: a new version, so that no receiver
		// takes the value it holds in memory for the one stored.
		r.exec(t, "UPDATE phlebkit_orders SET value = ?, version = version + 1 WHERE order_id = ?", `{"order": {"id": "ord-1", `, "ord-1")

		d := one[2]
		assert.Equal(t, http.StatusInternalServerError, r.post(t, signed(t, d.id, deliveredAt, d.body), d.body))
		assert.Contains(t, r.logs.String(), `"msg":"recording failed","msg_id":"`+d.id+`","order_id":"ord-1"`)
		assert.Contains(t, r.logs.String(), track.ErrMalformed.Error())

		e, err := webhook.Decode(d.body)
		require.NoError(t, err)
		_, err = r.r.store.Record(t.Context(), e)
		require.ErrorIs(t, err, track.ErrMalformed)
		var serr *tracksql.Error
		require.ErrorAs(t, err, &serr)
		assert.Equal(t, "ord-1", serr.OrderID)

		r.deliver(t, two[1:])
		after := r.lines(t)
		assert.Equal(t, before, after[:len(before)], "what was printed stays")
		assert.Equal(t, []string{"ord-2 2026-11-23T10:30:00Z order ord-2 #2 ordered -> requisition_created"}, after[len(before):],
			"the other order is recorded")
	})
}

// TestNewerSchema starts the receiver on tables a newer version wrote: it
// refuses to start, says why, and exits with status 1, changing nothing.
func TestNewerSchema(t *testing.T) {
	databases(t, func(t *testing.T, fresh func(*testing.T) string) {
		database := fresh(t)
		db, err := openDatabase(t.Context(), database)
		require.NoError(t, err)
		defer db.Close()
		_, err = tracksql.Open(t.Context(), db)
		require.NoError(t, err)
		_, err = db.ExecContext(t.Context(), "UPDATE phlebkit_schema SET version = version + 1")
		require.NoError(t, err)

		env := func(name string) string {
			switch name {
			case secretVar:
				return secret
			case databaseVar:
				return database
			}
			return ""
		}
		var stdout, stderr bytes.Buffer
		err = run(t.Context(), []string{"-addr", "127.0.0.1:0"}, env, &stdout, &stderr)
		require.ErrorIs(t, err, tracksql.ErrSchema)
		assert.Contains(t, err.Error(), "schema version")
		assert.NotContains(t, stderr.String(), `"msg":"listening"`)

		cmd := program(t, "-addr 127.0.0.1:0", secretVar+"="+secret, databaseVar+"="+database)
		stderr.Reset()
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		var exit *exec.ExitError
		require.ErrorAs(t, cmd.Run(), &exit)
		assert.Equal(t, 1, exit.ExitCode())
		assert.True(t, strings.HasPrefix(stderr.String(), "webhook-receiver: "+tracksql.ErrSchema.Error()), "stderr: %s", stderr.String())
		assert.Empty(t, stdout.String())

		var version int
		require.NoError(t, db.QueryRowContext(t.Context(), "SELECT version FROM phlebkit_schema").Scan(&version))
		assert.Equal(t, tracksql.SchemaVersion+1, version, "left as it was")
	})
}
