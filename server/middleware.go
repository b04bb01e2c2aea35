package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// contentSecurityPolicy allows only our own origin: no inline script or
// style, no eval, no third party. Media may come from blob: (local preview).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every answer carries.
func (a *App) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	secure := a.cfg.SecureCookies()
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// noStore keeps API answers (tokens, personal data) out of caches.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// limitBody caps request bodies; decodeJSON reports the overflow as 413.
func (a *App) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	limit := a.cfg.MaxBodyBytes
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > limit {
			return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large", "The request body is too large.")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		return next(c)
	}
}

// accessLog logs each request by its route pattern, never the raw path:
// paths carry join and manage tokens. No IP, no body, no query.
func (a *App) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		level := slogLevelFor(status)
		a.log.Log(c.Request().Context(), level, "http",
			"method", c.Request().Method, "route", c.Path(), "status", status,
			"ms", time.Since(start).Milliseconds())
		return nil
	}
}

// perIPLimiter limits requests per client IP to perMinute, with a burst of
// the same size; perMinute <= 0 disables it.
func (a *App) perIPLimiter(perMinute int) echo.MiddlewareFunc {
	if perMinute <= 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate:      rate.Limit(float64(perMinute) / 60),
		Burst:     perMinute,
		ExpiresIn: 3 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store:               store,
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		ErrorHandler: func(c echo.Context, err error) error {
			return newAPIError(http.StatusForbidden, "forbidden", "Could not identify the client.")
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			return newAPIError(http.StatusTooManyRequests, "rate_limited", "Too many requests; please wait a minute.")
		},
	})
}

// slogLevelFor keeps routine requests at debug so production logs stay
// quiet, and surfaces client and server errors.
func slogLevelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400 && status != http.StatusNotFound:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
