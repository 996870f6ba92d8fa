package main

import (
	"bytes"
	"flag"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/sandbox"
)

var scaleSeeds = flag.Int("receiver.scale-seeds", 2, "how many chaos seeds TestScale runs")

// roundRobin is a load balancer in front of several receivers: each
// delivery goes to the next one in turn, and about one in three is also
// sent at the same time to the one after, as when a retry overtakes a slow
// first attempt. The answer is the first receiver's.
type roundRobin struct {
	targets []http.Handler

	mu   sync.Mutex
	next int
	rng  *rand.Rand
	// concurrent counts the deliveries sent to two receivers at once.
	concurrent int
}

func (b *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadGateway)
		return
	}
	b.mu.Lock()
	first := b.next % len(b.targets)
	b.next++
	twice := b.rng.IntN(3) == 0
	if twice {
		b.concurrent++
	}
	b.mu.Unlock()
	forward := func(target http.Handler, w http.ResponseWriter) {
		req := r.Clone(r.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		target.ServeHTTP(w, req)
	}
	var wg sync.WaitGroup
	if twice {
		wg.Go(func() { forward(b.targets[(first+1)%len(b.targets)], httptest.NewRecorder()) })
	}
	forward(b.targets[first], w)
	wg.Wait()
}

// TestScale runs the sandbox's scenario with chaos against three
// receivers sharing one PostgreSQL database, in this process (so that
// -race watches them), behind a round-robin that also sends some
// deliveries to two receivers at once; for -receiver.scale-seeds seeds.
// Every order converges to the value delivery in order gives, every change
// is recorded once, and the three dispatchers hand each out under one key.
func TestScale(t *testing.T) {
	postgresURL(t)
	want, wantOrders := againstSandbox(t, 0)
	slices.Sort(want)
	for seed := uint64(1); seed <= uint64(*scaleSeeds); seed++ {
		dbURL, _ := postgresDatabase(t)
		var srv *sandbox.Server
		now := func() time.Time { return srv.Now() }
		rs := []*testReceiver{newReceiverOn(t, dbURL, false, now), newReceiverOn(t, dbURL, false, now), newReceiverOn(t, dbURL, false, now)}
		lb := &roundRobin{rng: rand.New(rand.NewPCG(seed, 3))}
		for _, r := range rs {
			lb.targets = append(lb.targets, r.h)
		}
		var err error
		srv, err = sandbox.NewServer(sandbox.WithStart(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)),
			sandbox.WithWebhookHandler(lb, secret), sandbox.WithPreRequisitionScheduling(), sandbox.WithChaos(seed))
		require.NoError(t, err)
		ids := scenario(t, srv)
		srv.Close()
		waitDone(t, rs[0].r.db)

		keys := map[string][]string{}
		var handled []int
		for _, r := range rs {
			lines := r.out.lines()
			handled = append(handled, len(lines))
			for _, l := range lines {
				line, key := cutKey(t, l)
				keys[line] = append(keys[line], key)
			}
		}
		assert.Equal(t, want, slices.Sorted(maps.Keys(keys)), "seed %d: the changes handled", seed)
		again := 0
		for line, ks := range keys {
			assert.Len(t, slices.Compact(slices.Sorted(slices.Values(ks))), 1, "seed %d: %s handled under several keys", seed, line)
			again += len(ks) - 1
		}
		var recorded int
		require.NoError(t, rs[0].r.db.QueryRowContext(t.Context(), "SELECT count(*) FROM phlebkit_changes").Scan(&recorded))
		assert.Equal(t, len(want), recorded, "seed %d: each change recorded once", seed)
		for _, id := range ids {
			o, _, err := rs[1].r.store.Load(t.Context(), id)
			require.NoError(t, err)
			assert.True(t, o.Equal(wantOrders[id]), "seed %d: order %s differs from delivery in order", seed, id)
		}
		t.Logf("seed %d: %d deliveries to two receivers at once; changes handled by each receiver: %v; handled twice: %d",
			seed, lb.concurrent, handled, again)
	}
}
