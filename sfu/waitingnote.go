package sfu

import (
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// waitingMessage delivers a clerk's note to one waiting participant: the
// waiting seat and a waiting second device of that participant, nobody
// else. The connection's rate limit applies as to every message; the
// length limit is the protocol's (signaling.MaxWaitingMessage).
func (r *room) waitingMessage(by *session, pid string, note signaling.WaitingMessage) error {
	msg := signaling.WaitingMessage{Text: note.Text, Preset: note.Preset, SentAt: time.Now().UTC()}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.currentLocked(by) {
		return errForbidden
	}
	sent := false
	for _, m := range []*member{r.members[pid], r.seconds[pid]} {
		if m != nil && m.sess != nil && !r.admittedLocked(m) {
			m.sess.conn.send(msg)
			sent = true
		}
	}
	if !sent {
		return errNoSuchPeer
	}
	return nil
}
