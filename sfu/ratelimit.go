package sfu

import "time"

// bucket is a token bucket for one connection's incoming messages. It is
// used only by the connection's reader goroutine, so it has no lock.
type bucket struct {
	rate     float64 // tokens per second
	burst    float64
	tokens   float64
	last     time.Time
	dropping bool // the last message was dropped
	notice   bool // the last drop began a run of drops
}

func newBucket(rate float64, burst int, now time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now}
}

// allow takes one token if available.
func (b *bucket) allow(now time.Time) bool {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(b.burst, b.tokens+el*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		b.notice = !b.dropping
		b.dropping = true
		return false
	}
	b.tokens--
	b.dropping = false
	return true
}

// firstDrop reports whether the message allow just refused is the first
// of a run of drops. Only that one is answered: answering every dropped
// message would turn a flood into as many replies, fill the connection's
// send queue and disconnect the client for not reading.
func (b *bucket) firstDrop() bool { return b.notice }
