// Package httpapi is the HTTP face of the application: every route in one
// list (routes.go), middleware, strict decoding, the one error map, the
// handlers of the JSON API, the signaling socket and the browser pages.
// Handlers call booking use cases and the media plane through Deps and
// never the store.
package httpapi

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/altcha"
	"github.com/sprechstunde/sprechstunde/server/roomgate"
	"github.com/sprechstunde/sprechstunde/sfu"
)

// Config is what the HTTP layer reads from the configuration.
type Config struct {
	PublicURL          string              // absolute, without a trailing slash
	Location           *time.Location      // the office's time zone
	SecureCookies      bool                // cookies carry Secure (public_url is https)
	MaxBodyBytes       int64               // largest request body
	RateLimitPerMinute int                 // per IP on public routes; 0 = off
	TrustedProxies     []*net.IPNet        // whose X-Forwarded-For is believed
	Observe            echo.MiddlewareFunc // request metrics; nil = none
	Office             OfficeInfo          // who runs the installation, for the pages
}

// Deps is everything the handlers use: the use cases and the media
// plane, never the store itself.
type Deps struct {
	Config         Config
	Log            *slog.Logger
	Now            func() time.Time
	Office         *booking.Office
	Ping           func(context.Context) error // health check of the database
	SMTPConfigured bool                        // reported by the mail status
	Challenge      *altcha.Guard               // nil: bookings need no proof of work
	Media          *sfu.SFU
	Desk           *roomgate.Desk
	Waits          *roomgate.WaitHub
	Links          *roomgate.StaffLinks
}

// API serves the JSON API, the signaling socket and the browser pages.
type API struct {
	cfg            Config
	log            *slog.Logger
	now            func() time.Time
	office         *booking.Office
	ping           func(context.Context) error
	observe        echo.MiddlewareFunc
	smtpConfigured bool
	challenge      *altcha.Guard
	login          loginGuard // account throttle and refused-login audit, see loginguard.go
	media          *sfu.SFU
	desk           *roomgate.Desk
	waits          *roomgate.WaitHub
	links          *roomgate.StaffLinks
	echo           *echo.Echo
	notFoundPage   []byte // HTML answer for browsers asking for an unknown page
}

// New builds the routes on d.
func New(d Deps) (*API, error) {
	a := &API{cfg: d.Config, log: d.Log, now: d.Now, office: d.Office, ping: d.Ping, observe: d.Config.Observe,
		smtpConfigured: d.SMTPConfigured, challenge: d.Challenge, media: d.Media, desk: d.Desk, waits: d.Waits, links: d.Links}
	if a.observe == nil {
		a.observe = func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	a.login = a.newLoginGuard()
	var err error
	if a.echo, err = a.routes(); err != nil {
		return nil, err
	}
	return a, nil
}

// Handler is the HTTP handler of the whole API.
func (a *API) Handler() http.Handler { return a.echo }

// Close writes the refused logins still counted to the audit log.
func (a *API) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), deniedWriteTimeout)
	defer cancel()
	a.login.denied.close(ctx)
}

// Routes lists the registered routes (the access matrix test asks each).
func (a *API) Routes() []*echo.Route { return a.echo.Routes() }

// FlushRefusedLogins writes the refused logins of ended minutes to the
// audit log now rather than when the timer fires.
func (a *API) FlushRefusedLogins(ctx context.Context) { a.login.denied.flush(ctx) }
