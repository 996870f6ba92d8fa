package sandbox

import (
	"net/http"
	"net/url"
	"time"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/webhook"
)

// Defaults of a [Server].
const (
	// DefaultBookingKeyTTL is how long a booking key from the availability
	// endpoint stays valid (our decision: Junction does not publish its
	// figure, and its slots carry expires_at).
	DefaultBookingKeyTTL = 15 * time.Minute
	// DefaultAsyncConfirmDelay is how long after an asynchronous booking
	// (async_confirmation) the provider confirms it (our decision).
	DefaultAsyncConfirmDelay = time.Minute
	// DefaultTeamID is the team_id of orders and webhooks.
	DefaultTeamID = "6353bcab-3526-4838-8c92-063fa760fb6b"
	// DefaultRetainedOrders is how many finished orders a server keeps
	// (our decision): see [WithRetention].
	DefaultRetainedOrders = 1000
	// DefaultRetainedDeliveries is how many entries of the delivery log a
	// server keeps (our decision): see [WithRetention].
	DefaultRetainedDeliveries = 10_000
)

// Option configures a [Server] made by [New] or [NewServer].
type Option struct {
	apply func(*config) error
}

// config is what the options set.
type config struct {
	start          time.Time
	areas          []Area
	areasSet       bool
	labTests       []order.LabTest
	labTestsSet    bool
	hookURL        string
	hookHandler    http.Handler
	verifier       *webhook.Verifier
	client         *http.Client
	chaos          bool
	seed           uint64
	keyTTL         time.Duration
	asyncDelay     time.Duration
	teamID         string
	preReq         bool
	partialHooks   bool
	apiKeys        map[string]bool // nil: any key that is not empty
	keepOrders     int
	keepDeliveries int
}

func defaultConfig() config {
	return config{keyTTL: DefaultBookingKeyTTL, asyncDelay: DefaultAsyncConfirmDelay, teamID: DefaultTeamID,
		keepOrders: DefaultRetainedOrders, keepDeliveries: DefaultRetainedDeliveries}
}

// WithAPIKeys sets the API keys the server accepts in the x-vital-api-key
// header; a request with another key, or none, is answered 401. Without
// it, any key that is not empty is accepted. Each key must be non-empty;
// at least one is needed.
func WithAPIKeys(keys ...string) Option {
	keys = append([]string(nil), keys...)
	return Option{func(c *config) error {
		if len(keys) == 0 {
			return &Error{Op: "WithAPIKeys", Problem: "no key", Err: ErrOption}
		}
		set := map[string]bool{}
		for _, k := range keys {
			if k == "" {
				return &Error{Op: "WithAPIKeys", Problem: "empty key", Err: ErrOption}
			}
			set[k] = true
		}
		c.apiKeys = set
		return nil
	}}
}

// WithRetention bounds what the server remembers (defaults
// [DefaultRetainedOrders] and [DefaultRetainedDeliveries]): at most
// orders finished orders (cancelled, failed, or with final results), the
// oldest to finish forgotten first, as if they did not exist; and the
// latest deliveries entries of the delivery log. Neither may be negative.
// [Server.Reset] forgets everything at once.
func WithRetention(orders, deliveries int) Option {
	return Option{func(c *config) error {
		if orders < 0 || deliveries < 0 {
			return &Error{Op: "WithRetention", Problem: "negative", Err: ErrOption}
		}
		c.keepOrders, c.keepDeliveries = orders, deliveries
		return nil
	}}
}

// WithStart sets the virtual clock's first instant. Without it the clock
// starts at the wall clock's current second, read once by [New]: the
// package's one use of time.Now.
func WithStart(t time.Time) Option {
	return Option{func(c *config) error {
		if t.IsZero() {
			return &Error{Op: "WithStart", Problem: "zero time", Err: ErrOption}
		}
		c.start = t.UTC().Round(0)
		return nil
	}}
}

// WithAreas sets the zip codes the server serves, replacing
// [DefaultAreas]. Each area needs a five-digit zip code, known providers
// and an IANA time zone; a zip code may appear once.
func WithAreas(areas ...Area) Option {
	areas = append([]Area(nil), areas...)
	return Option{func(c *config) error {
		seen := map[string]bool{}
		for i := range areas {
			a := &areas[i]
			if err := a.check(); err != nil {
				return err
			}
			if seen[a.ZipCode] {
				return &Error{Op: "WithAreas", Problem: "zip code " + a.ZipCode + " given twice", Err: ErrOption}
			}
			seen[a.ZipCode] = true
			a.Providers = append([]provider.Provider(nil), a.Providers...)
		}
		c.areas, c.areasSet = areas, true
		return nil
	}}
}

// WithLabTests sets the lab tests orders may name (lab_test_id), replacing
// [DefaultLabTests]. Each needs an id, given once.
func WithLabTests(tests ...order.LabTest) Option {
	tests = append([]order.LabTest(nil), tests...)
	return Option{func(c *config) error {
		seen := map[string]bool{}
		for _, t := range tests {
			if t.ID == "" || seen[t.ID] {
				return &Error{Op: "WithLabTests", Problem: "a lab test without an id, or with one given twice", Err: ErrOption}
			}
			seen[t.ID] = true
		}
		c.labTests, c.labTestsSet = tests, true
		return nil
	}}
}

// WithWebhookURL makes the server deliver webhooks to url with HTTP POST,
// signed with secret (an endpoint secret as Junction's dashboard shows it:
// "whsec_" and base64). The last of WithWebhookURL and
// [WithWebhookHandler] wins.
func WithWebhookURL(rawURL, secret string) Option {
	return Option{func(c *config) error {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{Op: "WithWebhookURL", Problem: "not an http or https URL", Err: ErrOption, Cause: err}
		}
		v, err := webhook.NewVerifier(secret)
		if err != nil {
			return &Error{Op: "WithWebhookURL", Problem: "bad secret", Err: ErrOption, Cause: err}
		}
		c.hookURL, c.hookHandler, c.verifier = u.String(), nil, v
		return nil
	}}
}

// WithWebhookHandler makes the server deliver webhooks to h in process, as
// HTTP POST requests built in memory and signed with secret: the same
// deliveries as [WithWebhookURL], without a network. The last of
// WithWebhookHandler and WithWebhookURL wins.
func WithWebhookHandler(h http.Handler, secret string) Option {
	return Option{func(c *config) error {
		if h == nil {
			return &Error{Op: "WithWebhookHandler", Problem: "nil handler", Err: ErrOption}
		}
		v, err := webhook.NewVerifier(secret)
		if err != nil {
			return &Error{Op: "WithWebhookHandler", Problem: "bad secret", Err: ErrOption, Cause: err}
		}
		c.hookURL, c.hookHandler, c.verifier = "", h, v
		return nil
	}}
}

// WithHTTPClient sets the client that delivers to a [WithWebhookURL]
// endpoint. Without it a client with a 15-second timeout is used, the time
// Junction gives an endpoint to answer.
func WithHTTPClient(client *http.Client) Option {
	return Option{func(c *config) error {
		if client == nil {
			return &Error{Op: "WithHTTPClient", Problem: "nil client", Err: ErrOption}
		}
		c.client = client
		return nil
	}}
}

// WithChaos makes deliveries unreliable the way Junction's are, driven by
// a random source seeded with seed: the same seed and the same calls give
// the same deliveries. See [Server] for what chaos does.
func WithChaos(seed uint64) Option {
	return Option{func(c *config) error {
		c.chaos, c.seed = true, seed
		return nil
	}}
}

// WithBookingKeyTTL sets how long booking keys stay valid (default
// [DefaultBookingKeyTTL]); it must be positive.
func WithBookingKeyTTL(d time.Duration) Option {
	return Option{func(c *config) error {
		if d <= 0 {
			return &Error{Op: "WithBookingKeyTTL", Problem: "not positive", Err: ErrOption}
		}
		c.keyTTL = d
		return nil
	}}
}

// WithAsyncConfirmDelay sets how long after an asynchronous booking the
// provider confirms it (default [DefaultAsyncConfirmDelay]). When the delay
// is not shorter than the booking's async_confirmation_timeout_millisecond,
// the provider never confirms in time and the appointment is cancelled at
// the timeout instead. A negative delay means the provider never confirms.
func WithAsyncConfirmDelay(d time.Duration) Option {
	return Option{func(c *config) error {
		c.asyncDelay = d
		return nil
	}}
}

// WithTeamID sets the team_id of orders and webhooks (default
// [DefaultTeamID]).
func WithTeamID(id string) Option {
	return Option{func(c *config) error {
		if id == "" {
			return &Error{Op: "WithTeamID", Problem: "empty", Err: ErrOption}
		}
		c.teamID = id
		return nil
	}}
}

// WithPreRequisitionScheduling turns on the team feature that lets
// appointments be booked or requested before the order's requisition
// exists (a closed beta at Junction); such appointments are subject to
// auto-cancellation and to Getlabs' own reschedule.
func WithPreRequisitionScheduling() Option {
	return Option{func(c *config) error {
		c.preReq = true
		return nil
	}}
}

// WithPartialResultsWebhooks makes partial results send a
// labtest.order.updated webhook, which Junction sends only to teams that
// ask for it.
func WithPartialResultsWebhooks() Option {
	return Option{func(c *config) error {
		c.partialHooks = true
		return nil
	}}
}

// Area is a zip code the server serves: the providers that serve it, its
// time zone and where it is.
type Area struct {
	// ZipCode is the five-digit zip code.
	ZipCode string
	// Providers serve the zip code, each with the tier it offers
	// (provider.Provider.Offers): Getlabs books, PhlebFinders takes
	// requests.
	Providers []provider.Provider
	// TimeZone is the area's IANA time zone, such as "America/Phoenix":
	// the iana_timezone of its appointments, and the zone whose days the
	// availability slots follow.
	TimeZone string
	// Location is where the area is, echoed in appointments.
	Location appointment.Location

	zone *time.Location
}

// DefaultAreas returns the areas Junction's sandbox serves: 85004
// (Phoenix, Getlabs) and 54650 (Onalaska, PhlebFinders). The coordinates of
// 85004 are those of Junction's appointment examples; those of 54650 are
// the town's (our choice).
func DefaultAreas() []Area {
	return []Area{
		{ZipCode: "85004", Providers: []provider.Provider{provider.Getlabs}, TimeZone: "America/Phoenix",
			Location: appointment.Location{Lng: -112.0772235, Lat: 33.4421912}},
		{ZipCode: "54650", Providers: []provider.Provider{provider.Phlebfinders}, TimeZone: "America/Chicago",
			Location: appointment.Location{Lng: -91.2351, Lat: 43.8841}},
	}
}

// check validates a and loads its zone.
func (a *Area) check() error {
	if err := (provider.AreaQuery{ZipCode: a.ZipCode}).Validate(); err != nil {
		return &Error{Op: "WithAreas", Problem: "zip code", Err: ErrOption, Cause: err}
	}
	for _, p := range a.Providers {
		if !p.IsValid() {
			return &Error{Op: "WithAreas", Problem: "zip code " + a.ZipCode + ": invalid provider " + p.String(), Err: ErrOption}
		}
	}
	if a.TimeZone == "" || a.TimeZone == "Local" {
		return &Error{Op: "WithAreas", Problem: "zip code " + a.ZipCode + ": no IANA time zone", Err: ErrOption}
	}
	zone, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return &Error{Op: "WithAreas", Problem: "zip code " + a.ZipCode + ": time zone", Err: ErrOption, Cause: err}
	}
	a.zone = zone
	return nil
}

// info returns the area-info response for a.
func (a *Area) info() provider.AreaInfo {
	info := provider.AreaInfo{ZipCode: a.ZipCode}
	for _, p := range a.Providers {
		l := provider.Listing{Name: p.String()}
		for _, t := range tierOf(p) {
			l.Tiers = append(l.Tiers, t.String())
		}
		info.Phlebotomy.Providers = append(info.Phlebotomy.Providers, l)
	}
	info.Phlebotomy.IsServed = len(info.Phlebotomy.Providers) > 0
	return info
}

// Lab test ids of [DefaultLabTests].
const (
	// LabTestAtHomePhlebotomy is the at-home phlebotomy lab test.
	LabTestAtHomePhlebotomy = "d0b479ec-afcc-4763-985c-4e23f17149f5"
	// LabTestWalkIn is a walk-in test, which this server refuses to order.
	LabTestWalkIn = "4f4b4c8e-5a1d-4e55-9b63-2b0a6c7d1e01"
	// LabTestTestkit is a test kit, which this server refuses to order.
	LabTestTestkit = "4f4b4c8e-5a1d-4e55-9b63-2b0a6c7d1e02"
	// LabTestOnSite is an on-site collection, which this server refuses to
	// order.
	LabTestOnSite = "4f4b4c8e-5a1d-4e55-9b63-2b0a6c7d1e03"
)

// DefaultLabTests returns the lab tests a server knows without
// [WithLabTests]: one per collection method, as every team of Junction's
// sandbox has. Only the at-home phlebotomy one can be ordered here.
func DefaultLabTests() []order.LabTest {
	return []order.LabTest{
		{ID: LabTestAtHomePhlebotomy, Slug: "sandbox-testosterone", Name: "Testosterone", SampleType: "serum",
			Method: order.ModalityAtHomePhlebotomy, Price: 49, IsActive: true, Status: "active"},
		{ID: LabTestWalkIn, Slug: "sandbox-lipid-panel", Name: "Lipid Panel", SampleType: "serum",
			Method: order.ModalityWalkInTest, Price: 29, IsActive: true, Status: "active"},
		{ID: LabTestTestkit, Slug: "sandbox-hba1c", Name: "HbA1c", SampleType: "dried blood spot",
			Method: order.ModalityTestkit, Price: 39, IsActive: true, Status: "active"},
		{ID: LabTestOnSite, Slug: "sandbox-cbc", Name: "Complete Blood Count", SampleType: "whole blood",
			Method: order.ModalityOnSiteCollection, Price: 35, IsActive: true, Status: "active"},
	}
}
