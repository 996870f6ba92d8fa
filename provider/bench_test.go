package provider_test

import (
	"bytes"
	"fmt"
	"strconv"
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

// mergeDoc returns an area-info document with one provider that lists n
// tiers under service_types and n under tier. With distinct, every name is
// a different unknown tier, none shared by the two lists: each entry of
// tier must be appended. Otherwise both lists repeat the two known tiers.
func mergeDoc(n int, distinct bool) []byte {
	var b bytes.Buffer
	list := func(prefix string) {
		b.WriteByte('[')
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			switch {
			case distinct:
				b.WriteString(`"` + prefix + strconv.Itoa(i) + `"`)
			case i%2 == 0:
				b.WriteString(`"appointment-ready"`)
			default:
				b.WriteString(`"appointment-request"`)
			}
		}
		b.WriteByte(']')
	}
	b.WriteString(`{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","service_types":`)
	list("s")
	b.WriteString(`,"tier":`)
	list("t")
	b.WriteString(`}]}}`)
	return b.Bytes()
}

// BenchmarkParseAreaInfoMerge decodes a provider whose two tier lists both
// hold n entries, for n doubling from 8k to 64k: the time per operation
// doubles with n when merging the lists is linear.
func BenchmarkParseAreaInfoMerge(b *testing.B) {
	for _, shape := range []struct {
		name     string
		distinct bool
	}{{"distinct", true}, {"known", false}} {
		for _, n := range []int{8 << 10, 16 << 10, 32 << 10, 64 << 10} {
			data := mergeDoc(n, shape.distinct)
			want := 0 // service_types already lists both known tiers
			if shape.distinct {
				want = n // every entry of tier
			}
			b.Run(fmt.Sprintf("%s/n=%d", shape.name, n), func(b *testing.B) {
				info, err := provider.ParseAreaInfo(data)
				if err != nil || len(info.Phlebotomy.Providers[0].Tiers) != n+want {
					b.Fatalf("decoded %d tiers, %v; want %d", len(info.Phlebotomy.Providers[0].Tiers), err, n+want)
				}
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					sinkArea, sinkErr = provider.ParseAreaInfo(data)
				}
			})
		}
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
