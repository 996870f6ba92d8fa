package order

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/looplab/fsm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestMachineMatchesNext drives the looplab-backed machine and the pure
// table side by side with allowed, forbidden and arbitrary events.
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
	for _, c := range []struct {
		status Status
		event  Trigger
	}{
		{AppointmentScheduled, RescheduleAppointment},
		{PartialResults, ReceivePartialResults},
		{Corrected, CorrectResults},
	} {
		t.Run(c.event.String(), func(t *testing.T) {
			var entered, after int
			m, err := NewMachine(c.status,
				OnEnter(c.status, func(context.Context, Transition) { entered++ }),
				AfterTrigger(c.event, func(context.Context, Transition) { after++ }))
			require.NoError(t, err)
			for range 3 {
				require.NoError(t, m.Fire(context.Background(), c.event))
				assert.Equal(t, c.status, m.Current())
			}
			assert.Equal(t, 3, entered)
			assert.Equal(t, 3, after)
		})
	}
	// Without callbacks too: the looplab machine answers NoTransitionError.
	m, err := NewMachine(AppointmentScheduled)
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.Background(), RescheduleAppointment))
	require.NoError(t, m.Fire(context.Background(), CompleteDraw))
	assert.Equal(t, DrawCompleted, m.Current())
}

func TestLooplabSharpEdges(t *testing.T) {
	// What a bare looplab machine built from our table does, and so what
	// Machine must not do.
	f := fsm.NewFSM(AppointmentScheduled.String(), table.FSMEvents(), nil)
	var nt fsm.NoTransitionError
	require.ErrorAs(t, f.Event(context.Background(), RescheduleAppointment.String()), &nt)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f = fsm.NewFSM(Ordered.String(), table.FSMEvents(), nil)
	require.Error(t, f.Event(ctx, CreateRequisition.String()))
	var it fsm.InTransitionError
	require.ErrorAs(t, f.Event(context.Background(), CreateRequisition.String()), &it, "looplab is stuck after a cancelled context")
}

func TestMachineCancelledContext(t *testing.T) {
	m, err := NewMachine(Ordered, OnEnter(RequisitionCreated, func(context.Context, Transition) {}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = m.Fire(ctx, CreateRequisition)
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualError(t, err, "order: fire create_requisition: context canceled")
	assert.Equal(t, Ordered, m.Current())
	// A forbidden event is forbidden whatever the context.
	require.ErrorIs(t, m.Fire(ctx, Complete), ErrInvalidTransition)
	// The machine is not stuck.
	require.NoError(t, m.Fire(context.Background(), CreateRequisition))
	assert.Equal(t, RequisitionCreated, m.Current())

	// A context cancelled by a callback during the transition does not
	// undo or block it either.
	ctx, cancel = context.WithCancel(context.Background())
	m, err = NewMachine(Ordered, OnEnter(RequisitionCreated, func(context.Context, Transition) { cancel() }))
	require.NoError(t, err)
	require.NoError(t, m.Fire(ctx, CreateRequisition))
	require.NoError(t, m.Fire(context.Background(), PlaceAppointment))
	assert.Equal(t, AppointmentPending, m.Current())

	// A nil context is taken as Background.
	//lint:ignore SA1012 a nil context must not panic
	require.NoError(t, m.Fire(nil, ScheduleAppointment))
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
	assert.Same(t, nerr, err)
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
	m, err := NewMachine(Ordered,
		AfterAny(rec("any")),
		AfterTrigger(CreateRequisition, rec("after")),
		OnEnter(RequisitionCreated, rec("enter")),
		OnEnter(RequisitionCreated, func(context.Context, Transition) { current = m.Current() }),
		OnEnter(Cancelled, rec("enter")),
	)
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.Background(), CreateRequisition))
	require.NoError(t, m.Fire(context.Background(), Cancel))
	assert.Equal(t, []string{
		"enter ordered create_requisition requisition_created",
		"after ordered create_requisition requisition_created",
		"any ordered create_requisition requisition_created",
		"enter requisition_created cancel cancelled",
		"any requisition_created cancel cancelled",
	}, log)
	assert.Equal(t, RequisitionCreated, current, "callbacks see the new status")
}

func TestMachineReentrantFire(t *testing.T) {
	var inner error
	var m *Machine
	m, err := NewMachine(Ordered, OnEnter(RequisitionCreated, func(ctx context.Context, _ Transition) {
		inner = m.Fire(ctx, PlaceAppointment)
	}))
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.Background(), CreateRequisition))
	require.ErrorIs(t, inner, ErrReentrantFire)
	assert.Equal(t, RequisitionCreated, m.Current())
	// The callback may fire another machine, and read values of the caller's
	// context.
	type key struct{}
	other, err := NewMachine(Ordered)
	require.NoError(t, err)
	var val any
	var kept context.Context
	m, err = NewMachine(Ordered, OnEnter(RequisitionCreated, func(ctx context.Context, _ Transition) {
		inner = other.Fire(ctx, Cancel)
		val = ctx.Value(key{})
		kept = ctx
	}))
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.WithValue(context.Background(), key{}, "v"), CreateRequisition))
	require.NoError(t, inner)
	assert.Equal(t, Cancelled, other.Current())
	assert.Equal(t, "v", val)
	// The callback's context is never cancelled, not even once Fire has
	// returned: work the callback hands on is not cut short.
	require.NoError(t, kept.Err())
	assert.Nil(t, kept.Done())
}

func TestNewMachineErrors(t *testing.T) {
	noop := func(context.Context, Transition) {}
	for name, c := range map[string]struct {
		initial Status
		opts    []Option
	}{
		"zero status":           {0, nil},
		"status out of range":   {numStatuses + 1, nil},
		"enter invalid status":  {Ordered, []Option{OnEnter(0, noop)}},
		"after invalid event":   {Ordered, []Option{AfterTrigger(Trigger(77), noop)}},
		"nil enter callback":    {Ordered, []Option{OnEnter(Ordered, nil)}},
		"nil after callback":    {Ordered, []Option{AfterTrigger(Cancel, nil)}},
		"nil afterany callback": {Ordered, []Option{AfterAny(nil)}},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := NewMachine(c.initial, c.opts...)
			assert.Nil(t, m)
			require.ErrorIs(t, err, ErrMachine)
			assert.Regexp(t, `^order: invalid machine: `, err.Error())
		})
	}
	m, err := NewMachine(Ordered, Option{})
	require.NoError(t, err, "the zero Option is ignored")
	assert.Equal(t, Ordered, m.Current())
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
	m, err := NewMachine(AppointmentPending, AfterAny(func(_ context.Context, tr Transition) {
		mu.Lock()
		seen = append(seen, tr)
		mu.Unlock()
	}))
	require.NoError(t, err)
	// Goroutines race to cancel and re-place the appointment; each event
	// succeeds only in the status that allows it.
	var wg sync.WaitGroup
	var fired atomic.Int64 // Fire calls that returned nil
	for i := range 8 {
		wg.Go(func() {
			e := CancelAppointment
			if i%2 == 1 {
				e = PlaceAppointment
			}
			for range 200 {
				err := m.Fire(context.Background(), e)
				switch {
				case err == nil:
					fired.Add(1)
				case !errors.Is(err, ErrInvalidTransition):
					t.Error(err)
				}
				_ = m.Current()
				_ = m.AvailableTriggers()
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, int(fired.Load()), len(seen), "every Fire that returned nil made a transition")
	cur := AppointmentPending
	for _, tr := range seen {
		require.Equal(t, cur, tr.From, "transitions must chain")
		require.True(t, slices.Contains(cur.Triggers(), tr.Trigger))
		cur = tr.To
	}
	assert.Equal(t, cur, m.Current())
}
