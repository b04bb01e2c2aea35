package server

import (
	"crypto/sha256"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// RetentionConfig sets how long each class of data is kept (see
// docs/privacy.md). Durations in Go syntax; 2160h are 90 days.
type RetentionConfig struct {
	CitizenData  time.Duration `yaml:"citizen_data"`
	CaseNotes    time.Duration `yaml:"case_notes"`
	ArchiveGrace time.Duration `yaml:"archive_grace"`
	MailLog      time.Duration `yaml:"mail_log"`
}

func defaultRetention() RetentionConfig {
	d := booking.DefaultRetention()
	return RetentionConfig{CitizenData: d.CitizenData, CaseNotes: d.CaseNotes, ArchiveGrace: d.ArchiveGrace, MailLog: d.MailLog}
}

func (r RetentionConfig) domain() booking.Retention {
	return booking.Retention{CitizenData: r.CitizenData, CaseNotes: r.CaseNotes, ArchiveGrace: r.ArchiveGrace, MailLog: r.MailLog}
}

// minSecretKeyLen keeps operators from configuring a guessable key.
const minSecretKeyLen = 32

func (c *Config) validateAsync(bad func(key, format string, args ...any)) {
	c.SMTPURL = strings.TrimSpace(c.SMTPURL)
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			bad("smtp_url", "want smtp://host:25, smtp://user:password@host:587 or smtps://user:password@host:465")
		}
		if c.MailFrom == "" {
			bad("mail_from", "must be set when smtp_url is set")
		}
	}
	if c.MailFrom != "" {
		if a, err := mail.ParseAddress(c.MailFrom); err != nil || a.Address != c.MailFrom {
			bad("mail_from", "invalid e-mail address %q (plain address, no display name)", c.MailFrom)
		}
	}
	if c.SecretKey != "" && len(c.SecretKey) < minSecretKeyLen {
		bad("secret_key", "must be at least %d characters (e.g. openssl rand -base64 32)", minSecretKeyLen)
	}
	if c.MailPollInterval <= 0 {
		bad("mail_poll_interval", "must be positive, got %s", c.MailPollInterval)
	}
	if c.MailLease < time.Second {
		bad("mail_lease", "must be at least 1s, got %s", c.MailLease)
	}
	if c.Reminders == nil {
		c.Reminders = []string{}
	}
	if _, err := c.ReminderDurations(); err != nil {
		bad("reminders", "%v", err)
	}
	if c.NoShowGrace < 0 {
		bad("no_show_grace", "must be >= 0, got %s", c.NoShowGrace)
	}
	for key, d := range map[string]time.Duration{"retention.citizen_data": c.Retention.CitizenData,
		"retention.case_notes": c.Retention.CaseNotes, "retention.archive_grace": c.Retention.ArchiveGrace,
		"retention.mail_log": c.Retention.MailLog} {
		if d < 24*time.Hour {
			bad(key, "must be at least 24h, got %s", d)
		}
	}
}

// ReminderDurations parses Reminders.
func (c Config) ReminderDurations() ([]time.Duration, error) {
	out := make([]time.Duration, 0, len(c.Reminders))
	for _, s := range c.Reminders {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, &reminderError{s}
		}
		out = append(out, d)
	}
	return out, nil
}

type reminderError struct{ value string }

func (e *reminderError) Error() string {
	return "invalid duration " + e.value + " (want positive durations such as 24h, 1h)"
}

// DataDirectory holds files kept apart from the database (the generated
// secret key): data_dir, else the SQLite file's directory, else ./data.
func (c Config) DataDirectory() string {
	switch {
	case c.DataDir != "":
		return c.DataDir
	case c.IsPostgres():
		return "data"
	}
	return filepath.Dir(c.Database)
}

// SecretKeyPath is the file of the generated secret key.
func (c Config) SecretKeyPath() string { return filepath.Join(c.DataDirectory(), secretKeyFileName) }

// secretKeyBytes derives the AES key from the configured secret.
func (c Config) secretKeyBytes() []byte {
	sum := sha256.Sum256([]byte(c.SecretKey))
	return sum[:]
}
