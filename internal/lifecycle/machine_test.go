package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// A second toy, for machines: its last status and its last event are both
// used, and the last status has a way out and a self-loop.
type vs uint8
type ve uint8

const (
	idle vs = iota + 1
	running
	done
	held // the last status
)

const (
	start ve = iota + 1
	stop
	hold // the last event
)

var errReentrant = errors.New("visit: reentrant")

func visitSpec() Spec[vs, ve] {
	return Spec[vs, ve]{
		Name: "visit", Statuses: 4, Events: 3, Initial: idle,
		StatusName: func(s vs) string {
			if s >= idle && s <= held {
				return [...]string{"", "idle", "running", "done", "held"}[s]
			}
			return fmt.Sprintf("vs(%d)", s)
		},
		EventName: func(e ve) string {
			if e >= start && e <= hold {
				return [...]string{"", "start", "stop", "hold"}[e]
			}
			return fmt.Sprintf("ve(%d)", e)
		},
		Reject: func(s vs, e ve) error { return fmt.Errorf("visit: %d in %d", e, s) },
		Edges: []Edge[vs, ve]{
			{idle, start, running},
			{idle, stop, done},
			{running, stop, done},
			{running, hold, held},
			{held, hold, held},
			{held, start, running},
		},
	}
}

var visit = MustNew(visitSpec())

// visitModel is visitSpec's edges written out by hand.
var visitModel = map[vs]map[ve]vs{
	idle:    {start: running, stop: done},
	running: {stop: done, hold: held},
	held:    {hold: held, start: running},
	done:    {},
}

// recorder logs the callbacks a machine runs, as "enter held" or
// "after hold running→held".
type recorder struct {
	mu  sync.Mutex
	log []string
}

func (r *recorder) add(what string) Callback[vs, ve] {
	return func(_ context.Context, e Edge[vs, ve]) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.log = append(r.log, fmt.Sprintf("%s %s %s→%s", what, visit.EventName(e.Trigger), visit.StatusName(e.From), visit.StatusName(e.To)))
	}
}

// everyHook returns hooks that record every callback: on entering each
// status, after each event and after any transition.
func everyHook(r *recorder) Hooks[vs, ve] {
	var h Hooks[vs, ve]
	for s := idle; s <= held; s++ {
		h.AddEnter(s, r.add("enter"))
	}
	for e := start; e <= hold; e++ {
		h.AddAfter(e, r.add("after"))
	}
	h.AddAny(r.add("any"))
	h.Reentrant = errReentrant
	return h
}

// TestMachineFollowsTable fires arbitrary events, valid or not, at machines
// with and without callbacks, and checks each outcome against the table and
// the callbacks run against the transitions made.
func TestMachineFollowsTable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		model := rapid.SampledFrom([]vs{idle, running, done, held}).Draw(t, "initial")
		r := &recorder{}
		var h Hooks[vs, ve]
		hooked := rapid.Bool().Draw(t, "hooked")
		if hooked {
			h = everyHook(r)
		}
		m, err := NewMachine(visit, model, h)
		require.NoError(t, err)
		var want []string
		for range rapid.IntRange(0, 20).Draw(t, "steps") {
			e := ve(rapid.OneOf(rapid.IntRange(0, 5), rapid.IntRange(0, 255)).Draw(t, "event"))
			to, ok := visitModel[model][e]
			err := m.Fire(context.Background(), e)
			if !ok {
				require.Error(t, err, "Fire(%v) in %v", e, model)
				_, nerr := visit.Next(model, e)
				require.Equal(t, nerr, err, "Fire(%v) in %v must return the table's error", e, model)
				require.Equal(t, model, m.Current())
				continue
			}
			require.NoError(t, err, "Fire(%v) in %v", e, model)
			require.Equal(t, to, m.Current(), "Fire(%v) in %v", e, model)
			if hooked {
				tr := fmt.Sprintf(" %s %s→%s", visit.EventName(e), visit.StatusName(model), visit.StatusName(to))
				want = append(want, "enter"+tr, "after"+tr, "any"+tr)
			}
			model = to
			require.Equal(t, model, m.Current())
			for e := ve(0); e <= hold+1; e++ {
				_, ok := visitModel[model][e]
				require.Equal(t, ok, m.Can(e), "Can(%v) in %v", e, model)
			}
			require.Equal(t, visit.EventsFrom(model), m.AvailableEvents())
		}
		require.Equal(t, want, r.log, "callbacks must run for every transition, in order")
	})
}

func TestMachineSelfLoop(t *testing.T) {
	for _, hooked := range []bool{false, true} {
		t.Run(fmt.Sprint("hooked=", hooked), func(t *testing.T) {
			r := &recorder{}
			var h Hooks[vs, ve]
			if hooked {
				h = everyHook(r)
			}
			m, err := NewMachine(visit, held, h)
			require.NoError(t, err)
			for range 2 {
				require.NoError(t, m.Fire(context.Background(), hold))
				assert.Equal(t, held, m.Current())
			}
			require.NoError(t, m.Fire(context.Background(), start))
			assert.Equal(t, running, m.Current())
			if hooked {
				assert.Equal(t, []string{
					"enter hold held→held", "after hold held→held", "any hold held→held",
					"enter hold held→held", "after hold held→held", "any hold held→held",
					"enter start held→running", "after start held→running", "any start held→running",
				}, r.log, "a self-loop enters its status again, once")
			}
		})
	}
}

func TestMachineRejects(t *testing.T) {
	for _, initial := range []vs{idle, done, held} {
		m, err := NewMachine(visit, initial, Hooks[vs, ve]{})
		require.NoError(t, err)
		for _, e := range []ve{0, hold + 1, 255} {
			err := m.Fire(context.Background(), e)
			assert.EqualError(t, err, fmt.Sprintf("visit: %d in %d", e, initial), "Fire(%v) in %v", e, initial)
			assert.Equal(t, initial, m.Current())
		}
	}
}

// ctxRace is a context that reports no error when first asked and is
// cancelled from then on, as if its cancellation raced with a transition.
type ctxRace struct {
	context.Context
	asked bool
	done  chan struct{}
}

func newCtxRace() *ctxRace {
	return &ctxRace{Context: context.Background(), done: make(chan struct{})}
}

func (c *ctxRace) Done() <-chan struct{} { return c.done }

func (c *ctxRace) Err() error {
	if !c.asked {
		c.asked = true
		close(c.done)
		return nil
	}
	return context.Canceled
}

func TestMachineContext(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, hooked := range []bool{false, true} {
		t.Run(fmt.Sprint("hooked=", hooked), func(t *testing.T) {
			r := &recorder{}
			var h Hooks[vs, ve]
			if hooked {
				h = everyHook(r)
			}
			m, err := NewMachine(visit, idle, h)
			require.NoError(t, err)

			// A done context stops an allowed event before it starts.
			err = m.Fire(cancelled, start)
			require.ErrorIs(t, err, context.Canceled)
			assert.EqualError(t, err, "visit: fire start: context canceled")
			assert.Equal(t, idle, m.Current())
			// A forbidden event is the table's error, whatever the context.
			assert.EqualError(t, m.Fire(cancelled, hold), "visit: 3 in 1")
			assert.EqualError(t, m.Fire(cancelled, 9), "visit: 9 in 1")

			// A context cancelled once the transition has begun does not
			// stop it, nor leave the machine stuck.
			require.NoError(t, m.Fire(newCtxRace(), start))
			assert.Equal(t, running, m.Current())
			require.NoError(t, m.Fire(newCtxRace(), hold))
			require.NoError(t, m.Fire(newCtxRace(), hold), "a self-loop too")
			assert.Equal(t, held, m.Current())

			// A context without Done, and a nil one.
			require.NoError(t, m.Fire(context.WithValue(context.Background(), ctxKey{}, 1), start))
			//lint:ignore SA1012 a nil context must not panic
			require.NoError(t, m.Fire(nil, stop))
			assert.Equal(t, done, m.Current())
			if hooked {
				assert.Len(t, r.log, 5*3, "every transition ran its callbacks")
			} else {
				assert.Empty(t, r.log)
			}
		})
	}
}

type ctxKey struct{}

// TestMachineCallbackContext checks what a callback's context carries: the
// caller's values, no deadline and no cancellation, and the mark that makes
// its own machine refuse to fire from it, but no other machine.
func TestMachineCallbackContext(t *testing.T) {
	var m, other *Machine[vs, ve]
	type seen struct {
		val       any
		deadline  bool
		done      bool
		err       error
		own       error
		otherFire error
	}
	var got seen
	var kept context.Context
	h := Hooks[vs, ve]{Reentrant: errReentrant}
	h.AddEnter(running, func(ctx context.Context, _ Edge[vs, ve]) {
		kept = ctx
		got.val = ctx.Value(ctxKey{})
		_, got.deadline = ctx.Deadline()
		got.done = ctx.Done() != nil
		got.err = ctx.Err()
		got.own = m.Fire(ctx, hold)
		got.otherFire = other.Fire(ctx, stop)
	})
	var err error
	m, err = NewMachine(visit, idle, h)
	require.NoError(t, err)
	oh := Hooks[vs, ve]{Reentrant: errReentrant}
	oh.AddAny(func(context.Context, Edge[vs, ve]) {})
	other, err = NewMachine(visit, idle, oh)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), ctxKey{}, "v"), time.Hour)
	defer cancel()
	require.NoError(t, m.Fire(ctx, start))
	assert.Equal(t, "v", got.val)
	assert.False(t, got.deadline, "a callback's context has no deadline")
	assert.False(t, got.done, "a callback's context is never done")
	require.NoError(t, got.err)
	require.ErrorIs(t, got.own, errReentrant)
	assert.EqualError(t, got.own, "visit: reentrant: hold")
	require.NoError(t, got.otherFire, "a callback may fire another machine")
	assert.Equal(t, done, other.Current())
	require.NoError(t, kept.Err(), "a callback's context is not cancelled when Fire returns")
	assert.Nil(t, kept.Done())
	assert.Equal(t, running, m.Current())

	// Without a Reentrant error, the machine names its table.
	var own error
	h = Hooks[vs, ve]{}
	h.AddEnter(running, func(ctx context.Context, _ Edge[vs, ve]) { own = m.Fire(ctx, hold) })
	m, err = NewMachine(visit, idle, h)
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.Background(), start))
	assert.EqualError(t, own, "visit: fire called from a callback of the same machine: hold")
	assert.Equal(t, running, m.Current())
}

// TestMachineRestoresOnInternalError puts the looplab machine out of step
// with the table, which nothing outside this package can do, and checks
// that Fire reports it and leaves both machines where they were.
func TestMachineRestoresOnInternalError(t *testing.T) {
	for _, c := range []struct {
		at, looplab vs
		e           ve
	}{
		{held, idle, hold},     // a self-loop in the table, refused by looplab
		{running, held, hold},  // a move in the table, a self-loop for looplab
		{running, done, stop},  // a move in the table, refused by looplab
		{idle, running, start}, // refused by looplab, which knows the event
	} {
		m, err := NewMachine(visit, c.at, Hooks[vs, ve]{})
		require.NoError(t, err)
		m.fsm.SetState(visit.StatusName(c.looplab))
		err = m.Fire(context.Background(), c.e)
		require.Error(t, err, "Fire(%v) in %v, looplab in %v", c.e, c.at, c.looplab)
		assert.Contains(t, err.Error(), fmt.Sprintf("visit: internal error firing %s in %s: ", visit.EventName(c.e), visit.StatusName(c.at)))
		assert.Equal(t, c.at, m.Current())
		assert.Equal(t, visit.StatusName(c.at), m.fsm.Current(), "looplab must be put back in step")
	}
}

func TestNewMachineValidates(t *testing.T) {
	noop := func(context.Context, Edge[vs, ve]) {}
	for name, c := range map[string]struct {
		initial vs
		hooks   Hooks[vs, ve]
		err     string
	}{
		"zero initial":         {0, Hooks[vs, ve]{}, "initial status vs(0) is not valid"},
		"initial past the end": {held + 1, Hooks[vs, ve]{}, "initial status vs(5) is not valid"},
		"enter on zero":        {idle, Hooks[vs, ve]{Enter: map[vs][]Callback[vs, ve]{0: {noop}}}, "callback on invalid status vs(0)"},
		"enter past the end":   {idle, Hooks[vs, ve]{Enter: map[vs][]Callback[vs, ve]{held + 1: {noop}}}, "callback on invalid status vs(5)"},
		"after on zero":        {idle, Hooks[vs, ve]{After: map[ve][]Callback[vs, ve]{0: {noop}}}, "callback on invalid event ve(0)"},
		"after past the end":   {idle, Hooks[vs, ve]{After: map[ve][]Callback[vs, ve]{hold + 1: {noop}}}, "callback on invalid event ve(4)"},
		"nil enter":            {idle, Hooks[vs, ve]{Enter: map[vs][]Callback[vs, ve]{held: {noop, nil}}}, "nil callback"},
		"nil after":            {idle, Hooks[vs, ve]{After: map[ve][]Callback[vs, ve]{hold: {nil}}}, "nil callback"},
		"nil any":              {idle, Hooks[vs, ve]{AfterAny: []Callback[vs, ve]{noop, nil}}, "nil callback"},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := NewMachine(visit, c.initial, c.hooks)
			assert.Nil(t, m)
			assert.EqualError(t, err, c.err)
		})
	}
	for _, s := range []vs{idle, held} {
		m, err := NewMachine(visit, s, Hooks[vs, ve]{})
		require.NoError(t, err)
		assert.Equal(t, s, m.Current())
	}
}

// TestMachineConcurrent races goroutines that move the machine around its
// cycle; every Fire that succeeds makes one transition, and the callbacks
// see them one at a time, chained.
func TestMachineConcurrent(t *testing.T) {
	var mu sync.Mutex
	var seen []Edge[vs, ve]
	h := Hooks[vs, ve]{}
	h.AddAny(func(_ context.Context, e Edge[vs, ve]) {
		mu.Lock()
		seen = append(seen, e)
		mu.Unlock()
	})
	m, err := NewMachine(visit, running, h)
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu2 sync.Mutex
	fired := 0
	for i := range 6 {
		wg.Go(func() {
			e := []ve{start, hold, hold}[i%3]
			for range 100 {
				if m.Fire(context.Background(), e) == nil {
					mu2.Lock()
					fired++
					mu2.Unlock()
				}
			}
		})
	}
	wg.Wait()
	require.Len(t, seen, fired)
	cur := running
	for _, e := range seen {
		require.Equal(t, cur, e.From, "transitions must chain")
		require.Equal(t, visitModel[cur][e.Trigger], e.To)
		cur = e.To
	}
	assert.Equal(t, cur, m.Current())
}
