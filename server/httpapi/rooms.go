package httpapi

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/roomgate"
	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// SignalingPath is where the signaling websocket is served.
const SignalingPath = "/api/v1/rooms/ws"

func (a *API) roomCookieName() string {
	if a.cfg.SecureCookies {
		return "__Host-sprechstunde_room"
	}
	return "sprechstunde_room"
}

type roomAppointmentJSON struct {
	ID         int64  `json:"id"`
	CaseNumber string `json:"case_number"`
	ServiceID  int64  `json:"service_id"`
	Start      string `json:"start"`
	End        string `json:"end"`
}

// RoomInfo is what a join page needs to show and to connect.
type RoomInfo struct {
	Role          string              `json:"role"`
	DisplayName   string              `json:"display_name"`
	ParticipantID string              `json:"participant_id"`
	Appointment   roomAppointmentJSON `json:"appointment"`
	NotBefore     string              `json:"not_before"`
	NotAfter      string              `json:"not_after"`
	WSURL         string              `json:"ws_url"`
}

func (a *API) toRoomInfo(acc booking.RoomAccess) RoomInfo {
	return RoomInfo{Role: acc.Role, DisplayName: acc.DisplayName, ParticipantID: acc.ParticipantID,
		Appointment: roomAppointmentJSON{ID: acc.AppointmentID, CaseNumber: acc.CaseNumber, ServiceID: acc.ServiceID,
			Start: a.rfc3339(acc.Start), End: a.rfc3339(acc.End)},
		NotBefore: a.rfc3339(acc.NotBefore), NotAfter: a.rfc3339(acc.NotAfter), WSURL: SignalingPath}
}

// startRoomSession sets the room cookie: the join link's token is spent on
// the first load, and the page continues with this cookie (ASVS V14.2.1).
// Room sessions are bounded per participant; those displaced lose their
// connections.
func (a *API) startRoomSession(c echo.Context, acc booking.RoomAccess) error {
	secret, _, dropped, err := a.office.OpenRoomSession(c.Request().Context(), acc)
	if err != nil {
		return err
	}
	for _, h := range dropped {
		a.media.EndSession(roomgate.RoomSessionKey(h), signaling.ReasonSessionEnded)
	}
	c.SetCookie(&http.Cookie{Name: a.roomCookieName(), Value: secret, Path: "/", HttpOnly: true,
		Secure: a.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	return c.JSON(http.StatusOK, a.toRoomInfo(acc))
}

// handleJoin exchanges a citizen's join token for a room session. A
// browser that holds a live session for the same participant keeps it, so
// opening the link again there is a reload, not a second device.
func (a *API) handleJoin(c echo.Context) error {
	acc, err := a.office.CitizenAccess(c.Request().Context(), c.Param("token"))
	if err != nil {
		return manageError(err)
	}
	if cur, s, err := a.roomSession(c); err == nil && s.AppointmentID == acc.AppointmentID && s.ParticipantID == acc.ParticipantID {
		return c.JSON(http.StatusOK, a.toRoomInfo(cur))
	}
	return a.startRoomSession(c, acc)
}

type guestJoinJSON struct {
	Name string `json:"name"`
}

// handleGuestJoin exchanges a one-time guest link for a room session.
func (a *API) handleGuestJoin(c echo.Context) error {
	var req guestJoinJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := booking.GuestName(req.Name); err != nil {
		return err // before the one-time link is spent
	}
	apptID, guestID, ok := a.desk.TakeGuestInvite(c.Param("token"))
	if !ok {
		return newAPIError(http.StatusNotFound, "not_found", "This invitation is not valid or was used already.")
	}
	acc, err := a.office.GuestAccess(c.Request().Context(), apptID, guestID, req.Name)
	if err != nil {
		return err
	}
	return a.startRoomSession(c, acc)
}

// roomSession resolves the room cookie; every use moves its idle expiry.
func (a *API) roomSession(c echo.Context) (booking.RoomAccess, booking.RoomSession, error) {
	errNoSession := newAPIError(http.StatusUnauthorized, "unauthenticated", "Please open the link from your invitation again.")
	ck, err := c.Cookie(a.roomCookieName())
	if err != nil {
		return booking.RoomAccess{}, booking.RoomSession{}, errNoSession
	}
	acc, s, err := a.office.ResumeRoomSession(c.Request().Context(), ck.Value)
	if errors.Is(err, booking.ErrUnauthenticated) {
		return booking.RoomAccess{}, booking.RoomSession{}, errNoSession
	}
	return acc, s, err
}

// handleRoomSession tells a (re)loaded join page where it stands; the page
// calls it every few minutes, which keeps the room session alive.
func (a *API) handleRoomSession(c echo.Context) error {
	acc, _, err := a.roomSession(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a.toRoomInfo(acc))
}

type ticketJSON struct {
	Ticket string   `json:"ticket"`
	WSURL  string   `json:"ws_url"`
	Room   RoomInfo `json:"room"`
}

func (a *API) issueTicket(c echo.Context, acc booking.RoomAccess, key string, admitted bool) error {
	t, err := a.desk.IssueTicket(acc, key, admitted)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ticketJSON{Ticket: t, WSURL: SignalingPath, Room: a.toRoomInfo(acc)})
}

// handleRoomTicket gives a citizen or guest a one-time websocket credential.
func (a *API) handleRoomTicket(c echo.Context) error {
	acc, s, err := a.roomSession(c)
	if err != nil {
		return err
	}
	return a.issueTicket(c, acc, roomgate.RoomSessionKey(s.TokenHash), s.Admitted)
}

// handleStaffTicket gives the responsible clerk a websocket credential.
func (a *API) handleStaffTicket(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st := staff(c)
	acc, err := a.office.StaffAccess(c.Request().Context(), st.actor(), id)
	if err != nil {
		return err
	}
	a.links.Watch(st.user.ID, st.session)
	return a.issueTicket(c, acc, roomgate.StaffSessionKey(st.session.TokenHash), true)
}

// GuestLink is a clerk's one-time invitation for a guest.
type GuestLink struct {
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
}

// handleGuestLink creates a one-time invitation (e.g. for an interpreter).
func (a *API) handleGuestLink(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	acc, err := a.office.InviteGuest(c.Request().Context(), staff(c).actor(), id)
	if err != nil {
		return err
	}
	secret, err := a.desk.InviteGuest(id, acc.NotAfter)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, GuestLink{URL: a.cfg.PublicURL + "/guest/" + secret, ExpiresAt: a.rfc3339(acc.NotAfter)})
}

// WaitingEntry is one person in a waiting room.
type WaitingEntry struct {
	ParticipantID string `json:"participant_id"`
	DisplayName   string `json:"display_name"`
	Role          string `json:"role"`
	Since         string `json:"since"`
	SecondDevice  bool   `json:"second_device"` // the same person is (or was) in the call from another device
}

func (a *API) toWaitingJSON(w sfu.WaitingInfo) WaitingEntry {
	return WaitingEntry{ParticipantID: w.ParticipantID, DisplayName: w.DisplayName, Role: string(w.Role),
		Since: a.rfc3339(w.Since), SecondDevice: w.SecondDevice}
}

// handleWaiting lists who waits in an appointment's waiting room.
func (a *API) handleWaiting(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.office.StaffAccess(c.Request().Context(), staff(c).actor(), id); err != nil {
		return err
	}
	out := []WaitingEntry{}
	for _, w := range a.media.Waiting(booking.RoomID(id)) {
		out = append(out, a.toWaitingJSON(w))
	}
	return c.JSON(http.StatusOK, out)
}
