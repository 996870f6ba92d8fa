package sandbox

import (
	"container/heap"
	"testing"
	"time"
)

// TestTimerOrder pins the order in which timers fire: earliest first, then
// by kind, then by the orders' creation.
func TestTimerOrder(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	first, second := &entry{seq: 1}, &entry{seq: 2}
	for _, tc := range []struct {
		name string
		a, b timerItem // a fires before b
	}{
		{"earlier first", timerItem{at: t0, kind: simulationTimer, e: second}, timerItem{at: t0.Add(time.Nanosecond), kind: autoCancelTimer, e: first}},
		{"then by kind", timerItem{at: t0, kind: autoCancelTimer, e: second}, timerItem{at: t0, kind: providerRescheduleTimer, e: first}},
		{"then by creation", timerItem{at: t0, kind: asyncConfirmTimer, e: first}, timerItem{at: t0, kind: asyncConfirmTimer, e: second}},
	} {
		h := timerHeap{tc.a, tc.b}
		if !h.Less(0, 1) || h.Less(1, 0) {
			t.Errorf("%s: Less(a, b) = %v, Less(b, a) = %v; want true, false", tc.name, h.Less(0, 1), h.Less(1, 0))
		}
		h = timerHeap{tc.b, tc.a}
		heap.Init(&h)
		if got := heap.Pop(&h).(timerItem); got != tc.a {
			t.Errorf("%s: popped %+v first, want %+v", tc.name, got, tc.a)
		}
	}
	same := timerHeap{{at: t0, kind: autoCancelTimer, e: first}, {at: t0, kind: autoCancelTimer, e: first}}
	if same.Less(0, 1) || same.Less(1, 0) {
		t.Error("a timer is ordered before an equal one")
	}
}
