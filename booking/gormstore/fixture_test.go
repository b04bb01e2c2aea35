package gormstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// fixture is an office on a real store with two services of different
// lengths offered by the same clerks on Monday 2026-03-30, seen from the
// Friday before (a DST change lies in between).
type fixture struct {
	store    *gormstore.Store
	office   *booking.Office
	admin    booking.Actor
	clerks   []int64
	short    booking.Service // 30 min + 5 min buffer
	long     booking.Service // 45 min, no buffer
	day      booking.Date
	loc      *time.Location
	now      time.Time
	maxEmail int
}

func newFixture(t testing.TB, kind string, clerks, maxEmail int) *fixture {
	t.Helper()
	ctx := context.Background()
	loc, _ := time.LoadLocation("Europe/Berlin")
	f := &fixture{store: storetest.Open(t, kind), loc: loc, day: booking.Date{Year: 2026, Month: 3, Day: 30},
		now: time.Date(2026, 3, 27, 8, 0, 0, 0, loc), maxEmail: maxEmail}
	var err error
	f.office, err = booking.New(f.store, booking.Options{Location: loc, Now: func() time.Time { return f.now },
		MaxBookingsPerEmail: maxEmail, Hasher: storetest.FastHasher{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.office.EnsureAdmin(ctx, "admin@amt.example", "correct horse battery", "Admin"); err != nil {
		t.Fatal(err)
	}
	u, err := f.store.UserByEmail(ctx, "admin@amt.example")
	if err != nil {
		t.Fatal(err)
	}
	f.admin = booking.Actor{UserID: u.ID, Role: booking.RoleAdmin}
	f.short = f.mustService(t, booking.Service{Name: "Kurzberatung", DurationMinutes: 30, BufferMinutes: 5, HorizonDays: 30, Published: true})
	f.long = f.mustService(t, booking.Service{Name: "Ausführliche Beratung", DurationMinutes: 45, HorizonDays: 30, Published: true})
	for i := 0; i < clerks; i++ {
		c, err := f.office.CreateUser(ctx, f.admin, booking.NewUser{Email: fmt.Sprintf("clerk%d@amt.example", i),
			Name: fmt.Sprintf("Clerk %d", i), Password: "correct horse battery", Role: booking.RoleClerk})
		if err != nil {
			t.Fatal(err)
		}
		f.clerks = append(f.clerks, c.ID)
		for _, svc := range []booking.Service{f.short, f.long} {
			if _, err := f.office.AddOpeningHours(ctx, f.admin, booking.OpeningHours{ServiceID: svc.ID, ClerkID: c.ID,
				Weekday: 1, Start: 9 * 60, End: 13 * 60}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func (f *fixture) mustService(t testing.TB, s booking.Service) booking.Service {
	t.Helper()
	s, err := f.office.CreateService(context.Background(), f.admin, s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// assertNoOverlaps reads every booked appointment back from the database
// and fails on any two of one clerk whose busy spans overlap.
func assertNoOverlaps(t *testing.T, s *gormstore.Store) int {
	t.Helper()
	type row struct {
		ID, ClerkID, StartUnix, BusyUntilUnix int64
	}
	var rows []row
	if err := s.DB().Raw("SELECT id, clerk_id, start_unix, busy_until_unix FROM appointments WHERE status = 'booked' ORDER BY clerk_id, start_unix").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.ClerkID == b.ClerkID && b.StartUnix < a.BusyUntilUnix {
			t.Errorf("double booking: clerk %d appointments %d and %d overlap", a.ClerkID, a.ID, b.ID)
		}
	}
	return len(rows)
}
