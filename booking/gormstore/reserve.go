package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// Reserve implements booking.AppointmentStore. Double booking is impossible
// by construction:
//   - SQLite: the transaction is IMMEDIATE, so it holds the database's write
//     lock from its first statement; the check and the insert below cannot
//     interleave with another writer (in or out of this process).
//   - PostgreSQL: the candidate clerks' rows are locked FOR UPDATE (in ID
//     order, so two bookings cannot deadlock) and the e-mail address by an
//     advisory lock; a concurrent booking for the same clerk waits until we
//     commit and then sees our appointment.
//
// On both, the overlap guard of the schema backs this up.
func (s *Store) Reserve(ctx context.Context, r booking.Reservation, pick booking.Picker) (booking.Appointment, error) {
	a := r.Appointment
	var out booking.Appointment
	err := s.write(ctx, func(tx *gorm.DB) error {
		clerks, err := s.lockCandidates(tx, r.Candidates, a.CitizenEmail)
		if err != nil {
			return err
		}
		view, err := buildView(tx, clerks, r)
		if err != nil {
			return err
		}
		clerkID, err := pick(view)
		if err != nil {
			return err
		}
		a.ClerkID = clerkID
		c := caseRow{ClerkID: clerkID, CreatedAt: unix(a.CreatedAt)}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		number := booking.CaseNumber(a.CreatedAt.Year(), c.ID)
		if err := tx.Model(&caseRow{}).Where("id = ?", c.ID).Update("number", number).Error; err != nil {
			return fmt.Errorf("number case: %w", err)
		}
		a.CaseID, a.CaseNumber = c.ID, number
		row := toAppointmentRow(a)
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert appointment: %w", err)
		}
		a.ID = row.ID
		ev := toEventRow(booking.Event{CaseID: c.ID, Type: booking.EventBooked, At: a.CreatedAt})
		if err := tx.Create(&ev).Error; err != nil {
			return fmt.Errorf("insert event: %w", err)
		}
		out = a
		return nil
	})
	if err != nil {
		return booking.Appointment{}, fmt.Errorf("gormstore: reserve: %w", mapErr(err))
	}
	return out, nil
}

// lockCandidates returns the active candidate clerks, locked on PostgreSQL.
func (s *Store) lockCandidates(tx *gorm.DB, candidates []int64, email string) ([]int64, error) {
	if s.postgres {
		// Serialises bookings of one address, so the per-address limit
		// holds even when they go to different clerks.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", email).Error; err != nil {
			return nil, fmt.Errorf("lock e-mail: %w", err)
		}
	}
	var ids []int64
	q := tx.Model(&userRow{}).Where("id IN ? AND active = ?", candidates, true).Order("id")
	if s.postgres {
		q = q.Clauses(lockForUpdate)
	}
	if err := q.Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("lock clerks: %w", err)
	}
	return ids, nil
}

// buildView gathers, under lock, what the picker decides on.
func buildView(tx *gorm.DB, clerks []int64, r booking.Reservation) (booking.ReserveView, error) {
	a := r.Appointment
	var view booking.ReserveView
	var open int64
	if err := tx.Model(&appointmentRow{}).
		Where("citizen_email = ? AND status = ? AND start_unix > ?", a.CitizenEmail, booking.StatusBooked, r.Now.Unix()).
		Count(&open).Error; err != nil {
		return view, fmt.Errorf("count e-mail: %w", err)
	}
	view.OpenBookingsForEmail = int(open)
	if len(clerks) == 0 {
		return view, nil
	}
	var busy []int64
	if err := tx.Model(&appointmentRow{}).
		Where("clerk_id IN ? AND status = ? AND start_unix < ? AND busy_until_unix > ?",
			clerks, booking.StatusBooked, a.BusyUntil.Unix(), a.Start.Unix()).
		Distinct().Pluck("clerk_id", &busy).Error; err != nil {
		return view, fmt.Errorf("overlaps: %w", err)
	}
	type load struct {
		ClerkID int64
		N       int
	}
	var loads []load
	if err := tx.Model(&appointmentRow{}).Select("clerk_id, count(*) AS n").
		Where("clerk_id IN ? AND status = ? AND start_unix >= ? AND start_unix < ?",
			clerks, booking.StatusBooked, r.DayStart.Unix(), r.DayEnd.Unix()).
		Group("clerk_id").Scan(&loads).Error; err != nil {
		return view, fmt.Errorf("loads: %w", err)
	}
	for _, id := range clerks {
		cl := booking.ClerkLoad{ClerkID: id, Free: true}
		for _, b := range busy {
			if b == id {
				cl.Free = false
			}
		}
		for _, l := range loads {
			if l.ClerkID == id {
				cl.Appointments = l.N
			}
		}
		view.Clerks = append(view.Clerks, cl)
	}
	return view, nil
}
