package sfutest

import (
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// videoSender packetizes one video track's frames; used by one goroutine.
type videoSender struct {
	c     *Client
	t     *webrtc.TrackLocalStaticRTP
	src   VideoSource
	every time.Duration
	clock mediaClock
	pay   vp8Packetizer
	pkt   rtp.Packet
	seq   uint16
}

func (c *Client) newVideoSender(t *webrtc.TrackLocalStaticRTP, src VideoSource) *videoSender {
	return &videoSender{c: c, t: t, src: src, every: time.Second / time.Duration(c.cfg.FPS),
		clock: mediaClock{epoch: c.cfg.Epoch, rate: 90000}}
}

// send sends the next frame, stamped now.
func (v *videoSender) send() error {
	frame, _ := v.src.Next(v.c.forceKey.Swap(false))
	ts := v.clock.stamp(time.Now())
	return v.pay.packetize(videoMTU, frame, func(p []byte, last bool) error {
		v.pkt.Header = rtp.Header{Version: 2, Marker: last, SequenceNumber: v.seq, Timestamp: ts}
		v.pkt.Payload = p
		v.seq++
		if err := v.t.WriteRTP(&v.pkt); err != nil {
			return err
		}
		v.c.SentPackets.Add(1)
		return nil
	})
}

// audioSender sends 20 ms Opus frames of silence; used by one goroutine.
type audioSender struct {
	c     *Client
	t     *webrtc.TrackLocalStaticRTP
	every time.Duration
	clock mediaClock
	pkt   rtp.Packet
	seq   uint16
}

func (c *Client) newAudioSender(t *webrtc.TrackLocalStaticRTP) *audioSender {
	return &audioSender{c: c, t: t, every: AudioFrame,
		clock: mediaClock{epoch: c.cfg.Epoch, rate: 48000}}
}

func (a *audioSender) send() error {
	a.pkt.Header = rtp.Header{Version: 2, Marker: a.seq == 0, SequenceNumber: a.seq,
		Timestamp: a.clock.stamp(time.Now())}
	a.pkt.Payload = opusSilence()
	a.seq++
	if err := a.t.WriteRTP(&a.pkt); err != nil {
		return err
	}
	a.c.SentPackets.Add(1)
	return nil
}

// pacerTick is the shared clock's resolution. Frames go out up to one tick
// late (their timestamps are taken when they are sent, so latency figures
// are unaffected); a browser's pacer adds similar jitter. The shards tick
// out of phase: clients on separate machines are not in step, and a
// generator whose clients all send in the same instant measures the SFU
// under bursts no real audience produces (at 100 sessions, one burst of
// about 230 packets every tick instead of two of half the size).
const pacerTick = 5 * time.Millisecond

// Pacer drives the senders of many clients from a few goroutines on one
// clock. With a ticker per track, hundreds of load clients cost tens of
// thousands of timer wake-ups per second, which a load generator sharing
// the machine with the SFU under test should not spend.
type Pacer struct {
	shards []*pacerShard
	mu     sync.Mutex
	next   int
	wg     sync.WaitGroup
	stop   chan struct{}
}

type pacerShard struct {
	mu     sync.Mutex
	jobs   map[*Client]*pacedMedia
	rounds int
}

// drainEvery is how many rounds pass between drains of the clients'
// sockets (see drained): 20 ms, a few datagrams per client and system call.
const drainEvery = 4

// pacedMedia is one client's camera and microphone with their due times.
type pacedMedia struct {
	video      *videoSender
	audio      *audioSender
	vDue, aDue time.Time
}

// NewPacer starts a pacer with the given number of goroutines (at least 1).
func NewPacer(goroutines int) *Pacer {
	p := &Pacer{stop: make(chan struct{})}
	n := max(goroutines, 1)
	for i := range n {
		sh := &pacerShard{jobs: map[*Client]*pacedMedia{}}
		p.shards = append(p.shards, sh)
		p.wg.Add(1)
		go p.run(sh, time.Duration(i)*pacerTick/time.Duration(n))
	}
	return p
}

// Close stops the pacer; clients still using it stop sending.
func (p *Pacer) Close() {
	close(p.stop)
	p.wg.Wait()
}

func (p *Pacer) run(sh *pacerShard, phase time.Duration) {
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
	if !now.Before(m.vDue) {
		if err := m.video.send(); err != nil {
			return err
		}
		m.vDue = m.vDue.Add(m.video.every)
		if now.Sub(m.vDue) > m.video.every {
			m.vDue = now.Add(m.video.every)
		}
	}
	for !now.Before(m.aDue) {
		if err := m.audio.send(); err != nil {
			return err
		}
		m.aDue = m.aDue.Add(m.audio.every)
		if now.Sub(m.aDue) > 5*m.audio.every {
			m.aDue = now.Add(m.audio.every)
		}
	}
	return nil
}

func (sh *pacerShard) remove(c *Client) {
	sh.mu.Lock()
	delete(sh.jobs, c)
	sh.mu.Unlock()
}

// pace hands the client's media to the pacer once connected and takes it
// back when the client shuts down.
func (c *Client) pace(video, audio *webrtc.TrackLocalStaticRTP) {
	defer c.wg.Done()
	if !c.waitConnected() {
		return
	}
	p := c.cfg.Pacer
	p.mu.Lock()
	sh := p.shards[p.next%len(p.shards)]
	p.next++
	p.mu.Unlock()
	now := time.Now()
	m := &pacedMedia{video: c.newVideoSender(video, c.cfg.Video), audio: c.newAudioSender(audio),
		vDue: now, aDue: now}
	sh.mu.Lock()
	sh.jobs[c] = m
	sh.mu.Unlock()
	c.pollMode()
	select {
	case <-c.ctx.Done():
	case <-p.stop:
	}
	sh.remove(c)
}
