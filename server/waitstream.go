package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// waitHub tells clerks' live views which appointments' waiting rooms
// changed. The media server reports room events synchronously, so publish
// never blocks: each subscriber keeps a set of changed appointments and a
// one-slot wake-up channel.
type waitHub struct {
	mu   sync.Mutex
	subs map[*waitSub]struct{}
	done chan struct{}
}

type waitSub struct {
	mu    sync.Mutex
	dirty map[int64]struct{}
	wake  chan struct{}
}

func newWaitHub() *waitHub {
	return &waitHub{subs: map[*waitSub]struct{}{}, done: make(chan struct{})}
}

func (h *waitHub) publish(appointmentID int64) {
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

func (h *waitHub) subscribe() *waitSub {
	s := &waitSub{dirty: map[int64]struct{}{}, wake: make(chan struct{}, 1)}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

func (h *waitHub) unsubscribe(s *waitSub) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

// close ends all streams (server shutdown).
func (h *waitHub) close() { close(h.done) }

func (s *waitSub) take() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, 0, len(s.dirty))
	for id := range s.dirty {
		out = append(out, id)
	}
	clear(s.dirty)
	return out
}

// waitingEventJSON is one server-sent event: the full waiting list of one
// of the clerk's appointments.
type waitingEventJSON struct {
	AppointmentID int64         `json:"appointment_id"`
	CaseNumber    string        `json:"case_number"`
	Start         string        `json:"start"`
	Waiting       []waitingJSON `json:"waiting"`
}

// waitingKeepalive keeps proxies from closing an idle stream.
const waitingKeepalive = 25 * time.Second

// handleWaitingStream pushes, as server-sent events, the waiting lists of
// the signed-in clerk's appointments: first those of today, then each one
// whenever someone joins, is admitted, leaves or is removed. The stream
// ends with the login (see staffLinks); each keepalive checks it anew.
func (a *App) handleWaitingStream(c echo.Context) error {
	st := staff(c)
	act := st.actor()
	ctx, done := a.links.stream(c.Request().Context(), st.user.ID, st.session)
	defer done()
	hub := a.observer.waits
	sub := hub.subscribe()
	defer hub.unsubscribe(sub)

	w := c.Response()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")

	today := booking.DateOf(a.now().In(a.cfg.Location()))
	if list, err := a.office.ClerkAppointments(ctx, act, 0, today, today); err == nil {
		for _, ap := range list {
			if ap.Status == booking.StatusBooked {
				a.sendWaiting(c, act, ap.ID)
			}
		}
	}
	w.Flush()
	tick := time.NewTicker(waitingKeepalive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hub.done:
			return nil
		case <-tick.C:
			if _, _, err := a.office.Authenticate(ctx, st.token); err != nil {
				return nil // ended in another process
			}
			fmt.Fprint(w, ": keepalive\n\n")
		case <-sub.wake:
			for _, id := range sub.take() {
				a.sendWaiting(c, act, id)
			}
		}
		w.Flush()
	}
}

// sendWaiting writes one event if the appointment is the clerk's own.
func (a *App) sendWaiting(c echo.Context, act booking.Actor, id int64) {
	acc, err := a.office.StaffAccess(c.Request().Context(), act, id)
	if err != nil || acc.ClerkID != act.UserID {
		return
	}
	ev := waitingEventJSON{AppointmentID: id, CaseNumber: acc.CaseNumber, Start: a.rfc3339(acc.Start), Waiting: []waitingJSON{}}
	for _, wi := range a.media.Waiting(booking.RoomID(id)) {
		ev.Waiting = append(ev.Waiting, a.toWaitingJSON(wi))
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return
	}
	fmt.Fprintf(c.Response(), "event: waiting\ndata: %s\n\n", b)
}
