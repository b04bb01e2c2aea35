package sfuload

import (
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// txClock takes sent datagrams' departure times from the kernel: software
// transmit timestamps (SO_TIMESTAMPING), queued on the socket's error queue
// with the start of the packet, which names the RTP packet. Only every
// txSampleEvery-th RTP packet of a stream asks for one (sendBatch adds the
// request to it): a stamp for each would cost the generator about 0.12
// cores at 100 sessions, which it does not have.
//
// The time taken before the send call is not good enough under load. The
// generator runs below the SFU (SCHED_IDLE), and the first datagram of a
// batch wakes an SFU thread, which takes the CPU at the kernel's next
// preemption point, often inside that very sendmmsg: the rest of the batch
// waits, unsent, until the generator runs again. At 100 sessions 1 % of
// the datagrams were in batches whose send call took over 15 ms; counted
// from before the call, that time was charged to the SFU.
type txClock struct {
	mu      sync.Mutex // one drain of the error queue at a time
	on      atomic.Bool
	pending atomic.Int64 // stamps asked for and not read yet
	raw     syscall.RawConn
	hdrs    []unix.Mmsghdr
	iovs    []unix.Iovec
	bufs    [][]byte
	oobs    [][]byte
}

const (
	txBatch = 32
	// txHead is what the error queue returns of each packet: link-layer,
	// IP and UDP headers and the RTP header are enough.
	txHead = 128
	// optRxFilter (SOF_TIMESTAMPING_OPT_RX_FILTER, Linux 6.12) keeps
	// received datagrams to the one receive stamp rxClock asked for.
	optRxFilter = 0x20000
)

// enable turns transmit stamps on; without kernel support sends keep the
// time taken before the call.
func (x *txClock) enable(c *net.UDPConn) {
	raw, err := c.SyscallConn()
	if err != nil {
		return
	}
	// Reporting only: sendBatch asks for a stamp per sampled packet.
	flags := unix.SOF_TIMESTAMPING_SOFTWARE | optRxFilter
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPING, flags)
	}); err != nil || serr != nil {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.raw = raw
	x.hdrs, x.iovs = make([]unix.Mmsghdr, txBatch), make([]unix.Iovec, txBatch)
	x.bufs, x.oobs = make([][]byte, txBatch), make([][]byte, txBatch)
	for i := range x.hdrs {
		x.bufs[i], x.oobs[i] = make([]byte, txHead), make([]byte, 256)
	}
	x.on.Store(true)
}

// txRequest is the control message that asks for one packet's transmit
// stamp.
var txRequest = func() []byte {
	b := make([]byte, unix.CmsgSpace(4))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = unix.SOL_SOCKET, unix.SO_TIMESTAMPING
	h.SetLen(unix.CmsgLen(4))
	binary.NativeEndian.PutUint32(b[unix.CmsgLen(0):], unix.SOF_TIMESTAMPING_TX_SOFTWARE)
	return b
}()

// request returns the control message for a datagram: a stamp request for
// sampled RTP packets while stamps are on, else nothing.
func (x *txClock) request(b []byte) []byte {
	if x.on.Load() && sampled(b) {
		return txRequest
	}
	return nil
}

// stamping reports whether transmit stamps are on.
func (x *txClock) stamping() bool { return x.on.Load() }

// asked counts sent datagrams that carried a stamp request.
func (x *txClock) asked(n int) { x.pending.Add(int64(n)) }

// drain reads the error queue, if stamps are due, and calls stamp for each
// RTP packet found with the kernel's departure time. Checking an empty
// queue on every drain would cost a system call per client 50 times a
// second; on loopback a stamp is queued before the send call returns, so
// an empty queue with stamps due means they were lost (a full queue).
func (x *txClock) drain(stamp func(rtpHead []byte, at time.Time)) {
	if !x.on.Load() || x.pending.Load() <= 0 {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for {
		for i := range x.hdrs {
			x.iovs[i] = unix.Iovec{Base: &x.bufs[i][0]}
			x.iovs[i].SetLen(txHead)
			h := &x.hdrs[i].Hdr
			*h = unix.Msghdr{Iov: &x.iovs[i], Iovlen: 1, Control: &x.oobs[i][0]}
			h.SetControllen(len(x.oobs[i]))
		}
		n := 0
		var errno syscall.Errno
		// Control, not Read: the error queue is not what Go's poller
		// waits for, and a read would be refused while it reports only
		// an error event.
		if err := x.raw.Control(func(fd uintptr) {
			r, _, e := syscall.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&x.hdrs[0])),
				uintptr(len(x.hdrs)), unix.MSG_ERRQUEUE|unix.MSG_DONTWAIT, 0, 0)
			n, errno = int(r), e
		}); err != nil || errno != 0 {
			if errno == syscall.EAGAIN {
				x.pending.Store(0)
			}
			return
		}
		x.pending.Add(-int64(n))
		for i := range n {
			h := &x.hdrs[i]
			at, ok := txStamp(x.oobs[i][:h.Hdr.Controllen])
			if rtp := udpPayload(x.bufs[i][:min(int(h.Len), txHead)]); ok && rtp != nil {
				stamp(rtp, at)
			}
		}
		if n < len(x.hdrs) {
			return
		}
	}
}

// txStamp finds the software stamp of an error queue message.
func txStamp(oob []byte) (time.Time, bool) {
	data := socketStamp(oob, unix.SCM_TIMESTAMPING, int(unsafe.Sizeof(unix.ScmTimestamping{})))
	if data == nil {
		return time.Time{}, false
	}
	ts := (*unix.ScmTimestamping)(unsafe.Pointer(&data[0]))
	if ts.Ts[0].Sec == 0 && ts.Ts[0].Nsec == 0 {
		return time.Time{}, false
	}
	return time.Unix(ts.Ts[0].Unix()), true
}

// udpPayload finds the UDP payload in a packet as the error queue returns
// it: with or without an Ethernet header (loopback has one), IPv4 or IPv6.
func udpPayload(b []byte) []byte {
	ip := b
	if len(b) >= 14 && (binary.BigEndian.Uint16(b[12:]) == 0x0800 || binary.BigEndian.Uint16(b[12:]) == 0x86dd) &&
		b[0]>>4 != 4 && b[0]>>4 != 6 {
		ip = b[14:]
	}
	switch {
	case len(ip) >= 20 && ip[0]>>4 == 4 && ip[9] == syscall.IPPROTO_UDP:
		if off := int(ip[0]&0x0f)*4 + 8; len(ip) >= off {
			return ip[off:]
		}
	case len(ip) >= 48 && ip[0]>>4 == 6 && ip[6] == syscall.IPPROTO_UDP:
		return ip[48:]
	}
	return nil
}
