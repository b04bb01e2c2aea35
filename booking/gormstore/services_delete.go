package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sprechstunde/sprechstunde/booking"
)

// DeleteService implements booking.ServiceStore: in one transaction it
// checks that no appointment refers to the service, then removes its
// opening hours and the service. On PostgreSQL it first takes the
// service's row for update, so a booking under way (which holds it shared,
// see holdService) is committed and counted before the check.
func (s *Store) DeleteService(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if s.postgres {
			var ids []int64
			if err := tx.Model(&serviceRow{}).Where("id = ?", id).Clauses(lockForUpdate).Pluck("id", &ids).Error; err != nil {
				return fmt.Errorf("gormstore: delete service %d: %w", id, err)
			}
		}
		var booked int64
		if err := tx.Model(&appointmentRow{}).Where("service_id = ?", id).Count(&booked).Error; err != nil {
			return fmt.Errorf("gormstore: delete service %d: %w", id, err)
		}
		if booked > 0 {
			return fmt.Errorf("gormstore: delete service %d: %w", id, booking.ErrServiceInUse)
		}
		if err := tx.Where("service_id = ?", id).Delete(&hoursRow{}).Error; err != nil {
			return fmt.Errorf("gormstore: delete service %d hours: %w", id, err)
		}
		res := tx.Delete(&serviceRow{}, id)
		if res.Error != nil {
			return fmt.Errorf("gormstore: delete service %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("gormstore: delete service %d: %w", id, booking.ErrNotFound)
		}
		return nil
	})
}

// holdService fails a booking whose service is gone by the time its
// transaction runs (the service is read before it). On PostgreSQL the row
// is held shared until the commit, so DeleteService waits and then sees
// the appointment; SQLite's write lock orders the two anyway.
func (s *Store) holdService(tx *gorm.DB, id int64) error {
	q := tx.Model(&serviceRow{}).Where("id = ?", id)
	if s.postgres {
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	var ids []int64
	if err := q.Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("hold service %d: %w", id, err)
	}
	if len(ids) == 0 {
		return fmt.Errorf("service %d: %w", id, booking.ErrNotFound)
	}
	return nil
}
