package server

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuMark is a point in time for the CPU figures of one load phase: this
// process's CPU time (server and generator together when in-process) and
// the machine's steal time, which on a shared VM explains runs that are
// slow for reasons outside the program.
type cpuMark struct {
	at      time.Time
	process time.Duration
	steal   float64 // seconds; negative when unknown (not Linux)
	total   float64 // seconds of all CPU states, all cores
}

func markCPU() cpuMark {
	m := cpuMark{at: time.Now(), steal: -1}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		m.process = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	m.steal, m.total = machineSteal()
	return m
}

// machineSteal reads the aggregate "cpu" line of /proc/stat (USER_HZ ticks:
// user nice system idle iowait irq softirq steal ...).
func machineSteal() (steal, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return -1, 0
	}
	for i, v := range f[1:] {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return -1, 0
		}
		if i < 8 { // guest time is already counted in user
			total += n / 100
		}
		if i == 7 {
			steal = n / 100
		}
	}
	return steal, total
}

// since describes the CPU use between m and now.
func (m cpuMark) since() string {
	now := markCPU()
	secs := now.at.Sub(m.at).Seconds()
	if secs <= 0 {
		return ""
	}
	s := fmt.Sprintf("  cpu: this process %.2f cores", (now.process-m.process).Seconds()/secs)
	if m.steal >= 0 && now.steal >= 0 && now.total > m.total {
		s += fmt.Sprintf(", machine steal %.0f%% (time the VM's cores ran someone else)", 100*(now.steal-m.steal)/(now.total-m.total))
	}
	return s
}
