package schematest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	doc, err := Load("testdata/schemas.json")
	require.NoError(t, err)
	strict := Options{Formats: true, Enums: true}
	good := `{"id": "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", "when": null, "kind": "a", "n": 3, "child": {"x": true},
		"tags": ["abc"], "zip": "85004"}`
	assert.Empty(t, doc.Check("Thing", []byte(good), strict))
	for _, c := range []struct {
		doc  string
		opts Options
		want []string
	}{
		{`{"when": null, "kind": "a", "child": null, "tags": []}`, Options{}, []string{`/: missing required member "id"`}},
		{`{"id": null, "when": 1, "kind": "a", "child": null, "tags": {}}`, Options{},
			[]string{"/id: want string, have null", "/tags: want array, have object", "/when: want string, have number"}},
		{`{"id": "x", "when": "2020-01-01", "kind": "c", "n": 1.5, "child": {"x": 1, "y": 2}, "tags": ["abcd"], "zip": "1"}`, strict,
			[]string{`/child/x: want boolean, have number`, `/child/y: member not allowed`, `/id: "x" is not a uuid`,
				`/kind: c is not one of [a b]`, `/n: want integer, have number`, `/tags/0: longer than 3 characters`,
				`/when: "2020-01-01" is not an RFC 3339 date-time`, `/zip: "1" does not match "^\\d{5}$"`}},
		{`{"id": "x", "when": null, "kind": "c", "n": 10, "child": null, "tags": []}`, Options{}, nil},
		{`{"id": "", "when": null, "kind": "a", "n": -1, "child": null, "tags": []}`, Options{Formats: true},
			[]string{`/id: "" is not a uuid`, "/n: -1 is below 0"}},
		{`[]`, Options{}, []string{"/: want object, have array"}},
		{`{`, Options{}, nil},
	} {
		got := doc.Check("Thing", []byte(c.doc), c.opts)
		if c.want == nil && c.doc == `{` {
			assert.Len(t, got, 1, c.doc)
			continue
		}
		assert.Equal(t, c.want, got, c.doc)
	}
	assert.Equal(t, []string{`no schema "Nope"`}, doc.Check("Nope", []byte(`{}`), Options{}))
	_, err = Load("testdata/missing.json")
	assert.Error(t, err)
}

// TestDepth checks the bound on nesting: a schema that refers to itself
// without end is reported, a deep value is checked down to the bound, and a
// wide value, however many members it has, is not taken for a deep one.
func TestDepth(t *testing.T) {
	doc, err := Load("testdata/schemas.json")
	require.NoError(t, err)
	assert.Equal(t, []string{"/: schema nested too deep"}, doc.Check("Loop", []byte(`1`), Options{}))

	// Each level of Deep is two checks (the array, then its items' $ref),
	// so the bound of 100 checks is first passed at level 51.
	nested := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	assert.Empty(t, doc.Check("Deep", nested(50), Options{}))
	assert.NotEmpty(t, doc.Check("Deep", nested(51), Options{}))
	assert.Empty(t, doc.Check("Deep", nested(3), Options{}))
	// Top adds one check above Deep: at level 50 the deepest check is the
	// hundredth, the last one allowed.
	assert.Empty(t, doc.Check("Top", nested(50), Options{}))
	assert.NotEmpty(t, doc.Check("Top", nested(51), Options{}))

	wide := "[" + strings.Repeat(`"a",`, 300) + `"a"]`
	assert.Empty(t, doc.Check("Wide", []byte(wide), Options{}))
}

// TestBounds checks the inclusive minimum and maximum, and const.
func TestBounds(t *testing.T) {
	doc, err := Load("testdata/schemas.json")
	require.NoError(t, err)
	thing := func(n string) []byte {
		return []byte(`{"id": "84d96c03-6b1c-4226-ad8f-ef44a6bc08af", "when": null, "kind": "a", "n": ` + n +
			`, "child": null, "tags": []}`)
	}
	strict := Options{Formats: true, Enums: true}
	assert.Empty(t, doc.Check("Thing", thing("0"), strict))
	assert.Empty(t, doc.Check("Thing", thing("9"), strict))
	assert.Equal(t, []string{"/n: 10 is above 9"}, doc.Check("Thing", thing("10"), strict))
	assert.Empty(t, doc.Check("Fixed", []byte(`"v1"`), strict))
	assert.Equal(t, []string{"/: want v1, have v2"}, doc.Check("Fixed", []byte(`"v2"`), strict))
	assert.Empty(t, doc.Check("Fixed", []byte(`"v2"`), Options{}))
}

// TestAlternatives checks which alternative's faults an anyOf reports
// when none takes the value: among alternatives of another type, the one
// with the fewest faults, whatever their order.
func TestAlternatives(t *testing.T) {
	doc, err := Load("testdata/schemas.json")
	require.NoError(t, err)
	assert.Equal(t, []string{"/: want string, have object"}, doc.Check("Pick", []byte(`{}`), Options{}))
	assert.Empty(t, doc.Check("Pick", []byte(`"s"`), Options{}))
}
