package booking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// MarkJoined records that the citizen joined the appointment's video room
// (called by the media server wiring); the no-show job then leaves it alone.
func (o *Office) MarkJoined(ctx context.Context, appointmentID int64, at time.Time) error {
	if err := o.store.MarkJoined(ctx, appointmentID, at); err != nil {
		return fmt.Errorf("booking: joined %d: %w", appointmentID, err)
	}
	return nil
}

// MarkNoShows sets booked appointments that ended more than grace before
// now without anyone joining to no_show, each with a timeline entry.
func (o *Office) MarkNoShows(ctx context.Context, now time.Time) (int, error) {
	list, err := o.store.UnjoinedEndedBefore(ctx, now.Add(-o.opt.NoShowGrace), 500)
	if err != nil {
		return 0, fmt.Errorf("booking: no-shows: %w", err)
	}
	n := 0
	for _, a := range list {
		ev := Event{CaseID: a.CaseID, Type: EventStatusChanged, At: now, Detail: string(StatusNoShow) + " (automatic)"}
		err := o.store.SetAppointmentStatus(ctx, a.ID, []Status{StatusBooked}, StatusNoShow, ev)
		if errors.Is(err, ErrConflict) {
			continue // a clerk set the status meanwhile
		}
		if err != nil {
			return n, fmt.Errorf("booking: no-show %d: %w", a.ID, err)
		}
		n++
	}
	return n, nil
}

// DeleteExpiredSessions removes staff sessions past their expiry.
func (o *Office) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	n, err := o.store.DeleteExpiredSessions(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("booking: expired sessions: %w", err)
	}
	return n, nil
}
