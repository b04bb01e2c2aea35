package sfutest

import (
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// FrameSender sends one track's media a frame at a time, every Interval:
// the client's camera and microphone as a Stack publishes them.
type FrameSender interface {
	Interval() time.Duration
	// Send packetizes and writes the next frame, stamped now.
	Send() error
}

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

func (v *videoSender) Interval() time.Duration { return v.every }

// Send sends the next frame, a keyframe if one was requested.
func (v *videoSender) Send() error {
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

func (a *audioSender) Interval() time.Duration { return a.every }

func (a *audioSender) Send() error {
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

// sendEvery sends frames from the sender made by newSender once the
// connection is up, until the client closes or a write fails.
func (c *Client) sendEvery(newSender func() FrameSender) {
	defer c.wg.Done()
	if !c.waitConnected() {
		return
	}
	s := newSender()
	tick := time.NewTicker(s.Interval())
	defer tick.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-tick.C:
		}
		if s.Send() != nil {
			return
		}
	}
}

func (c *Client) sendVideo(t *webrtc.TrackLocalStaticRTP, src VideoSource) {
	c.sendEvery(func() FrameSender { return c.newVideoSender(t, src) })
}

func (c *Client) sendAudio(t *webrtc.TrackLocalStaticRTP) {
	c.sendEvery(func() FrameSender { return c.newAudioSender(t) })
}
