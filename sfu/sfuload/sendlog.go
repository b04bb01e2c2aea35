package sfuload

import (
	"encoding/binary"
	"sync/atomic"
	"time"
)

// sendLog remembers when a load client's RTP packets left, per kind and
// sequence number, so that the partner receiving them through the SFU can
// time exactly the hop the SFU adds: from the sender's socket to the
// datagram's arrival at the receiver's socket. The frame timestamp alone
// would also count the sender's own packetization, SRTP and pacing, which
// belong to the load generator, not to the SFU.
//
// A packet is first recorded with the time taken before the send call, then
// confirmed with the kernel's transmit stamp (txClock) where there is one.
//
// Each slot packs the sequence number (to tell a stale slot from the right
// one), whether the time is the kernel's, and the time since the shared
// epoch in nanoseconds (47 bits, 39 h), so writer and reader need no lock.
type sendLog struct {
	video, audio [sendLogSlots]atomic.Uint64
}

const (
	sendLogSlots = 4096 // over a second of video at 1.5 Mbit/s
	sendLogMask  = 1<<47 - 1
	sendLogKern  = 1 << 47 // the time is the kernel's transmit stamp
)

func (l *sendLog) slots(audio bool) *[sendLogSlots]atomic.Uint64 {
	if audio {
		return &l.audio
	}
	return &l.video
}

// record notes the time taken before seq's send call.
func (l *sendLog) record(audio bool, seq uint16, at, epoch time.Time) {
	l.slots(audio)[seq%sendLogSlots].Store(sendLogEntry(seq, at, epoch))
}

// sendLogEntry packs a slot: seq above the time since epoch.
func sendLogEntry(seq uint16, at, epoch time.Time) uint64 {
	return uint64(seq)<<48 | uint64(at.Sub(epoch).Nanoseconds())&sendLogMask
}

// confirm replaces seq's time with the kernel's transmit stamp, unless its
// slot has been reused since.
func (l *sendLog) confirm(audio bool, seq uint16, at, epoch time.Time) {
	slot := &l.slots(audio)[seq%sendLogSlots]
	entry := sendLogEntry(seq, at, epoch) | sendLogKern
	for {
		v := slot.Load()
		if v == 0 || uint16(v>>48) != seq || slot.CompareAndSwap(v, entry) {
			return
		}
	}
}

// sent returns when seq was sent, if it is still in the log, and whether
// that is the kernel's stamp.
func (l *sendLog) sent(audio bool, seq uint16, epoch time.Time) (at time.Time, kernel, ok bool) {
	v := l.slots(audio)[seq%sendLogSlots].Load()
	if v == 0 || uint16(v>>48) != seq {
		return time.Time{}, false, false
	}
	return epoch.Add(time.Duration(v & sendLogMask)), v&sendLogKern != 0, true
}

// txSampleEvery: one RTP packet in this many per stream (by sequence
// number) asks for a kernel transmit stamp and, where stamps are on, counts
// for latency; the choice does not depend on timing, so the sample is fair.
const txSampleEvery = 16

func sampled(b []byte) bool {
	return isRTP(b) && binary.BigEndian.Uint16(b[2:])%txSampleEvery == 0
}
