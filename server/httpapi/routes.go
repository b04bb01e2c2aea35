package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// routes lists every route of the application in one place.
func (a *API) routes() (*echo.Echo, error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if nets := a.cfg.TrustedProxies; len(nets) > 0 {
		// Exactly the configured proxies: echo would also believe loopback,
		// link-local and private peers, so anyone on the LAN could pick an IP.
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range nets {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	e.Pre(pageSlash())
	e.Use(a.observe, a.accessLog, a.securityHeaders)

	e.GET("/healthz", a.handleHealth)

	api := e.Group("/api/v1", noStore, a.limitBody, a.sameOrigin)
	public := a.perIPLimiter(a.cfg.RateLimitPerMinute)
	api.GET("/office", a.handleOffice)
	api.GET("/services", a.handlePublicServices)
	api.GET("/services/:id/slots", a.handleSlots)
	api.GET("/bookings/challenge", a.handleBookingChallenge, public)
	api.POST("/bookings", a.handleBook, public)
	api.GET("/bookings/manage/:token", a.handleManageGet, public)
	api.DELETE("/bookings/manage/:token", a.handleManageCancel, public)
	api.POST("/bookings/manage/:token/rebook", a.handleManageRebook, public)
	api.GET("/bookings/manage/:token/ics", a.handleManageICS, public)

	api.POST("/join/:token", a.handleJoin, public)
	api.POST("/guest/:token", a.handleGuestJoin, public)
	api.GET("/rooms/session", a.handleRoomSession)
	api.POST("/rooms/ticket", a.handleRoomTicket, public)
	e.GET(SignalingPath, a.handleRoomSocket)

	api.POST("/auth/login", a.handleLogin, a.loginLimiter())
	api.POST("/auth/logout", a.handleLogout)
	api.GET("/auth/me", a.handleMe, a.requireStaff())

	anyStaff := a.requireStaff(booking.RoleAdmin, booking.RoleClerk)
	api.GET("/clerk/appointments", a.handleClerkAppointments, anyStaff)
	api.GET("/clerk/appointments/:id", a.handleClerkAppointment, anyStaff)
	api.GET("/cases/:number", a.handleCase, anyStaff)
	api.POST("/cases/:number/notes", a.handleAddNote, anyStaff)
	api.POST("/cases/:number/status", a.handleCaseStatus, anyStaff)
	api.POST("/clerk/appointments/:id/ticket", a.handleStaffTicket, anyStaff)
	api.POST("/clerk/appointments/:id/guest-link", a.handleGuestLink, anyStaff)
	api.GET("/clerk/appointments/:id/waiting", a.handleWaiting, anyStaff)
	api.GET("/clerk/waiting/stream", a.handleWaitingStream, anyStaff)
	api.POST("/clerk/calendar-feed", a.handleRotateFeed, anyStaff)
	api.DELETE("/clerk/calendar-feed", a.handleRevokeFeed, anyStaff)
	e.GET("/calendar/:file", a.handleCalendarFeed, public)

	admin := api.Group("/admin", a.requireStaff(booking.RoleAdmin))
	admin.GET("/users", a.handleListUsers)
	admin.POST("/users", a.handleCreateUser)
	admin.PATCH("/users/:id", a.handleUpdateUser)
	admin.GET("/services", a.handleAdminServices)
	admin.POST("/services", a.handleCreateService)
	admin.PUT("/services/:id", a.handleUpdateService)
	admin.DELETE("/services/:id", a.handleDeleteService)
	admin.GET("/services/:id/hours", a.handleListHours)
	admin.POST("/services/:id/hours", a.handleAddHours)
	admin.PUT("/hours/:id", a.handleUpdateHours)
	admin.DELETE("/hours/:id", a.handleDeleteHours)
	admin.GET("/closures", a.handleListClosures)
	admin.POST("/closures", a.handleAddClosure)
	admin.DELETE("/closures/:id", a.handleDeleteClosure)
	admin.GET("/mail", a.handleMailStatus)
	admin.POST("/mail/:id/retry", a.handleRetryMail)
	admin.GET("/audit", a.handleAudit)
	admin.GET("/archive", a.handleArchiveOffers)
	admin.POST("/cases/:number/archive", a.handleMarkArchived)

	if err := a.registerPages(e); err != nil { // browser pages and assets, see pages.go
		return nil, err
	}

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
	return e, nil
}

// loginsPerMinute allows fewer login attempts than bookings per IP, against
// password guessing, and is off when rate limiting is off (load tests).
func loginsPerMinute(public int) int {
	if public <= 0 {
		return 0
	}
	return max(10, public/3)
}

func (a *API) handleHealth(c echo.Context) error {
	if err := a.ping(c.Request().Context()); err != nil {
		a.log.Warn("health check: database does not answer", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
