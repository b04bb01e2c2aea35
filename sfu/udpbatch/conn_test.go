package udpbatch

import (
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"
)

// TestBatchConnReadsEveryDatagram: datagrams queued in the kernel come out
// one by one, in order, whole, with their sender, across batch boundaries,
// whether the socket is read on arrival or on a clock.
func TestBatchConnReadsEveryDatagram(t *testing.T) {
	for _, interval := range []time.Duration{0, time.Millisecond} {
		t.Run(fmt.Sprint("interval=", interval), func(t *testing.T) { testBatchConnReads(t, interval) })
	}
}

func testBatchConnReads(t *testing.T, interval time.Duration) {
	b, err := New(loopbackUDP(t), interval, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	from, err := net.DialUDP("udp4", nil, b.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	const n = intervalBatchSize*2 + 5
	for i := range n {
		if _, err := fmt.Fprintf(from, "datagram %03d %s", i, make([]byte, i%7)); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 1500)
	for i := range n {
		got, addr, err := b.ReadFromAddrPort(buf)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("datagram %03d %s", i, make([]byte, i%7)); string(buf[:got]) != want {
			t.Fatalf("datagram %d: %q, want %q", i, buf[:got], want)
		}
		if addr.String() != from.LocalAddr().String() {
			t.Fatalf("from %s, want %s", addr, from.LocalAddr())
		}
	}
	// Writes go out through the batching writer.
	if _, err := b.WriteToAddrPort([]byte("back"), from.LocalAddr().(*net.UDPAddr).AddrPort()); err != nil {
		t.Fatal(err)
	}
	got, err := from.Read(buf)
	if err != nil || string(buf[:got]) != "back" {
		t.Fatalf("reply %q %v", buf[:got], err)
	}
}
