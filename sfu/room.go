package sfu

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// room is one appointment. All fields are guarded by mu; messages are sent
// under mu (sending never blocks) so that every client sees room changes in
// the same order; Observer events are emitted after unlocking.
type room struct {
	s  *SFU
	id string

	mu        sync.Mutex
	members   map[string]*member // the seat of each participant: connected, waiting, or within reconnect grace
	seconds   map[string]*member // another device of a seated participant, waiting for the clerk
	admitted  map[string]string  // participant -> the session key admitted; remembered until the room closes
	tracks    map[*upTrack]struct{}
	trackSeq  uint64
	notAfter  time.Time
	endTimer  *time.Timer
	closed    bool
	callSince time.Time // zero when no call is running
	clerkIn   bool      // a clerk is in the call, as last told to those waiting
}

type member struct {
	id, name   string
	key        string // Grant.SessionKey of the connection
	second     bool   // waits while another device of the participant is or was admitted
	role       signaling.Role
	sess       *session // nil while within the reconnect grace
	since      time.Time
	grace      *time.Timer
	audioMuted bool
	videoMuted bool
}

func newRoom(s *SFU, id string, notAfter time.Time) *room {
	r := &room{s: s, id: id, members: map[string]*member{}, seconds: map[string]*member{}, admitted: map[string]string{},
		tracks: map[*upTrack]struct{}{}, notAfter: notAfter}
	r.endTimer = time.AfterFunc(time.Until(notAfter), func() {
		s.CloseRoom(id, signaling.ReasonAppointmentEnded)
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
		ev.ParticipantID, ev.Role, ev.SessionKey = m.id, m.role, m.key
	}
	return ev
}

// admittedLocked reports whether m is the participant's admitted device:
// admission belongs to a session key, not just to the participant, so the
// same link opened elsewhere does not inherit it.
func (r *room) admittedLocked(m *member) bool {
	k, ok := r.admitted[m.id]
	return ok && k == m.key
}

// join puts a session into the room. A connection with the seat's session
// key replaces the older one (reload, network change) without a new
// admission; clerks always take their seat. Any other device of a seated
// or admitted participant waits beside the seat for the clerk (see
// joinSecondLocked).
func (r *room) join(ss *session) error {
	now := time.Now()
	g := ss.g
	var evs []Event
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return errClosed
	}
	if _, known := r.admitted[g.ParticipantID]; !known && g.Admitted {
		r.admitted[g.ParticipantID] = g.SessionKey // admitted before, e.g. by an earlier process
	}
	m := r.members[g.ParticipantID]
	key, hasAdmission := r.admitted[g.ParticipantID]
	mine := hasAdmission && key == g.SessionKey
	if g.Role != signaling.RoleClerk {
		switch {
		case m != nil && m.key == g.SessionKey: // the seat's device again
		case m != nil && mine: // the admitted device is back while another one waits in its seat
			r.unseatLocked(m)
			m = nil
		case m != nil || (hasAdmission && !mine):
			return r.joinSecondLocked(ss, m, now)
		}
	}
	var replaced *session
	if m != nil {
		replaced = m.sess
		if m.grace != nil {
			m.grace.Stop()
			m.grace = nil
		}
		m.sess, m.name, m.role, m.key = ss, g.DisplayName, g.Role, g.SessionKey
	} else {
		if r.connectedLocked() >= r.s.cfg.MaxParticipants {
			r.mu.Unlock()
			return fmt.Errorf("%w: room full", errForbidden)
		}
		m = &member{id: g.ParticipantID, name: g.DisplayName, role: g.Role, key: g.SessionKey, sess: ss, since: now}
		r.members[m.id] = m
		evs = append(evs, r.event(EventJoined, m, now))
	}
	if g.Role == signaling.RoleClerk && !r.admittedLocked(m) {
		_, before := r.admitted[m.id]
		r.admitted[m.id] = m.key
		if !before {
			evs = append(evs, r.event(EventAdmitted, m, now))
		}
	}
	status := signaling.StatusWaiting
	if r.admittedLocked(m) {
		status = signaling.StatusAdmitted
	}
	ss.conn.send(signaling.Joined{ParticipantID: m.id, Role: m.role, Status: status, NotAfter: r.notAfter})
	if status == signaling.StatusAdmitted {
		ss.conn.send(signaling.Admitted{ICEServers: r.s.iceServers(turnIdentity(m.id, m.key), r.notAfter)})
	} else {
		ss.conn.send(signaling.WaitingStatus{ClerkPresent: r.clerkInLocked()})
	}
	r.announceLocked()
	evs = append(evs, r.callStateLocked(now)...)
	r.mu.Unlock()

	if replaced != nil {
		cut(replaced, signaling.Error{Code: signaling.CodeReplaced, Message: "joined from another connection"})
	}
	r.s.emit(evs)
	ss.log.Info("joined", "status", status)
	return nil
}

// joinSecondLocked lets another device of a seated participant wait for the
// clerk, flagged as a second device; an older waiting second device gives
// way. It unlocks mu.
func (r *room) joinSecondLocked(ss *session, seat *member, now time.Time) error {
	g := ss.g
	old := r.seconds[g.ParticipantID]
	if old == nil && r.connectedLocked() >= r.s.cfg.MaxParticipants {
		r.mu.Unlock()
		return fmt.Errorf("%w: room full", errForbidden)
	}
	m := &member{id: g.ParticipantID, name: g.DisplayName, role: g.Role, key: g.SessionKey, second: true, sess: ss, since: now}
	if seat == nil { // the admitted device is gone for now: wait in the seat, flagged
		r.members[m.id] = m
	} else {
		r.seconds[m.id] = m
	}
	ss.conn.send(signaling.Joined{ParticipantID: m.id, Role: m.role, Status: signaling.StatusWaiting, NotAfter: r.notAfter})
	ss.conn.send(signaling.WaitingStatus{ClerkPresent: r.clerkInLocked()})
	r.announceLocked()
	r.mu.Unlock()
	if old != nil {
		cut(old.sess, signaling.Error{Code: signaling.CodeReplaced, Message: "joined from another connection"})
	}
	r.s.emit([]Event{r.event(EventJoined, m, now)})
	ss.log.Info("joined", "status", signaling.StatusWaiting, "second_device", true)
	return nil
}

// unseatLocked moves a waiting seat holder aside as a second device, so
// the admitted device can take the seat back.
func (r *room) unseatLocked(m *member) {
	if m.grace != nil {
		m.grace.Stop()
		m.grace = nil
	}
	delete(r.members, m.id)
	if m.sess != nil {
		if old := r.seconds[m.id]; old != nil && old.sess != nil {
			go cut(old.sess, signaling.Error{Code: signaling.CodeReplaced, Message: "joined from another connection"})
		}
		m.second = true
		r.seconds[m.id] = m
	}
}

// cut ends a session's connection after telling it why.
func cut(ss *session, last signaling.Message) {
	ss.conn.send(last)
	ss.conn.close()
	ss.closePeer()
}

// leave is called when a session's connection has ended.
func (r *room) leave(ss *session) {
	now := time.Now()
	var evs []Event
	r.mu.Lock()
	if m := r.seconds[ss.id()]; m != nil && m.sess == ss {
		delete(r.seconds, m.id)
		r.announceLocked()
		r.mu.Unlock()
		r.s.emit([]Event{r.event(EventLeft, m, now)})
		return
	}
	m := r.members[ss.id()]
	if m == nil || m.sess != ss {
		r.mu.Unlock()
		return
	}
	m.sess = nil
	if r.closed || ss.leaving.Load() || !r.admittedLocked(m) {
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

// admit lets a waiting participant in: the seat's device if it waits,
// else a waiting second device, which then replaces the admitted one.
func (r *room) admit(by *session, pid string) error {
	now := time.Now()
	r.mu.Lock()
	if !r.currentLocked(by) {
		r.mu.Unlock()
		return errForbidden
	}
	m := r.members[pid]
	var replaced *session
	switch second := r.seconds[pid]; {
	case m != nil && m.sess != nil && !r.admittedLocked(m):
	case second != nil:
		if m != nil {
			if m.grace != nil {
				m.grace.Stop()
			}
			replaced = m.sess
			// The replaced device's relay ends with its seat; the new
			// device gets fresh credentials below.
			r.s.revokeTURN(turnIdentity(pid, m.key))
		}
		delete(r.seconds, pid)
		r.members[pid] = second
		m = second
	case m != nil && m.sess != nil:
		r.mu.Unlock()
		return nil // admitted already
	default:
		r.mu.Unlock()
		return errNoSuchPeer
	}
	r.admitted[pid] = m.key
	ev := r.event(EventAdmitted, m, now)
	ev.ByParticipant = by.id()
	m.sess.conn.send(signaling.Admitted{ICEServers: r.s.iceServers(turnIdentity(pid, m.key), r.notAfter)})
	r.announceLocked()
	evs := append([]Event{ev}, r.callStateLocked(now)...)
	r.mu.Unlock()
	if replaced != nil {
		cut(replaced, signaling.Error{Code: signaling.CodeReplaced, Message: "another device was admitted"})
	}
	r.s.emit(evs)
	return nil
}

// remove sends a participant away and forgets its admission; if it comes
// back it waits again. With secondDevice only the waiting second device is
// turned away and the seat stays as it is.
func (r *room) remove(by *session, pid string, secondDevice bool) error {
	now := time.Now()
	r.mu.Lock()
	if !r.currentLocked(by) {
		r.mu.Unlock()
		return errForbidden
	}
	m, second := r.members[pid], r.seconds[pid]
	if secondDevice {
		if second == nil && m != nil && m.second && !r.admittedLocked(m) {
			// It waits in the seat while the admitted device is away:
			// turn it away and keep that device's admission.
			delete(r.members, pid)
			second = m
		}
		m = nil
	}
	if m == nil && second == nil {
		r.mu.Unlock()
		return errNoSuchPeer
	}
	if m != nil && m.role == signaling.RoleClerk {
		r.mu.Unlock()
		return errForbidden
	}
	var targets []*session
	var evs []Event
	for _, x := range []*member{second, m} {
		if x == nil {
			continue
		}
		ev := r.event(EventRemoved, x, now)
		ev.ByParticipant, ev.Reason = by.id(), signaling.ReasonRemovedByClerk
		evs = append(evs, ev)
		if x.sess != nil {
			targets = append(targets, x.sess)
		}
	}
	delete(r.seconds, pid)
	if m != nil {
		r.s.revokeTURN(turnIdentity(pid, r.admitted[pid]))
		delete(r.members, pid)
		delete(r.admitted, pid)
		if m.grace != nil {
			m.grace.Stop()
		}
	}
	r.announceLocked()
	evs = append(evs, r.callStateLocked(now)...)
	r.mu.Unlock()
	for _, ss := range targets {
		cut(ss, signaling.Removed{Reason: signaling.ReasonRemovedByClerk})
	}
	r.s.emit(evs)
	return nil
}

// end disconnects the connections that match, forgets their admission and
// tells them reason: their credential was revoked (staff logout, a dropped
// room session). There is no reconnect grace.
func (r *room) end(match func(*member) bool, reason string) {
	now := time.Now()
	var evs []Event
	var targets []*session
	var revoked []string
	r.mu.Lock()
	for _, set := range []map[string]*member{r.seconds, r.members} {
		for id, m := range set {
			if !match(m) {
				continue
			}
			delete(set, id)
			if r.admittedLocked(m) {
				delete(r.admitted, id)
				revoked = append(revoked, turnIdentity(id, m.key))
			}
			if m.grace != nil {
				m.grace.Stop()
			}
			if m.sess != nil {
				targets = append(targets, m.sess)
			}
			ev := r.event(EventLeft, m, now)
			ev.Reason = reason
			evs = append(evs, ev)
		}
	}
	if len(evs) > 0 {
		r.announceLocked()
		evs = append(evs, r.callStateLocked(now)...)
	}
	r.s.revokeTURN(revoked...)
	r.mu.Unlock()
	for _, ss := range targets {
		cut(ss, signaling.Removed{Reason: reason})
	}
	r.s.emit(evs)
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
	// Everyone who was admitted here holds TURN credentials.
	for pid, key := range r.admitted {
		r.s.revokeTURN(turnIdentity(pid, key))
	}
	var sessions []*session
	for _, m := range append(slices.Collect(maps.Values(r.members)), slices.Collect(maps.Values(r.seconds))...) {
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
		ss.conn.send(signaling.RoomClosed{Reason: reason})
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
		out = append(out, WaitingInfo{ParticipantID: m.id, DisplayName: m.name, Role: m.role, Since: m.since, SecondDevice: m.second})
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
	return !r.closed && m != nil && m.sess == ss && r.admittedLocked(m)
}

func (r *room) chat(from *session, text string) error {
	if len(text) > r.s.cfg.MaxChatLength {
		return fmt.Errorf("%w: chat message too long", signaling.ErrMalformed)
	}
	msg := signaling.Chat{Text: text, From: from.id(), SentAt: time.Now().UTC()}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.currentLocked(from) {
		return errNotAdmitted
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
		return errNotAdmitted
	}
	m := r.members[from.id()]
	m.audioMuted, m.videoMuted = audio, video
	msg := signaling.Mute{ParticipantID: m.id, Audio: audio, Video: video}
	for _, ss := range r.admittedSessionsLocked() {
		if ss != from {
			ss.conn.send(msg)
		}
	}
	return nil
}

func (r *room) connectedLocked() int {
	n := len(r.seconds)
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
		if m.sess != nil && r.admittedLocked(m) {
			out = append(out, m.sess)
		}
	}
	return out
}

func (r *room) waitingLocked() []*member {
	var out []*member
	for _, m := range r.members {
		if m.sess != nil && !r.admittedLocked(m) {
			out = append(out, m)
		}
	}
	for _, m := range r.seconds {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *member) int { return a.since.Compare(b.since) })
	return out
}

// announceLocked sends the roster to admitted participants and the waiting
// list to clerks, then brings every peer's forwarding up to date.
func (r *room) announceLocked() {
	roster := signaling.Participants{Participants: []signaling.ParticipantEntry{}}
	for _, m := range r.members {
		if r.admittedLocked(m) {
			roster.Participants = append(roster.Participants, signaling.ParticipantEntry{
				ParticipantID: m.id, DisplayName: m.name, Role: m.role,
				Connected: m.sess != nil, AudioMuted: m.audioMuted, VideoMuted: m.videoMuted,
			})
		}
	}
	slices.SortFunc(roster.Participants, func(a, b signaling.ParticipantEntry) int {
		return strings.Compare(a.ParticipantID, b.ParticipantID)
	})
	wl := signaling.WaitingList{Waiting: []signaling.WaitingEntry{}}
	for _, m := range r.waitingLocked() {
		wl.Waiting = append(wl.Waiting, signaling.WaitingEntry{ParticipantID: m.id, DisplayName: m.name, Role: m.role, Since: m.since.UTC(), SecondDevice: m.second})
	}
	for _, ss := range r.admittedSessionsLocked() {
		ss.conn.send(roster)
		if ss.g.Role == signaling.RoleClerk {
			ss.conn.send(wl)
		}
	}
	if in := r.clerkInLocked(); in != r.clerkIn {
		r.clerkIn = in
		for _, m := range r.waitingLocked() {
			m.sess.conn.send(signaling.WaitingStatus{ClerkPresent: in})
		}
	}
	r.reconcileLocked()
}

// clerkInLocked reports whether a clerk is connected and in the call, so
// those waiting know someone is there to let them in.
func (r *room) clerkInLocked() bool {
	for _, m := range r.members {
		if m.role == signaling.RoleClerk && m.sess != nil && r.admittedLocked(m) {
			return true
		}
	}
	return false
}

// callStateLocked reports call_started/call_ended when the number of
// admitted participants present (connected or within grace) crosses two.
func (r *room) callStateLocked(now time.Time) []Event {
	n := 0
	for _, m := range r.members {
		if r.admittedLocked(m) {
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
