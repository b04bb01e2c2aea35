package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// DeleteService implements booking.ServiceStore: in one transaction it
// checks that no appointment refers to the service, then removes its
// opening hours and the service.
func (s *Store) DeleteService(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
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
