package sfu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// SFU forwards media between admitted participants of small rooms.
type SFU struct {
	cfg  Config
	auth Authorizer
	obs  Observer
	log  *slog.Logger
	pl   pionLogs
	net  *mediaNet
	se   webrtc.SettingEngine // shared; each PeerConnection adds its buffers (apiFor)
	turn *turnServer

	mu     sync.Mutex
	rooms  map[string]*room
	closed bool
	conns  sync.WaitGroup // running ServeConn calls

	forwarded atomic.Uint64 // see Stats
}

// New starts the ICE sockets (and TURN, if enabled). obs and log may be nil.
func New(cfg Config, auth Authorizer, obs Observer, log *slog.Logger) (*SFU, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if auth == nil {
		return nil, fmt.Errorf("%w: Authorizer is required", ErrInvalidConfig)
	}
	if obs == nil {
		obs = nopObserver{}
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	pl := pionLogs{log: log}
	mn, err := newMediaNet(cfg, log, pl)
	if err != nil {
		return nil, err
	}
	se, err := mn.settingEngine(cfg, pl)
	if err != nil {
		_ = mn.close()
		return nil, err
	}
	if _, err := newAPI(se, pl); err != nil { // fail at start, not at the first join
		_ = mn.close()
		return nil, err
	}
	s := &SFU{cfg: cfg, auth: auth, obs: obs, log: log, pl: pl, net: mn, se: se,
		rooms: map[string]*room{}}
	if cfg.TURN.Enabled {
		if s.turn, err = startTURN(cfg.TURN, pl); err != nil {
			_ = mn.close()
			return nil, err
		}
	}
	log.Info("sfu started", "udp_port", mn.udpPort, "tcp_port", mn.tcpPort, "turn", cfg.TURN.Enabled)
	return s, nil
}

// UDPPort is the ICE UDP port actually bound.
func (s *SFU) UDPPort() int { return s.net.udpPort }

// TCPPort is the ICE-TCP port actually bound (0 if disabled).
func (s *SFU) TCPPort() int { return s.net.tcpPort }

// TURNPort is the TURN UDP port actually bound (0 if disabled).
func (s *SFU) TURNPort() int {
	if s.turn == nil {
		return 0
	}
	return s.turn.port
}

// ServeConn runs one participant's signaling connection and blocks until it
// ends. The caller has upgraded the request and checked Origin.
func (s *SFU) ServeConn(ctx context.Context, c Conn) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = c.Close()
		return
	}
	s.conns.Add(1)
	s.mu.Unlock()
	defer s.conns.Done()

	sc := newSigConn(c, s.cfg, s.log)
	defer sc.wait()
	defer sc.close()
	stop := context.AfterFunc(ctx, sc.close)
	defer stop()

	c.SetReadLimit(s.cfg.ReadLimit)
	ss := s.handshake(ctx, sc, c)
	if ss == nil {
		return
	}
	defer func() {
		ss.room.leave(ss)
		ss.closePeer()
	}()
	ss.readLoop(c)
}

// handshake waits for "join", authorizes it and puts the session in its
// room. It returns nil if the connection should end.
func (s *SFU) handshake(ctx context.Context, sc *sigConn, c Conn) *session {
	deadline := time.Now().Add(s.cfg.JoinTimeout)
	_ = c.SetReadDeadline(deadline)
	rl := newBucket(s.cfg.MessagesPerSecond, s.cfg.MessageBurst, time.Now())
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return nil
		}
		if !rl.allow(time.Now()) {
			if rl.firstDrop() {
				sc.send(signaling.Error{Code: signaling.CodeRateLimited, Message: "too many messages"})
			}
			continue
		}
		m, typ, err := signaling.Decode(data)
		if err != nil {
			sc.send(decodeError(err, typ))
			continue
		}
		j, ok := m.(*signaling.Join)
		if !ok {
			sc.send(signaling.Error{Code: signaling.CodeJoinFirst, Message: "send join first", Ref: typ})
			continue
		}
		g, err := s.authorize(ctx, j.Credential, deadline)
		if err != nil {
			// Only the category: the Authorizer's error text is not ours to log.
			code := joinErrorCode(err)
			s.log.Info("join refused", "code", code)
			sc.send(signaling.Error{Code: code, Ref: signaling.TypeJoin})
			return nil
		}
		r := s.roomFor(g)
		if r == nil {
			sc.send(signaling.Error{Code: signaling.CodeShuttingDown, Ref: signaling.TypeJoin})
			return nil
		}
		ss := newSession(s, r, g, sc, rl)
		if err := r.join(ss); err != nil {
			code := signaling.CodeRoomFull
			if errors.Is(err, errClosed) {
				code = signaling.CodeExpired
			}
			sc.send(signaling.Error{Code: code, Ref: signaling.TypeJoin})
			return nil
		}
		return ss
	}
}

func (s *SFU) authorize(ctx context.Context, cred string, deadline time.Time) (Grant, error) {
	actx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	g, err := s.auth.Authorize(actx, cred)
	if err != nil {
		return Grant{}, fmt.Errorf("%w: %w", errUnauthorized, err)
	}
	if g.RoomID == "" || g.ParticipantID == "" || !g.Role.Valid() || !g.NotAfter.After(g.NotBefore) {
		return Grant{}, fmt.Errorf("%w: incomplete grant", errUnauthorized)
	}
	now := time.Now()
	if now.Before(g.NotBefore) {
		return Grant{}, errTooEarly
	}
	if !now.Before(g.NotAfter) {
		return Grant{}, errExpired
	}
	return g, nil
}

func joinErrorCode(err error) string {
	switch {
	case errors.Is(err, errTooEarly):
		return signaling.CodeTooEarly
	case errors.Is(err, errExpired):
		return signaling.CodeExpired
	}
	return signaling.CodeUnauthorized
}

func decodeError(err error, typ string) signaling.Error {
	if errors.Is(err, signaling.ErrUnknownType) {
		return signaling.Error{Code: signaling.CodeUnknownType, Message: "unknown message type", Ref: typ}
	}
	return signaling.Error{Code: signaling.CodeMalformed, Message: "malformed message", Ref: typ}
}

// roomFor returns the grant's room, creating it; nil after Close.
func (s *SFU) roomFor(g Grant) *room {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	r := s.rooms[g.RoomID]
	if r == nil {
		r = newRoom(s, g.RoomID, g.NotAfter)
		s.rooms[g.RoomID] = r
	} else {
		r.extend(g.NotAfter)
	}
	return r
}

// CloseRoom tells everyone in the room that it is closed and disconnects
// them. Admission memory is dropped with the room.
func (s *SFU) CloseRoom(roomID, reason string) {
	s.mu.Lock()
	r := s.rooms[roomID]
	delete(s.rooms, roomID)
	s.mu.Unlock()
	if r != nil {
		r.close(reason)
	}
}

// Waiting lists who waits for admission in a room, longest waiting first.
func (s *SFU) Waiting(roomID string) []WaitingInfo {
	s.mu.Lock()
	r := s.rooms[roomID]
	s.mu.Unlock()
	if r == nil {
		return nil
	}
	return r.waiting()
}

// Close tells every client, closes all rooms, waits for connections to end
// (or ctx), then stops TURN and the ICE sockets. Later calls do nothing.
func (s *SFU) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	rooms := s.rooms
	s.rooms = map[string]*room{}
	s.mu.Unlock()
	for _, r := range rooms {
		r.close(signaling.ReasonShutdown)
	}
	done := make(chan struct{})
	go func() { s.conns.Wait(); close(done) }()
	var errs []error
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("sfu: connections still open: %w", ctx.Err()))
	}
	if s.turn != nil {
		errs = append(errs, s.turn.close())
	}
	errs = append(errs, s.net.close())
	return errors.Join(errs...)
}

// iceServers returns what an admitted participant puts into its
// RTCPeerConnection configuration. TURN credentials end with the room at
// the latest (notAfter), and revoking the admission ends them sooner (see
// EndSession and room removal).
func (s *SFU) iceServers(participantID string, notAfter time.Time) []signaling.ICEServer {
	if s.turn == nil {
		return []signaling.ICEServer{}
	}
	return []signaling.ICEServer{s.turn.iceServerUntil(participantID, time.Now(), notAfter)}
}

func (s *SFU) emit(evs []Event) {
	for _, ev := range evs {
		s.obs.RoomEvent(context.Background(), ev)
	}
}

type nopObserver struct{}

func (nopObserver) RoomEvent(context.Context, Event) {}

// apiFor builds the API for one PeerConnection, whose receive buffers bufs
// makes. Codecs and interceptors are registered per PeerConnection anyway.
func (s *SFU) apiFor(bufs *streamBuffers) (*webrtc.API, error) {
	se := s.se
	se.BufferFactory = bufs.factory
	return newAPI(se, s.pl)
}
