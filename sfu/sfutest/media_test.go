package sfutest

import (
	"bytes"
	"testing"

	"github.com/pion/rtp/codecs"
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
