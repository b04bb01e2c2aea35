package roomgate

import "sync"

// WaitHub tells clerks' live views which appointments' waiting rooms
// changed. The media server reports room events synchronously, so publish
// never blocks: each subscriber keeps a set of changed appointments and a
// one-slot wake-up channel.
type WaitHub struct {
	mu   sync.Mutex
	subs map[*WaitSub]struct{}
	done chan struct{}
}

// WaitSub is one stream's subscription.
type WaitSub struct {
	mu    sync.Mutex
	dirty map[int64]struct{}
	wake  chan struct{}
}

func newWaitHub() *WaitHub {
	return &WaitHub{subs: map[*WaitSub]struct{}{}, done: make(chan struct{})}
}

func (h *WaitHub) publish(appointmentID int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.mu.Lock()
		s.dirty[appointmentID] = struct{}{}
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// Subscribe starts a subscription; Unsubscribe ends it.
func (h *WaitHub) Subscribe() *WaitSub {
	s := &WaitSub{dirty: map[int64]struct{}{}, wake: make(chan struct{}, 1)}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Unsubscribe ends s.
func (h *WaitHub) Unsubscribe(s *WaitSub) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

// close ends all streams (server shutdown).
func (h *WaitHub) close() { close(h.done) }

// Done is closed when the hub closes: every stream should end.
func (h *WaitHub) Done() <-chan struct{} { return h.done }

// Wake receives when Take has something.
func (s *WaitSub) Wake() <-chan struct{} { return s.wake }

// Take returns and forgets the appointments changed since the last Take.
func (s *WaitSub) Take() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.dirty))
	for id := range s.dirty {
		out = append(out, id)
	}
	clear(s.dirty)
	return out
}
