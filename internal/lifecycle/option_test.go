package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// visitMove is a package's own transition type, as order.Transition is.
type visitMove struct {
	From    vs
	Trigger ve
	To      vs
}

var errInvalidMachine = errors.New("visit: invalid machine")

func TestBuildRunsOptions(t *testing.T) {
	var log []string
	rec := func(what string) func(context.Context, visitMove) {
		return func(_ context.Context, m visitMove) {
			log = append(log, fmt.Sprintf("%s %s %s→%s", what, visit.EventName(m.Trigger), visit.StatusName(m.From), visit.StatusName(m.To)))
		}
	}
	m, err := Build(visit, idle, errReentrant, errInvalidMachine, []Option[vs, ve, visitMove]{
		OnEnter[vs, ve](held, rec("enter")),
		{}, // the zero Option does nothing
		AfterTrigger[vs](hold, rec("after")),
		AfterAny[vs, ve](rec("any")),
	})
	require.NoError(t, err)
	assert.Equal(t, idle, m.Current())
	for _, e := range []ve{start, hold, hold} {
		require.NoError(t, m.Fire(context.Background(), e))
	}
	assert.Equal(t, []string{
		"any start idle→running",
		"enter hold running→held", "after hold running→held", "any hold running→held",
		"enter hold held→held", "after hold held→held", "any hold held→held",
	}, log)
}

func TestBuildReentrant(t *testing.T) {
	var got error
	var m *Machine[vs, ve]
	m, err := Build(visit, idle, errReentrant, errInvalidMachine, []Option[vs, ve, visitMove]{
		AfterAny[vs, ve](func(ctx context.Context, _ visitMove) { got = m.Fire(ctx, stop) }),
	})
	require.NoError(t, err)
	require.NoError(t, m.Fire(context.Background(), start))
	assert.ErrorIs(t, got, errReentrant)
	assert.Equal(t, running, m.Current())
}

func TestBuildRejects(t *testing.T) {
	noop := func(context.Context, visitMove) {}
	for name, c := range map[string]struct {
		initial vs
		opts    []Option[vs, ve, visitMove]
		err     string
	}{
		"zero initial":   {0, nil, "initial status vs(0) is not valid"},
		"enter on zero":  {idle, []Option[vs, ve, visitMove]{OnEnter[vs, ve](0, noop)}, "callback on invalid status vs(0)"},
		"after past end": {idle, []Option[vs, ve, visitMove]{AfterTrigger[vs](hold+1, noop)}, "callback on invalid event ve(4)"},
		"nil enter":      {idle, []Option[vs, ve, visitMove]{OnEnter[vs, ve, visitMove](held, nil)}, "nil callback"},
		"nil after":      {idle, []Option[vs, ve, visitMove]{AfterTrigger[vs, ve, visitMove](hold, nil)}, "nil callback"},
		"nil any":        {idle, []Option[vs, ve, visitMove]{AfterAny[vs, ve, visitMove](nil)}, "nil callback"},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := Build(visit, c.initial, errReentrant, errInvalidMachine, c.opts)
			assert.Nil(t, m)
			require.ErrorIs(t, err, errInvalidMachine)
			assert.EqualError(t, err, "visit: invalid machine: "+c.err)
		})
	}
}

func TestIdle(t *testing.T) {
	m := visit.Idle()
	require.NotNil(t, m)
	assert.Same(t, m, visit.Idle(), "one idle machine per table")
	assert.Equal(t, vs(0), m.Current())
	for e := ve(0); e <= hold+1; e++ {
		assert.False(t, m.Can(e))
		assert.EqualError(t, m.Fire(context.Background(), e), fmt.Sprintf("visit: %d in 0", e))
	}
	assert.Empty(t, m.AvailableEvents())
	assert.Equal(t, vs(0), m.Current(), "an idle machine never moves")
}
