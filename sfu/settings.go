package sfu

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Settings is the media server's section of an operator's config file:
// its keys, defaults and checks live here beside Config, which Config
// derives from them, so the two cannot drift. Ports may be 0 (any free
// port, for tests). Whether ports collide with other listeners is the
// embedding config's question.
type Settings struct {
	UDPPort     int      `yaml:"udp_port"`
	TCPPort     int      `yaml:"tcp_port"`
	TurnPort    int      `yaml:"turn_port"` // UDP and TCP
	TurnEnabled bool     `yaml:"turn_enabled"`
	TurnSecret  string   `yaml:"turn_secret"` // shared secret for time-limited TURN credentials; empty: the caller picks one
	PublicIPs   []string `yaml:"public_ips"`  // Config.NAT1To1IPs: "public" or "public/local"
	ICETCP      bool     `yaml:"ice_tcp"`     // also offer ICE over TCP on tcp_port
	ListenIPs   []string `yaml:"listen_ips"`  // local addresses to bind and announce; empty = all
	// LoopbackOnly keeps all media on 127.0.0.1 (tests, a demo on one machine).
	LoopbackOnly bool `yaml:"loopback_only"`
	// TurnAllowPrivatePeers lets TURN relay to private and loopback
	// addresses; never in production (it opens the internal network).
	TurnAllowPrivatePeers bool `yaml:"turn_allow_private_peers"`
	// UDPReadInterval is Config.UDPReadInterval.
	UDPReadInterval time.Duration `yaml:"udp_read_interval"`
	// ICEAllowedPrivateNetworks is Config.AllowedCandidateNetworks.
	ICEAllowedPrivateNetworks []string `yaml:"ice_allowed_private_networks"`
}

// DefaultSettings returns the defaults of a config file's sfu section.
func DefaultSettings() Settings {
	return Settings{
		UDPPort:                   50000,
		TCPPort:                   50000,
		TurnPort:                  3478,
		TurnEnabled:               true,
		PublicIPs:                 []string{},
		ICETCP:                    true,
		ListenIPs:                 []string{},
		UDPReadInterval:           DefaultConfig().UDPReadInterval,
		ICEAllowedPrivateNetworks: []string{},
	}
}

// SettingError names the key of a bad setting so the embedding config can
// point the operator at it.
type SettingError struct {
	Key     string // yaml key within the section, e.g. "udp_port"
	Problem string
}

func (e *SettingError) Error() string { return e.Key + ": " + e.Problem }

// Validate reports every bad setting, each a *SettingError, joined.
func (s Settings) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &SettingError{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	for _, p := range []struct {
		key  string
		port int
	}{{"udp_port", s.UDPPort}, {"tcp_port", s.TCPPort}, {"turn_port", s.TurnPort}} {
		if p.port < 0 || p.port > 65535 {
			bad(p.key, "want a port between 1 and 65535 (0: any free port, for tests), got %d", p.port)
		}
	}
	if !validReadInterval(s.UDPReadInterval) {
		bad("udp_read_interval", "want a duration from 0 (read on every arrival) to %s, got %s",
			MaxUDPReadInterval, s.UDPReadInterval)
	}
	for _, ip := range invalid(s.PublicIPs, isNAT1To1) {
		bad("public_ips", "want an IP address, or public/local for one local address, got %q", ip)
	}
	for _, n := range invalid(s.ICEAllowedPrivateNetworks, isNetwork) {
		bad("ice_allowed_private_networks", "want a network in CIDR notation such as 10.0.0.0/8, got %q", n)
	}
	for _, ip := range invalid(s.ListenIPs, isIP) {
		bad("listen_ips", "invalid IP address %q", ip)
	}
	return errors.Join(errs...)
}

// Config returns the runtime configuration the settings describe, on
// DefaultConfig. With TURN enabled, TURN.PublicIP and an empty
// TURN.Secret are left to the caller: they depend on the host.
func (s Settings) Config() Config {
	cfg := DefaultConfig()
	cfg.UDPPort, cfg.TCPPort, cfg.ICETCP = s.UDPPort, s.TCPPort, s.ICETCP
	cfg.ListenIPs = s.ListenIPs
	cfg.LoopbackOnly = s.LoopbackOnly
	cfg.NAT1To1IPs = s.PublicIPs
	cfg.UDPReadInterval = s.UDPReadInterval
	cfg.AllowedCandidateNetworks = s.ICEAllowedPrivateNetworks
	if !s.TurnEnabled {
		return cfg
	}
	bind := "0.0.0.0"
	if s.LoopbackOnly {
		bind = "127.0.0.1"
	}
	cfg.TURN.Enabled = true
	cfg.TURN.ListenAddr = net.JoinHostPort(bind, strconv.Itoa(s.TurnPort))
	cfg.TURN.Secret = s.TurnSecret
	cfg.TURN.AllowPrivatePeers = s.TurnAllowPrivatePeers
	return cfg
}

// PublicIP returns the first announced public address, without a
// "/local" part: where TURN clients reach this host. Empty if none is set.
func (s Settings) PublicIP() string {
	if len(s.PublicIPs) == 0 {
		return ""
	}
	pub, _, _ := strings.Cut(s.PublicIPs[0], "/")
	return pub
}
