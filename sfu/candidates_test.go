package sfu

import (
	"net"
	"testing"
)

// TestRemoteCandidateRule: ICE talks to public addresses only, the rule
// TURN applies to its peers, unless a network is allowed; LoopbackOnly
// narrows that to loopback.
func TestRemoteCandidateRule(t *testing.T) {
	for _, tc := range []struct {
		name    string
		allowed []string
		loop    bool
		ip      string
		want    bool
		turn    string // the TURN server's public IP, if enabled
	}{
		{"public", nil, false, "193.99.144.80", true, ""},
		{"public v6", nil, false, "2a00:1450:4001:80b::200e", true, ""},
		{"loopback", nil, false, "127.0.0.1", false, ""},
		{"loopback v6", nil, false, "::1", false, ""},
		{"private 10", nil, false, "10.1.2.3", false, ""},
		{"private 172.16", nil, false, "172.16.5.4", false, ""},
		{"private 192.168", nil, false, "192.168.1.2", false, ""},
		{"link-local", nil, false, "169.254.169.254", false, ""},
		{"link-local v6", nil, false, "fe80::1", false, ""},
		{"unique local v6", nil, false, "fd00::1", false, ""},
		{"unspecified", nil, false, "0.0.0.0", false, ""},
		{"multicast", nil, false, "224.0.0.251", false, ""},
		{"broadcast", nil, false, "255.255.255.255", false, ""},
		{"carrier-grade NAT", nil, false, "100.64.0.1", false, ""},
		{"mapped private", nil, false, "::ffff:10.0.0.1", false, ""},
		{"allowed intranet", []string{"10.0.0.0/8"}, false, "10.1.2.3", true, ""},
		{"other private not allowed", []string{"10.0.0.0/8"}, false, "192.168.1.2", false, ""},
		{"mapped allowed", []string{"10.0.0.0/8"}, false, "::ffff:10.0.0.1", true, ""},
		{"loopback allowed", []string{"127.0.0.0/8"}, false, "127.0.0.1", true, ""},
		{"loopback only refuses public", []string{"127.0.0.0/8"}, true, "193.99.144.80", false, ""},
		{"loopback only refuses allowed private", []string{"127.0.0.0/8", "10.0.0.0/8"}, true, "10.1.2.3", false, ""},
		{"loopback only, allowed", []string{"127.0.0.0/8"}, true, "127.0.0.1", true, ""},
		{"loopback only, not allowed", nil, true, "127.0.0.1", false, ""},
		{"own TURN relay in a private network", nil, false, "10.0.0.5", true, "10.0.0.5"},
		{"next to the TURN relay", nil, false, "10.0.0.6", false, "10.0.0.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m mediaNet
			cfg := Config{AllowedCandidateNetworks: tc.allowed, LoopbackOnly: tc.loop}
			cfg.TURN.Enabled, cfg.TURN.PublicIP = tc.turn != "", tc.turn
			allow, err := m.remoteFilter(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := allow(net.ParseIP(tc.ip)); got != tc.want {
				t.Errorf("remote candidate %s accepted = %v, want %v", tc.ip, got, tc.want)
			}
			if refused := m.refused.Load(); (refused == 1) != !tc.want {
				t.Errorf("refused counter = %d", refused)
			}
		})
	}
}
