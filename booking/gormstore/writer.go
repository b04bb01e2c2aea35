package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// errStoreClosed answers writes that arrive after Close.
var errStoreClosed = errors.New("gormstore: store closed")

// maxBatch bounds how many writes share one SQLite transaction, so one
// commit never waits on an unbounded queue.
const maxBatch = 64

// writeJob is one write waiting for the SQLite writer.
type writeJob struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	done chan error
}

// groupWriter runs every SQLite write on the one pinned connection. When it
// is free it takes all writes waiting at that moment, runs each in its own
// SAVEPOINT inside a single BEGIN IMMEDIATE … COMMIT, and answers them all
// after the commit (group commit).
//
// Each write stays atomic (a failing one rolls back to its savepoint and the
// others commit) and durable (its caller hears of success only after the
// COMMIT). Under a booking rush this amortises BEGIN/COMMIT and, above all,
// keeps the database lock with one goroutine that does nothing else,
// instead of handing it between hundreds of request goroutines that must
// each be scheduled again after every statement.
type groupWriter struct {
	db      *gorm.DB
	jobs    chan writeJob
	quit    chan struct{}
	stopped chan struct{}
}

func newGroupWriter(db *gorm.DB) *groupWriter {
	w := &groupWriter{db: db, jobs: make(chan writeJob, 1024), quit: make(chan struct{}), stopped: make(chan struct{})}
	go w.run()
	return w
}

// do queues fn and waits for its outcome. Once queued, it waits even if ctx
// ends meanwhile: the write may already be committed, and the caller must
// not be told otherwise.
func (w *groupWriter) do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	j := writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		return fmt.Errorf("gormstore: wait for write: %w", ctx.Err())
	case <-w.quit:
		return errStoreClosed
	}
	return <-j.done
}

// close stops the writer after the batch it is running; writes still
// queued are refused.
func (w *groupWriter) close() {
	close(w.quit)
	<-w.stopped
	for {
		select {
		case j := <-w.jobs:
			j.done <- errStoreClosed
		default:
			return
		}
	}
}

func (w *groupWriter) run() {
	defer close(w.stopped)
	for {
		var batch []writeJob
		select {
		case j := <-w.jobs:
			batch = append(batch, j)
		case <-w.quit:
			return
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case j := <-w.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		w.commit(batch)
	}
}

func (w *groupWriter) commit(batch []writeJob) {
	errs := make([]error, len(batch))
	if err := w.db.Exec("BEGIN IMMEDIATE").Error; err != nil {
		for _, j := range batch {
			j.done <- fmt.Errorf("gormstore: begin: %w", err)
		}
		return
	}
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			errs[i] = err // the caller has gone; do not write on its behalf
			continue
		}
		errs[i] = w.one(j)
	}
	if err := w.db.Exec("COMMIT").Error; err != nil {
		_ = w.db.Exec("ROLLBACK").Error
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("gormstore: commit: %w", err)
			}
		}
	}
	for i, j := range batch {
		j.done <- errs[i]
	}
}

// one runs a job inside its own savepoint.
func (w *groupWriter) one(j writeJob) error {
	if err := w.db.Exec("SAVEPOINT write").Error; err != nil {
		return fmt.Errorf("gormstore: savepoint: %w", err)
	}
	// The job's cancellation was checked before it started; once running it
	// finishes. Without a cancellable context the driver also skips its
	// per-statement watcher goroutine.
	if err := j.fn(w.db.WithContext(context.WithoutCancel(j.ctx))); err != nil {
		if rb := w.db.Exec("ROLLBACK TO write").Error; rb != nil {
			return errors.Join(err, fmt.Errorf("gormstore: rollback: %w", rb))
		}
		_ = w.db.Exec("RELEASE write").Error
		return err
	}
	if err := w.db.Exec("RELEASE write").Error; err != nil {
		return fmt.Errorf("gormstore: release: %w", err)
	}
	return nil
}
