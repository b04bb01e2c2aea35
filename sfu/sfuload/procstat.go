package sfuload

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, fixed at 100 on every Linux architecture Go supports.
const clockTicks = 100

// cpuSeconds returns user+system CPU time of a process ("self" or a pid).
func cpuSeconds(pid string) (float64, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("sfuload: odd /proc/%s/stat", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("sfuload: short /proc/%s/stat", pid)
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("sfuload: parse /proc/%s/stat", pid)
	}
	return (ut + st) / clockTicks, nil
}

// rssMB returns the resident set size of a process in MiB.
func rssMB(pid string) (float64, error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("sfuload: no VmRSS for %s", pid)
}

// udpRcvbufErrors returns the kernel's count of UDP datagrams dropped
// because a socket's receive buffer was full (all sockets, this namespace).
func udpRcvbufErrors() (int64, error) {
	b, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return 0, err
	}
	var hdr []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "Udp:" {
			continue
		}
		if hdr == nil {
			hdr = f
			continue
		}
		for i, name := range hdr {
			if name == "RcvbufErrors" && i < len(f) {
				return strconv.ParseInt(f[i], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("sfuload: no Udp RcvbufErrors in /proc/net/snmp")
}

// MachineCPU returns the machine's steal time and the total of all CPU
// states, in seconds summed over cores, from the aggregate "cpu" line of
// /proc/stat (user nice system idle iowait irq softirq steal ...). Steal is
// time the hypervisor ran someone else on this VM's cores: on a shared
// machine it explains slow runs that no change to the program would fix.
// Both load generators print it.
func MachineCPU() (steal, total float64, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("sfuload: odd /proc/stat")
	}
	for i, v := range f[1:9] { // guest time is already counted in user
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("sfuload: parse /proc/stat: %w", err)
		}
		total += n / clockTicks
		if i == 7 {
			steal = n / clockTicks
		}
	}
	return steal, total, nil
}
