package webhook

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoTransport checks that the package, and everything it imports, stays
// free of net/http: the transport is package webhookhttp's, so that code
// that only builds or reads events (a simulated flow, a store) does not
// link an HTTP stack.
func TestNoTransport(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/phlebkit/phlebkit/webhook") {
		t.Fatalf("go list -deps does not list the package itself: %q", deps)
	}
	if slices.Contains(deps, "net/http") {
		t.Error("package webhook depends on net/http")
	}
}
