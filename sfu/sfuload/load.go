// Package sfuload is a load generator for the SFU: N concurrent 1:1
// sessions of in-process Pion clients through the real signaling path, each
// side publishing VP8 (~1.5 Mbit/s, a real libvpx clip) plus Opus and
// receiving the other side. It ramps the session count in steps and reports
// forwarding rate, loss, one-way latency, SFU CPU and memory, and kernel
// UDP drops per step. All traffic stays on 127.0.0.1.
//
// The clients are lean load sources (leanClient, an sfutest.Stack): no
// RTCP interceptors, so the SFU's NACKs go unanswered and loss is raw
// loss, not loss left after repair; and received media is counted at the
// socket without decryption. Two latencies are measured per packet, both
// ending at the datagram's arrival at the receiver's socket (the kernel's
// receive timestamp on Linux):
//
//   - added latency (the headline figure): from the moment that very packet
//     left the sender's socket (the kernel's transmit timestamp on Linux,
//     taken for every 16th packet of a stream; elsewhere the time before
//     the send call, for every packet), so it covers what the SFU adds,
//     plus loopback twice;
//   - end-to-end: from the sender stamping the frame, before packetization,
//     SRTP, pacing and send, so it also counts the load generator's own
//     sending stack and its scheduling stalls.
//
// On a shared machine both include scheduling stalls of the SFU.
package sfuload

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// Config controls a load run.
type Config struct {
	// Steps are the session counts to hold, in increasing order.
	Steps []int
	// Settle is the time after reaching a step before measuring.
	Settle time.Duration
	// Measure is the measuring window per step.
	Measure time.Duration
	// MaxDuration bounds the whole run.
	MaxDuration time.Duration
	// MaxLossPct ends the ramp once a step loses this much or more.
	MaxLossPct float64
	// StartParallel is how many sessions are set up at once while ramping.
	StartParallel int
	// InProcess runs the SFU inside this process instead of a child
	// process; SFU CPU and RSS then include the load generator's own.
	InProcess bool
	// GeneratorPriority is the load generator's CPU priority relative to
	// the SFU child's (see yieldToSFU).
	GeneratorPriority Priority
	// UDPReadInterval is the SFU's sfu.Config.UDPReadInterval.
	UDPReadInterval time.Duration
}

// Priority is the load generator's CPU priority.
type Priority string

// The generator priorities: below the SFU always (Linux SCHED_IDLE), below
// it by niceness 10, or equal.
const (
	PriorityIdle  Priority = "idle"
	PriorityLow   Priority = "low"
	PriorityEqual Priority = "equal"
)

// DefaultConfig ramps to 150 sessions within about four minutes.
func DefaultConfig() Config {
	return Config{
		Steps:             []int{10, 25, 50, 75, 100, 125, 150},
		Settle:            4 * time.Second,
		Measure:           10 * time.Second,
		MaxDuration:       5 * time.Minute,
		MaxLossPct:        1,
		StartParallel:     8,
		GeneratorPriority: PriorityIdle,
		UDPReadInterval:   sfu.DefaultConfig().UDPReadInterval,
	}
}

// Step is what one ramp step measured.
type Step struct {
	Sessions        int     `json:"sessions"`
	ForwardedPPS    float64 `json:"forwarded_pps"` // packets/s received by all subscribers
	LossPct         float64 `json:"loss_pct"`
	LatencyP50Ms    float64 `json:"latency_p50_ms"` // added by the SFU (departure to arrival)
	LatencyP99Ms    float64 `json:"latency_p99_ms"`
	E2EP50Ms        float64 `json:"e2e_latency_p50_ms"` // frame stamp to arrival
	E2EP99Ms        float64 `json:"e2e_latency_p99_ms"`
	SFUCPUPerS      float64 `json:"sfu_cpu_per_s"`
	SFURSSMB        float64 `json:"sfu_rss_mb"`
	GenCPUPerS      float64 `json:"gen_cpu_per_s"` // the load generator's own CPU (child-process mode)
	UDPRcvbufErrors int64   `json:"udp_rcvbuf_errors"`
	StealPct        float64 `json:"machine_steal_pct"` // hypervisor steal on this VM during the step
	FailedStarts    int     `json:"failed_starts"`
	// SentPct is what the clients sent, in % of what their camera and
	// microphone produce at this step. Below minSentPct the generator
	// could not keep up (its pacer drops late frames, as an encoder
	// does): the SFU then carried less than the step claims, so the step
	// does not count towards max_sessions.
	SentPct float64 `json:"sent_pct"`
}

// The SFU's targets on a 2-core machine, load generator included: p99
// added latency and RSS of a step.
const (
	targetP99Ms = 10
	targetRSSMB = 300
)

// minSentPct is the share of the nominal media a step must have sent.
const minSentPct = 98

// Result sums up a run. Figures are those of the step at MaxSessions (the
// last step if none stayed under the loss limit).
type Result struct {
	MaxSessions int `json:"max_sessions"`
	// TargetSessions is the highest step that met the latency and memory
	// targets as well (see targetP99Ms, targetRSSMB), 0 if none did.
	TargetSessions    int     `json:"max_sessions_within_targets"`
	LossPct           float64 `json:"loss_pct"`
	AddedLatencyP99Ms float64 `json:"added_latency_p99_ms"`
	AddedLatencyP50Ms float64 `json:"added_latency_p50_ms"`
	E2ELatencyP99Ms   float64 `json:"e2e_latency_p99_ms"`
	SFUCPUPerS        float64 `json:"sfu_cpu_per_s"`
	SFURSSMB          float64 `json:"sfu_rss_mb"`
	SFUMode           string  `json:"sfu_mode"`
	Steps             []Step  `json:"steps"`
}

// pacerPhases is how many pacer goroutines send the clients' media, each
// offset by a fraction of the pacer's tick. Clients on separate machines
// are not in step: at 100 sessions, 8 phases give a burst of about 26
// packets every 0.6 ms where one phase per CPU gave about 100 every 2.5 ms,
// a load no real audience produces.
const pacerPhases = 8

// ErrNoSessions means not a single session could be set up.
var ErrNoSessions = errors.New("sfuload: no session could be started")

// pair is one 1:1 session.
type pair struct{ clerk, citizen *leanClient }

func (p pair) close() {
	p.citizen.Close()
	p.clerk.Close()
}

// IsChild reports whether this process is the SFU child of a load run: the
// binary running Run is re-executed with the same arguments, and its main
// (or test) must then call RunChild before anything else.
func IsChild() bool { return os.Getenv(childEnv) == "1" }

// Run performs the ramp and writes one line per step and a final JSON line
// to out. Unless cfg.InProcess, the SFU runs in a child process: this
// binary, re-executed (see IsChild).
func Run(ctx context.Context, cfg Config, out io.Writer) (Result, error) {
	if IsChild() {
		return Result{}, errors.New("sfuload: Run called in the SFU child; call RunChild")
	}
	def := DefaultConfig()
	if len(cfg.Steps) == 0 {
		cfg.Steps = def.Steps
	}
	if cfg.Settle <= 0 {
		cfg.Settle = def.Settle
	}
	if cfg.Measure <= 0 {
		cfg.Measure = def.Measure
	}
	if cfg.MaxDuration <= 0 {
		cfg.MaxDuration = def.MaxDuration
	}
	if cfg.MaxLossPct <= 0 {
		cfg.MaxLossPct = def.MaxLossPct
	}
	if cfg.StartParallel <= 0 {
		cfg.StartParallel = def.StartParallel
	}
	frames, err := parseIVF(clipIVF)
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.MaxDuration)
	defer cancel()
	if path := os.Getenv(profileEnv); path != "" && !cfg.InProcess {
		stop := profile(ctx, path+".gen")
		defer stop()
	}

	url, pid, stopSFU, err := startSFU(ctx, cfg.InProcess, cfg.UDPReadInterval)
	if err != nil {
		return Result{}, err
	}
	defer stopSFU()
	if !cfg.InProcess {
		defer quietGeneratorGC()()
	}
	res := Result{SFUMode: "child-process"}
	if !cfg.InProcess && cfg.GeneratorPriority != "" {
		if err := yieldToSFU(cfg.GeneratorPriority); err != nil {
			fmt.Fprintf(out, "could not lower the generator's priority: %v\n", err)
		}
	}
	if cfg.InProcess {
		res.SFUMode = "in-process (cpu/rss include load generator)"
	}

	// A few sending goroutines for all clients instead of two per client
	// (see pacer).
	pace := newPacer(pacerPhases)
	defer pace.Close()
	g := &gen{url: url, frames: frames, epoch: time.Now(), pacer: pace, nominalPPS: publisherPPS(frames, clipFPS)}
	defer g.closeAll()
	start := time.Now()
	var lastStep time.Duration
	for _, n := range cfg.Steps {
		// Leave room for this step if the previous one is any guide.
		if lastStep > 0 && time.Since(start)+lastStep > cfg.MaxDuration-5*time.Second {
			fmt.Fprintf(out, "stopping: time budget\n")
			break
		}
		stepStart := time.Now()
		failed, why := g.rampTo(ctx, n, cfg.StartParallel)
		if why != nil {
			fmt.Fprintf(out, "start failed: %v\n", why)
		}
		if ctx.Err() != nil {
			break
		}
		if len(g.pairs) == 0 {
			return res, ErrNoSessions
		}
		st, err := g.measure(ctx, pid, cfg.Settle, cfg.Measure)
		if err != nil {
			break
		}
		st.FailedStarts = failed
		res.Steps = append(res.Steps, st)
		fmt.Fprintf(out, "sessions=%4d fwd_pps=%8.0f loss=%6.3f%% lat_p50=%6.2fms lat_p99=%7.2fms e2e_p50=%6.2fms e2e_p99=%7.2fms sfu_cpu=%5.2f/s sfu_rss=%6.1fMB gen_cpu=%5.2f/s udp_rcvbuf_drops=%d steal=%.0f%% sent=%.1f%% failed_starts=%d\n",
			st.Sessions, st.ForwardedPPS, st.LossPct, st.LatencyP50Ms, st.LatencyP99Ms, st.E2EP50Ms, st.E2EP99Ms, st.SFUCPUPerS, st.SFURSSMB, st.GenCPUPerS, st.UDPRcvbufErrors, st.StealPct, st.SentPct, failed)
		lastStep = time.Since(stepStart)
		if st.SentPct < minSentPct {
			fmt.Fprintf(out, "stopping: the generator sent %.1f%% of the media due (its own CPU limit, not the SFU's)\n", st.SentPct)
			break
		}
		if st.LossPct >= cfg.MaxLossPct || failed > 0 {
			break
		}
	}
	pick := -1
	for i, st := range res.Steps {
		if st.LossPct < cfg.MaxLossPct && st.FailedStarts == 0 && st.SentPct >= minSentPct {
			res.MaxSessions, pick = st.Sessions, i
			if st.LatencyP99Ms <= targetP99Ms && st.SFURSSMB <= targetRSSMB {
				res.TargetSessions = st.Sessions
			}
		}
	}
	if pick < 0 && len(res.Steps) > 0 {
		pick = len(res.Steps) - 1
	}
	if pick >= 0 {
		st := res.Steps[pick]
		res.LossPct, res.AddedLatencyP99Ms, res.AddedLatencyP50Ms = st.LossPct, st.LatencyP99Ms, st.LatencyP50Ms
		res.E2ELatencyP99Ms = st.E2EP99Ms
		res.SFUCPUPerS, res.SFURSSMB = st.SFUCPUPerS, st.SFURSSMB
	}
	fmt.Fprintf(out, "within targets (loss < %g%%, p99 <= %d ms, RSS <= %d MB): %d sessions\n",
		cfg.MaxLossPct, targetP99Ms, targetRSSMB, res.TargetSessions)
	b, err := json.Marshal(res)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(out, "%s\n", b)
	return res, nil
}

// startSFU returns the websocket URL, the pid to measure ("self" in
// process) and a stop function.
func startSFU(ctx context.Context, inProcess bool, readInterval time.Duration) (string, string, func(), error) {
	if !inProcess {
		c, err := startChild(ctx, readInterval)
		if err != nil {
			return "", "", nil, err
		}
		return c.url, c.pid, c.stop, nil
	}
	sctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serveSFU(sctx, pw, nil, readInterval); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), readyPrefix)
	if err != nil || !ok {
		cancel()
		return "", "", nil, fmt.Errorf("sfuload: in-process SFU did not start: %w", errors.Join(err, <-done))
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return url, "self", func() { cancel(); <-done }, nil
}

// gen holds the running sessions.
type gen struct {
	url    string
	frames [][]byte
	// nominalPPS is what one publisher sends per second (see publisherPPS).
	nominalPPS float64
	epoch      time.Time
	pacer      *pacer
	mu         sync.Mutex
	pairs      []pair
	next       int
}

func (g *gen) closeAll() {
	var wg sync.WaitGroup
	for _, p := range g.pairs {
		wg.Add(1)
		go func() { defer wg.Done(); p.close() }()
	}
	wg.Wait()
}

// retryOffset numbers a retried session's room apart from first attempts.
const retryOffset = 1_000_000

// rampTo starts sessions until n run; it returns how many failed to start
// and the first failure's reason.
func (g *gen) rampTo(ctx context.Context, n, parallel int) (int, error) {
	need := n - len(g.pairs)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var failMu sync.Mutex
	failed := 0
	var why error
	for range need {
		g.next++
		id := g.next
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p, err := g.startPair(ctx, id)
			if err != nil && ctx.Err() == nil {
				// One retry: a Pion client whose first offer crosses the
				// SFU's cannot roll back and never connects (see
				// sfutest.Client.onOffer); browsers are not affected.
				p, err = g.startPair(ctx, id+retryOffset)
			}
			if err != nil {
				failMu.Lock()
				failed++
				if why == nil {
					why = fmt.Errorf("session %d: %w", id, err)
				}
				failMu.Unlock()
				return
			}
			g.mu.Lock()
			g.pairs = append(g.pairs, p)
			g.mu.Unlock()
		}()
	}
	wg.Wait()
	return failed, why
}

func (g *gen) startPair(ctx context.Context, id int) (pair, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	room := "load-" + strconv.Itoa(id)
	dial := func(pid string, role signaling.Role, admit bool) (*leanClient, error) {
		return dialLean(ctx, sfutest.ClientConfig{
			URL: g.url, Credential: credential(room, pid, role), Publish: true, AutoAdmit: admit,
			Video: &clipSource{frames: g.frames}, FPS: clipFPS, Epoch: g.epoch,
		}, g.pacer)
	}
	clerk, err := dial(room+"-clerk", signaling.RoleClerk, true)
	if err != nil {
		return pair{}, fmt.Errorf("clerk: %w", err)
	}
	cit, err := dial(room+"-citizen", signaling.RoleCitizen, false)
	if err != nil {
		clerk.Close()
		return pair{}, fmt.Errorf("citizen: %w", err)
	}
	p := pair{clerk: clerk, citizen: cit}
	clerk.setPartner(cit)
	cit.setPartner(clerk)
	for i, c := range []*leanClient{clerk, cit} {
		if err := c.WaitConnected(ctx); err != nil {
			p.close()
			return pair{}, fmt.Errorf("%s not connected: %w (received %s)",
				[]string{"clerk", "citizen"}[i], err, messageTypes(c))
		}
	}
	return p, nil
}

// messageTypes lists the types of the signaling messages c received, which
// tells where a session that never connected got stuck.
func messageTypes(c *leanClient) string {
	var b strings.Builder
	for i, m := range c.Messages() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m.MessageType())
	}
	return b.String()
}

type snapshot struct {
	at        time.Time
	sent      int64
	packets   int64
	expected  int64
	received  int64
	cpu       float64
	genCPU    float64
	rcvbufErr int64
	steal     float64
	total     float64
}

func (g *gen) snap(pid string) snapshot {
	s := snapshot{at: time.Now()}
	for _, p := range g.pairs {
		for _, c := range []*leanClient{p.clerk, p.citizen} {
			s.packets += c.video.packets.Load() + c.audio.packets.Load()
			s.sent += c.SentPackets.Load()
			e, r := c.loss()
			s.expected += e
			s.received += r
		}
	}
	s.cpu, _ = cpuSeconds(pid)
	s.genCPU, _ = cpuSeconds("self")
	s.rcvbufErr, _ = udpRcvbufErrors()
	s.steal, s.total, _ = MachineCPU()
	return s
}

// latencies takes the samples since the last call: transit (added by the
// SFU) and end-to-end, in ms.
func (g *gen) latencies(keep bool) (transit, e2e []float64) {
	var ts, es [][]float64
	nt, ne := 0, 0
	for _, p := range g.pairs {
		for _, c := range []*leanClient{p.clerk, p.citizen} {
			for _, st := range []*mediaStats{&c.video, &c.audio} {
				t, e := st.transit.take(), st.latency.take()
				ts, es, nt, ne = append(ts, t), append(es, e), nt+len(t), ne+len(e)
			}
		}
	}
	if !keep {
		return nil, nil
	}
	transit, e2e = make([]float64, 0, nt), make([]float64, 0, ne)
	for i := range ts {
		transit, e2e = append(transit, ts[i]...), append(e2e, es[i]...)
	}
	return transit, e2e
}

func (g *gen) measure(ctx context.Context, pid string, settle, window time.Duration) (Step, error) {
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return Step{}, ctx.Err()
	}
	g.latencies(false)
	requestTrace(pid)
	a := g.snap(pid)
	select {
	case <-time.After(window):
	case <-ctx.Done():
		return Step{}, ctx.Err()
	}
	b := g.snap(pid)
	lat, e2e := g.latencies(true)
	secs := b.at.Sub(a.at).Seconds()
	st := Step{
		Sessions:        len(g.pairs),
		ForwardedPPS:    float64(b.packets-a.packets) / secs,
		LatencyP50Ms:    round2(percentile(lat, 50)),
		LatencyP99Ms:    round2(percentile(lat, 99)),
		E2EP50Ms:        round2(percentile(e2e, 50)),
		E2EP99Ms:        round2(percentile(e2e, 99)),
		SFUCPUPerS:      round2((b.cpu - a.cpu) / secs),
		GenCPUPerS:      round2((b.genCPU - a.genCPU) / secs),
		UDPRcvbufErrors: b.rcvbufErr - a.rcvbufErr,
	}
	if due := g.nominalPPS * float64(2*st.Sessions) * secs; due > 0 {
		st.SentPct = round2(100 * float64(b.sent-a.sent) / due)
	}
	if b.total > a.total {
		st.StealPct = round2(100 * (b.steal - a.steal) / (b.total - a.total))
	}
	if exp := b.expected - a.expected; exp > 0 {
		st.LossPct = round2(max(0, 100*float64(exp-(b.received-a.received))/float64(exp)))
	}
	st.SFURSSMB, _ = rssMB(pid)
	st.SFURSSMB = round2(st.SFURSSMB)
	return st, nil
}

func round2(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Round(v*100) / 100
}
