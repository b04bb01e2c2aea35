package password

import (
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy means every hashing slot stayed taken for the whole wait;
// the API answers 503 with Retry-After.
var ErrBusy = errors.New("password: hashing busy")

const (
	// DefaultWait is how long a caller may queue for a slot: a few hash
	// durations, short enough that a flood is answered fast.
	DefaultWait = 500 * time.Millisecond
	// hashMemoryShare: hashing may take a quarter of the memory budget.
	hashMemoryShare = 4
)

// Gate bounds how many password hashes run at once. Each argon2id
// hash holds MemoryKiB for its whole run, so without a bound a login
// flood takes the process to gigabytes. Excess callers wait briefly, then
// get ErrBusy, which costs nothing.
type Gate struct {
	slots   chan struct{}
	running atomic.Int64
	// Wait is how long a caller queues for a slot before ErrBusy; set it
	// before first use.
	Wait time.Duration
	// Held, when set (tests only, before first use), is called by each
	// caller while it holds a slot, with the number of hashes running then.
	Held func(running int)
}

// NewGate returns a gate of slots concurrent hashes (at least one).
func NewGate(slots int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(slots, 1)), Wait: wait}
}

// Slots is the configured number of concurrent hashes or, for 0, as
// many as fit into a share of the memory budget, at least one and at most
// four per CPU (more only queue for the processor while holding memory).
func Slots(configured int, budget int64) int {
	if configured > 0 {
		return configured
	}
	n := budget / hashMemoryShare / (MemoryKiB << 10)
	return int(min(max(n, 1), int64(4*runtime.GOMAXPROCS(0))))
}

// run calls f holding a slot, or returns ErrBusy without calling it.
func (g *Gate) run(f func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.Wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return ErrBusy
		}
	}
	n := g.running.Add(1)
	defer func() {
		g.running.Add(-1)
		<-g.slots
	}()
	if g.Held != nil {
		g.Held(int(n))
	}
	f()
	return nil
}

// Hasher is booking's PasswordHasher: argon2id behind the gate, for
// logins, new accounts and password changes alike.
type Hasher struct{ Gate *Gate }

// Hash hashes pw holding a slot of the gate.

func (h Hasher) Hash(pw string) (hash string, err error) {
	if gerr := h.Gate.run(func() { hash, err = Hash(pw) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// Verify checks pw against hash holding a slot of the gate.
func (h Hasher) Verify(hash, pw string) (ok bool, err error) {
	if gerr := h.Gate.run(func() { ok, err = Verify(hash, pw) }); gerr != nil {
		return false, gerr
	}
	return ok, err
}
