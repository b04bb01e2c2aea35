package sfu_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// env is one SFU behind a loopback websocket server.
type env struct {
	t    *testing.T
	s    *sfu.SFU
	srv  *httptest.Server
	auth *sfutest.Authorizer
	rec  *sfutest.Recorder
	url  string
}

func testLogger() *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("SFU_TEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

func newEnv(t *testing.T, mod func(*sfu.Config)) *env {
	t.Helper()
	cfg := sfutest.LoopbackConfig()
	if mod != nil {
		mod(&cfg)
	}
	e := &env{t: t, auth: sfutest.NewAuthorizer(), rec: sfutest.NewRecorder()}
	s, err := sfu.New(cfg, e.auth, e.rec, testLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.s = s
	e.srv = sfutest.NewServer(s, nil)
	e.url = sfutest.WebsocketURL(e.srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		e.srv.Close()
	})
	return e
}

// grant registers a credential valid from a minute ago for an hour.
func (e *env) grant(cred, room, pid string, role signaling.Role) {
	now := time.Now()
	e.auth.Add(cred, sfu.Grant{RoomID: room, ParticipantID: pid, Role: role,
		DisplayName: "Name of " + pid, NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour)})
}

func (e *env) dial(ctx context.Context, cred string, publish bool) *sfutest.Client {
	e.t.Helper()
	c, err := sfutest.Dial(ctx, sfutest.ClientConfig{URL: e.url, Credential: cred, Publish: publish})
	if err != nil {
		e.t.Fatalf("dial %s: %v", cred, err)
	}
	e.t.Cleanup(c.Close)
	return c
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitFor polls cond; media counters have no event to wait on.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

func isType(typ string) func(signaling.Message) bool {
	return func(m signaling.Message) bool { return m.MessageType() == typ }
}

func waitingHas(pid string) func(signaling.Message) bool {
	return func(m signaling.Message) bool {
		w, ok := m.(*signaling.WaitingList)
		if !ok {
			return false
		}
		for _, e := range w.Waiting {
			if e.ParticipantID == pid {
				return true
			}
		}
		return false
	}
}

func mustWait(ctx context.Context, t *testing.T, c *sfutest.Client, what string, pred func(signaling.Message) bool) signaling.Message {
	t.Helper()
	m, err := c.WaitFor(ctx, pred)
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return m
}

// TestMediaBothWays: clerk and admitted citizen receive each other's audio
// and video, including keyframes (PLI on subscribe), with the media socket
// read on a clock (the default) and on every arrival.
func TestMediaBothWays(t *testing.T) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
	}{
		{"read on a clock", sfu.DefaultConfig().UDPReadInterval},
		{"read on arrival", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testMediaBothWays(t, func(c *sfu.Config) { c.UDPReadInterval = tc.interval })
		})
	}
}

func testMediaBothWays(t *testing.T, mod func(*sfu.Config)) {
	e := newEnv(t, mod)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r1", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r1", "p-cit", signaling.RoleCitizen)

	clerk := e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	cit := e.dial(ctx, "cit", true)
	mustWait(ctx, t, clerk, "citizen in waiting list", waitingHas("p-cit"))
	if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, cit, "citizen admitted", isType(signaling.TypeAdmitted))

	for _, c := range []struct {
		name string
		cl   *sfutest.Client
	}{{"clerk", clerk}, {"citizen", cit}} {
		t.Run(c.name, func(t *testing.T) {
			waitFor(ctx, t, c.name+" receives video, audio and keyframes", func() bool {
				return c.cl.Video.Packets.Load() > 50 && c.cl.Audio.Packets.Load() > 25 && c.cl.Video.Keyframes.Load() > 0
			})
		})
	}
	if _, err := e.rec.WaitFor(ctx, func(ev sfu.Event) bool { return ev.Type == sfu.EventCallStarted }); err != nil {
		t.Fatalf("no call_started event: %v", err)
	}
}
