package sfutest

import (
	"bytes"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
)

func TestVP8PacketizerRoundTrip(t *testing.T) {
	var p vp8Packetizer
	src := &SyntheticVP8{Size: 3000}
	for i, size := range []int{3000, 1, 1196, 1197, 2392} {
		src.Size = size
		frame, key := src.Next(false)
		var got []byte
		parts := 0
		err := p.packetize(videoMTU, frame, func(payload []byte, last bool) error {
			if len(payload) > videoMTU {
				t.Errorf("payload of %d bytes exceeds the MTU", len(payload))
			}
			var d codecs.VP8Packet
			body, err := d.Unmarshal(payload)
			if err != nil {
				t.Fatalf("frame %d: depacketize: %v", i, err)
			}
			if d.PictureID != uint16(i) || (d.S == 1) != (parts == 0) {
				t.Errorf("frame %d part %d: picture id %d, S %d", i, parts, d.PictureID, d.S)
			}
			if parts == 0 && IsVP8Keyframe(payload) != key {
				t.Errorf("frame %d: keyframe detection %v, want %v", i, !key, key)
			}
			got = append(got, body...)
			parts++
			if last != (len(got) == len(frame)) {
				t.Errorf("frame %d: last=%v after %d of %d bytes", i, last, len(got), len(frame))
			}
			return nil
		})
		if err != nil || !bytes.Equal(got, frame) {
			t.Errorf("frame %d of %d bytes: reassembled %d bytes, err %v", i, size, len(got), err)
		}
		if parts != VP8Packets(len(frame)) {
			t.Errorf("frame %d of %d bytes: %d packets, VP8Packets says %d", i, len(frame), parts, VP8Packets(len(frame)))
		}
	}
}

func TestCountRTPTakesOnlyMedia(t *testing.T) {
	c := &Client{cfg: ClientConfig{Epoch: time.Now()}, trackers: map[string]*seqTracker{},
		tapped: map[uint32]*seqTracker{}}
	now := time.Now()
	pkt := func(pt uint8, seq uint16, ssrc uint32) []byte {
		b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq,
			SSRC: ssrc, Marker: true}, Payload: []byte{1, 2, 3}}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sr, _ := (&rtcp.SenderReport{SSRC: 7}).Marshal()
	stun := []byte{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	dtls := []byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for _, b := range [][]byte{sr, stun, dtls} {
		if c.countRTP(b, now) {
			t.Errorf("countRTP took % x, which Pion must see", b[:4])
		}
	}
	for _, b := range [][]byte{pkt(96, 1, 5), pkt(96, 3, 5), pkt(96, 3, 5), pkt(opusPT, 9, 6)} {
		if !c.countRTP(b, now) {
			t.Errorf("countRTP left RTP % x to Pion", b[:4])
		}
	}
	if v, a := c.Video.Packets.Load(), c.Audio.Packets.Load(); v != 3 || a != 1 {
		t.Errorf("video %d audio %d packets, want 3 and 1", v, a)
	}
	if exp, got := c.Loss(); exp != 4 || got != 3 {
		t.Errorf("expected %d received %d, want 4 and 3 (seq 2 missing, 3 twice)", exp, got)
	}
	if n := len(c.Video.TakeLatencies()); n != 2 {
		t.Errorf("%d video latency samples, want 2 (duplicates not counted)", n)
	}
}

func TestPacedMediaKeepsRateAndSkipsStalls(t *testing.T) {
	c := &Client{cfg: ClientConfig{FPS: 30, Epoch: time.Now(), Video: &SyntheticVP8{Size: 100}}}
	vt, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "v", "s")
	if err != nil {
		t.Fatal(err)
	}
	at, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "a", "s")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	m := &pacedMedia{video: c.newVideoSender(vt, c.cfg.Video), audio: c.newAudioSender(at), vDue: start, aDue: start}
	// One second in pacer ticks: 30 frames (one packet each) and 50 audio packets.
	for now := start; now.Before(start.Add(time.Second)); now = now.Add(pacerTick) {
		if err := m.step(now); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.SentPackets.Load(); n < 78 || n > 82 {
		t.Errorf("sent %d packets in a second, want about 80", n)
	}
	// After a one-second stall it catches up with a few audio packets and
	// one frame, not with a second's worth.
	c.SentPackets.Store(0)
	if err := m.step(start.Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := c.SentPackets.Load(); n > 7 {
		t.Errorf("sent %d packets after a stall, want a handful", n)
	}
}

func TestTransitFromPartnersSendLog(t *testing.T) {
	epoch := time.Now()
	sender := &Client{cfg: ClientConfig{Epoch: epoch}}
	recv := &Client{cfg: ClientConfig{Epoch: epoch}, trackers: map[string]*seqTracker{}, tapped: map[uint32]*seqTracker{}}
	recv.SetPartner(sender)
	sent := epoch.Add(time.Second)
	sender.sends.record(false, 70, sent, epoch)
	sender.sends.record(true, 70, sent.Add(time.Millisecond), epoch)
	sender.sends.record(false, 70+sendLogSlots, sent, epoch) // overwrites slot 70 with another seq
	sender.sends.record(false, 71, sent, epoch)
	pkt := func(pt uint8, seq uint16) []byte {
		b, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, SSRC: uint32(pt)},
			Payload: []byte{1}}).Marshal()
		return b
	}
	recv.countRTP(pkt(96, 70), sent.Add(3*time.Millisecond))     // slot now holds another seq: no sample
	recv.countRTP(pkt(96, 71), sent.Add(2*time.Millisecond))     // 2 ms
	recv.countRTP(pkt(opusPT, 70), sent.Add(5*time.Millisecond)) // audio sent 1 ms later: 4 ms
	if got := recv.Video.TakeTransits(); len(got) != 1 || got[0] != 2 {
		t.Errorf("video transits %v, want [2]", got)
	}
	if got := recv.Audio.TakeTransits(); len(got) != 1 || got[0] != 4 {
		t.Errorf("audio transits %v, want [4]", got)
	}
}
