package sfu

import (
	"crypto/sha256"
	"encoding/hex"
)

// EndSession disconnects, in every room, the connections whose grant
// carried this SessionKey, forgets their admission and revokes their
// TURN credentials. The server calls it when the credential behind a key
// is revoked; a later join with the key starts from the waiting room
// (clerks are admitted again at once).
func (s *SFU) EndSession(sessionKey, reason string) {
	if sessionKey == "" {
		return
	}
	s.endWhere(func(m *member) bool { return m.key == sessionKey }, reason)
}

// EndParticipant disconnects a participant in every room, on every
// device: for an account that was deactivated or lost all its sessions.
func (s *SFU) EndParticipant(participantID, reason string) {
	s.endWhere(func(m *member) bool { return m.id == participantID }, reason)
}

func (s *SFU) endWhere(match func(*member) bool, reason string) {
	for _, r := range s.openRooms() {
		r.end(match, reason)
	}
}

// turnIdentity is whom TURN credentials are issued to and revoked from:
// the participant's session, not just the participant, so a device that a
// second device replaced loses its relay while the new one keeps its own.
// Credentials of one participant would otherwise be the same username
// (both end with the room).
func turnIdentity(participantID, sessionKey string) string {
	if sessionKey == "" {
		return participantID
	}
	sum := sha256.Sum256([]byte(sessionKey))
	return participantID + "~" + hex.EncodeToString(sum[:4])
}
