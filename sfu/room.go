package sfu

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// room is one appointment. All fields are guarded by mu; messages are sent
// under mu (sending never blocks) so that every client sees room changes in
// the same order; Observer events are emitted after unlocking.
type room struct {
	s  *SFU
	id string

	mu        sync.Mutex
	members   map[string]*member // connected, waiting, or within reconnect grace
	admitted  map[string]bool    // remembered until the room closes
	tracks    map[*upTrack]struct{}
	trackSeq  uint64
	notAfter  time.Time
	endTimer  *time.Timer
	closed    bool
	callSince time.Time // zero when no call is running
}

type member struct {
	id, name   string
	role       Role
	sess       *session // nil while within the reconnect grace
	since      time.Time
	grace      *time.Timer
	audioMuted bool
	videoMuted bool
}

func newRoom(s *SFU, id string, notAfter time.Time) *room {
	r := &room{s: s, id: id, members: map[string]*member{}, admitted: map[string]bool{},
		tracks: map[*upTrack]struct{}{}, notAfter: notAfter}
	r.endTimer = time.AfterFunc(time.Until(notAfter), func() {
		s.CloseRoom(id, ReasonAppointmentEnded)
	})
	return r
}

// extend moves the room's end if a later grant says so.
func (r *room) extend(notAfter time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if notAfter.After(r.notAfter) && !r.closed {
		r.notAfter = notAfter
		r.endTimer.Reset(time.Until(notAfter))
	}
}

func (r *room) event(t EventType, m *member, now time.Time) Event {
	ev := Event{Type: t, RoomID: r.id, Time: now}
	if m != nil {
		ev.ParticipantID, ev.Role = m.id, m.role
	}
	return ev
}

// join puts a session into the room, replacing an older connection of the
// same participant (reload, network change) without a new admission.
func (r *room) join(ss *session) error {
	now := time.Now()
	g := ss.g
	var evs []Event
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	m := r.members[g.ParticipantID]
	var replaced *session
	if m != nil {
		replaced = m.sess
		if m.grace != nil {
			m.grace.Stop()
			m.grace = nil
		}
		m.sess, m.name, m.role = ss, g.DisplayName, g.Role
	} else {
		if r.connectedLocked() >= r.s.cfg.MaxParticipants {
			r.mu.Unlock()
			return fmt.Errorf("%w: room full", ErrForbidden)
		}
		m = &member{id: g.ParticipantID, name: g.DisplayName, role: g.Role, sess: ss, since: now}
		r.members[m.id] = m
		evs = append(evs, r.event(EventJoined, m, now))
	}
	if g.Role == RoleClerk && !r.admitted[m.id] {
		r.admitted[m.id] = true
		evs = append(evs, r.event(EventAdmitted, m, now))
	}
	status := StatusWaiting
	if r.admitted[m.id] {
		status = StatusAdmitted
	}
	ss.conn.send(Joined{ParticipantID: m.id, Role: m.role, Status: status, NotAfter: r.notAfter})
	if status == StatusAdmitted {
		ss.conn.send(Admitted{ICEServers: r.s.iceServers(m.id)})
	}
	r.announceLocked()
	evs = append(evs, r.callStateLocked(now)...)
	r.mu.Unlock()

	if replaced != nil {
		replaced.conn.send(Error{Code: CodeReplaced, Message: "joined from another connection"})
		replaced.conn.close()
		replaced.closePeer()
	}
	r.s.emit(evs)
	ss.log.Info("joined", "status", status)
	return nil
}

// leave is called when a session's connection has ended.
func (r *room) leave(ss *session) {
	now := time.Now()
	var evs []Event
	r.mu.Lock()
	m := r.members[ss.id()]
	if m == nil || m.sess != ss {
		r.mu.Unlock()
		return
	}
	m.sess = nil
	if r.closed || ss.leaving.Load() || !r.admitted[m.id] {
		delete(r.members, m.id)
		evs = append(evs, r.event(EventLeft, m, now))
	} else {
		m.grace = time.AfterFunc(r.s.cfg.ReconnectGrace, func() { r.graceOver(m) })
	}
	r.announceLocked()
	evs = append(evs, r.callStateLocked(now)...)
	r.mu.Unlock()
	r.s.emit(evs)
}

// graceOver reports a dropped participant as gone if it did not come back.
func (r *room) graceOver(m *member) {
	now := time.Now()
	var evs []Event
	r.mu.Lock()
	if r.members[m.id] == m && m.sess == nil && !r.closed {
		delete(r.members, m.id)
		evs = append(evs, r.event(EventLeft, m, now))
		r.announceLocked()
		evs = append(evs, r.callStateLocked(now)...)
	}
	r.mu.Unlock()
	r.s.emit(evs)
}

func (r *room) admit(by *session, pid string) error {
	now := time.Now()
	r.mu.Lock()
	if !r.currentLocked(by) {
		r.mu.Unlock()
		return ErrForbidden
	}
	m := r.members[pid]
	if m == nil || m.sess == nil {
		r.mu.Unlock()
		return ErrNoSuchPeer
	}
	if r.admitted[pid] {
		r.mu.Unlock()
		return nil
	}
	r.admitted[pid] = true
	ev := r.event(EventAdmitted, m, now)
	ev.ByParticipant = by.id()
	m.sess.conn.send(Admitted{ICEServers: r.s.iceServers(pid)})
	r.announceLocked()
	evs := append([]Event{ev}, r.callStateLocked(now)...)
	r.mu.Unlock()
	r.s.emit(evs)
	return nil
}

// remove sends a participant away and forgets its admission; if it comes
// back it waits again.
func (r *room) remove(by *session, pid string) error {
	now := time.Now()
	r.mu.Lock()
	if !r.currentLocked(by) {
		r.mu.Unlock()
		return ErrForbidden
	}
	m := r.members[pid]
	if m == nil {
		r.mu.Unlock()
		return ErrNoSuchPeer
	}
	if m.role == RoleClerk {
		r.mu.Unlock()
		return ErrForbidden
	}
	delete(r.members, pid)
	delete(r.admitted, pid)
	if m.grace != nil {
		m.grace.Stop()
	}
	ev := r.event(EventRemoved, m, now)
	ev.ByParticipant, ev.Reason = by.id(), ReasonRemovedByClerk
	target := m.sess
	r.announceLocked()
	evs := append([]Event{ev}, r.callStateLocked(now)...)
	r.mu.Unlock()
	if target != nil {
		target.conn.send(Removed{Reason: ReasonRemovedByClerk})
		target.conn.close()
		target.closePeer()
	}
	r.s.emit(evs)
	return nil
}

// close ends the room for everyone. Called once via SFU.CloseRoom or Close.
func (r *room) close(reason string) {
	now := time.Now()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	r.endTimer.Stop()
	var sessions []*session
	for _, m := range r.members {
		if m.grace != nil {
			m.grace.Stop()
		}
		if m.sess != nil {
			sessions = append(sessions, m.sess)
		}
	}
	var evs []Event
	if !r.callSince.IsZero() {
		ev := r.event(EventCallEnded, nil, now)
		ev.Duration = now.Sub(r.callSince)
		evs = append(evs, ev)
		r.callSince = time.Time{}
	}
	ev := r.event(EventRoomClosed, nil, now)
	ev.Reason = reason
	evs = append(evs, ev)
	for _, ss := range sessions {
		ss.conn.send(RoomClosed{Reason: reason})
	}
	r.mu.Unlock()
	for _, ss := range sessions {
		ss.conn.close()
		ss.closePeer()
	}
	r.s.emit(evs)
	r.s.log.Info("room closed", "room", r.id, "reason", reason)
}

func (r *room) waiting() []WaitingInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []WaitingInfo
	for _, m := range r.waitingLocked() {
		out = append(out, WaitingInfo{ParticipantID: m.id, DisplayName: m.name, Role: m.role, Since: m.since})
	}
	return out
}

// isAdmitted reports whether ss is the participant's current connection and
// the participant is admitted: the only state in which media flows.
func (r *room) isAdmitted(ss *session) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.currentLocked(ss)
}

func (r *room) currentLocked(ss *session) bool {
	m := r.members[ss.id()]
	return !r.closed && m != nil && m.sess == ss && r.admitted[m.id]
}

func (r *room) chat(from *session, text string) error {
	if len(text) > r.s.cfg.MaxChatLength {
		return fmt.Errorf("%w: chat message too long", ErrMalformed)
	}
	msg := Chat{Text: text, From: from.id(), SentAt: time.Now().UTC()}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.currentLocked(from) {
		return ErrNotAdmitted
	}
	for _, ss := range r.admittedSessionsLocked() {
		ss.conn.send(msg)
	}
	return nil
}

func (r *room) mute(from *session, audio, video bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.currentLocked(from) {
		return ErrNotAdmitted
	}
	m := r.members[from.id()]
	m.audioMuted, m.videoMuted = audio, video
	msg := Mute{ParticipantID: m.id, Audio: audio, Video: video}
	for _, ss := range r.admittedSessionsLocked() {
		if ss != from {
			ss.conn.send(msg)
		}
	}
	return nil
}

func (r *room) connectedLocked() int {
	n := 0
	for _, m := range r.members {
		if m.sess != nil {
			n++
		}
	}
	return n
}

func (r *room) admittedSessionsLocked() []*session {
	var out []*session
	for _, m := range r.members {
		if m.sess != nil && r.admitted[m.id] {
			out = append(out, m.sess)
		}
	}
	return out
}

func (r *room) waitingLocked() []*member {
	var out []*member
	for _, m := range r.members {
		if m.sess != nil && !r.admitted[m.id] {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *member) int { return a.since.Compare(b.since) })
	return out
}

// announceLocked sends the roster to admitted participants and the waiting
// list to clerks, then brings every peer's forwarding up to date.
func (r *room) announceLocked() {
	roster := Participants{Participants: []ParticipantEntry{}}
	for _, m := range r.members {
		if r.admitted[m.id] {
			roster.Participants = append(roster.Participants, ParticipantEntry{
				ParticipantID: m.id, DisplayName: m.name, Role: m.role,
				Connected: m.sess != nil, AudioMuted: m.audioMuted, VideoMuted: m.videoMuted,
			})
		}
	}
	slices.SortFunc(roster.Participants, func(a, b ParticipantEntry) int {
		return strings.Compare(a.ParticipantID, b.ParticipantID)
	})
	wl := WaitingList{Waiting: []WaitingEntry{}}
	for _, m := range r.waitingLocked() {
		wl.Waiting = append(wl.Waiting, WaitingEntry{ParticipantID: m.id, DisplayName: m.name, Role: m.role, Since: m.since.UTC()})
	}
	for _, ss := range r.admittedSessionsLocked() {
		ss.conn.send(roster)
		if ss.g.Role == RoleClerk {
			ss.conn.send(wl)
		}
	}
	r.reconcileLocked()
}

// callStateLocked reports call_started/call_ended when the number of
// admitted participants present (connected or within grace) crosses two.
func (r *room) callStateLocked(now time.Time) []Event {
	n := 0
	for _, m := range r.members {
		if r.admitted[m.id] {
			n++
		}
	}
	switch {
	case n >= 2 && r.callSince.IsZero():
		r.callSince = now
		return []Event{r.event(EventCallStarted, nil, now)}
	case n < 2 && !r.callSince.IsZero():
		ev := r.event(EventCallEnded, nil, now)
		ev.Duration = now.Sub(r.callSince)
		r.callSince = time.Time{}
		return []Event{ev}
	}
	return nil
}

// addTrack publishes a track if its owner is still admitted and current.
func (r *room) addTrack(t *upTrack) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.currentLocked(t.owner) {
		return false
	}
	r.trackSeq++
	t.seq = r.trackSeq
	r.tracks[t] = struct{}{}
	r.reconcileLocked()
	return true
}

func (r *room) removeTrack(t *upTrack) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.tracks[t]; ok {
		delete(r.tracks, t)
		r.reconcileLocked()
	}
}

// desired lists the tracks ss should receive: every track of every other
// admitted, current participant, oldest first.
func (r *room) desired(ss *session) []*upTrack {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.currentLocked(ss) {
		return nil
	}
	var out []*upTrack
	for t := range r.tracks {
		if t.owner != ss && r.currentLocked(t.owner) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *upTrack) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// reconcileLocked asks every peer to bring its senders up to date. The
// peers do the work on their own goroutines and read desired() themselves,
// so a burst of changes collapses into one renegotiation per peer.
func (r *room) reconcileLocked() {
	for _, m := range r.members {
		if m.sess == nil {
			continue
		}
		if p := m.sess.getPeer(); p != nil {
			p.requestSync()
		}
	}
}
