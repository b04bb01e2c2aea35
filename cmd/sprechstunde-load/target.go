package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/server"
)

// server starts an in-process server unless -target is given, and opens the
// database for the double-booking check when it is known.
func (l *bookingLoad) server(ctx context.Context, getenv func(string) string) (string, *gormstore.Store, func(), error) {
	if l.target != "" {
		if l.database == "" {
			return l.target, nil, func() {}, nil
		}
		st, err := openCheck(ctx, l.database)
		if err != nil {
			return "", nil, nil, err
		}
		return l.target, st, func() { _ = st.Close() }, nil
	}
	var cleanup []func()
	undo := func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}
	if l.database == "" {
		dir, err := os.MkdirTemp("", "sprechstunde-loadgen")
		if err != nil {
			return "", nil, nil, err
		}
		cleanup = append(cleanup, func() { _ = os.RemoveAll(dir) })
		l.database = filepath.Join(dir, "loadgen.db")
	}
	cfg, err := l.inProcessConfig(getenv)
	if err != nil {
		undo()
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		undo()
		return "", nil, nil, err
	}
	stop, err := server.StartInProcess(ctx, cfg, ln, quietLog())
	if err != nil {
		_ = ln.Close()
		undo()
		return "", nil, nil, err
	}
	cleanup = append(cleanup, stop)
	// The check reads the rows through a store of its own on the same
	// database, as it does for -target.
	st, err := openCheck(ctx, l.database)
	if err != nil {
		undo()
		return "", nil, nil, err
	}
	cleanup = append(cleanup, func() { _ = st.Close() })
	return "http://" + ln.Addr().String(), st, undo, nil
}

// inProcessConfig is the server's configuration from getenv, with what the
// rush needs on top: a fresh admin and secret key, no limits, no media ports.
func (l *bookingLoad) inProcessConfig(getenv func(string) string) (server.Config, error) {
	pw, err := randomPassword()
	if err != nil {
		return server.Config{}, err
	}
	l.adminEmail, l.adminPassword = "loadgen-admin@example.org", pw+pw
	secret, err := randomPassword()
	if err != nil {
		return server.Config{}, err
	}
	return server.Load(nil, func(k string) string {
		switch k {
		case "SPRECHSTUNDE_SECRET_KEY":
			return secret + pw // a key for this run: no key file left behind
		case "SPRECHSTUNDE_DATABASE":
			return l.database
		case "SPRECHSTUNDE_HTTP_ADDR":
			return "127.0.0.1:0"
		case "SPRECHSTUNDE_RATE_LIMIT_PER_MINUTE", "SPRECHSTUNDE_MAX_BOOKINGS_PER_EMAIL":
			return "0"
		case "SPRECHSTUNDE_DEMO":
			return "false"
		case "SPRECHSTUNDE_SFU_UDP_PORT", "SPRECHSTUNDE_SFU_TCP_PORT", "SPRECHSTUNDE_SFU_TURN_PORT":
			return "0" // the rush needs no media; stay off the real ports
		case "SPRECHSTUNDE_SFU_LOOPBACK_ONLY":
			return "true"
		case "SPRECHSTUNDE_BOOKING_CHALLENGE_ENABLED":
			return "false" // the proof of work is the client's cost; see setup
		case "SPRECHSTUNDE_ADMIN_EMAIL":
			return l.adminEmail
		case "SPRECHSTUNDE_ADMIN_PASSWORD":
			return l.adminPassword
		}
		return getenv(k)
	})
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openCheck(ctx context.Context, dsn string) (*gormstore.Store, error) {
	st, err := gormstore.Open(ctx, dsn, quietLog())
	if err != nil {
		return nil, fmt.Errorf("loadgen: open database for the check: %w", err)
	}
	return st, nil
}

// randomPassword makes a fresh password for this run's accounts.
func randomPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// loadClient keeps one connection per client, like that many browsers.
func loadClient(clients int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = clients * 2
	tr.MaxIdleConnsPerHost = clients * 2
	tr.MaxConnsPerHost = 0
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// checkDoubleBookings asks the database whether the rush left a double
// booking, and how many bookings of the rush's service it stored.
func checkDoubleBookings(ctx context.Context, st *gormstore.Store, serviceID int64) (double, stored int, err error) {
	if double, err = st.DoubleBookings(ctx); err != nil {
		return 0, 0, fmt.Errorf("loadgen: %w", err)
	}
	if stored, err = st.BookedAppointments(ctx, serviceID); err != nil {
		return 0, 0, fmt.Errorf("loadgen: %w", err)
	}
	return double, stored, nil
}
