// Package roomgate is the door to the media rooms: the one-time tickets
// and guest links of the desk, the authorizer the media server asks, the
// observer writing room events onto cases and telling clerks' waiting
// lists, and the links that end a staff login's connections with it.
package roomgate

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// ticketTTL is how long a websocket ticket may wait for its "join".
const ticketTTL = time.Minute

// maxTicketsPerSession bounds the unredeemed tickets of one room session or
// login: a page needs one per (re)connect, so the oldest gives way.
const maxTicketsPerSession = 3

// Desk keeps, in memory, the short-lived credentials that connect a
// browser to a room:
//   - tickets: one-time credentials for the websocket's first message;
//   - guest links: one-time invitations a clerk hands out.
//
// Room sessions (the cookie a join link is exchanged for) are stored in
// the database, see booking.RoomSession. Only SHA-256 hashes of the
// secrets are kept.
type Desk struct {
	now       func() time.Time
	mu        sync.Mutex
	tickets   map[string]deskEntry
	byOwner   map[string][]string  // session key -> its unredeemed tickets' hashes, oldest first
	guests    map[string]deskEntry // access holds only the appointment
	lastPrune time.Time
}

// deskEntry is what a secret stands for until it expires.
type deskEntry struct {
	access  booking.RoomAccess
	key     string // the room session or login the ticket was issued to
	known   bool   // that session was admitted before
	expires time.Time
}

// NewDesk returns an empty desk on the clock now.
func NewDesk(now func() time.Time) *Desk {
	return &Desk{now: now, tickets: map[string]deskEntry{}, byOwner: map[string][]string{}, guests: map[string]deskEntry{}}
}

func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// IssueTicket stores a one-time websocket credential for the session key.
func (d *Desk) IssueTicket(acc booking.RoomAccess, key string, admitted bool) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	h := booking.HashToken(secret)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune()
	own := d.byOwner[key]
	for len(own) >= maxTicketsPerSession {
		delete(d.tickets, own[0])
		own = own[1:]
	}
	d.byOwner[key] = append(own, h)
	d.tickets[h] = deskEntry{access: acc, key: key, known: admitted, expires: d.now().Add(ticketTTL)}
	return secret, nil
}

// redeemTicket consumes a ticket.
func (d *Desk) redeemTicket(secret string) (deskEntry, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := booking.HashToken(secret)
	e, ok := d.tickets[h]
	if !ok {
		return deskEntry{}, false
	}
	delete(d.tickets, h)
	d.forgetOwnerLocked(e.key, h)
	return e, d.now().Before(e.expires)
}

func (d *Desk) forgetOwnerLocked(key, h string) {
	own := d.byOwner[key]
	for i, x := range own {
		if x == h {
			own = append(own[:i:i], own[i+1:]...)
			break
		}
	}
	if len(own) == 0 {
		delete(d.byOwner, key)
	} else {
		d.byOwner[key] = own
	}
}

// InviteGuest stores a one-time guest link for an appointment.
func (d *Desk) InviteGuest(appointmentID int64, expires time.Time) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prune()
	d.guests[booking.HashToken(secret)] = deskEntry{access: booking.RoomAccess{AppointmentID: appointmentID}, expires: expires}
	return secret, nil
}

// TakeGuestInvite consumes a guest link and returns its appointment; the
// link's hash doubles as the guest's stable participant ID.
func (d *Desk) TakeGuestInvite(secret string) (appointmentID int64, guestID string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := booking.HashToken(secret)
	e, found := d.guests[h]
	delete(d.guests, h)
	if !found || !d.now().Before(e.expires) {
		return 0, "", false
	}
	return e.access.AppointmentID, h[:16], true
}

// prune drops expired entries at most once a minute; callers hold mu.
func (d *Desk) prune() {
	now := d.now()
	if now.Sub(d.lastPrune) < time.Minute && now.After(d.lastPrune) {
		return
	}
	d.lastPrune = now
	for h, e := range d.tickets {
		if !now.Before(e.expires) {
			delete(d.tickets, h)
			d.forgetOwnerLocked(e.key, h)
		}
	}
	for h, e := range d.guests {
		if !now.Before(e.expires) {
			delete(d.guests, h)
		}
	}
}
