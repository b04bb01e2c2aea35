package roomgate

import (
	"context"
	"errors"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// Authorizer answers the media server's "may this credential join, as
// what?" from the tickets of the room desk.
type Authorizer struct{ Desk *Desk }

// ErrBadTicket refuses a credential that is no ticket of the desk, or one
// already used or expired.
var ErrBadTicket = errors.New("roomgate: unknown or used ticket")

// Authorize implements sfu.Authorizer: a ticket is good for one connection.
func (r Authorizer) Authorize(_ context.Context, credential string) (sfu.Grant, error) {
	t, ok := r.Desk.redeemTicket(credential)
	if !ok {
		return sfu.Grant{}, ErrBadTicket
	}
	acc := t.access
	return sfu.Grant{
		SessionKey:    t.key,
		Admitted:      t.known,
		RoomID:        booking.RoomID(acc.AppointmentID),
		ParticipantID: acc.ParticipantID,
		Role:          signaling.Role(acc.Role),
		DisplayName:   acc.DisplayName,
		NotBefore:     acc.NotBefore,
		NotAfter:      acc.NotAfter,
	}, nil
}
