package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// AddOpeningHours implements booking.ScheduleStore.
func (s *Store) AddOpeningHours(ctx context.Context, h *booking.OpeningHours) error {
	row := hoursRow{ServiceID: h.ServiceID, ClerkID: h.ClerkID, Weekday: h.Weekday, StartMin: int(h.Start), EndMin: int(h.End)}
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("gormstore: add hours: %w", mapErr(err))
	}
	h.ID = row.ID
	return nil
}

// OpeningHours implements booking.ScheduleStore.
func (s *Store) OpeningHours(ctx context.Context, serviceID int64) ([]booking.OpeningHours, error) {
	var rows []hoursRow
	q := s.read(ctx).Order("weekday, start_min, id")
	if serviceID != 0 {
		q = q.Where("service_id = ?", serviceID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gormstore: hours: %w", err)
	}
	out := make([]booking.OpeningHours, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// DeleteOpeningHours implements booking.ScheduleStore.
func (s *Store) DeleteOpeningHours(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, &hoursRow{}, id, "hours")
}

// UpdateOpeningHours implements booking.ScheduleStore.
func (s *Store) UpdateOpeningHours(ctx context.Context, h booking.OpeningHours) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&hoursRow{}).Where("id = ?", h.ID).Updates(map[string]any{
			"clerk_id": h.ClerkID, "weekday": h.Weekday, "start_min": int(h.Start), "end_min": int(h.End)})
		if res.Error != nil {
			return fmt.Errorf("gormstore: update hours %d: %w", h.ID, mapErr(res.Error))
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("gormstore: update hours %d: %w", h.ID, booking.ErrNotFound)
		}
		return nil
	})
}

// AddClosure implements booking.ScheduleStore.
func (s *Store) AddClosure(ctx context.Context, c *booking.Closure) error {
	row := closureRow{Day: c.Date.String(), ClerkID: c.ClerkID, Reason: c.Reason}
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("gormstore: add closure: %w", mapErr(err))
	}
	c.ID = row.ID
	return nil
}

// Closures implements booking.ScheduleStore.
func (s *Store) Closures(ctx context.Context, from, to booking.Date) ([]booking.Closure, error) {
	var rows []closureRow
	err := s.read(ctx).Where("day >= ? AND day <= ?", from.String(), to.String()).Order("day, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gormstore: closures: %w", err)
	}
	out := make([]booking.Closure, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// DeleteClosure implements booking.ScheduleStore.
func (s *Store) DeleteClosure(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, &closureRow{}, id, "closure")
}

func (s *Store) deleteByID(ctx context.Context, model any, id int64, what string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Delete(model, id)
		if res.Error != nil {
			return fmt.Errorf("gormstore: delete %s %d: %w", what, id, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("gormstore: delete %s %d: %w", what, id, booking.ErrNotFound)
		}
		return nil
	})
}
