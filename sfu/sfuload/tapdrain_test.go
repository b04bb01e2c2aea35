package sfuload

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/pion/rtp"
	"golang.org/x/net/ipv4"
)

// TestPollModeHandsSocketToDrain: in poll mode the reader, after at most one
// more datagram of its own, waits on the inbox; drains count RTP and pass
// everything else to the reader in order; Close wakes the reader.
func TestPollModeHandsSocketToDrain(t *testing.T) {
	if !pollable {
		t.Skip("poll mode is Linux only")
	}
	c := newLeanClient(time.Now(), nil)
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
	// The reader, still blocked on the socket, or a drain takes this one.
	if _, err := peer.Write([]byte("stun-2")); err != nil {
		t.Fatal(err)
	}
	if r := awaitRead(t, c, reads); r.b != "stun-2" || r.from != from || r.err != nil {
		t.Fatalf("first read in poll mode: %+v", r)
	}
	media, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 7,
		SSRC: 42}, Payload: make([]byte, 1000)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{media, []byte("stun-3"), []byte("stun-4")} {
		if _, err := peer.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case r := <-reads:
		t.Fatalf("reader took %+v from the socket in poll mode", r)
	case <-time.After(50 * time.Millisecond):
	}
	c.drain()
	for _, want := range []string{"stun-3", "stun-4"} {
		select {
		case r := <-reads:
			if r.b != want || r.from != from || r.err != nil {
				t.Fatalf("inbox read %+v, want %q", r, want)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("%q never reached the reader", want)
		}
	}
	if got := c.video.packets.Load(); got != 1 {
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

// awaitRead drains until the reader returns a datagram.
func awaitRead[T any](t *testing.T, c *leanClient, reads <-chan T) T {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		c.drain()
		select {
		case r := <-reads:
			return r
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatal("no datagram reached the reader")
	var zero T
	return zero
}
