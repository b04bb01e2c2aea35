package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// auditLockKey serialises audit appends across PostgreSQL sessions (an
// arbitrary constant, like migrationLockKey). On SQLite write() already
// admits one writer at a time.
const auditLockKey = 7_020_302

// AppendAudit implements booking.AuditStore: under the lock it reads the
// last entry, so sequence numbers have no gaps and every entry chains to
// its true predecessor.
func (s *Store) AppendAudit(ctx context.Context, e *booking.AuditEntry) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if s.postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", auditLockKey).Error; err != nil {
				return err
			}
		}
		var last auditRow
		err := tx.Order("seq DESC").Limit(1).Take(&last).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		e.Seq, e.PrevHash = last.Seq+1, last.Hash
		e.Hash = booking.ChainHash(e.PrevHash, *e)
		row := auditRow{Seq: e.Seq, At: unix(e.At), ActorID: e.ActorID, Action: e.Action, Object: e.Object,
			Detail: e.Detail, PrevHash: e.PrevHash, Hash: e.Hash}
		return tx.Create(&row).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: append audit: %w", err)
	}
	return nil
}

// AuditEntries implements booking.AuditStore.
func (s *Store) AuditEntries(ctx context.Context, after int64, limit int) ([]booking.AuditEntry, error) {
	var rows []auditRow
	if err := s.read(ctx).Where("seq > ?", after).Order("seq").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gormstore: audit entries: %w", err)
	}
	return auditDomains(rows), nil
}

// AuditPage implements booking.AuditStore.
func (s *Store) AuditPage(ctx context.Context, before int64, limit int) ([]booking.AuditEntry, error) {
	var rows []auditRow
	q := s.read(ctx).Order("seq DESC").Limit(limit)
	if before > 0 {
		q = q.Where("seq < ?", before)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gormstore: audit page: %w", err)
	}
	return auditDomains(rows), nil
}

func auditDomains(rows []auditRow) []booking.AuditEntry {
	out := make([]booking.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = booking.AuditEntry{Seq: r.Seq, At: fromUnix(r.At), ActorID: r.ActorID, Action: r.Action,
			Object: r.Object, Detail: r.Detail, PrevHash: r.PrevHash, Hash: r.Hash}
	}
	return out
}
