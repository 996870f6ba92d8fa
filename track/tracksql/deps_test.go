package tracksql

import (
	"os/exec"
	"strings"
	"testing"
)

// drivers are the import paths of database drivers; no library package
// may depend on one.
var drivers = []string{
	"modernc.org/sqlite", "github.com/jackc/pgx", "github.com/lib/pq", "github.com/mattn/go-sqlite3",
}

// TestNoDriver checks that no library package of the module (every one but
// the programs) depends on a database driver: users choose theirs.
func TestNoDriver(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on the path: %v", err)
	}
	list := func(args ...string) []string {
		t.Helper()
		cmd := exec.Command(gobin, append([]string{"list"}, args...)...)
		cmd.Dir = "../.."
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
		}
		return strings.Fields(string(out))
	}
	libs := list("-f", `{{if ne .Name "main"}}{{.ImportPath}}{{end}}`, "./...")
	if len(libs) < 10 {
		t.Fatalf("found %d library packages, want at least 10: %v", len(libs), libs)
	}
	deps := list(append([]string{"-deps"}, libs...)...)
	for _, d := range deps {
		for _, driver := range drivers {
			if d == driver || strings.HasPrefix(d, driver+"/") {
				t.Errorf("a library package depends on the driver %s", d)
			}
		}
	}
	if !strings.Contains(strings.Join(deps, " "), "database/sql") {
		t.Error("go list -deps does not list database/sql: the check sees nothing")
	}
}
