package junction

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/phlebkit/phlebkit/internal/uuid"
)

// Junction's API hosts (DOMAIN: "Calling the API"). API keys belong to one
// region and one environment: a key for the US production API (sk_us_…)
// is refused by the others.
const (
	// ProductionUS is Junction's production API in the US region, the
	// default.
	ProductionUS = "https://api.us.junction.com"
	// ProductionEU is Junction's production API in the EU region.
	ProductionEU = "https://api.eu.junction.com"
	// SandboxUS is Junction's own sandbox in the US region.
	SandboxUS = "https://api.sandbox.us.junction.com"
	// SandboxEU is Junction's own sandbox in the EU region.
	SandboxEU = "https://api.sandbox.eu.junction.com"
)

// UserAgent is the product token the client sends in its User-Agent
// header, after the caller's own ([WithUserAgent]).
const UserAgent = "phlebkit-junction/1"

// DefaultMaxResponseBytes is the largest answer body the client reads
// unless told otherwise ([WithMaxResponseBytes]): 4 MiB.
const DefaultMaxResponseBytes = 4 << 20

// Client calls Junction's at-home phlebotomy API. It is safe for use by
// several goroutines at once, and holds no state between calls: build one
// with [New] and share it.
//
// Every call sends the API key in the x-vital-api-key header, never
// anywhere else; no error, and no text the client writes, holds the key
// or a request's body.
type Client struct {
	key     string
	base    string // without a final slash
	hc      *http.Client
	agent   string
	retry   RetryPolicy
	jitter  func() float64
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	newKey  func() string
	checks  bool
	lead    bool
	maxBody int64
}

// Option configures a [Client]; pass options to [New].
type Option func(*Client) error

// New returns a client that calls Junction's API with apiKey, configured
// by opts. By default it calls [ProductionUS] through
// http.DefaultClient, retries as [DefaultRetryPolicy] says, makes an
// idempotency key for each create-order call, and runs its local checks
// before booking, requesting and rescheduling. An empty API key, or an
// option it cannot use, is an error wrapping [ErrConfig].
func New(apiKey string, opts ...Option) (*Client, error) {
	if apiKey == "" {
		return nil, &configError{option: "api key", problem: "empty"}
	}
	if strings.ContainsAny(apiKey, "\r\n") {
		return nil, &configError{option: "api key", problem: "holds a line break"}
	}
	c := &Client{
		key: apiKey, base: ProductionUS, hc: http.DefaultClient, agent: UserAgent,
		retry: DefaultRetryPolicy, jitter: defaultJitter, now: time.Now, sleep: sleep,
		newKey: newUUID, checks: true, maxBody: DefaultMaxResponseBytes,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// WithBaseURL makes the client call the API at base: one of
// [ProductionUS], [ProductionEU], [SandboxUS], [SandboxEU], or any
// absolute http or https URL, such as a local sandbox's. A path in base
// prefixes every endpoint's.
func WithBaseURL(base string) Option {
	return func(c *Client) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" ||
			u.Fragment != "" || u.User != nil {
			return &configError{option: "base URL", problem: "want an absolute http or https URL without query, fragment or user"}
		}
		c.base = strings.TrimSuffix(u.String(), "/")
		return nil
	}
}

// WithHTTPClient makes the client send its requests through hc, for its
// transport, timeouts, proxies or instrumentation. A nil hc is
// http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			hc = http.DefaultClient
		}
		c.hc = hc
		return nil
	}
}

// WithUserAgent names the caller's product in the User-Agent header,
// before [UserAgent]: "booking/2.1 phlebkit-junction/1".
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		if strings.ContainsAny(product, "\r\n") {
			return &configError{option: "user agent", problem: "holds a line break"}
		}
		c.agent = UserAgent
		if product = strings.TrimSpace(product); product != "" {
			c.agent = product + " " + UserAgent
		}
		return nil
	}
}

// WithRetryPolicy replaces [DefaultRetryPolicy]. A field that is zero
// takes the default's value; MaxAttempts 1 turns retries off. A negative
// field makes [New] fail with an error wrapping [ErrConfig].
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxElapsed < 0 {
			return &configError{option: "retry policy", problem: "negative"}
		}
		c.retry = p.withDefaults()
		return nil
	}
}

// WithJitter replaces the source of the retries' jitter, which by default
// is math/rand/v2's: jitter returns a number in [0, 1), and a wait is
// between half and all of the backoff delay (see [RetryPolicy]). Values
// outside [0, 1) are clamped. Tests pass a fixed function.
func WithJitter(jitter func() float64) Option {
	return func(c *Client) error {
		if jitter == nil {
			jitter = defaultJitter
		}
		c.jitter = jitter
		return nil
	}
}

// WithClock replaces the client's clock, which by default is time.Now:
// it dates the local checks (the rules' now), bounds the retries' total
// time, and reads a Retry-After given as a date. Point it at a sandbox's
// virtual clock in tests.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			now = time.Now
		}
		c.now = now
		return nil
	}
}

// WithSleep replaces how the client waits between attempts, which by
// default is a timer that the context's end cuts short. sleep returns
// the context's error when it ends first. Tests pass a function that
// records the wait and returns at once.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) error {
		if sleep == nil {
			sleep = defaultSleep
		}
		c.sleep = sleep
		return nil
	}
}

// WithIdempotencyKeys replaces how the client makes the idempotency key of
// a create-order call, which by default is a random UUID (version 4)
// from crypto/rand.
func WithIdempotencyKeys(newKey func() string) Option {
	return func(c *Client) error {
		if newKey == nil {
			newKey = newUUID
		}
		c.newKey = newKey
		return nil
	}
}

// WithoutLocalChecks turns the local checks off: Book, Request and
// Reschedule send every request to Junction as it is, and Junction's
// answer is the only judge.
func WithoutLocalChecks() Option {
	return func(c *Client) error {
		c.checks = false
		return nil
	}
}

// WithLeadTime makes the provider's recommended lead time a local rule
// (Getlabs: book 48 hours ahead; scheduling.Booking.EnforceLead): a
// booking or reschedule whose slot starts sooner is refused without
// calling Junction, which would accept it.
func WithLeadTime() Option {
	return func(c *Client) error {
		c.lead = true
		return nil
	}
}

// WithMaxResponseBytes bounds the answer bodies the client reads; a
// larger one is a *[DecodeError] wrapping [ErrMalformed]. It must be
// positive.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return &configError{option: "max response bytes", problem: "not positive"}
		}
		c.maxBody = n
		return nil
	}
}

// configError reports an option [New] cannot use. It unwraps to
// [ErrConfig].
type configError struct {
	option  string // such as "base URL"
	problem string // what is wrong with it
}

func (e *configError) Error() string {
	return ErrConfig.Error() + ": " + e.option + ": " + e.problem
}

func (e *configError) Unwrap() error { return ErrConfig }

// newUUID returns a random UUID, version 4.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return uuid.V4(b)
}
