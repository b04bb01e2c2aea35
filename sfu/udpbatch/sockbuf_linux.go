package udpbatch

import (
	"net"
	"syscall"
)

// SetBuffers asks for the buffer sizes, first with the *FORCE options
// (which pass net.core.rmem_max when running with CAP_NET_ADMIN), then the
// normal ones, and returns what the kernel granted. Linux reports twice the
// usable size; the value is halved so it compares with what was asked.
func SetBuffers(c *net.UDPConn, rcv, snd int) (gotRcv, gotSnd int, err error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, 0, err
	}
	ctlErr := raw.Control(func(fd uintptr) {
		if rcv > 0 {
			if syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, rcv) != nil {
				_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcv)
			}
		}
		if snd > 0 {
			if syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, snd) != nil {
				_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, snd)
			}
		}
		var e error
		if gotRcv, e = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF); e != nil {
			err = e
		}
		if gotSnd, e = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF); e != nil {
			err = e
		}
	})
	if ctlErr != nil {
		return 0, 0, ctlErr
	}
	return gotRcv / 2, gotSnd / 2, err
}
