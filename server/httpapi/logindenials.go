package httpapi

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"
)

const (
	// deniedSources bounds the sources counted per minute; the rest are
	// counted together under deniedOther.
	deniedSources = 1000
	deniedOther   = "other"
	// deniedWriteTimeout bounds the audit writes of one flush.
	deniedWriteTimeout = 10 * time.Second
)

// deniedCount is one source's refused logins in one minute.
type deniedCount struct {
	source string
	minute time.Time
	count  int
}

// loginDenials counts refused (429) login attempts per source and minute
// and has them written as one audit entry per source and minute, so a
// flood leaves a trace without flooding the audit log. A timer writes each
// minute shortly after it ends; Close writes what is left.
type loginDenials struct {
	write func(ctx context.Context, d deniedCount) error
	now   func() time.Time
	log   *slog.Logger

	mu     sync.Mutex
	minute time.Time      // the minute being counted
	counts map[string]int // source -> refused attempts in minute
	done   []deniedCount  // ended minutes not yet written
	timer  *time.Timer    // pending flush; nil when nothing is counted
	closed bool
}

func newLoginDenials(now func() time.Time, log *slog.Logger, write func(context.Context, deniedCount) error) *loginDenials {
	return &loginDenials{write: write, now: now, log: log, counts: map[string]int{}}
}

// record counts one refused attempt from source (see auditSource).
func (d *loginDenials) record(source string) {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.roll(now)
	if _, ok := d.counts[source]; !ok && len(d.counts) >= deniedSources {
		source = deniedOther
	}
	d.counts[source]++
	if d.timer == nil && !d.closed {
		d.timer = time.AfterFunc(d.minute.Add(time.Minute+time.Second).Sub(now), d.flushLater)
	}
}

// roll moves the counts to done once their minute has ended. Called with
// mu held. done stays bounded: one timer flush per minute empties it.
func (d *loginDenials) roll(now time.Time) {
	minute := now.Truncate(time.Minute)
	if minute.Equal(d.minute) {
		return
	}
	if len(d.done) < 2*deniedSources {
		for src, n := range d.counts {
			d.done = append(d.done, deniedCount{source: src, minute: d.minute, count: n})
		}
	}
	clear(d.counts)
	d.minute = minute
}

// flush writes every ended minute; it returns the entries written.
func (d *loginDenials) flush(ctx context.Context) int {
	d.mu.Lock()
	d.roll(d.now())
	done := d.done
	d.done = nil
	d.mu.Unlock()
	written := 0
	for _, c := range done {
		if err := d.write(ctx, c); err != nil {
			d.log.Error("audit of refused logins failed", "minute", c.minute, "count", c.count, "err", err)
			continue
		}
		written++
	}
	return written
}

// flushLater is the timer's flush; it re-arms while a minute is counted.
func (d *loginDenials) flushLater() {
	ctx, cancel := context.WithTimeout(context.Background(), deniedWriteTimeout)
	defer cancel()
	d.flush(ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.timer = nil
	if len(d.counts) > 0 && !d.closed {
		d.timer = time.AfterFunc(d.minute.Add(time.Minute+time.Second).Sub(d.now()), d.flushLater)
	}
}

// close stops the timer and writes everything counted, the running minute
// included.
func (d *loginDenials) close(ctx context.Context) {
	d.mu.Lock()
	d.closed = true
	if d.timer != nil {
		d.timer.Stop()
	}
	d.roll(d.minute.Add(time.Minute))
	d.mu.Unlock()
	d.flush(ctx)
}

// clientKey is the source a limit or an audit entry is kept for: the
// IPv4 address, or the /64 network of an IPv6 address, since one IPv6
// client usually holds a whole /64 and could otherwise pick a fresh
// address for every request.
func clientKey(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil || addr.To4() != nil {
		return ip
	}
	return (&net.IPNet{IP: addr.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// auditSource is the network a refused login is audited under: the /24
// of an IPv4 address, the /48 of an IPv6 address. Enough to see where a
// flood comes from and to block it, without keeping a person's address in
// a log that is never deleted.
func auditSource(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil {
		return deniedOther
	}
	bits, size := 48, 128
	if v4 := addr.To4(); v4 != nil {
		addr, bits, size = v4, 24, 32
	}
	return (&net.IPNet{IP: addr.Mask(net.CIDRMask(bits, size)), Mask: net.CIDRMask(bits, size)}).String()
}

// deniedDetail is the audit detail of a deniedCount: counts and times only.
func deniedDetail(c deniedCount) string {
	return "count=" + strconv.Itoa(c.count) + " minute=" + c.minute.UTC().Format(time.RFC3339)
}
