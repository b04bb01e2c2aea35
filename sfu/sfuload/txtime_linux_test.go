package sfuload

import (
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// TestTransmitStampsConfirmSends: with transmit stamps on, a corked batch's
// RTP packets are first logged with the time before the send call; the
// sampled ones are then confirmed with the kernel's stamps, which lie
// between that call's start and end, and only they count as departures.
// The receive stamps the same kind of socket asks for still come alone,
// untruncated.
func TestTransmitStampsConfirmSends(t *testing.T) {
	c, tc, dst := loopbackSender(t)
	tc.out.tx = &tc.tx
	tc.tx.enable(tc.UDPConn)
	if !tc.tx.stamping() {
		t.Fatal("kernel refused SO_TIMESTAMPING with transmit stamps and the receive filter")
	}
	recv := &tapConn{UDPConn: dst, c: newLeanClient(time.Time{}, nil)}
	recv.rx.enable(dst)
	recv.tx.enable(dst)
	to := dst.LocalAddr().(*net.UDPAddr).AddrPort()

	c.cork()
	const n = 20
	for seq := range uint16(n) {
		pt := uint8(96)
		if seq%4 == 0 {
			pt = opusPT
		}
		b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: 100 + seq},
			Payload: make([]byte, 1000)}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tc.WriteToAddrPort(b, to); err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now()
	c.uncork()
	after := time.Now()
	for seq := range uint16(n) {
		at, kernel, ok := c.sends.sent(seq%4 == 0, 100+seq, c.epoch)
		if !ok || kernel || at.Before(before.Add(-time.Millisecond)) || at.After(before.Add(time.Millisecond)) {
			t.Fatalf("seq %d before confirmation: %v kernel=%v ok=%v (call began %v)", 100+seq, at, kernel, ok, before)
		}
	}
	for seq := range uint16(n) {
		b, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 100 + seq}}).Marshal()
		at, ok := c.departure(b, seq%4 == 0, 100+seq, c.epoch) // reads the error queue
		if want := (100+seq)%txSampleEvery == 0; ok != want {
			t.Fatalf("seq %d: departure known %v, want %v (sampled packets only)", 100+seq, ok, want)
		}
		_, kernel, _ := c.sends.sent(seq%4 == 0, 100+seq, c.epoch)
		// The log keeps nanoseconds since the epoch: allow its rounding.
		if ok && (!kernel || at.Before(before.Add(-time.Microsecond)) || at.After(after.Add(time.Microsecond))) {
			t.Fatalf("seq %d: %v kernel=%v, want a kernel stamp within [%v, %v]", 100+seq, at, kernel, before, after)
		}
	}

	buf, oob := make([]byte, 2048), make([]byte, 64)
	if err := dst.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, oobn, flags, _, err := dst.ReadMsgUDPAddrPort(buf, oob)
	if err != nil {
		t.Fatal(err)
	}
	if flags&syscall.MSG_CTRUNC != 0 {
		t.Fatal("receive control messages truncated")
	}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 || msgs[0].Header.Type != syscall.SCM_TIMESTAMPNS {
		t.Fatalf("receive control messages: %+v %v, want one SCM_TIMESTAMPNS", msgs, err)
	}
	if at := arrivalTime(oob[:oobn]); at.Before(before) || at.After(time.Now()) {
		t.Fatalf("arrival stamp %v outside [%v, now]", at, before)
	}
}
