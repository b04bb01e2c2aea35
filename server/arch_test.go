package server

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Tooling the product binary must never link: test support and the load
// generators (with the SFU child's allow-all authorizer), which live in
// their own binary, cmd/sprechstunde-load.
func toolingPrefixes(mod string) []string {
	return []string{
		"testing",
		"net/http/httptest",
		mod + "/sfu/sfutest",
		mod + "/sfu/sfuload",
		mod + "/cmd",
	}
}

// storageAndHTTP are the infrastructure imports the domain and the SFU stay
// free of.
var storageAndHTTP = []string{
	"gorm.io/",
	"github.com/mattn/go-sqlite3", // SQLite driver (cgo), under gorm.io/driver/sqlite
	"github.com/jackc/",           // PostgreSQL driver
	"github.com/labstack/echo",
}

// importRule forbids import path prefixes to the packages matching pattern:
// among all their dependencies, or (direct) among their own imports only.
type importRule struct {
	pattern   string
	direct    bool
	forbidden []string
}

func importRules(mod string) []importRule {
	return []importRule{
		// The product binary.
		{".", false, toolingPrefixes(mod)},
		{"./booking", false, slices.Concat(storageAndHTTP, []string{
			"github.com/pion/",
			mod + "/sfu",
			mod + "/server",
			mod + "/booking/gormstore",
		})},
		{"./sfu", false, slices.Concat(storageAndHTTP, []string{
			mod + "/booking",
			mod + "/server",
		})},
		// The wire protocol knows neither the SFU nor its transport, so
		// clients and tests depend on it alone.
		{"./sfu/signaling", false, slices.Concat(storageAndHTTP, []string{
			mod + "/",
			"github.com/gorilla/websocket",
		})},
		// The UDP socket engine is a leaf below the SFU: no WebRTC, no
		// protocol.
		{"./sfu/udpbatch", false, slices.Concat(storageAndHTTP, []string{
			"github.com/pion/",
			mod + "/sfu/signaling",
			mod + "/booking",
			mod + "/server",
		})},
		// Handlers reach the database through the booking use cases and
		// gormstore only, never through gorm itself.
		{"./server/...", true, []string{"gorm.io/", "github.com/mattn/go-sqlite3", "github.com/jackc/"}},
		// The HTTP layer reaches data through the use cases only: not even
		// indirectly through gormstore.
		{"./server/httpapi", false, []string{"gorm.io/", "github.com/mattn/go-sqlite3", "github.com/jackc/",
			mod + "/booking/gormstore"}},
		// The leaves of server each provide one thing to the composition
		// root (which they cannot import: that would be a cycle) and to the
		// HTTP layer: no storage, no HTTP framework.
		{"./server/password", false, slices.Concat(storageAndHTTP, []string{
			"github.com/pion/",
			mod + "/booking",
			mod + "/sfu",
		})},
		{"./server/ical", false, slices.Concat(storageAndHTTP, []string{"github.com/pion/", mod + "/sfu"})},
		{"./server/mailer", false, slices.Concat(storageAndHTTP, []string{"github.com/pion/", mod + "/sfu"})},
		{"./server/roomgate", false, storageAndHTTP},
		// The challenge package needs the standard library only.
		{"./server/altcha", false, slices.Concat(storageAndHTTP, []string{
			"github.com/pion/",
			"golang.org/x/",
			mod + "/booking",
			mod + "/sfu",
		})},
	}
}

// TestImportDirection guards the layering (docs/architecture.md): the
// product binary links no tooling, the booking domain stays free of
// storage, HTTP and media code, the SFU knows nothing about bookings or
// HTTP routing, and handlers do not import gorm. Every package named must
// exist.
func TestImportDirection(t *testing.T) {
	root, mod := moduleRoot(t)
	for _, r := range importRules(mod) {
		t.Run(r.pattern, func(t *testing.T) {
			// -e: a package that doesn't build yet still lists its imports.
			format := `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`
			if r.direct {
				format = `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`
			}
			lines := goList(t, root, "-e", "-f", format, r.pattern)
			if self := mod + strings.TrimSuffix(strings.TrimPrefix(r.pattern, "."), "/..."); !slices.ContainsFunc(lines, func(l string) bool {
				return strings.HasPrefix(l, self+" ") || l == self
			}) {
				t.Fatalf("package %s not found (go list: %v)", self, lines)
			}
			verb := "depends on"
			if r.direct {
				verb = "imports"
			}
			for _, l := range lines {
				f := strings.Fields(l)
				for _, v := range violations(f[1:], r.forbidden) {
					t.Errorf("%s %s %s", f[0], verb, v)
				}
			}
		})
	}
}

// TestImportRulesCatchOldMistakes: the rules refuse what the layering once
// got wrong, so a relapse fails TestImportDirection.
func TestImportRulesCatchOldMistakes(t *testing.T) {
	const mod = "example.com/m"
	rules := map[string]importRule{}
	for _, r := range importRules(mod) {
		rules[r.pattern] = r
	}
	tests := []struct {
		name, pattern string
		imports       []string
	}{
		{"load generator in the product", ".", []string{mod + "/server", mod + "/sfu/sfuload"}},
		{"test client in the product", ".", []string{mod + "/sfu/sfutest"}},
		{"testing in the product", ".", []string{"testing"}},
		{"httptest in the product", ".", []string{"net/http/httptest"}},
		{"handler importing gorm", "./server/...", []string{"gorm.io/gorm"}},
		{"handlers reaching the store", "./server/httpapi", []string{mod + "/booking/gormstore"}},
		{"sfu importing booking", "./sfu", []string{mod + "/booking"}},
		{"protocol importing the SFU", "./sfu/signaling", []string{mod + "/sfu"}},
		{"protocol knowing its transport", "./sfu/signaling", []string{"github.com/gorilla/websocket"}},
		{"socket engine importing Pion", "./sfu/udpbatch", []string{"github.com/pion/ice/v4"}},
		{"domain importing the SQLite driver", "./booking", []string{"github.com/mattn/go-sqlite3"}},
		{"room gate answering HTTP", "./server/roomgate", []string{"github.com/labstack/echo/v4"}},
		{"mailer reading the database", "./server/mailer", []string{"gorm.io/gorm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := violations(tt.imports, rules[tt.pattern].forbidden); len(got) == 0 {
				t.Errorf("rule %s allows %v", tt.pattern, tt.imports)
			}
		})
	}
}

// violations lists the imports that lie under a forbidden prefix.
func violations(imports, forbidden []string) []string {
	var out []string
	for _, dep := range imports {
		for _, f := range forbidden {
			if under(dep, f) {
				out = append(out, dep+" (forbidden: "+f+")")
			}
		}
	}
	return out
}

// under reports whether path is prefix itself or lies below it. Prefixes
// ending in "/" match anything beneath that host or organisation.
func under(path, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(path, prefix)
	}
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// moduleRoot returns the module's directory and path.
func moduleRoot(t *testing.T) (dir, path string) {
	t.Helper()
	out := goList(t, ".", "-m", "-f", "{{.Dir}}\t{{.Path}}")
	if len(out) != 1 {
		t.Fatalf("go list -m: unexpected output %q", out)
	}
	dir, path, _ = strings.Cut(out[0], "\t")
	return filepath.Clean(dir), path
}

func goList(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestUnder(t *testing.T) {
	tests := []struct {
		path, prefix string
		want         bool
	}{
		{"gorm.io/gorm", "gorm.io/", true},
		{"github.com/labstack/echo/v4", "github.com/labstack/echo", true},
		{"example.com/m/sfu", "example.com/m/sfu", true},
		{"example.com/m/sfu/media", "example.com/m/sfu", true},
		{"example.com/m/sfutil", "example.com/m/sfu", false},
		{"example.com/m/booking/gormstore", "example.com/m/booking", true},
		{"example.com/m/bookings", "example.com/m/booking", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := under(tt.path, tt.prefix); got != tt.want {
				t.Errorf("under(%q, %q) = %v, want %v", tt.path, tt.prefix, got, tt.want)
			}
		})
	}
}
