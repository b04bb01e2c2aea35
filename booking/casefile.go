package booking

import (
	"fmt"
	"time"
)

// Case is the Vorgang every booking creates: it has a responsible clerk, a
// status, append-only notes and a timeline, so nothing gets lost when a
// clerk is absent.
type Case struct {
	ID     int64
	Number string // human-readable, e.g. 2026-000042
	// AppointmentID is the appointment the case was opened for.
	AppointmentID int64
	ClerkID       int64  // responsible clerk
	Status        Status // the status of its appointment
	ServiceID     int64
	Start         time.Time
	End           time.Time
	CreatedAt     time.Time
	Notes         []Note
	Events        []Event
}

// CaseNumber formats the human-readable number from the year of booking and
// the case's database ID: unique without a counter row every booking would
// have to lock.
func CaseNumber(year int, id int64) string { return fmt.Sprintf("%04d-%06d", year, id) }

// Note is a clerk's text on a case. Notes are never edited or deleted.
type Note struct {
	ID        int64
	CaseID    int64
	AuthorID  int64
	Text      string
	CreatedAt time.Time
}

// EventType names what happened on a case's timeline.
type EventType string

const (
	EventBooked        EventType = "booked"
	EventCancelled     EventType = "cancelled"
	EventNoteAdded     EventType = "note_added"
	EventStatusChanged EventType = "status_changed"
	EventRebooked      EventType = "rebooked"
)

// Event is one entry of a case's timeline. Detail holds no personal data.
type Event struct {
	ID      int64
	CaseID  int64
	Type    EventType
	At      time.Time
	ActorID int64 // staff member, 0 for the citizen or the system
	Detail  string
}
