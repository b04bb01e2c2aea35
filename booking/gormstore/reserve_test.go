package gormstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestConcurrentBookingNeverDoubleBooks lets hundreds of goroutines book
// random slots of two services with different lengths for the same clerks at
// once, then proves from the database that no clerk holds two overlapping
// appointments and that every success was stored.
func TestConcurrentBookingNeverDoubleBooks(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 3, 0)
			ctx := context.Background()
			var starts [2][]time.Time
			for i, svc := range []booking.Service{f.short, f.long} {
				slots, err := f.office.FreeSlots(ctx, svc.ID, f.day, f.day)
				if err != nil || len(slots) == 0 {
					t.Fatalf("slots: %v %v", slots, err)
				}
				for _, s := range slots {
					starts[i] = append(starts[i], s.Start)
				}
			}
			const workers = 300
			var ok, taken atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					i := rand.IntN(2)
					svc := []booking.Service{f.short, f.long}[i]
					start := starts[i][rand.IntN(len(starts[i]))]
					_, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: svc.ID, Start: start,
						Name: "Bürgerin", Email: fmt.Sprintf("b%d@example.org", w), Consent: true})
					switch {
					case err == nil:
						ok.Add(1)
					case errors.Is(err, booking.ErrSlotTaken):
						taken.Add(1)
					default:
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("unexpected booking error: %v", err)
			}
			stored := assertNoOverlaps(t, f.store)
			if int64(stored) != ok.Load() {
				t.Errorf("%d bookings succeeded but %d are stored", ok.Load(), stored)
			}
			if ok.Load() == 0 || taken.Load() == 0 {
				t.Errorf("expected both successes and conflicts, got %d ok, %d taken", ok.Load(), taken.Load())
			}
			t.Logf("%s: %d booked, %d conflicts", kind, ok.Load(), taken.Load())
		})
	}
}

// TestSameSlotRush: everyone wants 09:00; exactly one booking per clerk wins.
func TestSameSlotRush(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 4, 0)
			start := f.day.At(9*60, f.loc)
			var ok atomic.Int64
			var wg sync.WaitGroup
			for w := 0; w < 200; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := f.office.Book(context.Background(), booking.BookingRequest{ServiceID: f.long.ID, Start: start,
						Name: "B", Email: fmt.Sprintf("r%d@example.org", w), Consent: true})
					if err == nil {
						ok.Add(1)
					} else if !errors.Is(err, booking.ErrSlotTaken) {
						t.Errorf("unexpected: %v", err)
					}
				}()
			}
			wg.Wait()
			if ok.Load() != int64(len(f.clerks)) {
				t.Errorf("%d bookings won, want one per clerk (%d)", ok.Load(), len(f.clerks))
			}
			assertNoOverlaps(t, f.store)
			// The least-loaded rule spread them: every clerk got one.
			appts := 0
			for _, c := range f.clerks {
				list, err := f.office.ClerkAppointments(context.Background(), booking.Actor{UserID: c, Role: booking.RoleClerk}, 0, f.day, f.day)
				if err != nil || len(list) != 1 {
					t.Errorf("clerk %d: %d appointments, %v", c, len(list), err)
				}
				appts += len(list)
			}
		})
	}
}

// TestEmailLimitUnderConcurrency: one address books many slots at once; the
// limit holds exactly, also when each booking gives another sub-address
// ("+tag") or spelling of the same mailbox.
func TestEmailLimitUnderConcurrency(t *testing.T) {
	addresses := []struct {
		name  string
		email func(i int) string
	}{
		{"one address", func(int) string { return "Same@Example.org" }},
		{"sub-addresses", func(i int) string { return fmt.Sprintf("same+%d@example.org", i) }},
		{"sub-addresses and case", func(i int) string { return fmt.Sprintf("SAME+x%d@Example.org", i) }},
	}
	for _, kind := range storetest.Kinds(t) {
		for _, addr := range addresses {
			t.Run(kind+"/"+addr.name, func(t *testing.T) {
				f := newFixture(t, kind, 3, 3)
				slots, err := f.office.FreeSlots(context.Background(), f.short.ID, f.day, f.day)
				if err != nil {
					t.Fatal(err)
				}
				var ok, limited atomic.Int64
				var wg sync.WaitGroup
				for i, s := range slots {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, err := f.office.Book(context.Background(), booking.BookingRequest{ServiceID: f.short.ID, Start: s.Start,
							Name: "B", Email: addr.email(i), Consent: true})
						switch {
						case err == nil:
							ok.Add(1)
						case errors.Is(err, booking.ErrTooManyBookings):
							limited.Add(1)
						default:
							t.Errorf("unexpected: %v", err)
						}
					}()
				}
				wg.Wait()
				if ok.Load() != 3 || limited.Load() != int64(len(slots)-3) {
					t.Errorf("ok %d limited %d of %d", ok.Load(), limited.Load(), len(slots))
				}
			})
		}
	}
}

// TestOverlapGuardInDatabase: even a write that skips the booking
// transaction cannot store an overlapping appointment.
func TestOverlapGuardInDatabase(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 1, 0)
			ctx := context.Background()
			res, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: f.long.ID, Start: f.day.At(9*60, f.loc),
				Name: "B", Email: "g@example.org", Consent: true})
			if err != nil {
				t.Fatal(err)
			}
			a := res.Appointment
			err = f.store.DB().Exec(`INSERT INTO appointments (case_id, service_id, clerk_id, start_unix, end_unix, busy_until_unix,
				status, citizen_name, citizen_email, topic, language, consent_at, join_token_hash, join_expires_at,
				manage_token_hash, manage_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'booked', 'x', 'x@example.org', '', 'de', 0, 'j', 0, 'm', 0, 0)`,
				a.CaseID+1000, a.ServiceID, a.ClerkID, a.Start.Unix()+600, a.End.Unix()+600, a.BusyUntil.Unix()+600).Error
			if err == nil {
				t.Fatal("database accepted an overlapping appointment")
			}
			// Cancelled ones do not block, and re-booking a cancelled one is refused.
			if _, err := f.office.CancelByToken(ctx, res.ManageToken); err != nil {
				t.Fatal(err)
			}
			res2, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: f.long.ID, Start: f.day.At(9*60, f.loc),
				Name: "C", Email: "h@example.org", Consent: true})
			if err != nil {
				t.Fatalf("slot not freed by cancel: %v", err)
			}
			if err := f.store.DB().Exec("UPDATE appointments SET status = 'booked' WHERE id = ?", a.ID).Error; err == nil {
				t.Fatal("database accepted reviving an overlapping appointment")
			}
			_ = res2
		})
	}
}
