package sfu_test

import (
	"context"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v5"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// allocate tries a TURN allocation with the given credentials, as a
// browser does with what it got in admitted.
func allocate(t *testing.T, port int, ice signaling.ICEServer) error {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	lf := logging.NewDefaultLoggerFactory()
	lf.Writer = io.Discard
	c, err := turn.NewClient(&turn.ClientConfig{TURNServerAddr: addr, STUNServerAddr: addr,
		Username: ice.Username, Password: ice.Credential, Realm: sfutest.LoopbackConfig().TURN.Realm,
		Conn: conn, LoggerFactory: lf, RTO: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Listen(); err != nil {
		t.Fatal(err)
	}
	relay, err := c.Allocate()
	if err == nil {
		_ = relay.Close()
	}
	return err
}

func turnOf(ctx context.Context, t *testing.T, c *sfutest.Client) signaling.ICEServer {
	t.Helper()
	adm := mustWait(ctx, t, c, "admitted", isType(signaling.TypeAdmitted)).(*signaling.Admitted)
	if len(adm.ICEServers) != 1 {
		t.Fatalf("ICE servers = %+v", adm.ICEServers)
	}
	return adm.ICEServers[0]
}

// TestTURNCredentialsEndWithAdmission: the TURN server refuses the
// credentials of a participant the clerk removed, and everyone's once the
// room is closed, although they would not have expired for hours; the
// credentials of those still admitted keep working until then. The
// credentials also expire with the appointment, not after the TTL.
func TestTURNCredentialsEndWithAdmission(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) {
		c.TURN.Enabled = true
		c.TURN.CredentialTTL = 6 * time.Hour
	})
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	e.grant("guest", "r", "p-guest", signaling.RoleGuest)
	clerk := e.dial(ctx, "clerk", false)
	clerkTURN := turnOf(ctx, t, clerk)
	var turns []signaling.ICEServer
	for _, who := range []string{"cit", "guest"} {
		c := e.dial(ctx, who, false)
		mustWait(ctx, t, clerk, who+" waiting", waitingHas("p-"+who))
		if err := clerk.Send(signaling.Admit{ParticipantID: "p-" + who}); err != nil {
			t.Fatal(err)
		}
		turns = append(turns, turnOf(ctx, t, c))
	}
	citTURN, guestTURN := turns[0], turns[1]
	exp, _, _ := cutUser(clerkTURN.Username)
	if want := time.Now().Add(time.Hour); exp.After(want.Add(time.Second)) {
		t.Errorf("credential expires %s, after the appointment's end %s", exp, want)
	}
	port := e.s.TURNPort()
	for name, ice := range map[string]signaling.ICEServer{"clerk": clerkTURN, "citizen": citTURN, "guest": guestTURN} {
		if err := allocate(t, port, ice); err != nil {
			t.Fatalf("%s's allocation while admitted: %v", name, err)
		}
	}

	if err := clerk.Send(signaling.Remove{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, clerk, "roster without the citizen", func(m signaling.Message) bool {
		p, ok := m.(*signaling.Participants)
		return ok && len(p.Participants) == 2 && p.Participants[1].ParticipantID == "p-guest"
	})
	if err := allocate(t, port, citTURN); err == nil {
		t.Error("removed participant's credentials still allocate")
	}
	if err := allocate(t, port, guestTURN); err != nil {
		t.Errorf("admitted guest's credentials refused after another's removal: %v", err)
	}

	if err := clerk.Send(signaling.CloseRoom{}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, clerk, "room_closed", isType(signaling.TypeRoomClosed))
	for name, ice := range map[string]signaling.ICEServer{"clerk": clerkTURN, "guest": guestTURN} {
		if err := allocate(t, port, ice); err == nil {
			t.Errorf("%s's credentials still allocate after the room closed", name)
		}
	}
}

// cutUser splits a TURN username "expiry:participant".
func cutUser(user string) (time.Time, string, bool) {
	for i := range len(user) {
		if user[i] == ':' {
			sec, err := strconv.ParseInt(user[:i], 10, 64)
			return time.Unix(sec, 0), user[i+1:], err == nil
		}
	}
	return time.Time{}, "", false
}
