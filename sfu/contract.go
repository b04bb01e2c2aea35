package sfu

import (
	"context"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// Grant is the answer to "may this credential join, as what?".
type Grant struct {
	RoomID        string // one room per appointment
	ParticipantID string // stable across reconnects of the same person
	Role          signaling.Role
	DisplayName   string    // real name; shown to the clerk and other admitted participants
	NotBefore     time.Time // join allowed from here
	NotAfter      time.Time // room closes here
	// SessionKey names the credential behind the connection (a room
	// session, a staff login) without revealing it. Admission belongs to
	// a key: a reload with the same key rejoins, any other device of the
	// participant waits for the clerk as a second device. See EndSession.
	SessionKey string
	// Admitted says this key was admitted before (e.g. by an earlier
	// process); it counts only while the room remembers no admission.
	Admitted bool
}

// Authorizer turns an opaque join credential into a Grant.
type Authorizer interface {
	Authorize(ctx context.Context, credential string) (Grant, error)
}

// Observer receives session metadata (never content) for the case timeline.
// Calls happen synchronously from SFU goroutines, so implementations must be
// quick or hand off.
type Observer interface {
	RoomEvent(ctx context.Context, ev Event)
}

// EventType names a session metadata event.
type EventType string

// Event types reported to the Observer.
const (
	EventJoined      EventType = "joined"       // connected and authorized (waiting or admitted)
	EventAdmitted    EventType = "admitted"     // admitted by a clerk (or a clerk entering)
	EventRemoved     EventType = "removed"      // removed by a clerk
	EventLeft        EventType = "left"         // gone and not back within the reconnect grace
	EventCallStarted EventType = "call_started" // two or more admitted participants present
	EventCallEnded   EventType = "call_ended"   // fewer than two again; Duration set
	EventRoomClosed  EventType = "room_closed"  // closed by clerk, end of appointment or shutdown
)

// Event is one session metadata record. It carries identifiers only.
type Event struct {
	Type          EventType
	RoomID        string
	ParticipantID string // empty for room-wide events
	Role          signaling.Role
	Time          time.Time
	Duration      time.Duration // call_ended only
	Reason        string        // removed, room_closed
	ByParticipant string        // admitted/removed: the clerk who acted
	SessionKey    string        // the Grant.SessionKey of the participant's connection
}

// WaitingInfo describes one participant in a waiting room.
type WaitingInfo struct {
	ParticipantID string
	DisplayName   string
	Role          signaling.Role
	Since         time.Time
	SecondDevice  bool // another device of the participant is or was admitted
}

// Conn is the part of *websocket.Conn (gorilla) the SFU uses.
type Conn interface {
	ReadMessage() (messageType int, p []byte, err error)
	WriteMessage(messageType int, data []byte) error
	WriteControl(messageType int, data []byte, deadline time.Time) error
	SetReadDeadline(t time.Time) error
	SetWriteDeadline(t time.Time) error
	SetReadLimit(limit int64)
	SetPongHandler(h func(appData string) error)
	Close() error
}
