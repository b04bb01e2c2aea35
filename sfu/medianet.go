package sfu

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu/udpbatch"
)

// mediaNet owns the ICE sockets: one UDP socket per local IP, all on the
// same port, and one ICE-TCP listener.
type mediaNet struct {
	refused atomic.Uint64 // remote candidates dropped by the address rule
	ips     []net.IP
	udp     []*udpbatch.Conn
	udpMux  *ice.MultiUDPMuxDefault
	tcpLn   net.Listener
	tcpMux  *ice.TCPMuxDefault
	udpPort int
	tcpPort int
}

// localIPs decides which addresses ICE binds and announces.
func localIPs(cfg Config) ([]net.IP, error) {
	if cfg.LoopbackOnly {
		ips := []net.IP{net.IPv4(127, 0, 0, 1)}
		if cfg.IPv6 {
			ips = append(ips, net.IPv6loopback)
		}
		return ips, nil
	}
	if len(cfg.ListenIPs) > 0 {
		ips := make([]net.IP, 0, len(cfg.ListenIPs))
		for _, s := range cfg.ListenIPs {
			ips = append(ips, net.ParseIP(s))
		}
		return ips, nil
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	var ips []net.IP
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		if len(cfg.Interfaces) > 0 && !slices.Contains(cfg.Interfaces, ifc.Name) {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.IsLinkLocalUnicast() || ipn.IP.IsLoopback() {
				continue
			}
			if ipn.IP.To4() == nil && !cfg.IPv6 {
				continue
			}
			ips = append(ips, ipn.IP)
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%w: no usable local IP address", ErrInvalidConfig)
	}
	return ips, nil
}

func newMediaNet(cfg Config, log *slog.Logger, pl pionLogs) (_ *mediaNet, err error) {
	ips, err := localIPs(cfg)
	if err != nil {
		return nil, err
	}
	m := &mediaNet{ips: ips, udpPort: cfg.UDPPort}
	defer func() {
		if err != nil {
			m.close()
		}
	}()
	muxes := make([]ice.UDPMux, 0, len(ips))
	for _, ip := range ips {
		// With port 0 the first socket picks the port and the others follow,
		// so the SFU still has exactly one UDP port to open in firewalls.
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: m.udpPort})
		if err != nil {
			return nil, fmt.Errorf("listen ICE UDP: %w", err)
		}
		m.udpPort = c.LocalAddr().(*net.UDPAddr).Port
		gotR, gotS, err := udpbatch.SetBuffers(c, cfg.SocketReceiveBuffer, cfg.SocketSendBuffer)
		switch {
		case err != nil:
			log.Warn("could not set ICE socket buffers", "err", err)
		case gotR < cfg.SocketReceiveBuffer || gotS < cfg.SocketSendBuffer:
			log.Warn("kernel granted smaller ICE socket buffers; raise net.core.rmem_max/wmem_max",
				"rcvbuf_wanted", cfg.SocketReceiveBuffer, "rcvbuf_got", gotR,
				"sndbuf_wanted", cfg.SocketSendBuffer, "sndbuf_got", gotS)
		default:
			log.Debug("ICE socket buffers", "rcvbuf", gotR, "sndbuf", gotS)
		}
		bc, err := udpbatch.New(c, cfg.UDPReadInterval, log)
		if err != nil {
			_ = c.Close()
			return nil, fmt.Errorf("ICE UDP socket: %w", err)
		}
		m.udp = append(m.udp, bc)
		muxes = append(muxes, ice.NewUDPMuxDefault(ice.UDPMuxParams{
			Logger: pl.NewLogger("udpmux"), UDPConn: bc,
		}))
	}
	m.udpMux = ice.NewMultiUDPMuxDefault(muxes...)

	if cfg.ICETCP {
		addr := &net.TCPAddr{Port: cfg.TCPPort}
		if len(ips) == 1 {
			addr.IP = ips[0]
		}
		ln, err := net.ListenTCP("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("listen ICE TCP: %w", err)
		}
		m.tcpLn = ln
		m.tcpPort = ln.Addr().(*net.TCPAddr).Port
		m.tcpMux = ice.NewTCPMuxDefault(ice.TCPMuxParams{
			Listener: ln, Logger: pl.NewLogger("tcpmux"),
			ReadBufferSize: 64, WriteBufferSize: 4 << 20,
		})
	}
	return m, nil
}

// settingEngine builds the ICE settings that every PeerConnection shares.
func (m *mediaNet) settingEngine(cfg Config, pl pionLogs) (webrtc.SettingEngine, error) {
	var se webrtc.SettingEngine
	se.LoggerFactory = pl
	se.SetICEUDPMux(m.udpMux)
	nets := []webrtc.NetworkType{webrtc.NetworkTypeUDP4}
	if cfg.IPv6 {
		nets = append(nets, webrtc.NetworkTypeUDP6)
	}
	if m.tcpMux != nil {
		se.SetICETCPMux(m.tcpMux)
		nets = append(nets, webrtc.NetworkTypeTCP4)
		if cfg.IPv6 {
			nets = append(nets, webrtc.NetworkTypeTCP6)
		}
	}
	se.SetNetworkTypes(nets)
	ips := m.ips
	se.SetIPFilter(func(ip net.IP) bool {
		return slices.ContainsFunc(ips, ip.Equal)
	})
	if cfg.LoopbackOnly {
		se.SetIncludeLoopbackCandidate(true)
	}
	allow, err := m.remoteFilter(cfg)
	if err != nil {
		return se, err
	}
	// Applied to every remote candidate before the agent checks it, the
	// trickled ones and the peer-reflexive ones a connectivity check
	// reveals: a refused address gets no STUN and no answer.
	se.SetRemoteIPFilter(allow)
	// A server has no use for mDNS, and resolving clients' .local names would
	// send multicast queries into the server's network.
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// The SFU never initiates TCP connections towards clients.
	se.DisableActiveTCP(true)
	// Receive buffers are per PeerConnection (streamBuffers, see SFU.apiFor).
	se.SetSRTPProtectionProfiles(srtpProfiles()...)
	if len(cfg.NAT1To1IPs) > 0 {
		rules := make([]webrtc.ICEAddressRewriteRule, 0, len(cfg.NAT1To1IPs))
		for _, s := range cfg.NAT1To1IPs {
			pub, local, _ := strings.Cut(s, "/")
			rules = append(rules, webrtc.ICEAddressRewriteRule{
				External: []string{pub}, Local: local,
				AsCandidateType: webrtc.ICECandidateTypeHost,
				Mode:            webrtc.ICEAddressRewriteReplace,
			})
		}
		if err := se.SetICEAddressRewriteRules(rules...); err != nil {
			return se, fmt.Errorf("%w: NAT1To1IPs: %w", ErrInvalidConfig, err)
		}
	}
	return se, nil
}

// remoteFilter decides which remote ICE candidates the agent may talk to:
// public addresses (publicPeer, the rule TURN applies to its peers), those
// in AllowedCandidateNetworks and the embedded TURN server's relay
// address; with LoopbackOnly only loopback ones.
func (m *mediaNet) remoteFilter(cfg Config) (func(net.IP) bool, error) {
	nets := make([]netip.Prefix, 0, len(cfg.AllowedCandidateNetworks))
	for _, s := range cfg.AllowedCandidateNetworks {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%w: AllowedCandidateNetworks: %w", ErrInvalidConfig, err)
		}
		nets = append(nets, p.Masked())
	}
	// The embedded TURN server's relay address is ours, whatever network
	// it is in: a relayed client's candidates are there.
	if relay, err := netip.ParseAddr(cfg.TURN.PublicIP); cfg.TURN.Enabled && err == nil {
		nets = append(nets, netip.PrefixFrom(relay.Unmap(), relay.Unmap().BitLen()))
	}
	loopbackOnly := cfg.LoopbackOnly
	return func(ip net.IP) bool {
		a, ok := netip.AddrFromSlice(ip)
		a = a.Unmap()
		keep := ok && (!loopbackOnly || a.IsLoopback()) &&
			(publicPeer(ip) || slices.ContainsFunc(nets, func(p netip.Prefix) bool { return p.Contains(a) }))
		if !keep {
			m.refused.Add(1)
		}
		return keep
	}, nil
}

// Per-stream receive buffers. Pion's default (1 MB) holds seconds of video;
// when the SFU falls behind, late packets are worth less than dropped ones
// (NACK and PLI repair losses), so queues are kept short. A video
// keyframe burst (~40 KB at 1.5 Mbit/s) still fits several times.
const (
	rtpBufferLimit  = 128 << 10
	rtcpBufferLimit = 32 << 10
)

// srtpProfiles puts AES-128-GCM first: every packet is encrypted once per
// subscriber, and GCM (AES-NI and carry-less multiply) costs less than
// AES-CM plus HMAC-SHA1, and 128-bit keys need four AES rounds fewer than
// Pion's default AES-256-GCM. Chromium negotiates it (browser test); the
// other two keep clients without AES-128-GCM working.
func srtpProfiles() []dtls.SRTPProtectionProfile {
	return []dtls.SRTPProtectionProfile{
		dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AEAD_AES_256_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80,
	}
}

func (m *mediaNet) close() error {
	var errs []error
	if m.udpMux != nil {
		errs = append(errs, m.udpMux.Close())
	} else {
		for _, c := range m.udp {
			errs = append(errs, c.Close())
		}
	}
	if m.tcpMux != nil {
		errs = append(errs, m.tcpMux.Close())
	} else if m.tcpLn != nil {
		errs = append(errs, m.tcpLn.Close())
	}
	return errors.Join(errs...)
}
