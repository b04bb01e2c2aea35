package httpapi

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
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
func (a *API) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	secure := a.cfg.SecureCookies
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

// sameOrigin refuses state-changing requests a browser sends on behalf of
// another site. Staff routes also check the session's CSRF token, but
// login has no session yet (a foreign page could sign a clerk into the
// attacker's account) and public routes have none at all. The origin is
// public_url's or the one the browser addressed (Host); clients that are
// not browsers send neither header and pass.
func (a *API) sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	own := originOf(a.cfg.PublicURL)
	return func(c echo.Context) error {
		req := c.Request()
		if safeMethod(req.Method) {
			return next(c)
		}
		origin := req.Header.Get(echo.HeaderOrigin)
		if req.Header.Get("Sec-Fetch-Site") == "cross-site" ||
			(origin != "" && origin != own && origin != c.Scheme()+"://"+req.Host) {
			return newAPIError(http.StatusForbidden, "cross_origin", "Requests from other sites are not accepted.")
		}
		return next(c)
	}
}

// originOf is the scheme://host[:port] of an absolute URL, as browsers
// send it in the Origin header.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (scheme == "https" && u.Port() == "443") || (scheme == "http" && u.Port() == "80") {
		host = strings.TrimSuffix(host, ":"+u.Port()) // browsers leave out the default port
	}
	return scheme + "://" + host
}

// limitBody caps request bodies; decodeJSON reports the overflow as 413.
func (a *API) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
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
func (a *API) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		level := slogLevelFor(status)
		a.log.Log(c.Request().Context(), level, "http",
			"method", MethodLabel(c.Request().Method), "route", RouteLabel(c), "status", status,
			"ms", time.Since(start).Milliseconds())
		return nil
	}
}

// perIPLimiter limits requests per client IP to perMinute, with a burst of
// the same size; perMinute <= 0 disables it.
func (a *API) perIPLimiter(perMinute int) echo.MiddlewareFunc {
	return a.ipLimiter(perMinute, func(_ echo.Context, wait time.Duration) error {
		return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited",
			Message: "Too many requests; please wait a minute.", RetryAfter: wait}
	})
}

// loginLimiter is perIPLimiter for staff login, whose refusals are
// audited (see refuseLogin).
func (a *API) loginLimiter() echo.MiddlewareFunc {
	return a.ipLimiter(loginsPerMinute(a.cfg.RateLimitPerMinute), a.refuseLogin)
}

// ipLimiter keys the limit by clientKey; the store forgets a client three
// minutes after its last request, so it holds only recent clients. deny
// answers a refused request, given when the next one is allowed.
func (a *API) ipLimiter(perMinute int, deny func(c echo.Context, wait time.Duration) error) echo.MiddlewareFunc {
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
		IdentifierExtractor: func(c echo.Context) (string, error) { return clientKey(c.RealIP()), nil },
		ErrorHandler: func(c echo.Context, err error) error {
			return newAPIError(http.StatusForbidden, "forbidden", "Could not identify the client.")
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			return deny(c, time.Minute/time.Duration(perMinute)) // one request's worth of refill
		},
	})
}

// slogLevelFor keeps routine requests at debug so production logs stay
// quiet, and surfaces client and server errors. Answers a flood produces
// by the thousand (404, 405 for invented methods, 429) stay at debug too:
// the metrics count them and refused logins are audited per minute.
func slogLevelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status == http.StatusNotFound, status == http.StatusMethodNotAllowed, status == http.StatusTooManyRequests:
		return slog.LevelDebug
	case status >= 400:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
