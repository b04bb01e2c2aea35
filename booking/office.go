package booking

import (
	"errors"
	"fmt"
	"time"
)

// Options configure an Office. Zero values get sensible defaults in New.
type Options struct {
	Location            *time.Location   // the office's time zone
	Now                 func() time.Time // injectable clock
	MaxBookingsPerEmail int              // open future bookings per address; 0 = unlimited
	JoinEarly           time.Duration    // the join link works this long before the start
	SessionTTL          time.Duration    // staff login lifetime
	Hasher              PasswordHasher
	// SlotCacheTTL bounds how long a computed slot grid is reused; it only
	// matters for changes made by other server processes. Negative disables.
	SlotCacheTTL time.Duration

	Mailer      MailRenderer    // renders mails; nil queues none
	Sealer      *Sealer         // encrypts join tokens and queued mails
	Reminders   []time.Duration // before the start; nil means DefaultReminders, empty none
	NoShowGrace time.Duration   // after the end before an unjoined appointment is a no-show
	Retention   Retention       // zero periods get DefaultRetention

	// SessionsEnded, if set, hears that staff logins ended before their
	// expiry: one (tokenHash) on logout, all of the user (tokenHash "") on
	// deactivation or a new password, so live connections end with them.
	SessionsEnded func(userID int64, tokenHash string)
	// MailQueued, if set, hears that a use case stored mail in the outbox,
	// so delivery can start now rather than at the next poll.
	MailQueued func()
	// AppointmentEnded, if set, hears that an appointment stopped being
	// booked (cancelled, or closed by staff), so its room can close.
	AppointmentEnded func(appointmentID int64)
}

// Office runs the use cases of one office on a Store.
type Office struct {
	store Store
	opt   Options
	// dummyHash makes a login for an unknown e-mail cost as much as one for
	// a known e-mail, so response times do not reveal staff addresses.
	dummyHash string
	cache     *slotCache
}

// JoinEarly is how long before the start a join link works.
func (o *Office) JoinEarly() time.Duration { return o.opt.JoinEarly }

// New builds an Office. It fails only when the password hasher fails.
func New(store Store, opt Options) (*Office, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.JoinEarly == 0 {
		opt.JoinEarly = 15 * time.Minute
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 8 * time.Hour
	}
	if opt.SlotCacheTTL == 0 {
		opt.SlotCacheTTL = 2 * time.Second
	}
	if opt.Reminders == nil {
		opt.Reminders = DefaultReminders()
	}
	if opt.NoShowGrace == 0 {
		opt.NoShowGrace = 15 * time.Minute
	}
	opt.Retention = opt.Retention.withDefaults()
	if opt.Hasher == nil {
		return nil, errors.New("booking: Options.Hasher is required")
	}
	dummy, err := opt.Hasher.Hash("not a real password, only for timing")
	if err != nil {
		return nil, fmt.Errorf("booking: dummy hash: %w", err)
	}
	return &Office{store: store, opt: opt, dummyHash: dummy, cache: newSlotCache(opt.SlotCacheTTL)}, nil
}

// Location is the office's time zone.
func (o *Office) Location() *time.Location { return o.opt.Location }

func (o *Office) now() time.Time { return o.opt.Now().In(o.opt.Location) }

// Actor is the staff member on whose behalf a use case runs.
type Actor struct {
	UserID int64
	Role   Role
}

func (a Actor) isAdmin() bool { return a.Role == RoleAdmin }

func requireAdmin(a Actor) error {
	if !a.isAdmin() {
		return fmt.Errorf("booking: admin only: %w", ErrForbidden)
	}
	return nil
}
