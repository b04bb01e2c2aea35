package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/server/altcha"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
	"github.com/sprechstunde/sprechstunde/server/password"
	"github.com/sprechstunde/sprechstunde/server/roomgate"
	"github.com/sprechstunde/sprechstunde/sfu"
)

// App is the composed server: configuration, store, use cases and routes.
type App struct {
	cfg     Config
	log     *slog.Logger
	store   *gormstore.Store
	office  *booking.Office
	api     *httpapi.API // the HTTP layer
	now     func() time.Time
	async   asyncState     // mails and background jobs, see async.go
	metrics *metrics       // Prometheus figures, see metrics.go
	hashes  *password.Gate // bounds concurrent password hashing

	// challenge guards public booking; nil when disabled, see bookingchallenge.go.
	challenge *altcha.Guard

	// The media plane, see roomwire.go.
	media      *sfu.SFU
	desk       *roomgate.Desk
	observer   *roomgate.Observer
	links      *roomgate.StaffLinks // ends staff logins' live connections
	closeMedia func() error
}

// Option changes how NewApp builds the App (tests inject a clock).
type Option func(*App)

// WithClock replaces the wall clock.
func WithClock(now func() time.Time) Option { return func(a *App) { a.now = now } }

// NewApp opens the database and wires everything; Close releases it.
func NewApp(ctx context.Context, cfg Config, log *slog.Logger, opts ...Option) (*App, error) {
	a := &App{cfg: cfg, log: log, now: time.Now}
	for _, o := range opts {
		o(a)
	}
	slots := password.Slots(cfg.PasswordHashConcurrency, memoryBudget(os.ReadFile))
	log.Debug("password hashing bounded", "concurrent", slots)
	a.hashes = password.NewGate(slots, password.DefaultWait)
	store, err := gormstore.Open(ctx, cfg.Database, log)
	if err != nil {
		return nil, fmt.Errorf("server: database: %w", err)
	}
	a.store = store
	opt := booking.Options{
		Location:            cfg.Location(),
		Now:                 a.now,
		MaxBookingsPerEmail: cfg.MaxBookingsPerEmail,
		JoinEarly:           cfg.JoinEarly,
		SessionTTL:          cfg.SessionTTL,
		Hasher:              password.Hasher{Gate: a.hashes},
	}
	a.links = roomgate.NewStaffLinks(func() *sfu.SFU { return a.media })
	opt.SessionsEnded = a.links.Revoke
	opt.MailQueued = a.kickMail
	opt.AppointmentEnded = a.closeRoom
	if err := a.setupAsync(ctx, &opt); err != nil {
		_ = store.Close()
		return nil, err
	}
	a.office, err = booking.New(store, opt)
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("server: office: %w", err)
	}
	if err := a.setupRooms(); err != nil {
		_ = store.Close()
		return nil, err
	}
	a.metrics = newMetrics(a.media.Stats)
	a.api, err = httpapi.New(httpapi.Deps{
		Config: httpapi.Config{PublicURL: cfg.PublicURL, Location: cfg.Location(), SecureCookies: cfg.SecureCookies(),
			MaxBodyBytes: cfg.MaxBodyBytes, RateLimitPerMinute: cfg.RateLimitPerMinute,
			TrustedProxies: cfg.TrustedProxyNets(), Observe: a.metrics.observe, Office: cfg.Office.info()},
		Log: log, Now: a.now, Office: a.office, Ping: store.Ping, SMTPConfigured: a.async.sender != nil,
		Challenge: a.challenge, Media: a.media, Desk: a.desk, Waits: a.observer.Waits(), Links: a.links,
	})
	if err != nil {
		_ = errors.Join(a.closeMedia(), a.store.Close())
		return nil, err
	}
	return a, nil
}

// Handler is the HTTP handler of the whole application.
func (a *App) Handler() http.Handler { return a.api.Handler() }

// Serve answers HTTP on ln until ctx ends, then shuts down gracefully:
// stop accepting, let running requests finish within the shutdown timeout.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	return a.serveHTTP(ctx, ln, a.api.Handler())
}

// ServeMetrics answers Prometheus scrapes on ln (metrics_addr) until ctx
// ends.
func (a *App) ServeMetrics(ctx context.Context, ln net.Listener) error {
	return a.serveHTTP(ctx, ln, a.metrics.handler(a.cfg.MetricsToken))
}

func (a *App) serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(a.links.EndStreams) // long-lived streams would hold up Shutdown
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}

	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: serve: %w", err)
	}
	return nil
}

// Close stops the media server (if Serve has not) and releases the database.
func (a *App) Close() error {
	a.api.Close() // refused logins still counted go to the audit log
	return errors.Join(a.closeMedia(), a.store.Close())
}
