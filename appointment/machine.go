package appointment

import (
	"context"

	"github.com/phlebkit/phlebkit/internal/lifecycle"
)

// Callback is called by a [Machine] for a transition it has just made. It
// runs on the goroutine that called [Machine.Fire], before Fire returns,
// while the machine holds its lock: callbacks of one machine see its
// transitions one at a time and in order. A callback must not fire triggers
// on its own machine: doing so with the context it was given returns
// [ErrReentrantFire], and with any other context it waits forever. The
// context a callback is given carries the caller's values but is never
// cancelled, since the transition has already been made; a callback that
// does slow work should bound it with its own deadline.
type Callback func(ctx context.Context, t Transition)

// Option configures a [Machine]; [OnEnter], [AfterTrigger] and [AfterAny]
// make them. The zero Option does nothing.
type Option = lifecycle.Option[Status, Trigger, Transition]

// OnEnter runs fn each time the machine enters s, self-loops included (a
// reschedule enters reserved or confirmed again).
func OnEnter(s Status, fn Callback) Option {
	return lifecycle.OnEnter[Status, Trigger](s, fn)
}

// AfterTrigger runs fn after each transition made by e, once the [OnEnter]
// callbacks of its destination have run.
func AfterTrigger(e Trigger, fn Callback) Option {
	return lifecycle.AfterTrigger[Status](e, fn)
}

// AfterAny runs fn after every transition, once the [AfterTrigger] callbacks
// have run.
func AfterAny(fn Callback) Option {
	return lifecycle.AfterAny[Status, Trigger](fn)
}

// Machine is an appointment lifecycle backed by a github.com/looplab/fsm
// machine built from the same table as [Next]. It is safe for concurrent
// use; its zero value is not a usable machine (every Fire is rejected): use
// [NewMachine].
//
// It differs from a bare looplab machine in ways users rely on: the
// reschedule self-loops on reserved and confirmed succeed (looplab alone
// reports them as errors); a forbidden trigger is rejected by the table with
// the same *[TransitionError] as Next, before looplab is touched; a
// cancelled context is reported without starting a transition and can never
// leave the machine stuck; there is no way to set a status that bypasses the
// table; callbacks are typed, not named by strings.
type Machine struct {
	m *lifecycle.Machine[Status, Trigger]
}

// NewMachine returns a machine in status initial. An invalid status, a
// callback on an invalid status or trigger, or a nil callback is an error
// wrapping [ErrMachine].
func NewMachine(initial Status, opts ...Option) (*Machine, error) {
	m, err := lifecycle.Build(table, initial, ErrReentrantFire, ErrMachine, opts)
	if err != nil {
		return nil, err
	}
	return &Machine{m: m}, nil
}

// Current returns the machine's status; the zero [Status] for a zero
// Machine.
func (m *Machine) Current() Status { return m.get().Current() }

// Can reports whether e may be fired in the current status.
func (m *Machine) Can(e Trigger) bool { return m.get().Can(e) }

// AvailableTriggers returns the triggers allowed in the current status, in
// declaration order.
func (m *Machine) AvailableTriggers() []Trigger { return m.get().AvailableEvents() }

// Fire moves the machine along e and runs the callbacks of the transition
// before returning. On error nothing changes: a forbidden trigger returns,
// whatever ctx, the *[TransitionError] that [Next] returns; an allowed one
// with a done ctx returns an error wrapping ctx.Err(); a call from the
// machine's own callback returns [ErrReentrantFire].
func (m *Machine) Fire(ctx context.Context, e Trigger) error { return m.get().Fire(ctx, e) }

// get returns the machine m wraps, or the table's idle machine for a nil or
// zero m.
func (m *Machine) get() *lifecycle.Machine[Status, Trigger] {
	if m == nil || m.m == nil {
		return table.Idle()
	}
	return m.m
}
