//go:build !linux

package udpbatch

import (
	"errors"
	"net"
	"syscall"
)

// pollConn exists on Linux only; elsewhere the ICE socket stays in Go's
// network poller and is read on every arrival.
type pollConn struct{ net.PacketConn }

func (*pollConn) SyscallConn() (syscall.RawConn, error) { return nil, errors.ErrUnsupported }
func (*pollConn) WaitReadable() error                   { return errors.ErrUnsupported }

func detachUDP(*net.UDPConn) (*pollConn, error) { return nil, errors.ErrUnsupported }

// dontWait is unused here: without a pollConn nothing reads on a clock.
const dontWait = 0
