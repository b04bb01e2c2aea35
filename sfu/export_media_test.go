package sfu

import "github.com/pion/webrtc/v4"

// PeerMedia reports, for a participant's current connection, how many
// transceivers its PeerConnection on the SFU has and how many tracks it
// publishes into the room.
func PeerMedia(s *SFU, participantID string) (transceivers, published int) {
	for _, r := range s.openRooms() {
		r.mu.Lock()
		var p *peer
		if m := r.members[participantID]; m != nil && m.sess != nil {
			p = m.sess.getPeer()
		}
		for t := range r.tracks {
			if t.owner.id() == participantID {
				published++
			}
		}
		r.mu.Unlock()
		if p != nil {
			transceivers += len(p.pc.GetTransceivers())
		}
	}
	return transceivers, published
}

// RemoteCandidateIPs lists the addresses of the remote ICE candidates the
// SFU's agent holds for a participant's current connection.
func RemoteCandidateIPs(s *SFU, participantID string) []string {
	var ips []string
	for _, r := range s.openRooms() {
		r.mu.Lock()
		var p *peer
		if m := r.members[participantID]; m != nil && m.sess != nil {
			p = m.sess.getPeer()
		}
		r.mu.Unlock()
		if p == nil {
			continue
		}
		for _, st := range p.pc.GetStats() {
			if c, ok := st.(webrtc.ICECandidateStats); ok && c.Type == webrtc.StatsTypeRemoteCandidate {
				ips = append(ips, c.IP)
			}
		}
	}
	return ips
}
