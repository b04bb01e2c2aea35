package sfu

import (
	"io"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/pion/turn/v5"
)

func TestPublicPeer(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"100.64.0.1", false},
		{"0.0.0.0", false},
		{"224.0.0.1", false},
		{"255.255.255.255", false},
		{"fd00::1", false},
		{"fe80::1", false},
		{"::ffff:10.0.0.1", false},
		{"64:ff9b::a00:1", false},
		{"198.18.0.1", false},
		{"8.8.8.8", true},
		{"193.99.144.80", true},
		{"2a00:1450:4001:80b::200e", true},
	} {
		t.Run(tc.ip, func(t *testing.T) {
			if got := publicPeer(net.ParseIP(tc.ip)); got != tc.want {
				t.Errorf("publicPeer(%s) = %v, want %v", tc.ip, got, tc.want)
			}
		})
	}
}

func TestTURNCredentials(t *testing.T) {
	secret := "0123456789abcdef"
	user, pass := turnCredentials(secret, "p1", time.Unix(2000000000, 0))
	if user != "2000000000:p1" {
		t.Errorf("user = %q", user)
	}
	// Same derivation as pion's REST helper, so coturn-style clients agree.
	if want := turnPassword(secret, user); pass != want || len(pass) != 28 {
		t.Errorf("pass = %q", pass)
	}
}

// TestTURNCredentialLifetime: a credential is accepted while on record and
// before its expiry, which is CredentialTTL after issue or the given end
// (the appointment's), whichever comes first; revoking strikes it.
func TestTURNCredentialLifetime(t *testing.T) {
	t0 := time.Unix(1800000000, 0)
	clock := t0
	book := newCredBook("0123456789abcdef", time.Hour, func() time.Time { return clock })
	ok := func(user string) bool {
		_, key, ok := book.auth(&turn.RequestAttributes{Username: user, Realm: "r"})
		if ok && string(key) != string(turn.GenerateAuthKey(user, "r", turnPassword("0123456789abcdef", user))) {
			t.Fatal("wrong key")
		}
		return ok
	}
	ttlBound, _ := book.issue("p1", t0, t0.Add(3*time.Hour))
	endBound, _ := book.issue("p2", t0, t0.Add(10*time.Minute))
	forged, _ := turnCredentials("0123456789abcdef", "p3", t0.Add(time.Hour)) // never issued
	for _, tc := range []struct {
		name string
		user string
		at   time.Duration
		want bool
	}{
		{"ttl bound, valid", ttlBound, 59 * time.Minute, true},
		{"ttl bound, expired", ttlBound, time.Hour, false},
		{"end bound, valid", endBound, 9 * time.Minute, true},
		{"end bound, expired at the end", endBound, 10 * time.Minute, false},
		{"not issued", forged, 0, false},
		{"no participant", "1800003600", 0, false},
		{"not a number", "soon:p1", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock = t0.Add(tc.at)
			if got := ok(tc.user); got != tc.want {
				t.Errorf("accepted = %v, want %v", got, tc.want)
			}
		})
	}
	clock = t0
	book.revoke("p1")
	if ok(ttlBound) {
		t.Error("revoked credential accepted")
	}
	if !ok(endBound) {
		t.Error("another participant's credential refused")
	}
	again, _ := book.issue("p1", t0.Add(time.Second), t0.Add(3*time.Hour))
	if !ok(again) {
		t.Error("credential issued after re-admission refused")
	}
}

// TestTURNCredentialsBounded: a participant asking for credentials again
// and again leaves at most maxLiveCredentials on record, and expired ones
// are swept.
func TestTURNCredentialsBounded(t *testing.T) {
	t0 := time.Unix(1800000000, 0)
	book := newCredBook("0123456789abcdef", time.Hour, func() time.Time { return t0 })
	for i := range 1000 {
		book.issue("p1", t0.Add(time.Duration(i)*time.Second), t0.Add(24*time.Hour))
	}
	if n := len(book.live["p1"]); n != maxLiveCredentials {
		t.Errorf("%d credentials on record, want %d", n, maxLiveCredentials)
	}
	book.issue("p2", t0.Add(3*time.Hour), t0.Add(24*time.Hour)) // all of p1's expired
	if _, ok := book.live["p1"]; ok {
		t.Error("expired credentials not swept")
	}
}

// TestTURNRefusesPrivatePeers runs the real TURN server and a real TURN
// client on loopback: by default a permission towards 127.0.0.1 (or any
// private address) is refused; with AllowPrivatePeers it is granted.
func TestTURNRefusesPrivatePeers(t *testing.T) {
	pl := pionLogs{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, tc := range []struct {
		name  string
		allow bool
		cred  func(ts *turnServer) (string, string)
		alloc bool
	}{
		{"default refuses loopback peer", false, nil, true},
		{"allowed by config", true, nil, true},
		{"expired credential", true, func(ts *turnServer) (string, string) {
			return turnCredentials(ts.cfg.Secret, "p1", time.Now().Add(-time.Minute))
		}, false},
		{"wrong password", true, func(*turnServer) (string, string) {
			return turnCredentials("another-secret-123", "p1", time.Now().Add(time.Hour))
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := startTURN(TURNConfig{Enabled: true, ListenAddr: "127.0.0.1:0", PublicIP: "127.0.0.1",
				Realm: "test", Secret: "0123456789abcdef", CredentialTTL: time.Hour, AllowPrivatePeers: tc.allow}, pl)
			if err != nil {
				t.Fatal(err)
			}
			defer ts.close()
			srv := ts.iceServerUntil("p1", time.Now(), time.Now().Add(time.Hour))
			user, pass := srv.Username, srv.Credential
			if tc.cred != nil {
				user, pass = tc.cred(ts)
			}
			conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ts.port))
			c, err := turn.NewClient(&turn.ClientConfig{TURNServerAddr: addr, STUNServerAddr: addr,
				Username: user, Password: pass, Realm: "test", Conn: conn, LoggerFactory: pl, RTO: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Listen(); err != nil {
				t.Fatal(err)
			}
			relay, err := c.Allocate()
			if (err == nil) != tc.alloc {
				t.Fatalf("allocate err = %v, want success %v", err, tc.alloc)
			}
			if err != nil {
				return
			}
			defer relay.Close()
			peer := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}
			err = c.CreatePermission(peer)
			if tc.allow && err != nil {
				t.Errorf("permission refused although allowed: %v", err)
			}
			if !tc.allow && err == nil {
				t.Error("permission to loopback granted by default")
			}
		})
	}
}

// TestTURNRevokeCutsRelay: revoking a participant blocks the client
// address of its live allocation, and the TURN socket then reads nothing
// from that address and sends nothing to it.
func TestTURNRevokeCutsRelay(t *testing.T) {
	pl := pionLogs{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ts, err := startTURN(TURNConfig{Enabled: true, ListenAddr: "127.0.0.1:0", PublicIP: "127.0.0.1",
		Realm: "test", Secret: "0123456789abcdef", CredentialTTL: time.Hour, AllowPrivatePeers: true}, pl)
	if err != nil {
		t.Fatal(err)
	}
	defer ts.close()
	srv := ts.iceServerUntil("p1", time.Now(), time.Now().Add(time.Hour))
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ts.port))
	c, err := turn.NewClient(&turn.ClientConfig{TURNServerAddr: addr, STUNServerAddr: addr,
		Username: srv.Username, Password: srv.Credential, Realm: "test", Conn: conn, LoggerFactory: pl, RTO: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Listen(); err != nil {
		t.Fatal(err)
	}
	relay, err := c.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	if ts.creds.isBlocked(conn.LocalAddr()) {
		t.Fatal("blocked before revocation")
	}
	ts.revoke("p1")
	if !ts.creds.isBlocked(conn.LocalAddr()) {
		t.Fatal("the revoked participant's relay is not cut")
	}
	other, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	sock, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := gatedConn{PacketConn: sock, blocked: ts.creds.isBlocked}
	defer g.Close()
	if n, err := g.WriteTo([]byte("x"), conn.LocalAddr()); n != 1 || err != nil {
		t.Fatalf("write to a cut address = %d, %v; want it swallowed", n, err)
	}
	// Sent in this order on loopback: the cut client's datagram is skipped.
	if _, err := conn.WriteTo([]byte("revoked"), sock.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if _, err := other.WriteTo([]byte("other"), sock.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	_ = g.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := g.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "other" || from.String() != other.LocalAddr().String() {
		t.Fatalf("read %q from %v (%v), want only the other client's datagram", buf[:n], from, err)
	}
}
