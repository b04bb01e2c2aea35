package altcha

import (
	"fmt"
	"sync"
	"time"
)

// usedSet remembers solved challenges until they expire, so each is
// accepted once. Entries leave in insertion order once expired; expiries
// are nearly in that order too (one TTL for all), so an entry outlives its
// challenge by at most one TTL. When full, it refuses rather than forgets:
// forgetting would let a solution be used twice.
type usedSet struct {
	mu    sync.Mutex
	max   int
	byKey map[string]time.Time
	order []usedEntry // insertion order, for expiry; live from head on
	head  int
}

type usedEntry struct {
	key     string
	expires time.Time
}

func newUsedSet(max int) *usedSet {
	return &usedSet{max: max, byKey: make(map[string]time.Time)}
}

// add marks key used until expires; key is the challenge, unique per salt.
func (u *usedSet) add(now time.Time, key string, expires time.Time) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.expire(now)
	if _, ok := u.byKey[key]; ok {
		return ErrReplayed
	}
	if len(u.byKey) >= u.max {
		return fmt.Errorf("%w (%d)", ErrFull, u.max)
	}
	u.byKey[key] = expires
	u.order = append(u.order, usedEntry{key: key, expires: expires})
	return nil
}

// expire drops expired entries from the front of the insertion order.
func (u *usedSet) expire(now time.Time) {
	for u.head < len(u.order) && now.After(u.order[u.head].expires) {
		delete(u.byKey, u.order[u.head].key)
		u.order[u.head] = usedEntry{}
		u.head++
	}
	// Compact once half is dead: amortised constant work per entry, and
	// the array does not grow forever.
	if u.head > len(u.order)/2 {
		n := copy(u.order, u.order[u.head:])
		clear(u.order[n:])
		u.order, u.head = u.order[:n], 0
	}
}

// len reports the number of remembered solutions.
func (u *usedSet) len() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.byKey)
}
