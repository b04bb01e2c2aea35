package udpbatch

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

// registeredInEpoll reports whether fd is watched by any epoll instance of
// this process (Go's network poller is one), from /proc/self/fdinfo.
func registeredInEpoll(t *testing.T, fd int) bool {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if l, _ := os.Readlink("/proc/self/fd/" + e.Name()); l != "anon_inode:[eventpoll]" {
			continue
		}
		info, err := os.ReadFile("/proc/self/fdinfo/" + e.Name())
		if err != nil {
			continue // closed meanwhile
		}
		for line := range strings.Lines(string(info)) {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "tfd:" && f[1] == fmt.Sprint(fd) {
				return true
			}
		}
	}
	return false
}

// TestDetachUDPLeavesNetworkPoller: the socket Go watched is closed, and
// the one kept, at the same address, is watched by no epoll instance, so
// arriving datagrams wake no thread.
func TestDetachUDPLeavesNetworkPoller(t *testing.T) {
	c := loopbackUDP(t)
	var before int
	raw, _ := c.SyscallConn()
	_ = raw.Control(func(fd uintptr) { before = int(fd) })
	if !registeredInEpoll(t, before) {
		t.Fatal("a net.UDPConn should be in Go's network poller; the check below would prove nothing")
	}
	p, err := detachUDP(c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if registeredInEpoll(t, p.fd) {
		t.Fatalf("detached socket (fd %d) is still in an epoll instance", p.fd)
	}
	if p.LocalAddr().String() != c.LocalAddr().String() {
		t.Fatalf("address %s, want %s", p.LocalAddr(), c.LocalAddr())
	}
	// Single reads and writes work on it.
	peer := loopbackUDP(t)
	defer peer.Close()
	if _, err := p.WriteTo([]byte("ping"), peer.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, from, err := peer.ReadFromUDP(buf)
	if err != nil || string(buf[:n]) != "ping" || from.String() != p.LocalAddr().String() {
		t.Fatalf("peer got %q from %v: %v", buf[:n], from, err)
	}
	if _, err := peer.WriteTo([]byte("pong"), p.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	n, addr, err := p.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "pong" || addr.String() != peer.LocalAddr().String() {
		t.Fatalf("got %q from %v: %v", buf[:n], addr, err)
	}
}

// countingBatch counts the reads a Conn makes.
type countingBatch struct {
	reads atomic.Int64
	inner interface {
		ReadBatch(ms []ipv4.Message, flags int) (int, error)
		WriteBatch(ms []ipv4.Message, flags int) (int, error)
	}
}

func (c *countingBatch) ReadBatch(ms []ipv4.Message, flags int) (int, error) {
	c.reads.Add(1)
	return c.inner.ReadBatch(ms, flags)
}

func (c *countingBatch) WriteBatch(ms []ipv4.Message, flags int) (int, error) {
	return c.inner.WriteBatch(ms, flags)
}

// TestBatchConnIdleWaitsInPoll: a socket read on a clock stops ticking
// once it has been empty for idlePolls reads, and a datagram that arrives
// then is still read.
func TestBatchConnIdleWaitsInPoll(t *testing.T) {
	b, err := New(loopbackUDP(t), time.Millisecond, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	counter := &countingBatch{inner: b.batch}
	b.batch = counter
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 64)
		n, _, err := b.ReadFromAddrPort(buf)
		if err != nil {
			got <- err.Error()
			return
		}
		got <- string(buf[:n])
	}()
	// Ten times as long as idlePolls intervals: a reader still on its
	// clock would have read about 10*idlePolls times.
	time.Sleep(10 * idlePolls * time.Millisecond)
	if n := counter.reads.Load(); n > idlePolls+2 {
		t.Fatalf("%d reads of an idle socket, want at most %d", n, idlePolls+2)
	}
	peer := loopbackUDP(t)
	defer peer.Close()
	if _, err := peer.WriteTo([]byte("wake"), b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "wake" {
			t.Fatalf("read %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the datagram was not read")
	}
}

// TestPollConnCloseWakesReader: Close ends a read waiting in poll(2) at
// once (not after idleWait), with net.ErrClosed, and later calls fail the
// same way.
func TestPollConnCloseWakesReader(t *testing.T) {
	p, err := detachUDP(loopbackUDP(t))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := p.ReadFrom(make([]byte, 64))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let it block
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read ended with %v, want net.ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the read")
	}
	if waited := time.Since(start); waited >= idleWait {
		t.Fatalf("Close took %s: the reader was not woken, it timed out", waited)
	}
	if _, err := p.WriteTo([]byte("x"), p.LocalAddr()); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after Close: %v", err)
	}
	if err := p.Close(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
}
