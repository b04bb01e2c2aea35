package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// loginGuard is what protects staff login besides the per-IP limit and
// the bound on concurrent password hashing (password.Gate): the
// per-account throttle and the audit of refused attempts.
type loginGuard struct {
	accounts *accountThrottle
	denied   *loginDenials
}

func (a *API) newLoginGuard() loginGuard {
	return loginGuard{
		accounts: newAccountThrottle(),
		denied:   newLoginDenials(a.now, a.log, a.auditDeniedLogins),
	}
}

// auditDeniedLogins writes one source's refused logins of one minute.
func (a *API) auditDeniedLogins(ctx context.Context, d deniedCount) error {
	return a.office.Audit(ctx, booking.Actor{}, booking.ActionLoginRateLimited, "source:"+d.source, deniedDetail(d))
}

// refuseLogin answers a login attempt that a limit refused, and counts it
// for the audit log.
func (a *API) refuseLogin(c echo.Context, wait time.Duration) error {
	a.login.denied.record(auditSource(c.RealIP()))
	return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited",
		Message:    "Too many login attempts; please wait " + strconv.Itoa(retrySeconds(wait)) + " seconds.",
		RetryAfter: wait}
}

// retrySeconds rounds a wait up to whole seconds for Retry-After.
func retrySeconds(d time.Duration) int {
	return int(max((d+time.Second-1)/time.Second, 1))
}
