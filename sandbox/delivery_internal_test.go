package sandbox

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/webhook"
)

var at0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestDeliveryString(t *testing.T) {
	base := Delivery{MessageID: "msg_o_o2", Type: webhook.OrderUpdated, OrderID: "o", Copy: 1, Attempt: 2,
		At: at0.Add(5 * time.Second), StatusCode: 204, OK: true, Final: true}
	lost := base
	lost.OK, lost.Final, lost.Err = false, false, ErrAnswerLost
	given := base
	given.Attempt, given.StatusCode, given.OK, given.Final, given.Copy = 8, 0, false, true, 2
	given.Err = errors.New("connection refused")
	failing := base
	failing.StatusCode, failing.OK, failing.Final = 500, false, false
	for _, tc := range []struct {
		d    Delivery
		want string
	}{
		{base, "2026-11-23T09:00:05Z msg_o_o2 labtest.order.updated copy 1 attempt 2: 204"},
		{lost, "2026-11-23T09:00:05Z msg_o_o2 labtest.order.updated copy 1 attempt 2: 204 (sandbox: answer lost)"},
		{given, "2026-11-23T09:00:05Z msg_o_o2 labtest.order.updated copy 2 attempt 8: 0 (connection refused), given up"},
		{failing, "2026-11-23T09:00:05Z msg_o_o2 labtest.order.updated copy 1 attempt 2: 500"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// newTestDeliverer returns a deliverer to a handler, with chaos from seed
// when chaos is set.
func newTestDeliverer(t *testing.T, chaos bool, seed uint64) *deliverer {
	t.Helper()
	c := defaultConfig()
	for _, o := range []Option{WithWebhookHandler(http.NotFoundHandler(), testSecret)} {
		if err := o.apply(&c); err != nil {
			t.Fatal(err)
		}
	}
	c.chaos, c.seed = chaos, seed
	return newDeliverer(&c)
}

// TestChaosDraws replays chaos's random source: for each message, one draw
// from 0 to 99 decides a duplicate (below ChaosDuplicatePercent), then one
// draw per copy its delay in whole seconds from 0 to ChaosMaxDelay; for
// each 2xx answer, one draw from 0 to 99 loses it (below
// ChaosLostPercent).
func TestChaosDraws(t *testing.T) {
	const seed = 11
	d := newTestDeliverer(t, true, seed)
	replay := newRand(seed)
	var sawDupEdge, sawLostEdge bool
	for i := range 1000 {
		m := &message{id: "m", typ: webhook.OrderCreated}
		d.enqueue(m, at0)
		draw := replay.IntN(100)
		sawDupEdge = sawDupEdge || draw == ChaosDuplicatePercent || draw == ChaosDuplicatePercent-1
		copies := 1
		if draw < ChaosDuplicatePercent {
			copies = 2
		}
		dues := make([]time.Time, copies+1)
		for c := 1; c <= copies; c++ {
			dues[c] = at0.Add(time.Duration(replay.Int64N(601)) * time.Second)
		}
		retries, losses := 0, 0
		for seen := 0; seen < copies; {
			a, ok := d.popDue(at0.Add(ChaosMaxDelay + time.Minute))
			if ok && a.n == 2 { // the retry of a lost answer
				retries++
				continue
			}
			seen++
			if !ok || !a.due.Equal(dues[a.copy]) || a.n != 1 || a.copy > copies {
				t.Fatalf("message %d: attempt %+v, %v; want dues %v", i, a, ok, dues)
			}
			n := len(d.log)
			d.record(a, result{status: http.StatusNoContent})
			lostDraw := replay.IntN(100)
			sawLostEdge = sawLostEdge || lostDraw == ChaosLostPercent || lostDraw == ChaosLostPercent-1
			lost := lostDraw < ChaosLostPercent
			if lost {
				losses++
			}
			if got := d.log[n]; got.OK == lost || (got.Err == ErrAnswerLost) != lost {
				t.Fatalf("message %d copy %d: logged %+v, want lost %v", i, a.copy, got, lost)
			}
		}
		for len(d.q) > 0 {
			if a, _ := d.popDue(at0.Add(time.Hour)); a.n == 2 {
				retries++
			}
		}
		if retries != losses {
			t.Fatalf("message %d: %d retries for %d lost answers", i, retries, losses)
		}
		if len(d.q) != 0 {
			t.Fatalf("message %d: %d attempts left", i, len(d.q))
		}
	}
	if !sawDupEdge || !sawLostEdge {
		t.Fatal("the draws never met the thresholds' edges")
	}
}

// TestAnswers checks which answers count as delivered: 2xx only.
func TestAnswers(t *testing.T) {
	for _, tc := range []struct {
		r    result
		ok   bool
		name string
	}{
		{result{status: 200}, true, "200"},
		{result{status: 299}, true, "299"},
		{result{status: 199}, false, "199"},
		{result{status: 300}, false, "300"},
		{result{status: 500, err: errors.New("panicked")}, false, "panic"},
		{result{err: errors.New("refused")}, false, "no answer"},
	} {
		d := newTestDeliverer(t, false, 0)
		d.enqueue(&message{id: "m"}, at0)
		a, _ := d.popDue(at0)
		d.record(a, tc.r)
		if got := d.log[0]; got.OK != tc.ok || got.Final != tc.ok || (len(d.q) == 0) != tc.ok {
			t.Errorf("%s: logged %+v with %d attempts to come", tc.name, got, len(d.q))
		}
	}
}

// TestQueueOrder checks that attempts come out by due time, then in the
// order they were scheduled.
func TestQueueOrder(t *testing.T) {
	d := newTestDeliverer(t, false, 0)
	ms := []*message{{id: "a"}, {id: "b"}, {id: "c"}, {id: "d"}}
	d.push(&attempt{due: at0.Add(time.Second), msg: ms[0]})
	d.push(&attempt{due: at0, msg: ms[1]})
	d.push(&attempt{due: at0.Add(time.Second), msg: ms[2]})
	d.push(&attempt{due: at0, msg: ms[3]})
	var got string
	for a, ok := d.popDue(at0.Add(time.Hour)); ok; a, ok = d.popDue(at0.Add(time.Hour)) {
		got += a.msg.id
	}
	if got != "bdac" {
		t.Fatalf("order %q, want bdac", got)
	}
	if _, ok := d.next(); ok {
		t.Fatal("next on an empty queue")
	}
}
