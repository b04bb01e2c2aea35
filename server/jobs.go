package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/sprechstunde/sprechstunde/booking/gormstore"
)

// Job names; on PostgreSQL they are also the advisory lock keys.
const (
	jobMail      = "mail_delivery"
	jobReminders = "reminders"
	jobNoShow    = "no_show"
	jobRetention = "retention"
	jobSessions  = "expired_sessions"
)

// jobSpec is one periodic job; docs/operations.md lists them all.
type jobSpec struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) error
}

func (a *App) jobSpecs() []jobSpec {
	return []jobSpec{
		{jobMail, a.cfg.MailPollInterval, a.deliverMail},
		{jobReminders, time.Minute, func(ctx context.Context) error {
			n, err := a.office.SendReminders(ctx, a.now())
			a.metrics.remindersQd.Add(float64(n))
			if n > 0 {
				a.log.Info("reminders queued", "count", n)
			}
			return err
		}},
		{jobNoShow, 5 * time.Minute, func(ctx context.Context) error {
			n, err := a.office.MarkNoShows(ctx, a.now())
			if n > 0 {
				a.log.Info("appointments marked no-show", "count", n)
			}
			return err
		}},
		{jobRetention, time.Hour, func(ctx context.Context) error {
			done, err := a.office.ApplyRetention(ctx, a.now())
			for class, n := range done {
				if n > 0 {
					a.log.Info("retention applied", "class", class, "count", n)
				}
			}
			return err
		}},
		{jobSessions, time.Hour, func(ctx context.Context) error {
			_, err := a.office.DeleteExpiredSessions(ctx, a.now())
			_, rerr := a.office.DeleteExpiredRoomSessions(ctx, a.now())
			return errors.Join(err, rerr)
		}},
	}
}

// jobScheduler runs jobSpecs with gocron: each job at most once at a time
// in this process (singleton mode) and, with a locker, in the deployment.
type jobScheduler struct {
	s    gocron.Scheduler
	jobs map[string]gocron.Job
}

func newJobScheduler(log *slog.Logger, locker gocron.Locker, specs []jobSpec) (*jobScheduler, error) {
	opts := []gocron.SchedulerOption{gocron.WithStopTimeout(20 * time.Second)}
	if locker != nil {
		opts = append(opts, gocron.WithDistributedLocker(locker))
	}
	s, err := gocron.NewScheduler(opts...)
	if err != nil {
		return nil, fmt.Errorf("server: scheduler: %w", err)
	}
	js := &jobScheduler{s: s, jobs: map[string]gocron.Job{}}
	for _, spec := range specs {
		run, name := spec.run, spec.name
		j, err := s.NewJob(gocron.DurationJob(spec.every),
			gocron.NewTask(func(ctx context.Context) {
				if err := run(ctx); err != nil && ctx.Err() == nil {
					log.Error("job failed", "job", name, "err", err)
				}
			}),
			gocron.WithName(name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithStartAt(gocron.WithStartImmediately()),
		)
		if err != nil {
			_ = s.Shutdown()
			return nil, fmt.Errorf("server: job %s: %w", name, err)
		}
		js.jobs[name] = j
	}
	return js, nil
}

func (js *jobScheduler) start() { js.s.Start() }

func (js *jobScheduler) stop() { _ = js.s.Shutdown() }

// runNow runs a job immediately unless it is running (singleton mode).
func (js *jobScheduler) runNow(name string) {
	if j, ok := js.jobs[name]; ok {
		_ = j.RunNow()
	}
}

// jobLocker returns the PostgreSQL advisory-lock locker, or nil on SQLite
// where one process owns the database.
func (a *App) jobLocker() gocron.Locker {
	if !a.cfg.IsPostgres() {
		return nil
	}
	return pgLocker{store: a.store}
}

// pgLocker adapts gormstore.TryLock to gocron's distributed locker.
type pgLocker struct{ store *gormstore.Store }

func (l pgLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	unlock, err := l.store.TryLock(ctx, key)
	if err != nil {
		return nil, err
	}
	return lockRelease(unlock), nil
}

type lockRelease gormstore.Unlock

func (f lockRelease) Unlock(ctx context.Context) error { return f(ctx) }
