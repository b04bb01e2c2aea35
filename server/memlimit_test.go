package server

import (
	"io/fs"
	"runtime/debug"
	"testing"
)

// TestMemoryBudget: the smallest known limit wins; "max" and v1's huge
// "no limit" are no limits.
func TestMemoryBudget(t *testing.T) {
	if debug.SetMemoryLimit(-1) < 1<<40 {
		t.Skip("GOMEMLIMIT is set for this test process")
	}
	meminfo := "MemTotal:        8000000 kB\nMemFree:         1000 kB\n"
	tests := []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"physical memory only", map[string]string{"/proc/meminfo": meminfo}, 8000000 << 10},
		{"cgroup v2 limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "536870912\n"}, 512 << 20},
		{"cgroup v2 without limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}, 8000000 << 10},
		{"cgroup v1 without limit", map[string]string{"/proc/meminfo": meminfo,
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n"}, 8000000 << 10},
		{"nothing readable", map[string]string{}, fallbackMemoryBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := func(path string) ([]byte, error) {
				if s, ok := tt.files[path]; ok {
					return []byte(s), nil
				}
				return nil, fs.ErrNotExist
			}
			if got := memoryBudget(read); got != tt.want {
				t.Errorf("memoryBudget = %d, want %d", got, tt.want)
			}
		})
	}
}
