package booking

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Room roles, as the media server knows them.
const (
	RoomRoleCitizen = "citizen"
	RoomRoleClerk   = "clerk"
	RoomRoleGuest   = "guest"
)

// Session events on a case's timeline: metadata of the video call, never content.
const (
	EventRoomJoined   EventType = "room_joined"
	EventRoomAdmitted EventType = "room_admitted"
	EventRoomRemoved  EventType = "room_removed"
	EventRoomLeft     EventType = "room_left"
	EventCallStarted  EventType = "call_started"
	EventCallEnded    EventType = "call_ended"
	EventRoomClosed   EventType = "room_closed"
	EventGuestInvited EventType = "guest_invited"
)

// clerkEarly is how long before the start a clerk may open the room, so
// they can prepare and be there first.
const clerkEarly = 60 * time.Minute

// RoomAccess describes who may enter which appointment's room, and when.
type RoomAccess struct {
	AppointmentID int64
	CaseNumber    string
	ServiceID     int64
	ClerkID       int64
	Role          string
	ParticipantID string // stable per person and appointment, so a reload needs no new admission
	DisplayName   string
	Start, End    time.Time
	NotBefore     time.Time
	NotAfter      time.Time
}

// roomIDPrefix starts every appointment's room ID, see RoomID.
const roomIDPrefix = "appointment-"

// RoomID names the media room of an appointment.
func RoomID(appointmentID int64) string { return roomIDPrefix + strconv.FormatInt(appointmentID, 10) }

// ParseRoomID returns the appointment whose room roomID names: exactly
// the IDs RoomID makes, so "appointment-+7" or "appointment-07" name none.
func ParseRoomID(roomID string) (appointmentID int64, ok bool) {
	digits, found := strings.CutPrefix(roomID, roomIDPrefix)
	n, err := strconv.ParseInt(digits, 10, 64)
	if !found || err != nil || n <= 0 || RoomID(n) != roomID {
		return 0, false
	}
	return n, true
}

func (o *Office) access(a Appointment, role, participant, name string, early time.Duration) (RoomAccess, error) {
	switch {
	case a.Status != StatusBooked:
		return RoomAccess{}, fmt.Errorf("booking: room of %d (%s): %w", a.ID, a.Status, ErrExpired)
	case !o.now().Before(a.End):
		return RoomAccess{}, fmt.Errorf("booking: room of %d: %w", a.ID, ErrExpired)
	}
	return RoomAccess{
		AppointmentID: a.ID, CaseNumber: a.CaseNumber, ServiceID: a.ServiceID, ClerkID: a.ClerkID,
		Role: role, ParticipantID: participant, DisplayName: name,
		Start: a.Start, End: a.End, NotBefore: a.Start.Add(-early), NotAfter: a.End,
	}, nil
}

// CitizenAccess checks a join link. The citizen's real name, as booked, is
// what the clerk sees.
func (o *Office) CitizenAccess(ctx context.Context, joinToken string) (RoomAccess, error) {
	a, err := o.ByJoinToken(ctx, joinToken)
	if err != nil {
		return RoomAccess{}, err
	}
	return o.access(a, RoomRoleCitizen, "citizen-"+strconv.FormatInt(a.ID, 10), DisplayName(a.CitizenName), o.opt.JoinEarly)
}

// StaffAccess lets the responsible clerk (or an admin) into an appointment's room.
func (o *Office) StaffAccess(ctx context.Context, act Actor, appointmentID int64) (RoomAccess, error) {
	a, err := o.store.Appointment(ctx, appointmentID)
	if err != nil {
		return RoomAccess{}, fmt.Errorf("booking: appointment %d: %w", appointmentID, err)
	}
	if err := mayHandle(act, a.ClerkID, "room of appointment "+strconv.FormatInt(appointmentID, 10)); err != nil {
		return RoomAccess{}, err
	}
	u, err := o.store.User(ctx, act.UserID)
	if err != nil {
		return RoomAccess{}, fmt.Errorf("booking: staff %d: %w", act.UserID, err)
	}
	return o.access(a, RoomRoleClerk, "staff-"+strconv.FormatInt(u.ID, 10), DisplayName(u.Name), max(o.opt.JoinEarly, clerkEarly))
}

// GuestAccess admits a guest (e.g. a sign-language interpreter) invited by
// the clerk under the name they give; they wait like the citizen.
func (o *Office) GuestAccess(ctx context.Context, appointmentID int64, guestID, name string) (RoomAccess, error) {
	name, err := GuestName(name)
	if err != nil {
		return RoomAccess{}, err
	}
	a, err := o.store.Appointment(ctx, appointmentID)
	if err != nil {
		return RoomAccess{}, fmt.Errorf("booking: appointment %d: %w", appointmentID, err)
	}
	return o.access(a, RoomRoleGuest, "guest-"+guestID, name, o.opt.JoinEarly)
}

// GuestName cleans (see DisplayName) and validates the name a guest gives
// for themselves.
func GuestName(name string) (string, error) {
	name = DisplayName(name)
	v := &ValidationError{}
	checkText(v, "name", name, 1, 100)
	return name, v.Err()
}

// InviteGuest checks that the actor may invite into the room and records
// it on the timeline; the link itself is issued by the caller.
func (o *Office) InviteGuest(ctx context.Context, act Actor, appointmentID int64) (RoomAccess, error) {
	acc, err := o.StaffAccess(ctx, act, appointmentID)
	if err != nil {
		return RoomAccess{}, err
	}
	a, err := o.store.Appointment(ctx, appointmentID)
	if err != nil {
		return RoomAccess{}, err
	}
	if err := o.store.AppendEvent(ctx, Event{CaseID: a.CaseID, Type: EventGuestInvited, At: o.now(), ActorID: act.UserID}); err != nil {
		return RoomAccess{}, fmt.Errorf("booking: guest invitation: %w", err)
	}
	return acc, nil
}

// RecordRoomEvent puts session metadata (joined, admitted, call ended …)
// on the appointment's case. A citizen who joined is no no-show.
func (o *Office) RecordRoomEvent(ctx context.Context, appointmentID int64, typ EventType, role string, at time.Time, detail string) error {
	a, err := o.store.Appointment(ctx, appointmentID)
	if errors.Is(err, ErrNotFound) {
		return nil // deleted by retention meanwhile: nothing to record on
	}
	if err != nil {
		return fmt.Errorf("booking: room event for %d: %w", appointmentID, err)
	}
	if typ == EventRoomJoined && role == RoomRoleCitizen && a.JoinedAt.IsZero() {
		if err := o.MarkJoined(ctx, appointmentID, at); err != nil {
			return err
		}
	}
	d := strings.TrimSpace(role + " " + detail)
	if err := o.store.AppendEvent(ctx, Event{CaseID: a.CaseID, Type: typ, At: at, Detail: d}); err != nil {
		return fmt.Errorf("booking: room event for %d: %w", appointmentID, err)
	}
	return nil
}
