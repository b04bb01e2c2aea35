package server

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestImportDirection guards the layering: the booking domain stays free of
// storage, HTTP and media code, and the SFU knows nothing about bookings or
// HTTP routing. Both packages must exist.
func TestImportDirection(t *testing.T) {
	root, mod := moduleRoot(t)
	infra := []string{
		"gorm.io/",
		"github.com/glebarez/", // SQLite driver
		"github.com/jackc/",    // PostgreSQL driver
		"github.com/labstack/echo",
	}
	tests := []struct {
		pkg       string
		forbidden []string // import path prefixes
	}{
		{"./booking", slices.Concat(infra, []string{
			"github.com/pion/",
			mod + "/sfu",
			mod + "/server",
			mod + "/booking/gormstore",
		})},
		{"./sfu", slices.Concat(infra, []string{
			mod + "/booking",
			mod + "/server",
		})},
		// The challenge package needs the standard library only.
		{"./server/altcha", slices.Concat(infra, []string{
			"github.com/pion/",
			"golang.org/x/",
			mod + "/booking",
			mod + "/sfu",
		})},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			// -e: a package that doesn't build yet still lists its imports.
			deps := goList(t, root, "-e", "-deps", tt.pkg)
			if self := mod + strings.TrimPrefix(tt.pkg, "."); !slices.Contains(deps, self) {
				t.Fatalf("package %s not found (go list: %v)", self, deps)
			}
			for _, dep := range deps {
				for _, f := range tt.forbidden {
					if under(dep, f) {
						t.Errorf("%s depends on %s (forbidden: %s)", tt.pkg, dep, f)
					}
				}
			}
		})
	}
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
