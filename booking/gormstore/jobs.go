package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// UpcomingAppointments implements booking.AppointmentStore.
func (s *Store) UpcomingAppointments(ctx context.Context, from, to time.Time) ([]booking.Appointment, error) {
	var rows []appointmentRow
	err := appointmentsWithCase(s.read(ctx)).
		Where("appointments.status = ? AND appointments.start_unix >= ? AND appointments.start_unix < ?",
			booking.StatusBooked, from.Unix(), to.Unix()).
		Order("appointments.start_unix, appointments.id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gormstore: upcoming appointments: %w", err)
	}
	return domains(rows), nil
}

// UnjoinedEndedBefore implements booking.AppointmentStore.
func (s *Store) UnjoinedEndedBefore(ctx context.Context, t time.Time, limit int) ([]booking.Appointment, error) {
	var rows []appointmentRow
	err := appointmentsWithCase(s.read(ctx)).
		Where("appointments.status = ? AND appointments.end_unix < ? AND appointments.joined_at = 0",
			booking.StatusBooked, t.Unix()).
		Order("appointments.end_unix, appointments.id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gormstore: unjoined appointments: %w", err)
	}
	return domains(rows), nil
}

// MarkJoined implements booking.AppointmentStore; only the first join counts.
func (s *Store) MarkJoined(ctx context.Context, id int64, at time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&appointmentRow{}).Where("id = ? AND joined_at = 0", id).Update("joined_at", at.Unix())
		if res.Error != nil {
			return fmt.Errorf("gormstore: joined %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&appointmentRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("gormstore: joined %d: %w", id, booking.ErrNotFound)
			}
		}
		return nil
	})
}

func domains(rows []appointmentRow) []booking.Appointment {
	out := make([]booking.Appointment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out
}
