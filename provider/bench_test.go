package provider_test

import (
	"testing"

	"github.com/phlebkit/phlebkit/provider"
)

var (
	sinkProvider provider.Provider
	sinkErr      error
	sinkArea     provider.AreaInfo
	sinkString   string
)

func BenchmarkParse(b *testing.B) {
	cases := []struct{ name, in string }{
		{"getlabs", "getlabs"},
		{"phlebfinders", "phlebfinders"},
		{"not_at_home", "sonora_quest"},
		{"unknown", "mobile-draws"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkProvider, sinkErr = provider.Parse(tc.in)
			}
		})
	}
}

func BenchmarkParseAreaInfo(b *testing.B) {
	data := readFixture(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sinkArea, sinkErr = provider.ParseAreaInfo(data)
	}
}

func BenchmarkForBooking(b *testing.B) {
	info, err := provider.ParseAreaInfo(readFixture(b))
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		info provider.AreaInfo
	}{
		{"fixture", info},
		{"unknown_first", provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "quest", Tiers: []string{"appointment-ready"}},
			{Name: "mobile-draws", Tiers: []string{"appointment-ready"}},
			{Name: "phlebfinders", Tiers: []string{"appointment-request"}},
			{Name: "getlabs", Tiers: []string{"appointment-ready"}},
		}}}},
		{"unavailable", provider.AreaInfo{ZipCode: "54650", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "phlebfinders", Tiers: []string{"appointment-request"}},
		}}}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkProvider, sinkErr = tc.info.ForBooking()
			}
		})
	}
}

func BenchmarkAreaQueryPath(b *testing.B) {
	q := provider.AreaQuery{ZipCode: "85004"}
	b.ReportAllocs()
	for b.Loop() {
		sinkString, sinkErr = q.Path()
	}
}
