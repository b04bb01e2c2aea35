package sfu

// Procs is the GOMAXPROCS recommended for a process running the SFU: one
// more than the CPUs it may use (cpus, Go's default GOMAXPROCS).
//
// Forwarding is a chain of short goroutine hand-offs and system calls per
// packet. With exactly one scheduler slot per CPU, a slot whose thread the
// kernel preempts (for another process, for the hypervisor, or inside a
// system call) holds its queue of runnable goroutines until the thread
// runs again or another slot steals them, and every packet behind that
// queue waits. A spare slot keeps the queue moving. Measured with
// `sprechstunde-load sfu` on 2 CPUs at 100 sessions: p99 added latency
// 8.4-10.9 ms with 3 slots against 10.3-15.7 ms with 2, for about 10 % more
// SFU CPU (see docs/benchmarks.md).
func Procs(cpus int) int { return max(cpus, 1) + 1 }
