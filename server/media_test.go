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
		name string
		nets []string
	}{
		{"default", DefaultConfig().SFU.ICEAllowedPrivateNetworks},
		{"intranet", []string{"10.20.0.0/16", "fd12::/16"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig().SFU
			c.TurnEnabled = false
			c.ICEAllowedPrivateNetworks = tc.nets
			cfg, err := sfuConfig(c, log)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.AllowedCandidateNetworks, tc.nets) {
				t.Errorf("AllowedCandidateNetworks = %q, want %q", cfg.AllowedCandidateNetworks, tc.nets)
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
