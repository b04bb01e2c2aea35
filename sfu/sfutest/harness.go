// Package sfutest holds helpers for exercising the SFU end to end: a
// loopback configuration, an in-memory Authorizer, an event recorder, a
// websocket test server and an in-process Pion client that speaks the real
// signaling protocol. The load generator (sfu/sfuload) puts its own lean
// WebRTC stack below the same client (Stack).
package sfutest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// ErrUnknownCredential is returned by Authorizer for credentials it does not know.
var ErrUnknownCredential = errors.New("sfutest: unknown credential")

// LoopbackConfig binds everything to 127.0.0.1 on random ports, with timers
// short enough for tests.
func LoopbackConfig() sfu.Config {
	c := sfu.DefaultConfig()
	c.LoopbackOnly = true
	// Remote candidates on loopback are refused unless allowed.
	c.AllowedCandidateNetworks = []string{"127.0.0.0/8", "::1/128"}
	c.UDPPort = 0
	c.TCPPort = 0
	c.ICETCP = false
	c.PingInterval = 5 * time.Second
	c.ReconnectGrace = 2 * time.Second
	c.TURN.ListenAddr = "127.0.0.1:0"
	c.TURN.PublicIP = "127.0.0.1"
	c.TURN.Secret = "test-secret-0123456789"
	return c
}

// Authorizer is an in-memory sfu.Authorizer.
type Authorizer struct {
	mu     sync.Mutex
	grants map[string]sfu.Grant
}

// NewAuthorizer returns an empty Authorizer.
func NewAuthorizer() *Authorizer { return &Authorizer{grants: map[string]sfu.Grant{}} }

// Add makes credential valid for g.
func (a *Authorizer) Add(credential string, g sfu.Grant) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.grants[credential] = g
}

// Authorize implements sfu.Authorizer.
func (a *Authorizer) Authorize(_ context.Context, credential string) (sfu.Grant, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	g, ok := a.grants[credential]
	if !ok {
		return sfu.Grant{}, ErrUnknownCredential
	}
	return g, nil
}

// Recorder is an sfu.Observer that keeps every event.
type Recorder struct {
	mu      sync.Mutex
	evs     []sfu.Event
	changed chan struct{}
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{changed: make(chan struct{})} }

// RoomEvent implements sfu.Observer.
func (r *Recorder) RoomEvent(_ context.Context, ev sfu.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, ev)
	close(r.changed)
	r.changed = make(chan struct{})
}

// Events returns a copy of everything recorded so far.
func (r *Recorder) Events() []sfu.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sfu.Event(nil), r.evs...)
}

// WaitFor blocks until an event matching pred has been recorded.
func (r *Recorder) WaitFor(ctx context.Context, pred func(sfu.Event) bool) (sfu.Event, error) {
	for {
		r.mu.Lock()
		for _, ev := range r.evs {
			if pred(ev) {
				r.mu.Unlock()
				return ev, nil
			}
		}
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return sfu.Event{}, ctx.Err()
		}
	}
}

// Handler upgrades requests to websockets and hands them to s. Origin is
// checked by gorilla's default (same host or no Origin header).
func Handler(s *sfu.SFU) http.Handler {
	up := websocket.Upgrader{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		s.ServeConn(r.Context(), c)
	})
}

// NewServer serves the SFU's websocket at /ws and, if pages is non-nil,
// other paths from it. It listens on 127.0.0.1 only.
func NewServer(s *sfu.SFU, pages http.Handler) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("/ws", Handler(s))
	if pages != nil {
		mux.Handle("/", pages)
	}
	return httptest.NewServer(mux)
}

// WebsocketURL turns an httptest server URL into its /ws websocket URL.
func WebsocketURL(srv *httptest.Server) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
}
