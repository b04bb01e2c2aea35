package gormstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// InTx implements booking.Store: fn gets a Store bound to one write
// transaction (on SQLite a savepoint of the group-commit writer, which
// holds the database's write lock; on PostgreSQL a plain transaction).
// Nested calls join the enclosing transaction.
func (s *Store) InTx(ctx context.Context, fn func(tx booking.Store) error) error {
	if s.inTx {
		return fn(s)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		return fn(&Store{db: tx, wdb: tx, postgres: s.postgres, inTx: true})
	})
}
