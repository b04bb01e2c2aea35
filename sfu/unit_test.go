package sfu

import (
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/transport/v5/packetio"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		ok   bool
	}{
		{"default", func(*Config) {}, true},
		{"bad port", func(c *Config) { c.UDPPort = 70000 }, false},
		{"bad listen ip", func(c *Config) { c.ListenIPs = []string{"nope"} }, false},
		{"nat pair", func(c *Config) { c.NAT1To1IPs = []string{"203.0.113.7/10.0.0.7"} }, true},
		{"bad nat", func(c *Config) { c.NAT1To1IPs = []string{"x/10.0.0.7"} }, false},
		{"allowed candidate network", func(c *Config) { c.AllowedCandidateNetworks = []string{"10.0.0.0/8", "fd00::/8"} }, true},
		{"bad candidate network", func(c *Config) { c.AllowedCandidateNetworks = []string{"10.0.0.1"} }, false},
		{"read on arrival", func(c *Config) { c.UDPReadInterval = 0 }, true},
		{"read interval too long", func(c *Config) { c.UDPReadInterval = time.Second }, false},
		{"negative read interval", func(c *Config) { c.UDPReadInterval = -time.Millisecond }, false},
		{"zero rate", func(c *Config) { c.MessagesPerSecond = 0 }, false},
		{"zero write timeout", func(c *Config) { c.WriteTimeout = 0 }, false},
		{"tiny read limit", func(c *Config) { c.ReadLimit = 10 }, false},
		{"turn without secret", func(c *Config) { c.TURN.Enabled = true; c.TURN.PublicIP = "203.0.113.7" }, false},
		{"turn complete", func(c *Config) {
			c.TURN.Enabled, c.TURN.PublicIP, c.TURN.Secret = true, "203.0.113.7", "0123456789abcdef"
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.mod(&c)
			err := c.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error not wrapping ErrInvalidConfig: %v", err)
			}
		})
	}
}

func TestBucket(t *testing.T) {
	t0 := time.Unix(0, 0)
	b := newBucket(2, 3, t0)
	for _, tc := range []struct {
		at         time.Duration
		want, note bool // note: the drop is the first of a run, answered
	}{
		{0, true, false}, {0, true, false}, {0, true, false}, {0, false, true}, // burst of 3
		{0, false, false}, {0, false, false}, // the same run of drops: no more notices
		{400 * time.Millisecond, false, false},                                                                 // 0.8 tokens
		{500 * time.Millisecond, true, false},                                                                  // 1.0 token
		{500 * time.Millisecond, false, true},                                                                  // a new run
		{time.Hour, true, false}, {time.Hour, true, false}, {time.Hour, true, false}, {time.Hour, false, true}, // capped at burst
	} {
		if got := b.allow(t0.Add(tc.at)); got != tc.want {
			t.Fatalf("allow at %v = %v, want %v", tc.at, got, tc.want)
		}
		if !tc.want && b.firstDrop() != tc.note {
			t.Fatalf("drop at %v answered = %v, want %v", tc.at, b.firstDrop(), tc.note)
		}
	}
}

func TestWantsKeyframe(t *testing.T) {
	marshal := func(ps ...rtcp.Packet) []byte {
		b, err := rtcp.Marshal(ps)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rr := &rtcp.ReceiverReport{SSRC: 1}
	for _, tc := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"pli", marshal(&rtcp.PictureLossIndication{MediaSSRC: 2}), true},
		{"fir", marshal(&rtcp.FullIntraRequest{MediaSSRC: 2, FIR: []rtcp.FIREntry{{SSRC: 2}}}), true},
		{"rr then pli", marshal(rr, &rtcp.PictureLossIndication{MediaSSRC: 2}), true},
		{"nack only", marshal(rr, &rtcp.TransportLayerNack{MediaSSRC: 2, Nacks: []rtcp.NackPair{{PacketID: 1}}}), false},
		{"garbage", []byte{1, 2}, false},
		{"lying length", []byte{0x80, 201, 0xff, 0xff}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wantsKeyframe(tc.in); got != tc.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

// TestStreamBuffers: RTP buffers are found by SSRC and drained after every
// write once a drain is set; RTCP buffers are plain.
func TestStreamBuffers(t *testing.T) {
	bufs := newStreamBuffers()
	if _, ok := bufs.factory(packetio.RTCPBufferPacket, 7).(*packetBuffer); !ok {
		t.Error("RTCP buffer is not a plain packetBuffer")
	}
	if bufs.buffer(7) != nil {
		t.Error("RTCP buffer registered as RTP")
	}
	rw := bufs.factory(packetio.RTPBufferPacket, 42)
	ib := bufs.buffer(42)
	if ib == nil || rw != io.ReadWriteCloser(ib) {
		t.Fatal("RTP buffer not registered by its SSRC")
	}

	var got []string
	drain := func() {
		for ib.Count() > 0 {
			p := make([]byte, 1500)
			n, err := ib.Read(p)
			if err != nil {
				t.Error(err)
				return
			}
			got = append(got, string(p[:n]))
		}
	}
	if _, err := rw.Write([]byte("before")); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatal("drained without a drain set")
	}
	ib.drain.Store(&drain)
	if _, err := rw.Write([]byte("one")); err != nil {
		t.Fatal(err)
	}
	// Pion writes through the attribute method where a buffer has one.
	aw, ok := rw.(interface {
		WriteWithAttributes([]byte, packetio.Attributes) (int, error)
	})
	if !ok {
		t.Fatal("RTP buffer takes no packet attributes")
	}
	if _, err := aw.WriteWithAttributes([]byte("two"), nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"before", "one", "two"}; !slices.Equal(got, want) {
		t.Errorf("drained %q, want %q", got, want)
	}

	// Bounded like Pion's own: a writer far ahead is refused, not buffered.
	ib.drain.Store(nil)
	big := make([]byte, 1200)
	var full bool
	for range rtpBufferLimit/len(big) + 2 {
		if _, err := rw.Write(big); errors.Is(err, packetio.ErrFull) {
			full = true
			break
		}
	}
	if !full {
		t.Error("RTP buffer took more than rtpBufferLimit")
	}

	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	_ = rw.Close()
	select {
	case <-ib.closed:
	default:
		t.Error("closed not signalled")
	}
}
