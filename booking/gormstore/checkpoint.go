package gormstore

import (
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database.
const checkpointEvery = time.Second

// checkpointer moves SQLite's WAL into the database file from a reader
// connection. SQLite would otherwise do it inside whichever commit crosses
// 1000 pages, with an fsync, while every queued booking waits for that
// writer. A PASSIVE checkpoint never blocks the writer.
type checkpointer struct {
	quit, done chan struct{}
}

func (s *Store) startCheckpointer() error {
	if err := s.wdb.Exec("PRAGMA wal_autocheckpoint = 0").Error; err != nil {
		return err
	}
	c := &checkpointer{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-c.quit:
				return
			case <-t.C:
				// Scan reads the pragma's result row to the end: a statement
				// left open would pin an old snapshot on a reader connection.
				var res struct{ Busy, Log, Checkpointed int }
				_ = s.db.Raw("PRAGMA wal_checkpoint(PASSIVE)").Scan(&res).Error // best effort; the next tick retries
			}
		}
	}()
	s.checkpoints = c
	return nil
}

func (c *checkpointer) stop() {
	close(c.quit)
	<-c.done
}
