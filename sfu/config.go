package sfu

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Config configures the SFU. Zero durations and sizes are invalid; start from
// DefaultConfig and override.
type Config struct {
	// UDPPort is the single UDP port that carries all ICE/DTLS/SRTP traffic
	// (ICE UDP mux). 0 picks a free port (tests only).
	UDPPort int
	// ICETCP enables ICE over TCP (passive candidates) for networks that block UDP.
	ICETCP bool
	// TCPPort is the single ICE-TCP port. 0 picks a free port (tests only).
	TCPPort int
	// ListenIPs restricts which local IPs are bound and announced. Empty means
	// every address of every (filtered) interface.
	ListenIPs []string
	// Interfaces restricts gathering to these interface names. Empty means all.
	Interfaces []string
	// LoopbackOnly binds, announces and talks to 127.0.0.1 only (tests,
	// local demos): remote candidates on other addresses are ignored.
	// Loopback candidates still need AllowedCandidateNetworks.
	LoopbackOnly bool
	// AllowedCandidateNetworks lists networks (CIDR, e.g. "10.0.0.0/8")
	// whose remote ICE candidates are accepted although they are not
	// public. By default only globally routable unicast addresses are,
	// the rule TURN applies to its peers: otherwise any participant could
	// have the server send connectivity checks into its own loopback and
	// private networks. Intranet deployments list their client networks;
	// tests on one machine list 127.0.0.0/8.
	AllowedCandidateNetworks []string
	// IPv6 also binds and announces IPv6 addresses.
	IPv6 bool
	// NAT1To1IPs announces public addresses instead of local ones (1:1 NAT,
	// cloud elastic IPs). Each entry is "public" (applies to every local IP)
	// or "public/local" (applies to that local IP only).
	NAT1To1IPs []string
	// SocketReceiveBuffer is the SO_RCVBUF asked for on the ICE sockets, in
	// bytes. The kernel may grant less (net.core.rmem_max); that is logged.
	SocketReceiveBuffer int
	// SocketSendBuffer is the SO_SNDBUF asked for on the ICE sockets, in bytes.
	SocketSendBuffer int
	// UDPReadInterval is how often the ICE UDP socket is read while media
	// flows (Linux): what arrived meanwhile is taken in one go, which costs
	// far less than waking for every datagram and adds at most the
	// interval to a packet's way through. 0 reads on every arrival (the
	// only way on other systems). See udpbatch.Conn.
	UDPReadInterval time.Duration

	// MessagesPerSecond is the sustained signaling rate per connection.
	MessagesPerSecond float64
	// MessageBurst is how many signaling messages may arrive at once (token bucket size).
	MessageBurst int
	// WriteTimeout bounds each websocket write.
	WriteTimeout time.Duration
	// ReadLimit is the largest signaling message accepted, in bytes.
	ReadLimit int64
	// PingInterval is how often the server pings; a client that does not
	// answer within two intervals is disconnected.
	PingInterval time.Duration
	// JoinTimeout is how long a new connection may take to send "join".
	JoinTimeout time.Duration
	// SendQueue is the per-connection outbound queue length; a client that
	// lets it fill up is disconnected.
	SendQueue int
	// ReconnectGrace is how long a dropped participant keeps its place before
	// "left" is reported and others see them go. Admission itself is
	// remembered until the room closes.
	ReconnectGrace time.Duration
	// KeyframeMinInterval throttles keyframe requests (PLI) per published track.
	KeyframeMinInterval time.Duration
	// MaxParticipants caps connected participants per room.
	MaxParticipants int
	// MaxChatLength caps a chat message, in bytes.
	MaxChatLength int

	// TURN configures the embedded TURN server.
	TURN TURNConfig
}

// TURNConfig configures the embedded TURN server (UDP).
type TURNConfig struct {
	// Enabled starts the TURN server and hands credentials to admitted participants.
	Enabled bool
	// ListenAddr is the UDP host:port the TURN server listens on. Port 0 picks
	// a free port (tests only).
	ListenAddr string
	// PublicIP is the address clients reach the TURN server at and the relay
	// address announced in allocations.
	PublicIP string
	// RelayBindIP is the local IP relay sockets are bound to; empty means
	// the host part of ListenAddr.
	RelayBindIP string
	// Realm is the TURN realm.
	Realm string
	// Secret is the shared HMAC secret for REST-style credentials.
	Secret string
	// CredentialTTL is how long handed-out TURN credentials stay valid.
	CredentialTTL time.Duration
	// AllowPrivatePeers permits relaying to loopback, private, link-local and
	// other non-public addresses. Off in production: it would turn the
	// server into a door into the internal network.
	AllowPrivatePeers bool
}

// MaxUDPReadInterval bounds Config.UDPReadInterval: it is added to a
// packet's way through the SFU, and a call's latency budget is small.
const MaxUDPReadInterval = 20 * time.Millisecond

// DefaultConfig returns production defaults.
func DefaultConfig() Config {
	return Config{
		UDPPort:             3479,
		ICETCP:              true,
		TCPPort:             3480,
		SocketReceiveBuffer: 8 << 20,
		SocketSendBuffer:    8 << 20,
		UDPReadInterval:     time.Millisecond,
		MessagesPerSecond:   20,
		MessageBurst:        60,
		WriteTimeout:        5 * time.Second,
		ReadLimit:           64 << 10,
		PingInterval:        15 * time.Second,
		JoinTimeout:         10 * time.Second,
		SendQueue:           256,
		ReconnectGrace:      30 * time.Second,
		KeyframeMinInterval: 300 * time.Millisecond,
		MaxParticipants:     6,
		MaxChatLength:       2000,
		TURN: TURNConfig{
			ListenAddr:    "0.0.0.0:3478",
			Realm:         "sprechstunde",
			CredentialTTL: 6 * time.Hour,
		},
	}
}

// Validate reports every problem found, wrapped in ErrInvalidConfig.
func (c Config) Validate() error {
	var probs []string
	bad := func(format string, a ...any) { probs = append(probs, fmt.Sprintf(format, a...)) }
	if c.UDPPort < 0 || c.UDPPort > 65535 {
		bad("UDPPort %d out of range", c.UDPPort)
	}
	if c.ICETCP && (c.TCPPort < 0 || c.TCPPort > 65535) {
		bad("TCPPort %d out of range", c.TCPPort)
	}
	for _, s := range invalid(c.ListenIPs, isIP) {
		bad("ListenIPs: %q is not an IP", s)
	}
	for _, s := range invalid(c.AllowedCandidateNetworks, isNetwork) {
		bad("AllowedCandidateNetworks: %q is not a network in CIDR notation", s)
	}
	for _, s := range invalid(c.NAT1To1IPs, isNAT1To1) {
		bad("NAT1To1IPs: %q is not \"public\" or \"public/local\"", s)
	}
	if c.SocketReceiveBuffer < 0 || c.SocketSendBuffer < 0 {
		bad("socket buffer sizes must not be negative")
	}
	if !validReadInterval(c.UDPReadInterval) {
		bad("UDPReadInterval %s must be between 0 and %s", c.UDPReadInterval, MaxUDPReadInterval)
	}
	if c.MessagesPerSecond <= 0 || c.MessageBurst < 1 {
		bad("MessagesPerSecond and MessageBurst must be positive")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"WriteTimeout", c.WriteTimeout}, {"PingInterval", c.PingInterval},
		{"JoinTimeout", c.JoinTimeout}, {"ReconnectGrace", c.ReconnectGrace},
		{"KeyframeMinInterval", c.KeyframeMinInterval},
	} {
		if d.v <= 0 {
			bad("%s must be positive", d.name)
		}
	}
	if c.ReadLimit < 1024 {
		bad("ReadLimit must be at least 1024 (SDP needs room)")
	}
	if c.SendQueue < 1 || c.MaxParticipants < 2 || c.MaxChatLength < 1 {
		bad("SendQueue, MaxParticipants (>=2) and MaxChatLength must be positive")
	}
	if t := c.TURN; t.Enabled {
		if _, _, err := net.SplitHostPort(t.ListenAddr); err != nil {
			bad("TURN.ListenAddr: %v", err)
		}
		if net.ParseIP(t.PublicIP) == nil {
			bad("TURN.PublicIP %q is not an IP", t.PublicIP)
		}
		if t.RelayBindIP != "" && net.ParseIP(t.RelayBindIP) == nil {
			bad("TURN.RelayBindIP %q is not an IP", t.RelayBindIP)
		}
		if len(t.Secret) < 16 {
			bad("TURN.Secret must be at least 16 bytes")
		}
		if t.Realm == "" || t.CredentialTTL <= 0 {
			bad("TURN.Realm and TURN.CredentialTTL must be set")
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, strings.Join(probs, "; "))
	}
	return nil
}

// invalid returns the entries of list that ok refuses.
func invalid(list []string, ok func(string) bool) []string {
	var out []string
	for _, s := range list {
		if !ok(s) {
			out = append(out, s)
		}
	}
	return out
}

func isIP(s string) bool { return net.ParseIP(s) != nil }

func isNetwork(s string) bool {
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// isNAT1To1 accepts "public" and "public/local", see Config.NAT1To1IPs.
func isNAT1To1(s string) bool {
	pub, local, _ := strings.Cut(s, "/")
	return isIP(pub) && (local == "" || isIP(local))
}

func validReadInterval(d time.Duration) bool { return d >= 0 && d <= MaxUDPReadInterval }
