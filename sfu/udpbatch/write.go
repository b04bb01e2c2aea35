package udpbatch

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/ipv4"

	"github.com/sprechstunde/sprechstunde/sfu/internal/stagetrace"
)

// batchWriter sends the ICE UDP socket's datagrams many per system call
// (sendmmsg on Linux; elsewhere x/net falls back to one per call).
//
// Forwarding goroutines only queue a copy of each datagram; one flusher
// goroutine sends whatever is queued. The first datagram queued into an
// empty queue readies the flusher, which Go runs on that processor as soon
// as the queuing goroutine blocks, i.e. once it has forwarded the packets
// it had in hand (a video frame is a burst of them). So batching needs no
// timer and adds no wait of its own, and on a busy server datagrams queue
// up while the flusher sends, so batches grow with load.
//
// Measured with `sprechstunde-load sfu` at 100 sessions on 2 CPUs, where
// a system call costs about a microsecond: p99 added latency 11-12 ms
// against 22-26 ms with one send call per datagram from each forwarding
// goroutine, for the same CPU (see docs/benchmarks.md).
//
// The flusher is one goroutine among thousands, and Go gives it no
// priority: readied while both processors are busy, it can land at the end
// of a long run queue, and every datagram of every call then waits with it
// (execution traces at 100 sessions showed it runnable for up to 13 ms, a
// few times a second, with nothing sent meanwhile). So a writer that finds
// the oldest queued datagram older than flushLate sends the queue itself.
type batchWriter struct {
	conn  batchWriteConn
	log   *slog.Logger
	kick  chan struct{} // one token: the queue went from idle to busy
	done  chan struct{}
	stop  sync.Once
	ended sync.WaitGroup

	// sending is held by whoever sends (the flusher or a writer that
	// found it late), from taking the queue until its batch is sent, so
	// batches leave in the order they were queued.
	sending sync.Mutex

	mu     sync.Mutex
	queue  []ipv4.Message // waiting to be sent, in order
	spare  []ipv4.Message // the last batch sent, reused as the next queue
	busy   bool           // a kick is pending or the flusher is sending
	oldest time.Time      // when the queue last went from empty to not empty
	kickT  int64          // when busy was set (stage tracing builds only)

	dropped  atomic.Uint64 // datagrams refused because the queue was full
	lastWarn atomic.Int64  // unix nanoseconds of the last warning about it
}

type batchWriteConn interface {
	WriteBatch(ms []ipv4.Message, flags int) (int, error)
}

const (
	// writeBatchSize bounds datagrams per sendmmsg.
	writeBatchSize = 64
	// writeQueueLimit bounds the queue: beyond it the socket is not
	// keeping up, and datagrams are dropped (as the kernel drops them at
	// a full send buffer) rather than delayed without end.
	writeQueueLimit = 4096
	// datagramMax is the largest datagram the queue takes; ICE, DTLS and
	// SRTP stay below Pion's 1460-byte receive MTU.
	datagramMax = 1500
	// flushLate is how long a queued datagram may wait for the flusher
	// before a writer sends the queue itself. The flusher normally runs
	// within tens of microseconds; well above that, it is stuck in a run
	// queue.
	flushLate = 250 * time.Microsecond
)

var errDatagramTooLarge = errors.New("udpbatch: datagram larger than the send buffers")

// dropWarnEvery spaces the warnings about a full queue.
const dropWarnEvery = 10 * time.Second

func newBatchWriter(conn batchWriteConn, log *slog.Logger) *batchWriter {
	w := &batchWriter{conn: conn, log: log, kick: make(chan struct{}, 1), done: make(chan struct{})}
	w.startFlusher()
	return w
}

func (w *batchWriter) startFlusher() {
	w.ended.Add(1)
	go w.run()
}

// WriteToAddrPort queues a copy of p for to.
func (w *batchWriter) WriteToAddrPort(p []byte, to netip.AddrPort) (int, error) {
	if len(p) > datagramMax {
		return 0, errDatagramTooLarge
	}
	now := time.Now()
	w.mu.Lock()
	n := len(w.queue)
	if n >= writeQueueLimit {
		w.mu.Unlock()
		w.drop()
		return len(p), nil
	}
	// Slots keep their buffer and address from earlier use, so queuing
	// allocates nothing once the queues have grown to the load.
	if n < cap(w.queue) {
		w.queue = w.queue[:n+1]
	} else {
		w.queue = append(w.queue, ipv4.Message{})
	}
	m := &w.queue[n]
	if m.Buffers == nil {
		m.Buffers = [][]byte{make([]byte, datagramMax)}
		m.Addr = &net.UDPAddr{IP: make(net.IP, 0, net.IPv6len)}
	}
	m.Buffers[0] = m.Buffers[0][:copy(m.Buffers[0][:datagramMax], p)]
	setUDPAddr(m.Addr.(*net.UDPAddr), to)
	if n == 0 {
		w.oldest = now
	}
	kick := !w.busy
	w.busy = true
	if kick {
		w.kickT = stagetrace.Now()
	}
	var late []ipv4.Message
	if !kick && now.Sub(w.oldest) >= flushLate && w.sending.TryLock() {
		late = w.take()
	}
	w.mu.Unlock()
	if kick {
		w.kick <- struct{}{} // never blocks: one token per idle-to-busy change
	}
	if late != nil {
		w.send(late)
		w.sending.Unlock()
	}
	return len(p), nil
}

// Dropped counts the datagrams refused since the start because the queue
// was full.
func (w *batchWriter) Dropped() uint64 { return w.dropped.Load() }

func (w *batchWriter) drop() {
	total := w.dropped.Add(1)
	now, last := time.Now().UnixNano(), w.lastWarn.Load()
	if now-last >= int64(dropWarnEvery) && w.lastWarn.CompareAndSwap(last, now) {
		w.log.Warn("ICE UDP send queue full: datagrams dropped (CPU or socket send buffer exhausted)",
			"dropped_total", total)
	}
}

// setUDPAddr fills a reused address without allocating.
func setUDPAddr(ua *net.UDPAddr, to netip.AddrPort) {
	a := to.Addr().Unmap()
	if a.Is4() {
		b := a.As4()
		ua.IP = append(ua.IP[:0], b[:]...)
	} else {
		b := a.As16()
		ua.IP = append(ua.IP[:0], b[:]...)
	}
	ua.Port = int(to.Port())
	ua.Zone = a.Zone()
}

func (w *batchWriter) run() {
	defer w.ended.Done()
	for {
		select {
		case <-w.done:
			return
		case <-w.kick:
		}
		for w.flush() {
		}
	}
}

// flush sends what is queued and reports whether there was anything.
func (w *batchWriter) flush() bool {
	w.sending.Lock()
	defer w.sending.Unlock()
	w.mu.Lock()
	if w.kickT != 0 {
		stagetrace.Kick(w.kickT)
		w.kickT = 0
	}
	if len(w.queue) == 0 {
		w.busy = false
		w.mu.Unlock()
		return false
	}
	batch := w.take()
	w.mu.Unlock()
	w.send(batch)
	return true
}

// take swaps the queue for the spare slice; w.mu and w.sending are held.
func (w *batchWriter) take() []ipv4.Message {
	batch := w.queue
	w.queue = w.spare[:0]
	w.spare = nil
	return batch
}

// send sends a taken batch and keeps it as the next spare; w.sending is
// held, so the spare is back before anyone can take again.
func (w *batchWriter) send(batch []ipv4.Message) {
	for rest := batch; len(rest) > 0; {
		t0 := stagetrace.Now()
		n, err := w.conn.WriteBatch(rest[:min(len(rest), writeBatchSize)], 0)
		stagetrace.Send(t0)
		if err != nil {
			// A datagram the kernel refuses (an unreachable address, say)
			// must not hold up the ones behind it.
			n = max(n, 1)
		}
		rest = rest[n:]
	}
	w.mu.Lock()
	w.spare = batch[:0]
	w.mu.Unlock()
}

// close stops the flusher. Close the socket first, so that a send in
// progress returns.
func (w *batchWriter) close() {
	w.stop.Do(func() { close(w.done) })
	w.ended.Wait()
}
