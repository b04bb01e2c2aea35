package roomgate

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// Observer writes session metadata onto cases. The media server calls
// it synchronously, so events are queued and written by one goroutine.
type Observer struct {
	office *booking.Office
	log    *slog.Logger
	events chan sfu.Event
	done   chan struct{}
	waits  *WaitHub // live waiting lists for clerks
}

// NewObserver starts the writer; Close ends it.
func NewObserver(office *booking.Office, log *slog.Logger) *Observer {
	o := &Observer{office: office, log: log, events: make(chan sfu.Event, 4096), done: make(chan struct{}), waits: newWaitHub()}
	go o.run()
	return o
}

// RoomEvent implements sfu.Observer.
func (o *Observer) RoomEvent(_ context.Context, ev sfu.Event) {
	if id, ok := booking.ParseRoomID(ev.RoomID); ok && changesWaiting[ev.Type] {
		o.waits.publish(id)
	}
	select {
	case o.events <- ev:
	default:
		o.log.Warn("room event dropped: queue full", "room", ev.RoomID, "type", string(ev.Type))
	}
}

// Close drains the queue; call after the media server has stopped.
func (o *Observer) Close() {
	close(o.events)
	<-o.done
	o.waits.close()
}

// Waits is the hub clerks' waiting streams subscribe to.
func (o *Observer) Waits() *WaitHub { return o.waits }

// changesWaiting are the events after which a waiting list may differ.
var changesWaiting = map[sfu.EventType]bool{
	sfu.EventJoined: true, sfu.EventAdmitted: true, sfu.EventRemoved: true, sfu.EventLeft: true, sfu.EventRoomClosed: true,
}

var roomEventTypes = map[sfu.EventType]booking.EventType{
	sfu.EventJoined:      booking.EventRoomJoined,
	sfu.EventAdmitted:    booking.EventRoomAdmitted,
	sfu.EventRemoved:     booking.EventRoomRemoved,
	sfu.EventLeft:        booking.EventRoomLeft,
	sfu.EventCallStarted: booking.EventCallStarted,
	sfu.EventCallEnded:   booking.EventCallEnded,
	sfu.EventRoomClosed:  booking.EventRoomClosed,
}

func (o *Observer) run() {
	defer close(o.done)
	for ev := range o.events {
		id, ok := booking.ParseRoomID(ev.RoomID)
		typ, known := roomEventTypes[ev.Type]
		if !ok || !known {
			continue
		}
		detail := ev.Reason
		if ev.Type == sfu.EventCallEnded {
			detail = strings.TrimSpace(detail + " " + ev.Duration.Round(time.Second).String())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		o.rememberAdmission(ctx, ev)
		if err := o.office.RecordRoomEvent(ctx, id, typ, string(ev.Role), ev.Time, detail); err != nil {
			o.log.Warn("room event not recorded", "appointment", id, "type", string(ev.Type), "err", err)
		}
		if staff, ok := staffOfParticipant(ev.ByParticipant); ok && (ev.Type == sfu.EventAdmitted || ev.Type == sfu.EventRemoved) {
			act := booking.Actor{UserID: staff}
			if err := o.office.Audit(ctx, act, "room."+string(ev.Type), "appointment:"+strconv.FormatInt(id, 10), string(ev.Role)); err != nil {
				o.log.Warn("audit entry not written", "appointment", id, "err", err)
			}
		}
		cancel()
	}
}

// rememberAdmission stores the clerk's decision on the room session, so a
// reload or a restarted server lets that session (and no other) back in;
// a room closed for good (not by a shutdown) forgets all of them.
func (o *Observer) rememberAdmission(ctx context.Context, ev sfu.Event) {
	if id, ok := booking.ParseRoomID(ev.RoomID); ok && ev.Type == sfu.EventRoomClosed && ev.Reason != signaling.ReasonShutdown {
		if err := o.office.ResetRoomAdmissions(ctx, id); err != nil {
			o.log.Warn("room admissions not reset", "room", ev.RoomID, "err", err)
		}
		return
	}
	hash, ok := strings.CutPrefix(ev.SessionKey, roomKeyPrefix)
	if !ok || (ev.Type != sfu.EventAdmitted && ev.Type != sfu.EventRemoved) {
		return
	}
	err := o.office.SetRoomSessionAdmitted(ctx, hash, ev.Type == sfu.EventAdmitted)
	if err != nil && !errors.Is(err, booking.ErrNotFound) {
		o.log.Warn("room admission not stored", "room", ev.RoomID, "err", err)
	}
}

func staffOfParticipant(pid string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(pid, "staff-"), 10, 64)
	return n, err == nil && strings.HasPrefix(pid, "staff-")
}
