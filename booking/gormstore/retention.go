package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// AnonymiseCitizenData implements booking.RetentionStore. Appointments
// still booked are left for the no-show job first.
func (s *Store) AnonymiseCitizenData(ctx context.Context, endedBefore time.Time) (int, error) {
	var n int
	err := s.write(ctx, func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Model(&appointmentRow{}).Where("end_unix < ? AND anonymised_at = 0 AND status <> ?",
			endedBefore.Unix(), booking.StatusBooked).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if err := tx.Model(&appointmentRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"citizen_name": "", "citizen_email": "", "citizen_email_key": "", "topic": "", "join_token_sealed": "",
			"joined_at": 0, "anonymised_at": time.Now().Unix(),
		}).Error; err != nil {
			return err
		}
		// Masked addresses and any unsent bodies go with the rest.
		if err := tx.Where("appointment_id IN ?", ids).Delete(&outboxRow{}).Error; err != nil {
			return err
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("gormstore: anonymise: %w", err)
	}
	return n, nil
}

// OfferForArchive implements booking.RetentionStore.
func (s *Store) OfferForArchive(ctx context.Context, endedBefore, now time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&caseRow{}).
			Where("archive_offered_at = 0 AND archived_at = 0 AND id IN (SELECT case_id FROM appointments WHERE end_unix < ? AND status <> ?)",
				endedBefore.Unix(), booking.StatusBooked).
			Update("archive_offered_at", now.Unix())
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("gormstore: offer for archive: %w", err)
	}
	return int(n), nil
}

// DeleteUnarchivedCases implements booking.RetentionStore.
func (s *Store) DeleteUnarchivedCases(ctx context.Context, offeredBefore time.Time) (int, error) {
	var n int
	err := s.write(ctx, func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Model(&caseRow{}).Where("archive_offered_at > 0 AND archive_offered_at < ? AND archived_at = 0",
			offeredBefore.Unix()).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if err := tx.Where("appointment_id IN (SELECT id FROM appointments WHERE case_id IN ?)", ids).Delete(&outboxRow{}).Error; err != nil {
			return err
		}
		for _, m := range []any{&noteRow{}, &eventRow{}, &appointmentRow{}} {
			if err := tx.Where("case_id IN ?", ids).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("id IN ?", ids).Delete(&caseRow{}).Error; err != nil {
			return err
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("gormstore: delete cases: %w", err)
	}
	return n, nil
}

// DeleteDeliveredMail implements booking.RetentionStore.
func (s *Store) DeleteDeliveredMail(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("(status = ? AND sent_at < ?) OR (status = ? AND created_at < ?)",
			booking.OutboxSent, before.Unix(), booking.OutboxFailed, before.Unix()).Delete(&outboxRow{})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("gormstore: delete mail log: %w", err)
	}
	return int(n), nil
}

// MarkCaseArchived implements booking.RetentionStore.
func (s *Store) MarkCaseArchived(ctx context.Context, caseID int64, at time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&caseRow{}).Where("id = ?", caseID).Update("archived_at", at.Unix())
		if res.Error == nil && res.RowsAffected == 0 {
			return fmt.Errorf("gormstore: archive case %d: %w", caseID, booking.ErrNotFound)
		}
		return res.Error
	})
}

// ArchiveOffers implements booking.RetentionStore.
func (s *Store) ArchiveOffers(ctx context.Context) ([]booking.ArchiveOffer, error) {
	var rows []caseRow
	if err := s.read(ctx).Where("archive_offered_at > 0 AND archived_at = 0").Order("archive_offered_at, id").
		Limit(1000).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gormstore: archive offers: %w", err)
	}
	out := make([]booking.ArchiveOffer, len(rows))
	for i, r := range rows {
		out[i] = booking.ArchiveOffer{CaseID: r.ID, OfferedAt: fromUnix(r.ArchiveOfferedAt)}
		if r.Number != nil {
			out[i].Number = *r.Number
		}
	}
	return out, nil
}
