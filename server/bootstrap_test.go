package server

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoBannerNamesStaffSignIn: the first start of the demo ends with
// where staff sign in, the logins and how to get new ones; a database URL
// (which may carry a password) is never printed.
func TestDemoBannerNamesStaffSignIn(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	app, err := appOn(t, db, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := app.bootstrap(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	banner := out.String()
	base := strings.TrimSuffix(app.cfg.PublicURL, "/")
	for _, want := range []string{base + "/staff", "admin@demo.example / ", "sachbearbeitung@demo.example / ",
		base + "/admin", "delete " + db} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	var again bytes.Buffer
	if err := app.bootstrap(context.Background(), &again); err != nil || again.Len() != 0 {
		t.Errorf("second start printed %q (err %v), want nothing", again.String(), err)
	}

	var pg bytes.Buffer
	printDemoBanner(&pg, "https://amt.example/", "postgres://app:geheim@db/sprechstunde", "Europe/Berlin", "a", "c")
	if strings.Contains(pg.String(), "geheim") || !strings.Contains(pg.String(), "https://amt.example/staff ") {
		t.Errorf("banner for PostgreSQL:\n%s", pg.String())
	}
}
