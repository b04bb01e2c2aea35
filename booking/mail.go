package booking

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// MailKind names why a mail is sent.
type MailKind string

const (
	MailConfirmation   MailKind = "confirmation"
	MailRebooking      MailKind = "rebooking"
	MailCancellation   MailKind = "cancellation"
	MailReminder       MailKind = "reminder"
	MailClerkCancelled MailKind = "clerk_cancelled" // note to the clerk when a citizen cancels
)

// MailData is everything a mail template may show. Tokens are plain here
// and only here; they reach the database sealed (see Sealer).
type MailData struct {
	Kind        MailKind
	Language    string // the booking's Locale; renderers fall back to English
	To          string
	Appointment Appointment
	ServiceName string
	JoinToken   string        // empty in cancellations
	ManageToken string        // set in confirmations and rebookings
	Before      time.Duration // reminders: how long before the start
	// JoinEarly is how long before the start the join link works, set at
	// rendering from the office's options, so a mail queued before a
	// configuration change states the rule in force when it is sent.
	JoinEarly time.Duration `json:"-"`
}

// Mail is a rendered message, ready for the outbox.
type Mail struct {
	To       string `json:"to"`
	Subject  string `json:"subject"`
	Text     string `json:"text"`
	HTML     string `json:"html"`
	Calendar string `json:"ics,omitempty"`        // iCalendar attachment
	Method   string `json:"ics_method,omitempty"` // REQUEST or CANCEL
}

// MailRenderer turns MailData into a Mail (templates live in package server).
type MailRenderer interface {
	Render(d MailData) (Mail, error)
}

// OutboxStatus is the delivery state of a queued mail.
type OutboxStatus string

const (
	OutboxPending OutboxStatus = "pending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed" // gave up after MaxMailAge
)

// OutboxEntry is a mail to queue. The store writes it in the same
// transaction as the change that causes it, so a booking never exists
// without its confirmation and a confirmation never without its booking.
type OutboxEntry struct {
	Kind          MailKind
	AppointmentID int64
	// DedupKey is unique over the outbox: a second entry with the same key
	// is dropped, which makes reminder runs idempotent.
	DedupKey        string
	RecipientMasked string // for the admin's view; the address itself is only in Payload
	Payload         string // the Mail, sealed
	CreatedAt       time.Time
}

// OutboxMessage is a queued mail with its delivery state.
type OutboxMessage struct {
	OutboxEntry
	ID            int64
	Status        OutboxStatus
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	SentAt        time.Time
}

// OutboxStats is the admin's view of the outbox: no bodies, no addresses.
type OutboxStats struct {
	Counts      map[OutboxStatus]int
	Undelivered []OutboxMessage // pending and failed, oldest first, Payload blank
}

// sealPurposeMail binds sealed mail payloads to their use.
const sealPurposeMail = "mail"

// composeMail seals d into an outbox entry; the mail is rendered when it is
// delivered. Without a renderer (tests of other rules) nothing is queued.
func (o *Office) composeMail(d MailData, dedup string) ([]OutboxEntry, error) {
	if o.opt.Mailer == nil || o.opt.Sealer == nil || d.To == "" {
		return nil, nil
	}
	// The outbox keeps what to say, sealed; the delivery job renders it
	// (OpenMail). Rendering is the costly part and would otherwise run
	// inside the booking transaction, holding up every other booking.
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("booking: encode mail: %w", err)
	}
	sealed, err := o.opt.Sealer.Seal(sealPurposeMail, raw)
	if err != nil {
		return nil, err
	}
	return []OutboxEntry{{Kind: d.Kind, AppointmentID: d.Appointment.ID, DedupKey: dedup,
		RecipientMasked: MaskEmail(d.To), Payload: sealed, CreatedAt: o.now()}}, nil
}

// mailQueued reports n stored outbox mails to Options.MailQueued.
func (o *Office) mailQueued(n int) {
	if n > 0 && o.opt.MailQueued != nil {
		o.opt.MailQueued()
	}
}

// appointmentEnded reports to Options.AppointmentEnded.
func (o *Office) appointmentEnded(appointmentID int64) {
	if o.opt.AppointmentEnded != nil {
		o.opt.AppointmentEnded(appointmentID)
	}
}

// OpenMail decrypts an outbox payload and renders the mail it describes.
func (o *Office) OpenMail(m OutboxMessage) (Mail, error) {
	if o.opt.Sealer == nil || o.opt.Mailer == nil {
		return Mail{}, fmt.Errorf("booking: no secret key or renderer to open mail %d", m.ID)
	}
	raw, err := o.opt.Sealer.Open(sealPurposeMail, m.Payload)
	if err != nil {
		return Mail{}, fmt.Errorf("booking: mail %d: %w", m.ID, err)
	}
	var d MailData
	if err := json.Unmarshal(raw, &d); err != nil {
		return Mail{}, fmt.Errorf("booking: mail %d: %w", m.ID, err)
	}
	d.JoinEarly = o.opt.JoinEarly
	out, err := o.opt.Mailer.Render(d)
	if err != nil {
		return Mail{}, fmt.Errorf("booking: render %s mail %d: %w", d.Kind, m.ID, err)
	}
	return out, nil
}

// MaskEmail keeps the first letter and the domain: e***@example.org. Enough
// for an admin to tell mails apart, too little to contact anyone.
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 1 {
		return "***"
	}
	return addr[:1] + "***" + addr[at:]
}

// sealJoinToken keeps the join token readable for later reminders.
func (o *Office) sealJoinToken(token string) (string, error) {
	if o.opt.Sealer == nil {
		return "", nil
	}
	return o.opt.Sealer.Seal(sealPurposeJoin, []byte(token))
}

// joinToken recovers the join token of a; "" when it cannot be read.
func (o *Office) joinToken(a Appointment) string {
	if o.opt.Sealer == nil || a.JoinTokenSealed == "" {
		return ""
	}
	b, err := o.opt.Sealer.Open(sealPurposeJoin, a.JoinTokenSealed)
	if err != nil {
		return ""
	}
	return string(b)
}

const sealPurposeJoin = "join-token"

// serviceName is the display name of a service, or "" if it is gone.
func (o *Office) serviceName(ctx context.Context, id int64) string {
	s, err := o.store.Service(ctx, id)
	if err != nil {
		return ""
	}
	return s.Name
}
