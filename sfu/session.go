package sfu

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// session is one signaling connection of one participant.
type session struct {
	s       *SFU
	room    *room
	g       Grant
	conn    *sigConn
	log     *slog.Logger
	rl      *bucket
	leaving atomic.Bool // said "leave": no reconnect grace

	peerMu     sync.Mutex
	peer       *peer
	peerClosed bool
}

func newSession(s *SFU, r *room, g Grant, sc *sigConn, rl *bucket) *session {
	return &session{s: s, room: r, g: g, conn: sc, rl: rl,
		log: s.log.With("room", g.RoomID, "participant", g.ParticipantID, "role", string(g.Role))}
}

func (ss *session) id() string { return ss.g.ParticipantID }

// readLoop handles messages until the connection ends or the client leaves.
func (ss *session) readLoop(c Conn) {
	live := 2 * ss.s.cfg.PingInterval
	_ = c.SetReadDeadline(time.Now().Add(live))
	c.SetPongHandler(func(string) error { return c.SetReadDeadline(time.Now().Add(live)) })
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		_ = c.SetReadDeadline(time.Now().Add(live))
		if !ss.rl.allow(time.Now()) {
			if ss.rl.firstDrop() {
				ss.conn.send(signaling.Error{Code: signaling.CodeRateLimited, Message: "too many messages"})
			}
			continue
		}
		m, typ, err := signaling.Decode(data)
		if err != nil {
			ss.conn.send(decodeError(err, typ))
			continue
		}
		if !ss.handle(m) {
			return
		}
	}
}

// handle acts on one decoded message; false ends the session.
func (ss *session) handle(m signaling.Message) bool {
	var err error
	switch v := m.(type) {
	case *signaling.Offer:
		err = ss.onOffer(v)
	case *signaling.Answer:
		err = ss.post(peerEvent{kind: evAnswer, sdp: v.SDP})
	case *signaling.Candidate:
		err = ss.post(peerEvent{kind: evCandidate, cand: v.Candidate})
	case *signaling.Admit:
		if err = ss.requireClerk(); err == nil {
			err = ss.room.admit(ss, v.ParticipantID)
		}
	case *signaling.Remove:
		if err = ss.requireClerk(); err == nil {
			err = ss.room.remove(ss, v.ParticipantID, v.SecondDevice)
		}
	case *signaling.CloseRoom:
		if err = ss.requireClerk(); err == nil {
			ss.s.CloseRoom(ss.g.RoomID, signaling.ReasonClosedByClerk)
		}
	case *signaling.Chat:
		err = ss.room.chat(ss, v.Text)
	case *signaling.WaitingMessage:
		if err = ss.requireClerk(); err == nil {
			err = ss.room.waitingMessage(ss, v.ParticipantID, *v)
		}
	case *signaling.Mute:
		err = ss.room.mute(ss, v.Audio, v.Video)
	case *signaling.ICEServers:
		if !ss.room.isAdmitted(ss) {
			err = errNotAdmitted
		} else {
			ss.conn.send(signaling.ICEServers{ICEServers: ss.s.iceServers(turnIdentity(ss.id(), ss.g.SessionKey), ss.g.NotAfter)})
		}
	case *signaling.Leave:
		ss.leaving.Store(true)
		return false
	case *signaling.Join:
		err = errForbidden
	default:
		ss.conn.send(signaling.Error{Code: signaling.CodeUnknownType, Message: "not a client message", Ref: m.MessageType()})
		return true
	}
	if err != nil {
		ss.conn.send(requestError(err, m.MessageType()))
	}
	return true
}

func requestError(err error, ref string) signaling.Error {
	code := signaling.CodeInternal
	switch {
	case errors.Is(err, errNotAdmitted):
		code = signaling.CodeNotAdmitted
	case errors.Is(err, errForbidden):
		code = signaling.CodeForbidden
	case errors.Is(err, errNoSuchPeer):
		code = signaling.CodeNotFound
	case errors.Is(err, signaling.ErrMalformed):
		code = signaling.CodeMalformed
	case errors.Is(err, errClosed):
		code = signaling.CodeExpired
	}
	return signaling.Error{Code: code, Ref: ref}
}

func (ss *session) requireClerk() error {
	if ss.g.Role != signaling.RoleClerk {
		return errForbidden
	}
	return nil
}

// onOffer creates the PeerConnection on the first offer after admission.
func (ss *session) onOffer(o *signaling.Offer) error {
	if !ss.room.isAdmitted(ss) {
		return errNotAdmitted
	}
	ss.peerMu.Lock()
	if ss.peerClosed {
		ss.peerMu.Unlock()
		return errClosed
	}
	if ss.peer == nil {
		p, err := newPeer(ss)
		if err != nil {
			ss.peerMu.Unlock()
			ss.log.Error("create peer connection", "err", err)
			return err
		}
		ss.peer = p
	}
	p := ss.peer
	ss.peerMu.Unlock()
	return p.post(peerEvent{kind: evOffer, sdp: o.SDP, sources: o.Sources})
}

func (ss *session) post(ev peerEvent) error {
	p := ss.getPeer()
	if p == nil {
		return errNotAdmitted
	}
	return p.post(ev)
}

func (ss *session) getPeer() *peer {
	ss.peerMu.Lock()
	defer ss.peerMu.Unlock()
	return ss.peer
}

// closePeer stops all media of this session; it is idempotent and the
// session can never get a new PeerConnection afterwards.
func (ss *session) closePeer() {
	ss.peerMu.Lock()
	p := ss.peer
	ss.peerClosed = true
	ss.peerMu.Unlock()
	if p != nil {
		p.close()
	}
}
