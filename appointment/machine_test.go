package appointment

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/looplab/fsm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestMachineMatchesNext drives the looplab-backed machine and the pure
// Next side by side with allowed, forbidden and arbitrary events, invalid
// ones included.
func TestMachineMatchesNext(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		model := rapid.SampledFrom(allStatuses).Draw(t, "initial")
		var seen []Transition
		m, err := NewMachine(model, AfterAny(func(_ context.Context, tr Transition) { seen = append(seen, tr) }))
		require.NoError(t, err)
		var want []Transition
		fire := func(t *rapid.T, e Trigger) {
			next, nerr := Next(model, e)
			ferr := m.Fire(context.Background(), e)
			if nerr != nil {
				if e.IsValid() {
					require.Same(t, nerr, ferr, "Fire(%q) in %q must return Next's pre-built error", e, model)
				}
				require.Equal(t, nerr, ferr, "Fire(%q) in %q must return Next's error", e, model)
				require.ErrorIs(t, ferr, ErrInvalidTransition)
				return
			}
			require.NoError(t, ferr, "Fire(%q) in %q", e, model)
			want = append(want, Transition{From: model, Trigger: e, To: next})
			model = next
		}
		t.Repeat(map[string]func(*rapid.T){
			"allowed": func(t *rapid.T) {
				evs := model.Triggers()
				if len(evs) == 0 {
					t.Skip("terminal")
				}
				fire(t, rapid.SampledFrom(evs).Draw(t, "event"))
			},
			"forbidden": func(t *rapid.T) {
				var evs []Trigger
				for _, e := range allEvents {
					if _, ok := expected[model][e]; !ok {
						evs = append(evs, e)
					}
				}
				fire(t, rapid.SampledFrom(evs).Draw(t, "event"))
			},
			"any": func(t *rapid.T) {
				fire(t, Trigger(rapid.Uint8().Draw(t, "event")))
			},
			"": func(t *rapid.T) {
				require.Equal(t, model, m.Current())
				require.Equal(t, model.Triggers(), m.AvailableTriggers())
				for _, e := range allEvents {
					_, ok := expected[model][e]
					require.Equal(t, ok, m.Can(e), "Can(%q) in %q", e, model)
				}
				require.Equal(t, want, seen, "callbacks must see every transition, in order")
			},
		})
	})
}

func TestMachineSelfLoops(t *testing.T) {
	for _, s := range []Status{Reserved, Confirmed} {
		t.Run(s.String(), func(t *testing.T) {
			var entered, after int
			m, err := NewMachine(s,
				OnEnter(s, func(context.Context, Transition) { entered++ }),
				AfterTrigger(Reschedule, func(context.Context, Transition) { after++ }))
			require.NoError(t, err)
			for range 3 {
				require.NoError(t, m.Fire(context.Background(), Reschedule))
				assert.Equal(t, s, m.Current())
			}
			assert.Equal(t, 3, entered)
			assert.Equal(t, 3, after)
		})
	}
	// Without callbacks too: the looplab machine answers NoTransitionError.
	m, err := NewMachine(Pending)
	require.NoError(t, err)
	for _, e := range []Trigger{Reserve, Reschedule, Confirm, Reschedule, Start, Complete} {
		require.NoError(t, m.Fire(context.Background(), e), "Fire(%q)", e)
	}
	assert.Equal(t, Completed, m.Current())
}

func TestLooplabSharpEdges(t *testing.T) {
	// What a bare looplab machine built from our table does, and so what
	// Machine must not do.
	f := fsm.NewFSM(Confirmed.String(), table.FSMEvents(), nil)
	var nt fsm.NoTransitionError
	require.ErrorAs(t, f.Event(context.Background(), Reschedule.String()), &nt)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f = fsm.NewFSM(Pending.String(), table.FSMEvents(), nil)
	require.Error(t, f.Event(ctx, Reserve.String()))
	var it fsm.InTransitionError
	require.ErrorAs(t, f.Event(context.Background(), Reserve.String()), &it, "looplab is stuck after a cancelled context")
}

func TestMachineCancelledContext(t *testing.T) {
	m, err := NewMachine(Pending, OnEnter(Reserved, func(context.Context, Transition) {}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = m.Fire(ctx, Reserve)
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualError(t, err, "appointment: fire reserve: context canceled")
	assert.Equal(t, Pending, m.Current())
	// The machine is not stuck.
	require.NoError(t, m.Fire(context.Background(), Reserve))
	assert.Equal(t, Reserved, m.Current())

	// A context cancelled by a callback during the transition does not
	// undo or block it either.
	ctx, cancel = context.WithCancel(context.Background())
	m, err = NewMachine(Pending, OnEnter(Reserved, func(context.Context, Transition) { cancel() }))
	require.NoError(t, err)
	require.NoError(t, m.Fire(ctx, Reserve))
	require.NoError(t, m.Fire(context.Background(), Confirm))
	assert.Equal(t, Confirmed, m.Current())

	// A nil context is taken as Background.
	//lint:ignore SA1012 a nil context must not panic
	require.NoError(t, m.Fire(nil, Reschedule)) //nolint:staticcheck
}

func TestMachineRejects(t *testing.T) {
	called := false
	m, err := NewMachine(Completed, AfterAny(func(context.Context, Transition) { called = true }))
	require.NoError(t, err)
	err = m.Fire(context.Background(), Cancel)
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, TransitionError{From: Completed, Trigger: Cancel}, *te)
	_, nerr := Next(Completed, Cancel)
	assert.Same(t, nerr, err, "Fire must return the error value Next returns")
	require.ErrorIs(t, m.Fire(context.Background(), Trigger(99)), ErrInvalidTransition)
	assert.Equal(t, Completed, m.Current())
	assert.False(t, called)
}

func TestMachineCallbackOrder(t *testing.T) {
	var log []string
	rec := func(tag string) Callback {
		return func(_ context.Context, tr Transition) {
			log = append(log, tag+" "+tr.From.String()+" "+tr.Trigger.String()+" "+tr.To.String())
		}
	}
	var current Status
	var m *Machine
	m, err := NewMachine(Pending,
		AfterAny(rec("any")),
		AfterTrigger(Confirm, rec("after")),
		OnEnter(Confirmed, rec("enter")),
		OnEnter(Confirmed, func(context.Context, Transition) { current = m.Current() }),
		AfterTrigger(Reschedule, rec("after")),
		OnEnter(Cancelled, rec("enter")),
	)
	require.NoError(t, err)
	for _, e := range []Trigger{Confirm, Reschedule, Cancel} {
		require.NoError(t, m.Fire(context.Background(), e))
	}
	assert.Equal(t, []string{
		"enter pending confirm confirmed",
		"after pending confirm confirmed",
		"any pending confirm confirmed",
		"enter confirmed reschedule confirmed",
		"after confirmed reschedule confirmed",
		"any confirmed reschedule confirmed",
		"enter confirmed cancel cancelled",
		"any confirmed cancel cancelled",
	}, log)
	assert.Equal(t, Confirmed, current, "callbacks see the new status")
}

func TestMachineReentrantFire(t *testing.T) {
	var inner error
	var m *Machine
	m, err := NewMachine(Pending, OnEnter(Reserved, func(ctx context.Context, _ Transition) {
		inner = m.Fire(ctx, Confirm)
	}))
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.Background(), Reserve))
	require.ErrorIs(t, inner, ErrReentrantFire)
	assert.Equal(t, Reserved, m.Current())
	// The callback may fire another machine, and read values of the caller's
	// context.
	type key struct{}
	other, err := NewMachine(Pending)
	require.NoError(t, err)
	var val any
	m, err = NewMachine(Pending, OnEnter(Reserved, func(ctx context.Context, _ Transition) {
		inner = other.Fire(ctx, Cancel)
		val = ctx.Value(key{})
	}))
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.WithValue(context.Background(), key{}, "v"), Reserve))
	require.NoError(t, inner)
	assert.Equal(t, Cancelled, other.Current())
	assert.Equal(t, "v", val)
}

func TestNewMachineErrors(t *testing.T) {
	noop := func(context.Context, Transition) {}
	for name, c := range map[string]struct {
		initial Status
		opts    []Option
	}{
		"zero status":           {0, nil},
		"status out of range":   {numStatuses + 1, nil},
		"enter invalid status":  {Pending, []Option{OnEnter(0, noop)}},
		"after invalid event":   {Pending, []Option{AfterTrigger(Trigger(77), noop)}},
		"nil enter callback":    {Pending, []Option{OnEnter(Pending, nil)}},
		"nil after callback":    {Pending, []Option{AfterTrigger(Cancel, nil)}},
		"nil afterany callback": {Pending, []Option{AfterAny(nil)}},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := NewMachine(c.initial, c.opts...)
			assert.Nil(t, m)
			require.ErrorIs(t, err, ErrMachine)
			assert.Regexp(t, `^appointment: invalid machine: `, err.Error())
		})
	}
	m, err := NewMachine(Pending, Option{})
	require.NoError(t, err, "the zero Option is ignored")
	assert.Equal(t, Pending, m.Current())
}

func TestZeroMachine(t *testing.T) {
	for _, m := range []*Machine{nil, {}} {
		assert.Equal(t, Status(0), m.Current())
		assert.False(t, m.Can(Cancel))
		assert.Empty(t, m.AvailableTriggers())
		assert.ErrorIs(t, m.Fire(context.Background(), Cancel), ErrInvalidTransition)
	}
}

func TestMachineConcurrent(t *testing.T) {
	var mu sync.Mutex
	var seen []Transition
	m, err := NewMachine(Pending, AfterAny(func(_ context.Context, tr Transition) {
		mu.Lock()
		seen = append(seen, tr)
		mu.Unlock()
	}))
	require.NoError(t, err)
	// Goroutines race through the lifecycle; each event succeeds only in a
	// status that allows it, and reschedules may succeed many times.
	evs := []Trigger{Reserve, Confirm, Reschedule, Start, Complete}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			e := evs[i%len(evs)]
			for range 200 {
				err := m.Fire(context.Background(), e)
				if err != nil && !errors.Is(err, ErrInvalidTransition) {
					t.Error(err)
				}
				_ = m.Current()
				_ = m.AvailableTriggers()
				_ = m.Can(Cancel)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	cur := Pending
	for _, tr := range seen {
		require.Equal(t, cur, tr.From, "transitions must chain")
		require.True(t, slices.Contains(cur.Triggers(), tr.Trigger))
		cur = tr.To
	}
	assert.Equal(t, cur, m.Current())
}
