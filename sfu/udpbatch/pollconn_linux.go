package udpbatch

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// pollConn is the ICE UDP socket taken away from Go's network poller, so
// that it can be read on a clock (see Conn) instead of on every
// arrival.
//
// A socket in the poller is edge-triggered in epoll: every datagram that
// arrives wakes the thread waiting in epoll_wait, whether or not a
// goroutine waits for that socket. Under load that was one thread wake-up
// per datagram (the sender's system call pays for it), and each wake-up
// left the SFU's goroutines waiting for a thread the kernel had placed
// elsewhere. Out of the poller, the socket wakes nobody; the reader
// collects what has queued once per read interval, and only an idle
// socket is waited for, in poll(2).
type pollConn struct {
	fd    int
	laddr *net.UDPAddr

	// mu is read-held around every system call on fd and write-held by
	// Close, so fd is never closed (and reused) under a call.
	mu     sync.RWMutex
	closed atomic.Bool
}

// idleWait bounds one wait in poll(2), so that a reader notices Close even
// if the wake-up from shutdown(2) were lost.
const idleWait = time.Second

// detachUDP moves c's socket out of Go's network poller: it keeps a
// duplicate of the descriptor and closes c, which unregisters c's own.
// The duplicate keeps the socket's options (buffers, non-blocking mode).
func detachUDP(c *net.UDPConn) (*pollConn, error) {
	laddr, ok := c.LocalAddr().(*net.UDPAddr)
	if !ok {
		return nil, fmt.Errorf("detach UDP socket: local address %T", c.LocalAddr())
	}
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("detach UDP socket: %w", err)
	}
	fd := -1
	var dupErr error
	if err := raw.Control(func(s uintptr) { fd, dupErr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil {
		return nil, fmt.Errorf("detach UDP socket: %w", err)
	}
	if dupErr != nil {
		return nil, fmt.Errorf("detach UDP socket: dup: %w", dupErr)
	}
	if err := c.Close(); err != nil {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("detach UDP socket: %w", err)
	}
	return &pollConn{fd: fd, laddr: laddr}, nil
}

// SyscallConn gives x/net's batch I/O the descriptor (see pollRaw).
func (p *pollConn) SyscallConn() (syscall.RawConn, error) { return pollRaw{p}, nil }

// waitFor blocks in poll(2) until fd is ready for events, at most idleWait.
func (p *pollConn) waitFor(events int16) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed.Load() {
		return net.ErrClosed
	}
	fds := []unix.PollFd{{Fd: int32(p.fd), Events: events}}
	if _, err := unix.Poll(fds, int(idleWait/time.Millisecond)); err != nil && !errors.Is(err, unix.EINTR) {
		return fmt.Errorf("poll: %w", err)
	}
	if p.closed.Load() {
		return net.ErrClosed
	}
	return nil
}

// WaitReadable blocks until a datagram is queued (or about a second has
// passed, or the socket is closed).
func (p *pollConn) WaitReadable() error { return p.waitFor(unix.POLLIN) }

// Close wakes a reader waiting in poll(2) (shutdown reports ENOTCONN on an
// unconnected UDP socket but wakes its waiters all the same), waits for
// system calls in progress, then closes the descriptor.
func (p *pollConn) Close() error {
	if p.closed.Swap(true) {
		return net.ErrClosed
	}
	_ = unix.Shutdown(p.fd, unix.SHUT_RDWR)
	p.mu.Lock()
	defer p.mu.Unlock()
	return unix.Close(p.fd)
}

func (p *pollConn) LocalAddr() net.Addr  { return p.laddr }
func (p *pollConn) RemoteAddr() net.Addr { return nil }

// ReadFrom reads one datagram, waiting for it if need be.
func (p *pollConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, _, _, addr, err := p.ReadMsgUDP(b, nil)
	if err != nil {
		return n, nil, err
	}
	return n, addr, nil
}

// ReadMsgUDP reads one datagram, waiting for it if need be. x/net looks for
// this method to recognise a UDP socket.
func (p *pollConn) ReadMsgUDP(b, oob []byte) (n, oobn, flags int, addr *net.UDPAddr, err error) {
	var from unix.Sockaddr
	err = p.do(unix.POLLIN, func(fd int) error {
		var e error
		n, oobn, flags, from, e = unix.Recvmsg(fd, b, oob, 0)
		return e
	})
	if err != nil {
		return 0, 0, 0, nil, &net.OpError{Op: "read", Net: "udp", Addr: p.laddr, Err: err}
	}
	return n, oobn, flags, udpAddrOf(from), nil
}

// WriteTo sends one datagram.
func (p *pollConn) WriteTo(b []byte, to net.Addr) (int, error) {
	ua, ok := to.(*net.UDPAddr)
	if !ok {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: to, Err: errors.New("not a UDP address")}
	}
	sa, err := sockaddrOf(ua)
	if err != nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: to, Err: err}
	}
	err = p.do(unix.POLLOUT, func(fd int) error { return unix.Sendto(fd, b, 0, sa) })
	if err != nil {
		return 0, &net.OpError{Op: "write", Net: "udp", Addr: to, Err: err}
	}
	return len(b), nil
}

// Read and Write are net.Conn's, which x/net requires; the socket is not
// connected, so only Read is of use.
func (p *pollConn) Read(b []byte) (int, error) {
	n, _, err := p.ReadFrom(b)
	return n, err
}

func (p *pollConn) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "udp", Addr: p.laddr, Err: unix.EDESTADDRREQ}
}

// Deadlines are not supported: reads and writes are never left blocked
// (see Conn), and closing wakes a waiting reader.
var errNoDeadlines = errors.New("udpbatch: the ICE socket has no deadlines")

func (p *pollConn) SetDeadline(time.Time) error      { return errNoDeadlines }
func (p *pollConn) SetReadDeadline(time.Time) error  { return errNoDeadlines }
func (p *pollConn) SetWriteDeadline(time.Time) error { return errNoDeadlines }

// do runs op on fd until it does not report EAGAIN, waiting in poll(2) for
// events in between.
func (p *pollConn) do(events int16, op func(fd int) error) error {
	for {
		p.mu.RLock()
		if p.closed.Load() {
			p.mu.RUnlock()
			return net.ErrClosed
		}
		err := op(p.fd)
		p.mu.RUnlock()
		if !errors.Is(err, unix.EAGAIN) {
			return err
		}
		if err := p.waitFor(events); err != nil {
			return err
		}
	}
}

// pollRaw is the syscall.RawConn of a pollConn. x/net's recvmmsg and
// sendmmsg run through it: the callback reports false when the call would
// block (EAGAIN without MSG_DONTWAIT), and then it waits in poll(2).
type pollRaw struct{ p *pollConn }

func (r pollRaw) Control(f func(fd uintptr)) error {
	return r.p.do(0, func(fd int) error { f(uintptr(fd)); return nil })
}

func (r pollRaw) Read(f func(fd uintptr) bool) error  { return r.io(unix.POLLIN, f) }
func (r pollRaw) Write(f func(fd uintptr) bool) error { return r.io(unix.POLLOUT, f) }

func (r pollRaw) io(events int16, f func(fd uintptr) bool) error {
	return r.p.do(events, func(fd int) error {
		if !f(uintptr(fd)) {
			return unix.EAGAIN
		}
		return nil
	})
}

func udpAddrOf(sa unix.Sockaddr) *net.UDPAddr {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.UDPAddr{IP: a.Addr[:], Port: a.Port}
	case *unix.SockaddrInet6:
		return &net.UDPAddr{IP: a.Addr[:], Port: a.Port}
	}
	return nil
}

func sockaddrOf(a *net.UDPAddr) (unix.Sockaddr, error) {
	if ip4 := a.IP.To4(); ip4 != nil {
		sa := &unix.SockaddrInet4{Port: a.Port}
		copy(sa.Addr[:], ip4)
		return sa, nil
	}
	if ip6 := a.IP.To16(); ip6 != nil {
		sa := &unix.SockaddrInet6{Port: a.Port}
		copy(sa.Addr[:], ip6)
		return sa, nil
	}
	return nil, fmt.Errorf("address %s: %w", a, unix.EAFNOSUPPORT)
}

// dontWait makes a read return EAGAIN instead of waiting for data.
const dontWait = unix.MSG_DONTWAIT
