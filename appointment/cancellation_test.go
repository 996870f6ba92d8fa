package appointment

import (
	stdjson "encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wantReasons is cancellation-reasons.json written out by hand.
var wantReasons = []CancellationReason{
	{ID: "5c0257ef-6fea-4a22-b20a-3ddab573d5c9", Name: "Did not fast for appointment", IsRefundable: true},
	{ID: "448c519c-64b4-4497-ae73-622fa93371b3", Name: "Do not trust company", IsRefundable: true},
	{ID: "d378e152-12d1-433e-9dd1-e0410f9331dc", Name: "Getlabs cannot deliver to my preferred lab", IsRefundable: true},
	{ID: "5330c863-ac80-4316-901b-d305d0df74d5", Name: "No longer interested", IsRefundable: true},
	{ID: "2b9f23fd-163e-4483-bb10-90c74a67e0dc", Name: "Other", IsRefundable: true},
	{ID: "98f861dd-fe61-4817-a9d6-1b99b19cd0fb", Name: "Provider asked me to cancel", IsRefundable: true},
	{ID: "7dfd7da5-ed6e-40bb-a7e4-c8003f0c10a9", Name: "Scheduled for wrong patient", IsRefundable: true},
	{ID: "796da8c8-e654-4347-8ded-1026410c1976", Name: "Scheduled time no longer works", IsRefundable: true},
	{ID: "ba02af35-a34f-4a7a-abe5-5f766e8f6cd1", Name: "Unable to get lab order from provider", IsRefundable: true},
	{ID: "0c9425db-f11e-49c5-b976-3c0d1d4a4ea8", Name: "Wanted to book in-person appointment", IsRefundable: true},
	{ID: "2599a0ea-0b4a-42fe-8df6-d8f7c68182e7", Name: "Went to lab for appointment", IsRefundable: true},
}

func TestDecodeCancellationReasonsFixture(t *testing.T) {
	got, err := DecodeCancellationReasons(fixture(t, "cancellation-reasons.json"))
	require.NoError(t, err)
	require.Len(t, got, 11)
	assert.Equal(t, wantReasons, got)

	var viaJSON []CancellationReason
	require.NoError(t, json.Unmarshal(fixture(t, "cancellation-reasons.json"), &viaJSON))
	assert.Equal(t, wantReasons, viaJSON)

	reasonsRoundTrip(t, fixture(t, "cancellation-reasons.json"))
}

// reasonsRoundTrip asserts that what decodes encodes, with Junction's field
// names, and decodes equal; it returns the first decoding.
func reasonsRoundTrip(t testing.TB, data []byte) []CancellationReason {
	t.Helper()
	rs, err := DecodeCancellationReasons(data)
	require.NoError(t, err)
	b, err := json.Marshal(rs)
	require.NoError(t, err)
	back, err := DecodeCancellationReasons(b)
	require.NoError(t, err)
	if rs == nil {
		rs = []CancellationReason{} // the json package writes a nil slice as []
	}
	require.True(t, reflect.DeepEqual(rs, back), "round trip changed %#v into %#v through %s", rs, back, b)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(b), string(again), "encoding is not stable")
	return rs
}

func TestCancellationReasonJSON(t *testing.T) {
	b, err := json.Marshal(CancellationReason{ID: "r1", Name: "Other", IsRefundable: true})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"r1","name":"Other","is_refundable":true}`, string(b))
	b, err = json.Marshal(CancellationReason{})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"","name":"","is_refundable":false}`, string(b))

	for name, c := range map[string]struct {
		data string
		want []CancellationReason
	}{
		"null":           {`null`, nil},
		"empty":          {` [ ] `, []CancellationReason{}},
		"unknown fields": {`[{"id":"r1","name":"Other","is_refundable":false,"category":{"a":1}}]`, []CancellationReason{{ID: "r1", Name: "Other"}}},
		"absent fields":  {`[{"id":"r1"},{}]`, []CancellationReason{{ID: "r1"}, {}}},
		"null fields":    {`[{"id":null,"name":null,"is_refundable":null}]`, []CancellationReason{{}}},
		"null element":   {`[null,{"id":"r2"}]`, []CancellationReason{{}, {ID: "r2"}}},
		"escapes":        {`[{"id":"\u0072\u0031","name":"caf\u00e9 <b> \"x\""}]`, []CancellationReason{{ID: "r1", Name: `café <b> "x"`}}},
	} {
		t.Run(name, func(t *testing.T) {
			reasonsRoundTrip(t, []byte(c.data))
			got, err := DecodeCancellationReasons([]byte(c.data))
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestDecodeCancellationReasonsErrors(t *testing.T) {
	for name, c := range map[string]struct {
		data  string
		field string
		msg   string
	}{
		"empty input":      {data: ``},
		"invalid JSON":     {data: `[{"id":"r1"`, field: "/0", msg: "appointment: decode /0: unexpected end of JSON input"},
		"trailing data":    {data: `[] []`},
		"object":           {data: `{"reasons":[]}`, msg: "appointment: decode: cannot read object as array"},
		"repeated member":  {data: `[{"id":"a","id":"b"}]`, field: "/0/id"},
		"string":           {data: `"r1"`},
		"element string":   {data: `["r1"]`, field: "/0", msg: "appointment: decode /0: cannot read string as object"},
		"element array":    {data: `[{"id":"r1"},[]]`, field: "/1"},
		"id number":        {data: `[{"id":5}]`, field: "/0/id", msg: "appointment: decode /0/id: cannot read number as string"},
		"name array":       {data: `[{"id":"a"},{"id":"b"},{"name":["x"]}]`, field: "/2/name"},
		"refundable text":  {data: `[{"is_refundable":"yes"}]`, field: "/0/is_refundable"},
		"refundable 1":     {data: `[{"is_refundable":1}]`, field: "/0/is_refundable"},
		"first fault wins": {data: `[{"id":"a"},{"id":1},{"id":2}]`, field: "/1/id"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeCancellationReasons([]byte(c.data))
			assert.Nil(t, got)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.field, de.Path)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrUnknownStatus)
			if c.msg != "" {
				assert.Equal(t, c.msg, err.Error())
			}

			// Through json.Unmarshal too.
			dst := []CancellationReason{{ID: "unchanged"}}
			require.Error(t, json.Unmarshal([]byte(c.data), &dst))
		})
	}
}

func TestCancellationReasonUnmarshalJSON(t *testing.T) {
	r := CancellationReason{ID: "unchanged"}
	for _, bad := range []string{``, ` `, `[]`, `"x"`, `{"id":1}`, `{"name":true}`, `{"is_refundable":"no"}`, `{`, `{} {}`} {
		require.Error(t, json.Unmarshal([]byte(bad), &r), "Unmarshal(%q)", bad)
	}
	r = CancellationReason{ID: "unchanged"}
	require.NoError(t, json.Unmarshal([]byte(" null "), &r))
	assert.Equal(t, CancellationReason{}, r, "null gives the zero value, as the json package does")
	require.NoError(t, json.Unmarshal([]byte(`{"id":"r1","is_refundable":true}`), &r))
	assert.Equal(t, CancellationReason{ID: "r1", IsRefundable: true}, r)
}

func FuzzDecodeCancellationReasons(f *testing.F) {
	f.Add(fixture(f, "cancellation-reasons.json"))
	for _, s := range []string{
		`null`, `[]`, `[null]`, `[{}]`, `[{"id":"r1","name":"Other","is_refundable":true}]`,
		`[{"id":5}]`, `["x"]`, `{}`, `[`, ``, `[{"ID":"r1","Is_Refundable":true,"x":[1,{"y":null}]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte(`[{"id":"a","id":null,"name":"n"},{"Name":"x"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := DecodeCancellationReasons(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnknownStatus) || rs != nil {
				t.Fatalf("DecodeCancellationReasons(%q) = %#v, %v", data, rs, err)
			}
		}
		if !jsontext.Value(data).IsValid() {
			if err == nil {
				t.Fatalf("DecodeCancellationReasons(%q) accepted invalid JSON", data)
			}
			return
		}
		// Where member names are spelled exactly and never repeated, it
		// agrees with encoding/json decoding into the plain struct.
		if exactKeys(data) {
			var plain []legacyReason
			jerr := stdjson.Unmarshal(data, &plain)
			var want []CancellationReason
			if plain != nil {
				want = make([]CancellationReason, len(plain))
				for i, p := range plain {
					want[i] = CancellationReason(p)
				}
			}
			if (err == nil) != (jerr == nil) || (err == nil && !reflect.DeepEqual(rs, want)) {
				t.Fatalf("DecodeCancellationReasons(%q) = %#v, %v but encoding/json gives %#v, %v", data, rs, err, want, jerr)
			}
		}
		if err != nil {
			return
		}
		b, err := json.Marshal(rs)
		if err != nil {
			t.Fatalf("encoding %#v: %v", rs, err)
		}
		back, err := DecodeCancellationReasons(b)
		if rs == nil {
			rs = []CancellationReason{}
		}
		if err != nil || !reflect.DeepEqual(back, rs) {
			t.Fatalf("round trip changed %#v into %#v, %v through %s", rs, back, err, b)
		}
	})
}
