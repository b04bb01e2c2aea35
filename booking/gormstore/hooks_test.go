package gormstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// plainRenderer renders every mail as a one-liner.
type plainRenderer struct{}

func (plainRenderer) Render(d booking.MailData) (booking.Mail, error) {
	return booking.Mail{To: d.To, Subject: string(d.Kind), Text: string(d.Kind)}, nil
}

// TestUseCaseHooks: the use cases themselves report queued mail and ended
// appointments, so no caller has to remember to deliver or close the room.
func TestUseCaseHooks(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, kind, 1, 0)
			sealer, err := booking.NewSealer(make([]byte, booking.SecretKeySize))
			if err != nil {
				t.Fatal(err)
			}
			var kicks int
			var ended []int64
			office, err := booking.New(f.store, booking.Options{Location: f.loc, Now: func() time.Time { return f.now },
				Hasher: storetest.FastHasher{}, Mailer: plainRenderer{}, Sealer: sealer,
				MailQueued: func() { kicks++ }, AppointmentEnded: func(id int64) { ended = append(ended, id) }})
			if err != nil {
				t.Fatal(err)
			}
			// The short service's grid: 09:00, 09:35, 10:10, …
			at := func(k int) time.Time { return time.Date(2026, 3, 30, 9, 35*k, 0, 0, f.loc) }
			book := func(k int) booking.BookingResult {
				t.Helper()
				r, err := office.Book(ctx, booking.BookingRequest{ServiceID: f.short.ID, Start: at(k), Name: "Erika Mustermann",
					Email: "erika@example.org", Consent: true, Language: "de"})
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			first, second := book(0), book(1)
			steps := []struct {
				name      string
				do        func() (int64, error)
				wantKicks int
				wantEnded bool
			}{
				{"book", func() (int64, error) { r := book(2); return r.Appointment.ID, nil }, 1, false},
				{"rebook", func() (int64, error) {
					r, err := office.RebookByToken(ctx, first.ManageToken, at(3))
					return r.Appointment.ID, err
				}, 1, false},
				{"cancel by citizen", func() (int64, error) {
					a, err := office.CancelByToken(ctx, first.ManageToken)
					return a.ID, err
				}, 1, true},
				{"closed by staff", func() (int64, error) {
					_, err := office.SetCaseStatus(ctx, f.admin, second.Appointment.CaseNumber, booking.StatusDone)
					return second.Appointment.ID, err
				}, 0, true},
				{"reminders", func() (int64, error) {
					_, err := office.SendReminders(ctx, at(2).Add(-time.Hour))
					return 0, err
				}, 1, false},
			}
			for _, s := range steps {
				kicks, ended = 0, nil
				id, err := s.do()
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if kicks != s.wantKicks {
					t.Errorf("%s: MailQueued heard %d times, want %d", s.name, kicks, s.wantKicks)
				}
				if got := slices.Equal(ended, []int64{id}); got != s.wantEnded || (!s.wantEnded && len(ended) > 0) {
					t.Errorf("%s: AppointmentEnded heard %v, want %v", s.name, ended, s.wantEnded)
				}
			}
		})
	}
}
