package sfuload

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// mediaStats is what a lean client received of one kind of media. Both
// latencies end at the datagram's arrival at the client's socket:
// latency (end-to-end) starts at the sender's frame stamp, transit at the
// packet's departure from the partner's socket, so transit is what the SFU
// and the two loopback hops add (departure as leanClient.departure
// defines it).
type mediaStats struct {
	packets atomic.Int64
	latency samples
	transit samples
}

// samples collects milliseconds, bounded so a forgotten reader cannot
// grow them without end.
type samples struct {
	mu sync.Mutex
	v  []float64
}

func (s *samples) add(ms float64) {
	s.mu.Lock()
	if len(s.v) < 1<<20 {
		s.v = append(s.v, ms)
	}
	s.mu.Unlock()
}

// take returns and clears the samples.
func (s *samples) take() []float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.v
	s.v = make([]float64, 0, cap(out)) // the next window is about as long
	return out
}

// percentile returns the p-th percentile (0..100) of v, NaN if empty.
func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// rtpDelay is now minus the time an RTP timestamp ts of a clock of rate Hz
// was stamped, in ms: the test clients stamp media with the time since
// their shared epoch (sfutest.ClientConfig.Epoch), and the SFU forwards
// timestamps unchanged. It assumes less than one wrap (13 h at 90 kHz).
func rtpDelay(epoch time.Time, rate uint32, ts uint32, now time.Time) float64 {
	cur := uint32(now.Sub(epoch).Nanoseconds() * int64(rate) / 1e9)
	return float64(int32(cur-ts)) * 1000 / float64(rate)
}
