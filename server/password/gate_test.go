package password

import (
	"errors"
	"runtime"
	"testing"
)

func TestHashSlots(t *testing.T) {
	perHash := int64(MemoryKiB) << 10
	cpuCap := 4 * runtime.GOMAXPROCS(0)
	tests := []struct {
		name       string
		configured int
		budget     int64
		want       int
	}{
		{"configured wins", 3, 1 << 40, 3},
		{"a quarter of 512 MiB", 0, 512 << 20, min(int(512<<20/4/perHash), cpuCap)},
		{"tiny container still hashes", 0, 32 << 20, 1},
		{"big host capped per CPU", 0, 1 << 40, cpuCap},
	}
	for _, tt := range tests {
		if got := Slots(tt.configured, tt.budget); got != tt.want {
			t.Errorf("%s: Slots(%d, %d) = %d, want %d", tt.name, tt.configured, tt.budget, got, tt.want)
		}
	}
}

// TestHashGateRefusesWhenFull: with the one slot held, run answers
// ErrBusy without calling f.
func TestHashGateRefusesWhenFull(t *testing.T) {
	g := NewGate(1, 0)
	err := g.run(func() {
		if err := g.run(func() { t.Error("ran without a slot") }); !errors.Is(err, ErrBusy) {
			t.Errorf("second run: %v, want ErrBusy", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.run(func() {}); err != nil {
		t.Fatalf("after release: %v", err)
	}
}
