package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// CreateService implements booking.ServiceStore.
func (s *Store) CreateService(ctx context.Context, svc *booking.Service) error {
	row := toServiceRow(*svc)
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("gormstore: create service: %w", mapErr(err))
	}
	svc.ID = row.ID
	return nil
}

// UpdateService implements booking.ServiceStore.
func (s *Store) UpdateService(ctx context.Context, svc booking.Service) error {
	row := toServiceRow(svc)
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&serviceRow{}).Where("id = ?", svc.ID).Select("*").Updates(&row)
		if res.Error != nil {
			return fmt.Errorf("gormstore: update service %d: %w", svc.ID, mapErr(res.Error))
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("gormstore: update service %d: %w", svc.ID, booking.ErrNotFound)
		}
		return nil
	})
}

// Service implements booking.ServiceStore.
func (s *Store) Service(ctx context.Context, id int64) (booking.Service, error) {
	var row serviceRow
	if err := s.read(ctx).Take(&row, "id = ?", id).Error; err != nil {
		return booking.Service{}, fmt.Errorf("gormstore: service %d: %w", id, mapErr(err))
	}
	return row.domain(), nil
}

// Services implements booking.ServiceStore.
func (s *Store) Services(ctx context.Context, publishedOnly bool) ([]booking.Service, error) {
	var rows []serviceRow
	q := s.read(ctx).Order("name, id")
	if publishedOnly {
		q = q.Where("published = ?", true)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gormstore: services: %w", err)
	}
	out := make([]booking.Service, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
