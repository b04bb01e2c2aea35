package gormstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestDoubleBookingsCheck: the check counts booked appointments and finds
// an overlap once the database guard is out of the way, on each database.
func TestDoubleBookingsCheck(t *testing.T) {
	dropGuard := map[string][]string{
		"sqlite":   {`DROP TRIGGER appointments_no_overlap_insert`, `DROP TRIGGER appointments_no_overlap_update`},
		"postgres": {`ALTER TABLE appointments DROP CONSTRAINT appointments_no_overlap`},
	}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 1, 0)
			ctx := context.Background()
			var ids []int64
			for i, minute := range []booking.ClockTime{9 * 60, 9*60 + 45} {
				res, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: f.long.ID, Start: f.day.At(minute, f.loc),
					Name: "B", Email: fmt.Sprintf("c%d@example.org", i), Consent: true})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, res.Appointment.ID)
			}
			assertChecks(t, f, 0, 2)
			for _, stmt := range dropGuard[kind] {
				if err := f.store.DB().Exec(stmt).Error; err != nil {
					t.Fatal(err)
				}
			}
			// Move the second appointment onto the first one's span.
			if err := f.store.DB().Exec(`UPDATE appointments SET start_unix = start_unix - 1800,
				busy_until_unix = busy_until_unix - 1800 WHERE id = ?`, ids[1]).Error; err != nil {
				t.Fatal(err)
			}
			assertChecks(t, f, 1, 2)
		})
	}
}

func assertChecks(t *testing.T, f *fixture, double, booked int) {
	t.Helper()
	ctx := context.Background()
	if n, err := f.store.DoubleBookings(ctx); err != nil || n != double {
		t.Errorf("DoubleBookings = %d, %v; want %d", n, err, double)
	}
	if n, err := f.store.BookedAppointments(ctx, f.long.ID); err != nil || n != booked {
		t.Errorf("BookedAppointments = %d, %v; want %d", n, err, booked)
	}
}
