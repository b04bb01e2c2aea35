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
	OutboxStore
	AuditStore
	RetentionStore
	FeedStore
	RoomSessionStore
	CallStore
	Ping(ctx context.Context) error
	// InTx runs fn on a Store whose reads and writes all belong to one
	// transaction: every write of fn is stored, or none is. fn must return
	// the error of any failed step; the transaction is then rolled back.
	InTx(ctx context.Context, fn func(tx Store) error) error
}

// ServiceStore keeps slot types.
type ServiceStore interface {
	CreateService(ctx context.Context, s *Service) error
	UpdateService(ctx context.Context, s Service) error
	Service(ctx context.Context, id int64) (Service, error)
	Services(ctx context.Context, publishedOnly bool) ([]Service, error)
	// DeleteService removes a service and its opening hours, or reports
	// ErrServiceInUse when an appointment refers to it.
	DeleteService(ctx context.Context, id int64) error
}

// ScheduleStore keeps weekly opening hours and closures.
type ScheduleStore interface {
	AddOpeningHours(ctx context.Context, h *OpeningHours) error
	// OpeningHours lists the hours of one service, or of all when serviceID is 0.
	OpeningHours(ctx context.Context, serviceID int64) ([]OpeningHours, error)
	// UpdateOpeningHours replaces clerk, weekday and times of an entry.
	UpdateOpeningHours(ctx context.Context, h OpeningHours) error
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
	// Likely, when set, are the candidates the cached grid believes free:
	// the store checks them first, so a late booking of a nearly full day
	// does not probe the busy clerks batch by batch.
	Likely   []int64
	DayStart time.Time // the office day of the start, for each clerk's load
	DayEnd   time.Time
	Now      time.Time
	// Loads, when set, are the candidates' appointments that day, read
	// before the transaction: the load only balances work between clerks,
	// so it need not be read under the lock that guards overlaps. When nil
	// the store counts under the lock.
	Loads map[int64]int
	// Mails, when set, renders the mails the booking causes; the store
	// calls it after the insert and queues them in the same transaction.
	Mails func(Appointment) ([]OutboxEntry, error)
}

// ReserveView is what the store found under lock, for the Picker to decide on.
type ReserveView struct {
	Clerks []ClerkLoad
	// OpenBookingsForEmail counts booked appointments that have not
	// started yet of addresses with the citizen's EmailLimitKey.
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
	// DayLoads counts booked appointments per clerk starting in [from, to),
	// for the given clerks or, when clerkIDs is empty, for all.
	DayLoads(ctx context.Context, clerkIDs []int64, from, to time.Time) (map[int64]int, error)
	AppointmentByManageHash(ctx context.Context, hash string) (Appointment, error)
	AppointmentByJoinHash(ctx context.Context, hash string) (Appointment, error)
	Appointment(ctx context.Context, id int64) (Appointment, error)
	AppointmentOfCase(ctx context.Context, caseID int64) (Appointment, error)
	// SetAppointmentStatus changes the status from one of `from` to `to` and
	// appends ev to the case timeline, atomically. ErrConflict when the
	// current status is not in from.
	// mails are queued in the same transaction.
	SetAppointmentStatus(ctx context.Context, id int64, from []Status, to Status, ev Event, mails ...OutboxEntry) error
	// Rebook moves a booked appointment under the same locks as Reserve.
	Rebook(ctx context.Context, r Rebooking, pick Picker) (Appointment, error)
	// UpcomingAppointments lists booked appointments starting in [from, to).
	UpcomingAppointments(ctx context.Context, from, to time.Time) ([]Appointment, error)
	// UnjoinedEndedBefore lists booked appointments that ended before t
	// and were never joined.
	UnjoinedEndedBefore(ctx context.Context, t time.Time, limit int) ([]Appointment, error)
	// MarkJoined records the first join of an appointment's video room.
	MarkJoined(ctx context.Context, id int64, at time.Time) error
	// ClerkAppointments lists appointments of a clerk starting in [from, to).
	ClerkAppointments(ctx context.Context, clerkID int64, from, to time.Time) ([]Appointment, error)
}

// CaseStore keeps cases, notes and timelines.
type CaseStore interface {
	CaseByNumber(ctx context.Context, number string) (Case, error)
	// AddNote appends a note and a note_added event atomically.
	AddNote(ctx context.Context, n *Note) error
	// AppendEvent adds an entry to a case's timeline.
	AppendEvent(ctx context.Context, ev Event) error
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

// Rebooking is everything needed to move an appointment once a clerk is chosen.
type Rebooking struct {
	AppointmentID int64
	Sequence      int // the sequence the caller saw; ErrConflict if it moved meanwhile
	Start         time.Time
	End           time.Time
	BusyUntil     time.Time
	Candidates    []int64
	DayStart      time.Time
	DayEnd        time.Time
	Now           time.Time
	Event         Event
	Mails         func(Appointment) ([]OutboxEntry, error)
}

// OutboxStore keeps queued mails.
type OutboxStore interface {
	// EnqueueMail queues entries, skipping those whose DedupKey exists; it
	// returns how many were new.
	EnqueueMail(ctx context.Context, entries ...OutboxEntry) (int, error)
	// ClaimMail leases up to limit due pending mails (next attempt and
	// any previous lease passed) to owner until leaseUntil.
	ClaimMail(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]OutboxMessage, error)
	// MailSent marks a mail delivered and blanks its sealed body.
	MailSent(ctx context.Context, id int64, at time.Time) error
	// MailFailed counts a failed attempt and schedules the next, or gives
	// up; a failed mail keeps its sealed body until the mail log's
	// retention, so an admin can retry it.
	MailFailed(ctx context.Context, id int64, status OutboxStatus, next time.Time, lastErr string) error
	// MailStats counts mails per status and lists up to limit undelivered ones.
	MailStats(ctx context.Context, limit int) (OutboxStats, error)
	// RetryMail makes a failed mail due again at now: ErrNotFound for an
	// unknown id, ErrConflict unless it failed and still has its body.
	RetryMail(ctx context.Context, id int64, now time.Time) error
}

// AuditStore keeps the hash-chained audit log.
type AuditStore interface {
	// AppendAudit numbers e, chains it to the last entry (ChainHash) and
	// stores it; appends are serialised so the chain never forks.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// AuditEntries lists entries with Seq > after in ascending order.
	AuditEntries(ctx context.Context, after int64, limit int) ([]AuditEntry, error)
	// AuditPage lists entries with Seq < before (0: from the newest), newest first.
	AuditPage(ctx context.Context, before int64, limit int) ([]AuditEntry, error)
}

// RetentionStore deletes personal data whose purpose has passed. Each
// method returns how many records it changed.
type RetentionStore interface {
	// AnonymiseCitizenData blanks name, e-mail, topic, sealed join token
	// and session metadata of appointments that ended before t.
	AnonymiseCitizenData(ctx context.Context, endedBefore time.Time) (int, error)
	// OfferForArchive marks cases whose appointment ended before t and
	// that are neither offered nor archived yet.
	OfferForArchive(ctx context.Context, endedBefore, now time.Time) (int, error)
	// DeleteUnarchivedCases removes cases offered before t and not archived,
	// with appointment, notes, timeline and mails.
	DeleteUnarchivedCases(ctx context.Context, offeredBefore time.Time) (int, error)
	// DeleteDeliveredMail removes sent or failed outbox rows older than t.
	DeleteDeliveredMail(ctx context.Context, before time.Time) (int, error)
	// MarkCaseArchived records that the archive took over a case.
	MarkCaseArchived(ctx context.Context, caseID int64, at time.Time) error
	// ArchiveOffers lists cases offered to the archive and not yet archived.
	ArchiveOffers(ctx context.Context) ([]ArchiveOffer, error)
}

// FeedStore keeps the clerks' calendar feed tokens (hashed).
type FeedStore interface {
	SetCalendarFeed(ctx context.Context, userID int64, tokenHash string, at time.Time) error
	DeleteCalendarFeed(ctx context.Context, userID int64) error
	// CalendarFeedUser resolves a feed token hash to its clerk.
	CalendarFeedUser(ctx context.Context, tokenHash string) (int64, error)
}
