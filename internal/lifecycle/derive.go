package lifecycle

import (
	"slices"
	"strings"

	"github.com/looplab/fsm"
)

// FSMEvents returns the table as looplab/fsm events: one [fsm.EventDesc] per
// (event, destination) pair, listing its source statuses. Events come in
// numeric order, destinations in numeric order within an event, sources in
// numeric order within a description. The result is the caller's.
func (t *Table[S, E]) FSMEvents() fsm.Events {
	out := make(fsm.Events, len(t.fsmEvents))
	for i, d := range t.fsmEvents {
		d.Src = slices.Clone(d.Src)
		out[i] = d
	}
	return out
}

// buildFSMEvents builds what [Table.FSMEvents] returns, once per table.
func (t *Table[S, E]) buildFSMEvents() fsm.Events {
	var out fsm.Events
	for e := 1; e <= t.nE; e++ {
		for to := 1; to <= t.nS; to++ {
			var src []string
			for from := 1; from <= t.nS; from++ {
				if t.cells[t.index(S(from), E(e))].to == S(to) {
					src = append(src, t.statusName[from])
				}
			}
			if src != nil {
				out = append(out, fsm.EventDesc{Name: t.eventName[e], Src: src, Dst: t.statusName[to]})
			}
		}
	}
	return out
}

// Mermaid draws the table as a Mermaid stateDiagram-v2: an arrow from the
// start marker to the initial status, one arrow per edge in [Table.Edges]
// order labelled with its event, and an arrow to the end marker from every
// terminal status. The output is deterministic and ends with a newline.
func (t *Table[S, E]) Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	b.WriteString("    [*] --> " + t.statusName[t.initial] + "\n")
	for _, e := range t.edges {
		b.WriteString("    " + t.statusName[e.From] + " --> " + t.statusName[e.To] + ": " + t.eventName[e.Trigger] + "\n")
	}
	for s := 1; s <= t.nS; s++ {
		if t.out[s] == 0 {
			b.WriteString("    " + t.statusName[s] + " --> [*]\n")
		}
	}
	return b.String()
}
