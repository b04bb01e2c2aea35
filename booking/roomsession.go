package booking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits of room sessions, the cookie a citizen or guest gets for a join
// or guest link. Every exchange of a link creates one, so they are bounded
// per participant and end when unused.
const (
	// MaxRoomSessions live room sessions per participant: a reload keeps
	// its session, so more than a phone and a computer are rarely needed.
	// A new one displaces the least recently used one that is not admitted.
	MaxRoomSessions = 3
	// RoomSessionIdle ends a room session unused for this long; the join
	// page uses its session every few minutes while it is open.
	RoomSessionIdle = 30 * time.Minute
	// roomSessionTouch: a use refreshes the idle expiry at most this often.
	roomSessionTouch = time.Minute
)

// RoomSession is a browser's standing access to one appointment's room.
// Only the hash of its secret is stored. Admitted records that the clerk
// let this session (not just the participant) into the call, so a reload or
// a server restart does not ask again, while the same link opened on
// another device waits.
type RoomSession struct {
	TokenHash     string
	AppointmentID int64
	ParticipantID string
	Role          string
	DisplayName   string
	Admitted      bool
	CreatedAt     time.Time
	UsedAt        time.Time
	ExpiresAt     time.Time // UsedAt + RoomSessionIdle, never after EndsAt
	EndsAt        time.Time // the room's end
}

// RoomSessionStore keeps room sessions.
type RoomSessionStore interface {
	// CreateRoomSession stores s and, in the same transaction, deletes the
	// participant's expired sessions and, beyond keep live ones, the least
	// recently used ones that are not admitted. It returns the deleted
	// live sessions' hashes.
	CreateRoomSession(ctx context.Context, s RoomSession, keep int) (dropped []string, err error)
	// RoomSession returns a session that has not expired at now.
	RoomSession(ctx context.Context, hash string, now time.Time) (RoomSession, error)
	// TouchRoomSession records a use and moves the expiry.
	TouchRoomSession(ctx context.Context, hash string, usedAt, expiresAt time.Time) error
	// SetRoomSessionAdmitted sets the admission of one session; admitting
	// one clears it on the participant's other sessions of the appointment.
	SetRoomSessionAdmitted(ctx context.Context, hash string, admitted bool) error
	// ResetRoomAdmissions clears the admission of every session of an
	// appointment's room.
	ResetRoomAdmissions(ctx context.Context, appointmentID int64) error
	// DeleteExpiredRoomSessions removes sessions expired at now.
	DeleteExpiredRoomSessions(ctx context.Context, now time.Time) (int, error)
}

func (o *Office) roomSessionExpiry(used, ends time.Time) time.Time {
	if exp := used.Add(RoomSessionIdle); exp.Before(ends) {
		return exp
	}
	return ends
}

// OpenRoomSession stores a new room session for access granted by a link.
// It returns the secret for the cookie and the hashes of older sessions of
// the same participant it displaced (their connections must end).
func (o *Office) OpenRoomSession(ctx context.Context, acc RoomAccess) (secret string, s RoomSession, dropped []string, err error) {
	secret, hash, err := NewToken()
	if err != nil {
		return "", RoomSession{}, nil, err
	}
	now := o.now()
	s = RoomSession{TokenHash: hash, AppointmentID: acc.AppointmentID, ParticipantID: acc.ParticipantID,
		Role: acc.Role, DisplayName: DisplayName(acc.DisplayName), CreatedAt: now, UsedAt: now,
		ExpiresAt: o.roomSessionExpiry(now, acc.NotAfter), EndsAt: acc.NotAfter}
	dropped, err = o.store.CreateRoomSession(ctx, s, MaxRoomSessions)
	if err != nil {
		return "", RoomSession{}, nil, fmt.Errorf("booking: room session: %w", err)
	}
	return secret, s, dropped, nil
}

// ResumeRoomSession resolves a room cookie to the access it stands for,
// checks that the appointment still takes place, and refreshes the idle
// expiry. ErrUnauthenticated for unknown, expired or implausible secrets.
func (o *Office) ResumeRoomSession(ctx context.Context, secret string) (RoomAccess, RoomSession, error) {
	if !plausibleToken(secret) {
		return RoomAccess{}, RoomSession{}, ErrUnauthenticated
	}
	now := o.now()
	s, err := o.store.RoomSession(ctx, HashToken(secret), now)
	if errors.Is(err, ErrNotFound) {
		return RoomAccess{}, RoomSession{}, ErrUnauthenticated
	}
	if err != nil {
		return RoomAccess{}, RoomSession{}, fmt.Errorf("booking: room session: %w", err)
	}
	a, err := o.store.Appointment(ctx, s.AppointmentID)
	if errors.Is(err, ErrNotFound) {
		return RoomAccess{}, RoomSession{}, ErrUnauthenticated
	}
	if err != nil {
		return RoomAccess{}, RoomSession{}, fmt.Errorf("booking: room of %d: %w", s.AppointmentID, err)
	}
	acc, err := o.access(a, s.Role, s.ParticipantID, s.DisplayName, o.opt.JoinEarly)
	if err != nil {
		return RoomAccess{}, RoomSession{}, err
	}
	if now.Sub(s.UsedAt) >= roomSessionTouch {
		s.UsedAt, s.ExpiresAt = now, o.roomSessionExpiry(now, acc.NotAfter)
		if err := o.store.TouchRoomSession(ctx, s.TokenHash, s.UsedAt, s.ExpiresAt); err != nil {
			return RoomAccess{}, RoomSession{}, fmt.Errorf("booking: room session: %w", err)
		}
	}
	return acc, s, nil
}

// SetRoomSessionAdmitted records the clerk's admission (or removal) of the
// room session with this hash.
func (o *Office) SetRoomSessionAdmitted(ctx context.Context, hash string, admitted bool) error {
	if err := o.store.SetRoomSessionAdmitted(ctx, hash, admitted); err != nil {
		return fmt.Errorf("booking: room admission: %w", err)
	}
	return nil
}

// ResetRoomAdmissions forgets the clerk's admissions when a room closes for
// good (closed by the clerk, appointment over): whoever comes back to a
// room opened again waits, as before the first admission. A server
// shutting down does not call it, so a restart keeps them.
func (o *Office) ResetRoomAdmissions(ctx context.Context, appointmentID int64) error {
	if err := o.store.ResetRoomAdmissions(ctx, appointmentID); err != nil {
		return fmt.Errorf("booking: room admissions of %d: %w", appointmentID, err)
	}
	return nil
}

// DeleteExpiredRoomSessions removes room sessions past their expiry.
func (o *Office) DeleteExpiredRoomSessions(ctx context.Context, now time.Time) (int, error) {
	n, err := o.store.DeleteExpiredRoomSessions(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("booking: expired room sessions: %w", err)
	}
	return n, nil
}
