package sfu

import (
	"errors"
	"testing"
)

// TestSettingsValidate: every bad setting is named by its key, and the
// defaults make a valid runtime configuration.
func TestSettingsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Settings)
		key  string // "" = valid
	}{
		{"defaults", func(*Settings) {}, ""},
		{"public/local", func(s *Settings) { s.PublicIPs = []string{"203.0.113.1/10.0.0.1"} }, ""},
		{"public host name", func(s *Settings) { s.PublicIPs = []string{"example.de"} }, "public_ips"},
		{"public, bad local", func(s *Settings) { s.PublicIPs = []string{"203.0.113.1/x"} }, "public_ips"},
		{"udp port", func(s *Settings) { s.UDPPort = 70000 }, "udp_port"},
		{"turn port", func(s *Settings) { s.TurnPort = -1 }, "turn_port"},
		{"read interval", func(s *Settings) { s.UDPReadInterval = 2 * MaxUDPReadInterval }, "udp_read_interval"},
		{"network", func(s *Settings) { s.ICEAllowedPrivateNetworks = []string{"10.0.0.1"} }, "ice_allowed_private_networks"},
		{"listen ip", func(s *Settings) { s.ListenIPs = []string{"localhost"} }, "listen_ips"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSettings()
			tc.edit(&s)
			err := s.Validate()
			if tc.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				cfg := s.Config()
				cfg.TURN.PublicIP, cfg.TURN.Secret = "203.0.113.1", "0123456789abcdef"
				if err := cfg.Validate(); err != nil {
					t.Errorf("Config() of valid settings: %v", err)
				}
				return
			}
			se, ok := errors.AsType[*SettingError](err)
			if !ok || se.Key != tc.key {
				t.Errorf("Validate() = %v, want a problem with %s", err, tc.key)
			}
		})
	}
}
