package gormstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sprechstunde/sprechstunde/booking"
)

// queueMails renders the mails of a just-stored appointment and inserts
// them in the caller's transaction.
func queueMails(tx *gorm.DB, a booking.Appointment, render func(booking.Appointment) ([]booking.OutboxEntry, error)) error {
	if render == nil {
		return nil
	}
	mails, err := render(a)
	if err != nil {
		return err
	}
	if _, err := insertMails(tx, mails); err != nil {
		return fmt.Errorf("queue mails: %w", err)
	}
	return nil
}

// insertMails adds outbox rows, skipping existing dedup keys.
func insertMails(tx *gorm.DB, mails []booking.OutboxEntry) (int, error) {
	n := 0
	for _, m := range mails {
		row := outboxRow{Kind: string(m.Kind), AppointmentID: m.AppointmentID, DedupKey: m.DedupKey,
			RecipientMasked: m.RecipientMasked, Payload: m.Payload, Status: string(booking.OutboxPending),
			NextAttemptAt: unix(m.CreatedAt), CreatedAt: unix(m.CreatedAt), UpdatedAt: unix(m.CreatedAt)}
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedup_key"}}, DoNothing: true}).Create(&row)
		if res.Error != nil {
			return n, res.Error
		}
		n += int(res.RowsAffected)
	}
	return n, nil
}

// EnqueueMail implements booking.OutboxStore.
func (s *Store) EnqueueMail(ctx context.Context, entries ...booking.OutboxEntry) (int, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	var n int
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = insertMails(tx, entries)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("gormstore: enqueue mail: %w", err)
	}
	return n, nil
}

// ClaimMail implements booking.OutboxStore. On PostgreSQL SKIP LOCKED lets
// concurrent claimers pass each other; on SQLite write() serialises them.
func (s *Store) ClaimMail(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]booking.OutboxMessage, error) {
	var rows []outboxRow
	err := s.write(ctx, func(tx *gorm.DB) error {
		q := tx.Where("status = ? AND next_attempt_at <= ? AND lease_until <= ?", booking.OutboxPending, now.Unix(), now.Unix()).
			Order("next_attempt_at, id").Limit(limit)
		if s.postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		for i := range rows {
			rows[i].LeaseOwner, rows[i].LeaseUntil = owner, leaseUntil.Unix()
			if err := tx.Model(&outboxRow{}).Where("id = ?", rows[i].ID).
				Updates(map[string]any{"lease_owner": owner, "lease_until": leaseUntil.Unix()}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: claim mail: %w", err)
	}
	out := make([]booking.OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// MailSent implements booking.OutboxStore.
func (s *Store) MailSent(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{
			"status": string(booking.OutboxSent), "payload": "", "sent_at": at.Unix(), "updated_at": at.Unix(),
			"lease_owner": "", "lease_until": 0, "last_error": "",
		}).Error
	})
}

// MailFailed implements booking.OutboxStore.
func (s *Store) MailFailed(ctx context.Context, id int64, status booking.OutboxStatus, next time.Time, lastErr string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		upd := map[string]any{
			"status": string(status), "attempts": gorm.Expr("attempts + 1"), "next_attempt_at": next.Unix(),
			"last_error": lastErr, "lease_owner": "", "lease_until": 0, "updated_at": time.Now().Unix(),
		}
		return tx.Model(&outboxRow{}).Where("id = ?", id).Updates(upd).Error
	})
}

// RetryMail implements booking.OutboxStore.
func (s *Store) RetryMail(ctx context.Context, id int64, now time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var row outboxRow
		if err := tx.Select("id", "status", "payload").Where("id = ?", id).Take(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("gormstore: retry mail %d: %w", id, booking.ErrNotFound)
			}
			return fmt.Errorf("gormstore: retry mail %d: %w", id, err)
		}
		if row.Status != string(booking.OutboxFailed) || row.Payload == "" {
			return fmt.Errorf("gormstore: retry mail %d (%s): %w", id, row.Status, booking.ErrConflict)
		}
		return tx.Model(&outboxRow{}).Where("id = ? AND status = ?", id, string(booking.OutboxFailed)).Updates(map[string]any{
			"status": string(booking.OutboxPending), "next_attempt_at": now.Unix(), "updated_at": now.Unix(),
			"lease_owner": "", "lease_until": 0,
		}).Error
	})
}

// MailStats implements booking.OutboxStore.
func (s *Store) MailStats(ctx context.Context, limit int) (booking.OutboxStats, error) {
	out := booking.OutboxStats{Counts: map[booking.OutboxStatus]int{}}
	var counts []struct {
		Status string
		N      int
	}
	db := s.read(ctx)
	if err := db.Model(&outboxRow{}).Select("status, count(*) AS n").Group("status").Scan(&counts).Error; err != nil {
		return out, fmt.Errorf("gormstore: mail stats: %w", err)
	}
	for _, c := range counts {
		out.Counts[booking.OutboxStatus(c.Status)] = c.N
	}
	var rows []outboxRow
	if err := db.Omit("payload").Where("status IN ?", []string{string(booking.OutboxPending), string(booking.OutboxFailed)}).
		Order("created_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return out, fmt.Errorf("gormstore: undelivered mail: %w", err)
	}
	for _, r := range rows {
		out.Undelivered = append(out.Undelivered, r.domain())
	}
	return out, nil
}

func (r outboxRow) domain() booking.OutboxMessage {
	return booking.OutboxMessage{
		OutboxEntry: booking.OutboxEntry{Kind: booking.MailKind(r.Kind), AppointmentID: r.AppointmentID,
			DedupKey: r.DedupKey, RecipientMasked: r.RecipientMasked, Payload: r.Payload, CreatedAt: fromUnix(r.CreatedAt)},
		ID: r.ID, Status: booking.OutboxStatus(r.Status), Attempts: r.Attempts,
		NextAttemptAt: fromUnix(r.NextAttemptAt), LastError: r.LastError, SentAt: fromUnix(r.SentAt),
	}
}
