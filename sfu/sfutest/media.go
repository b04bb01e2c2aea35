package sfutest

import (
	"encoding/binary"
	"sync/atomic"
	"time"
)

// VideoSource produces VP8 frames. It is used by one goroutine only.
type VideoSource interface {
	// Next returns the next frame; with key set it must return a keyframe.
	Next(key bool) (frame []byte, isKey bool)
}

// SyntheticVP8 produces frames that carry a valid VP8 frame tag (so
// keyframes can be recognised on the wire) but are not decodable images.
// Good for tests that count packets; use an encoded clip for browsers.
type SyntheticVP8 struct {
	Size  int // bytes per frame
	n     int
	Every int // keyframe interval in frames; 0 means only on request
}

// Next implements VideoSource.
func (s *SyntheticVP8) Next(key bool) ([]byte, bool) {
	key = key || s.n == 0 || (s.Every > 0 && s.n%s.Every == 0)
	s.n++
	size := max(s.Size, 16)
	f := make([]byte, size)
	// Frame tag: bit 0 clear = keyframe, bit 4 = show_frame.
	f[0] = 0x11
	if key {
		f[0] = 0x10
		copy(f[3:], []byte{0x9d, 0x01, 0x2a})
		binary.LittleEndian.PutUint16(f[6:], 320)
		binary.LittleEndian.PutUint16(f[8:], 240)
	}
	return f, key
}

// IsVP8Keyframe reports whether an RTP payload starts a VP8 keyframe.
func IsVP8Keyframe(p []byte) bool {
	if len(p) < 1 {
		return false
	}
	x, s, pid := p[0]&0x80 != 0, p[0]&0x10 != 0, p[0]&0x07
	i := 1
	if x {
		if len(p) < 2 {
			return false
		}
		ext := p[1]
		i = 2
		if ext&0x80 != 0 { // picture id
			if len(p) <= i {
				return false
			}
			if p[i]&0x80 != 0 {
				i += 2
			} else {
				i++
			}
		}
		if ext&0x40 != 0 { // TL0PICIDX
			i++
		}
		if ext&0x30 != 0 { // TID/KEYIDX
			i++
		}
	}
	if !s || pid != 0 || len(p) <= i {
		return false
	}
	return p[i]&0x01 == 0
}

// Stats counts what a client received on one kind of media.
type Stats struct {
	Packets   atomic.Int64
	Bytes     atomic.Int64
	Keyframes atomic.Int64
}

// mediaClock maps wall time to RTP timestamps from a shared epoch, so a
// receiver in the same process can compute one-way latency from the RTP
// timestamp alone (the SFU forwards timestamps unchanged).
type mediaClock struct {
	epoch time.Time
	rate  uint32
}

func (c mediaClock) stamp(t time.Time) uint32 {
	return uint32(t.Sub(c.epoch).Nanoseconds() * int64(c.rate) / 1e9)
}

// vp8Packetizer splits frames into RTP payloads like Pion's VP8Payloader
// with a 15-bit picture id, but into one reused buffer: a load generator
// sends thousands of packets per second and should not allocate for each.
type vp8Packetizer struct {
	pictureID uint16
	buf       []byte
}

// The test clients' media: VP8 in payloads of at most videoMTU bytes,
// each opened by a vp8Descriptor, and one Opus packet per AudioFrame.
const (
	videoMTU      = 1200
	vp8Descriptor = 4 // descriptor, X byte, two picture id bytes
	AudioFrame    = 20 * time.Millisecond
)

// VP8Packets is how many RTP packets a test client sends for a frame of
// n bytes.
func VP8Packets(n int) int {
	frag := videoMTU - vp8Descriptor
	return (n + frag - 1) / frag
}

// packetize calls emit for each payload of frame in order; a payload is
// only valid until emit returns.
func (p *vp8Packetizer) packetize(mtu int, frame []byte, emit func(payload []byte, last bool) error) error {
	const hdr = vp8Descriptor
	if cap(p.buf) < mtu {
		p.buf = make([]byte, mtu)
	}
	frag := mtu - hdr
	for off := 0; off < len(frame); off += frag {
		n := min(frag, len(frame)-off)
		out := p.buf[:hdr+n]
		out[0] = 0x80 // X: extensions follow
		if off == 0 {
			out[0] |= 0x10 // S: start of the frame's first partition
		}
		out[1] = 0x80 // I: picture id present
		out[2] = 0x80 | byte(p.pictureID>>8&0x7f)
		out[3] = byte(p.pictureID)
		copy(out[hdr:], frame[off:off+n])
		if err := emit(out, off+n == len(frame)); err != nil {
			return err
		}
	}
	p.pictureID = (p.pictureID + 1) & 0x7fff
	return nil
}
