package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/roomgate"
	"github.com/sprechstunde/sprechstunde/sfu"
)

// setupRooms starts the media server with its authorizer and observer.
func (a *App) setupRooms() error {
	sc := a.cfg.SFU
	if a.cfg.Demo {
		sc = demoMedia(sc, a.log)
	}
	cfg, err := sfuConfig(sc, a.log)
	if err != nil {
		return fmt.Errorf("server: media config: %w", err)
	}
	a.desk = roomgate.NewDesk(a.now)
	a.observer = roomgate.NewObserver(a.office, a.log)
	a.media, err = sfu.New(cfg, roomgate.Authorizer{Desk: a.desk}, a.observer, a.log.With("component", "sfu"))
	if err != nil {
		a.observer.Close()
		return fmt.Errorf("server: media server: %w", err)
	}
	a.closeMedia = sync.OnceValue(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
		defer cancel()
		err := a.media.Close(ctx) // tells everyone in a room, then closes
		a.observer.Close()        // the last session events reach the cases
		a.links.Close()
		return err
	})
	return nil
}

// closeRoom ends the call of an appointment that is no longer booked
// (booking.Options.AppointmentEnded); the media server runs once set up.
func (a *App) closeRoom(appointmentID int64) {
	if a.media != nil {
		a.media.CloseRoom(booking.RoomID(appointmentID), "appointment_ended")
	}
}

// closeDanglingCalls ends, on the case timelines, calls that a process
// stopped without shutdown (kill -9, power loss) left open. It runs once
// at start, before this process serves rooms; rooms live in one process,
// so with several processes on one database the room-serving one must be
// a single process (docs/operations.md).
func (a *App) closeDanglingCalls(ctx context.Context) {
	n, err := a.office.CloseDanglingCalls(ctx, a.now())
	switch {
	case err != nil:
		a.log.Warn("open calls from before the start not closed", "closed", n, "err", err)
	case n > 0:
		a.log.Info("calls left open by an unclean stop closed", "count", n)
	}
}
