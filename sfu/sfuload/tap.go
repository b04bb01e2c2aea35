package sfuload

import (
	"encoding/binary"
	"net"
	"net/netip"
	"time"

	"github.com/pion/transport/v5"
	"golang.org/x/net/ipv4"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
)

// A load client (leanClient) counts received media at
// its socket instead of in Pion's receive path. SRTP leaves the RTP header
// in the clear, and sequence number, timestamp and SSRC are all the
// statistics need; decrypting, buffering and four goroutine hand-offs per
// packet would only take CPU from the SFU under test. Latency ends when the
// datagram arrived at the receiving socket (kernel timestamp where
// available), so it no longer includes the receiving client's stack; it
// still includes the sender's. Once media flows, the pacer reads the socket
// (tapdrain.go) and sends on it in batches (tapsend.go).

// opusPT is the payload type Pion's default codecs give Opus; the SFU
// rewrites payload types to the subscriber's, so this tells audio from video.
const opusPT = 111

// tapNet is the standard network whose UDP sockets hand RTP to the client's
// counters and everything else (STUN, DTLS, RTCP) to Pion.
type tapNet struct {
	transport.Net
	c *leanClient
}

func (n tapNet) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	conn, err := net.ListenUDP(network, laddr)
	if err != nil {
		return nil, err
	}
	t := &tapConn{UDPConn: conn, c: n.c, out: sendBatch{conn: ipv4.NewPacketConn(conn)}}
	t.out.tx = &t.tx
	t.rx.enable(conn)
	t.in.init(conn)
	n.c.mu.Lock()
	n.c.taps = append(n.c.taps, t)
	n.c.mu.Unlock()
	return t, nil
}

// tapConn implements ICE's allocation-free AddrPortReaderWriter as well as
// net.PacketConn, so ICE reads through it either way.
type tapConn struct {
	*net.UDPConn
	c   *leanClient
	rx  rxClock // used by ICE's one reading goroutine
	tx  txClock // on once media flows (poll mode)
	out sendBatch
	in  drained
}

func (t *tapConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		if t.in.on.Load() {
			return t.readInbox(b)
		}
		n, addr, at, err := t.rx.read(t.UDPConn, b)
		if err != nil && t.in.on.Load() {
			continue // handed over to the drain meanwhile: wait on the inbox
		}
		if err != nil || !t.c.countRTP(b[:n], at) {
			return n, addr, err
		}
	}
}

func (t *tapConn) WriteToAddrPort(b []byte, addr netip.AddrPort) (int, error) {
	if t.out.hold(b, addr) {
		return len(b), nil
	}
	t.recordSend(b, time.Now())
	return t.UDPConn.WriteToUDPAddrPort(b, addr)
}

// WriteTo sends through WriteToAddrPort, so every datagram is recorded.
func (t *tapConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return 0, net.InvalidAddrError("not a UDP address")
	}
	return t.WriteToAddrPort(b, ua.AddrPort())
}

// recordSend notes when an own RTP packet is sent, for the partner's
// transit; confirmSend, when the kernel says it left.
func (t *tapConn) recordSend(b []byte, at time.Time) {
	if isRTP(b) {
		audio, seq := rtpKey(b)
		t.c.sends.record(audio, seq, at, t.c.epoch)
	}
}

func (t *tapConn) confirmSend(b []byte, at time.Time) {
	if isRTP(b) {
		audio, seq := rtpKey(b)
		t.c.sends.confirm(audio, seq, at, t.c.epoch)
	}
}

// rtpKey is what the send log files an RTP packet under: its kind and
// sequence number.
func rtpKey(b []byte) (audio bool, seq uint16) {
	return b[1]&0x7f == opusPT, binary.BigEndian.Uint16(b[2:])
}

// departure is when the client sent an RTP packet, for latency: the
// kernel's transmit stamp for the sampled packets where the client's
// sockets have stamps on (other packets do not count), else the time taken
// before the send call.
func (c *leanClient) departure(b []byte, audio bool, seq uint16, epoch time.Time) (time.Time, bool) {
	sent, kernel, ok := c.sends.sent(audio, seq, epoch)
	if !ok || kernel || !c.stampsSends() {
		return sent, ok
	}
	if !sampled(b) {
		return time.Time{}, false
	}
	// It left before it could arrive anywhere: its stamp waits in the
	// client's error queue.
	c.confirmSends()
	sent, kernel, ok = c.sends.sent(audio, seq, epoch)
	return sent, ok && kernel
}

func (c *leanClient) stampsSends() bool {
	for _, t := range c.sockets() {
		if t.tx.stamping() {
			return true
		}
	}
	return false
}

// confirmSends reads the kernel's transmit stamps of the client's sockets.
func (c *leanClient) confirmSends() {
	for _, t := range c.sockets() {
		t.tx.drain(t.confirmSend)
	}
}

// isRTP tells RTP from RTCP, STUN and DTLS: version 2, and a payload type
// byte outside RTCP's 192..223 (RFC 5761).
func isRTP(b []byte) bool {
	return len(b) >= 12 && b[0]>>6 == 2 && (b[1] < 192 || b[1] > 223)
}

func (t *tapConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := t.ReadFromAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(addr), nil
}

// countRTP records an SRTP packet and reports true; anything else is left
// to Pion.
func (c *leanClient) countRTP(b []byte, now time.Time) bool {
	if !isRTP(b) {
		return false
	}
	audio, seq := rtpKey(b)
	ts := binary.BigEndian.Uint32(b[4:])
	ssrc := binary.BigEndian.Uint32(b[8:])
	st, rate := &c.video, uint32(90000)
	if audio {
		st, rate = &c.audio, 48000
	}
	c.mu.Lock()
	seqs := c.tapped[ssrc]
	if seqs == nil {
		seqs = &sfutest.SeqTracker{}
		c.tapped[ssrc] = seqs
	}
	fresh := seqs.Add(seq)
	c.mu.Unlock()
	st.packets.Add(1)
	if fresh {
		st.latency.add(rtpDelay(c.epoch, rate, ts, now))
		if p := c.partner.Load(); p != nil {
			if sent, ok := p.departure(b, audio, seq, c.epoch); ok {
				st.transit.add(float64(now.Sub(sent).Microseconds()) / 1000)
			}
		}
	}
	return true
}
