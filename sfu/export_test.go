package sfu

// InlineTracks counts published tracks that their publisher's SRTP
// goroutine forwards (handed over, see inline.go).
func InlineTracks(s *SFU) int {
	s.mu.Lock()
	rooms := make([]*room, 0, len(s.rooms))
	for _, r := range s.rooms {
		rooms = append(rooms, r)
	}
	s.mu.Unlock()
	n := 0
	for _, r := range rooms {
		r.mu.Lock()
		for t := range r.tracks {
			if t.inline != nil && t.inline.drain.Load() != nil {
				n++
			}
		}
		r.mu.Unlock()
	}
	return n
}
