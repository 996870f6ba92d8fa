package main

import (
	"flag"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/track"
	"github.com/phlebkit/phlebkit/track/tracksql"
)

var crashSeeds = flag.Int("receiver.crash-seeds", 1, "how many chaos seeds TestCrash runs in each mode")

// crashRun is what one run of the sandbox's scenario against the receiver's
// process left.
type crashRun struct {
	// printed maps each change the handler printed (the line without its
	// key) to the keys it was printed with, one entry per time.
	printed map[string][]string
	// starts and kills count the process's starts and SIGKILLs.
	starts, kills int
	// killedInFlight counts the deliveries the process was killed while
	// handling and never answered.
	killedInFlight int
	// orders are the orders the database holds in the end.
	orders map[string]track.Tracked
	// recorded counts the times each change (a line as printed, without
	// its key) is in the outbox; notified, in the in-transaction mode's
	// table.
	recorded, notified map[string]int
}

// runCrash runs the scenario against the receiver built as a process, on
// database, a SQLite file or a PostgreSQL URL, with -tx when tx is set. With a seed other than
// 0, the sandbox delivers with chaos and the process is killed with
// SIGKILL at points the seed draws: while it handles a delivery, within
// its first few milliseconds (recording it), and right after the handler
// printed a change (dispatching it, before it is marked done). It is
// restarted on the same database by the next delivery, and at the end, to
// hand over what it recorded and has not handed yet.
func runCrash(t *testing.T, database string, seed uint64, tx bool) crashRun {
	t.Helper()
	// A short lease, so that the changes a killed process held are
	// handed out again soon after its restart.
	args := []string{"-addr", "127.0.0.1:0", "-lease", "1s"}
	if tx {
		args = append(args, "-tx")
	}
	var env []string
	if isPostgres(database) {
		env = append(env, databaseVar+"="+database) // kept out of the command line
	} else {
		args = append(args, "-db", database)
	}
	p := newProcess(t, args, env...)
	fw := &forwarder{t: t, procs: []*process{p}}
	opts := []sandbox.Option{sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
		sandbox.WithWebhookHandler(fw, secret), sandbox.WithPreRequisitionScheduling()}
	if seed != 0 {
		opts = append(opts, sandbox.WithChaos(seed))
		fw.kill = killer(seed, 5, 4*time.Millisecond)
		rng := rand.New(rand.NewPCG(seed, 2))
		p.onLine = func(string) bool { return rng.IntN(6) == 0 }
	}
	srv, err := sandbox.NewServer(opts...)
	require.NoError(t, err)
	ids := scenario(t, srv)
	srv.Close()
	for _, d := range srv.Deliveries() {
		require.False(t, d.Final && !d.OK, "delivery given up: %v", d)
	}

	// Restart the receiver, without kills, and let it hand over what it
	// recorded, then stop it gracefully.
	p.outMu.Lock()
	p.onLine = nil
	p.outMu.Unlock()
	_, err = p.ensure()
	require.NoError(t, err)
	db, err := openDatabase(t.Context(), database)
	require.NoError(t, err)
	defer db.Close()
	waitDone(t, db)
	require.Equal(t, 0, p.stop(), "exit status after SIGTERM; log:\n%s", p.tailLog())

	r := crashRun{printed: map[string][]string{}, starts: p.starts, kills: p.kills,
		orders: map[string]track.Tracked{}, recorded: map[string]int{}, notified: map[string]int{}}
	st, err := tracksql.Open(t.Context(), db)
	require.NoError(t, err)
	for _, id := range ids {
		o, _, err := st.Load(t.Context(), id)
		require.NoError(t, err)
		r.orders[id] = o
	}
	rows, err := db.QueryContext(t.Context(), "SELECT order_id, body FROM phlebkit_changes")
	require.NoError(t, err)
	for rows.Next() {
		var id, body string
		require.NoError(t, rows.Scan(&id, &body))
		c, err := track.UnmarshalChange([]byte(body))
		require.NoError(t, err)
		r.recorded[id+" "+c.String()]++
	}
	require.NoError(t, rows.Err())
	if tx {
		rows, err := db.QueryContext(t.Context(), "SELECT order_id, line FROM receiver_notifications")
		require.NoError(t, err)
		for rows.Next() {
			var id, line string
			require.NoError(t, rows.Scan(&id, &line))
			r.notified[id+" "+line]++
		}
		require.NoError(t, rows.Err())
	}
	for _, l := range p.lines() {
		line, key, ok := strings.Cut(l, " key=")
		require.True(t, ok, "line %q has no key", l)
		r.printed[line] = append(r.printed[line], key)
	}
	r.killedInFlight = fw.killedInFlight
	return r
}

// TestCrash runs the sandbox's scenario against the receiver as a process
// killed with SIGKILL at random points and restarted on the same
// database, for -receiver.crash-seeds seeds, in both modes: every change
// of the run without chaos or kills is recorded exactly once, none is
// missing and none is added; with the outbox, each is handed to the
// handler at least once, always with the same key; with -tx, each takes
// effect exactly once.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the receiver many times")
	}
	want := runCrash(t, filepath.Join(t.TempDir(), "in-order.db"), 0, false)
	require.NotEmpty(t, want.printed)
	for line, keys := range want.printed {
		require.Len(t, keys, 1, "without chaos or kills each change is printed once: %s", line)
	}

	databases(t, func(t *testing.T, fresh func(*testing.T) string) {
		for _, tx := range []bool{false, true} {
			name := "outbox"
			if tx {
				name = "tx"
			}
			t.Run(name, func(t *testing.T) {
				var kills, inFlight, again int
				for seed := uint64(1); seed <= uint64(*crashSeeds); seed++ {
					got := runCrash(t, fresh(t), seed, tx)
					kills += got.kills
					inFlight += got.killedInFlight
					again += checkCrash(t, seed, tx, want, got)
				}
				t.Logf("%d seeds: %d kills, %d of them during a delivery left unanswered; %d changes handled again after a kill",
					*crashSeeds, kills, inFlight, again)
				assert.Positive(t, kills)
			})
		}
	})
}

// checkCrash checks what a run with kills left against the run without
// chaos or kills, and returns how many times a change was handled again.
func checkCrash(t *testing.T, seed uint64, tx bool, want, got crashRun) (again int) {
	t.Helper()
	wantLines := slices.Sorted(maps.Keys(want.printed))
	assert.Equal(t, wantLines, slices.Sorted(maps.Keys(got.printed)), "seed %d: the changes handled", seed)
	for line, keys := range got.printed {
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(keys))), 1,
			"seed %d: %s handled under several keys %q", seed, line, keys)
		again += len(keys) - 1
	}
	for _, line := range wantLines {
		assert.Equal(t, 1, got.recorded[line], "seed %d: times recorded: %s", seed, line)
		if tx {
			assert.Equal(t, 1, got.notified[line], "seed %d: times written in the transaction: %s", seed, line)
		}
	}
	assert.Len(t, got.recorded, len(wantLines), "seed %d: nothing else recorded", seed)
	if tx {
		assert.Len(t, got.notified, len(wantLines), "seed %d: nothing else written", seed)
	}
	for id, o := range want.orders {
		assert.True(t, o.Equal(got.orders[id]), "seed %d: order %s differs from the run without chaos", seed, id)
	}
	return again
}
