package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// sfuConfig adds to the section's own mapping what depends on this host
// and process: loopback candidates in loopback mode, the address TURN
// announces and, when none is configured, a fresh TURN secret.
func sfuConfig(c sfu.Settings, log *slog.Logger) (sfu.Config, error) {
	cfg := c.Config()
	cfg.AllowedCandidateNetworks = candidateNetworks(c)
	if !cfg.TURN.Enabled {
		return cfg, cfg.Validate()
	}
	cfg.TURN.PublicIP = turnPublicIP(c)
	if cfg.TURN.PublicIP == "" {
		log.Warn("TURN disabled: no address to announce; set sfu.public_ips")
		cfg.TURN.Enabled = false
		return cfg, cfg.Validate()
	}
	if cfg.TURN.Secret == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return cfg, fmt.Errorf("server: TURN secret: %w", err)
		}
		cfg.TURN.Secret = base64.RawStdEncoding.EncodeToString(b)
	}
	return cfg, cfg.Validate()
}

// candidateNetworks lists the non-public networks whose ICE candidates the
// media server may check: the configured ones, plus loopback when media
// stays on loopback anyway (its only peers are there).
func candidateNetworks(c sfu.Settings) []string {
	nets := slices.Clone(c.ICEAllowedPrivateNetworks)
	if c.LoopbackOnly {
		for _, n := range []string{"127.0.0.0/8", "::1/128"} {
			if !slices.Contains(nets, n) {
				nets = append(nets, n)
			}
		}
	}
	return nets
}

// demoMedia lets a demo without ice_allowed_private_networks reach
// browsers on the same machine and in the local network, whose candidates
// are all loopback or private: a demo is tried there, never on the internet.
func demoMedia(c sfu.Settings, log *slog.Logger) sfu.Settings {
	if len(c.ICEAllowedPrivateNetworks) > 0 {
		return c
	}
	c.ICEAllowedPrivateNetworks = []string{"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
		"::1/128", "fc00::/7"}
	log.Info("demo: the media server also checks ICE candidates in loopback and private networks")
	return c
}

// turnPublicIP picks the address TURN clients reach us at: the configured
// public IP, else loopback in loopback mode, else the first listen IP, else
// the first non-loopback interface address.
func turnPublicIP(c sfu.Settings) string {
	switch {
	case len(c.PublicIPs) > 0:
		return c.PublicIP()
	case c.LoopbackOnly:
		return "127.0.0.1"
	case len(c.ListenIPs) > 0:
		return c.ListenIPs[0]
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}

var errNoMedia = errors.New("server: media server not running")
