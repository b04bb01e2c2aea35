package sfu

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/turn/v5"
)

// TURN credentials are REST-style (username "expiry:participant", password
// an HMAC of it), but the HMAC alone would keep them valid until expiry
// whatever happens in the room. The book also keeps which ones are live:
// a credential is accepted only while it is on record, and revoking a
// participant (removal, room closed) strikes its credentials and cuts its
// relays at once.
const (
	// maxLiveCredentials bounds the credentials on record per participant;
	// each ice_servers request may add one, and the newest are kept.
	maxLiveCredentials = 8
	// maxAllocations bounds a participant's relays: one per browser
	// PeerConnection is what is needed, but after an ICE restart or a
	// reload the old one may linger unrefreshed for its lifetime.
	maxAllocations = 8
)

type credBook struct {
	secret string
	ttl    time.Duration
	now    func() time.Time

	mu        sync.Mutex
	live      map[string]map[string]time.Time // participant -> username -> expiry
	allocs    map[string]string               // client transport address -> participant
	blocked   map[string]bool                 // client transport addresses of revoked relays
	lastSweep time.Time
	nBlocked  atomic.Int64 // len(blocked), read without the lock for every packet
}

func newCredBook(secret string, ttl time.Duration, now func() time.Time) *credBook {
	return &credBook{secret: secret, ttl: ttl, now: now,
		live: map[string]map[string]time.Time{}, allocs: map[string]string{}, blocked: map[string]bool{}}
}

// issue records and returns credentials for a participant, valid for the
// configured lifetime but never beyond until (the end of the appointment).
func (b *credBook) issue(participantID string, now, until time.Time) (user, pass string) {
	exp := now.Add(b.ttl)
	if until.Before(exp) {
		exp = until
	}
	exp = exp.Truncate(time.Second) // the username carries whole seconds
	user, pass = turnCredentials(b.secret, participantID, exp)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweepLocked(now)
	creds := b.live[participantID]
	if creds == nil {
		creds = map[string]time.Time{}
		b.live[participantID] = creds
	}
	creds[user] = exp
	for len(creds) > maxLiveCredentials {
		oldest := ""
		for u, e := range creds {
			if oldest == "" || e.Before(creds[oldest]) {
				oldest = u
			}
		}
		delete(creds, oldest)
	}
	return user, pass
}

// sweepLocked forgets expired credentials, at most once a minute.
func (b *credBook) sweepLocked(now time.Time) {
	if now.Sub(b.lastSweep) < time.Minute {
		return
	}
	b.lastSweep = now
	for id, creds := range b.live {
		for u, exp := range creds {
			if !now.Before(exp) {
				delete(creds, u)
			}
		}
		if len(creds) == 0 {
			delete(b.live, id)
		}
	}
}

// revoke strikes the participants' credentials and blocks the client
// addresses of their relays, so media through them stops at once; Pion
// removes the allocations when their lifetime runs out unrefreshed.
func (b *credBook) revoke(participantIDs ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, id := range participantIDs {
		delete(b.live, id)
		for addr, owner := range b.allocs {
			if owner == id {
				b.blocked[addr] = true
			}
		}
	}
	b.nBlocked.Store(int64(len(b.blocked)))
}

// auth is the TURN server's AuthHandler: the HMAC must match, the
// credential must not have expired, and it must still be on record.
func (b *credBook) auth(ra *turn.RequestAttributes) (string, []byte, bool) {
	exp, id, ok := strings.Cut(ra.Username, ":")
	if !ok || id == "" {
		return "", nil, false
	}
	t, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !b.now().Before(time.Unix(t, 0)) {
		return "", nil, false
	}
	b.mu.Lock()
	_, live := b.live[id][ra.Username]
	b.mu.Unlock()
	if !live {
		return "", nil, false
	}
	return id, turn.GenerateAuthKey(ra.Username, ra.Realm, turnPassword(b.secret, ra.Username)), true
}

// quota refuses a participant's allocation beyond maxAllocations.
func (b *credBook) quota(participantID, _ string, _ net.Addr) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, owner := range b.allocs {
		if owner == participantID {
			n++
		}
	}
	return n < maxAllocations
}

// events keeps the book's map of relays up to date.
func (b *credBook) events() turn.EventHandler {
	return turn.EventHandler{
		OnAllocationCreated: func(src, _ net.Addr, _, participantID, _ string, _ net.Addr, _ int) {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.allocs[src.String()] = participantID
		},
		OnAllocationDeleted: func(src, _ net.Addr, _, _, _ string) {
			b.mu.Lock()
			defer b.mu.Unlock()
			delete(b.allocs, src.String())
			delete(b.blocked, src.String())
			b.nBlocked.Store(int64(len(b.blocked)))
		},
	}
}

func (b *credBook) isBlocked(a net.Addr) bool {
	if b.nBlocked.Load() == 0 {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.blocked[a.String()]
}

// gatedConn is the TURN server's socket with revoked relays cut off:
// nothing from their clients is read, nothing is sent to them.
type gatedConn struct {
	net.PacketConn
	blocked func(net.Addr) bool
}

func (c gatedConn) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.PacketConn.ReadFrom(p)
		if err != nil || !c.blocked(addr) {
			return n, addr, err
		}
	}
}

func (c gatedConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if c.blocked(addr) {
		return len(p), nil
	}
	return c.PacketConn.WriteTo(p, addr)
}
