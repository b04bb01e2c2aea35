package sfutest

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pion/rtp"
	"golang.org/x/net/ipv4"
)

// TestPollModeHandsSocketToDrain: a reader blocked on the socket moves to
// the inbox when poll mode starts; drains count RTP and pass everything
// else to the reader in order; Close wakes the reader.
func TestPollModeHandsSocketToDrain(t *testing.T) {
	if !pollable {
		t.Skip("poll mode is Linux only")
	}
	c := &Client{cfg: ClientConfig{Epoch: time.Now()}, trackers: map[string]*seqTracker{},
		tapped: map[uint32]*seqTracker{}}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	tc := &tapConn{UDPConn: conn, c: c, out: sendBatch{conn: ipv4.NewPacketConn(conn)}}
	tc.rx.enable(conn)
	tc.in.init(conn)
	c.taps = []*tapConn{tc}
	peer, err := net.DialUDP("udp4", nil, conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	from := peer.LocalAddr().(*net.UDPAddr).AddrPort()

	type read struct {
		b    string
		from netip.AddrPort
		err  error
	}
	reads := make(chan read, 8)
	go func() {
		buf := make([]byte, 1500)
		for {
			n, a, err := tc.ReadFromAddrPort(buf)
			reads <- read{string(buf[:n]), a, err}
			if err != nil {
				return
			}
		}
	}()
	// Before poll mode the reader takes datagrams itself.
	if _, err := peer.Write([]byte("stun-1")); err != nil {
		t.Fatal(err)
	}
	if r := <-reads; r.b != "stun-1" || r.from != from || r.err != nil {
		t.Fatalf("direct read: %+v", r)
	}

	c.pollMode()
	media, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 7,
		SSRC: 42}, Payload: make([]byte, 1000)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{media, []byte("stun-2"), []byte("stun-3")} {
		if _, err := peer.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case r := <-reads:
		t.Fatalf("reader took %+v from the socket in poll mode", r)
	case <-time.After(50 * time.Millisecond):
	}
	// Drains fail until the reader has cleared the deadline that woke it.
	var got []read
	for deadline := time.Now().Add(2 * time.Second); len(got) < 2 && time.Now().Before(deadline); {
		c.drain()
		select {
		case r := <-reads:
			got = append(got, r)
		case <-time.After(5 * time.Millisecond):
		}
	}
	for i, want := range []string{"stun-2", "stun-3"} {
		if i >= len(got) || got[i].b != want || got[i].from != from || got[i].err != nil {
			t.Fatalf("inbox reads %+v, want %q at %d", got, want, i)
		}
	}
	if got := c.Video.Packets.Load(); got != 1 {
		t.Fatalf("counted %d RTP packets, want 1", got)
	}
	if err := tc.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-reads:
		if !errors.Is(r.err, net.ErrClosed) {
			t.Fatalf("after Close: %+v", r)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not wake the reader")
	}
	c.drain() // a closed socket is skipped
}
