package sfuload

import (
	"net"
	"net/netip"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rxClock takes each datagram's arrival time from the kernel
// (SO_TIMESTAMPNS) rather than from when the reading goroutine got to it,
// so that latency figures do not include the load generator's own
// scheduling delays. The kernel stamps with the wall clock; mediaClock
// compares it with the sender's stamp through the shared epoch.
type rxClock struct {
	on  bool
	oob [64]byte
}

func (r *rxClock) enable(c *net.UDPConn) {
	raw, err := c.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Control(func(fd uintptr) {
		r.on = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1) == nil
	})
}

// read reads one datagram and its arrival time (now if the kernel gave none).
func (r *rxClock) read(c *net.UDPConn, b []byte) (int, netip.AddrPort, time.Time, error) {
	if !r.on {
		n, addr, err := c.ReadFromUDPAddrPort(b)
		return n, addr, time.Now(), err
	}
	n, oobn, _, addr, err := c.ReadMsgUDPAddrPort(b, r.oob[:])
	if err != nil {
		return n, addr, time.Time{}, err
	}
	return n, addr, arrivalTime(r.oob[:oobn]), nil
}

// Poll mode (tapdrain.go) reads the socket without waiting.
const (
	pollable    = true
	msgDontWait = syscall.MSG_DONTWAIT
)

// arrivalTime reads the kernel's receive stamp from a datagram's control
// messages (now if there is none).
func arrivalTime(oob []byte) time.Time {
	if data := socketStamp(oob, syscall.SCM_TIMESTAMPNS, int(unsafe.Sizeof(syscall.Timespec{}))); data != nil {
		ts := (*syscall.Timespec)(unsafe.Pointer(&data[0]))
		return time.Unix(ts.Unix())
	}
	return time.Now()
}

// socketStamp returns the data of the first SOL_SOCKET control message of
// type typ with at least size bytes (receive and transmit stamps), or nil.
// It parses one message at a time: parsing them all would allocate per
// datagram.
func socketStamp(oob []byte, typ int32, size int) []byte {
	for len(oob) > 0 {
		h, data, rest, err := unix.ParseOneSocketControlMessage(oob)
		if err != nil {
			return nil
		}
		if h.Level == syscall.SOL_SOCKET && h.Type == typ && len(data) >= size {
			return data
		}
		oob = rest
	}
	return nil
}
