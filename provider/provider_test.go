package provider_test

import (
	"errors"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// parseCases is shared by TestParse and FuzzParse's seed corpus.
var parseCases = []struct {
	name      string
	in        string
	want      provider.Provider // zero when Parse must fail
	notAtHome bool              // the failure is ErrNotAtHome, not ErrUnknownProvider
}{
	{name: "getlabs", in: "getlabs", want: provider.Getlabs},
	{name: "phlebfinders", in: "phlebfinders", want: provider.Phlebfinders},
	{name: "quest", in: "quest", notAtHome: true},
	{name: "sonora_quest", in: "sonora_quest", notAtHome: true},
	{name: "axlehealth", in: "axlehealth", notAtHome: true},
	{name: "empty", in: ""},
	{name: "garbage", in: "foo"},
	{name: "display name", in: "Getlabs"},
	{name: "display name with beta", in: "Phlebfinders (Beta)"},
	{name: "upper case", in: "GETLABS"},
	{name: "trailing space", in: "getlabs "},
	{name: "quest upper case", in: "Quest"},
	{name: "labcorp", in: "labcorp"},
	{name: "tier name", in: "appointment-ready"},
	{name: "go syntax of invalid", in: "provider.Provider(0)"},
	{name: "invalid utf-8", in: "get\xfflabs"},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := provider.Parse(tc.in)
			switch {
			case tc.want != 0:
				require.NoError(t, err, "Parse(%q)", tc.in)
				assert.Equal(t, tc.want, got, "Parse(%q) = %v, want %v", tc.in, got, tc.want)
			case tc.notAtHome:
				require.ErrorIs(t, err, provider.ErrNotAtHome, "Parse(%q)", tc.in)
				assert.NotErrorIs(t, err, provider.ErrUnknownProvider)
				var pe *provider.Error
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tc.in, pe.Value)
				assert.NotEmpty(t, pe.Reason)
				assert.Equal(t, provider.Provider(0), got)
			default:
				require.ErrorIs(t, err, provider.ErrUnknownProvider, "Parse(%q)", tc.in)
				assert.NotErrorIs(t, err, provider.ErrNotAtHome)
				var pe *provider.Error
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tc.in, pe.Value)
				assert.Empty(t, pe.Reason)
				assert.Equal(t, provider.Provider(0), got)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, unknown := provider.Parse("foo")
	_, quest := provider.Parse("quest")
	_, axle := provider.Parse("axlehealth")
	_, invalid := provider.Provider(7).MarshalText()
	_, nullErr := provider.ParseAreaInfo([]byte(`null`))
	radiusErr := provider.AreaQuery{ZipCode: "85004", Radius: 30}.Validate()
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"unknown", unknown, `provider: unknown provider "foo"`},
		{"quest", quest, `provider: "quest" cannot take an at-home booking: patient service centre network: the patient walks in`},
		{"axlehealth", axle, `provider: "axlehealth" cannot take an at-home booking: retired`},
		{"invalid", invalid, `provider: invalid provider provider.Provider(7)`},
		{
			"tier unavailable",
			&provider.Error{Value: "85004", Reason: "no provider for appointment-request", Err: provider.ErrTierUnavailable},
			`provider: zip 85004 has no provider for appointment-request`,
		},
		{
			"named provider unavailable",
			&provider.Error{Value: "85004", Reason: "no getlabs for appointment-request", Err: provider.ErrTierUnavailable},
			`provider: zip 85004 has no getlabs for appointment-request`,
		},
		{
			"not served",
			&provider.Error{Value: "99999", Reason: "no provider for appointment-ready", Err: provider.ErrNotServed},
			`provider: zip 99999 is not served: no provider for appointment-ready`,
		},
		{
			"odd zip is quoted",
			&provider.Error{Value: "", Reason: "no provider for appointment-ready", Err: provider.ErrNotServed},
			`provider: zip "" is not served: no provider for appointment-ready`,
		},
		{
			"query zip",
			&provider.Error{Value: "8500", Reason: "want exactly five ASCII digits", Err: provider.ErrInvalidZipCode},
			`provider: invalid zip_code "8500": want exactly five ASCII digits`,
		},
		{"query radius", radiusErr, `provider: invalid radius "30": want 10, 20, 25, 50 or 100 miles`},
		{"no sentinel", &provider.Error{Value: "x"}, `provider: "x"`},
		{"no sentinel, a reason", &provider.Error{Value: "x", Reason: "why"}, `provider: "x": why`},
		{"another sentinel", &provider.Error{Value: "x", Err: provider.ErrMalformed}, `provider: malformed area info "x"`},
		{"malformed without cause", &provider.DecodeError{}, `provider: malformed area info`},
		{"malformed with cause", &provider.DecodeError{Err: errors.New("document is null")}, `provider: malformed area info: document is null`},
		{"malformed at a path", &provider.DecodeError{Path: "/zip_code", Err: errors.New("bad")}, `provider: malformed area info at /zip_code: bad`},
		{"null document", nullErr, `provider: malformed area info: document is null`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
}

func TestString(t *testing.T) {
	cases := []struct {
		name string
		in   provider.Provider
		want string
	}{
		{"getlabs", provider.Getlabs, "getlabs"},
		{"phlebfinders", provider.Phlebfinders, "phlebfinders"},
		{"zero", 0, "provider.Provider(0)"},
		{"just past the end", 3, "provider.Provider(3)"},
		{"max", 255, "provider.Provider(255)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.String())
			assert.Equal(t, tc.in == provider.Getlabs || tc.in == provider.Phlebfinders, tc.in.IsValid())
		})
	}
}

func TestAll(t *testing.T) {
	all := provider.All()
	assert.Equal(t, []provider.Provider{provider.Getlabs, provider.Phlebfinders}, all)
	all[0] = 0
	assert.Equal(t, provider.Getlabs, provider.All()[0], "All must return a new slice on each call")
}

// booking is a JSON document that carries a provider.
type booking struct {
	Provider provider.Provider `json:"provider"`
}

func TestTextRoundTrip(t *testing.T) {
	for _, p := range provider.All() {
		t.Run(p.String(), func(t *testing.T) {
			text, err := p.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, p.String(), string(text))

			var back provider.Provider
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, p, back)

			data, err := json.Marshal(booking{Provider: p})
			require.NoError(t, err)
			assert.JSONEq(t, `{"provider":"`+p.String()+`"}`, string(data))
			var b booking
			require.NoError(t, json.Unmarshal(data, &b))
			assert.Equal(t, p, b.Provider)
		})
	}
}

func TestMarshalTextInvalid(t *testing.T) {
	for _, p := range []provider.Provider{0, 3, 255} {
		t.Run(p.String(), func(t *testing.T) {
			text, err := p.MarshalText()
			assert.Nil(t, text)
			require.ErrorIs(t, err, provider.ErrInvalidProvider)
			var pe *provider.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, p.String(), pe.Value)

			_, err = json.Marshal(booking{Provider: p})
			assert.ErrorIs(t, err, provider.ErrInvalidProvider)
		})
	}
}

func TestUnmarshalTextFailureLeavesReceiver(t *testing.T) {
	for _, tc := range parseCases {
		if tc.want != 0 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			got := provider.Phlebfinders
			err := got.UnmarshalText([]byte(tc.in))
			require.Error(t, err)
			assert.Equal(t, provider.Phlebfinders, got, "UnmarshalText(%q) changed the receiver", tc.in)

			b := booking{Provider: provider.Getlabs}
			// Invalid UTF-8 is written as U+FFFD, as encoding/json does.
			data, err := json.Marshal(map[string]string{"provider": tc.in}, jsontext.AllowInvalidUTF8(true))
			require.NoError(t, err)
			require.Error(t, json.Unmarshal(data, &b))
			assert.Equal(t, provider.Getlabs, b.Provider)
		})
	}
}

func TestOffers(t *testing.T) {
	// The service-tiers table of Junction's documentation.
	cases := []struct {
		name string
		p    provider.Provider
		t    tier.Tier
		want bool
	}{
		{"getlabs/appointment-ready", provider.Getlabs, tier.AppointmentReady, true},
		{"getlabs/appointment-request", provider.Getlabs, tier.AppointmentRequest, false},
		{"phlebfinders/appointment-ready", provider.Phlebfinders, tier.AppointmentReady, false},
		{"phlebfinders/appointment-request", provider.Phlebfinders, tier.AppointmentRequest, true},
		{"getlabs/invalid tier", provider.Getlabs, 0, false},
		{"phlebfinders/tier past the end", provider.Phlebfinders, 3, false},
		{"phlebfinders/max tier", provider.Phlebfinders, 255, false},
		{"invalid provider/appointment-ready", 0, tier.AppointmentReady, false},
		{"invalid provider/appointment-request", 9, tier.AppointmentRequest, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.p.Offers(tc.t), "%v.Offers(%v)", tc.p, tc.t)
		})
	}
}

func TestSchedulingFacts(t *testing.T) {
	cases := []struct {
		name        string
		p           provider.Provider
		beta        bool
		lead        time.Duration
		reschedule  time.Duration
		reschedules bool
	}{
		{name: "getlabs", p: provider.Getlabs, lead: 48 * time.Hour, reschedule: 24 * time.Hour, reschedules: true},
		{name: "phlebfinders", p: provider.Phlebfinders, beta: true},
		{name: "zero", p: 0},
		{name: "past the end", p: 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.beta, tc.p.Beta(), "%v.Beta()", tc.p)
			assert.Equal(t, tc.lead, tc.p.RecommendedLead(), "%v.RecommendedLead()", tc.p)
			d, ok := tc.p.AutoRescheduleBefore()
			assert.Equal(t, tc.reschedule, d, "%v.AutoRescheduleBefore()", tc.p)
			assert.Equal(t, tc.reschedules, ok, "%v.AutoRescheduleBefore()", tc.p)
		})
	}
}

// TestLeadOutrunsReschedule pins the reason for the 48-hour lead: an
// appointment booked that far ahead is auto-cancelled (8 hours without a
// requisition) before Getlabs would reschedule it.
func TestLeadOutrunsReschedule(t *testing.T) {
	const autoCancelAfter = 8 * time.Hour
	before, ok := provider.Getlabs.AutoRescheduleBefore()
	require.True(t, ok)
	lead := provider.Getlabs.RecommendedLead()
	assert.Less(t, autoCancelAfter, lead-before,
		"booked %v ahead, Getlabs reschedules %v before start: Junction's %v rule must act first", lead, before, autoCancelAfter)
}

// TestNilReceivers checks that decoding into a nil pointer fails with the
// package's typed errors and never panics: an *Error for a provider (the
// area-info types are checked by TestDecodeNilDestination).
func TestNilReceivers(t *testing.T) {
	for _, text := range []string{"getlabs", "quest", "foo", ""} {
		var p *provider.Provider
		err := p.UnmarshalText([]byte(text))
		var pe *provider.Error
		require.ErrorAs(t, err, &pe, "UnmarshalText(%q)", text)
		assert.Equal(t, text, pe.Value)
		assert.ErrorIs(t, err, provider.ErrUnknownProvider)
		assert.Equal(t, `provider: unknown provider "`+text+`"`, err.Error())
	}
}
