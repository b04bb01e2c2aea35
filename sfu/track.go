package sfu

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu/internal/stagetrace"
)

// upTrack is one published track. Its single local track is added to every
// subscriber's PeerConnection; pion fans each packet out to all bindings,
// rewriting SSRC and payload type per subscriber.
type upTrack struct {
	owner  *session
	pc     *webrtc.PeerConnection // owner's, for keyframe requests
	remote *webrtc.TrackRemote
	local  *webrtc.TrackLocalStaticRTP
	source string
	seq    uint64 // publication order, set by room

	kfMin     time.Duration
	kfMu      sync.Mutex
	kfLast    time.Time
	kfPending bool

	// Forwarding state, used by one reader at a time (see relay).
	inline  *inlineBuffer   // the track's receive buffer; nil: no hand-over
	done    <-chan struct{} // the publisher's PeerConnection is gone
	relayMu sync.Mutex
	stopped bool
	buf     []byte
	pkt     rtp.Packet
	count   uint64
}

func newUpTrack(p *peer, remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver, source string) (*upTrack, error) {
	stream := p.ss.id()
	if source == "screen" {
		stream += "~screen"
	}
	local, err := webrtc.NewTrackLocalStaticRTP(remote.Codec().RTPCodecCapability,
		p.ss.id()+"-"+remote.ID(), stream)
	if err != nil {
		return nil, err
	}
	t := &upTrack{owner: p.ss, pc: p.pc, remote: remote, local: local, source: source,
		kfMin: p.ss.s.cfg.KeyframeMinInterval, done: p.done}
	if p.bufs != nil {
		t.inline = p.bufs.buffer(uint32(remote.SSRC()))
	}
	return t, nil
}

// forward copies packets from the publisher to all subscribers until the
// publisher's track ends: in this goroutine at first, then, once Pion's
// start of the track is behind it, in the publisher's SRTP goroutine (see
// inline.go).
func (t *upTrack) forward() {
	defer func() { t.owner.s.forwarded.Add(t.count) }()
	t.buf = make([]byte, 1500)
	handover := t.inline != nil
	for read := 0; ; read++ {
		if handover && read >= handoverAfter && t.inline.Count() == 0 {
			handover = false
			// Only a buffer that carried at least what was read is the one
			// this track reads from. handOver returns false when the buffer
			// closed under a live track (Pion replaced the stream): then go
			// on reading here.
			if t.inline.writes.Load() >= uint64(read) && t.handOver() {
				return
			}
		}
		if !t.relay() {
			return
		}
	}
}

// handoverAfter is how many packets the forwarding goroutine reads itself:
// Pion returns the packets it peeked at to the first reads.
const handoverAfter = 64

// handOver lets each write into the track's buffer forward what it wrote,
// until the track ends or its PeerConnection goes (true), or its buffer
// closes under a live track (false); then reading is this goroutine's
// again.
func (t *upTrack) handOver() (ended bool) {
	finished := make(chan struct{})
	drain := func() {
		t.relayMu.Lock()
		defer t.relayMu.Unlock()
		for !t.stopped && !ended && t.inline.Count() > 0 {
			if !t.relay() {
				ended = true
				close(finished)
			}
		}
	}
	t.inline.drain.Store(&drain)
	drain() // what arrived since the last read
	select {
	case <-finished:
	case <-t.inline.closed:
	case <-t.done:
	}
	t.inline.drain.Store(nil)
	t.relayMu.Lock() // a drain under way finishes first
	t.stopped = true
	ended = ended || isDone(t.done)
	t.relayMu.Unlock()
	return ended
}

func isDone(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// relay reads one packet from the track (through the interceptors) and
// sends it to every subscriber; false when the track has ended. One caller
// at a time: the forwarding goroutine, then drains under relayMu.
func (t *upTrack) relay() bool {
	n, _, err := t.remote.Read(t.buf)
	if err != nil {
		return false
	}
	t0 := stagetrace.Forward(t.buf[:n])
	pkt := &t.pkt
	if err := pkt.Unmarshal(t.buf[:n]); err != nil || len(pkt.Payload) == 0 {
		return true // padding-only probes carry nothing to forward
	}
	// Extension ids are negotiated per PeerConnection; the publisher's
	// would mean something else (or nothing) to a subscriber.
	pkt.Header.Extension = false
	pkt.Header.Extensions = pkt.Header.Extensions[:0]
	pkt.Header.ExtensionProfile = 0
	_ = t.local.WriteRTP(pkt) // fails only for subscribers going away
	stagetrace.Forwarded(t0)
	// Counted here and added in steps: one shared counter written for
	// every packet by every track would bounce between CPUs.
	if t.count++; t.count == 64 {
		t.owner.s.forwarded.Add(t.count)
		t.count = 0
	}
	return true
}

// readRTCP drains the publisher's RTCP so the interceptors (reports, NACK
// generator, TWCC) see it.
func (t *upTrack) readRTCP(recv *webrtc.RTPReceiver) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := recv.Read(buf); err != nil {
			return
		}
	}
}

// readSenderRTCP drains a subscriber's RTCP for one forwarded track (NACKs
// are answered by the interceptor on the way) and passes keyframe requests
// on to the publisher.
func readSenderRTCP(snd *webrtc.RTPSender, t *upTrack) {
	buf := make([]byte, 1500)
	for {
		n, _, err := snd.Read(buf)
		if err != nil {
			return
		}
		if wantsKeyframe(buf[:n]) {
			t.requestKeyframe()
		}
	}
}

// wantsKeyframe scans a compound RTCP packet for PLI or FIR without
// allocating.
func wantsKeyframe(b []byte) bool {
	for len(b) >= 4 {
		fmtCount := b[0] & 0x1f
		pt := rtcp.PacketType(b[1])
		size := (int(binary.BigEndian.Uint16(b[2:4])) + 1) * 4
		if pt == rtcp.TypePayloadSpecificFeedback && (fmtCount == rtcp.FormatPLI || fmtCount == rtcp.FormatFIR) {
			return true
		}
		if size > len(b) {
			return false
		}
		b = b[size:]
	}
	return false
}

// requestKeyframe sends a PLI to the publisher, at most once per kfMin; a
// request inside that interval is deferred, not dropped, so a new
// subscriber always gets its keyframe.
func (t *upTrack) requestKeyframe() {
	if t.remote.Kind() != webrtc.RTPCodecTypeVideo {
		return
	}
	t.kfMu.Lock()
	if t.kfPending {
		t.kfMu.Unlock()
		return
	}
	wait := t.kfMin - time.Since(t.kfLast)
	if wait > 0 {
		t.kfPending = true
		t.kfMu.Unlock()
		time.AfterFunc(wait, func() {
			t.kfMu.Lock()
			t.kfPending = false
			t.kfLast = time.Now()
			t.kfMu.Unlock()
			t.sendPLI()
		})
		return
	}
	t.kfLast = time.Now()
	t.kfMu.Unlock()
	t.sendPLI()
}

func (t *upTrack) sendPLI() {
	_ = t.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(t.remote.SSRC())}})
}
