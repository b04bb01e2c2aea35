package gormstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestRoomSessionsBoundedPerParticipant: however often a join link is
// exchanged, a participant keeps at most MaxRoomSessions live sessions;
// the admitted one is never the one displaced.
func TestRoomSessionsBoundedPerParticipant(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, kind)
			now := time.Unix(1_800_000_000, 0)
			ends := now.Add(2 * time.Hour)
			mk := func(i int) booking.RoomSession {
				at := now.Add(time.Duration(i) * time.Second)
				return booking.RoomSession{TokenHash: fmt.Sprintf("h%03d", i), AppointmentID: 7, ParticipantID: "citizen-7",
					Role: booking.RoomRoleCitizen, CreatedAt: at, UsedAt: at, ExpiresAt: ends, EndsAt: ends}
			}
			if _, err := s.CreateRoomSession(ctx, mk(0), booking.MaxRoomSessions); err != nil {
				t.Fatal(err)
			}
			if err := s.SetRoomSessionAdmitted(ctx, "h000", true); err != nil {
				t.Fatal(err)
			}
			var dropped []string
			for i := 1; i <= 50; i++ {
				d, err := s.CreateRoomSession(ctx, mk(i), booking.MaxRoomSessions)
				if err != nil {
					t.Fatal(err)
				}
				dropped = append(dropped, d...)
			}
			var live []string
			if err := s.DB().Raw("SELECT token_hash FROM room_sessions WHERE participant_id = 'citizen-7' ORDER BY token_hash").Scan(&live).Error; err != nil {
				t.Fatal(err)
			}
			if want := []string{"h000", "h049", "h050"}; !slices.Equal(live, want) {
				t.Errorf("live sessions = %v, want %v (the admitted one and the newest)", live, want)
			}
			if len(dropped) != 48 || slices.Contains(dropped, "h000") {
				t.Errorf("dropped %d sessions (admitted among them: %v), want 48 without it", len(dropped), slices.Contains(dropped, "h000"))
			}
			got, err := s.RoomSession(ctx, "h000", now)
			if err != nil || !got.Admitted {
				t.Fatalf("admitted session = %+v, %v", got, err)
			}

			// Admitting another session takes the admission from the first.
			if err := s.SetRoomSessionAdmitted(ctx, "h050", true); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.RoomSession(ctx, "h000", now); got.Admitted {
				t.Error("first session still admitted after the second was")
			}

			// A room closed for good forgets every admission.
			if err := s.ResetRoomAdmissions(ctx, 7); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.RoomSession(ctx, "h050", now); got.Admitted {
				t.Error("admission kept after ResetRoomAdmissions")
			}

			// Idle expiry.
			if err := s.TouchRoomSession(ctx, "h049", now, now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RoomSession(ctx, "h049", now.Add(2*time.Minute)); err == nil {
				t.Error("idle session still valid after its expiry")
			}
			n, err := s.DeleteExpiredRoomSessions(ctx, now.Add(2*time.Minute))
			if err != nil || n != 1 {
				t.Errorf("DeleteExpiredRoomSessions = %d, %v; want 1", n, err)
			}
		})
	}
}

// TestOpenCallsBefore finds call_started entries without a later
// call_ended, and only those started before the given time.
func TestOpenCallsBefore(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, kind)
			t0 := time.Unix(1_800_000_000, 0)
			add := func(caseID int64, typ booking.EventType, at time.Duration) {
				if err := s.AppendEvent(ctx, booking.Event{CaseID: caseID, Type: typ, At: t0.Add(at)}); err != nil {
					t.Fatal(err)
				}
			}
			add(1, booking.EventCallStarted, 0) // ended
			add(1, booking.EventCallEnded, time.Minute)
			add(2, booking.EventCallStarted, 0) // dangling
			add(3, booking.EventCallStarted, 0) // ended, then started again and dangling
			add(3, booking.EventCallEnded, time.Minute)
			add(3, booking.EventCallStarted, 2*time.Minute)
			add(4, booking.EventCallStarted, time.Hour) // after the cut-off: another process's call
			open, err := s.OpenCallsBefore(ctx, t0.Add(30*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			var cases []int64
			for _, c := range open {
				cases = append(cases, c.CaseID)
			}
			if !slices.Equal(cases, []int64{2, 3}) {
				t.Errorf("open calls in cases %v, want [2 3]", cases)
			}
		})
	}
}
