package roomgate

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// StaffLinks ends what a staff login keeps open beyond single requests –
// waiting streams (SSE) and signaling connections – when the login ends:
// logout, deactivation, password change (booking reports these through
// Options.SessionsEnded) or expiry (a timer per login that opened any).
// A request-by-request check would leave them running for hours.
//
// This is per process. Other processes on the same database notice within
// a keepalive interval: waiting streams re-authenticate on every keepalive.
type StaffLinks struct {
	media   func() *sfu.SFU // set once the media server runs
	mu      sync.Mutex
	streams map[*staffStream]struct{}
	expiry  map[string]*time.Timer // by session token hash
}

type staffStream struct {
	userID int64
	hash   string
	cancel context.CancelFunc
}

// NewStaffLinks returns links ending media connections through media,
// which is nil until the media server runs.
func NewStaffLinks(media func() *sfu.SFU) *StaffLinks {
	return &StaffLinks{media: media, streams: map[*staffStream]struct{}{}, expiry: map[string]*time.Timer{}}
}

// Watch arms the end of a login's connections at its expiry (once per login).
func (l *StaffLinks) Watch(userID int64, s booking.Session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.expiry[s.TokenHash]; ok {
		return
	}
	l.expiry[s.TokenHash] = time.AfterFunc(time.Until(s.ExpiresAt), func() { l.Revoke(userID, s.TokenHash) })
}

// Stream registers a waiting stream of a login; its context ends when the
// login does. Call the returned function when the stream ends.
func (l *StaffLinks) Stream(ctx context.Context, userID int64, s booking.Session) (context.Context, func()) {
	l.Watch(userID, s)
	ctx, cancel := context.WithCancel(ctx)
	st := &staffStream{userID: userID, hash: s.TokenHash, cancel: cancel}
	l.mu.Lock()
	l.streams[st] = struct{}{}
	l.mu.Unlock()
	return ctx, func() {
		l.mu.Lock()
		delete(l.streams, st)
		l.mu.Unlock()
		cancel()
	}
}

// Revoke ends the connections of one login (tokenHash) or, with an empty
// hash, of every login of the user.
func (l *StaffLinks) Revoke(userID int64, tokenHash string) {
	l.mu.Lock()
	for st := range l.streams {
		if st.userID == userID && (tokenHash == "" || st.hash == tokenHash) {
			st.cancel()
			delete(l.streams, st)
		}
	}
	if t, ok := l.expiry[tokenHash]; ok {
		t.Stop()
		delete(l.expiry, tokenHash)
	}
	l.mu.Unlock()
	m := l.media()
	if m == nil {
		return
	}
	if tokenHash == "" {
		m.EndParticipant("staff-"+strconv.FormatInt(userID, 10), signaling.ReasonSessionEnded)
		return
	}
	m.EndSession(StaffSessionKey(tokenHash), signaling.ReasonSessionEnded)
}

// EndStreams ends every waiting stream: the server is shutting down, and
// browsers reconnect to the next one by themselves.
func (l *StaffLinks) EndStreams() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for st := range l.streams {
		st.cancel()
		delete(l.streams, st)
	}
}

// Close stops the expiry timers (shutdown).
func (l *StaffLinks) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for h, t := range l.expiry {
		t.Stop()
		delete(l.expiry, h)
	}
}
