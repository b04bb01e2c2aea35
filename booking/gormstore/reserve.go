package gormstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

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
	write := func(tx *gorm.DB) error {
		if err := s.holdService(tx, a.ServiceID); err != nil {
			return err
		}
		view, err := s.reserveView(tx, r)
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
		if err := recordOnCase(tx, a, booking.Event{CaseID: c.ID, Type: booking.EventBooked, At: a.CreatedAt}, r.Mails); err != nil {
			return err
		}
		out = a
		return nil
	}
	var err error
	for attempt := 0; attempt < claimAttempts; attempt++ {
		if err = s.write(ctx, write); !errors.Is(err, errClerksBusyLocking) {
			break
		}
	}
	if errors.Is(err, errClerksBusyLocking) {
		err = booking.ErrSlotTaken
	}
	if err != nil {
		return booking.Appointment{}, fmt.Errorf("gormstore: reserve: %w", mapErr(err))
	}
	return out, nil
}

// reserveView locks what the booking needs and reports the candidates.
func (s *Store) reserveView(tx *gorm.DB, r booking.Reservation) (booking.ReserveView, error) {
	if s.postgres && r.Loads != nil {
		return s.claimFreeClerk(tx, r)
	}
	clerks, err := s.lockCandidates(tx, r.Candidates, r.Appointment.CitizenEmail)
	if err != nil {
		return booking.ReserveView{}, err
	}
	return buildView(tx, clerks, r, 0)
}

// recordOnCase finishes a booking or rebooking inside its transaction: the
// timeline event and the mails it causes are stored with the change.
func recordOnCase(tx *gorm.DB, a booking.Appointment, ev booking.Event, mails func(booking.Appointment) ([]booking.OutboxEntry, error)) error {
	row := toEventRow(ev)
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	return queueMails(tx, a, mails)
}

// lockCandidates returns the active candidate clerks, locked on PostgreSQL.
func (s *Store) lockCandidates(tx *gorm.DB, candidates []int64, email string) ([]int64, error) {
	if s.postgres {
		if err := lockAddress(tx, email); err != nil {
			return nil, err
		}
	}
	if !s.postgres {
		// The IMMEDIATE transaction already holds SQLite's write lock; the
		// slot grid offered active clerks only.
		return candidates, nil
	}
	var ids []int64
	q := tx.Model(&userRow{}).Where("id IN ? AND active = ?", candidates, true).Order("id").Clauses(lockForUpdate)
	if err := q.Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("lock clerks: %w", err)
	}
	return ids, nil
}

// buildView gathers, under lock, what the picker decides on; the
// appointment exclude (being rebooked) counts neither as busy nor as load.
func buildView(tx *gorm.DB, clerks []int64, r booking.Reservation, exclude int64) (booking.ReserveView, error) {
	a := r.Appointment
	var view booking.ReserveView
	open, err := openBookings(tx, a.CitizenEmail, r.Now)
	if err != nil {
		return view, err
	}
	view.OpenBookingsForEmail = open
	if len(clerks) == 0 {
		return view, nil
	}
	if r.Loads != nil {
		return firstFree(tx, view, clerks, r, exclude)
	}
	// One index range scan per clerk answers both questions: does anything
	// overlap [start, busy until), and (unless the caller read the loads
	// before locking) how many appointments has the day.
	lo, hi := a.Start.Add(-booking.MaxBusySpan).Unix(), a.BusyUntil.Unix()
	if r.Loads == nil {
		lo, hi = min(r.DayStart.Unix(), lo), max(r.DayEnd.Unix(), hi)
	}
	type clerkCounts struct {
		ClerkID  int64
		Overlaps int
		DayLoad  int
	}
	var counts []clerkCounts
	if err := tx.Model(&appointmentRow{}).Select(`clerk_id,
			SUM(CASE WHEN start_unix < ? AND busy_until_unix > ? THEN 1 ELSE 0 END) AS overlaps,
			SUM(CASE WHEN start_unix >= ? AND start_unix < ? THEN 1 ELSE 0 END) AS day_load`,
		a.BusyUntil.Unix(), a.Start.Unix(), r.DayStart.Unix(), r.DayEnd.Unix()).
		Where("clerk_id IN ? AND status = ? AND start_unix >= ? AND start_unix < ? AND id <> ?",
			clerks, booking.StatusBooked, lo, hi, exclude).
		Group("clerk_id").Scan(&counts).Error; err != nil {
		return view, fmt.Errorf("overlaps and loads: %w", err)
	}
	byClerk := make(map[int64]clerkCounts, len(counts))
	for _, c := range counts {
		byClerk[c.ClerkID] = c
	}
	for _, id := range clerks {
		c := byClerk[id]
		load := c.DayLoad
		if r.Loads != nil {
			load = r.Loads[id]
		}
		view.Clerks = append(view.Clerks, booking.ClerkLoad{ClerkID: id, Free: c.Overlaps == 0, Appointments: load})
	}
	return view, nil
}

// firstFree checks the candidates in the picker's order of preference
// (fewest appointments that day, then lowest ID), a batch at a time, and
// stops at the first batch with a free clerk: usually one small query
// instead of a scan over every candidate. The view holds the checked ones.
func firstFree(tx *gorm.DB, view booking.ReserveView, clerks []int64, r booking.Reservation, exclude int64) (booking.ReserveView, error) {
	a := r.Appointment
	order := preferenceOrder(clerks, r.Loads, r.Likely)
	// The first batch holds every likely free clerk: one query usually
	// settles it.
	batch := max(8, len(r.Likely))
	for len(order) > 0 {
		ids := order[:min(batch, len(order))]
		batch = 8
		order = order[len(ids):]
		var busy []int64
		if err := tx.Model(&appointmentRow{}).
			Where("clerk_id IN ? AND status = ? AND start_unix < ? AND start_unix > ? AND busy_until_unix > ? AND id <> ?",
				ids, booking.StatusBooked, a.BusyUntil.Unix(), a.Start.Add(-booking.MaxBusySpan).Unix(), a.Start.Unix(), exclude).
			Distinct().Pluck("clerk_id", &busy).Error; err != nil {
			return view, fmt.Errorf("overlaps: %w", err)
		}
		found := false
		for _, id := range ids {
			free := !slices.Contains(busy, id)
			view.Clerks = append(view.Clerks, booking.ClerkLoad{ClerkID: id, Free: free, Appointments: r.Loads[id]})
			found = found || free
		}
		if found {
			break
		}
	}
	return view, nil
}

// lockAddress serialises bookings of one address on PostgreSQL, so the
// per-address limit holds even when they go to different clerks. It locks
// the limit's key: sub-addresses of one mailbox wait for each other.
func lockAddress(tx *gorm.DB, email string) error {
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", booking.EmailLimitKey(email)).Error; err != nil {
		return fmt.Errorf("lock e-mail: %w", err)
	}
	return nil
}

// openBookings counts the booked, not yet started appointments whose
// address has the same limit key (booking.EmailLimitKey) as email.
func openBookings(tx *gorm.DB, email string, now time.Time) (int, error) {
	var n int64
	if err := tx.Model(&appointmentRow{}).
		Where("citizen_email_key = ? AND status = ? AND start_unix > ?", booking.EmailLimitKey(email), booking.StatusBooked, now.Unix()).
		Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count e-mail: %w", err)
	}
	return int(n), nil
}

// preferenceOrder sorts candidates as the picker prefers them: fewest
// appointments that day first, then lowest ID; those the caller believes
// free (likely) go before all others.
func preferenceOrder(candidates []int64, loads map[int64]int, likely []int64) []int64 {
	unlikely := make(map[int64]int, len(candidates))
	for _, id := range candidates {
		unlikely[id] = 1
	}
	for _, id := range likely {
		unlikely[id] = 0
	}
	order := slices.Clone(candidates)
	slices.SortFunc(order, func(x, y int64) int {
		if c := cmp.Compare(unlikely[x], unlikely[y]); c != 0 {
			return c
		}
		if c := cmp.Compare(loads[x], loads[y]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	return order
}
