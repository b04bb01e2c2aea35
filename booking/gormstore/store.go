// Package gormstore implements booking.Store with gorm on SQLite (embedded
// default) or PostgreSQL (real deployments, several server processes).
package gormstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sprechstunde/sprechstunde/booking"
)

// Store is a booking.Store on a gorm database.
type Store struct {
	db       *gorm.DB
	postgres bool
	// writeSem serialises write transactions on SQLite inside this process.
	// SQLite allows one writer anyway; queueing here instead of in SQLite's
	// busy handler (which sleeps in steps of up to 100 ms) keeps latency low.
	writeSem chan struct{}
}

var _ booking.Store = (*Store)(nil)

// Open connects to dsn (a file path for SQLite, or a postgres:// URL),
// applies pending migrations and returns the store.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard, // gorm would log SQL with personal data
		SkipDefaultTransaction: true,           // we open transactions where they matter
		TranslateError:         true,
		PrepareStmt:            true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	s := &Store{}
	var dialector gorm.Dialector
	if IsPostgres(dsn) {
		s.postgres = true
		dialector = postgres.Open(dsn)
	} else {
		path, err := sqliteDSN(dsn)
		if err != nil {
			return nil, err
		}
		dialector = sqlite.Open(path)
		s.writeSem = make(chan struct{}, 1)
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("gormstore: open: %w", err)
	}
	s.db = db
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("gormstore: pool: %w", err)
	}
	if s.postgres {
		sqlDB.SetMaxOpenConns(40)
		sqlDB.SetMaxIdleConns(40)
	} else {
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if err := s.migrate(ctx, log); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN turns a file path into a DSN with the pragmas we rely on: WAL so
// readers never wait for the writer; synchronous=NORMAL, which in WAL mode
// keeps every committed transaction across a process crash (kill -9) and
// only risks the last ones on power loss; IMMEDIATE transactions so a
// writer holds the lock from its first statement.
func sqliteDSN(path string) (string, error) {
	if path == "" {
		return "", errors.New("gormstore: empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("gormstore: create %s: %w", dir, err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// Close closes the database pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("gormstore: ping: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("gormstore: ping: %w", err)
	}
	return nil
}

// DB exposes the gorm handle for tests and offline tools in this module.
func (s *Store) DB() *gorm.DB { return s.db }

// read is the handle for queries outside a transaction.
func (s *Store) read(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// write runs fn in a transaction; on SQLite it first waits its turn.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.writeSem != nil {
		select {
		case s.writeSem <- struct{}{}:
			defer func() { <-s.writeSem }()
		case <-ctx.Done():
			return fmt.Errorf("gormstore: wait for write: %w", ctx.Err())
		}
	}
	return s.db.WithContext(ctx).Transaction(fn)
}

// mapErr turns gorm errors into booking sentinels.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%w: %w", booking.ErrNotFound, err)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %w", booking.ErrConflict, err)
	case isOverlapViolation(err):
		return fmt.Errorf("%w: %w", booking.ErrSlotTaken, err)
	}
	return err
}

// isOverlapViolation recognises the database's own guard against
// overlapping appointments (exclusion constraint or trigger).
func isOverlapViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "appointments_no_overlap") || strings.Contains(msg, "SQLSTATE 23P01")
}
