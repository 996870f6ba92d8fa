package provider_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// area builds an area-info value from name/tiers pairs.
func area(zip string, served bool, listings ...provider.Listing) provider.AreaInfo {
	return provider.AreaInfo{ZipCode: zip, Phlebotomy: provider.Coverage{IsServed: served, Providers: listings}}
}

func listed(name string, tiers ...string) provider.Listing {
	return provider.Listing{Name: name, Tiers: tiers}
}

const (
	ready   = "appointment-ready"
	request = "appointment-request"
)

func TestForBooking(t *testing.T) {
	cases := []struct {
		name string
		in   provider.AreaInfo
		want provider.Provider
		err  error
	}{
		{"getlabs first", area("85004", true, listed("getlabs", ready), listed("phlebfinders", request)), provider.Getlabs, nil},
		{"getlabs second", area("85004", true, listed("phlebfinders", request), listed("getlabs", ready)), provider.Getlabs, nil},
		{"unknown ready provider skipped", area("85004", true, listed("mobile-draws", ready), listed("getlabs", ready)), provider.Getlabs, nil},
		{"not-at-home provider skipped", area("85004", true, listed("quest", ready), listed("getlabs", ready)), provider.Getlabs, nil},
		{"response is the authority", area("85004", true, listed("phlebfinders", request, ready)), provider.Phlebfinders, nil},
		{"first of two ready providers", area("85004", true, listed("phlebfinders", ready), listed("getlabs", ready)), provider.Phlebfinders, nil},
		{"first of two ready providers, reversed", area("85004", true, listed("getlabs", ready), listed("phlebfinders", ready)), provider.Getlabs, nil},
		{"names are exact", area("85004", true, listed("Getlabs", ready)), 0, provider.ErrTierUnavailable},
		{"tiers are exact", area("85004", true, listed("getlabs", "Appointment-Ready")), 0, provider.ErrTierUnavailable},
		{"only request tier", area("54650", true, listed("phlebfinders", request)), 0, provider.ErrTierUnavailable},
		{"only unknown providers", area("54650", true, listed("mobile-draws", ready)), 0, provider.ErrTierUnavailable},
		{"unknown tier only", area("54650", true, listed("getlabs", "appointment-soon")), 0, provider.ErrTierUnavailable},
		{"not served", area("99999", false, listed("getlabs", ready)), 0, provider.ErrNotServed},
		{"served but nobody listed", area("99999", true), 0, provider.ErrNotServed},
		{"zero value", provider.AreaInfo{}, 0, provider.ErrNotServed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.ForBooking()
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				var pe *provider.Error
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tc.in.ZipCode, pe.Value)
				assert.Equal(t, "no provider for appointment-ready", pe.Reason)
				assert.Equal(t, provider.Provider(0), got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "ForBooking() = %v, want %v", got, tc.want)
			providers := tc.in.Providers(tier.AppointmentReady)
			require.NotEmpty(t, providers)
			assert.Equal(t, got, providers[0])
		})
	}
}

func TestForRequest(t *testing.T) {
	fixtureLike := area("85004", true, listed("getlabs", ready), listed("phlebfinders", request))
	cases := []struct {
		name string
		in   provider.AreaInfo
		p    provider.Provider
		err  error
	}{
		{"phlebfinders listed", fixtureLike, provider.Phlebfinders, nil},
		{"getlabs not listed for request", fixtureLike, provider.Getlabs, provider.ErrTierUnavailable},
		{"response is the authority", area("85004", true, listed("getlabs", ready, request)), provider.Getlabs, nil},
		{"phlebfinders not listed", area("85004", true, listed("getlabs", ready)), provider.Phlebfinders, provider.ErrTierUnavailable},
		{"phlebfinders listed for ready only", area("85004", true, listed("phlebfinders", ready)), provider.Phlebfinders, provider.ErrTierUnavailable},
		{"not served", area("54650", false, listed("phlebfinders", request)), provider.Phlebfinders, provider.ErrNotServed},
		{"served but nobody listed", area("54650", true), provider.Phlebfinders, provider.ErrNotServed},
		{"invalid provider", fixtureLike, 0, provider.ErrInvalidProvider},
		{"provider past the end", fixtureLike, 3, provider.ErrInvalidProvider},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.ForRequest(tc.p)
			if tc.err == nil {
				require.NoError(t, err, "ForRequest(%v)", tc.p)
				assert.Contains(t, tc.in.Providers(tier.AppointmentRequest), tc.p)
				return
			}
			require.ErrorIs(t, err, tc.err, "ForRequest(%v)", tc.p)
			if tc.err == provider.ErrInvalidProvider {
				return
			}
			var pe *provider.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.in.ZipCode, pe.Value)
			assert.Equal(t, "no "+tc.p.String()+" for appointment-request", pe.Reason)
		})
	}
}

func TestProviders(t *testing.T) {
	in := area("85004", true,
		listed("mobile-draws", ready, request),
		listed("phlebfinders", request),
		listed("getlabs", ready),
		listed("quest", ready, request),
		listed("phlebfinders", request, ready),
		listed("getlabs", ready),
	)
	cases := []struct {
		name string
		in   provider.AreaInfo
		t    tier.Tier
		want []provider.Provider
	}{
		{"ready in list order, once each", in, tier.AppointmentReady, []provider.Provider{provider.Getlabs, provider.Phlebfinders}},
		{"request", in, tier.AppointmentRequest, []provider.Provider{provider.Phlebfinders}},
		{"invalid tier", in, 0, nil},
		{"not served", area("85004", false, listed("getlabs", ready)), tier.AppointmentReady, nil},
		{"nobody offers", area("85004", true, listed("getlabs", ready)), tier.AppointmentRequest, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.Providers(tc.t), "Providers(%v)", tc.t)
		})
	}
}

func TestSelectionLeavesInputUnchanged(t *testing.T) {
	in := area("85004", true, listed("quest", ready), listed("getlabs", ready), listed("phlebfinders", request))
	want := area("85004", true, listed("quest", ready), listed("getlabs", ready), listed("phlebfinders", request))
	_, _ = in.ForBooking()
	_ = in.ForRequest(provider.Phlebfinders)
	_ = in.ForRequest(provider.Getlabs)
	_ = in.Providers(tier.AppointmentReady)
	assert.Equal(t, want, in)
}
