package sfu

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
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
	return &upTrack{owner: p.ss, pc: p.pc, remote: remote, local: local, source: source,
		kfMin: p.ss.s.cfg.KeyframeMinInterval}, nil
}

// forward copies packets from the publisher to all subscribers until the
// publisher's track ends.
func (t *upTrack) forward() {
	buf := make([]byte, 1500)
	var pkt rtp.Packet
	// Counted locally and added in steps: one shared counter written by
	// every forwarding goroutine for every packet would bounce between CPUs.
	var count uint64
	defer func() { t.owner.s.forwarded.Add(count) }()
	for {
		n, _, err := t.remote.Read(buf)
		if err != nil {
			return
		}
		t0 := traceForward(buf[:n])
		if err := pkt.Unmarshal(buf[:n]); err != nil || len(pkt.Payload) == 0 {
			continue // padding-only probes carry nothing to forward
		}
		// Extension ids are negotiated per PeerConnection; the publisher's
		// would mean something else (or nothing) to a subscriber.
		pkt.Header.Extension = false
		pkt.Header.Extensions = pkt.Header.Extensions[:0]
		pkt.Header.ExtensionProfile = 0
		_ = t.local.WriteRTP(&pkt) // fails only for subscribers going away
		traceForwarded(t0)
		if count++; count == 64 {
			t.owner.s.forwarded.Add(count)
			count = 0
		}
	}
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
