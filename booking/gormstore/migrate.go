package gormstore

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// A migration is the literal SQL of one schema version, run in order in one
// transaction. The lists live in migrations_sqlite.go and
// migrations_postgres.go; the schema version of a database is the number of
// migrations it has applied, one row each in schema_migrations.
type migration []string

// migrationLockKey is an arbitrary constant for pg_advisory_xact_lock, so
// that several server processes starting at once migrate one after another.
const migrationLockKey = 7_020_301

// migrations returns the dialect's list.
func migrations(postgres bool) []migration {
	if postgres {
		return postgresMigrations()
	}
	return sqliteMigrations()
}

// txRunner runs fn in one transaction (Store.write, or a plain gorm
// transaction where no Store is open yet).
type txRunner func(ctx context.Context, fn func(tx *gorm.DB) error) error

// migrate brings the database to the newest schema version.
func (s *Store) migrate(ctx context.Context, log *slog.Logger) error {
	return migrateTo(ctx, s.write, s.postgres, len(migrations(s.postgres)), log)
}

// migrateTo applies the pending migrations up to version target, each in
// its own transaction.
func migrateTo(ctx context.Context, run txRunner, postgres bool, target int, log *slog.Logger) error {
	for {
		version, applied, err := migrateStep(ctx, run, postgres, target)
		if err != nil || !applied {
			return err
		}
		log.Info("database migrated", "version", version)
	}
}

// migrateStep applies the next migration if the database is below target.
func migrateStep(ctx context.Context, run txRunner, postgres bool, target int) (version int, applied bool, err error) {
	err = run(ctx, func(tx *gorm.DB) error {
		v, err := schemaVersion(tx, postgres)
		if err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		if v >= target {
			return nil
		}
		for _, q := range migrations(postgres)[v] {
			if err := tx.Exec(q).Error; err != nil {
				return fmt.Errorf("migration %d: %.60s: %w", v+1, q, err)
			}
		}
		version, applied = v+1, true
		return tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", version, time.Now().Unix()).Error
	})
	if err != nil {
		return 0, false, fmt.Errorf("gormstore: %w", err)
	}
	return version, applied, nil
}

// schemaVersion takes the migration lock (PostgreSQL), creates the version
// table if missing and returns how many migrations the database has
// applied. Versions are recorded one by one from 1, so the count is also
// the highest version; anything else means the table was edited by hand.
func schemaVersion(tx *gorm.DB, postgres bool) (int, error) {
	ddl := sqliteVersionTable
	if postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockKey).Error; err != nil {
			return 0, err
		}
		ddl = postgresVersionTable
	}
	if err := tx.Exec(ddl).Error; err != nil {
		return 0, err
	}
	var got struct{ N, Max int }
	if err := tx.Raw("SELECT COUNT(*) AS n, COALESCE(MAX(version), 0) AS max FROM schema_migrations").Scan(&got).Error; err != nil {
		return 0, err
	}
	if got.N != got.Max {
		return 0, fmt.Errorf("schema_migrations holds %d versions up to %d, want 1 to %d", got.N, got.Max, got.N)
	}
	return got.N, nil
}
