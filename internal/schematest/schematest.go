// Package schematest checks JSON documents against the schemas of an
// OpenAPI document, for tests: the members a schema requires, the JSON type
// of every value, null only where the schema allows it, and, when asked,
// formats, patterns, lengths and enumerations. It follows $ref, anyOf,
// oneOf, allOf, properties, additionalProperties: false and items; it does
// not implement the rest of JSON Schema. It is imported by tests only.
package schematest

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
)

// Doc holds the schemas of an OpenAPI document, by name.
type Doc struct {
	schemas map[string]any
}

// Options says what a check looks at beyond members, types and null.
type Options struct {
	// Formats checks the formats uuid, uuid4, date-time and date, and
	// pattern, maxLength, minimum and maximum.
	Formats bool
	// Enums checks enum and const.
	Enums bool
}

// Load reads a file holding an OpenAPI document, or any JSON object with
// the schemas under components.schemas.
func Load(path string) (*Doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc, json.RejectUnknownMembers(false)); err != nil {
		return nil, fmt.Errorf("schematest: %s: %w", path, err)
	}
	if len(doc.Components.Schemas) == 0 {
		return nil, fmt.Errorf("schematest: %s: no components.schemas", path)
	}
	return &Doc{schemas: doc.Components.Schemas}, nil
}

// Check returns what is wrong with the JSON document data against the
// schema called name, one line per fault, each starting with the JSON
// Pointer of the value at fault; nil when nothing is.
func (d *Doc) Check(name string, data []byte, opts Options) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	s, ok := d.schemas[name]
	if !ok {
		return []string{"no schema " + strconv.Quote(name)}
	}
	c := checker{doc: d, opts: opts}
	c.check(s, v, "")
	return c.faults
}

type checker struct {
	doc    *Doc
	opts   Options
	faults []string
	depth  int
}

func (c *checker) fail(path, format string, args ...any) {
	c.faults = append(c.faults, cmpOr(path, "/")+": "+fmt.Sprintf(format, args...))
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// check checks v, at path, against schema s.
func (c *checker) check(s any, v any, path string) {
	m, ok := s.(map[string]any)
	if !ok {
		return // true, or a schema this checker does not read
	}
	if c.depth++; c.depth > 100 {
		c.fail(path, "schema nested too deep")
		return
	}
	defer func() { c.depth-- }()
	if ref, ok := m["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := c.doc.schemas[name]
		if !ok {
			c.fail(path, "unresolved $ref %s", ref)
			return
		}
		c.check(target, v, path)
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		if alts, ok := m[key].([]any); ok {
			c.alternatives(alts, v, path)
		}
	}
	if all, ok := m["allOf"].([]any); ok {
		for _, s := range all {
			c.check(s, v, path)
		}
	}
	if t, ok := m["type"]; ok && !hasType(t, v) {
		c.fail(path, "want %v, have %s", t, kind(v))
		return
	}
	if c.opts.Enums {
		if want, ok := m["const"]; ok && v != want {
			c.fail(path, "want %v, have %v", want, v)
		}
		if enum, ok := m["enum"].([]any); ok && !slices.Contains(enum, v) {
			c.fail(path, "%v is not one of %v", v, enum)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		c.object(m, v, path)
	case []any:
		if items, ok := m["items"]; ok {
			for i, e := range v {
				c.check(items, e, path+"/"+strconv.Itoa(i))
			}
		}
	case string:
		if c.opts.Formats {
			c.text(m, v, path)
		}
	case float64:
		if c.opts.Formats {
			if min, ok := m["minimum"].(float64); ok && v < min {
				c.fail(path, "%v is below %v", v, min)
			}
			if max, ok := m["maximum"].(float64); ok && v > max {
				c.fail(path, "%v is above %v", v, max)
			}
		}
	}
}

// alternatives checks v against the schemas of an anyOf or a oneOf: it is
// right when one of them takes it; otherwise the faults reported are those
// of the alternative with the fewest.
func (c *checker) alternatives(alts []any, v any, path string) {
	var best []string
	bestScore := 0
	for _, s := range alts {
		sub := checker{doc: c.doc, opts: c.opts, depth: c.depth}
		sub.check(s, v, path)
		if len(sub.faults) == 0 {
			return
		}
		// An alternative of another type is the worst match.
		score := len(sub.faults)
		if strings.HasPrefix(sub.faults[0], cmpOr(path, "/")+": want ") {
			score += 1 << 20
		}
		if best == nil || score < bestScore {
			best, bestScore = sub.faults, score
		}
	}
	c.faults = append(c.faults, best...)
}

func (c *checker) object(s map[string]any, v map[string]any, path string) {
	required, _ := s["required"].([]any)
	for _, r := range required {
		if name, _ := r.(string); name != "" {
			if _, ok := v[name]; !ok {
				c.fail(path, "missing required member %q", name)
			}
		}
	}
	props, _ := s["properties"].(map[string]any)
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := path + "/" + strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
		if ps, ok := props[name]; ok {
			c.check(ps, v[name], p)
		} else if s["additionalProperties"] == false {
			c.fail(p, "member not allowed")
		}
	}
}

var (
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	uuid4       = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)
)

func (c *checker) text(s map[string]any, v, path string) {
	switch s["format"] {
	case "uuid":
		if !uuidPattern.MatchString(v) {
			c.fail(path, "%q is not a uuid", v)
		}
	case "uuid4":
		if !uuid4.MatchString(v) {
			c.fail(path, "%q is not a version 4 uuid", v)
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			c.fail(path, "%q is not an RFC 3339 date-time", v)
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			c.fail(path, "%q is not a date", v)
		}
	}
	if pattern, ok := s["pattern"].(string); ok {
		if re, err := regexp.Compile(pattern); err != nil {
			c.fail(path, "pattern %q: %v", pattern, err)
		} else if !re.MatchString(v) {
			c.fail(path, "%q does not match %q", v, pattern)
		}
	}
	if max, ok := s["maxLength"].(float64); ok && float64(len([]rune(v))) > max {
		c.fail(path, "longer than %v characters", max)
	}
}

// hasType reports whether v is of the JSON Schema type t, a name or a list
// of names.
func hasType(t any, v any) bool {
	if list, ok := t.([]any); ok {
		return slices.ContainsFunc(list, func(t any) bool { return hasType(t, v) })
	}
	name, _ := t.(string)
	switch v := v.(type) {
	case nil:
		return name == "null"
	case bool:
		return name == "boolean"
	case string:
		return name == "string"
	case float64:
		return name == "number" || name == "integer" && v == math.Trunc(v) && !math.IsInf(v, 0)
	case map[string]any:
		return name == "object"
	case []any:
		return name == "array"
	}
	return false
}

// kind names the JSON type of v.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
