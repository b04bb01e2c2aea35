package sfuload

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
)

// sendBatch lets a load client's socket hold its writes during one pacer
// round and hand them to the kernel in one system call (sendmmsg on Linux):
// the round's video frame and audio leave together, as a browser's pacer
// bursts them, for a fraction of the generator's CPU. The generator shares
// two cores with the SFU under test, and at a hundred sessions one system
// call per datagram was a fifth of its time.
type sendBatch struct {
	conn *ipv4.PacketConn
	tx   *txClock // asks the kernel for transmit stamps of sampled packets

	mu     sync.Mutex
	corked bool
	msgs   []ipv4.Message // slots keep their buffers and addresses
	n      int
}

// datagramMax bounds what a held write can take; larger ones go out at once.
const datagramMax = 1500

// hold keeps a copy of b for to and reports true while corked.
func (s *sendBatch) hold(b []byte, to netip.AddrPort) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.corked || len(b) > datagramMax {
		return false
	}
	if s.n == len(s.msgs) {
		s.msgs = append(s.msgs, ipv4.Message{Buffers: [][]byte{make([]byte, datagramMax)},
			Addr: &net.UDPAddr{}})
	}
	m := &s.msgs[s.n]
	s.n++
	m.Buffers[0] = m.Buffers[0][:copy(m.Buffers[0][:datagramMax], b)]
	m.OOB = nil
	if s.tx != nil {
		m.OOB = s.tx.request(b)
	}
	// A client sends to one address (the SFU's) nearly always.
	if m.Addr.(*net.UDPAddr).AddrPort() != to {
		m.Addr = net.UDPAddrFromAddrPort(to)
	}
	return true
}

func (s *sendBatch) cork() {
	s.mu.Lock()
	s.corked = true
	s.mu.Unlock()
}

// uncork sends what was held. sent is told each datagram and the time it
// was handed to the kernel, taken before the call: a datagram cannot reach
// the SFU earlier, so latency measured from there is never too short.
func (s *sendBatch) uncork(sent func(b []byte, at time.Time)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.corked = false
	held := s.msgs[:s.n]
	s.n = 0
	if len(held) == 0 {
		return
	}
	now := time.Now()
	asked := 0
	for i := range held {
		sent(held[i].Buffers[0], now)
		if held[i].OOB != nil {
			asked++
		}
	}
	if s.tx != nil && asked > 0 {
		defer s.tx.asked(asked) // once sent: the stamps are queued by then
	}
	for len(held) > 0 {
		n, err := s.conn.WriteBatch(held, 0)
		if err != nil {
			n = max(n, 1) // a datagram the kernel refuses must not stop the rest
		}
		held = held[n:]
	}
}

// cork holds the client's socket writes until uncork.
func (c *leanClient) cork() {
	for _, t := range c.sockets() {
		t.out.cork()
	}
}

func (c *leanClient) uncork() {
	for _, t := range c.sockets() {
		t.out.uncork(t.recordSend)
	}
}

func (c *leanClient) sockets() []*tapConn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.taps
}
