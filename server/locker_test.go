package server

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// newAppOn opens an App on an existing database, as a second server
// process would.
func newAppOn(t *testing.T, dsn string) *App {
	t.Helper()
	cfg, err := Load(nil, func(k string) string {
		switch k {
		case "SPRECHSTUNDE_DATABASE":
			return dsn
		case "SPRECHSTUNDE_DATA_DIR":
			return testDataDir(t, dsn)
		}
		return localMedia[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	app, err := NewApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Close() })
	return app
}

// TestJobsRunOnceAcrossProcesses: two schedulers on one PostgreSQL run the
// same job often; the advisory-lock locker never lets both run it at once.
func TestJobsRunOnceAcrossProcesses(t *testing.T) {
	if len(storetest.Kinds(t)) < 2 {
		t.Skip("needs PostgreSQL")
	}
	dsn := storetest.DSN(t, "postgres")
	var running, maxRunning, runs atomic.Int64
	job := func(ctx context.Context) error {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		runs.Add(1)
		time.Sleep(15 * time.Millisecond) // the job's work, long enough to overlap the other's tick
		return nil
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var scheds []*jobScheduler
	for range 2 {
		app := newAppOn(t, dsn)
		js, err := newJobScheduler(log, app.jobLocker(), []jobSpec{{name: "probe", every: 5 * time.Millisecond, run: job}})
		if err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, js)
		js.start()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runs.Load() < 20 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for _, js := range scheds {
		js.stop()
	}
	if runs.Load() < 20 || maxRunning.Load() != 1 {
		t.Fatalf("%d runs, at most %d at once; want >= 20 and 1", runs.Load(), maxRunning.Load())
	}
}
