package sfuload

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

func TestCountRTPTakesOnlyMedia(t *testing.T) {
	c := newLeanClient(time.Now(), nil)
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
	if v, a := c.video.packets.Load(), c.audio.packets.Load(); v != 3 || a != 1 {
		t.Errorf("video %d audio %d packets, want 3 and 1", v, a)
	}
	if exp, got := c.loss(); exp != 4 || got != 3 {
		t.Errorf("expected %d received %d, want 4 and 3 (seq 2 missing, 3 twice)", exp, got)
	}
	if n := len(c.video.latency.take()); n != 2 {
		t.Errorf("%d video latency samples, want 2 (duplicates not counted)", n)
	}
}

// countingSender stands for a client's camera or microphone.
type countingSender struct {
	every time.Duration
	sent  *int
}

func (c countingSender) Interval() time.Duration { return c.every }
func (c countingSender) Send() error             { *c.sent++; return nil }

func TestPacedMediaKeepsRateAndSkipsStalls(t *testing.T) {
	var sent int
	start := time.Now()
	m := &pacedMedia{video: countingSender{time.Second / 30, &sent}, audio: countingSender{20 * time.Millisecond, &sent},
		vDue: start, aDue: start}
	// One second in pacer ticks: 30 frames and 50 audio packets.
	for now := start; now.Before(start.Add(time.Second)); now = now.Add(pacerTick) {
		if err := m.step(now); err != nil {
			t.Fatal(err)
		}
	}
	if sent < 78 || sent > 82 {
		t.Errorf("sent %d frames in a second, want about 80", sent)
	}
	// After a one-second stall it catches up with a few audio packets and
	// one frame, not with a second's worth.
	sent = 0
	if err := m.step(start.Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if sent > 7 {
		t.Errorf("sent %d frames after a stall, want a handful", sent)
	}
}

func TestTransitFromPartnersSendLog(t *testing.T) {
	epoch := time.Now()
	sender := newLeanClient(epoch, nil)
	recv := newLeanClient(epoch, nil)
	recv.setPartner(sender)
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
	if got := recv.video.transit.take(); len(got) != 1 || got[0] != 2 {
		t.Errorf("video transits %v, want [2]", got)
	}
	if got := recv.audio.transit.take(); len(got) != 1 || got[0] != 4 {
		t.Errorf("audio transits %v, want [4]", got)
	}
}
