package phlebkit_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/phlebkit/phlebkit/appointment"
	"github.com/phlebkit/phlebkit/order"
)

var update = flag.Bool("update", false, "rewrite the diagrams in README.md")

// diagrams are the README's generated sections: the text between the begin
// and end markers is a mermaid block drawn from the named function.
var diagrams = []struct {
	name    string
	mermaid func() string
}{
	{"order diagram", order.Mermaid},
	{"appointment diagram", appointment.Mermaid},
}

// TestReadmeDiagrams fails when a diagram in README.md differs from the one
// generated from its transition table; -update rewrites README.md.
func TestReadmeDiagrams(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, d := range diagrams {
		begin, end := "<!-- "+d.name+": begin -->\n", "<!-- "+d.name+": end -->"
		i, j := strings.Index(readme, begin), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("README.md has no %q section", d.name)
		}
		i += len(begin)
		want := "```mermaid\n" + d.mermaid() + "```\n"
		if got := readme[i:j]; got != want {
			if !*update {
				t.Errorf("README.md's %s is out of date (run go test . -update):\n%s", d.name, want)
				continue
			}
			readme = readme[:i] + want + readme[j:]
		}
	}
	if *update && readme != string(raw) {
		if err := os.WriteFile("README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
