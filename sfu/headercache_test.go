package sfu

import (
	"errors"
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
)

// TestHeaderCache reads packets through the cache as the interceptors
// behind it do: each read's attributes hold that packet's header, an
// unparsable packet is an error, and steady reads allocate nothing.
func TestHeaderCache(t *testing.T) {
	var next []byte
	src := interceptor.RTPReaderFunc(func(b []byte, _ interceptor.Attributes) (int, interceptor.Attributes, error) {
		return copy(b, next), nil, nil
	})
	reader := (&headerCache{}).BindRemoteStream(&interceptor.StreamInfo{}, src)
	packet := func(seq uint16, ts uint32) []byte {
		p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: ts, SSRC: 7}, Payload: []byte{1, 2, 3}}
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	buf := make([]byte, 1500)
	for _, tc := range []struct {
		seq uint16
		ts  uint32
	}{{1, 100}, {2, 200}, {65535, 300}, {0, 400}} {
		next = packet(tc.seq, tc.ts)
		n, attr, err := reader.Read(buf, nil)
		if err != nil || n != len(next) {
			t.Fatalf("seq %d: n=%d err=%v", tc.seq, n, err)
		}
		h, err := attr.GetRTPHeader(buf[:n])
		if err != nil || h.SequenceNumber != tc.seq || h.Timestamp != tc.ts || h.SSRC != 7 {
			t.Fatalf("seq %d: header %+v err=%v", tc.seq, h, err)
		}
	}

	next = []byte{0x80, 96}
	if _, _, err := reader.Read(buf, nil); err == nil {
		t.Fatal("a 2-byte packet was parsed")
	}

	next = packet(9, 900)
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := reader.Read(buf, nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per read, want 0", allocs)
	}

	fail := errors.New("closed")
	broken := (&headerCache{}).BindRemoteStream(&interceptor.StreamInfo{},
		interceptor.RTPReaderFunc(func([]byte, interceptor.Attributes) (int, interceptor.Attributes, error) {
			return 0, nil, fail
		}))
	if _, _, err := broken.Read(buf, nil); !errors.Is(err, fail) {
		t.Fatalf("source error lost: %v", err)
	}
}
