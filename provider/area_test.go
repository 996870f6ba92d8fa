package provider_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/phlebkit/phlebkit/provider"
	"github.com/phlebkit/phlebkit/tier"
)

// fixturePath is the area-info example of Junction's documentation, kept
// byte for byte in testdata (see testdata/README.md).
const fixturePath = "testdata/area-info.json"

// readFixture returns the fixture as it is on disk.
func readFixture(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(fixturePath)
	require.NoError(tb, err, "the fixture must sit at %s", fixturePath)
	return data
}

func TestFixture(t *testing.T) {
	data := readFixture(t)

	t.Run("ParseAreaInfo", func(t *testing.T) {
		info, err := provider.ParseAreaInfo(data)
		require.NoError(t, err)
		checkFixture(t, info)
	})
	t.Run("json.Unmarshal", func(t *testing.T) {
		var info provider.AreaInfo
		require.NoError(t, json.Unmarshal(data, &info))
		checkFixture(t, info)
	})
}

// checkFixture checks what the fixture says and what it selects.
func checkFixture(t *testing.T, info provider.AreaInfo) {
	t.Helper()
	assert.Equal(t, "85004", info.ZipCode)
	assert.True(t, info.Phlebotomy.IsServed)
	assert.True(t, info.Served())
	assert.Equal(t, []provider.Listing{
		{Name: "getlabs", Tiers: []string{"appointment-ready"}},
		{Name: "phlebfinders", Tiers: []string{"appointment-request"}},
	}, info.Phlebotomy.Providers)
	assert.JSONEq(t,
		`{"labcorp":{"patient_service_centers":{"within_radius":5,"radius":"25","capabilities":["stat"]}}}`,
		string(info.CentralLabs))

	p, err := info.ForBooking()
	require.NoError(t, err)
	assert.Equal(t, provider.Getlabs, p, "ForBooking() = %v, want getlabs", p)

	require.NoError(t, info.ForRequest(provider.Phlebfinders))
	err = info.ForRequest(provider.Getlabs)
	require.ErrorIs(t, err, provider.ErrTierUnavailable)

	assert.Equal(t, []provider.Provider{provider.Getlabs}, info.Providers(tier.AppointmentReady))
	assert.Equal(t, []provider.Provider{provider.Phlebfinders}, info.Providers(tier.AppointmentRequest))
}

// decodeCases is shared by TestDecode and FuzzAreaInfo's seed corpus.
var decodeCases = []struct {
	name string
	in   string
	want provider.AreaInfo
}{
	{
		name: "schema spelling",
		in:   `{"zip_code":"54650","phlebotomy":{"is_served":true,"providers":[{"name":"phlebfinders","service_types":["appointment-request"]}]}}`,
		want: provider.AreaInfo{ZipCode: "54650", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "phlebfinders", Tiers: []string{"appointment-request"}},
		}}},
	},
	{
		name: "seed spelling",
		in:   `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","tier":["appointment-ready"]}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "getlabs", Tiers: []string{"appointment-ready"}},
		}}},
	},
	{
		name: "both spellings merge, service_types first",
		in:   `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"x","service_types":["b","a"],"tier":["a","c","c"]}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "x", Tiers: []string{"b", "a", "c"}},
		}}},
	},
	{
		name: "known tiers of tier are added once, after service_types",
		in:   `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"x","service_types":["appointment-ready","appointment-ready"],"tier":["appointment-request","appointment-ready","appointment-request"]}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "x", Tiers: []string{"appointment-ready", "appointment-ready", "appointment-request"}},
		}}},
	},
	{
		name: "known and unknown tiers merge, each name of tier once",
		in:   `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"x","service_types":["a","appointment-ready","a"],"tier":["b","a","appointment-ready","b","appointment-request","appointment-request",""]}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "x", Tiers: []string{"a", "appointment-ready", "a", "b", "appointment-request", ""}},
		}}},
	},
	{
		name: "an unknown tier listed first in service_types is not repeated",
		in:   `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"x","service_types":["a"],"tier":["appointment-ready","a","appointment-ready"]}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "x", Tiers: []string{"a", "appointment-ready"}},
		}}},
	},
	{
		name: "one spelling is kept verbatim, duplicates included",
		in:   `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"x","tier":["a","a"]}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "x", Tiers: []string{"a", "a"}},
		}}},
	},
	{
		name: "unknown provider and tier kept verbatim",
		in:   `{"zip_code":"10001","phlebotomy":{"is_served":true,"providers":[{"name":"labcorp_mobile","service_types":["appointment-later","appointment-ready"]},{"name":"quest","service_types":["walk-in"]}]}}`,
		want: provider.AreaInfo{ZipCode: "10001", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "labcorp_mobile", Tiers: []string{"appointment-later", "appointment-ready"}},
			{Name: "quest", Tiers: []string{"walk-in"}},
		}}},
	},
	{
		name: "not served, empty lists become nil",
		in:   `{"zip_code":"99999","phlebotomy":{"is_served":false,"providers":[]}}`,
		want: provider.AreaInfo{ZipCode: "99999"},
	},
	{
		name: "empty tier lists become nil",
		in:   `{"zip_code":"99999","phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","service_types":[],"tier":[]}]}}`,
		want: provider.AreaInfo{ZipCode: "99999", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{{Name: "getlabs"}}}},
	},
	{
		name: "null everywhere",
		in:   `{"zip_code":null,"phlebotomy":{"is_served":null,"providers":[null,{"name":null,"tier":null}]},"central_labs":null}`,
		want: provider.AreaInfo{Phlebotomy: provider.Coverage{Providers: []provider.Listing{{}, {}}}},
	},
	{
		name: "missing fields",
		in:   `{}`,
		want: provider.AreaInfo{},
	},
	{
		name: "unknown fields ignored",
		in:   `{"zip_code":"85004","extra":[1,2],"phlebotomy":{"is_served":true,"note":"x","providers":[{"name":"getlabs","tier":["appointment-ready"],"rank":1}]}}`,
		want: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
			{Name: "getlabs", Tiers: []string{"appointment-ready"}},
		}}},
	},
	{
		name: "central_labs compacted as encoding writes it",
		in:   "{\"zip_code\":\"85004\",\"central_labs\": { \"a\" : [1, \"<&>\"] }}",
		want: provider.AreaInfo{ZipCode: "85004", CentralLabs: jsontext.Value(`{"a":[1,"<&>"]}`)},
	},
	{
		name: "central_labs of any type is kept",
		in:   `{"zip_code":"85004","central_labs":[]}`,
		want: provider.AreaInfo{ZipCode: "85004", CentralLabs: jsontext.Value(`[]`)},
	},
}

func TestDecode(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := provider.ParseAreaInfo([]byte(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)

			var viaJSON provider.AreaInfo
			require.NoError(t, json.Unmarshal([]byte(tc.in), &viaJSON))
			assert.Equal(t, tc.want, viaJSON)
		})
	}
}

// malformedCases is shared by TestDecodeMalformed and FuzzAreaInfo's seed
// corpus.
var malformedCases = []struct {
	name string
	in   string
}{
	{"is_served is a string", `{"zip_code":"85004","phlebotomy":{"is_served":"yes","providers":[]}}`},
	{"providers is an object", `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":{"name":"getlabs"}}}`},
	{"providers is a string", `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":"getlabs"}}`},
	{"tier is a string", `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","tier":"appointment-ready"}]}}`},
	{"service_types holds a number", `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","service_types":[1]}]}}`},
	{"name is a number", `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[{"name":1}]}}`},
	{"provider entry is a string", `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":["getlabs"]}}`},
	{"zip_code is a number", `{"zip_code":85004}`},
	{"phlebotomy is an array", `{"zip_code":"85004","phlebotomy":[]}`},
	{"document is an array", `[]`},
	{"document is a string", `"85004"`},
	{"truncated", `{"zip_code":"85004","phlebotomy":{"is_served":true`},
	{"trailing garbage", `{"zip_code":"85004"} x`},
	{"empty", ``},
	{"not json", `zip_code=85004`},
	{"central_labs invalid", `{"central_labs":{"a":}}`},
	{"repeated member", `{"zip_code":"85004","zip_code":"85005"}`},
	{"repeated member in a provider", `{"phlebotomy":{"providers":[{"name":"getlabs","name":"phlebfinders"}]}}`},
	{"invalid UTF-8", "{\"zip_code\":\"8500\xff\"}"},
	{"member names are case-sensitive, so this repeats one", `{"phlebotomy":{"is_served":true,"is_served":false,"IS_SERVED":true}}`},
}

func TestDecodeMalformed(t *testing.T) {
	before := provider.AreaInfo{
		ZipCode:     "85004",
		Phlebotomy:  provider.Coverage{IsServed: true, Providers: []provider.Listing{{Name: "getlabs", Tiers: []string{"appointment-ready"}}}},
		CentralLabs: jsontext.Value(`{}`),
	}
	for _, tc := range malformedCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := provider.ParseAreaInfo([]byte(tc.in))
			require.ErrorIs(t, err, provider.ErrMalformed, "ParseAreaInfo(%s)", tc.in)
			var de *provider.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, provider.AreaInfo{}, got)

			// The method reads one value: what follows it is the
			// caller's decoder's business.
			dst := before
			dst.Phlebotomy.Providers = []provider.Listing{{Name: "getlabs", Tiers: []string{"appointment-ready"}}}
			err = dst.UnmarshalJSONFrom(jsontext.NewDecoder(strings.NewReader(tc.in)))
			if tc.name == "trailing garbage" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, provider.ErrMalformed)
			require.ErrorAs(t, err, &de)
			assert.Equal(t, before, dst, "a failed decode changed the destination")

			// Through json.Unmarshal, a syntax error around the value is
			// the JSON package's own.
			dst = before
			err = json.Unmarshal([]byte(tc.in), &dst)
			var sy *jsontext.SyntacticError
			if !errors.As(err, &sy) {
				require.ErrorIs(t, err, provider.ErrMalformed)
			}
			assert.Equal(t, before, dst, "a failed decode changed the destination")
		})
	}
}

func TestDecodeMalformedKeepsCause(t *testing.T) {
	_, err := provider.ParseAreaInfo([]byte(`{"phlebotomy":{"is_served":"yes"}}`))
	var se *json.SemanticError
	require.ErrorAs(t, err, &se)
	var de *provider.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/phlebotomy/is_served", de.Path)

	_, err = provider.ParseAreaInfo([]byte(`{"phlebotomy":{"providers":[{},{"tier":[1]}]}}`))
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/phlebotomy/providers/1/tier/0", de.Path)

	_, err = provider.ParseAreaInfo([]byte(`{"zip_code":"1","zip_code":"2"}`))
	var sy *jsontext.SyntacticError
	require.ErrorAs(t, err, &sy)
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/zip_code", de.Path)

	_, err = provider.ParseAreaInfo([]byte(`{`))
	require.ErrorAs(t, err, &sy)
	require.ErrorAs(t, err, &de)
	assert.Empty(t, de.Path)
}

// TestDecodeNested checks that decoding an AreaInfo, a Coverage or a
// Listing inside a caller's own document keeps the rules and reports the
// path from the document's root.
func TestDecodeNested(t *testing.T) {
	var doc struct {
		Areas []provider.AreaInfo `json:"areas"`
		Cov   provider.Coverage   `json:"cov"`
		One   provider.Listing    `json:"one"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"areas":[{"zip_code":"85004","central_labs":{ }},null],"cov":{"providers":[]},"one":{"name":"getlabs","tier":["appointment-ready"]}}`), &doc))
	assert.Equal(t, []provider.AreaInfo{{ZipCode: "85004"}, {}}, doc.Areas) // an empty central_labs is nil
	assert.Equal(t, provider.Coverage{}, doc.Cov)
	assert.Equal(t, provider.Listing{Name: "getlabs", Tiers: []string{"appointment-ready"}}, doc.One)

	err := json.Unmarshal([]byte(`{"areas":[{},{"phlebotomy":{"is_served":1}}]}`), &doc)
	var de *provider.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/areas/1/phlebotomy/is_served", de.Path)
}

func TestDecodeNilDestination(t *testing.T) {
	for name, dst := range map[string]interface {
		UnmarshalJSONFrom(*jsontext.Decoder) error
	}{
		"AreaInfo": (*provider.AreaInfo)(nil),
		"Coverage": (*provider.Coverage)(nil),
		"Listing":  (*provider.Listing)(nil),
	} {
		t.Run(name, func(t *testing.T) {
			err := dst.UnmarshalJSONFrom(jsontext.NewDecoder(bytes.NewReader(nil)))
			require.ErrorIs(t, err, provider.ErrMalformed)
			var de *provider.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "provider: malformed area info: decode into a nil pointer", err.Error())
		})
	}
}

func TestDecodeNull(t *testing.T) {
	_, err := provider.ParseAreaInfo([]byte(`null`))
	require.ErrorIs(t, err, provider.ErrMalformed, "a null document carries no area info")

	info := provider.AreaInfo{ZipCode: "85004"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &info))
	assert.Equal(t, "85004", info.ZipCode, "null must leave the destination unchanged")
	c := provider.Coverage{IsServed: true}
	require.NoError(t, json.Unmarshal([]byte(`null`), &c))
	assert.True(t, c.IsServed, "null must leave the destination unchanged")
}

func TestEncode(t *testing.T) {
	cases := []struct {
		name string
		in   provider.AreaInfo
		want string
	}{
		{
			name: "fixture-like, written with service_types",
			in: provider.AreaInfo{ZipCode: "85004", Phlebotomy: provider.Coverage{IsServed: true, Providers: []provider.Listing{
				{Name: "getlabs", Tiers: []string{"appointment-ready"}},
				{Name: "phlebfinders", Tiers: []string{"appointment-request"}},
			}}, CentralLabs: jsontext.Value(`{"labcorp":{}}`)},
			want: `{"zip_code":"85004","phlebotomy":{"is_served":true,"providers":[` +
				`{"name":"getlabs","service_types":["appointment-ready"]},` +
				`{"name":"phlebfinders","service_types":["appointment-request"]}]},` +
				`"central_labs":{"labcorp":{}}}`,
		},
		{
			name: "zero value writes arrays, never null, and central_labs empty",
			in:   provider.AreaInfo{Phlebotomy: provider.Coverage{Providers: []provider.Listing{{Name: "x"}}}},
			want: `{"zip_code":"","phlebotomy":{"is_served":false,"providers":[{"name":"x","service_types":[]}]},"central_labs":{}}`,
		},
		{
			name: "no providers",
			in:   provider.AreaInfo{ZipCode: "99999"},
			want: `{"zip_code":"99999","phlebotomy":{"is_served":false,"providers":[]},"central_labs":{}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(data))

			back, err := provider.ParseAreaInfo(data)
			require.NoError(t, err)
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(data), string(again))
		})
	}
}

func TestEncodeInvalidCentralLabs(t *testing.T) {
	_, err := json.Marshal(provider.AreaInfo{CentralLabs: jsontext.Value(`{`)})
	require.ErrorIs(t, err, provider.ErrMalformed)
	var de *provider.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/central_labs", de.Path)
	assert.False(t, errors.Is(err, provider.ErrUnknownProvider))
}

func TestFixtureRoundTrip(t *testing.T) {
	info, err := provider.ParseAreaInfo(readFixture(t))
	require.NoError(t, err)
	data, err := json.Marshal(info)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"service_types":["appointment-ready"]`)
	assert.NotContains(t, string(data), `"tier"`)
	back, err := provider.ParseAreaInfo(data)
	require.NoError(t, err)
	assert.Equal(t, info, back)
}

func TestListingAndCoverageStandalone(t *testing.T) {
	var l provider.Listing
	require.NoError(t, json.Unmarshal([]byte(`{"name":"getlabs","tier":["appointment-ready"]}`), &l))
	assert.Equal(t, provider.Listing{Name: "getlabs", Tiers: []string{"appointment-ready"}}, l)
	data, err := json.Marshal(l)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"getlabs","service_types":["appointment-ready"]}`, string(data))

	err = json.Unmarshal([]byte(`{"name":"x","tier":"appointment-ready"}`), &l)
	require.ErrorIs(t, err, provider.ErrMalformed)
	assert.Equal(t, "getlabs", l.Name, "a failed decode changed the listing")

	var c provider.Coverage
	require.NoError(t, json.Unmarshal([]byte(`{"is_served":true,"providers":[{"name":"phlebfinders","service_types":["appointment-request"]}]}`), &c))
	assert.Equal(t, provider.Coverage{IsServed: true, Providers: []provider.Listing{{Name: "phlebfinders", Tiers: []string{"appointment-request"}}}}, c)
	data, err = json.Marshal(provider.Coverage{})
	require.NoError(t, err)
	assert.Equal(t, `{"is_served":false,"providers":[]}`, string(data))

	err = json.Unmarshal([]byte(`{"is_served":"yes"}`), &c)
	require.ErrorIs(t, err, provider.ErrMalformed)
	assert.True(t, c.IsServed, "a failed decode changed the coverage")
}

func TestListing(t *testing.T) {
	cases := []struct {
		name     string
		in       provider.Listing
		provider provider.Provider // what Parse makes of the name
		err      error
		offers   map[tier.Tier]bool
	}{
		{
			name: "getlabs", in: provider.Listing{Name: "getlabs", Tiers: []string{"appointment-ready"}},
			provider: provider.Getlabs,
			offers:   map[tier.Tier]bool{tier.AppointmentReady: true, tier.AppointmentRequest: false, 0: false},
		},
		{
			name: "phlebfinders", in: provider.Listing{Name: "phlebfinders", Tiers: []string{"appointment-request"}},
			provider: provider.Phlebfinders,
			offers:   map[tier.Tier]bool{tier.AppointmentReady: false, tier.AppointmentRequest: true, 0: false},
		},
		{
			name: "quest", in: provider.Listing{Name: "quest", Tiers: []string{"appointment-ready"}},
			err:    provider.ErrNotAtHome,
			offers: map[tier.Tier]bool{tier.AppointmentReady: true, tier.AppointmentRequest: false},
		},
		{
			name: "unknown", in: provider.Listing{Name: "mobile-draws", Tiers: []string{"appointment-request", "later"}},
			err:    provider.ErrUnknownProvider,
			offers: map[tier.Tier]bool{tier.AppointmentReady: false, tier.AppointmentRequest: true},
		},
		{
			name: "empty", in: provider.Listing{},
			err:    provider.ErrUnknownProvider,
			offers: map[tier.Tier]bool{tier.AppointmentReady: false, tier.AppointmentRequest: false},
		},
		{
			name: "invalid tier text is not matched", in: provider.Listing{Name: "getlabs", Tiers: []string{"tier.Tier(0)"}},
			provider: provider.Getlabs,
			offers:   map[tier.Tier]bool{0: false},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := provider.Parse(tc.in.Name)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.provider, p)
			for tt, want := range tc.offers {
				assert.Equal(t, want, tc.in.Offers(tt), "Offers(%v)", tt)
			}
		})
	}
}

// TestDecodeRepeatedKeys checks that a repeated member is refused, at
// every level and through every way in, with the destination unchanged.
func TestDecodeRepeatedKeys(t *testing.T) {
	for _, doc := range []string{
		`{"zip_code":"85004","phlebotomy":{"is_served":true,
		"providers":[{"name":"getlabs","tier":["appointment-ready"]}],
		"providers":[{"name":"phlebfinders"}]}}`,
		`{"zip_code":"85004",
		"phlebotomy":{"is_served":true,"providers":[{"name":"getlabs","tier":["appointment-ready"]}]},
		"phlebotomy":{"providers":[{"name":"getlabs","tier":["appointment-ready"]}]}}`,
		`{"phlebotomy":{"providers":[{"name":"getlabs","tier":["appointment-ready"],"tier":[]}]}}`,
	} {
		_, err := provider.ParseAreaInfo([]byte(doc))
		require.ErrorIs(t, err, provider.ErrMalformed, doc)
		info := provider.AreaInfo{ZipCode: "kept"}
		require.ErrorIs(t, json.Unmarshal([]byte(doc), &info), provider.ErrMalformed)
		assert.Equal(t, provider.AreaInfo{ZipCode: "kept"}, info)
	}
	var l provider.Listing
	require.ErrorIs(t, json.Unmarshal([]byte(`{"name":"a","name":"b"}`), &l), provider.ErrMalformed)
	var c provider.Coverage
	require.ErrorIs(t, json.Unmarshal([]byte(`{"is_served":true,"is_served":true}`), &c), provider.ErrMalformed)
	assert.Equal(t, provider.Coverage{}, c)
}

func TestListingDecodeNull(t *testing.T) {
	l := provider.Listing{Name: "getlabs", Tiers: []string{"appointment-ready"}}
	require.NoError(t, json.Unmarshal([]byte(`null`), &l))
	assert.Equal(t, provider.Listing{Name: "getlabs", Tiers: []string{"appointment-ready"}}, l, "null leaves the value as it was")
}
