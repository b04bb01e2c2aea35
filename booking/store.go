package booking

import (
	"context"
	"time"
)

// Store is the persistence booking needs. Implementations return ErrNotFound
// for missing rows and ErrConflict for unique-key violations, wrapped.
type Store interface {
	ServiceStore
	ScheduleStore
	AppointmentStore
	CaseStore
	StaffStore
	Ping(ctx context.Context) error
}

// ServiceStore keeps slot types.
type ServiceStore interface {
	CreateService(ctx context.Context, s *Service) error
	UpdateService(ctx context.Context, s Service) error
	Service(ctx context.Context, id int64) (Service, error)
	Services(ctx context.Context, publishedOnly bool) ([]Service, error)
}

// ScheduleStore keeps weekly opening hours and closures.
type ScheduleStore interface {
	AddOpeningHours(ctx context.Context, h *OpeningHours) error
	// OpeningHours lists the hours of one service, or of all when serviceID is 0.
	OpeningHours(ctx context.Context, serviceID int64) ([]OpeningHours, error)
	DeleteOpeningHours(ctx context.Context, id int64) error
	AddClosure(ctx context.Context, c *Closure) error
	// Closures lists closures on days from through to, inclusive.
	Closures(ctx context.Context, from, to Date) ([]Closure, error)
	DeleteClosure(ctx context.Context, id int64) error
}

// Reservation is everything needed to store a booking once a clerk is chosen.
type Reservation struct {
	Appointment Appointment // ClerkID, CaseID, CaseNumber and ID are filled in by the store
	Candidates  []int64     // clerks whose hours offer this slot
	DayStart    time.Time   // the office day of the start, for each clerk's load
	DayEnd      time.Time
	Now         time.Time
}

// ReserveView is what the store found under lock, for the Picker to decide on.
type ReserveView struct {
	Clerks []ClerkLoad
	// OpenBookingsForEmail counts booked appointments of the citizen's
	// e-mail address that have not started yet.
	OpenBookingsForEmail int
}

// ClerkLoad describes one candidate clerk at the moment of booking.
type ClerkLoad struct {
	ClerkID      int64
	Free         bool // no booked appointment overlaps [Start, BusyUntil)
	Appointments int  // booked appointments that day
}

// Picker chooses a clerk from what the store saw under lock; it returns
// ErrSlotTaken or ErrTooManyBookings to abort.
type Picker func(ReserveView) (clerkID int64, err error)

// AppointmentStore keeps appointments. Reserve must make overlapping booked
// appointments of one clerk impossible under any concurrency: it locks the
// candidates (and the e-mail address) in a transaction, builds the view,
// asks pick, and inserts the appointment, its case and a "booked" event.
type AppointmentStore interface {
	Reserve(ctx context.Context, r Reservation, pick Picker) (Appointment, error)
	// BusyIntervals lists booked appointments of the clerks overlapping [from, to).
	BusyIntervals(ctx context.Context, clerkIDs []int64, from, to time.Time) ([]Busy, error)
	AppointmentByManageHash(ctx context.Context, hash string) (Appointment, error)
	AppointmentByJoinHash(ctx context.Context, hash string) (Appointment, error)
	Appointment(ctx context.Context, id int64) (Appointment, error)
	AppointmentOfCase(ctx context.Context, caseID int64) (Appointment, error)
	// SetAppointmentStatus changes the status from one of `from` to `to` and
	// appends ev to the case timeline, atomically. ErrConflict when the
	// current status is not in from.
	SetAppointmentStatus(ctx context.Context, id int64, from []Status, to Status, ev Event) error
	// ClerkAppointments lists appointments of a clerk starting in [from, to).
	ClerkAppointments(ctx context.Context, clerkID int64, from, to time.Time) ([]Appointment, error)
}

// CaseStore keeps cases, notes and timelines.
type CaseStore interface {
	CaseByNumber(ctx context.Context, number string) (Case, error)
	// AddNote appends a note and a note_added event atomically.
	AddNote(ctx context.Context, n *Note) error
}

// StaffStore keeps staff accounts and their login sessions.
type StaffStore interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u User) error
	User(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context, role Role) (int, error)

	CreateSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash string, now time.Time) (Session, error)
	DeleteSession(ctx context.Context, hash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}
