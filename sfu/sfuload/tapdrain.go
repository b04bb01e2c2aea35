package sfuload

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"golang.org/x/net/ipv4"
)

// drained is the receive side of a load client's socket once its media
// flows: instead of ICE's reading goroutine waking for every datagram
// (about 200 a second per client), the pacer drains the socket every few
// rounds with one system call per batch. RTP is counted there, with the
// kernel's arrival stamp, so latency figures are unaffected; the rest
// (STUN, RTCP) is queued for ICE's reader, a few milliseconds late.
//
// At a hundred sessions the per-datagram wake-ups had been a fifth of the
// load generator's CPU, which then could not feed the higher ramp steps.
type drained struct {
	on     atomic.Bool
	inbox  chan datagram // non-RTP datagrams for ICE's reader
	closed chan struct{}
	once   sync.Once

	mu   sync.Mutex // one drain at a time
	msgs []ipv4.Message
	pc   *ipv4.PacketConn
}

type datagram struct {
	b    []byte
	from netip.AddrPort
}

const (
	drainBatch = 16
	// inboxSize bounds queued non-RTP datagrams; more are dropped, as the
	// kernel drops at a full socket.
	inboxSize = 64
)

func (d *drained) init(c *net.UDPConn) {
	d.inbox, d.closed = make(chan datagram, inboxSize), make(chan struct{})
	d.pc, d.msgs = ipv4.NewPacketConn(c), make([]ipv4.Message, drainBatch)
	for i := range d.msgs {
		d.msgs[i].Buffers = [][]byte{make([]byte, datagramMax)}
		d.msgs[i].OOB = make([]byte, 64)
	}
}

// pollMode hands the socket to the pacer's drain. ICE's reader, if blocked
// in a read, takes the next datagram (racing the drain, which is harmless:
// either handles it in full) and then waits on the inbox.
func (t *tapConn) pollMode() {
	if pollable {
		t.in.on.Store(true)
		t.tx.enable(t.UDPConn)
	}
}

// readInbox is ReadFromAddrPort in poll mode.
func (t *tapConn) readInbox(b []byte) (int, netip.AddrPort, error) {
	select {
	case d := <-t.in.inbox:
		return copy(b, d.b), d.from, nil
	case <-t.in.closed:
		return 0, netip.AddrPort{}, net.ErrClosed
	}
}

// drain reads what the socket holds: RTP is counted, the rest queued.
func (t *tapConn) drain() {
	if !t.in.on.Load() {
		return
	}
	// Own transmit stamps first: they keep the error queue short.
	t.tx.drain(t.confirmSend)
	t.in.mu.Lock()
	defer t.in.mu.Unlock()
	for {
		n, err := t.in.pc.ReadBatch(t.in.msgs, msgDontWait)
		for i := range max(n, 0) {
			m := &t.in.msgs[i]
			b := m.Buffers[0][:m.N]
			if t.c.countRTP(b, arrivalTime(m.OOB[:m.NN])) {
				continue
			}
			ua, _ := m.Addr.(*net.UDPAddr)
			d := datagram{b: append([]byte(nil), b...)}
			if ua != nil {
				d.from = ua.AddrPort()
			}
			select {
			case t.in.inbox <- d:
			default:
			}
		}
		// Empty (EAGAIN) or closed: try next time.
		if err != nil || n < len(t.in.msgs) {
			return
		}
	}
}

// Close wakes a reader waiting on the inbox, then closes the socket.
func (t *tapConn) Close() error {
	t.in.once.Do(func() { close(t.in.closed) })
	return t.UDPConn.Close()
}

// drain runs the client's sockets' drains.
func (c *leanClient) drain() {
	for _, t := range c.sockets() {
		t.drain()
	}
}

// pollMode hands the client's sockets to the pacer's drains.
func (c *leanClient) pollMode() {
	for _, t := range c.sockets() {
		t.pollMode()
	}
}
