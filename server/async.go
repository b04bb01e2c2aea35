package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/mailer"
)

// asyncState is the App's share of mails and background jobs.
type asyncState struct {
	sender booking.MailSender // nil without smtp_url: mails stay queued
	owner  string             // this process, in mail leases
	mu     sync.Mutex
	jobs   *jobScheduler // set by StartJobs
}

// setupAsync completes the office options with mail rendering, the secret
// key, reminders, no-show grace and retention, and prepares the sender.
func (a *App) setupAsync(ctx context.Context, opt *booking.Options) error {
	key, err := a.secretKey(ctx)
	if err != nil {
		return err
	}
	sealer, err := booking.NewSealer(key)
	if err != nil {
		return fmt.Errorf("server: secret key: %w", err)
	}
	reminders, err := a.cfg.ReminderDurations()
	if err != nil {
		return fmt.Errorf("server: reminders: %w", err)
	}
	opt.Sealer = sealer
	if err := a.setupBookingChallenge(key); err != nil {
		return err
	}
	opt.Mailer = mailer.NewRenderer(mailer.Options{PublicURL: a.cfg.PublicURL, From: a.cfg.MailFrom, Location: a.cfg.Location(), Now: a.now,
		OfficeName: a.cfg.Office.Name, OfficeAddress: a.cfg.Office.Address})
	opt.Reminders = reminders
	opt.NoShowGrace = a.cfg.NoShowGrace
	opt.Retention = a.cfg.Retention.domain()
	if a.cfg.SMTPURL != "" {
		if a.async.sender, err = mailer.NewSMTPSender(a.cfg.SMTPURL, a.cfg.MailFrom, mailDomain(a.cfg)); err != nil {
			return err
		}
	}
	a.async.owner = processOwner()
	return nil
}

// processOwner names this process in mail leases: host, pid and a random
// part, so a restarted process never mistakes an old lease for its own.
func processOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%.32s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// deliverMail runs one delivery pass; without SMTP it does nothing.
func (a *App) deliverMail(ctx context.Context) error {
	if a.async.sender == nil {
		return nil
	}
	n, err := a.office.DeliverMail(ctx, a.now, a.async.sender, booking.Delivery{Owner: a.async.owner, Lease: a.cfg.MailLease})
	a.metrics.mailsSent.Add(float64(n))
	if n > 0 {
		a.log.Info("mails delivered", "count", n)
	}
	return err
}

// kickMail asks the scheduler to deliver now, after a use case queued a
// mail, instead of waiting for the next poll.
func (a *App) kickMail() {
	a.async.mu.Lock()
	js := a.async.jobs
	a.async.mu.Unlock()
	if js != nil {
		js.runNow(jobMail)
	}
}

// StartJobs starts the background jobs (serve does; tests may).
func (a *App) StartJobs() error {
	specs := a.jobSpecs()
	for i := range specs {
		name, run := specs[i].name, specs[i].run
		specs[i].run = func(ctx context.Context) error {
			err := run(ctx)
			if ctx.Err() == nil {
				a.metrics.jobDone(name, err)
			}
			return err
		}
	}
	js, err := newJobScheduler(a.log, a.jobLocker(), specs)
	if err != nil {
		return err
	}
	a.async.mu.Lock()
	a.async.jobs = js
	a.async.mu.Unlock()
	js.start()
	return nil
}

// StopJobs stops the scheduler and waits for running jobs.
func (a *App) StopJobs() {
	a.async.mu.Lock()
	js := a.async.jobs
	a.async.jobs = nil
	a.async.mu.Unlock()
	if js != nil {
		js.stop()
	}
}

// FlushMail makes a last, bounded delivery pass on shutdown so mails
// queued by the last requests go out now rather than on the next start.
func (a *App) FlushMail(ctx context.Context, within time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	if err := a.deliverMail(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("mail flush on shutdown", "err", err)
	}
}

// logMailSetup tells the operator at start whether mails go out.
func (a *App) logMailSetup() {
	if a.async.sender == nil {
		a.log.Warn("smtp_url not set: mails are queued but not sent")
	}
}

// mailDomain is the host of the public URL, used in UIDs and Message-IDs.
func mailDomain(cfg Config) string { return mailer.Domain(cfg.PublicURL) }
