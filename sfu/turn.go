package sfu

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // TURN REST credentials are defined with HMAC-SHA1.
	"encoding/base64"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/pion/turn/v5"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// turnServer is the embedded TURN relay for clients that cannot reach the
// ICE port directly (UDP blocked, symmetric NAT).
type turnServer struct {
	cfg   TURNConfig
	srv   *turn.Server
	port  int
	creds *credBook
}

func startTURN(cfg TURNConfig, pl pionLogs) (*turnServer, error) {
	conn, err := net.ListenPacket("udp4", cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("listen TURN: %w", err)
	}
	bind := cfg.RelayBindIP
	if bind == "" {
		bind, _, _ = net.SplitHostPort(cfg.ListenAddr)
	}
	allowPrivate := cfg.AllowPrivatePeers
	creds := newCredBook(cfg.Secret, cfg.CredentialTTL, time.Now)
	srv, err := turn.NewServer(turn.ServerConfig{
		Realm:         cfg.Realm,
		LoggerFactory: pl,
		AuthHandler:   creds.auth,
		QuotaHandler:  creds.quota,
		EventHandler:  creds.events(),
		PacketConnConfigs: []turn.PacketConnConfig{{
			PacketConn: gatedConn{PacketConn: conn, blocked: creds.isBlocked},
			RelayAddressGenerator: &turn.RelayAddressGeneratorStatic{
				RelayAddress: net.ParseIP(cfg.PublicIP), Address: bind,
			},
			// Permissions decide where a relay may send (and receive from):
			// never into the server's own or private networks unless allowed.
			PermissionHandler: func(_ net.Addr, peer net.IP) bool {
				return allowPrivate || publicPeer(peer)
			},
		}},
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("start TURN: %w", err)
	}
	return &turnServer{cfg: cfg, srv: srv, port: conn.LocalAddr().(*net.UDPAddr).Port, creds: creds}, nil
}

func (t *turnServer) close() error { return t.srv.Close() }

// iceServerUntil returns REST-style credentials for one participant:
// username "expiry:participant", password base64(HMAC-SHA1(secret,
// username)). They expire after CredentialTTL but never after until (the
// end of the appointment), and revoke ends them sooner.
func (t *turnServer) iceServerUntil(participantID string, now, until time.Time) signaling.ICEServer {
	user, pass := t.creds.issue(participantID, now, until)
	hostPort := net.JoinHostPort(t.cfg.PublicIP, strconv.Itoa(t.port))
	return signaling.ICEServer{
		URLs:     []string{"turn:" + hostPort + "?transport=udp"},
		Username: user, Credential: pass,
	}
}

// revoke refuses the participants' TURN credentials from now on and cuts
// their relays: for a participant removed from its room, for everyone of
// a room that closed.
func (t *turnServer) revoke(participantIDs ...string) { t.creds.revoke(participantIDs...) }

// revokeTURN is revoke for the room code; nothing to do without TURN.
func (s *SFU) revokeTURN(participantIDs ...string) {
	if s.turn != nil && len(participantIDs) > 0 {
		s.turn.revoke(participantIDs...)
	}
}

func turnCredentials(secret, participantID string, expiry time.Time) (user, pass string) {
	user = strconv.FormatInt(expiry.Unix(), 10) + ":" + participantID
	return user, turnPassword(secret, user)
}

func turnPassword(secret, user string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(user))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// publicPeer reports whether ip is a globally routable unicast address.
func publicPeer(ip net.IP) bool {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	a = a.Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() {
		return false
	}
	for _, p := range nonPublicPrefixes() {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// nonPublicPrefixes lists special-purpose ranges that netip does not
// classify (RFC 6890 and friends).
func nonPublicPrefixes() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("64:ff9b::/96"), // NAT64 could reach private IPv4
		netip.MustParsePrefix("64:ff9b:1::/48"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("2002::/16"), // 6to4 embeds IPv4
	}
}
