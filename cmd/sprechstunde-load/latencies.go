package main

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// latencies collects request outcomes of one endpoint in one phase.
type latencies struct {
	mu      sync.Mutex
	name    string
	samples []time.Duration
	sent    []time.Time // when each sample's clock started
	// step, when set, prints a line per interval of this length: where in
	// the phase the tail arose (a stall, a refresh, the day filling up).
	step     time.Duration
	statuses map[int]int
	errors   int
	start    time.Time
	end      time.Time
}

func newLatencies(name string) *latencies {
	return &latencies{name: name, statuses: map[int]int{}}
}

func (l *latencies) add(d time.Duration, status int, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errors++
		return
	}
	l.samples = append(l.samples, d)
	l.sent = append(l.sent, time.Now().Add(-d))
	l.statuses[status]++
}

func (l *latencies) span(start, end time.Time) { l.start, l.end = start, end }

// summary is what one endpoint's phase prints.
type summary struct {
	Requests int
	RPS      float64
	P50, P99 time.Duration
	Max      time.Duration
	Statuses map[int]int
	Errors   int
}

func (l *latencies) summary() summary {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := append([]time.Duration(nil), l.samples...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	out := summary{Requests: len(s) + l.errors, Statuses: l.statuses, Errors: l.errors}
	if secs := l.end.Sub(l.start).Seconds(); secs > 0 {
		out.RPS = float64(len(s)) / secs
	}
	if len(s) > 0 {
		out.P50 = s[len(s)*50/100]
		out.P99 = s[min(len(s)-1, len(s)*99/100)]
		out.Max = s[len(s)-1]
	}
	return out
}

// series prints p50/p99 per interval of l.step, by send time.
func (l *latencies) series(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.step <= 0 || len(l.sent) == 0 {
		return
	}
	t0 := l.sent[0]
	for _, t := range l.sent {
		if t.Before(t0) {
			t0 = t
		}
	}
	buckets := map[int][]time.Duration{}
	last := 0
	for i, t := range l.sent {
		k := int(t.Sub(t0) / l.step)
		buckets[k] = append(buckets[k], l.samples[i])
		last = max(last, k)
	}
	for k := 0; k <= last; k++ {
		s := buckets[k]
		if len(s) == 0 {
			continue
		}
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		fmt.Fprintf(w, "    +%6.2fs %5d req  p50 %7.2f ms  p99 %7.2f ms\n",
			(time.Duration(k) * l.step).Seconds(), len(s), ms(s[len(s)/2]), ms(s[len(s)*99/100]))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (l *latencies) print(w io.Writer) summary {
	s := l.summary()
	fmt.Fprintf(w, "  %-28s %7d req  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  statuses %v  transport errors %d\n",
		l.name, s.Requests, s.RPS, ms(s.P50), ms(s.P99), ms(s.Max), s.Statuses, s.Errors)
	l.series(w)
	return s
}
