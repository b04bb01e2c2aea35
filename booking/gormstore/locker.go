package gormstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
)

// ErrLocked reports that another process holds a job lock.
var ErrLocked = errors.New("gormstore: lock held elsewhere")

// Unlock releases a lock taken by TryLock.
type Unlock func(ctx context.Context) error

// TryLock takes the PostgreSQL session advisory lock for key on a
// dedicated connection, so that of several server processes only one runs
// a job at a time. The lock lives as long as the connection: if the
// process dies, PostgreSQL drops it with the session. ErrLocked when taken.
// On SQLite there is one process per database and TryLock always succeeds.
func (s *Store) TryLock(ctx context.Context, key string) (Unlock, error) {
	if !s.postgres {
		return func(context.Context) error { return nil }, nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("gormstore: lock %s: %w", key, err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("gormstore: lock %s: %w", key, err)
	}
	id := lockID(key)
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", id).Scan(&ok); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("gormstore: lock %s: %w", key, err)
	}
	if !ok {
		_ = conn.Close()
		return nil, ErrLocked
	}
	return func(ctx context.Context) error { return unlock(ctx, conn, id) }, nil
}

func unlock(ctx context.Context, conn *sql.Conn, id int64) error {
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", id); err != nil {
		// Closing would return a session with a held lock to the pool.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the connection
		return fmt.Errorf("gormstore: unlock: %w", err)
	}
	return nil
}

// lockID maps a job name into the advisory lock key space; the high bits
// keep it apart from the migration and audit lock constants.
func lockID(key string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("sprechstunde-job:" + key))
	return int64(h.Sum64() | 1<<62)
}
