package httpapi

import (
	"crypto/sha256"
	"slices"
	"sync"
	"time"
)

const (
	// LoginFreeFailures consecutive failures for one login name cost
	// nothing: people mistype.
	LoginFreeFailures = 3
	// loginBaseDelay is the wait after the first failure beyond those; it
	// doubles with each further failure up to loginMaxDelay.
	loginBaseDelay = 2 * time.Second
	loginMaxDelay  = 5 * time.Minute
	// loginForgetAfter: failures older than this no longer count.
	loginForgetAfter = 15 * time.Minute
	// loginThrottleEntries bounds the memory: about 100 bytes each.
	loginThrottleEntries = 10000
)

// accountThrottle slows password guessing against one account from many
// addresses, beside the per-IP limit: after LoginFreeFailures consecutive
// failures for a login name, the next attempt must wait a delay that
// doubles per failure. It never locks an account: the wait ends on its
// own, and a success clears it. Unknown names count like known ones, so
// the answer tells nothing about which accounts exist. Names are kept only
// as hashes.
type accountThrottle struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]throttleEntry
}

type throttleEntry struct {
	failures int
	last     time.Time // last attempt
	until    time.Time // no attempt before this
}

func newAccountThrottle() *accountThrottle {
	return &accountThrottle{entries: map[[sha256.Size]byte]throttleEntry{}}
}

// admit decides an attempt for the (normalised) name: a positive wait
// refuses it. An admitted attempt counts as a failure at once, before its
// password is checked, so parallel guesses for one name cannot all slip
// in before the first is judged; succeeded or undecided take it back.
func (t *accountThrottle) admit(name string, now time.Time) time.Duration {
	key := sha256.Sum256([]byte(name))
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.entries[key]
	if ok && now.Before(e.until) {
		return e.until.Sub(now)
	}
	if !ok || now.Sub(e.last) > loginForgetAfter {
		e = throttleEntry{}
		if len(t.entries) >= loginThrottleEntries {
			t.evict(now)
		}
	}
	e.failures++
	e.last = now
	if extra := e.failures - LoginFreeFailures; extra > 0 {
		delay := loginMaxDelay
		if extra <= 20 { // beyond, the shift alone would pass the maximum
			delay = min(loginBaseDelay<<(extra-1), loginMaxDelay)
		}
		e.until = now.Add(delay)
	}
	t.entries[key] = e
	return 0
}

// undecided takes back an admitted attempt whose password was never
// judged (hashing busy, a database error): it is not the person's fault.
func (t *accountThrottle) undecided(name string) {
	key := sha256.Sum256([]byte(name))
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.entries[key]; ok && e.failures > 0 {
		e.failures--
		if e.failures <= LoginFreeFailures {
			e.until = time.Time{}
		}
		t.entries[key] = e
	}
}

// succeeded clears name's failures: the password was right.
func (t *accountThrottle) succeeded(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, sha256.Sum256([]byte(name)))
}

// evict makes room: it drops forgotten entries and, if that frees too
// little, the tenth whose last failure is oldest, so a flood of invented
// names costs one sort per thousand failures, not a scan per failure.
// Called with mu held, only when full.
func (t *accountThrottle) evict(now time.Time) {
	type aged struct {
		key  [sha256.Size]byte
		last time.Time
	}
	kept := make([]aged, 0, len(t.entries))
	for k, e := range t.entries {
		if now.Sub(e.last) > loginForgetAfter {
			delete(t.entries, k)
			continue
		}
		kept = append(kept, aged{k, e.last})
	}
	if len(kept) < loginThrottleEntries*9/10 {
		return
	}
	slices.SortFunc(kept, func(a, b aged) int { return a.last.Compare(b.last) })
	for _, e := range kept[:len(kept)/10] {
		delete(t.entries, e.key)
	}
}

// size is the number of names remembered.
func (t *accountThrottle) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}
