// Package gormstore implements booking.Store with gorm on SQLite (embedded
// default) or PostgreSQL (real deployments, several server processes).
package gormstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sprechstunde/sprechstunde/booking"
)

// Store is a booking.Store on a gorm database.
type Store struct {
	db       *gorm.DB // reads (and, on PostgreSQL, writes)
	wdb      *gorm.DB // writes
	postgres bool

	// SQLite only: every write runs on one pinned connection (so prepared
	// statements stay cached on it) through the group-commit writer.
	writer      *groupWriter
	checkpoints *checkpointer
	wconn       *sql.Conn
	wpool       *sql.DB

	// inTx marks a Store bound to one transaction (see InTx): db and wdb
	// are that transaction.
	inTx bool
}

var _ booking.Store = (*Store)(nil)

// Open connects to dsn (a file path for SQLite, or a postgres:// URL),
// applies pending migrations and returns the store.
//
// SQLite allows one writer at a time, so writes go through one pinned
// connection: writers queue on a mutex instead of in SQLite's busy handler
// (which sleeps in steps of up to 100 ms), and a writer never waits for a
// connection held by readers. Readers have their own pool and, thanks to
// WAL, never wait for the writer.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	s := &Store{postgres: IsPostgres(dsn)}
	if s.postgres {
		db, err := openPool(postgres.Open(dsn), 40)
		if err != nil {
			return nil, err
		}
		s.db, s.wdb = db, db
	} else {
		path, err := sqliteDSN(dsn)
		if err != nil {
			return nil, err
		}
		if err := s.pinWriter(ctx, path); err != nil {
			return nil, err
		}
		if s.db, err = openPool(sqlite.Open(path), 8); err != nil {
			_ = s.Close()
			return nil, err
		}
		if err := s.startCheckpointer(); err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("gormstore: checkpointer: %w", err)
		}
	}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.migrate(ctx, log); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard, // gorm would log SQL with personal data
		SkipDefaultTransaction: true,           // we open transactions where they matter
		TranslateError:         true,
		PrepareStmt:            true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

// pinWriter opens the single SQLite write connection.
func (s *Store) pinWriter(ctx context.Context, dsn string) error {
	pool, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return fmt.Errorf("gormstore: open writer: %w", err)
	}
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		_ = pool.Close()
		return fmt.Errorf("gormstore: open writer: %w", err)
	}
	cfg := gormConfig()
	cfg.DisableAutomaticPing = true // gorm cannot ping a *sql.Conn; Conn() connected already
	db, err := gorm.Open(sqlite.Dialector{DSN: dsn, Conn: conn}, cfg)
	if err != nil {
		_ = conn.Close()
		_ = pool.Close()
		return fmt.Errorf("gormstore: open writer: %w", err)
	}
	s.wpool, s.wconn, s.wdb = pool, conn, db
	s.writer = newGroupWriter(db)
	return nil
}

func openPool(d gorm.Dialector, conns int) (*gorm.DB, error) {
	db, err := gorm.Open(d, gormConfig())
	if err != nil {
		return nil, fmt.Errorf("gormstore: open: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("gormstore: pool: %w", err)
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
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
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// Close closes the database connections.
func (s *Store) Close() error {
	var errs []error
	if s.checkpoints != nil {
		s.checkpoints.stop()
	}
	if s.wconn != nil {
		s.writer.close()
		errs = append(errs, s.wconn.Close(), s.wpool.Close())
	}
	if s.db != nil {
		if sqlDB, err := s.db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
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

// read is the handle for queries outside a transaction (or, in a Store
// bound by InTx, inside its transaction).
func (s *Store) read(ctx context.Context) *gorm.DB {
	if s.inTx {
		return s.db // carries the transaction's context already
	}
	return s.db.WithContext(ctx)
}

// write runs fn in a transaction: on PostgreSQL a plain one, on SQLite a
// savepoint in the group-commit writer's transaction (see writer.go). In a
// Store bound by InTx, fn runs in the enclosing transaction.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.inTx {
		return fn(s.wdb)
	}
	if s.writer == nil {
		return s.wdb.WithContext(ctx).Transaction(fn)
	}
	return s.writer.do(ctx, fn)
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
