package server

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A netLink is a network namespace joined to the host by a wire that runs
// through this process: a TUN device on each side, and goroutines that
// carry packets between them. On the way out of the namespace the wire can
// lose and delay packets as tc netem would; a kernel without sch_netem
// (as in our CI's virtual machines) runs this as well, since a TUN pair
// needs nothing but /dev/net/tun. The wire only
// carries packets between the namespace's /24 and the test's other links,
// so nothing from the namespace reaches any other address of the machine.
type netLink struct {
	ns             string
	hostIP, nsIP   string // 10.77.<subnet>.1 on the host, .2 in the namespace
	subnet         int
	hostTun, nsTun *os.File

	carried, lost atomic.Int64 // packets the wire took, and of those lost
}

// impairment is what the wire does to packets, both ways.
type impairment struct {
	loss  float64 // share of packets dropped
	delay time.Duration
}

// newNetLink creates a namespace with a link to the host; routes lists
// further host addresses the namespace may reach (another link's host side).
// Everything is removed at cleanup. It needs root and fails without.
func newNetLink(t *testing.T, imp impairment, routes ...string) *netLink {
	t.Helper()
	for range 20 {
		l, err := tryNetLink(t, 1+rand.IntN(254), imp, routes)
		if err == nil {
			return l
		}
		if !errors.Is(err, errSubnetTaken) {
			t.Fatalf("network namespace (the test needs root and /dev/net/tun): %v", err)
		}
	}
	t.Fatal("no free 10.77.x.0/24 subnet")
	return nil
}

var errSubnetTaken = errors.New("subnet in use")

func tryNetLink(t *testing.T, subnet int, imp impairment, routes []string) (*netLink, error) {
	l := &netLink{ns: fmt.Sprintf("sst%d", subnet), subnet: subnet,
		hostIP: fmt.Sprintf("10.77.%d.1", subnet), nsIP: fmt.Sprintf("10.77.%d.2", subnet)}
	if out, _ := exec.Command("ip", "-o", "addr").Output(); strings.Contains(string(out), fmt.Sprintf(" 10.77.%d.", subnet)) {
		return nil, errSubnetTaken
	}
	if err := ipCmd("netns", "add", l.ns); err != nil {
		return nil, fmt.Errorf("%w: %w", errSubnetTaken, err) // another run's namespace
	}
	t.Cleanup(func() { _ = ipCmd("netns", "del", l.ns) })
	hostName, nsName := l.ns+"h", l.ns+"n"
	var err error
	if l.hostTun, err = openTun(hostName); err != nil {
		return nil, err
	}
	t.Cleanup(func() { l.hostTun.Close() })
	if l.nsTun, err = openTun(nsName); err != nil {
		return nil, err
	}
	t.Cleanup(func() { l.nsTun.Close() })
	cmds := [][]string{
		{"addr", "add", l.hostIP + "/24", "dev", hostName},
		{"link", "set", hostName, "up"},
		{"link", "set", nsName, "netns", l.ns},
		{"-n", l.ns, "addr", "add", l.nsIP + "/24", "dev", nsName},
		{"-n", l.ns, "link", "set", nsName, "up"},
		{"-n", l.ns, "link", "set", "lo", "up"},
	}
	for _, r := range routes {
		cmds = append(cmds, []string{"-n", l.ns, "route", "add", r + "/32", "dev", nsName})
	}
	for _, c := range cmds {
		if err := ipCmd(c...); err != nil {
			return nil, err
		}
	}
	allowed := append([]string{l.hostIP}, routes...)
	go l.carry(l.nsTun, l.hostTun, imp, allowed)
	go l.carry(l.hostTun, l.nsTun, imp, []string{l.nsIP})
	return l, nil
}

// network is the link's /24 in CIDR notation.
func (l *netLink) network() string { return fmt.Sprintf("10.77.%d.0/24", l.subnet) }

func ipCmd(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// openTun creates a TUN device (no packet information header); it goes
// away when the file is closed.
func openTun(name string) (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	return os.NewFile(uintptr(fd), name), nil // non-blocking: Close ends a pending Read
}

// carry moves IPv4 packets for the allowed destinations from one side to
// the other, losing and delaying them as imp says, until from is closed.
// Delayed packets keep their order, as on a wire.
func (l *netLink) carry(from, to *os.File, imp impairment, allowed []string) {
	dsts := make([]net.IP, len(allowed))
	for i, a := range allowed {
		dsts[i] = net.ParseIP(a).To4()
	}
	type packet struct {
		at   time.Time
		data []byte
	}
	line := make(chan packet, 8192)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for p := range line {
			time.Sleep(time.Until(p.at)) // the wire's delay itself
			_, _ = to.Write(p.data)
		}
	}()
	defer wg.Wait()
	defer close(line)
	rng := rand.New(rand.NewPCG(uint64(l.subnet), uint64(time.Now().UnixNano())))
	buf := make([]byte, 65536)
	for {
		n, err := from.Read(buf)
		if err != nil {
			return
		}
		p := buf[:n]
		if n < 20 || p[0]>>4 != 4 || !containsIP(dsts, net.IP(p[16:20])) {
			continue // not IPv4 to where the wire leads
		}
		l.carried.Add(1)
		if imp.loss > 0 && rng.Float64() < imp.loss {
			l.lost.Add(1)
			continue
		}
		select {
		case line <- packet{at: time.Now().Add(imp.delay), data: append([]byte(nil), p...)}:
		default: // the wire's queue is full: tail drop
		}
	}
}

func containsIP(list []net.IP, ip net.IP) bool {
	for _, x := range list {
		if x.Equal(ip) {
			return true
		}
	}
	return false
}

// chromiumIn writes a launcher that runs Chromium inside the namespace.
func (l *netLink) chromiumIn(t *testing.T, chromium string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chromium-"+l.ns)
	script := fmt.Sprintf("#!/bin/sh\nexec ip netns exec %s %s \"$@\"\n", l.ns, chromium)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
