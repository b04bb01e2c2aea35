package sfu_test

import (
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// grantKey registers a credential for pid whose connections carry key.
func (e *env) grantKey(cred, room, pid string, role signaling.Role, key string, admitted bool) {
	now := time.Now()
	e.auth.Add(cred, sfu.Grant{RoomID: room, ParticipantID: pid, Role: role, DisplayName: "Name of " + pid,
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour), SessionKey: key, Admitted: admitted})
}

func secondDeviceWaiting(pid string) func(signaling.Message) bool {
	return func(m signaling.Message) bool {
		w, ok := m.(*signaling.WaitingList)
		if !ok {
			return false
		}
		for _, e := range w.Waiting {
			if e.ParticipantID == pid && e.SecondDevice {
				return true
			}
		}
		return false
	}
}

// TestSecondDeviceWaitsForClerk: the same participant joining with another
// session key (the join link opened elsewhere) neither inherits the
// admission nor throws the admitted device out; it waits, flagged as a
// second device, until the clerk turns it away or admits it in place of
// the first.
func TestSecondDeviceWaitsForClerk(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 40*time.Second)
	clerk, cit := admittedPair(ctx, t, e, nil)
	e.grantKey("elsewhere", "r", "p-cit", signaling.RoleCitizen, "other-session", false)

	other := e.dial(ctx, "elsewhere", false)
	j := mustWait(ctx, t, other, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusWaiting {
		t.Fatalf("second device status = %q, want waiting", j.Status)
	}
	mustWait(ctx, t, clerk, "second device in the waiting list", secondDeviceWaiting("p-cit"))
	if w := e.s.Waiting("r"); len(w) != 1 || !w[0].SecondDevice {
		t.Errorf("SFU.Waiting = %+v, want one second device", w)
	}
	if st := e.s.Stats(); st.Admitted != 2 || st.Waiting != 1 {
		t.Errorf("Stats = %+v, want both first devices admitted and one waiting", st)
	}

	// Turned away: only the second device goes.
	if err := clerk.Send(signaling.Remove{ParticipantID: "p-cit", SecondDevice: true}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, other, "removed", isType(signaling.TypeRemoved))
	<-other.Done()
	before := cit.Video.Packets.Load()
	waitFor(ctx, t, "media still flowing to the first device", func() bool { return cit.Video.Packets.Load() > before+10 })
	for _, m := range cit.Messages() {
		if er, ok := m.(*signaling.Error); ok {
			t.Fatalf("first device got %s", er.Code)
		}
	}

	// Admitted: the new device takes the seat, the old one is told why.
	again := e.dial(ctx, "elsewhere", true)
	mustWait(ctx, t, again, "joined", isType(signaling.TypeJoined))
	mustWait(ctx, t, clerk, "second device waiting again", secondDeviceWaiting("p-cit"))
	if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	if err := cit.WaitError(ctx, signaling.CodeReplaced); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, again, "admitted", isType(signaling.TypeAdmitted))
	waitFor(ctx, t, "media on the admitted device", func() bool { return again.Video.Keyframes.Load() > 0 })

	// The old device's key no longer holds the admission: it would wait.
	back := e.dial(ctx, "cit", false)
	j = mustWait(ctx, t, back, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusWaiting {
		t.Errorf("old device came back as %q, want waiting", j.Status)
	}
	admitted := 0
	for _, ev := range e.rec.Events() {
		if ev.Type == sfu.EventAdmitted && ev.ParticipantID == "p-cit" {
			admitted++
			if admitted == 2 && ev.SessionKey != "other-session" {
				t.Errorf("second admission event carries key %q", ev.SessionKey)
			}
		}
	}
	if admitted != 2 {
		t.Errorf("citizen admitted %d times, want 2 (first device, then the second)", admitted)
	}
}

// TestRememberedAdmission: a grant that says its key was admitted before
// (by an earlier process) is admitted without the clerk; the same
// participant with another key is not.
func TestRememberedAdmission(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grantKey("known", "r", "p-cit", signaling.RoleCitizen, "k1", true)
	e.grantKey("stranger", "r", "p-cit", signaling.RoleCitizen, "k2", false)
	stranger := e.dial(ctx, "stranger", false)
	j := mustWait(ctx, t, stranger, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusWaiting {
		t.Fatalf("stranger status = %q, want waiting", j.Status)
	}
	known := e.dial(ctx, "known", false)
	j = mustWait(ctx, t, known, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusAdmitted {
		t.Fatalf("remembered device status = %q, want admitted", j.Status)
	}
	if w := e.s.Waiting("r"); len(w) != 1 || !w[0].SecondDevice {
		t.Errorf("waiting = %+v, want the stranger flagged as second device", w)
	}

	// Turning the stranger away keeps the remembered device's seat.
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	clerk := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, clerk, "second device in the waiting list", secondDeviceWaiting("p-cit"))
	if err := clerk.Send(signaling.Remove{ParticipantID: "p-cit", SecondDevice: true}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, stranger, "removed", isType(signaling.TypeRemoved))
	<-stranger.Done()
	if st := e.s.Stats(); st.Admitted != 2 || st.Waiting != 0 {
		t.Errorf("Stats = %+v, want clerk and remembered device admitted", st)
	}
}

// TestEndSessionCutsConnection: revoking a clerk's login ends its
// signaling connection at once, so its clerk powers end with it.
func TestEndSessionCutsConnection(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grantKey("clerk", "r", "p-clerk", signaling.RoleClerk, "login-1", false)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	clerk := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	cit := e.dial(ctx, "cit", false)
	mustWait(ctx, t, clerk, "citizen waiting", waitingHas("p-cit"))

	e.s.EndSession("login-2", signaling.ReasonSessionEnded) // another login: nothing happens
	e.s.EndSession("login-1", signaling.ReasonSessionEnded)
	m := mustWait(ctx, t, clerk, "removed", isType(signaling.TypeRemoved)).(*signaling.Removed)
	if m.Reason != signaling.ReasonSessionEnded {
		t.Errorf("reason = %q", m.Reason)
	}
	select {
	case <-clerk.Done():
	case <-ctx.Done():
		t.Fatal("clerk connection still open")
	}
	_ = clerk.Send(signaling.Admit{ParticipantID: "p-cit"})
	if st := e.s.Stats(); st.Admitted != 0 || st.Waiting != 1 {
		t.Errorf("Stats = %+v, want no one admitted and the citizen still waiting", st)
	}
	for _, msg := range cit.Messages() {
		if msg.MessageType() == signaling.TypeAdmitted {
			t.Fatal("citizen admitted after the clerk's login ended")
		}
	}
}

// TestTURNEndsWithTheDevice: TURN credentials follow the admitted session:
// a second device admitted in place of the first strikes the first one's
// credentials, and ending a session (a revoked login) strikes its own.
func TestTURNEndsWithTheDevice(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) { c.TURN.Enabled = true })
	ctx := testCtx(t, 30*time.Second)
	e.grantKey("clerk", "r", "p-clerk", signaling.RoleClerk, "login", false)
	e.grantKey("first", "r", "p-cit", signaling.RoleCitizen, "k1", true)
	e.grantKey("second", "r", "p-cit", signaling.RoleCitizen, "k2", false)
	clerk := e.dial(ctx, "clerk", false)
	clerkTURN := turnOf(ctx, t, clerk)
	first := e.dial(ctx, "first", false)
	firstTURN := turnOf(ctx, t, first)
	port := e.s.TURNPort()
	if err := allocate(t, port, firstTURN); err != nil {
		t.Fatalf("first device's allocation: %v", err)
	}

	second := e.dial(ctx, "second", false)
	mustWait(ctx, t, clerk, "second device waiting", secondDeviceWaiting("p-cit"))
	if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	secondTURN := turnOf(ctx, t, second)
	if err := first.WaitError(ctx, signaling.CodeReplaced); err != nil {
		t.Fatal(err)
	}
	if err := allocate(t, port, firstTURN); err == nil {
		t.Error("the replaced device's credentials still allocate")
	}
	if err := allocate(t, port, secondTURN); err != nil {
		t.Errorf("the admitted device's credentials refused: %v", err)
	}

	e.s.EndSession("login", signaling.ReasonSessionEnded)
	<-clerk.Done()
	if err := allocate(t, port, clerkTURN); err == nil {
		t.Error("an ended login's credentials still allocate")
	}
}
