// Package storetest opens fresh gormstore databases for tests: always a
// SQLite file, and a PostgreSQL database when SPRECHSTUNDE_TEST_POSTGRES
// names a server (make test starts one). Under CI a missing PostgreSQL is a
// failure, never a silent skip.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sprechstunde/sprechstunde/booking/gormstore"
)

// EnvPostgres names the variable holding the test server's URL.
const EnvPostgres = "SPRECHSTUNDE_TEST_POSTGRES"

// Kinds lists the database kinds to run a test against.
func Kinds(t testing.TB) []string {
	t.Helper()
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not set; run the suite with make test", EnvPostgres)
	}
	t.Logf("%s not set: PostgreSQL variant not run (make test sets it)", EnvPostgres)
	return []string{"sqlite"}
}

// DSN creates an empty database of kind and returns its DSN; it is removed
// when the test ends.
func DSN(t testing.TB, kind string) string {
	t.Helper()
	switch kind {
	case "sqlite":
		return filepath.Join(t.TempDir(), "test.db")
	case "postgres":
		return newPostgresDB(t)
	}
	t.Fatalf("unknown database kind %q", kind)
	return ""
}

// Open returns a migrated store on a fresh database of kind.
func Open(t testing.TB, kind string) *gormstore.Store {
	t.Helper()
	s, err := gormstore.Open(context.Background(), DSN(t, kind), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open %s store: %v", kind, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// SQL opens a handle of its own on the database at dsn for tests that
// check or change rows below a Store's methods (a Store offers no raw
// access); it is closed when the test ends. Keep one per test: each holds
// a connection.
func SQL(t testing.TB, dsn string) *gorm.DB {
	t.Helper()
	dialect := sqlite.Open("file:" + dsn + "?_busy_timeout=10000&_foreign_keys=1")
	if gormstore.IsPostgres(dsn) {
		dialect = postgres.Open(dsn)
	}
	db, err := gorm.Open(dialect, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = sqlDB.Close() })
	return db
}

func newPostgresDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect %s: %v", EnvPostgres, err)
	}
	sqlDB, _ := admin.DB()
	defer sqlDB.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			return
		}
		_ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error
		if d, err := a.DB(); err == nil {
			_ = d.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return u.String()
}
