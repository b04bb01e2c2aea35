package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// Rebook implements booking.AppointmentStore with the locking of Reserve
// (see there): the candidate clerks and the e-mail address are locked, the
// appointment itself is re-read under lock so two rebookings of it cannot
// both win, and the overlap guard backs it all up.
func (s *Store) Rebook(ctx context.Context, r booking.Rebooking, pick booking.Picker) (booking.Appointment, error) {
	var out booking.Appointment
	err := s.write(ctx, func(tx *gorm.DB) error {
		var cur appointmentRow
		if err := appointmentsWithCase(tx).Where("appointments.id = ?", r.AppointmentID).Take(&cur).Error; err != nil {
			return fmt.Errorf("read appointment: %w", mapErr(err))
		}
		clerks, err := s.lockCandidates(tx, r.Candidates, cur.CitizenEmail)
		if err != nil {
			return err
		}
		q := tx.Model(&appointmentRow{}).Where("id = ?", r.AppointmentID)
		if s.postgres {
			q = q.Clauses(lockForUpdate)
		}
		var locked appointmentRow
		if err := q.Take(&locked).Error; err != nil {
			return fmt.Errorf("lock appointment: %w", mapErr(err))
		}
		if locked.Status != string(booking.StatusBooked) || locked.Sequence != r.Sequence {
			return fmt.Errorf("appointment %d changed meanwhile: %w", r.AppointmentID, booking.ErrConflict)
		}
		a := cur.domain()
		a.Start, a.End, a.BusyUntil = r.Start, r.End, r.BusyUntil
		view, err := buildView(tx, clerks, booking.Reservation{Appointment: a, DayStart: r.DayStart, DayEnd: r.DayEnd, Now: r.Now}, a.ID)
		if err != nil {
			return err
		}
		if a.ClerkID, err = pick(view); err != nil {
			return err
		}
		a.Sequence++
		a.ScheduledAt, a.JoinExpiresAt, a.ManageExpiresAt = r.Now, r.End, r.End
		res := tx.Model(&appointmentRow{}).Where("id = ? AND sequence = ?", a.ID, r.Sequence).Updates(map[string]any{
			"clerk_id": a.ClerkID, "start_unix": a.Start.Unix(), "end_unix": a.End.Unix(), "busy_until_unix": a.BusyUntil.Unix(),
			"sequence": a.Sequence, "scheduled_at": r.Now.Unix(), "join_expires_at": r.End.Unix(), "manage_expires_at": r.End.Unix(),
		})
		if res.Error != nil {
			return fmt.Errorf("move appointment: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("appointment %d changed meanwhile: %w", a.ID, booking.ErrConflict)
		}
		if err := tx.Model(&caseRow{}).Where("id = ?", a.CaseID).Update("clerk_id", a.ClerkID).Error; err != nil {
			return fmt.Errorf("case clerk: %w", err)
		}
		if err := recordOnCase(tx, a, r.Event, r.Mails); err != nil {
			return err
		}
		out = a
		return nil
	})
	if err != nil {
		return booking.Appointment{}, fmt.Errorf("gormstore: rebook: %w", mapErr(err))
	}
	return out, nil
}
