package tier_test

import (
	"testing"

	"github.com/phlebkit/phlebkit/tier"
)

var (
	sinkTier tier.Tier
	sinkErr  error
	sinkPath string
)

func BenchmarkParse(b *testing.B) {
	cases := []struct{ name, in string }{
		{"ready", "appointment-ready"},
		{"request", "appointment-request"},
		{"unknown", "appointment-maybe"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTier, sinkErr = tier.Parse(tc.in)
			}
		})
	}
}

func BenchmarkEndpointPath(b *testing.B) {
	e := tier.AppointmentRequest.Endpoint()
	b.ReportAllocs()
	for b.Loop() {
		sinkPath, sinkErr = e.Path("8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11")
	}
}
