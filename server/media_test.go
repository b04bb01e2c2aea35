package server

import (
	"io"
	"log/slog"
	"slices"
	"testing"
)

// TestSFUConfigCandidateNetworks: by default the media server checks
// public ICE candidates only; sfu.ice_allowed_private_networks reaches it.
func TestSFUConfigCandidateNetworks(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name     string
		nets     []string
		loopback bool
		demo     bool
		want     []string
	}{
		{"default", DefaultConfig().SFU.ICEAllowedPrivateNetworks, false, false, []string{}},
		{"intranet", []string{"10.20.0.0/16", "fd12::/16"}, false, false, []string{"10.20.0.0/16", "fd12::/16"}},
		{"loopback only", nil, true, false, []string{"127.0.0.0/8", "::1/128"}},
		{"loopback only, listed", []string{"127.0.0.0/8"}, true, false, []string{"127.0.0.0/8", "::1/128"}},
		{"demo", nil, false, true, []string{"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7"}},
		{"demo, configured", []string{"10.20.0.0/16"}, false, true, []string{"10.20.0.0/16"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig().SFU
			c.TurnEnabled = false
			c.ICEAllowedPrivateNetworks = tc.nets
			c.LoopbackOnly = tc.loopback
			if tc.demo {
				c = demoMedia(c, log)
			}
			cfg, err := sfuConfig(c, log)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.AllowedCandidateNetworks, tc.want) {
				t.Errorf("AllowedCandidateNetworks = %q, want %q", cfg.AllowedCandidateNetworks, tc.want)
			}
			if err := cfg.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
	if n := DefaultConfig().SFU.ICEAllowedPrivateNetworks; len(n) != 0 {
		t.Errorf("default allows %q", n)
	}
}

// TestSFUConfigPublicIPs: public_ips takes every form the media server
// announces, "public" and "public/local", and TURN announces the public part.
func TestSFUConfigPublicIPs(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		env, turnIP string
	}{
		{"203.0.113.10", "203.0.113.10"},
		{"203.0.113.10/10.0.0.5, 198.51.100.1", "203.0.113.10"},
		{"2001:db8::1/fd00::5", "2001:db8::1"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			c, err := Load(nil, env(map[string]string{"SPRECHSTUNDE_SFU_PUBLIC_IPS": tc.env}))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := sfuConfig(c.SFU, log)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.TURN.PublicIP != tc.turnIP || !slices.Equal(cfg.NAT1To1IPs, c.SFU.PublicIPs) {
				t.Errorf("TURN.PublicIP = %q, NAT1To1IPs = %q; want %q, %q", cfg.TURN.PublicIP, cfg.NAT1To1IPs, tc.turnIP, c.SFU.PublicIPs)
			}
		})
	}
}
