package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sprechstunde/sprechstunde/booking"
)

var lockForUpdate = clause.Locking{Strength: "UPDATE"}

// appointmentsWithCase selects appointment columns plus the case number.
func appointmentsWithCase(db *gorm.DB) *gorm.DB {
	return db.Table("appointments").Select("appointments.*, cases.number AS case_number").
		Joins("JOIN cases ON cases.id = appointments.case_id")
}

// BusyIntervals implements booking.AppointmentStore.
func (s *Store) BusyIntervals(ctx context.Context, clerkIDs []int64, from, to time.Time) ([]booking.Busy, error) {
	if len(clerkIDs) == 0 {
		return nil, nil
	}
	// A busy day has thousands of these rows: scan them by hand rather
	// than through gorm's reflection.
	rows, err := s.read(ctx).Model(&appointmentRow{}).Select("clerk_id, start_unix, busy_until_unix").
		Where("clerk_id IN ? AND status = ? AND start_unix < ? AND start_unix > ? AND busy_until_unix > ?",
			clerkIDs, booking.StatusBooked, to.Unix(), from.Add(-booking.MaxBusySpan).Unix(), from.Unix()).
		Rows()
	if err != nil {
		return nil, fmt.Errorf("gormstore: busy: %w", err)
	}
	defer rows.Close()
	var out []booking.Busy
	for rows.Next() {
		var clerk, start, until int64
		if err := rows.Scan(&clerk, &start, &until); err != nil {
			return nil, fmt.Errorf("gormstore: busy: %w", err)
		}
		out = append(out, booking.Busy{ClerkID: clerk, Start: fromUnix(start), End: fromUnix(until)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gormstore: busy: %w", err)
	}
	return out, nil
}

// DayLoads implements booking.AppointmentStore.
func (s *Store) DayLoads(ctx context.Context, clerkIDs []int64, from, to time.Time) (map[int64]int, error) {
	out := make(map[int64]int, len(clerkIDs))
	var rows []struct {
		ClerkID int64
		N       int
	}
	q := s.read(ctx).Model(&appointmentRow{}).Select("clerk_id, count(*) AS n").
		Where("status = ? AND start_unix >= ? AND start_unix < ?", booking.StatusBooked, from.Unix(), to.Unix())
	if len(clerkIDs) > 0 {
		q = q.Where("clerk_id IN ?", clerkIDs)
	}
	err := q.Group("clerk_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gormstore: day loads: %w", err)
	}
	for _, r := range rows {
		out[r.ClerkID] = r.N
	}
	return out, nil
}

func (s *Store) appointmentWhere(ctx context.Context, what, cond string, arg any) (booking.Appointment, error) {
	var row appointmentRow
	if err := appointmentsWithCase(s.read(ctx)).Where(cond, arg).Take(&row).Error; err != nil {
		return booking.Appointment{}, fmt.Errorf("gormstore: appointment by %s: %w", what, mapErr(err))
	}
	return row.domain(), nil
}

// AppointmentByManageHash implements booking.AppointmentStore.
func (s *Store) AppointmentByManageHash(ctx context.Context, hash string) (booking.Appointment, error) {
	return s.appointmentWhere(ctx, "manage token", "appointments.manage_token_hash = ?", hash)
}

// AppointmentByJoinHash implements booking.AppointmentStore.
func (s *Store) AppointmentByJoinHash(ctx context.Context, hash string) (booking.Appointment, error) {
	return s.appointmentWhere(ctx, "join token", "appointments.join_token_hash = ?", hash)
}

// Appointment implements booking.AppointmentStore.
func (s *Store) Appointment(ctx context.Context, id int64) (booking.Appointment, error) {
	return s.appointmentWhere(ctx, "id", "appointments.id = ?", id)
}

// AppointmentOfCase implements booking.AppointmentStore.
func (s *Store) AppointmentOfCase(ctx context.Context, caseID int64) (booking.Appointment, error) {
	return s.appointmentWhere(ctx, "case", "appointments.case_id = ?", caseID)
}

// SetAppointmentStatus implements booking.AppointmentStore.
func (s *Store) SetAppointmentStatus(ctx context.Context, id int64, from []booking.Status, to booking.Status, ev booking.Event, mails ...booking.OutboxEntry) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&appointmentRow{}).Where("id = ? AND status IN ?", id, from).Update("status", string(to))
		if res.Error != nil {
			return fmt.Errorf("gormstore: status of %d: %w", id, mapErr(res.Error))
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&appointmentRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
				return fmt.Errorf("gormstore: status of %d: %w", id, err)
			}
			if n == 0 {
				return fmt.Errorf("gormstore: status of %d: %w", id, booking.ErrNotFound)
			}
			return fmt.Errorf("gormstore: status of %d: %w", id, booking.ErrConflict)
		}
		row := toEventRow(ev)
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("gormstore: event on %d: %w", id, err)
		}
		if _, err := insertMails(tx, mails); err != nil {
			return fmt.Errorf("gormstore: mails on %d: %w", id, err)
		}
		return nil
	})
}

// ClerkAppointments implements booking.AppointmentStore.
func (s *Store) ClerkAppointments(ctx context.Context, clerkID int64, from, to time.Time) ([]booking.Appointment, error) {
	var rows []appointmentRow
	err := appointmentsWithCase(s.read(ctx)).
		Where("appointments.clerk_id = ? AND appointments.start_unix >= ? AND appointments.start_unix < ?", clerkID, from.Unix(), to.Unix()).
		Order("appointments.start_unix, appointments.id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gormstore: clerk appointments: %w", err)
	}
	out := make([]booking.Appointment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
