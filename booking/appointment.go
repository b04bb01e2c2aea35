package booking

import "time"

// Status of an appointment and of its case.
type Status string

const (
	StatusBooked    Status = "booked"
	StatusCancelled Status = "cancelled"
	StatusDone      Status = "done"
	StatusNoShow    Status = "no_show"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusBooked, StatusCancelled, StatusDone, StatusNoShow:
		return true
	}
	return false
}

// Appointment is one booked consultation of a citizen with a clerk.
type Appointment struct {
	ID         int64
	CaseID     int64
	CaseNumber string
	ServiceID  int64
	ClerkID    int64
	Start      time.Time
	End        time.Time
	// BusyUntil is End plus the service's buffer: the clerk is occupied
	// until then, so no other appointment of theirs may begin earlier.
	BusyUntil time.Time
	Status    Status

	CitizenName  string
	CitizenEmail string
	Topic        string
	// Language is the conversation language the citizen asked for (an
	// interpreter need); Locale is the language they booked in, which
	// their mails, calendar texts and links carry.
	Language  string
	Locale    string
	ConsentAt time.Time

	JoinTokenHash   string
	JoinExpiresAt   time.Time
	ManageTokenHash string
	ManageExpiresAt time.Time
	CreatedAt       time.Time

	// Sequence counts reschedulings; calendar invitations carry it so a
	// citizen's calendar replaces the old entry instead of adding one.
	Sequence int
	// ScheduledAt is when the current time was chosen (booking or last
	// rebooking); reminders due before it are not sent.
	ScheduledAt time.Time
	// JoinTokenSealed is the join token encrypted with the office's secret
	// key, so reminders can carry the join link (see docs/privacy.md).
	JoinTokenSealed string
	// JoinedAt is when the citizen first joined the video room; zero until then.
	JoinedAt time.Time
}

// MaxBusySpan is the longest span one appointment can occupy a clerk
// (maximum duration plus maximum buffer, see Service.Validate). Stores use
// it to bound overlap queries: an appointment that starts earlier than
// MaxBusySpan before t cannot reach t.
const MaxBusySpan = (480 + 240) * time.Minute

// Busy is a span in which a clerk is occupied by an appointment.
type Busy struct {
	ClerkID int64
	Start   time.Time
	End     time.Time
}

func (b Busy) overlaps(start, end time.Time) bool {
	return b.Start.Before(end) && start.Before(b.End)
}
