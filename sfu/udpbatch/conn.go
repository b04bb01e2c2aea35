package udpbatch

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"

	"github.com/sprechstunde/sprechstunde/sfu/internal/stagetrace"
	"golang.org/x/net/ipv6"
)

// Conn is the one ICE UDP socket, read many datagrams per system call
// (recvmmsg on Linux; elsewhere x/net falls back to one per call).
//
// Every packet of every call arrives on this socket and ICE's mux reads it
// from a single goroutine. With one system call per datagram that goroutine
// is where the kernel queue overflows first under load. Taking the queued
// datagrams in batches and handing them out from memory makes the
// per-packet cost of that goroutine a copy and a map lookup.
//
// With a read interval (the SFU's UDPReadInterval, Linux), the socket is
// outside Go's network poller (see pollConn) and read on a clock: once the
// queue is drained, the next read waits until an interval has passed since
// the last one, and takes everything that queued meanwhile. The datagrams
// of one interval then cost one wake-up of the reader instead of one each,
// and the goroutines they ready run together once the reader sleeps. A
// socket that stays empty for idlePolls reads is waited for in poll(2), so
// an idle SFU does not tick. Without an interval the reader waits in the
// network poller and reads whatever is queued, up to eventBatchSize.
//
// Writes are batched as well (see batchWriter).
//
// It implements ICE's AddrPortReaderWriter, so the mux uses it without
// allocating addresses per packet.
type Conn struct {
	sock  udpSocket
	batch interface {
		ReadBatch(ms []ipv4.Message, flags int) (int, error)
		WriteBatch(ms []ipv4.Message, flags int) (int, error)
	}
	*batchWriter

	mu       sync.Mutex // one reader in practice (the mux); the lock keeps it safe
	msgs     []ipv4.Message
	pos, n   int
	interval time.Duration // 0: read on arrival
	wait     func() error  // blocks until the socket is readable (interval mode)
	last     time.Time     // start of the last read
	empty    int           // reads in a row that found nothing
}

// udpSocket is what Conn needs of its socket: a *net.UDPConn, or a
// pollConn on Linux.
type udpSocket interface {
	net.PacketConn
	SyscallConn() (syscall.RawConn, error)
}

// eventBatchSize bounds datagrams per read when reading on arrival. Each
// datagram the mux hands on readies a goroutine on the reader's processor,
// where they wait until another processor steals them or the reader
// blocks; smaller batches let them run sooner. Interleaved single steps at
// 100 sessions (10 pairs): median p99 added latency 12.1 ms with 8 against
// 13.8 ms with 64; with 2 the extra system calls cost more than that.
const eventBatchSize = 8

// intervalBatchSize bounds datagrams per read on a clock: at 100 sessions
// about 45 datagrams queue in a millisecond; a fuller queue is read again
// at once.
const intervalBatchSize = 64

// idlePolls is how many empty reads in a row make the reader wait in
// poll(2) instead of on its clock.
const idlePolls = 50

// New takes over c. With interval > 0 it moves the socket out of
// Go's network poller where the system allows (Linux) and reads it on that
// clock; elsewhere it reads on arrival.
func New(c *net.UDPConn, interval time.Duration, log *slog.Logger) (*Conn, error) {
	b := &Conn{sock: c}
	if interval > 0 {
		pc, err := detachUDP(c)
		switch {
		case errors.Is(err, errors.ErrUnsupported):
			log.Info("ICE socket is read on arrival: no read interval on this system")
		case err != nil:
			return nil, err
		default:
			b.sock, b.interval, b.wait = pc, interval, pc.WaitReadable
		}
	}
	size := eventBatchSize
	if b.interval > 0 {
		size = intervalBatchSize
	}
	b.msgs = make([]ipv4.Message, size)
	if a, ok := b.sock.LocalAddr().(*net.UDPAddr); ok && a.IP.To4() == nil {
		b.batch = ipv6.NewPacketConn(b.sock)
	} else {
		b.batch = ipv4.NewPacketConn(b.sock)
	}
	for i := range b.msgs {
		b.msgs[i].Buffers = [][]byte{make([]byte, 1500)}
	}
	stagetrace.Socket(b.sock, b.msgs)
	b.batchWriter = newBatchWriter(b.batch, log)
	return b, nil
}

// ReadFromAddrPort returns the next datagram, reading a new batch when the
// last one is used up.
func (b *Conn) ReadFromAddrPort(p []byte) (int, netip.AddrPort, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.pos >= b.n {
		var err error
		if b.interval > 0 {
			err = b.readOnClock()
		} else {
			err = b.read(0)
		}
		if err != nil {
			return 0, netip.AddrPort{}, err
		}
	}
	m := &b.msgs[b.pos]
	b.pos++
	ua, ok := m.Addr.(*net.UDPAddr)
	if !ok {
		return 0, netip.AddrPort{}, errors.New("udpbatch: datagram without UDP address")
	}
	return copy(p, m.Buffers[0][:m.N]), ua.AddrPort(), nil
}

func (b *Conn) read(flags int) error {
	n, err := b.batch.ReadBatch(b.msgs, flags)
	if err != nil {
		return err
	}
	b.pos, b.n = 0, n
	stagetrace.Read(b.msgs[:n])
	return nil
}

// readOnClock reads once without waiting for data: right away after a full
// batch, else an interval after the last read began.
func (b *Conn) readOnClock() error {
	if b.n < len(b.msgs) {
		if d := time.Until(b.last.Add(b.interval)); d > 0 {
			time.Sleep(d)
		}
	}
	b.last = time.Now()
	err := b.read(dontWait)
	if !errors.Is(err, syscall.EAGAIN) {
		b.empty = 0
		return err
	}
	b.pos, b.n = 0, 0
	if b.empty++; b.empty < idlePolls {
		return nil
	}
	return b.wait() // and again after each empty read, until data comes

}

func (b *Conn) ReadFrom(p []byte) (int, net.Addr, error) {
	n, a, err := b.ReadFromAddrPort(p)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(a), nil
}

// WriteTo is net.PacketConn's write, through the batching writer too.
func (b *Conn) WriteTo(p []byte, to net.Addr) (int, error) {
	ua, ok := to.(*net.UDPAddr)
	if !ok {
		return 0, errors.New("udpbatch: not a UDP address")
	}
	return b.WriteToAddrPort(p, ua.AddrPort())
}

func (b *Conn) LocalAddr() net.Addr { return b.sock.LocalAddr() }

// SetWriteDeadline does nothing: writes only queue (see batchWriter), they
// never wait for the socket.
func (b *Conn) SetWriteDeadline(time.Time) error { return nil }

func (b *Conn) SetReadDeadline(t time.Time) error { return b.sock.SetReadDeadline(t) }
func (b *Conn) SetDeadline(t time.Time) error     { return b.sock.SetReadDeadline(t) }

// Close closes the socket, then stops the flusher.
func (b *Conn) Close() error {
	err := b.sock.Close()
	b.batchWriter.close()
	return err
}
