package sfu

// InlineTracks counts published tracks that their publisher's SRTP
// goroutine forwards (handed over, see inline.go).
func InlineTracks(s *SFU) int {
	n := 0
	for _, r := range s.openRooms() {
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
