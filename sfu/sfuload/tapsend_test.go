package sfuload

import (
	"net"
	"testing"
	"time"

	"github.com/pion/rtp"
	"golang.org/x/net/ipv4"
)

// TestCorkedSendsHoldThenDeliver: while corked, a load client's socket
// sends nothing; uncork hands every held datagram to the kernel at once, in
// order, and records RTP send times no later than the datagrams' arrival.
func TestCorkedSendsHoldThenDeliver(t *testing.T) {
	c, tc, dst := loopbackSender(t)
	to := dst.LocalAddr().(*net.UDPAddr).AddrPort()

	for round := range 3 {
		c.cork()
		for seq := uint16(0); seq < 5; seq++ {
			b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96,
				SequenceNumber: uint16(round)*10 + seq}, Payload: make([]byte, 1100)}).Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if n, err := tc.WriteToAddrPort(b, to); n != len(b) || err != nil {
				t.Fatalf("held write: %d %v", n, err)
			}
		}
		if err := dst.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 2048)
		if n, _, err := dst.ReadFromUDP(buf); err == nil {
			t.Fatalf("round %d: %d bytes arrived while corked", round, n)
		}
		c.uncork()
		for seq := uint16(0); seq < 5; seq++ {
			if err := dst.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
				t.Fatal(err)
			}
			n, _, err := dst.ReadFromUDP(buf)
			if err != nil {
				t.Fatalf("round %d datagram %d: %v", round, seq, err)
			}
			arrived := time.Now()
			var p rtp.Packet
			if err := p.Unmarshal(buf[:n]); err != nil || p.SequenceNumber != uint16(round)*10+seq {
				t.Fatalf("round %d: got seq %d (%v), want %d", round, p.SequenceNumber, err, uint16(round)*10+seq)
			}
			sent, _, ok := c.sends.sent(false, p.SequenceNumber, c.epoch)
			if !ok || sent.After(arrived) {
				t.Fatalf("seq %d: send time %v recorded %v, arrived %v", p.SequenceNumber, sent, ok, arrived)
			}
		}
	}
	// Uncorked, writes go straight out.
	if _, err := tc.WriteToAddrPort([]byte("stun"), to); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if err := dst.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, _, err := dst.ReadFromUDP(buf); err != nil || string(buf[:n]) != "stun" {
		t.Fatalf("uncorked write: %q %v", buf[:n], err)
	}
}

// loopbackSender is a load client with one socket, and a socket to send to.
func loopbackSender(t *testing.T) (*leanClient, *tapConn, *net.UDPConn) {
	t.Helper()
	listen := func() *net.UDPConn {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	c := newLeanClient(time.Now(), nil)
	src := listen()
	tc := &tapConn{UDPConn: src, c: c, out: sendBatch{conn: ipv4.NewPacketConn(src)}}
	c.taps = []*tapConn{tc}
	return c, tc, listen()
}
