package sfutest

import (
	"sync/atomic"
	"time"
)

// sendLog remembers when a load client's RTP packets were handed to the
// kernel, per kind and sequence number, so that the partner receiving them
// through the SFU can time exactly the hop the SFU adds: from the sender's
// send call to the datagram's arrival at the receiver's socket. The frame
// timestamp alone would also count the sender's own packetization, SRTP and
// pacing, which belong to the load generator, not to the SFU.
//
// Each slot packs the sequence number (to tell a stale slot from the right
// one) and the time since the shared epoch in nanoseconds (48 bits, 78 h),
// so writer and reader need no lock.
type sendLog struct {
	video, audio [sendLogSlots]atomic.Uint64
}

const (
	sendLogSlots = 4096 // over a second of video at 1.5 Mbit/s
	sendLogMask  = 1<<48 - 1
)

func (l *sendLog) slots(audio bool) *[sendLogSlots]atomic.Uint64 {
	if audio {
		return &l.audio
	}
	return &l.video
}

func (l *sendLog) record(audio bool, seq uint16, at, epoch time.Time) {
	ns := uint64(at.Sub(epoch).Nanoseconds()) & sendLogMask
	l.slots(audio)[seq%sendLogSlots].Store(uint64(seq)<<48 | ns)
}

// sent returns when seq was sent, if it is still in the log.
func (l *sendLog) sent(audio bool, seq uint16, epoch time.Time) (time.Time, bool) {
	v := l.slots(audio)[seq%sendLogSlots].Load()
	if v == 0 || uint16(v>>48) != seq {
		return time.Time{}, false
	}
	return epoch.Add(time.Duration(v & sendLogMask)), true
}
