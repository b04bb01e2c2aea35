package sfuload

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// Runtime settings of the SFU under test, as recommended in the sfu package
// documentation for production (and applied by the server's serve), unless
// the environment sets its own: one scheduler slot more than CPUs (see
// sfu.Procs), and for GC: a forwarding SFU keeps a small live heap, so
// collecting less often saves CPU, and the memory limit (not GOGC) bounds
// RSS once the heap grows with load.
const (
	childGCPercent   = 200
	childMemoryLimit = 256 << 20
)

func tuneChildRuntime() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(sfu.Procs(runtime.GOMAXPROCS(0)))
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(childGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(childMemoryLimit)
	}
}

// The generator's own GC settings while it runs, unless the environment
// sets GOGC or GOMEMLIMIT. Each of its collections marks the heap of a few
// hundred clients for 50-150 ms on a core the SFU under test needs; the
// latency figures showed those collections as spikes. The generator makes
// about 10 MB of garbage per second, so a high memory limit instead of
// GOGC means few or no collections in a run, at the price of up to
// generatorMemoryLimit of memory.
const generatorMemoryLimit = 1 << 30

// quietGeneratorGC applies the generator's GC settings and returns a
// function that restores the previous ones.
func quietGeneratorGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(generatorMemoryLimit)
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
