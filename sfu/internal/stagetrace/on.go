//go:build sfutrace && linux

// With `go build -tags sfutrace`, the SFU records for every
// RTP packet how long it spent in each stage and writes percentiles every
// 5 s to the file named by SPRECHSTUNDE_SFU_TRACE (standard error if
// unset). For measuring only: it keeps package-level state, costs CPU on
// every packet, and is never part of a release build.
//
//	kernel→mux       kernel receive stamp until the ICE socket's reader has it
//	mux→forward      through Pion (ICE, DTLS/SRTP demultiplexing, decryption)
//	                 until it is read for forwarding (by the track's goroutine,
//	                 or after the hand-over by the SRTP goroutine; inline.go)
//	kernel→forward   both
//	forward          WriteRTP to every subscriber (interceptors, encryption,
//	                 queuing for the batching writer)
//	queue→flusher    first datagram queued until the flusher takes the queue
//	sendmmsg         one batch send
//
// Packets are matched across stages by SSRC and sequence number, which
// SRTP leaves in the clear.

package stagetrace

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/net/ipv4"
)

type traceSlot struct {
	key        atomic.Uint64
	kern, read atomic.Int64
}

var (
	traceSlots [1 << 16]traceSlot
	traceOnce  sync.Once

	hKernMux  = &traceHist{name: "kernel→mux"}
	hMuxFwd   = &traceHist{name: "mux→forward"}
	hKernFwd  = &traceHist{name: "kernel→forward"}
	hForward  = &traceHist{name: "forward"}
	hKick     = &traceHist{name: "queue→flusher"}
	hSendmmsg = &traceHist{name: "sendmmsg"}
)

// traceHist counts durations in 50 µs buckets up to 20 ms.
type traceHist struct {
	name string
	b    [400]atomic.Uint64
}

func (h *traceHist) add(d int64) {
	i := min(max(d/50_000, 0), int64(len(h.b)-1))
	h.b[i].Add(1)
}

// report writes and resets the histogram.
func (h *traceHist) report(w io.Writer) {
	var c [400]uint64
	var total uint64
	for i := range h.b {
		c[i] = h.b[i].Swap(0)
		total += c[i]
	}
	q := func(p float64) float64 {
		var sum uint64
		for i, v := range c {
			if sum += v; float64(sum) > p*float64(total) {
				return float64(i+1) * 0.05
			}
		}
		return 20
	}
	fmt.Fprintf(w, "%-15s n=%8d p50<=%5.2fms p90<=%5.2fms p99<=%5.2fms p99.9<=%5.2fms\n",
		h.name, total, q(.5), q(.9), q(.99), q(.999))
}

func traceStart() {
	traceOnce.Do(func() {
		var w io.Writer = os.Stderr
		if path := os.Getenv("SPRECHSTUNDE_SFU_TRACE"); path != "" {
			if f, err := os.Create(path); err == nil {
				w = f
			}
		}
		go func() {
			for range time.Tick(5 * time.Second) {
				fmt.Fprintln(w, "---", time.Now().Format(time.TimeOnly))
				for _, h := range []*traceHist{hKernMux, hMuxFwd, hKernFwd, hForward, hKick, hSendmmsg} {
					h.report(w)
				}
			}
		}()
	})
}

// traceKey identifies an RTP packet (not RTCP) by SSRC and sequence number.
func traceKey(b []byte) (uint64, bool) {
	if len(b) < 12 || b[0]>>6 != 2 {
		return 0, false
	}
	if pt := b[1] & 0x7f; pt >= 64 && pt <= 95 {
		return 0, false
	}
	ssrc := uint64(b[8])<<24 | uint64(b[9])<<16 | uint64(b[10])<<8 | uint64(b[11])
	return 1<<63 | ssrc<<16 | uint64(b[2])<<8 | uint64(b[3]), true
}

func traceSlotOf(k uint64) *traceSlot { return &traceSlots[(k*0x9E3779B97F4A7C15)>>48] }

func Socket(c syscall.Conn, msgs []ipv4.Message) {
	traceStart()
	for i := range msgs {
		msgs[i].OOB = make([]byte, 64)
	}
	if raw, err := c.SyscallConn(); err == nil {
		_ = raw.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
		})
	}
}

func Read(msgs []ipv4.Message) {
	now := time.Now().UnixNano()
	for i := range msgs {
		m := &msgs[i]
		k, ok := traceKey(m.Buffers[0][:m.N])
		if !ok {
			continue
		}
		s := traceSlotOf(k)
		s.kern.Store(kernelStamp(m.OOB[:m.NN]))
		s.read.Store(now)
		s.key.Store(k)
	}
}

func kernelStamp(oob []byte) int64 {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return 0
	}
	for _, m := range msgs {
		if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS &&
			len(m.Data) >= int(unsafe.Sizeof(syscall.Timespec{})) {
			return (*syscall.Timespec)(unsafe.Pointer(&m.Data[0])).Nano()
		}
	}
	return 0
}

func Forward(p []byte) int64 {
	now := time.Now().UnixNano()
	k, ok := traceKey(p)
	if !ok {
		return now
	}
	s := traceSlotOf(k)
	if s.key.Load() != k {
		return now
	}
	kern, read := s.kern.Load(), s.read.Load()
	if kern > 0 {
		hKernMux.add(read - kern)
		hKernFwd.add(now - kern)
	}
	hMuxFwd.add(now - read)
	return now
}

func Forwarded(t0 int64) { hForward.add(time.Now().UnixNano() - t0) }
func Now() int64         { return time.Now().UnixNano() }
func Kick(since int64)   { hKick.add(time.Now().UnixNano() - since) }
func Send(since int64)   { hSendmmsg.add(time.Now().UnixNano() - since) }
