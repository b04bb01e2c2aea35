package gormstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestDeleteServiceAgainstBooking: a service with an appointment stays
// (ErrServiceInUse); one without goes with its hours, and a booking whose
// transaction starts after that (its service read before) is refused
// instead of leaving an appointment without a service.
func TestDeleteServiceAgainstBooking(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 1, 0)
			ctx := context.Background()
			slots, err := f.office.FreeSlots(ctx, f.short.ID, f.day, f.day)
			if err != nil || len(slots) == 0 {
				t.Fatalf("slots: %v %v", slots, err)
			}
			if _, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: f.short.ID, Start: slots[0].Start,
				Name: "Bürgerin", Email: "b@example.org", Consent: true}); err != nil {
				t.Fatal(err)
			}
			if err := f.office.DeleteService(ctx, f.admin, f.short.ID); !errors.Is(err, booking.ErrServiceInUse) {
				t.Fatalf("deleting a booked service: %v, want ErrServiceInUse", err)
			}

			if err := f.office.DeleteService(ctx, f.admin, f.long.ID); err != nil {
				t.Fatal(err)
			}
			if hours, err := f.store.OpeningHours(ctx, f.long.ID); err != nil || len(hours) != 0 {
				t.Errorf("hours of the deleted service: %v %v", hours, err)
			}
			start := time.Date(2026, 3, 30, 10, 0, 0, 0, f.loc)
			_, err = f.store.Reserve(ctx, booking.Reservation{
				Appointment: booking.Appointment{ServiceID: f.long.ID, Start: start, End: start.Add(45 * time.Minute),
					BusyUntil: start.Add(45 * time.Minute), Status: booking.StatusBooked, CitizenName: "Spät",
					CitizenEmail: "spaet@example.org", CreatedAt: f.now},
				Candidates: f.clerks, DayStart: start.Add(-10 * time.Hour), DayEnd: start.Add(14 * time.Hour), Now: f.now,
			}, func(v booking.ReserveView) (int64, error) { return f.clerks[0], nil })
			if !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("booking a deleted service: %v, want ErrNotFound", err)
			}
		})
	}
}
