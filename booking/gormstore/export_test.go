package gormstore

import (
	"context"
	"fmt"
	"log/slog"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// MigrateTo brings the empty or older database at dsn to schema version n
// (at most the newest), as a release with n migrations left it, so tests
// can build the schema an older release created.
func MigrateTo(ctx context.Context, dsn string, n int) error {
	pg := IsPostgres(dsn)
	d := postgres.Open(dsn)
	if !pg {
		path, err := sqliteDSN(dsn)
		if err != nil {
			return err
		}
		d = sqlite.Open(path)
	}
	db, err := gorm.Open(d, gormConfig())
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	run := func(ctx context.Context, fn func(tx *gorm.DB) error) error {
		return db.WithContext(ctx).Transaction(fn)
	}
	return migrateTo(ctx, run, pg, n, slog.New(slog.DiscardHandler))
}

// MigrationCount is the newest schema version of the dialect.
func MigrationCount(postgres bool) int { return len(migrations(postgres)) }
