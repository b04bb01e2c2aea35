package sfu_test

import (
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestWaitingRoom: nobody but the clerk gets media before admission, even
// when arriving first; clerks see who waits and can admit or remove.
func TestWaitingRoom(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	e.grant("guest", "r", "p-guest", signaling.RoleGuest)

	// The citizen arrives before the clerk and must wait.
	cit := e.dial(ctx, "cit", true)
	j := mustWait(ctx, t, cit, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusWaiting {
		t.Fatalf("citizen status = %q, want waiting", j.Status)
	}

	t.Run("waiting participant cannot negotiate or chat", func(t *testing.T) {
		for _, m := range []signaling.Message{
			signaling.Offer{SDP: "v=0\r\n"},
			signaling.Answer{SDP: "v=0\r\n"},
			signaling.Candidate{},
			signaling.Chat{Text: "hello"},
			signaling.ICEServers{},
			signaling.Admit{ParticipantID: "p-cit"},
		} {
			if err := cit.Send(m); err != nil {
				t.Fatal(err)
			}
			mustWait(ctx, t, cit, "refusal of "+m.MessageType(), func(got signaling.Message) bool {
				er, ok := got.(*signaling.Error)
				return ok && er.Ref == m.MessageType() && (er.Code == signaling.CodeNotAdmitted || er.Code == signaling.CodeForbidden)
			})
		}
	})

	clerk := e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	guest := e.dial(ctx, "guest", true)

	t.Run("clerk sees waiting list with names and since", func(t *testing.T) {
		m := mustWait(ctx, t, clerk, "both waiting", func(m signaling.Message) bool {
			w, ok := m.(*signaling.WaitingList)
			return ok && len(w.Waiting) == 2
		}).(*signaling.WaitingList)
		if m.Waiting[0].ParticipantID != "p-cit" || m.Waiting[0].DisplayName != "Name of p-cit" || m.Waiting[0].Since.IsZero() {
			t.Errorf("first waiting = %+v, want the citizen (arrived first) with name and since", m.Waiting[0])
		}
		w := e.s.Waiting("r")
		if len(w) != 2 || w[1].ParticipantID != "p-guest" {
			t.Errorf("SFU.Waiting = %+v", w)
		}
	})

	t.Run("stats count waiting and admitted", func(t *testing.T) {
		st := e.s.Stats()
		if st.Rooms != 1 || st.Waiting != 2 || st.Admitted != 1 || st.Calls != 0 {
			t.Errorf("Stats = %+v, want rooms 1, waiting 2, admitted 1, no call", st)
		}
	})

	t.Run("no media to or from waiting participants", func(t *testing.T) {
		if err := clerk.WaitConnected(ctx); err != nil {
			t.Fatal(err)
		}
		// Nothing can be awaited for "nothing happens": observe a short window.
		time.Sleep(300 * time.Millisecond)
		for name, n := range map[string]int64{
			"citizen received": cit.Video.Packets.Load() + cit.Audio.Packets.Load(),
			"guest received":   guest.Video.Packets.Load() + guest.Audio.Packets.Load(),
			"clerk received":   clerk.Video.Packets.Load() + clerk.Audio.Packets.Load(),
		} {
			if n != 0 {
				t.Errorf("%s %d packets before admission", name, n)
			}
		}
		if got := cit.SentPackets.Load(); got != 0 {
			t.Errorf("waiting citizen sent %d packets", got)
		}
	})

	t.Run("citizen cannot admit the guest", func(t *testing.T) {
		// Still waiting, so refused; the role check is covered after admission below.
		if err := cit.Send(signaling.Remove{ParticipantID: "p-guest"}); err != nil {
			t.Fatal(err)
		}
		if err := cit.WaitError(ctx, signaling.CodeForbidden); err != nil {
			t.Fatal(err)
		}
	})

	if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, cit, "citizen admitted", isType(signaling.TypeAdmitted))
	waitFor(ctx, t, "media between clerk and citizen", func() bool {
		return cit.Video.Keyframes.Load() > 0 && clerk.Video.Keyframes.Load() > 0
	})

	t.Run("stats count the call and its media", func(t *testing.T) {
		waitFor(ctx, t, "forwarded packets counted", func() bool {
			st := e.s.Stats()
			return st.Calls == 1 && st.Admitted == 2 && st.Waiting == 1 && st.Tracks == 4 && st.ForwardedPackets > 0
		})
		if st := e.s.Stats(); st.SendDropped != 0 {
			t.Errorf("send queue dropped %d datagrams", st.SendDropped)
		}
	})

	t.Run("admitted citizen cannot admit or remove", func(t *testing.T) {
		for _, m := range []signaling.Message{signaling.Admit{ParticipantID: "p-guest"}, signaling.Remove{ParticipantID: "p-clerk"}, signaling.CloseRoom{}} {
			if err := cit.Send(m); err != nil {
				t.Fatal(err)
			}
			mustWait(ctx, t, cit, "forbidden "+m.MessageType(), func(got signaling.Message) bool {
				er, ok := got.(*signaling.Error)
				return ok && er.Code == signaling.CodeForbidden && er.Ref == m.MessageType()
			})
		}
	})

	t.Run("clerk removes the waiting guest", func(t *testing.T) {
		if err := clerk.Send(signaling.Remove{ParticipantID: "p-guest"}); err != nil {
			t.Fatal(err)
		}
		mustWait(ctx, t, guest, "removed", isType(signaling.TypeRemoved))
		select {
		case <-guest.Done():
		case <-ctx.Done():
			t.Fatal("removed guest still connected")
		}
		if got := guest.Video.Packets.Load() + guest.Audio.Packets.Load(); got != 0 {
			t.Errorf("removed guest received %d packets", got)
		}
		if _, err := e.rec.WaitFor(ctx, func(ev sfu.Event) bool {
			return ev.Type == sfu.EventRemoved && ev.ParticipantID == "p-guest" && ev.ByParticipant == "p-clerk"
		}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("unknown participant", func(t *testing.T) {
		if err := clerk.Send(signaling.Admit{ParticipantID: "nobody"}); err != nil {
			t.Fatal(err)
		}
		if err := clerk.WaitError(ctx, signaling.CodeNotFound); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRemovedParticipantLosesMediaAndWaitsAgain: removal stops forwarding
// at once and forgets the admission.
func TestRemovedParticipantLosesMediaAndWaitsAgain(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	clerk := e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	cit := e.dial(ctx, "cit", true)
	mustWait(ctx, t, clerk, "citizen waiting", waitingHas("p-cit"))
	_ = clerk.Send(signaling.Admit{ParticipantID: "p-cit"})
	// Well past the point where the SFU hands each track over to its
	// publisher's SRTP goroutine (inline.go).
	waitFor(ctx, t, "media flowing", func() bool {
		return clerk.Video.Keyframes.Load() > 0 && clerk.Video.Packets.Load() > 3*64 && cit.Video.Packets.Load() > 3*64
	})
	if st := e.s.Stats(); st.Tracks != 4 {
		t.Fatalf("Stats.Tracks = %d before removal, want 4", st.Tracks)
	}
	waitFor(ctx, t, "all four tracks handed over", func() bool { return sfu.InlineTracks(e.s) == 4 })
	before := clerk.Video.Packets.Load()
	waitFor(ctx, t, "media still flowing after the hand-over", func() bool { return clerk.Video.Packets.Load() > before+30 })

	_ = clerk.Send(signaling.Remove{ParticipantID: "p-cit"})
	waitFor(ctx, t, "the citizen's tracks unpublished", func() bool { return e.s.Stats().Tracks == 2 })
	mustWait(ctx, t, cit, "removed", isType(signaling.TypeRemoved))
	// The clerk's copy of the citizen's stream goes away in a renegotiation.
	mustWait(ctx, t, clerk, "roster without citizen", func(m signaling.Message) bool {
		p, ok := m.(*signaling.Participants)
		return ok && len(p.Participants) == 1
	})
	again := e.dial(ctx, "cit", true)
	j := mustWait(ctx, t, again, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusWaiting {
		t.Fatalf("after removal status = %q, want waiting", j.Status)
	}
}
