package sfuload

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/trace"
	"strconv"
	"syscall"
	"time"
)

// traceEnv names a file prefix: the SFU child then writes a Go execution
// trace of the first traceSpan of each step's measuring window, to
// prefix.1.trace, prefix.2.trace, … in step order. `go tool trace
// -pprof=sched FILE` shows where goroutines waited to run.
const traceEnv = childEnv + "_TRACE"

const traceSpan = 2 * time.Second

// requestTrace asks the child (by SIGUSR1) for a trace, if traces are on.
func requestTrace(pid string) {
	if os.Getenv(traceEnv) == "" {
		return
	}
	if n, err := strconv.Atoi(pid); err == nil {
		_ = syscall.Kill(n, syscall.SIGUSR1)
	}
}

// childTraces writes a trace for each request until ctx ends.
func childTraces(ctx context.Context, prefix string) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		defer signal.Stop(sig)
		for n := 1; ; n++ {
			select {
			case <-ctx.Done():
				return
			case <-sig:
			}
			if err := traceTo(ctx, fmt.Sprintf("%s.%d.trace", prefix, n)); err != nil {
				fmt.Fprintln(os.Stderr, "sfuload child: trace:", err)
			}
		}
	}()
}

func traceTo(ctx context.Context, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		return err
	}
	select {
	case <-time.After(traceSpan):
	case <-ctx.Done():
	}
	trace.Stop()
	return nil
}
