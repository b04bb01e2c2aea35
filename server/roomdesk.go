package server

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// ticketTTL is how long a websocket ticket may wait for its "join".
const ticketTTL = time.Minute

// roomDesk keeps, in memory, what connects a browser to a room:
//   - room sessions: the cookie a citizen or guest gets for a join or guest
//     link, so the link's token leaves the address bar and is not needed
//     again on reload;
//   - tickets: one-time credentials for the websocket's first message;
//   - guest links: one-time invitations a clerk hands out.
//
// Rooms live in this process's media server, so this state lives here too;
// a restart ends calls and the citizen simply opens the join link again.
// Only SHA-256 hashes of the secrets are kept.
type roomDesk struct {
	now       func() time.Time
	mu        sync.Mutex
	sessions  map[string]deskEntry
	tickets   map[string]deskEntry
	guests    map[string]deskEntry // access holds only the appointment
	lastPrune time.Time
}

type deskEntry struct {
	access  booking.RoomAccess
	expires time.Time
}

func newRoomDesk(now func() time.Time) *roomDesk {
	return &roomDesk{now: now, sessions: map[string]deskEntry{}, tickets: map[string]deskEntry{}, guests: map[string]deskEntry{}}
}

func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// openSession stores a room session until the room closes.
func (d *roomDesk) openSession(acc booking.RoomAccess) (string, error) {
	return d.put(d.sessions, acc, acc.NotAfter)
}

// session returns the room session of a cookie value.
func (d *roomDesk) session(secret string) (booking.RoomAccess, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.sessions[booking.HashToken(secret)]
	if !ok || !d.now().Before(e.expires) {
		return booking.RoomAccess{}, false
	}
	return e.access, true
}

// issueTicket stores a one-time websocket credential.
func (d *roomDesk) issueTicket(acc booking.RoomAccess) (string, error) {
	return d.put(d.tickets, acc, d.now().Add(ticketTTL))
}

// redeemTicket consumes a ticket.
func (d *roomDesk) redeemTicket(secret string) (booking.RoomAccess, bool) {
	return d.take(d.tickets, secret)
}

// inviteGuest stores a one-time guest link for an appointment.
func (d *roomDesk) inviteGuest(appointmentID int64, expires time.Time) (string, error) {
	return d.put(d.guests, booking.RoomAccess{AppointmentID: appointmentID}, expires)
}

// takeGuestInvite consumes a guest link and returns its appointment; the
// link's hash doubles as the guest's stable participant ID.
func (d *roomDesk) takeGuestInvite(secret string) (appointmentID int64, guestID string, ok bool) {
	acc, ok := d.take(d.guests, secret)
	return acc.AppointmentID, booking.HashToken(secret)[:16], ok
}

// take removes and returns a one-time entry if it has not expired.
func (d *roomDesk) take(m map[string]deskEntry, secret string) (booking.RoomAccess, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := booking.HashToken(secret)
	e, ok := m[h]
	delete(m, h)
	if !ok || !d.now().Before(e.expires) {
		return booking.RoomAccess{}, false
	}
	return e.access, true
}

func (d *roomDesk) put(m map[string]deskEntry, acc booking.RoomAccess, expires time.Time) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune()
	m[booking.HashToken(secret)] = deskEntry{access: acc, expires: expires}
	return secret, nil
}

// prune drops expired entries at most once a minute; callers hold mu.
func (d *roomDesk) prune() {
	now := d.now()
	if now.Sub(d.lastPrune) < time.Minute && now.After(d.lastPrune) {
		return
	}
	d.lastPrune = now
	for _, m := range []map[string]deskEntry{d.sessions, d.tickets, d.guests} {
		for k, e := range m {
			if !now.Before(e.expires) {
				delete(m, k)
			}
		}
	}
}
