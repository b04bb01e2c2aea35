package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// MailSender hands one mail to the mail server. messageID is stable for an
// outbox row, so a mail sent twice (crash between the server's "250 OK"
// and our bookkeeping) carries the same Message-ID and clients merge it.
type MailSender interface {
	Send(ctx context.Context, messageID string, m Mail) error
}

// ErrMailRejected marks a permanent refusal (SMTP 5xx): retrying cannot help.
var ErrMailRejected = errors.New("mail rejected permanently")

// Delivery tunes DeliverMail; zero values get defaults.
type Delivery struct {
	Owner  string        // this process, for the lease
	Lease  time.Duration // how long one claimed mail is ours
	MaxAge time.Duration // give up on a mail this old
	Limit  int           // mails per run
}

func (d *Delivery) defaults() {
	if d.Lease <= 0 {
		d.Lease = 2 * time.Minute
	}
	if d.MaxAge <= 0 {
		d.MaxAge = 72 * time.Hour
	}
	if d.Limit <= 0 {
		d.Limit = 500
	}
}

// MessageID derives the Message-ID's local part from the outbox row.
func MessageID(m OutboxMessage) string {
	sum := sha256.Sum256([]byte(m.DedupKey))
	return fmt.Sprintf("sprechstunde.%d.%s", m.ID, hex.EncodeToString(sum[:6]))
}

// DeliverMail sends due outbox mails one at a time: claim with a lease (so
// another process leaves it alone), send, mark sent and blank the body, or
// schedule a retry with exponential backoff. Mails survive restarts and
// mail server outages because the row is only done once marked sent.
func (o *Office) DeliverMail(ctx context.Context, now func() time.Time, sender MailSender, d Delivery) (sent int, err error) {
	d.defaults()
	for sent < d.Limit && ctx.Err() == nil {
		t := now()
		batch, err := o.store.ClaimMail(ctx, d.Owner, t, t.Add(d.Lease), 1)
		if err != nil {
			return sent, fmt.Errorf("booking: claim mail: %w", err)
		}
		if len(batch) == 0 {
			return sent, nil
		}
		ok, err := o.deliverOne(ctx, now, sender, d, batch[0])
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, ctx.Err()
}

func (o *Office) deliverOne(ctx context.Context, now func() time.Time, sender MailSender, d Delivery, m OutboxMessage) (bool, error) {
	mail, err := o.OpenMail(m)
	if err == nil {
		err = sender.Send(ctx, MessageID(m), mail)
	}
	if err == nil {
		if err := o.store.MailSent(ctx, m.ID, now()); err != nil {
			return false, fmt.Errorf("booking: mark mail %d sent: %w", m.ID, err)
		}
		return true, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err() // shutting down: the lease runs out and the mail is retried
	}
	t := now()
	status, next := OutboxPending, t.Add(Backoff(m.Attempts))
	if errors.Is(err, ErrMailRejected) || t.Sub(m.CreatedAt) > d.MaxAge {
		status = OutboxFailed
	}
	if ferr := o.store.MailFailed(ctx, m.ID, status, next, scrubError(err.Error())); ferr != nil {
		return false, fmt.Errorf("booking: mark mail %d failed: %w", m.ID, ferr)
	}
	return false, nil
}

// Backoff is the wait before retry n+1: 30 s doubling per attempt, at most an hour.
func Backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 0; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// MailStatus is the admin's view of the outbox.
func (o *Office) MailStatus(ctx context.Context, a Actor) (OutboxStats, error) {
	if err := requireAdmin(a); err != nil {
		return OutboxStats{}, err
	}
	return o.store.MailStats(ctx, 100)
}

// RetryMail makes a failed mail due again now (admin only): after an SMTP
// outage or a fixed address the admin need not wait for a new booking.
func (o *Office) RetryMail(ctx context.Context, a Actor, id int64) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	err := o.audited(ctx, a, ActionMailRetried, func(tx Store) (string, string, error) {
		return idObject("mail", id), "", tx.RetryMail(ctx, id, o.now())
	})
	if err != nil {
		return err
	}
	o.mailQueued(1)
	return nil
}

// addressLike matches e-mail addresses that mail servers echo in errors.
var addressLike = regexp.MustCompile(`[^\s<>"']+@[^\s<>"']+`)

// scrubError keeps an SMTP error useful for the admin without the
// recipient's address in it, and bounded in length.
func scrubError(s string) string {
	s = addressLike.ReplaceAllString(s, "<address>")
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}
