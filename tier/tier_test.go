package tier_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/phlebkit/phlebkit/tier"
)

// parseCases is shared by TestParse and FuzzParse's seed corpus.
var parseCases = []struct {
	name string
	in   string
	want tier.Tier // zero when Parse must fail
}{
	{"appointment-ready", "appointment-ready", tier.AppointmentReady},
	{"appointment-request", "appointment-request", tier.AppointmentRequest},
	{"empty", "", 0},
	{"garbage", "foo", 0},
	{"upper case", "Appointment-Ready", 0},
	{"underscore", "appointment_ready", 0},
	{"leading space", " appointment-ready", 0},
	{"trailing newline", "appointment-request\n", 0},
	{"prefix only", "appointment", 0},
	{"go syntax of invalid", "tier.Tier(0)", 0},
	{"provider name", "getlabs", 0},
	{"invalid utf-8", "appointment-\xffready", 0},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tier.Parse(tc.in)
			if tc.want == 0 {
				require.Error(t, err, "Parse(%q)", tc.in)
				assert.ErrorIs(t, err, tier.ErrUnknownTier)
				var te *tier.Error
				require.ErrorAs(t, err, &te)
				assert.Equal(t, tc.in, te.Value)
				assert.Empty(t, te.Reason)
				assert.Equal(t, tier.Tier(0), got, "Parse(%q) returned a tier with its error", tc.in)
				return
			}
			require.NoError(t, err, "Parse(%q)", tc.in)
			assert.Equal(t, tc.want, got, "Parse(%q) = %v, want %v", tc.in, got, tc.want)
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, parseErr := tier.Parse("foo")
	_, invalidErr := tier.Tier(7).MarshalText()
	_, idErr := tier.AppointmentReady.Endpoint().Path("a/b")
	_, emptyErr := tier.AppointmentReady.Endpoint().Path("")
	_, dotErr := tier.AppointmentReady.Endpoint().Path("..")
	_, endpointErr := tier.Endpoint{}.Path("abc")
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"unknown tier", parseErr, `tier: unknown tier "foo"`},
		{"invalid tier", invalidErr, `tier: invalid tier tier.Tier(7)`},
		{"order id with slash", idErr, `tier: invalid order id "a/b": contains a character that needs escaping`},
		{"empty order id", emptyErr, `tier: invalid order id "": is empty`},
		{"dot order id", dotErr, `tier: invalid order id "..": is a dot segment`},
		{"invalid endpoint", endpointErr, `tier: invalid tier tier.Tier(0)`},
		{"no sentinel", &tier.Error{Value: "x"}, `tier: "x"`},
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
		in   tier.Tier
		want string
	}{
		{"appointment-ready", tier.AppointmentReady, "appointment-ready"},
		{"appointment-request", tier.AppointmentRequest, "appointment-request"},
		{"zero", 0, "tier.Tier(0)"},
		{"just past the end", 3, "tier.Tier(3)"},
		{"seven", 7, "tier.Tier(7)"},
		{"max", 255, "tier.Tier(255)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.String(), "Tier(%d).String()", uint8(tc.in))
		})
	}
}

func TestIsValid(t *testing.T) {
	cases := []struct {
		name string
		in   tier.Tier
		want bool
	}{
		{"appointment-ready", tier.AppointmentReady, true},
		{"appointment-request", tier.AppointmentRequest, true},
		{"zero", 0, false},
		{"just past the end", 3, false},
		{"max", 255, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.IsValid())
		})
	}
}

func TestAll(t *testing.T) {
	all := tier.All()
	assert.Equal(t, []tier.Tier{tier.AppointmentReady, tier.AppointmentRequest}, all)
	all[0] = 0
	assert.Equal(t, tier.AppointmentReady, tier.All()[0], "All must return a new slice on each call")
}

// doc is a JSON document that carries a tier.
type doc struct {
	Tier tier.Tier `json:"tier"`
}

func TestTextRoundTrip(t *testing.T) {
	for _, tt := range tier.All() {
		t.Run(tt.String(), func(t *testing.T) {
			text, err := tt.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.String(), string(text))

			var back tier.Tier
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, tt, back)

			data, err := json.Marshal(doc{Tier: tt})
			require.NoError(t, err)
			assert.JSONEq(t, `{"tier":"`+tt.String()+`"}`, string(data))

			var d doc
			require.NoError(t, json.Unmarshal(data, &d))
			assert.Equal(t, tt, d.Tier)
		})
	}
}

func TestMarshalTextInvalid(t *testing.T) {
	for _, tt := range []tier.Tier{0, 3, 255} {
		t.Run(tt.String(), func(t *testing.T) {
			text, err := tt.MarshalText()
			assert.Nil(t, text)
			require.ErrorIs(t, err, tier.ErrInvalidTier)
			var te *tier.Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.String(), te.Value)

			_, err = json.Marshal(doc{Tier: tt})
			assert.ErrorIs(t, err, tier.ErrInvalidTier, "json must keep the cause")
		})
	}
}

func TestUnmarshalTextFailureLeavesReceiver(t *testing.T) {
	for _, tc := range parseCases {
		if tc.want != 0 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			got := tier.AppointmentRequest
			err := got.UnmarshalText([]byte(tc.in))
			require.ErrorIs(t, err, tier.ErrUnknownTier)
			assert.Equal(t, tier.AppointmentRequest, got, "UnmarshalText(%q) changed the receiver", tc.in)

			d := doc{Tier: tier.AppointmentReady}
			// Invalid UTF-8 is written as U+FFFD, as encoding/json does.
			data, err := json.Marshal(map[string]string{"tier": tc.in}, jsontext.AllowInvalidUTF8(true))
			require.NoError(t, err)
			err = json.Unmarshal(data, &d)
			require.ErrorIs(t, err, tier.ErrUnknownTier)
			assert.Equal(t, tier.AppointmentReady, d.Tier)
		})
	}
}

func TestMeaning(t *testing.T) {
	cases := []struct {
		name              string
		in                tier.Tier
		synchronous       bool
		hasTimeAtCreation bool
		requiresProvider  bool
		endpoint          string
	}{
		{
			name: "appointment-ready", in: tier.AppointmentReady,
			synchronous: true, hasTimeAtCreation: true, requiresProvider: false,
			endpoint: "POST /v3/order/{order_id}/phlebotomy/appointment/book",
		},
		{
			name: "appointment-request", in: tier.AppointmentRequest,
			synchronous: false, hasTimeAtCreation: false, requiresProvider: true,
			endpoint: "POST /v3/order/{order_id}/phlebotomy/appointment/request",
		},
		{name: "zero", in: 0, endpoint: "tier.Endpoint(tier.Tier(0))"},
		{name: "past the end", in: 9, endpoint: "tier.Endpoint(tier.Tier(9))"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.synchronous, tc.in.Synchronous(), "%v.Synchronous()", tc.in)
			assert.Equal(t, tc.hasTimeAtCreation, tc.in.HasTimeAtCreation(), "%v.HasTimeAtCreation()", tc.in)
			assert.Equal(t, tc.requiresProvider, tc.in.RequiresProvider(), "%v.RequiresProvider()", tc.in)

			e := tc.in.Endpoint()
			assert.Equal(t, tc.endpoint, e.String())
			assert.Equal(t, tc.in, e.Tier())
			if !tc.in.IsValid() {
				assert.Empty(t, e.Method())
				assert.Empty(t, e.Pattern())
				return
			}
			assert.Equal(t, http.MethodPost, e.Method())
			assert.Equal(t, e.Method()+" "+e.Pattern(), e.String())
		})
	}
}

// TestEndpointRoutes checks that each endpoint's String is a route
// net/http accepts and that its Path is served by that route with the
// order id as the path value.
func TestEndpointRoutes(t *testing.T) {
	const id = "8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11"
	for _, tt := range tier.All() {
		t.Run(tt.String(), func(t *testing.T) {
			e := tt.Endpoint()
			var got string
			mux := http.NewServeMux()
			mux.HandleFunc(e.String(), func(_ http.ResponseWriter, r *http.Request) {
				got = r.PathValue("order_id")
			})
			path, err := e.Path(id)
			require.NoError(t, err)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(e.Method(), path, nil))
			assert.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, id, got)
		})
	}
}

func TestEndpointPath(t *testing.T) {
	cases := []struct {
		name    string
		orderID string
		ok      bool
	}{
		{"uuid", "8d2ab3f0-4a4e-4c4b-9b1a-3f2e7c9d0a11", true},
		{"short", "abc", true},
		{"unreserved punctuation", "a-b_c.d~e", true},
		{"sub-delims kept by PathEscape", "a:b@c=d&e+f$g", true},
		{"single dot inside", "a.b", true},
		{"empty", "", false},
		{"dot", ".", false},
		{"dot dot", "..", false},
		{"slash", "a/b", false},
		{"leading slash", "/abc", false},
		{"question mark", "a?b", false},
		{"hash", "a#b", false},
		{"percent", "a%2Fb", false},
		{"space", "a b", false},
		{"semicolon", "a;b", false},
		{"comma", "a,b", false},
		{"non-ascii", "é", false},
		{"nul", "a\x00b", false},
		{"newline", "a\nb", false},
		{"invalid utf-8", "\xff", false},
	}
	for _, tt := range tier.All() {
		for _, tc := range cases {
			t.Run(tt.String()+"/"+tc.name, func(t *testing.T) {
				got, err := tt.Endpoint().Path(tc.orderID)
				if !tc.ok {
					require.ErrorIs(t, err, tier.ErrInvalidOrderID, "Path(%q)", tc.orderID)
					var te *tier.Error
					require.ErrorAs(t, err, &te)
					assert.Equal(t, tc.orderID, te.Value)
					assert.NotEmpty(t, te.Reason)
					assert.Empty(t, got)
					return
				}
				require.NoError(t, err, "Path(%q)", tc.orderID)
				want := strings.Replace(tt.Endpoint().Pattern(), "{order_id}", tc.orderID, 1)
				assert.Equal(t, want, got)
			})
		}
	}
}

func TestEndpointPathInvalidTier(t *testing.T) {
	for _, e := range []tier.Endpoint{{}, tier.Tier(0).Endpoint(), tier.Tier(200).Endpoint()} {
		t.Run(e.String(), func(t *testing.T) {
			got, err := e.Path("abc")
			assert.Empty(t, got)
			require.ErrorIs(t, err, tier.ErrInvalidTier)
			assert.False(t, errors.Is(err, tier.ErrInvalidOrderID))
		})
	}
}

func TestPropParse(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.String(),
			rapid.SampledFrom([]string{"appointment-ready", "appointment-request"}),
		).Draw(t, "s")
		got, err := tier.Parse(s)
		if err != nil {
			if !errors.Is(err, tier.ErrUnknownTier) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrUnknownTier", s, err)
			}
			return
		}
		if !got.IsValid() || got.String() != s {
			t.Fatalf("Parse(%q) = %v, which does not print back as the input", s, got)
		}
	})
}

func TestPropTierRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tt := tier.Tier(rapid.Uint8().Draw(t, "tier"))
		text, err := tt.MarshalText()
		if !tt.IsValid() {
			if !errors.Is(err, tier.ErrInvalidTier) {
				t.Fatalf("%v.MarshalText() error = %v, want ErrInvalidTier", tt, err)
			}
			return
		}
		var back tier.Tier
		if err := back.UnmarshalText(text); err != nil || back != tt {
			t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", text, back, err, tt)
		}
	})
}

func TestPropEndpointPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tt := rapid.SampledFrom(tier.All()).Draw(t, "tier")
		id := rapid.OneOf(
			rapid.String(),
			rapid.StringMatching(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
		).Draw(t, "orderID")
		got, err := tt.Endpoint().Path(id)
		if err != nil {
			if !errors.Is(err, tier.ErrInvalidOrderID) {
				t.Fatalf("Path(%q) error %v does not wrap ErrInvalidOrderID", id, err)
			}
			return
		}
		segs := strings.Split(got, "/")
		if len(segs) != 7 || segs[3] != id {
			t.Fatalf("Path(%q) = %q: order id is not exactly the fourth segment", id, got)
		}
	})
}

// TestUnmarshalTextNilReceiver checks that decoding into a nil pointer
// fails with an *Error wrapping ErrUnknownTier, as for unknown text, and never panics.
func TestUnmarshalTextNilReceiver(t *testing.T) {
	for _, text := range []string{"appointment-ready", "foo", ""} {
		var p *tier.Tier
		err := p.UnmarshalText([]byte(text))
		var te *tier.Error
		require.ErrorAs(t, err, &te, "UnmarshalText(%q)", text)
		assert.Equal(t, text, te.Value)
		assert.ErrorIs(t, err, tier.ErrUnknownTier)
		assert.Equal(t, `tier: unknown tier "`+text+`"`, err.Error())
	}
}
