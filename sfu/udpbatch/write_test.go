package udpbatch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

func loopbackUDP(t testing.TB) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetReadBuffer(8 << 20); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBatchWriterDeliversInOrder: datagrams queued by concurrent writers to
// two destinations all arrive, whole, each writer's in the order written.
func TestBatchWriterDeliversInOrder(t *testing.T) {
	src := loopbackUDP(t)
	w := newBatchWriter(ipv4.NewPacketConn(src), slog.New(slog.DiscardHandler))
	defer w.close()
	dsts := []*net.UDPConn{loopbackUDP(t), loopbackUDP(t)}

	const writers, each = 8, 500
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			to := dsts[g%2].LocalAddr().(*net.UDPAddr).AddrPort()
			p := make([]byte, 1200)
			for i := range each {
				binary.BigEndian.PutUint32(p[0:], uint32(g))
				binary.BigEndian.PutUint32(p[4:], uint32(i))
				p[len(p)-1] = byte(g ^ i)
				if _, err := w.WriteToAddrPort(p, to); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()

	next := make([]int, writers)
	buf := make([]byte, 2048)
	for _, d := range dsts {
		for range writers / 2 * each {
			if err := d.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
				t.Fatal(err)
			}
			n, from, err := d.ReadFromUDPAddrPort(buf)
			if err != nil {
				t.Fatalf("after %v datagrams: %v", next, err)
			}
			if n != 1200 || from != src.LocalAddr().(*net.UDPAddr).AddrPort() {
				t.Fatalf("datagram of %d bytes from %s", n, from)
			}
			g, i := int(binary.BigEndian.Uint32(buf)), int(binary.BigEndian.Uint32(buf[4:]))
			if g >= writers || i != next[g] || buf[n-1] != byte(g^i) {
				t.Fatalf("writer %d datagram %d (byte %d), want datagram %d", g, i, buf[n-1], next[g])
			}
			next[g]++
		}
	}
	if w.Dropped() != 0 {
		t.Fatalf("dropped %d", w.Dropped())
	}
}

// stuckConn blocks every send until released, like a socket whose send
// buffer never drains.
type stuckConn struct {
	entered chan struct{}
	release chan struct{}
	mu      sync.Mutex
	sent    int
}

func (s *stuckConn) WriteBatch(ms []ipv4.Message, _ int) (int, error) {
	select {
	case s.entered <- struct{}{}:
	default:
	}
	<-s.release
	s.mu.Lock()
	s.sent += len(ms)
	s.mu.Unlock()
	return len(ms), nil
}

// TestBatchWriterBoundsQueue: when sending stalls, writers are not blocked
// and the queue stops growing at its limit; what was queued goes out once
// sending resumes.
func TestBatchWriterBoundsQueue(t *testing.T) {
	conn := &stuckConn{entered: make(chan struct{}, 1), release: make(chan struct{})}
	w := newBatchWriter(conn, slog.New(slog.DiscardHandler))
	to := netip.MustParseAddrPort("127.0.0.1:9")
	p := make([]byte, 100)
	const extra = 100
	// The flusher takes the first datagram and blocks sending it.
	if _, err := w.WriteToAddrPort(p, to); err != nil {
		t.Fatal(err)
	}
	<-conn.entered
	for range writeQueueLimit + extra {
		if _, err := w.WriteToAddrPort(p, to); err != nil {
			t.Fatal(err)
		}
	}
	if got := w.Dropped(); got != extra {
		t.Fatalf("dropped %d, want %d", got, extra)
	}
	close(conn.release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn.mu.Lock()
		sent := conn.sent
		conn.mu.Unlock()
		if uint64(sent)+w.Dropped() == writeQueueLimit+1+extra {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sent %d, dropped %d", sent, w.Dropped())
		}
		time.Sleep(time.Millisecond)
	}
	w.close()
	w.close() // idempotent
}

type failingConn struct{ calls int }

func (f *failingConn) WriteBatch(ms []ipv4.Message, _ int) (int, error) {
	f.calls++
	return 0, errors.New("refused")
}

// TestBatchWriterSkipsRefused: a datagram the kernel refuses does not hold
// up the flusher, and oversized datagrams are refused at once.
func TestBatchWriterSkipsRefused(t *testing.T) {
	conn := &failingConn{}
	w := newBatchWriter(conn, slog.New(slog.DiscardHandler))
	to := netip.MustParseAddrPort("127.0.0.1:9")
	for range 3 {
		if _, err := w.WriteToAddrPort([]byte("x"), to); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.WriteToAddrPort(make([]byte, datagramMax+1), to); !errors.Is(err, errDatagramTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !w.idle() {
		if time.Now().After(deadline) {
			t.Fatal("flusher stuck on refused datagrams")
		}
		time.Sleep(time.Millisecond)
	}
	w.close()
}

func (w *batchWriter) idle() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.busy && len(w.queue) == 0
}

// TestBatchWriterAllocs: once the queues have grown to the bursts written,
// queuing and flushing a datagram allocate nothing (the conn is a no-op, so
// the system call's own cost is not counted).
func TestBatchWriterAllocs(t *testing.T) {
	w := newBatchWriter(nopConn{}, slog.New(slog.DiscardHandler))
	defer w.close()
	to := netip.MustParseAddrPort("[::ffff:127.0.0.1]:5000")
	p := make([]byte, 1200)
	burst := func() { // a frame's packets, then the forwarder blocks
		for range 8 {
			_, _ = w.WriteToAddrPort(p, to)
		}
		for !w.idle() {
			runtime.Gosched()
		}
	}
	for range 100 {
		burst()
	}
	if a := testing.AllocsPerRun(1000, burst); a > 0 {
		t.Fatalf("%v allocations per burst of 8 datagrams", a)
	}
}

type nopConn struct{}

func (nopConn) WriteBatch(ms []ipv4.Message, _ int) (int, error) { return len(ms), nil }

// BenchmarkLoopbackSend shows what the batching writer saves: the cost of
// a datagram sent with one call each against sendmmsg batches, to 16
// loopback receivers that nobody reads (the kernel drops at full buffers).
func BenchmarkLoopbackSend(b *testing.B) {
	src := loopbackUDP(b)
	var dsts []*net.UDPAddr
	for range 16 {
		dsts = append(dsts, loopbackUDP(b).LocalAddr().(*net.UDPAddr))
	}
	p := make([]byte, 1200)
	b.Run("sendto", func(b *testing.B) {
		b.SetBytes(int64(len(p)))
		for i := 0; b.Loop(); i++ {
			_, _ = src.WriteToUDP(p, dsts[i%len(dsts)])
		}
	})
	for _, size := range []int{8, writeBatchSize} {
		b.Run(fmt.Sprintf("sendmmsg-%d", size), func(b *testing.B) {
			pc := ipv4.NewPacketConn(src)
			ms := make([]ipv4.Message, size)
			for i := range ms {
				ms[i] = ipv4.Message{Buffers: [][]byte{p}, Addr: dsts[i%len(dsts)]}
			}
			b.SetBytes(int64(len(p)))
			for sent := 0; sent < b.N; {
				n, err := pc.WriteBatch(ms[:min(size, b.N-sent)], 0)
				if err != nil {
					b.Fatal(err)
				}
				sent += n
			}
		})
	}
}

// recordingConn keeps every batch it is given, as the sequence numbers in
// the datagrams' first byte.
type recordingConn struct {
	mu      sync.Mutex
	batches [][]byte
}

func (r *recordingConn) WriteBatch(ms []ipv4.Message, _ int) (int, error) {
	var b []byte
	for _, m := range ms {
		b = append(b, m.Buffers[0][0])
	}
	r.mu.Lock()
	r.batches = append(r.batches, b)
	r.mu.Unlock()
	return len(ms), nil
}

func (r *recordingConn) sent() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
}

// TestBatchWriterLateFlusher: while the flusher has not run (here: not
// started, as when it waits at the end of a long run queue), a writer that
// finds the oldest datagram queued for flushLate sends the queue itself, in
// order; a datagram queued just after waits for the flusher, which sends it
// once it runs and then goes idle.
func TestBatchWriterLateFlusher(t *testing.T) {
	conn := &recordingConn{}
	w := &batchWriter{conn: conn, log: slog.New(slog.DiscardHandler), kick: make(chan struct{}, 1),
		done: make(chan struct{})}
	to := netip.MustParseAddrPort("127.0.0.1:9")
	write := func(seq byte) {
		t.Helper()
		if _, err := w.WriteToAddrPort([]byte{seq}, to); err != nil {
			t.Fatal(err)
		}
	}
	write(1)
	write(2)
	if got := conn.sent(); len(got) != 0 {
		t.Fatalf("sent %v before the flusher ran or was late", got)
	}
	time.Sleep(2 * flushLate)
	write(3) // finds 1 queued for more than flushLate: sends 1, 2, 3
	write(4) // the queue was just emptied: waits
	if got, want := conn.sent(), [][]byte{{1, 2, 3}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	w.startFlusher()
	deadline := time.Now().Add(5 * time.Second)
	for !w.idle() {
		if time.Now().After(deadline) {
			t.Fatal("flusher did not drain the queue")
		}
		time.Sleep(time.Millisecond)
	}
	if got, want := conn.sent(), [][]byte{{1, 2, 3}, {4}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	w.close()
}
