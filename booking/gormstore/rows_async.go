package gormstore

// Tables of migration 2: mail outbox, audit log, settings, calendar feeds.

type outboxRow struct {
	ID              int64  `gorm:"primaryKey"`
	Kind            string `gorm:"size:32;not null"`
	AppointmentID   int64  `gorm:"not null;index"`
	DedupKey        string `gorm:"size:128;not null;uniqueIndex"`
	RecipientMasked string `gorm:"size:254;not null;default:''"`
	Payload         string `gorm:"type:text;not null;default:''"` // sealed Mail, blanked once sent
	Status          string `gorm:"size:16;not null;index:idx_outbox_due,priority:1"`
	Attempts        int    `gorm:"not null;default:0"`
	NextAttemptAt   int64  `gorm:"not null;index:idx_outbox_due,priority:2"`
	LeaseOwner      string `gorm:"size:64;not null;default:''"`
	LeaseUntil      int64  `gorm:"not null;default:0"`
	LastError       string `gorm:"size:500;not null;default:''"`
	CreatedAt       int64  `gorm:"not null;autoCreateTime:false"`
	SentAt          int64  `gorm:"not null;default:0"`
	UpdatedAt       int64  `gorm:"not null;autoUpdateTime:false"`
}

func (outboxRow) TableName() string { return "mail_outbox" }

type auditRow struct {
	Seq      int64  `gorm:"primaryKey;autoIncrement:false"`
	At       int64  `gorm:"not null"`
	ActorID  int64  `gorm:"not null"`
	Action   string `gorm:"size:64;not null"`
	Object   string `gorm:"size:128;not null"`
	Detail   string `gorm:"size:200;not null"`
	PrevHash string `gorm:"size:64;not null"`
	Hash     string `gorm:"size:64;not null"`
}

func (auditRow) TableName() string { return "audit_log" }

type settingRow struct {
	Name  string `gorm:"primaryKey;size:64"`
	Value string `gorm:"type:text;not null"`
}

func (settingRow) TableName() string { return "settings" }

type feedRow struct {
	UserID    int64  `gorm:"primaryKey;autoIncrement:false"`
	TokenHash string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt int64  `gorm:"not null;autoCreateTime:false"`
}

func (feedRow) TableName() string { return "calendar_feeds" }
