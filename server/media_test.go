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
