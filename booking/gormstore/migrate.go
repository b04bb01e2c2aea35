package gormstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// migration is one schema step; steps are applied in order, once, each in
// its own transaction, and recorded in schema_migrations.
type migration struct {
	version int
	up      func(tx *gorm.DB, postgres bool) error
}

var migrations = []migration{
	{1, migrateInitial},
	{2, migrateAsync},
	{3, migrateDayIndex},
	{4, migrateBoundedGuard},
	{5, migrateEmailKey},
	{6, migrateRoomSessions},
}

// migrateBoundedGuard bounds the SQLite overlap triggers' index scan from
// below (no appointment is busy longer than booking.MaxBusySpan), so a
// booking's guard reads the clerk's appointments near its start instead of
// the clerk's whole history.
func migrateBoundedGuard(tx *gorm.DB, postgres bool) error {
	if postgres {
		return nil // the exclusion constraint uses a GiST index already
	}
	for _, q := range append([]string{
		`DROP TRIGGER IF EXISTS appointments_no_overlap_insert`,
		`DROP TRIGGER IF EXISTS appointments_no_overlap_update`,
	}, sqliteOverlapGuard...) {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// migrateDayIndex serves "all appointments of a day" (clerk loads) without
// visiting every clerk's part of idx_appt_clerk_start.
func migrateDayIndex(tx *gorm.DB, _ bool) error {
	return tx.Exec("CREATE INDEX IF NOT EXISTS idx_appt_start ON appointments (start_unix, status, clerk_id)").Error
}

// migrationLockKey is an arbitrary constant for pg_advisory_xact_lock, so
// that several server processes starting at once migrate one after another.
const migrationLockKey = 7_020_301

func (s *Store) migrate(ctx context.Context, log *slog.Logger) error {
	if err := s.db.WithContext(ctx).AutoMigrate(&migrationRow{}); err != nil {
		return fmt.Errorf("gormstore: migrations table: %w", err)
	}
	for _, m := range migrations {
		err := s.write(ctx, func(tx *gorm.DB) error {
			if s.postgres {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockKey).Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&migrationRow{}).Where("version = ?", m.version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.up(tx, s.postgres); err != nil {
				return err
			}
			log.Info("database migrated", "version", m.version)
			return tx.Create(&migrationRow{Version: m.version, AppliedAt: time.Now().Unix()}).Error
		})
		if err != nil {
			return fmt.Errorf("gormstore: migration %d: %w", m.version, err)
		}
	}
	return nil
}

func migrateInitial(tx *gorm.DB, postgres bool) error {
	if err := tx.AutoMigrate(&serviceRow{}, &hoursRow{}, &closureRow{}, &userRow{}, &sessionRow{},
		&caseRow{}, &appointmentRow{}, &noteRow{}, &eventRow{}); err != nil {
		return err
	}
	stmts := sqliteOverlapGuard
	if postgres {
		stmts = postgresOverlapGuard
	}
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// The overlap guards make the database itself refuse two booked
// appointments of one clerk whose busy spans [start, busy_until) overlap.
// The booking transaction already prevents this with locks; the guard turns
// any future bug into an error instead of a double booking.
var postgresOverlapGuard = []string{
	`CREATE EXTENSION IF NOT EXISTS btree_gist`,
	`ALTER TABLE appointments ADD CONSTRAINT appointments_no_overlap
	   EXCLUDE USING gist (clerk_id WITH =, int8range(start_unix, busy_until_unix) WITH &&)
	   WHERE (status = 'booked')`,
}

// The triggers' lower bound on start_unix (booking.MaxBusySpan) only
// narrows the index range: an appointment starting earlier cannot reach
// NEW.start_unix.
var sqliteOverlapGuard = []string{
	`CREATE TRIGGER appointments_no_overlap_insert BEFORE INSERT ON appointments
	 WHEN NEW.status = 'booked' AND EXISTS (SELECT 1 FROM appointments a
	   WHERE a.clerk_id = NEW.clerk_id AND a.status = 'booked'
	     AND a.start_unix < NEW.busy_until_unix AND a.start_unix > NEW.start_unix - ` + maxBusySeconds + `
	     AND a.busy_until_unix > NEW.start_unix)
	 BEGIN SELECT RAISE(ABORT, 'appointments_no_overlap'); END`,
	`CREATE TRIGGER appointments_no_overlap_update BEFORE UPDATE OF status, clerk_id, start_unix, busy_until_unix ON appointments
	 WHEN NEW.status = 'booked' AND EXISTS (SELECT 1 FROM appointments a
	   WHERE a.id <> NEW.id AND a.clerk_id = NEW.clerk_id AND a.status = 'booked'
	     AND a.start_unix < NEW.busy_until_unix AND a.start_unix > NEW.start_unix - ` + maxBusySeconds + `
	     AND a.busy_until_unix > NEW.start_unix)
	 BEGIN SELECT RAISE(ABORT, 'appointments_no_overlap'); END`,
}

var maxBusySeconds = strconv.FormatInt(int64(booking.MaxBusySpan/time.Second), 10)
