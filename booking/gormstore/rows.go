package gormstore

// Row structs map the tables that the literal migrations create
// (migrations_sqlite.go, migrations_postgres.go); mapping.go converts them
// to and from booking types. Nothing creates tables from them, so their
// size and index tags only describe the schema. Instants are stored as Unix
// seconds so that range queries compare integers identically on SQLite and
// PostgreSQL.

type serviceRow struct {
	ID               int64  `gorm:"primaryKey"`
	Name             string `gorm:"size:200;not null"`
	Description      string `gorm:"type:text;not null;default:''"`
	DurationMinutes  int    `gorm:"not null"`
	BufferMinutes    int    `gorm:"not null"`
	MinNoticeMinutes int    `gorm:"not null"`
	HorizonDays      int    `gorm:"not null"`
	Published        bool   `gorm:"not null;index"`
}

func (serviceRow) TableName() string { return "services" }

type hoursRow struct {
	ID        int64 `gorm:"primaryKey"`
	ServiceID int64 `gorm:"not null;index"`
	ClerkID   int64 `gorm:"not null;index"`
	Weekday   int   `gorm:"not null"`
	StartMin  int   `gorm:"not null"`
	EndMin    int   `gorm:"not null"`
}

func (hoursRow) TableName() string { return "opening_hours" }

type closureRow struct {
	ID      int64  `gorm:"primaryKey"`
	Day     string `gorm:"size:10;not null;index"` // YYYY-MM-DD sorts as text
	ClerkID int64  `gorm:"not null;default:0"`
	Reason  string `gorm:"size:200;not null;default:''"`
}

func (closureRow) TableName() string { return "closures" }

type userRow struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"size:254;not null;uniqueIndex"`
	Name         string `gorm:"size:200;not null"`
	Role         string `gorm:"size:16;not null"`
	PasswordHash string `gorm:"size:200;not null"`
	Active       bool   `gorm:"not null"`
	CreatedAt    int64  `gorm:"not null;autoCreateTime:false"`
}

func (userRow) TableName() string { return "users" }

type sessionRow struct {
	TokenHash string `gorm:"primaryKey;size:64"`
	UserID    int64  `gorm:"not null;index"`
	CSRFToken string `gorm:"size:64;not null"`
	CreatedAt int64  `gorm:"not null;autoCreateTime:false"`
	ExpiresAt int64  `gorm:"not null;index"`
}

func (sessionRow) TableName() string { return "sessions" }

type caseRow struct {
	ID        int64   `gorm:"primaryKey"`
	Number    *string `gorm:"size:32;uniqueIndex"` // set right after insert, from the ID
	ClerkID   int64   `gorm:"not null;index"`
	CreatedAt int64   `gorm:"not null;autoCreateTime:false"`
	// Added in migration 2.
	ArchiveOfferedAt int64 `gorm:"not null;default:0"`
	ArchivedAt       int64 `gorm:"not null;default:0"`
}

func (caseRow) TableName() string { return "cases" }

type appointmentRow struct {
	ID        int64 `gorm:"primaryKey"`
	CaseID    int64 `gorm:"not null;uniqueIndex"`
	ServiceID int64 `gorm:"not null"`
	ClerkID   int64 `gorm:"not null;index:idx_appt_clerk_start,priority:1"`
	StartUnix int64 `gorm:"not null;index:idx_appt_clerk_start,priority:2"`
	EndUnix   int64 `gorm:"not null"`
	// The index covers every column of the overlap and load queries, so
	// SQLite answers them from the index alone.
	BusyUntilUnix   int64  `gorm:"not null;index:idx_appt_clerk_start,priority:3"`
	Status          string `gorm:"size:16;not null;index:idx_appt_clerk_start,priority:4"`
	CitizenName     string `gorm:"size:200;not null"`
	CitizenEmail    string `gorm:"size:254;not null;index"`
	Topic           string `gorm:"type:text;not null;default:''"`
	Language        string `gorm:"size:8;not null"`
	ConsentAt       int64  `gorm:"not null"`
	JoinTokenHash   string `gorm:"size:64;not null;uniqueIndex"`
	JoinExpiresAt   int64  `gorm:"not null"`
	ManageTokenHash string `gorm:"size:64;not null;uniqueIndex"`
	ManageExpiresAt int64  `gorm:"not null"`
	CreatedAt       int64  `gorm:"not null;autoCreateTime:false"`
	// Added in migration 2.
	Sequence        int    `gorm:"not null;default:0"`
	ScheduledAt     int64  `gorm:"not null;default:0"`
	JoinTokenSealed string `gorm:"type:text;not null;default:''"`
	JoinedAt        int64  `gorm:"not null;default:0"`
	AnonymisedAt    int64  `gorm:"not null;default:0"`
	// Added in migration 5: booking.EmailLimitKey of CitizenEmail, which
	// the limit of open bookings per address counts.
	CitizenEmailKey string `gorm:"size:254;not null;default:''"`
	// Added in migration 7: the language the citizen booked in.
	Locale string `gorm:"size:8;not null;default:'de'"`
	// CaseNumber is read from a join with cases, never written.
	CaseNumber *string `gorm:"->;-:migration"`
}

func (appointmentRow) TableName() string { return "appointments" }

type noteRow struct {
	ID        int64  `gorm:"primaryKey"`
	CaseID    int64  `gorm:"not null;index"`
	AuthorID  int64  `gorm:"not null"`
	Text      string `gorm:"type:text;not null"`
	CreatedAt int64  `gorm:"not null;autoCreateTime:false"`
}

func (noteRow) TableName() string { return "notes" }

type eventRow struct {
	ID      int64  `gorm:"primaryKey"`
	CaseID  int64  `gorm:"not null;index"`
	Type    string `gorm:"size:32;not null"`
	At      int64  `gorm:"not null"`
	ActorID int64  `gorm:"not null;default:0"`
	Detail  string `gorm:"size:200;not null;default:''"`
}

func (eventRow) TableName() string { return "case_events" }
