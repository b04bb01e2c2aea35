package sfu

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/pion/transport/v5/packetio"
)

// Inline forwarding: a published track's packets are forwarded by the
// publisher's SRTP goroutine, right after it has decrypted them, instead of
// by a forwarding goroutine of their own.
//
// Pion decrypts in one goroutine per PeerConnection and hands each packet
// through a buffer to whoever reads the track. Every hand-off is a
// goroutine to wake, and under load woken goroutines wait in Go's run
// queues; the execution traces in docs/benchmarks.md show this one as the
// second largest source of waiting. So once a track's forwarding goroutine
// has seen the track start (Pion peeks at its first packet), it hands the
// track over: from then on each write into the track's buffer is followed,
// in the writing goroutine, by reading it back through the track (so every
// interceptor still sees it) and forwarding it.

// streamBuffers makes one PeerConnection's receive buffers (Pion's
// BufferFactory) and remembers the RTP ones by SSRC.
type streamBuffers struct {
	mu  sync.Mutex
	rtp map[uint32]*inlineBuffer
}

func newStreamBuffers() *streamBuffers {
	return &streamBuffers{rtp: map[uint32]*inlineBuffer{}}
}

func (s *streamBuffers) factory(kind packetio.BufferPacketType, ssrc uint32) io.ReadWriteCloser {
	if kind == packetio.RTCPBufferPacket {
		return newPacketBuffer(rtcpBufferLimit)
	}
	ib := &inlineBuffer{packetBuffer: newPacketBuffer(rtpBufferLimit), closed: make(chan struct{})}
	s.mu.Lock()
	s.rtp[ssrc] = ib // a stream opened again for an SSRC replaces the old one
	s.mu.Unlock()
	return ib
}

// buffer returns the RTP buffer of ssrc, if there is one.
func (s *streamBuffers) buffer(ssrc uint32) *inlineBuffer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rtp[ssrc]
}

// packetBuffer is Pion's packet queue as the io.ReadWriteCloser a
// BufferFactory returns. Pion writes and reads through the attribute
// methods where a buffer has them, so packet attributes pass through.
type packetBuffer struct {
	*packetio.Buffer
}

func newPacketBuffer(limit int) *packetBuffer {
	b := packetio.NewBuffer()
	b.SetLimitSize(limit)
	return &packetBuffer{Buffer: b}
}

func (b *packetBuffer) Read(p []byte) (int, error) {
	n, _, err := b.Buffer.Read(p, nil)
	return n, err
}

func (b *packetBuffer) Write(p []byte) (int, error) { return b.Buffer.Write(p, nil) }

func (b *packetBuffer) ReadWithAttributes(p []byte, a packetio.Attributes) (int, packetio.Attributes, error) {
	return b.Buffer.Read(p, a)
}

func (b *packetBuffer) WriteWithAttributes(p []byte, a packetio.Attributes) (int, error) {
	return b.Buffer.Write(p, a)
}

// inlineBuffer is Pion's packet buffer with an optional drain that runs
// after every write.
type inlineBuffer struct {
	*packetBuffer
	writes    atomic.Uint64 // packets written, to tell that it feeds the track
	drain     atomic.Pointer[func()]
	closeOnce sync.Once
	closed    chan struct{}
}

func (b *inlineBuffer) Write(p []byte) (int, error) { return b.WriteWithAttributes(p, nil) }

func (b *inlineBuffer) WriteWithAttributes(p []byte, a packetio.Attributes) (int, error) {
	n, err := b.Buffer.Write(p, a)
	b.writes.Add(1)
	if d := b.drain.Load(); d != nil {
		(*d)()
	}
	return n, err
}

func (b *inlineBuffer) Close() error {
	err := b.Buffer.Close()
	b.closeOnce.Do(func() { close(b.closed) })
	return err
}
