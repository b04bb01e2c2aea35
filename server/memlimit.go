package server

import (
	"bufio"
	"bytes"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
)

// fallbackMemoryBytes is assumed when no limit can be read (not Linux).
const fallbackMemoryBytes = 1 << 30

// memoryBudget is the memory this process may use: the smallest of
// GOMEMLIMIT, the cgroup limit (v2 or v1) and the physical memory.
// readFile is os.ReadFile outside tests.
func memoryBudget(readFile func(string) ([]byte, error)) int64 {
	budget := int64(math.MaxInt64)
	take := func(n int64) {
		if n > 0 && n < budget {
			budget = n
		}
	}
	take(debug.SetMemoryLimit(-1)) // MaxInt64 when unset
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := readFile(path); err == nil {
			// "max" (v2) fails to parse; v1 reports "no limit" as a huge number.
			if n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64); err == nil && n < 1<<50 {
				take(n)
			}
		}
	}
	if b, err := readFile("/proc/meminfo"); err == nil {
		take(memTotal(b))
	}
	if budget == math.MaxInt64 {
		return fallbackMemoryBytes
	}
	return budget
}

// memTotal reads MemTotal (in kB) from /proc/meminfo.
func memTotal(meminfo []byte) int64 {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}
