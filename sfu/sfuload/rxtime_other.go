//go:build !linux

package sfuload

import (
	"net"
	"net/netip"
	"time"
)

// rxClock stamps datagrams when they are read; only Linux has the kernel
// timestamps that rxtime_linux.go uses.
type rxClock struct{}

func (r *rxClock) enable(*net.UDPConn) {}

func (r *rxClock) read(c *net.UDPConn, b []byte) (int, netip.AddrPort, time.Time, error) {
	n, addr, err := c.ReadFromUDPAddrPort(b)
	return n, addr, time.Now(), err
}

// arrivalTime is now: no kernel stamps here.
func arrivalTime([]byte) time.Time { return time.Now() }

// Poll mode (tapdrain.go) is Linux only: ICE's reader keeps the socket.
const (
	pollable    = false
	msgDontWait = 0
)
