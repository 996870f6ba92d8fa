package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/looplab/fsm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

type st uint8
type ev uint8

// A toy lifecycle: a → b → c → d, a shortcut a → c, a self-loop on b, and
// e unreachable with no way out.
const (
	a st = iota + 1
	b
	c
	d
	e
)

const (
	go1 ev = iota + 1
	skip
	stay
)

type rejection struct {
	s st
	e ev
}

func (r rejection) Error() string { return fmt.Sprintf("toy: %d in %d", r.e, r.s) }

func toySpec() Spec[st, ev] {
	return Spec[st, ev]{
		Name: "toy", Statuses: 5, Events: 3, Initial: a,
		StatusName: func(s st) string { return fmt.Sprintf("s%d", s) },
		EventName:  func(e ev) string { return fmt.Sprintf("e%d", e) },
		Reject:     func(s st, e ev) error { return &rejection{s, e} },
		Edges: []Edge[st, ev]{
			{c, go1, d}, {a, go1, b}, {b, go1, c}, {a, skip, c}, {b, stay, b},
		},
	}
}

func TestNewValidates(t *testing.T) {
	for name, mutate := range map[string]func(*Spec[st, ev]){
		"no statuses":        func(s *Spec[st, ev]) { s.Statuses = 0 },
		"too many statuses":  func(s *Spec[st, ev]) { s.Statuses = MaxStatuses + 1 },
		"no events":          func(s *Spec[st, ev]) { s.Events = 0 },
		"too many events":    func(s *Spec[st, ev]) { s.Events = 256 },
		"no status name":     func(s *Spec[st, ev]) { s.StatusName = nil },
		"no event name":      func(s *Spec[st, ev]) { s.EventName = nil },
		"no reject":          func(s *Spec[st, ev]) { s.Reject = nil },
		"initial zero":       func(s *Spec[st, ev]) { s.Initial = 0 },
		"initial too big":    func(s *Spec[st, ev]) { s.Initial = 6 },
		"edge from unknown":  func(s *Spec[st, ev]) { s.Edges = append(s.Edges, Edge[st, ev]{6, go1, a}) },
		"edge from zero":     func(s *Spec[st, ev]) { s.Edges = append(s.Edges, Edge[st, ev]{0, go1, a}) },
		"edge to unknown":    func(s *Spec[st, ev]) { s.Edges = append(s.Edges, Edge[st, ev]{d, go1, 9}) },
		"edge unknown event": func(s *Spec[st, ev]) { s.Edges = append(s.Edges, Edge[st, ev]{d, 4, a}) },
		"two edges for a pair": func(s *Spec[st, ev]) {
			s.Edges = append(s.Edges, Edge[st, ev]{a, go1, d})
		},
		"duplicate status name": func(s *Spec[st, ev]) { s.StatusName = func(st) string { return "x" } },
		"empty status name": func(s *Spec[st, ev]) {
			s.StatusName = func(x st) string { return map[st]string{a: "a", b: "", c: "c", d: "d", e: "e"}[x] }
		},
		"empty event name": func(s *Spec[st, ev]) { s.EventName = func(ev) string { return "" } },
		"duplicate event name": func(s *Spec[st, ev]) {
			s.EventName = func(x ev) string { return map[ev]string{go1: "go", skip: "skip", stay: "go"}[x] }
		},
		"empty last event name": func(s *Spec[st, ev]) {
			s.EventName = func(x ev) string { return map[ev]string{go1: "go", skip: "skip"}[x] }
		},
	} {
		t.Run(name, func(t *testing.T) {
			spec := toySpec()
			mutate(&spec)
			tb, err := New(spec)
			assert.Nil(t, tb)
			require.ErrorIs(t, err, ErrSpec)
			assert.Contains(t, err.Error(), "lifecycle: invalid table: toy: ")
			assert.Panics(t, func() { MustNew(spec) })
		})
	}
	assert.NotPanics(t, func() { MustNew(toySpec()) })
}

// TestNewLimits builds the smallest and the largest tables a spec may
// describe, and checks the largest at its last status and last event.
func TestNewLimits(t *testing.T) {
	small := toySpec()
	small.Statuses, small.Events, small.Edges = 1, 1, []Edge[st, ev]{{1, 1, 1}}
	tb, err := New(small)
	require.NoError(t, err)
	to, err := tb.Next(1, 1)
	require.NoError(t, err)
	assert.Equal(t, st(1), to)

	const last, lastEvent = st(MaxStatuses), ev(255)
	big := toySpec()
	big.Statuses, big.Events, big.Initial = MaxStatuses, 255, last
	big.Edges = []Edge[st, ev]{{a, lastEvent, last}, {last, lastEvent, last}, {last, go1, a}, {last - 1, go1, last}}
	tb, err = New(big)
	require.NoError(t, err)
	assert.Equal(t, last, tb.Initial())
	assert.True(t, tb.ValidStatus(last))
	assert.False(t, tb.ValidStatus(last+1))
	assert.True(t, tb.ValidEvent(lastEvent))

	for _, c := range []struct {
		from st
		e    ev
		to   st // zero: rejected
	}{
		{a, lastEvent, last}, {last, lastEvent, last}, {last, go1, a}, {last - 1, go1, last},
		{last, skip, 0}, {last, 0, 0}, {last + 1, lastEvent, 0}, {last + 1, 0, 0}, {255, 255, 0},
		{a, lastEvent - 1, 0}, {0, lastEvent, 0},
	} {
		to, err := tb.Next(c.from, c.e)
		if c.to == 0 {
			assert.Equal(t, &rejection{c.from, c.e}, err, "Next(%d, %d)", c.from, c.e)
			assert.Equal(t, c.from, to)
		} else {
			require.NoError(t, err, "Next(%d, %d)", c.from, c.e)
			assert.Equal(t, c.to, to, "Next(%d, %d)", c.from, c.e)
		}
		assert.Equal(t, c.to != 0, tb.Allowed(c.from, c.e), "Allowed(%d, %d)", c.from, c.e)
	}
	assert.Equal(t, []ev{go1, lastEvent}, tb.EventsFrom(last))
	assert.Equal(t, 2, tb.NumEventsFrom(last))
	assert.Nil(t, tb.EventsFrom(last+1))
	assert.True(t, tb.CanTransition(a, last))
	assert.True(t, tb.CanTransition(last, last))
	assert.False(t, tb.CanTransition(last, last-1))
	evt, ok := tb.EventFor(last-1, last)
	assert.True(t, ok)
	assert.Equal(t, go1, evt)
	assert.False(t, tb.Terminal(last))
	assert.True(t, tb.Terminal(last-2))
	assert.Equal(t, []st{a, last}, tb.ReachableFrom(last))
	assert.Equal(t, []st{a, last}, tb.ReachableFrom(last-1))
	assert.True(t, tb.Reachable(last-1, a))
	path, ok := tb.Path(last-1, a)
	require.True(t, ok)
	assert.Equal(t, []Edge[st, ev]{{last - 1, go1, last}, {last, go1, a}}, path)
	assert.Equal(t, "s63", tb.StatusName(last))
	assert.Equal(t, "e255", tb.EventName(lastEvent))
	assert.Equal(t, fsm.Events{
		{Name: "e1", Src: []string{"s63"}, Dst: "s1"},
		{Name: "e1", Src: []string{"s62"}, Dst: "s63"},
		{Name: "e255", Src: []string{"s1", "s63"}, Dst: "s63"},
	}, tb.FSMEvents())
	assert.Contains(t, tb.Mermaid(), "\n    s63 --> s63: e255\n")
}

func TestToyTable(t *testing.T) {
	tb := MustNew(toySpec())
	assert.Equal(t, a, tb.Initial())
	assert.Equal(t, []Edge[st, ev]{{a, go1, b}, {a, skip, c}, {b, go1, c}, {b, stay, b}, {c, go1, d}}, tb.Edges())

	to, err := tb.Next(a, skip)
	assert.Equal(t, c, to)
	require.NoError(t, err)
	to, err = tb.Next(d, go1)
	assert.Equal(t, d, to)
	assert.Equal(t, &rejection{d, go1}, err)
	to, err = tb.Next(0, 9)
	assert.Equal(t, st(0), to)
	assert.Equal(t, &rejection{0, 9}, err)

	assert.True(t, tb.Allowed(b, stay))
	assert.False(t, tb.Allowed(b, skip))
	assert.False(t, tb.Allowed(7, go1))
	assert.Equal(t, []ev{go1, stay}, tb.EventsFrom(b))
	assert.Equal(t, 2, tb.NumEventsFrom(b))
	assert.Nil(t, tb.EventsFrom(0))
	assert.Zero(t, tb.NumEventsFrom(0))

	assert.True(t, tb.CanTransition(b, b))
	assert.False(t, tb.CanTransition(a, d))
	evt, ok := tb.EventFor(a, c)
	assert.True(t, ok)
	assert.Equal(t, skip, evt)
	_, ok = tb.EventFor(a, d)
	assert.False(t, ok)

	assert.True(t, tb.Terminal(d))
	assert.True(t, tb.Terminal(e))
	assert.False(t, tb.Terminal(b))
	assert.False(t, tb.Terminal(0))

	assert.Equal(t, []st{b, c, d}, tb.ReachableFrom(a))
	assert.Equal(t, []st{b, c, d}, tb.ReachableFrom(b), "b reaches itself through its self-loop")
	assert.Nil(t, tb.ReachableFrom(e))
	assert.True(t, tb.Reachable(a, d))
	assert.False(t, tb.Reachable(a, e))
	assert.False(t, tb.Reachable(a, a))

	path, ok := tb.Path(a, d)
	require.True(t, ok)
	assert.Equal(t, []Edge[st, ev]{{a, skip, c}, {c, go1, d}}, path, "the shortcut is shorter")
	path, ok = tb.Path(b, b)
	assert.True(t, ok)
	assert.Empty(t, path)
	_, ok = tb.Path(a, e)
	assert.False(t, ok)
	_, ok = tb.Path(a, 0)
	assert.False(t, ok)

	assert.Equal(t, "s2", tb.StatusName(b))
	assert.Equal(t, "s9", tb.StatusName(9), "invalid values go through the spec's function")
	assert.Equal(t, "e3", tb.EventName(stay))
	assert.Equal(t, "e0", tb.EventName(0))
	assert.True(t, tb.ValidStatus(e))
	assert.False(t, tb.ValidStatus(6))
	assert.True(t, tb.ValidEvent(stay))
	assert.False(t, tb.ValidEvent(4))
}

func TestFSMEvents(t *testing.T) {
	tb := MustNew(toySpec())
	assert.Equal(t, fsm.Events{
		{Name: "e1", Src: []string{"s1"}, Dst: "s2"},
		{Name: "e1", Src: []string{"s2"}, Dst: "s3"},
		{Name: "e1", Src: []string{"s3"}, Dst: "s4"},
		{Name: "e2", Src: []string{"s1"}, Dst: "s3"},
		{Name: "e3", Src: []string{"s2"}, Dst: "s2"},
	}, tb.FSMEvents())
	// The caller's copy cannot change the table.
	evs := tb.FSMEvents()
	evs[0].Src[0], evs[1].Dst = "x", "y"
	assert.Equal(t, "s1", tb.FSMEvents()[0].Src[0])
	assert.Equal(t, "s3", tb.FSMEvents()[1].Dst)
}

func TestMermaid(t *testing.T) {
	assert.Equal(t, `stateDiagram-v2
    [*] --> s1
    s1 --> s2: e1
    s1 --> s3: e2
    s2 --> s3: e1
    s2 --> s2: e3
    s3 --> s4: e1
    s4 --> [*]
    s5 --> [*]
`, MustNew(toySpec()).Mermaid())
}

// TestRandomTables checks every view of random tables against a direct
// reading of their edges: lookups, the derived lists, the looplab events,
// the diagram, and reachability and shortest paths found by search.
func TestRandomTables(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "statuses")
		m := rapid.IntRange(1, 6).Draw(t, "events")
		spec := toySpec()
		spec.Statuses, spec.Events = n, m
		spec.Initial = st(rapid.IntRange(1, n).Draw(t, "initial"))
		spec.Edges = nil
		succ := map[st]map[ev]st{}
		for s := 1; s <= n; s++ {
			succ[st(s)] = map[ev]st{}
			for e := 1; e <= m; e++ {
				if rapid.Bool().Draw(t, "has edge") {
					to := st(rapid.IntRange(1, n).Draw(t, "to"))
					succ[st(s)][ev(e)] = to
					spec.Edges = append(spec.Edges, Edge[st, ev]{st(s), ev(e), to})
				}
			}
		}
		// The table must not depend on the order the edges are listed in.
		spec.Edges = rapid.Permutation(spec.Edges).Draw(t, "edge order")
		tb, err := New(spec)
		require.NoError(t, err)
		require.Equal(t, spec.Initial, tb.Initial())

		// Lookups, over every pair, one past the last status and event
		// and the zero values included.
		var edges []Edge[st, ev]
		mermaid := "stateDiagram-v2\n    [*] --> " + tb.StatusName(spec.Initial) + "\n"
		for s := 0; s <= n+1; s++ {
			var evs []ev
			for e := 0; e <= m+1; e++ {
				to, ok := succ[st(s)][ev(e)]
				got, err := tb.Next(st(s), ev(e))
				if ok {
					require.NoError(t, err)
					require.Equal(t, to, got, "Next(%d, %d)", s, e)
					evs = append(evs, ev(e))
					edges = append(edges, Edge[st, ev]{st(s), ev(e), to})
					mermaid += fmt.Sprintf("    s%d --> s%d: e%d\n", s, to, e)
				} else {
					require.Equal(t, &rejection{st(s), ev(e)}, err, "Next(%d, %d)", s, e)
					require.Equal(t, st(s), got)
				}
				require.Equal(t, ok, tb.Allowed(st(s), ev(e)), "Allowed(%d, %d)", s, e)
			}
			require.Equal(t, evs, tb.EventsFrom(st(s)), "EventsFrom(%d)", s)
			require.Equal(t, len(evs), tb.NumEventsFrom(st(s)), "NumEventsFrom(%d)", s)
			require.Equal(t, s >= 1 && s <= n && len(evs) == 0, tb.Terminal(st(s)), "Terminal(%d)", s)
		}
		require.Equal(t, edges, tb.Edges())
		for s := 1; s <= n; s++ {
			if len(succ[st(s)]) == 0 {
				mermaid += fmt.Sprintf("    s%d --> [*]\n", s)
			}
		}
		require.Equal(t, mermaid, tb.Mermaid())

		var events fsm.Events
		for e := 1; e <= m; e++ {
			for to := 1; to <= n; to++ {
				var src []string
				for from := 1; from <= n; from++ {
					if dst, ok := succ[st(from)][ev(e)]; ok && dst == st(to) {
						src = append(src, fmt.Sprintf("s%d", from))
					}
				}
				if src != nil {
					events = append(events, fsm.EventDesc{Name: fmt.Sprintf("e%d", e), Src: src, Dst: fmt.Sprintf("s%d", to)})
				}
			}
		}
		if events == nil {
			events = fsm.Events{}
		}
		require.Equal(t, events, tb.FSMEvents())

		for s := 0; s <= n+1; s++ {
			// dist: length of a shortest path of one or more steps.
			dist := map[st]int{}
			queue := []st{st(s)}
			depth := map[st]int{st(s): 0}
			for len(queue) > 0 {
				x := queue[0]
				queue = queue[1:]
				for _, y := range succ[x] {
					if _, ok := dist[y]; !ok {
						dist[y] = depth[x] + 1
					}
					if _, ok := depth[y]; !ok {
						depth[y] = depth[x] + 1
						queue = append(queue, y)
					}
				}
			}
			var reachable []st
			for to := 0; to <= n+1; to++ {
				valid := s >= 1 && s <= n && to >= 1 && to <= n
				_, reach := dist[st(to)]
				require.Equal(t, reach, tb.Reachable(st(s), st(to)), "Reachable(%d, %d)", s, to)
				if reach {
					reachable = append(reachable, st(to))
				}

				// One step: the lowest event that leads there.
				var step ev
				for e := 1; e <= m && step == 0; e++ {
					if dst, ok := succ[st(s)][ev(e)]; ok && dst == st(to) {
						step = ev(e)
					}
				}
				require.Equal(t, step != 0, tb.CanTransition(st(s), st(to)), "CanTransition(%d, %d)", s, to)
				got, ok := tb.EventFor(st(s), st(to))
				require.Equal(t, step != 0, ok, "EventFor(%d, %d)", s, to)
				require.Equal(t, step, got, "EventFor(%d, %d)", s, to)

				path, ok := tb.Path(st(s), st(to))
				if s == to && valid {
					require.True(t, ok)
					require.NotNil(t, path)
					require.Empty(t, path)
					continue
				}
				require.Equal(t, reach, ok, "Path(%d, %d)", s, to)
				require.Len(t, path, dist[st(to)])
				cur := st(s)
				for _, step := range path {
					require.Equal(t, cur, step.From)
					require.Equal(t, succ[cur][step.Trigger], step.To)
					cur = step.To
				}
				if ok {
					require.Equal(t, st(to), cur)
				} else {
					require.Nil(t, path)
				}
			}
			require.Equal(t, reachable, tb.ReachableFrom(st(s)), "ReachableFrom(%d)", s)
		}
	})
}

func TestMachineHooks(t *testing.T) {
	tb := MustNew(toySpec())
	_, err := NewMachine(tb, 0, Hooks[st, ev]{})
	require.EqualError(t, err, "initial status s0 is not valid")
	_, err = NewMachine(tb, a, Hooks[st, ev]{Enter: map[st][]Callback[st, ev]{9: {func(context.Context, Edge[st, ev]) {}}}})
	require.EqualError(t, err, "callback on invalid status s9")
	_, err = NewMachine(tb, a, Hooks[st, ev]{After: map[ev][]Callback[st, ev]{9: {func(context.Context, Edge[st, ev]) {}}}})
	require.EqualError(t, err, "callback on invalid event e9")
	_, err = NewMachine(tb, a, Hooks[st, ev]{AfterAny: []Callback[st, ev]{nil}})
	require.EqualError(t, err, "nil callback")

	reent := errors.New("toy: reentrant")
	var inner error
	var mc *Machine[st, ev]
	mc, err = NewMachine(tb, a, Hooks[st, ev]{
		Reentrant: reent,
		Enter: map[st][]Callback[st, ev]{b: {func(ctx context.Context, _ Edge[st, ev]) {
			inner = mc.Fire(ctx, go1)
		}}},
	})
	require.NoError(t, err)
	require.NoError(t, mc.Fire(context.Background(), go1))
	require.ErrorIs(t, inner, reent)
	assert.EqualError(t, inner, "toy: reentrant: e1")
	assert.Equal(t, b, mc.Current())
	assert.True(t, mc.Can(stay))
	assert.Equal(t, []ev{go1, stay}, mc.AvailableEvents())
}
