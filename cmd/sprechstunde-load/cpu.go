package main

import (
	"fmt"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/sfuload"
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
	m := cpuMark{at: time.Now(), steal: -1, process: processCPU()}
	if steal, total, err := sfuload.MachineCPU(); err == nil {
		m.steal, m.total = steal, total
	}
	return m
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
