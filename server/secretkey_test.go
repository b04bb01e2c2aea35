package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// testDataDir is the data directory of every App a test opens on dsn: one
// per database, as servers sharing a database share the key file, and
// never the source tree.
func testDataDir(t *testing.T, dsn string) string {
	sum := sha256.Sum256([]byte(dsn))
	dir := filepath.Join(os.TempDir(), "sprechstunde-data-"+hex.EncodeToString(sum[:8]))
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// appOn opens an App on the SQLite file db with no secret_key.
func appOn(t *testing.T, db, dataDir string, demo bool) (*App, error) {
	t.Helper()
	env := map[string]string{"SPRECHSTUNDE_DATABASE": db, "SPRECHSTUNDE_DATA_DIR": dataDir}
	for k, v := range localMedia {
		env[k] = v
	}
	cfg, err := Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Demo = demo
	app, err := NewApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil {
		t.Cleanup(func() { _ = app.Close() })
	}
	return app, err
}

// settingValues is everything a copy of the settings table holds.
func settingValues(t *testing.T, db *gorm.DB) map[string]string {
	t.Helper()
	var rows []struct{ Name, Value string }
	if err := db.Raw("SELECT name, value FROM settings").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Name] = r.Value
	}
	return out
}

// TestSecretKeyFile: without secret_key the key is generated into
// secret.key (0600) beside the database, and the database holds no key.
func TestSecretKeyFile(t *testing.T) {
	dir := t.TempDir()
	app, err := appOn(t, filepath.Join(dir, "s.db"), "", false)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "secret.key")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	key, err := readKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range settingValues(t, storetest.SQL(t, app.cfg.Database)) {
		if name == "secret_key" || strings.Contains(v, base64.StdEncoding.EncodeToString(key)) || strings.Contains(v, hex.EncodeToString(key)) {
			t.Errorf("settings row %s holds the key", name)
		}
	}

	if _, err := appOn(t, filepath.Join(dir, "s.db"), "", false); err != nil {
		t.Fatalf("second process: %v", err)
	}

	if k2, _ := readKeyFile(path); string(k2) != string(key) {
		t.Error("restart replaced the key")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := appOn(t, filepath.Join(dir, "s.db"), "", false); err == nil || !strings.Contains(err.Error(), "chmod") {
		t.Errorf("start with a world-readable key file: %v", err)
	}
}

// TestDatabaseCopyCannotOpenTokens: a copy of the whole database opens no
// sealed join token, and a server started on the copy without the key file
// refuses to start instead of sealing with a new key.
func TestDatabaseCopyCannotOpenTokens(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	_, svc := env.office(admin, "clerk@amt.example")
	var b bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": "2026-03-30T09:00:00+02:00",
		"name": "E", "email": "e@example.org", "consent": true}, 201, &b)
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "copy.db")
	if err := env.rawSQL().Exec("VACUUM INTO ?", copyPath).Error; err != nil {
		t.Fatal(err)
	}
	copied, err := gormstore.Open(context.Background(), copyPath, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var sealed string
	if err := storetest.SQL(t, copyPath).Raw("SELECT join_token_sealed FROM appointments").Scan(&sealed).Error; err != nil || sealed == "" {
		t.Fatalf("sealed token %q: %v", sealed, err)
	}
	for name, v := range settingValues(t, storetest.SQL(t, copyPath)) {
		for _, cand := range [][]byte{[]byte(v), decode64(v), decodeHex(v), sha(v)} {
			if s, err := booking.NewSealer(cand); err == nil {
				if _, err := s.Open("join", sealed); err == nil {
					t.Errorf("settings row %s opens a join token", name)
				}
			}
		}
	}
	_ = copied.Close()
	if _, err := appOn(t, copyPath, "", false); err == nil || !strings.Contains(err.Error(), "secret") {
		t.Fatalf("start on a copy without the key file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); err == nil {
		t.Error("a key file was created for the copy")
	}
}

// TestSecretKeyMovesOutOfDatabase: a key an earlier version generated into
// the database moves into the file, so tokens sealed with it still open,
// and leaves the database.
func TestSecretKeyMovesOutOfDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "old.db")
	s, err := gormstore.Open(context.Background(), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	legacy := make([]byte, booking.SecretKeySize)
	_, _ = rand.Read(legacy)
	if err := storetest.SQL(t, db).Exec("INSERT INTO settings (name, value) VALUES ('secret_key', ?)", base64.StdEncoding.EncodeToString(legacy)).Error; err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	sealer, _ := booking.NewSealer(legacy)
	sealed, _ := sealer.Seal("join", []byte("token"))

	app, err := appOn(t, db, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := settingValues(t, storetest.SQL(t, app.cfg.Database))["secret_key"]; ok {
		t.Error("the key is still in the database")
	}
	key, err := readKeyFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	moved, _ := booking.NewSealer(key)
	if plain, err := moved.Open("join", sealed); err != nil || string(plain) != "token" {
		t.Fatalf("old token after the move: %q %v", plain, err)
	}
}

// TestSecretKeyFileRequired: in production a key file that cannot be
// created stops the start; a demo runs on a key for one run.
func TestSecretKeyFileRequired(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := appOn(t, filepath.Join(dir, "p.db"), filepath.Join(blocker, "data"), false); err == nil || !strings.Contains(err.Error(), "secret_key") {
		t.Fatalf("production start: %v", err)
	}
	if _, err := appOn(t, filepath.Join(dir, "d.db"), filepath.Join(blocker, "data"), true); err != nil {
		t.Fatalf("demo start: %v", err)
	}
}

func decode64(s string) []byte  { b, _ := base64.StdEncoding.DecodeString(s); return b }
func decodeHex(s string) []byte { b, _ := hex.DecodeString(s); return b }
func sha(s string) []byte       { h := sha256.Sum256([]byte(s)); return h[:] }

// TestConfiguredKeyDropsGeneratedOne: with secret_key set, a key an
// earlier version generated into the database is deleted from it.
func TestConfiguredKeyDropsGeneratedOne(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "old.db")
	s, err := gormstore.Open(context.Background(), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := storetest.SQL(t, db).Exec("INSERT INTO settings (name, value) VALUES ('secret_key', ?)", base64.StdEncoding.EncodeToString(make([]byte, 32))).Error; err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	env := map[string]string{"SPRECHSTUNDE_DATABASE": db, "SPRECHSTUNDE_SECRET_KEY": strings.Repeat("k", 40)}
	for k, v := range localMedia {
		env[k] = v
	}
	cfg, err := Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	app, err := NewApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Close() })
	if _, ok := settingValues(t, storetest.SQL(t, app.cfg.Database))["secret_key"]; ok {
		t.Error("the generated key is still in the database")
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); err == nil {
		t.Error("a key file was written although secret_key is set")
	}
}
