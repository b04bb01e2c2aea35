package sfu_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// admittedPair sets up a clerk and an admitted citizen with media flowing.
func admittedPair(ctx context.Context, t *testing.T, e *env, citCfg func(*sfutest.ClientConfig)) (clerk, cit *sfutest.Client) {
	t.Helper()
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	clerk = e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	cc := sfutest.ClientConfig{URL: e.url, Credential: "cit", Publish: true}
	if citCfg != nil {
		citCfg(&cc)
	}
	cit, err := sfutest.Dial(ctx, cc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cit.Close)
	mustWait(ctx, t, clerk, "citizen waiting", waitingHas("p-cit"))
	if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, cit, "citizen admitted", isType(signaling.TypeAdmitted))
	waitFor(ctx, t, "media both ways", func() bool {
		return cit.Video.Keyframes.Load() > 0 && clerk.Video.Keyframes.Load() > 0 &&
			cit.Audio.Packets.Load() > 0 && clerk.Audio.Packets.Load() > 0
	})
	return clerk, cit
}

// TestReconnectWithoutReadmission: a dropped participant comes back with a
// new connection and PeerConnection, admitted without the clerk.
func TestReconnectWithoutReadmission(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) { c.ReconnectGrace = 20 * time.Second })
	ctx := testCtx(t, 40*time.Second)
	clerk, cit := admittedPair(ctx, t, e, nil)
	cit.Drop()

	back := e.dial(ctx, "cit", true)
	j := mustWait(ctx, t, back, "joined", isType(signaling.TypeJoined)).(*signaling.Joined)
	if j.Status != signaling.StatusAdmitted {
		t.Fatalf("reconnect status = %q, want admitted", j.Status)
	}
	before := clerk.Video.Keyframes.Load()
	waitFor(ctx, t, "media after reconnect", func() bool {
		return back.Video.Keyframes.Load() > 0 && back.Audio.Packets.Load() > 0 &&
			clerk.Video.Keyframes.Load() > before
	})
	admissions := 0
	for _, ev := range e.rec.Events() {
		if ev.ParticipantID == "p-cit" && ev.Type == sfu.EventAdmitted {
			admissions++
		}
		if ev.Type == sfu.EventLeft || ev.Type == sfu.EventCallEnded {
			t.Errorf("unexpected %s event during reconnect grace", ev.Type)
		}
	}
	if admissions != 1 {
		t.Errorf("citizen admitted %d times, want 1", admissions)
	}
}

// TestSecondConnectionReplacesFirst: a reload while the old socket still
// lives (half-open) takes over without admission.
func TestSecondConnectionReplacesFirst(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	_, cit := admittedPair(ctx, t, e, nil)
	second := e.dial(ctx, "cit", true)
	if err := cit.WaitError(ctx, signaling.CodeReplaced); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, second, "admitted", isType(signaling.TypeAdmitted))
	waitFor(ctx, t, "media on new connection", func() bool { return second.Video.Keyframes.Load() > 0 })
}

// TestRelayOnlyThroughTURN: a client that may only use relay candidates
// reaches the SFU through the embedded TURN server.
func TestRelayOnlyThroughTURN(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) {
		c.TURN.Enabled = true
		c.TURN.AllowPrivatePeers = true // the SFU itself is on 127.0.0.1 here
	})
	ctx := testCtx(t, 30*time.Second)
	clerk, cit := admittedPair(ctx, t, e, func(c *sfutest.ClientConfig) { c.RelayOnly = true })
	if got := cit.SelectedCandidateType(); got != "relay" {
		t.Errorf("citizen selected candidate type %q, want relay", got)
	}
	if got := clerk.SelectedCandidateType(); got != "host" {
		t.Errorf("clerk selected candidate type %q, want host", got)
	}
	adm := mustWait(ctx, t, cit, "admitted", isType(signaling.TypeAdmitted)).(*signaling.Admitted)
	if len(adm.ICEServers) != 1 || !strings.HasPrefix(adm.ICEServers[0].URLs[0], "turn:127.0.0.1:") ||
		!strings.HasSuffix(adm.ICEServers[0].Username, ":p-cit") {
		t.Errorf("ICE servers = %+v", adm.ICEServers)
	}
}

// TestICETCP: a client without UDP reaches the SFU over its ICE-TCP port.
func TestICETCP(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) { c.ICETCP = true })
	ctx := testCtx(t, 30*time.Second)
	_, cit := admittedPair(ctx, t, e, func(c *sfutest.ClientConfig) { c.TCPOnly = true })
	if got := cit.SelectedCandidateType(); got != "host" {
		t.Errorf("selected %q", got)
	}
}

// TestScreenShare: a second video track marked as screen arrives as a
// separate stream "<participant>~screen".
func TestScreenShare(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	clerk, _ := admittedPair(ctx, t, e, func(c *sfutest.ClientConfig) { c.Screen = true })
	waitFor(ctx, t, "screen stream at clerk", func() bool {
		s := clerk.RemoteStreams()
		return s["p-cit~screen"] == 1 && s["p-cit"] == 2
	})
}

func TestJoinRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 20*time.Second)
	now := time.Now()
	e.auth.Add("early", sfu.Grant{RoomID: "r", ParticipantID: "a", Role: signaling.RoleCitizen, NotBefore: now.Add(time.Hour), NotAfter: now.Add(2 * time.Hour)})
	e.auth.Add("late", sfu.Grant{RoomID: "r", ParticipantID: "b", Role: signaling.RoleCitizen, NotBefore: now.Add(-2 * time.Hour), NotAfter: now.Add(-time.Hour)})
	e.auth.Add("norole", sfu.Grant{RoomID: "r", ParticipantID: "c", Role: "admin", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	for _, tc := range []struct{ cred, code string }{
		{"unknown", signaling.CodeUnauthorized},
		{"early", signaling.CodeTooEarly},
		{"late", signaling.CodeExpired},
		{"norole", signaling.CodeUnauthorized},
	} {
		t.Run(tc.cred, func(t *testing.T) {
			c := e.dial(ctx, tc.cred, false)
			if err := c.WaitError(ctx, tc.code); err != nil {
				t.Fatalf("want error %s: %v", tc.code, err)
			}
			select {
			case <-c.Done():
			case <-ctx.Done():
				t.Fatal("connection not closed after refusal")
			}
			for _, m := range c.Messages() {
				if m.MessageType() == signaling.TypeJoined {
					t.Error("refused client got joined")
				}
			}
		})
	}
}

// TestRoomClosesAtEndOfAppointment: at NotAfter everyone is told and
// disconnected, and the Observer gets call_ended and room_closed.
func TestRoomClosesAtEndOfAppointment(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	now := time.Now()
	end := now.Add(2 * time.Second)
	for _, g := range []sfu.Grant{
		{RoomID: "r", ParticipantID: "p-clerk", Role: signaling.RoleClerk, NotBefore: now, NotAfter: end},
		{RoomID: "r", ParticipantID: "p-cit", Role: signaling.RoleCitizen, NotBefore: now, NotAfter: end},
	} {
		e.auth.Add(g.ParticipantID, g)
	}
	clerk := e.dial(ctx, "p-clerk", false)
	cit := e.dial(ctx, "p-cit", false)
	mustWait(ctx, t, clerk, "waiting", waitingHas("p-cit"))
	_ = clerk.Send(signaling.Admit{ParticipantID: "p-cit"})
	for name, c := range map[string]*sfutest.Client{"clerk": clerk, "citizen": cit} {
		t.Run(name, func(t *testing.T) {
			m := mustWait(ctx, t, c, "room_closed", isType(signaling.TypeRoomClosed)).(*signaling.RoomClosed)
			if m.Reason != signaling.ReasonAppointmentEnded {
				t.Errorf("reason %q", m.Reason)
			}
			<-c.Done()
		})
	}
	ev, err := e.rec.WaitFor(ctx, func(ev sfu.Event) bool { return ev.Type == sfu.EventCallEnded })
	if err != nil || ev.Duration <= 0 {
		t.Fatalf("call_ended = %+v, %v", ev, err)
	}
	if _, err := e.rec.WaitFor(ctx, func(ev sfu.Event) bool {
		return ev.Type == sfu.EventRoomClosed && ev.Reason == signaling.ReasonAppointmentEnded
	}); err != nil {
		t.Fatal(err)
	}
}

func TestClerkClosesRoom(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	clerk, cit := admittedPair(ctx, t, e, nil)
	_ = clerk.Send(signaling.CloseRoom{})
	m := mustWait(ctx, t, cit, "room_closed", isType(signaling.TypeRoomClosed)).(*signaling.RoomClosed)
	if m.Reason != signaling.ReasonClosedByClerk {
		t.Errorf("reason %q", m.Reason)
	}
	<-cit.Done()
	<-clerk.Done()
}

func TestShutdownTellsClients(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	c := e.dial(ctx, "cit", false)
	mustWait(ctx, t, c, "joined", isType(signaling.TypeJoined))
	done := make(chan error, 1)
	go func() { done <- e.s.Close(ctx) }()
	m := mustWait(ctx, t, c, "room_closed", isType(signaling.TypeRoomClosed)).(*signaling.RoomClosed)
	if m.Reason != signaling.ReasonShutdown {
		t.Errorf("reason %q", m.Reason)
	}
	if err := <-done; err != nil {
		t.Fatalf("Close: %v", err)
	}
	<-c.Done()
}

func TestChatAndMute(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	clerk, cit := admittedPair(ctx, t, e, nil)
	e.grant("guest", "r", "p-guest", signaling.RoleGuest)
	guest := e.dial(ctx, "guest", false)
	mustWait(ctx, t, clerk, "guest waiting", waitingHas("p-guest"))

	_ = cit.Send(signaling.Chat{Text: "Guten Tag"})
	for name, c := range map[string]*sfutest.Client{"clerk": clerk, "citizen": cit} {
		m := mustWait(ctx, t, c, name+" chat", isType(signaling.TypeChat)).(*signaling.Chat)
		if m.Text != "Guten Tag" || m.From != "p-cit" || m.SentAt.IsZero() {
			t.Errorf("%s got %+v", name, m)
		}
	}
	_ = cit.Send(signaling.Mute{Audio: true})
	m := mustWait(ctx, t, clerk, "mute", isType(signaling.TypeMute)).(*signaling.Mute)
	if m.ParticipantID != "p-cit" || !m.Audio || m.Video {
		t.Errorf("mute = %+v", m)
	}
	_ = cit.Send(signaling.Chat{Text: strings.Repeat("x", 5000)})
	if err := cit.WaitError(ctx, signaling.CodeMalformed); err != nil {
		t.Fatal(err)
	}
	for _, m := range guest.Messages() {
		if m.MessageType() == signaling.TypeChat || m.MessageType() == signaling.TypeMute {
			t.Errorf("waiting guest got %s", m.MessageType())
		}
	}
}

// TestH264Forwarded: a Safari-like publisher sending H.264 reaches the
// other side as H.264.
func TestH264Forwarded(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	clerk := e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	cit, err := sfutest.Dial(ctx, sfutest.ClientConfig{URL: e.url, Credential: "cit", Publish: true, H264: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cit.Close)
	mustWait(ctx, t, clerk, "citizen waiting", waitingHas("p-cit"))
	_ = clerk.Send(signaling.Admit{ParticipantID: "p-cit"})
	waitFor(ctx, t, "H.264 video at clerk", func() bool {
		return clerk.RemoteCodecs()["video/H264"] == 1 && clerk.Video.Packets.Load() > 30
	})
}

// TestICERestart: a client-initiated ICE restart is answered and media
// keeps flowing on the same signaling connection.
func TestICERestart(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	clerk, cit := admittedPair(ctx, t, e, nil)
	answers := func() int {
		n := 0
		for _, m := range cit.Messages() {
			if m.MessageType() == signaling.TypeAnswer {
				n++
			}
		}
		return n
	}
	before := answers()
	if err := cit.RestartICE(); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "answer to the restart offer", func() bool { return answers() > before })
	got := clerk.Video.Packets.Load()
	waitFor(ctx, t, "media after restart", func() bool { return clerk.Video.Packets.Load() > got+60 })
}
