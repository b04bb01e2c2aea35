package server

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

// APIConfig is what the HTTP layer reads from the configuration.
type APIConfig struct {
	PublicURL          string              // absolute, without a trailing slash
	Location           *time.Location      // the office's time zone
	SecureCookies      bool                // cookies carry Secure (public_url is https)
	MaxBodyBytes       int64               // largest request body
	RateLimitPerMinute int                 // per IP on public routes; 0 = off
	TrustedProxies     []*net.IPNet        // whose X-Forwarded-For is believed
	Observe            echo.MiddlewareFunc // request metrics; nil = none
}

// APIDeps is everything the handlers use: the use cases and the media
// plane, never the store itself.
type APIDeps struct {
	Config         APIConfig
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
	cfg            APIConfig
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
}

// NewAPI builds the routes on d.
func NewAPI(d APIDeps) (*API, error) {
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
func (a *API) Close(ctx context.Context) { a.login.denied.close(ctx) }
