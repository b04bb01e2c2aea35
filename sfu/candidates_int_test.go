package sfu_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestLoopbackCandidatesNeedAllowance: without AllowedCandidateNetworks
// the SFU refuses a client on 127.0.0.1: its trickled candidates and the
// peer-reflexive one its checks reveal are dropped before the agent holds
// them (so no STUN goes there), and no connection comes up.
func TestLoopbackCandidatesNeedAllowance(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) { c.AllowedCandidateNetworks = nil })
	ctx := testCtx(t, 20*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	clerk := e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "answer", isType(signaling.TypeAnswer))
	waitFor(ctx, t, "loopback candidates refused", func() bool { return e.s.Stats().RefusedCandidates > 0 })
	if ips := sfu.RemoteCandidateIPs(e.s, "p-clerk"); len(ips) > 0 {
		t.Errorf("agent holds remote candidates %v", ips)
	}
	if clerk.IsConnected() {
		t.Error("connected over refused candidates")
	}
}

// TestPrivateCandidatesRefused: with loopback allowed (as on one machine),
// trickled candidates in private and link-local networks are still
// dropped before the agent holds them. (Allowing a private network is
// covered by TestRemoteCandidateRule: LoopbackOnly refuses it here.)
func TestPrivateCandidatesRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 20*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	clerk := e.dial(ctx, "clerk", true)
	if err := clerk.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.s.Stats().RefusedCandidates; n != 0 {
		t.Fatalf("%d loopback candidates refused although allowed", n)
	}
	private := []string{"10.1.2.3", "192.168.1.2", "169.254.169.254", "0.0.0.0"}
	mid, zero := "0", uint16(0)
	for _, ip := range private {
		if err := clerk.Send(signaling.Candidate{Candidate: webrtc.ICECandidateInit{
			Candidate: "candidate:9 1 udp 2130706431 " + ip + " 40000 typ host",
			SDPMid:    &mid, SDPMLineIndex: &zero,
		}}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(ctx, t, "private candidates refused", func() bool {
		return e.s.Stats().RefusedCandidates >= uint64(len(private))
	})
	ips := sfu.RemoteCandidateIPs(e.s, "p-clerk")
	for _, ip := range private {
		if slices.Contains(ips, ip) {
			t.Errorf("agent holds %s (%v)", ip, ips)
		}
	}
	if len(ips) == 0 {
		t.Error("the client's own loopback candidate is missing")
	}
}
