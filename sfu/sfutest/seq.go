package sfutest

// SeqTracker counts distinct RTP sequence numbers of one stream so that
// retransmissions are not counted twice and loss can be estimated. It is
// not safe for concurrent use.
type SeqTracker struct {
	started bool
	first   int64
	highest int64 // extended
	unique  int64
	seen    [1024]bool
}

// Add records seq and reports whether it was new.
func (s *SeqTracker) Add(seq uint16) bool {
	if !s.started {
		s.started = true
		s.first, s.highest = int64(seq), int64(seq)
		s.unique = 1
		s.seen[seq%1024] = true
		return true
	}
	// Extend relative to highest: pick the closest 16-bit neighbour.
	ext := (s.highest &^ 0xffff) | int64(seq)
	switch {
	case ext < s.highest-0x8000:
		ext += 0x10000
	case ext > s.highest+0x8000:
		ext -= 0x10000
	}
	if ext > s.highest {
		for i := s.highest + 1; i <= ext && i <= s.highest+1024; i++ {
			s.seen[i%1024] = false
		}
		s.highest = ext
	} else if s.highest-ext >= 1024 || ext < s.first {
		return false // too old to tell
	}
	if s.seen[ext%1024] {
		return false
	}
	s.seen[ext%1024] = true
	s.unique++
	return true
}

// Expected is how many packets the stream has had so far.
func (s *SeqTracker) Expected() int64 {
	if !s.started {
		return 0
	}
	return s.highest - s.first + 1
}

// Unique is how many distinct packets arrived.
func (s *SeqTracker) Unique() int64 { return s.unique }
