package gormstore

import (
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// claimAttempts bounds how often a booking starts over because every
// clerk it found free was, at that moment, locked by other bookings.
const claimAttempts = 3

// errClerksBusyLocking asks Reserve to run the transaction again.
var errClerksBusyLocking = errors.New("gormstore: free clerks locked by concurrent bookings")

// claimFreeClerk is PostgreSQL's booking lock: instead of locking every
// candidate clerk (which serialises all bookings of a busy day), it locks
// only the one it takes. In order of preference (fewest appointments that
// day, then lowest ID) it skips clerks that are visibly busy, locks the
// next one FOR UPDATE SKIP LOCKED and checks again under that lock; every
// booking of a clerk holds that clerk's row lock until it commits, so the
// check sees them all. SKIP LOCKED never waits, so holding several locks
// cannot deadlock; a clerk locked by a concurrent booking is skipped, and
// if that left nobody, the whole transaction is tried again.
func (s *Store) claimFreeClerk(tx *gorm.DB, r booking.Reservation) (booking.ReserveView, error) {
	a := r.Appointment
	var view booking.ReserveView
	// The address lock keeps the per-address limit exact across clerks.
	if err := lockAddress(tx, a.CitizenEmail); err != nil {
		return view, err
	}
	open, err := openBookings(tx, a.CitizenEmail, r.Now)
	if err != nil {
		return view, err
	}
	view.OpenBookingsForEmail = open

	order := preferenceOrder(r.Candidates, r.Loads, r.Likely)
	overlapping := func(ids []int64) ([]int64, error) {
		var busy []int64
		err := tx.Model(&appointmentRow{}).
			Where("clerk_id IN ? AND status = ? AND start_unix < ? AND start_unix > ? AND busy_until_unix > ?",
				ids, booking.StatusBooked, a.BusyUntil.Unix(), a.Start.Add(-booking.MaxBusySpan).Unix(), a.Start.Unix()).
			Distinct().Pluck("clerk_id", &busy).Error
		return busy, err
	}
	skipped := false
	const batch = 8
	for len(order) > 0 {
		ids := order[:min(batch, len(order))]
		order = order[len(ids):]
		busy, err := overlapping(ids)
		if err != nil {
			return view, fmt.Errorf("overlaps: %w", err)
		}
		for _, id := range ids {
			load := r.Loads[id]
			if slices.Contains(busy, id) {
				view.Clerks = append(view.Clerks, booking.ClerkLoad{ClerkID: id, Appointments: load})
				continue
			}
			var locked []int64
			if err := tx.Raw("SELECT id FROM users WHERE id = ? AND active = ? FOR UPDATE SKIP LOCKED", id, true).
				Scan(&locked).Error; err != nil {
				return view, fmt.Errorf("lock clerk %d: %w", id, err)
			}
			if len(locked) == 0 {
				skipped = true // being booked right now, or deactivated
				continue
			}
			again, err := overlapping([]int64{id})
			if err != nil {
				return view, fmt.Errorf("overlaps of %d: %w", id, err)
			}
			free := len(again) == 0
			view.Clerks = append(view.Clerks, booking.ClerkLoad{ClerkID: id, Free: free, Appointments: load})
			if free {
				return view, nil
			}
		}
	}
	if skipped {
		return view, errClerksBusyLocking
	}
	return view, nil
}
