package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/looplab/fsm"
)

// Callback is called by a [Machine] for a transition it has made.
type Callback[S, E Small] func(ctx context.Context, e Edge[S, E])

// Hooks are the callbacks of a [Machine].
type Hooks[S, E Small] struct {
	// Enter[s] run, in order, each time the machine enters s, self-loops
	// included.
	Enter map[S][]Callback[S, E]
	// After[e] run, in order, after each transition made by e, once the
	// Enter callbacks of its destination have run.
	After map[E][]Callback[S, E]
	// AfterAny run after every transition, once the After callbacks of its
	// event have run.
	AfterAny []Callback[S, E]
	// Reentrant is returned (wrapped with the event) by a Fire called from
	// one of this machine's callbacks with the context the callback was
	// given; such a call would otherwise wait forever for the machine.
	// When nil, an error naming the table is returned instead.
	Reentrant error
}

// AddEnter adds fn to the callbacks run on entering s.
func (h *Hooks[S, E]) AddEnter(s S, fn Callback[S, E]) {
	if h.Enter == nil {
		h.Enter = map[S][]Callback[S, E]{}
	}
	h.Enter[s] = append(h.Enter[s], fn)
}

// AddAfter adds fn to the callbacks run after each transition made by e.
func (h *Hooks[S, E]) AddAfter(e E, fn Callback[S, E]) {
	if h.After == nil {
		h.After = map[E][]Callback[S, E]{}
	}
	h.After[e] = append(h.After[e], fn)
}

// AddAny adds fn to the callbacks run after every transition.
func (h *Hooks[S, E]) AddAny(fn Callback[S, E]) { h.AfterAny = append(h.AfterAny, fn) }

// Machine is a state machine over a [Table], backed by a looplab/fsm
// machine built from the same table. It is safe for concurrent use.
//
// Every event is checked against the table before looplab sees it, so a
// forbidden event returns the table's error and leaves the looplab machine
// untouched; self-loops succeed; and looplab is never handed a context that
// can be cancelled, so a cancelled context cannot leave it mid-transition.
type Machine[S, E Small] struct {
	t      *Table[S, E]
	cur    atomic.Uint32 // the committed status; read without the lock
	mu     sync.Mutex    // serialises transitions and their callbacks
	fsm    *fsm.FSM
	enter  [][]Callback[S, E] // by status
	after  [][]Callback[S, E] // by event
	any    []Callback[S, E]
	hooked bool
	reent  error
	firing Edge[S, E]      // the transition under way; guarded by mu
	cbctx  context.Context // the context its callbacks get; guarded by mu
}

// NewMachine returns a machine over t starting in initial. It reports an
// error when initial, or a status or event named by a hook, is not in t, or
// a hook is nil; the caller wraps it in its own sentinel.
func NewMachine[S, E Small](t *Table[S, E], initial S, h Hooks[S, E]) (*Machine[S, E], error) {
	if !t.validStatus(initial) {
		return nil, fmt.Errorf("initial status %s is not valid", t.StatusName(initial))
	}
	m := &Machine[S, E]{t: t, reent: h.Reentrant}
	if m.reent == nil {
		m.reent = errors.New(t.name + ": fire called from a callback of the same machine")
	}
	// The callback lists are built only for a machine that has callbacks,
	// so that a plain machine costs little more than looplab's own.
	valid := func(fns []Callback[S, E]) error {
		for _, fn := range fns {
			if fn == nil {
				return errors.New("nil callback")
			}
			m.hooked = true
		}
		return nil
	}
	for s, fns := range h.Enter {
		if !t.validStatus(s) {
			return nil, fmt.Errorf("callback on invalid status %s", t.StatusName(s))
		}
		if err := valid(fns); err != nil {
			return nil, err
		}
	}
	for e, fns := range h.After {
		if !t.validEvent(e) {
			return nil, fmt.Errorf("callback on invalid event %s", t.EventName(e))
		}
		if err := valid(fns); err != nil {
			return nil, err
		}
	}
	if err := valid(h.AfterAny); err != nil {
		return nil, err
	}
	if m.hooked {
		m.enter = make([][]Callback[S, E], t.nS+1)
		m.after = make([][]Callback[S, E], t.nE+1)
		for s, fns := range h.Enter {
			m.enter[s] = append(m.enter[s], fns...)
		}
		for e, fns := range h.After {
			m.after[e] = append(m.after[e], fns...)
		}
		m.any = append(m.any, h.AfterAny...)
	}
	var cbs fsm.Callbacks
	if m.hooked {
		// looplab calls enter_state, then after_event, for a transition
		// that changes state, and only after_event for a self-loop.
		// The callbacks get the context Fire built, not looplab's, which
		// looplab cancels when its Event returns.
		cbs = fsm.Callbacks{
			"enter_state": func(context.Context, *fsm.Event) { m.runEnter() },
			"after_event": func(_ context.Context, e *fsm.Event) {
				if e.Src == e.Dst {
					m.runEnter()
				}
				m.runAfter()
			},
		}
	}
	// looplab only reads the events while it builds its own map.
	m.fsm = fsm.NewFSM(t.statusName[initial], t.fsmEvents, cbs)
	m.cur.Store(uint32(initial))
	return m, nil
}

func (m *Machine[S, E]) runEnter() {
	for _, fn := range m.enter[m.firing.To] {
		fn(m.cbctx, m.firing)
	}
}

func (m *Machine[S, E]) runAfter() {
	for _, fn := range m.after[m.firing.Trigger] {
		fn(m.cbctx, m.firing)
	}
	for _, fn := range m.any {
		fn(m.cbctx, m.firing)
	}
}

// Current returns the machine's status.
func (m *Machine[S, E]) Current() S { return S(m.cur.Load()) }

// Can reports whether e may be fired in the current status.
func (m *Machine[S, E]) Can(e E) bool { return m.t.Allowed(m.Current(), e) }

// AvailableEvents returns the events allowed in the current status, in
// numeric order.
func (m *Machine[S, E]) AvailableEvents() []E { return m.t.EventsFrom(m.Current()) }

// Fire makes the transition e leads to from the current status and runs its
// callbacks before returning. It returns, without changing anything: the
// table's error if e is forbidden in the current status (whatever ctx);
// ctx's error if ctx is already done; and the Reentrant error if called
// from one of this machine's callbacks with the context it was given. A nil
// ctx is taken as context.Background().
func (m *Machine[S, E]) Fire(ctx context.Context, e E) error {
	// Fast path: a forbidden event is rejected on a snapshot of the status,
	// without the lock, and the rejection takes effect at that snapshot. It
	// is forbidden whatever the context.
	cur := m.Current()
	if c := m.t.cell(cur, e); c == nil || c.to == 0 {
		_, err := m.t.Next(cur, e) // the same snapshot, so the same rejection
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: fire %s: %w", m.t.name, m.t.EventName(e), err)
	}
	// Only a callback's context carries the mark.
	if ctx.Value(firingKey[S, E]{m}) != nil {
		return fmt.Errorf("%w: %s", m.reent, m.t.eventName[e])
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	from := m.Current()
	to, err := m.t.Next(from, e)
	if err != nil {
		return err // another goroutine moved the machine meanwhile
	}
	m.firing = Edge[S, E]{From: from, Trigger: e, To: to}
	// Commit first: callbacks run inside looplab's Event and must see the
	// new status. looplab cannot refuse: it was built from the same table
	// and gets a context that is never cancelled.
	m.cur.Store(uint32(to))
	lctx := ctx
	if m.hooked || ctx.Done() != nil {
		lctx = firingCtx[S, E]{parent: ctx, m: m}
	}
	m.cbctx = lctx
	err = m.fsm.Event(lctx, m.t.eventName[e])
	m.cbctx = nil // the machine keeps no context between transitions
	if nt, ok := err.(fsm.NoTransitionError); err == nil || (ok && nt.Err == nil && from == to) {
		return nil
	}
	// Unreachable while the looplab machine mirrors the table; restore both
	// rather than leave them apart.
	m.cur.Store(uint32(from))
	m.fsm.SetState(m.t.statusName[from])
	return fmt.Errorf("%s: internal error firing %s in %s: %w", m.t.name, m.t.eventName[e], m.t.statusName[from], err)
}

// firingKey marks a context as coming from one of m's callbacks.
type firingKey[S, E Small] struct{ m *Machine[S, E] }

// firingCtx is the context handed to looplab: it keeps the caller's values,
// is never done, and marks the callbacks it reaches as m's.
type firingCtx[S, E Small] struct {
	parent context.Context
	m      *Machine[S, E]
}

func (firingCtx[S, E]) Deadline() (time.Time, bool) { return time.Time{}, false }
func (firingCtx[S, E]) Done() <-chan struct{}       { return nil }
func (firingCtx[S, E]) Err() error                  { return nil }
func (c firingCtx[S, E]) Value(key any) any {
	if k, ok := key.(firingKey[S, E]); ok && k.m == c.m {
		return c.m
	}
	return c.parent.Value(key)
}

// Transition is the constraint on the transition type a package hands its
// callbacks: its own struct with the fields of an [Edge].
type Transition[S, E Small] interface {
	~struct {
		From    S
		Trigger E
		To      S
	}
}

// Option configures a machine made by [Build]: T is the transition type its
// callbacks receive. The zero Option does nothing.
type Option[S, E Small, T Transition[S, E]] struct {
	apply func(*Hooks[S, E])
}

// OnEnter runs fn each time the machine enters s, self-loops included.
func OnEnter[S, E Small, T Transition[S, E]](s S, fn func(context.Context, T)) Option[S, E, T] {
	return Option[S, E, T]{func(h *Hooks[S, E]) { h.AddEnter(s, wrap[S, E](fn)) }}
}

// AfterTrigger runs fn after each transition made by e, once the [OnEnter]
// callbacks of its destination have run.
func AfterTrigger[S, E Small, T Transition[S, E]](e E, fn func(context.Context, T)) Option[S, E, T] {
	return Option[S, E, T]{func(h *Hooks[S, E]) { h.AddAfter(e, wrap[S, E](fn)) }}
}

// AfterAny runs fn after every transition, once the [AfterTrigger]
// callbacks have run.
func AfterAny[S, E Small, T Transition[S, E]](fn func(context.Context, T)) Option[S, E, T] {
	return Option[S, E, T]{func(h *Hooks[S, E]) { h.AddAny(wrap[S, E](fn)) }}
}

// wrap adapts fn to a [Callback]; a nil fn stays nil, for [NewMachine] to
// reject.
func wrap[S, E Small, T Transition[S, E]](fn func(context.Context, T)) Callback[S, E] {
	if fn == nil {
		return nil
	}
	return func(ctx context.Context, e Edge[S, E]) { fn(ctx, T(e)) }
}

// Build returns a machine over t starting in initial, configured by opts.
// A Fire from one of its callbacks returns reentrant; an invalid initial
// status, a callback on an invalid status or event, or a nil callback is an
// error wrapping invalid.
func Build[S, E Small, T Transition[S, E]](t *Table[S, E], initial S, reentrant, invalid error, opts []Option[S, E, T]) (*Machine[S, E], error) {
	h := Hooks[S, E]{Reentrant: reentrant}
	for _, o := range opts {
		if o.apply != nil {
			o.apply(&h)
		}
	}
	m, err := NewMachine(t, initial, h)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", invalid, err)
	}
	return m, nil
}

// Idle returns a machine over t in the zero status, shared and never moved:
// it rejects every Fire with the table's error. A package hands it out for
// a nil or zero machine of its own.
func (t *Table[S, E]) Idle() *Machine[S, E] { return t.idle }
