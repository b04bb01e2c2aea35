package sfuload

import (
	"context"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
)

// pacerTick is the shared clock's resolution. Frames go out up to one tick
// late (their timestamps are taken when they are sent, so latency figures
// are unaffected); a browser's pacer adds similar jitter. The shards tick
// out of phase: clients on separate machines are not in step, and a
// generator whose clients all send in the same instant measures the SFU
// under bursts no real audience produces (at 100 sessions, one burst of
// about 230 packets every tick instead of two of half the size).
const pacerTick = 5 * time.Millisecond

// pacer drives the senders of many clients from a few goroutines on one
// clock. With a ticker per track, hundreds of load clients cost tens of
// thousands of timer wake-ups per second, which a load generator sharing
// the machine with the SFU under test should not spend.
type pacer struct {
	shards []*pacerShard
	mu     sync.Mutex
	next   int
	wg     sync.WaitGroup
	stop   chan struct{}
}

type pacerShard struct {
	mu     sync.Mutex
	jobs   map[*leanClient]*pacedMedia
	rounds int
}

// drainEvery is how many rounds pass between drains of the clients'
// sockets (see drained): 20 ms, a few datagrams per client and system call.
const drainEvery = 4

// pacedMedia is one client's camera and microphone with their due times.
type pacedMedia struct {
	video, audio sfutest.FrameSender
	vDue, aDue   time.Time
}

// newPacer starts a pacer with the given number of goroutines (at least 1).
func newPacer(goroutines int) *pacer {
	p := &pacer{stop: make(chan struct{})}
	n := max(goroutines, 1)
	for i := range n {
		sh := &pacerShard{jobs: map[*leanClient]*pacedMedia{}}
		p.shards = append(p.shards, sh)
		p.wg.Add(1)
		go p.run(sh, time.Duration(i)*pacerTick/time.Duration(n))
	}
	return p
}

// Close stops the pacer; clients still using it stop sending.
func (p *pacer) Close() {
	close(p.stop)
	p.wg.Wait()
}

func (p *pacer) run(sh *pacerShard, phase time.Duration) {
	defer p.wg.Done()
	select {
	case <-p.stop:
		return
	case <-time.After(phase):
	}
	tick := time.NewTicker(pacerTick)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		// Held for the whole round, so a client is never stepped after
		// remove returns.
		sh.mu.Lock()
		for c, m := range sh.jobs {
			c.cork()
			err := m.step(time.Now())
			c.uncork()
			if err != nil {
				delete(sh.jobs, c)
			}
		}
		if sh.rounds++; sh.rounds%drainEvery == 0 {
			for c := range sh.jobs {
				c.drain()
			}
		}
		sh.mu.Unlock()
	}
}

// step sends whatever is due. After a stall it skips ahead instead of
// bursting, as a real encoder drops frames it is late for.
func (m *pacedMedia) step(now time.Time) error {
	if every := m.video.Interval(); !now.Before(m.vDue) {
		if err := m.video.Send(); err != nil {
			return err
		}
		m.vDue = m.vDue.Add(every)
		if now.Sub(m.vDue) > every {
			m.vDue = now.Add(every)
		}
	}
	every := m.audio.Interval()
	for !now.Before(m.aDue) {
		if err := m.audio.Send(); err != nil {
			return err
		}
		m.aDue = m.aDue.Add(every)
		if now.Sub(m.aDue) > 5*every {
			m.aDue = now.Add(every)
		}
	}
	return nil
}

func (sh *pacerShard) remove(c *leanClient) {
	sh.mu.Lock()
	delete(sh.jobs, c)
	sh.mu.Unlock()
}

// Publish hands the client's media to the pacer once connected and takes
// it back when the client shuts down (sfutest.Stack).
func (c *leanClient) Publish(ctx context.Context, connected <-chan struct{}, video, audio sfutest.FrameSender) {
	select {
	case <-connected:
	case <-ctx.Done():
		return
	}
	p := c.pacer
	p.mu.Lock()
	sh := p.shards[p.next%len(p.shards)]
	p.next++
	p.mu.Unlock()
	now := time.Now()
	m := &pacedMedia{video: video, audio: audio, vDue: now, aDue: now}
	sh.mu.Lock()
	sh.jobs[c] = m
	sh.mu.Unlock()
	c.pollMode()
	select {
	case <-ctx.Done():
	case <-p.stop:
	}
	sh.remove(c)
}
