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
	auth := turnAuth(secret)
	for _, tc := range []struct {
		name, user string
		ok         bool
	}{
		{"valid", user, true},
		{"expired", "1000:p1", false},
		{"no participant", "2000000000", false},
		{"not a number", "soon:p1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, key, ok := auth(&turn.RequestAttributes{Username: tc.user, Realm: "r"})
			if ok != tc.ok {
				t.Fatalf("ok = %v", ok)
			}
			if ok && string(key) != string(turn.GenerateAuthKey(tc.user, "r", turnPassword(secret, tc.user))) {
				t.Error("wrong key")
			}
		})
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
			srv := ts.iceServer("p1", time.Now())
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
