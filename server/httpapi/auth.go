package httpapi

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// sessionCookieName uses the __Host- prefix on https so the browser only
// accepts it from this exact origin over TLS (OWASP ASVS V3.3).
func (a *API) sessionCookieName() string {
	if a.cfg.SecureCookies {
		return "__Host-sprechstunde_session"
	}
	return "sprechstunde_session"
}

// setSessionCookie sets a browser-session cookie: it ends when the browser
// closes (shared office PCs), and the server ends it after SessionTTL.
func (a *API) setSessionCookie(c echo.Context, token string) {
	ck := &http.Cookie{
		Name:     a.sessionCookieName(),
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   a.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	}
	if token == "" {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

type staffKey struct{}

// staffCtx is what requireStaff stores for handlers.
type staffCtx struct {
	user    booking.User
	session booking.Session
	token   string
}

func (s staffCtx) actor() booking.Actor { return booking.Actor{UserID: s.user.ID, Role: s.user.Role} }

// requireStaff authenticates the session cookie, checks the role (if any
// are given) and, for state-changing methods, the X-CSRF-Token header.
func (a *API) requireStaff(roles ...booking.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			st, err := a.staffFromCookie(c)
			if err != nil {
				return err
			}
			if !safeMethod(c.Request().Method) {
				got := c.Request().Header.Get("X-CSRF-Token")
				if subtle.ConstantTimeCompare([]byte(got), []byte(st.session.CSRFToken)) != 1 {
					return newAPIError(http.StatusForbidden, "csrf", "Missing or wrong X-CSRF-Token header.")
				}
			}
			if len(roles) > 0 && !hasRole(st.user.Role, roles) {
				return newAPIError(http.StatusForbidden, "forbidden", "Your role may not do this.")
			}
			c.Set("staff", st)
			return next(c)
		}
	}
}

func (a *API) staffFromCookie(c echo.Context) (staffCtx, error) {
	ck, err := c.Cookie(a.sessionCookieName())
	if err != nil || ck.Value == "" {
		return staffCtx{}, booking.ErrUnauthenticated
	}
	u, s, err := a.office.Authenticate(c.Request().Context(), ck.Value)
	if err != nil {
		return staffCtx{}, err
	}
	return staffCtx{user: u, session: s, token: ck.Value}, nil
}

func staff(c echo.Context) staffCtx {
	st, _ := c.Get("staff").(staffCtx)
	return st
}

func hasRole(r booking.Role, roles []booking.Role) bool {
	for _, x := range roles {
		if r == x {
			return true
		}
	}
	return false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// LoginRequest is the body of POST /api/v1/auth/login.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type userJSON struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

func toUserJSON(u booking.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)}
}

type loginResponse struct {
	User      userJSON `json:"user"`
	CSRFToken string   `json:"csrf_token"`
}

// handleLogin signs a staff member in. Besides the per-IP limit, an
// account whose password was just guessed wrong several times waits a
// growing delay (see accountThrottle) before the next attempt is hashed.
func (a *API) handleLogin(c echo.Context) error {
	var req LoginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	name := booking.NormalizeEmail(req.Email)
	if wait := a.login.accounts.admit(name, a.now()); wait > 0 {
		return a.refuseLogin(c, wait)
	}
	u, s, token, err := a.office.Login(c.Request().Context(), req.Email, req.Password)
	if errors.Is(err, booking.ErrUnauthenticated) {
		return newAPIError(http.StatusUnauthorized, "invalid_credentials", "E-mail or password is wrong.")
	}
	if err != nil {
		a.login.accounts.undecided(name)
		return err
	}
	a.login.accounts.succeeded(name)
	a.setSessionCookie(c, token)
	return c.JSON(http.StatusOK, loginResponse{User: toUserJSON(u), CSRFToken: s.CSRFToken})
}

// handleMe lets a reloaded page recover who is logged in and the CSRF token.
func (a *API) handleMe(c echo.Context) error {
	st := staff(c)
	return c.JSON(http.StatusOK, loginResponse{User: toUserJSON(st.user), CSRFToken: st.session.CSRFToken})
}

// handleLogout ends the session. Without a valid session it is a no-op, so
// a retry or an expired cookie still gets 204.
func (a *API) handleLogout(c echo.Context) error {
	st, err := a.staffFromCookie(c)
	if err == nil {
		if subtle.ConstantTimeCompare([]byte(c.Request().Header.Get("X-CSRF-Token")), []byte(st.session.CSRFToken)) != 1 {
			return newAPIError(http.StatusForbidden, "csrf", "Missing or wrong X-CSRF-Token header.")
		}
		if err := a.office.Logout(c.Request().Context(), st.token); err != nil {
			return err
		}
	}
	a.setSessionCookie(c, "")
	return c.NoContent(http.StatusNoContent)
}
