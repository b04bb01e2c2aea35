package server

import (
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// errHashBusy means every hashing slot stayed taken for the whole wait;
// the API answers 503 with Retry-After.
var errHashBusy = errors.New("server: password hashing busy")

const (
	// hashGateWait is how long a caller may queue for a slot: a few hash
	// durations, short enough that a flood is answered fast.
	hashGateWait = 500 * time.Millisecond
	// hashMemoryShare: hashing may take a quarter of the memory budget.
	hashMemoryShare = 4
)

// hashGate bounds how many password hashes run at once. Each argon2id
// hash holds argonMemoryKiB for its whole run, so without a bound a login
// flood takes the process to gigabytes. Excess callers wait briefly, then
// get errHashBusy, which costs nothing.
type hashGate struct {
	slots   chan struct{}
	wait    time.Duration
	running atomic.Int64
	// held, when set (tests only), is called by each caller while it holds
	// a slot, with the number of hashes running at that moment.
	held func(running int)
}

func newHashGate(slots int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(slots, 1)), wait: wait}
}

// hashSlots is the configured number of concurrent hashes or, for 0, as
// many as fit into a share of the memory budget, at least one and at most
// four per CPU (more only queue for the processor while holding memory).
func hashSlots(configured int, budget int64) int {
	if configured > 0 {
		return configured
	}
	n := budget / hashMemoryShare / (argonMemoryKiB << 10)
	return int(min(max(n, 1), int64(4*runtime.GOMAXPROCS(0))))
}

// run calls f holding a slot, or returns errHashBusy without calling it.
func (g *hashGate) run(f func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return errHashBusy
		}
	}
	n := g.running.Add(1)
	defer func() {
		g.running.Add(-1)
		<-g.slots
	}()
	if g.held != nil {
		g.held(int(n))
	}
	f()
	return nil
}

// argonHasher is booking's PasswordHasher: argon2id behind the gate, for
// logins, new accounts and password changes alike.
type argonHasher struct{ gate *hashGate }

func (h argonHasher) Hash(pw string) (hash string, err error) {
	if gerr := h.gate.run(func() { hash, err = HashPassword(pw) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

func (h argonHasher) Verify(hash, pw string) (ok bool, err error) {
	if gerr := h.gate.run(func() { ok, err = VerifyPassword(hash, pw) }); gerr != nil {
		return false, gerr
	}
	return ok, err
}
