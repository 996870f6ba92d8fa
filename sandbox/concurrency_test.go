package sandbox_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/sandbox"
	"github.com/phlebkit/phlebkit/scheduling"
)

// TestConcurrentOrders walks many orders through their lifecycle at once,
// over HTTP and the controls, while another goroutine advances the clock
// and a chaotic delivery calls the receiver: run with -race.
func TestConcurrentOrders(t *testing.T) {
	const n = 16
	c := newConsumer(t, sandbox.WithChaos(1))
	ids := make([]string, n)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var clock sync.WaitGroup
	clock.Add(1)
	go func() {
		defer clock.Done()
		for {
			select {
			case <-stop:
				return
			default:
				c.srv.Advance(time.Second)
				_ = c.srv.Deliveries()
				_ = c.srv.Pending()
				time.Sleep(50 * time.Microsecond) // let the requests in
			}
		}
	}()
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			o := c.placeOrder(phoenix, map[string]any{"user_id": user})
			ids[i] = o.ID
			if err := c.srv.Apply(o.ID, scheduling.Flow.CreateRequisition); err != nil {
				errs <- err
				return
			}
			c.book(o.ID, thursday15, nil)
			c.must(http.MethodGet, "/v3/order/"+o.ID+"/phlebotomy/appointment", nil)
			for _, step := range []command{scheduling.Flow.StartVisit, scheduling.Flow.CompleteDraw, scheduling.Flow.CompleteResults} {
				if err := c.srv.Apply(o.ID, step); err != nil {
					errs <- err
					return
				}
			}
			if _, err := c.srv.Order(o.ID); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(stop)
	clock.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c.srv.Advance(2 * 24 * time.Hour)
	for _, id := range ids {
		if got := c.getOrder(id).Status(); got != order.Completed {
			t.Errorf("order %s = %v", id, got)
		}
		if got := c.tracked(id).Status(); got != order.Completed {
			t.Errorf("tracked order %s = %v", id, got)
		}
	}
}
