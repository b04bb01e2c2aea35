package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// WaitingEvent is one server-sent event: the full waiting list of one
// of the clerk's appointments.
type WaitingEvent struct {
	AppointmentID int64          `json:"appointment_id"`
	CaseNumber    string         `json:"case_number"`
	Start         string         `json:"start"`
	Waiting       []WaitingEntry `json:"waiting"`
}

// waitingKeepalive keeps proxies from closing an idle stream.
const waitingKeepalive = 25 * time.Second

// handleWaitingStream pushes, as server-sent events, the waiting lists of
// the signed-in clerk's appointments: first those of today, then each one
// whenever someone joins, is admitted, leaves or is removed. The stream
// ends with the login (see roomgate.StaffLinks); each keepalive checks it anew.
func (a *API) handleWaitingStream(c echo.Context) error {
	st := staff(c)
	act := st.actor()
	ctx, done := a.links.Stream(c.Request().Context(), st.user.ID, st.session)
	defer done()
	hub := a.waits
	sub := hub.Subscribe()
	defer hub.Unsubscribe(sub)

	w := c.Response()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")

	today := booking.DateOf(a.now().In(a.cfg.Location))
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
		case <-hub.Done():
			return nil
		case <-tick.C:
			if _, _, err := a.office.Authenticate(ctx, st.token); err != nil {
				return nil // ended in another process
			}
			fmt.Fprint(w, ": keepalive\n\n")
		case <-sub.Wake():
			for _, id := range sub.Take() {
				a.sendWaiting(c, act, id)
			}
		}
		w.Flush()
	}
}

// sendWaiting writes one event if the appointment is the clerk's own.
func (a *API) sendWaiting(c echo.Context, act booking.Actor, id int64) {
	acc, err := a.office.StaffAccess(c.Request().Context(), act, id)
	if err != nil || acc.ClerkID != act.UserID {
		return
	}
	ev := WaitingEvent{AppointmentID: id, CaseNumber: acc.CaseNumber, Start: a.rfc3339(acc.Start), Waiting: []WaitingEntry{}}
	for _, wi := range a.media.Waiting(booking.RoomID(id)) {
		ev.Waiting = append(ev.Waiting, a.toWaitingJSON(wi))
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return
	}
	fmt.Fprintf(c.Response(), "event: waiting\ndata: %s\n\n", b)
}
