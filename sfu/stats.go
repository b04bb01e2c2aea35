package sfu

// Stats is a snapshot of the SFU for monitoring. It counts; it names no
// room and no participant.
type Stats struct {
	Rooms    int // open rooms
	Calls    int // rooms with a call running (two or more admitted participants present)
	Waiting  int // connected participants not yet admitted
	Admitted int // connected, admitted participants
	Tracks   int // published tracks being forwarded
	// ForwardedPackets counts RTP packets taken from publishers and
	// forwarded since start, once each whatever the number of subscribers.
	ForwardedPackets uint64
	// SendDropped counts datagrams dropped because an ICE socket's send
	// queue was full (CPU or socket buffer exhausted).
	SendDropped uint64
	// RefusedCandidates counts remote ICE candidates dropped because their
	// address is neither public nor in AllowedCandidateNetworks.
	RefusedCandidates uint64
}

// Stats takes the snapshot; it holds each room's lock only briefly.
func (s *SFU) Stats() Stats {
	rooms := s.openRooms()
	st := Stats{Rooms: len(rooms), ForwardedPackets: s.forwarded.Load()}
	for _, r := range rooms {
		r.mu.Lock()
		if !r.callSince.IsZero() {
			st.Calls++
		}
		for _, m := range r.members {
			switch {
			case m.sess == nil:
			case r.admittedLocked(m):
				st.Admitted++
			default:
				st.Waiting++
			}
		}
		st.Waiting += len(r.seconds)
		st.Tracks += len(r.tracks)
		r.mu.Unlock()
	}
	st.RefusedCandidates = s.net.refused.Load()
	for _, c := range s.net.udp {
		st.SendDropped += c.Dropped()
	}
	return st
}

// openRooms lists the open rooms without holding the SFU's lock after.
func (s *SFU) openRooms() []*room {
	s.mu.Lock()
	defer s.mu.Unlock()
	rooms := make([]*room, 0, len(s.rooms))
	for _, r := range s.rooms {
		rooms = append(rooms, r)
	}
	return rooms
}
