package junction

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how the client retries a call that may be sent again
// without repeating its effect: a GET, the availability endpoint (a POST
// that changes nothing), and a POST or PATCH carrying an idempotency key
// (create order, by default). It retries after an answer 429 or 5xx, and
// after a transport failure; never after another status, and never a call
// whose context has ended.
//
// The n-th retry waits a random time between half and all of
// min(BaseDelay·2ⁿ⁻¹, MaxDelay) (exponential backoff with jitter), or, when
// the answer has a Retry-After header (seconds, or an HTTP date read
// against the client's clock), exactly that long. The client stops, with
// the last answer's error, after MaxAttempts attempts, or when the next
// wait would end more than MaxElapsed after the first attempt began, or
// after the context's deadline.
type RetryPolicy struct {
	// MaxAttempts is how many times a call is sent at most, the first
	// included; 1 sends it once.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry.
	BaseDelay time.Duration
	// MaxDelay caps the backoff before any one retry (not a Retry-After).
	MaxDelay time.Duration
	// MaxElapsed bounds the time from the first attempt to the end of the
	// last wait.
	MaxElapsed time.Duration
}

// DefaultRetryPolicy is the policy of a [Client] made without
// [WithRetryPolicy]: 4 attempts, backoff from 500 ms to at most 8 s, 30 s
// in all (our decisions, near those of Junction's Python SDK: 500 ms to
// 10 s).
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second,
	MaxElapsed: 30 * time.Second}

// withDefaults returns p with its zero fields taken from
// [DefaultRetryPolicy].
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxElapsed == 0 {
		p.MaxElapsed = d.MaxElapsed
	}
	return p
}

// backoff returns the wait before retry n (from 1), given a jitter in
// [0, 1).
func (p RetryPolicy) backoff(n int, jitter float64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	jitter = max(0, min(jitter, 1))
	return d/2 + time.Duration(float64(d/2)*jitter)
}

// retryable reports whether an answer with this status may be retried.
func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// retryAfter reads a Retry-After header: delay-seconds, or an HTTP date
// read against now. It reports false when the header is absent or cannot
// be read; a date in the past is no wait.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(h, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	return max(0, t.Sub(now)), true
}

// defaultJitter is math/rand/v2's Float64.
func defaultJitter() float64 { return rand.Float64() }

// defaultSleep is the default of [WithSleep].
var defaultSleep = sleep

// sleep waits d, or until ctx ends, returning ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
