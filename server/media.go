package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// sfuConfig maps our configuration onto the media server's.
func sfuConfig(c SFUConfig, log *slog.Logger) (sfu.Config, error) {
	cfg := sfu.DefaultConfig()
	cfg.UDPPort, cfg.TCPPort, cfg.ICETCP = c.UDPPort, c.TCPPort, c.ICETCP
	cfg.ListenIPs = c.ListenIPs
	cfg.LoopbackOnly = c.LoopbackOnly
	cfg.NAT1To1IPs = c.PublicIPs
	cfg.UDPReadInterval = c.UDPReadInterval
	cfg.AllowedCandidateNetworks = candidateNetworks(c)
	if !c.TurnEnabled {
		return cfg, nil
	}
	ip := turnPublicIP(c)
	if ip == "" {
		log.Warn("TURN disabled: no address to announce; set sfu.public_ips")
		return cfg, nil
	}
	secret := c.TurnSecret
	if secret == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return cfg, fmt.Errorf("server: TURN secret: %w", err)
		}
		secret = base64.RawStdEncoding.EncodeToString(b)
	}
	bind := "0.0.0.0"
	if c.LoopbackOnly {
		bind = "127.0.0.1"
	}
	cfg.TURN.Enabled = true
	cfg.TURN.ListenAddr = net.JoinHostPort(bind, strconv.Itoa(c.TurnPort))
	cfg.TURN.PublicIP = ip
	cfg.TURN.Secret = secret
	cfg.TURN.AllowPrivatePeers = c.TurnAllowPrivatePeers
	return cfg, cfg.Validate()
}

// candidateNetworks lists the non-public networks whose ICE candidates the
// media server may check: the configured ones, plus loopback when media
// stays on loopback anyway (its only peers are there).
func candidateNetworks(c SFUConfig) []string {
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
func demoMedia(c SFUConfig, log *slog.Logger) SFUConfig {
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
func turnPublicIP(c SFUConfig) string {
	switch {
	case len(c.PublicIPs) > 0:
		return c.PublicIPs[0]
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
