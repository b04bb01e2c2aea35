package sfuload

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// childEnv marks the re-executed process that runs the SFU under test, so
// that its CPU and memory can be measured apart from the load generator.
const childEnv = "SPRECHSTUNDE_SFULOAD_CHILD"

// readyPrefix starts the child's line announcing its URL; anything else it
// prints (a test binary's chatter) is skipped.
const readyPrefix = "SFULOAD-READY "

// loadAuth admits the generator's own credentials "room|participant|role".
// It exists only inside the loopback-only child process.
type loadAuth struct{}

func (loadAuth) Authorize(_ context.Context, cred string) (sfu.Grant, error) {
	f := strings.Split(cred, "|")
	if len(f) != 3 {
		return sfu.Grant{}, errors.New("sfuload: bad credential")
	}
	now := time.Now()
	return sfu.Grant{RoomID: f[0], ParticipantID: f[1], Role: signaling.Role(f[2]),
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour)}, nil
}

func credential(room, pid string, role signaling.Role) string {
	return room + "|" + pid + "|" + string(role)
}

// serveSFU runs a loopback SFU, writes its websocket URL as the first line
// of out, and serves until stop is closed.
func serveSFU(ctx context.Context, out io.Writer, log *slog.Logger, readInterval time.Duration) error {
	cfg := sfutest.LoopbackConfig()
	cfg.MaxParticipants = 6
	cfg.UDPReadInterval = readInterval
	s, err := sfu.New(cfg, loadAuth{}, nil, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sfutest.Handler(s), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(out, "%sws://%s/ws\n", readyPrefix, ln.Addr())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return s.Close(sctx)
}

// readIntervalEnv hands the SFU's UDP read interval to the child.
const readIntervalEnv = childEnv + "_UDP_READ_INTERVAL"

// profileEnv names the file prefix for CPU and heap profiles: the child
// writes path.cpu and path.heap, the generator path.gen.cpu and
// path.gen.heap, so both sides of a run can be compared.
const profileEnv = childEnv + "_PROFILE"

// RunChild is the SFU child's whole life: serve until the parent closes
// stdin. With profileEnv=path it writes path.cpu (whole run) and path.heap
// (refreshed every 5 s, so it shows the heap under load).
func RunChild() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	if path := os.Getenv(profileEnv); path != "" {
		stop := profile(ctx, path)
		defer stop()
	}
	if prefix := os.Getenv(traceEnv); prefix != "" {
		childTraces(ctx, prefix)
	}
	tuneChildRuntime()
	interval, err := time.ParseDuration(os.Getenv(readIntervalEnv))
	if err != nil {
		log.Error("sfuload child", "err", err)
		return
	}
	if err := serveSFU(ctx, os.Stdout, log, interval); err != nil {
		log.Error("sfuload child", "err", err)
	}
}

func profile(ctx context.Context, path string) (stop func()) {
	f, err := os.Create(path + ".cpu")
	if err != nil {
		return func() {}
	}
	_ = pprof.StartCPUProfile(f)
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if h, err := os.Create(path + ".heap"); err == nil {
				_ = pprof.WriteHeapProfile(h)
				_ = h.Close()
			}
		}
	}()
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// child is the SFU process as seen from the generator.
type child struct {
	cmd   *exec.Cmd
	stdin io.Closer
	pid   string
	url   string
}

// startChild re-executes the current binary with the same arguments; the
// re-executed main sees childEnv (IsChild) and serves the SFU instead.
func startChild(ctx context.Context, readInterval time.Duration) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"=1", readIntervalEnv+"="+readInterval.String())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("sfuload: start SFU process: %w", err)
	}
	c := &child{cmd: cmd, stdin: in, pid: strconv.Itoa(cmd.Process.Pid)}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(outPipe)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), readyPrefix); ok {
				line <- strings.TrimSpace(url)
				break
			}
		}
		_, _ = io.Copy(io.Discard, outPipe)
		close(line)
	}()
	select {
	case c.url = <-line:
	case <-ctx.Done():
		c.stop()
		return nil, ctx.Err()
	case <-time.After(30 * time.Second):
		c.stop()
		return nil, errors.New("sfuload: SFU process did not start")
	}
	if !strings.HasPrefix(c.url, "ws://127.0.0.1:") {
		c.stop()
		return nil, fmt.Errorf("sfuload: SFU process said %q", c.url)
	}
	return c, nil
}

func (c *child) stop() {
	_ = c.stdin.Close()
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}
