package sfuload

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
)

// clipIVF is 2 s of 640x360 VP8 at 30 fps, about 1.5 Mbit/s, one keyframe
// at the start (encoded with libvpx; any browser decodes it).
//
//go:embed testdata/clip.ivf
var clipIVF []byte

// clipFPS is the clip's frame rate.
const clipFPS = 30

// publisherPPS is how many RTP packets per second one load client sends:
// the clip's frames at fps, split as the test client splits them, plus one
// Opus packet per audio frame.
func publisherPPS(frames [][]byte, fps int) float64 {
	n := 0
	for _, f := range frames {
		n += sfutest.VP8Packets(len(f))
	}
	return float64(n)*float64(fps)/float64(max(len(frames), 1)) + float64(time.Second/sfutest.AudioFrame)
}

// ErrBadClip reports an unusable IVF file.
var ErrBadClip = errors.New("sfuload: bad IVF clip")

// parseIVF returns the frames of an IVF file.
func parseIVF(b []byte) ([][]byte, error) {
	if len(b) < 32 || string(b[:4]) != "DKIF" {
		return nil, fmt.Errorf("%w: no DKIF header", ErrBadClip)
	}
	hdr := int(binary.LittleEndian.Uint16(b[6:8]))
	if hdr < 32 || hdr > len(b) {
		return nil, fmt.Errorf("%w: header length %d", ErrBadClip, hdr)
	}
	var frames [][]byte
	for p := hdr; p < len(b); {
		if p+12 > len(b) {
			return nil, fmt.Errorf("%w: truncated frame header", ErrBadClip)
		}
		n := int(binary.LittleEndian.Uint32(b[p : p+4]))
		p += 12
		if n > len(b)-p {
			return nil, fmt.Errorf("%w: truncated frame", ErrBadClip)
		}
		frames = append(frames, b[p:p+n])
		p += n
	}
	if len(frames) == 0 || frames[0][0]&1 != 0 {
		return nil, fmt.Errorf("%w: must start with a keyframe", ErrBadClip)
	}
	return frames, nil
}

// clipSource loops over the clip. A keyframe request restarts the loop,
// which begins with a keyframe, so receivers can always decode.
type clipSource struct {
	frames [][]byte
	i      int
}

func (c *clipSource) Next(key bool) ([]byte, bool) {
	if key {
		c.i = 0
	}
	f := c.frames[c.i%len(c.frames)]
	c.i++
	return f, f[0]&1 == 0
}
