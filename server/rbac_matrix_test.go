package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
)

// rbacOutcome is the status class a request must get.
type rbacOutcome int

const (
	rbacOK   rbacOutcome = iota + 1 // 2xx (101 for the websocket handshake)
	rbacPass                        // past the access check: below 500 and not 401, 403 or 404
	rbac401
	rbac403
	rbac404 // another clerk's object looks missing (issue 14, point 13)
)

func (o rbacOutcome) String() string {
	return [...]string{"", "2xx", "authorized (<500, not 401/403/404)", "401", "403", "404"}[o]
}

func (o rbacOutcome) holds(status int) bool {
	switch o {
	case rbacOK:
		return status >= 200 && status < 300 || status == http.StatusSwitchingProtocols
	case rbacPass:
		return status < 500 && status != 401 && status != 403 && status != 404
	case rbac401:
		return status == 401
	case rbac403:
		return status == 403
	default:
		return status == 404
	}
}

// The actors of the matrix, in the order each row asks them: refusals
// first, so that a successful change cannot hide a later refusal.
const (
	actorAnon = iota
	actorCitizen
	actorOther // a clerk not assigned to the appointment
	actorClerk // the clerk of the appointment and its case
	actorAdmin
	actorCount
)

var actorNames = [actorCount]string{"anonymous", "citizen", "other clerk", "clerk", "admin"}

// who lists the expected outcome per actor.
func who(anon, citizen, clerk, other, admin rbacOutcome) [actorCount]rbacOutcome {
	return [actorCount]rbacOutcome{actorAnon: anon, actorCitizen: citizen, actorOther: other, actorClerk: clerk, actorAdmin: admin}
}

var (
	everyone  = who(rbacOK, rbacOK, rbacOK, rbacOK, rbacOK)
	staffOnly = who(rbac401, rbac401, rbacOK, rbacOK, rbacOK)
	ownOnly   = who(rbac401, rbac401, rbacOK, rbac404, rbacOK)
	adminOnly = who(rbac401, rbac401, rbac403, rbac403, rbacOK)
	roomOnly  = who(rbac401, rbacOK, rbac401, rbac401, rbac401)
)

// rbacRule is one route of the matrix. path and body build a request
// with real IDs and tokens, afresh for each actor; fresh gives each actor a
// new session of its kind (for routes that start, replace or end a
// session, which would change what the actor is for the rows after).
type rbacRule struct {
	route string // "METHOD /path" as echo lists it
	want  [actorCount]rbacOutcome
	path  func(*rbacFixture) string // nil: the route's path as it is
	body  func(*rbacFixture) any
	fresh bool
}

// request builds the rule's request with fresh objects where it has to.
// The catch-all routes are asked with GET.
func (r rbacRule) request(f *rbacFixture) (method, path string, body any) {
	method, path, _ = strings.Cut(r.route, " ")
	if method == echo.RouteNotFound {
		method = http.MethodGet
	}
	if r.path != nil {
		path = r.path(f)
	}
	if r.body != nil {
		body = r.body(f)
	}
	return method, path, body
}

// rbacRules is the access rule of every route. A route the app registers
// without a row here fails TestRBACMatrix, and so does a row for a route
// that is gone. Pages and assets follow from httpapi.PagePaths (see rbacPageRules).
var rbacRules = []rbacRule{
	{route: "GET /healthz", want: everyone},

	// Public booking: the manage and join tokens are the credentials.
	{route: "GET /api/v1/office", want: everyone},
	{route: "GET /api/v1/services", want: everyone},
	{route: "GET /api/v1/services/:id/slots", want: everyone, path: func(f *rbacFixture) string {
		return "/api/v1/services/" + itoa(f.serviceID) + "/slots"
	}},
	{route: "GET /api/v1/bookings/challenge", want: everyone},
	// Booking may ask for a proof of work first; either way nobody is refused for who they are.
	{route: "POST /api/v1/bookings", want: who(rbacPass, rbacPass, rbacPass, rbacPass, rbacPass), body: func(f *rbacFixture) any {
		return map[string]any{"service_id": f.serviceID, "start": f.freeSlot().Format(time.RFC3339),
			"name": "Max Mustermann", "email": f.email(), "consent": true}
	}},
	{route: "GET /api/v1/bookings/manage/:token", want: everyone, path: func(f *rbacFixture) string {
		return "/api/v1/bookings/manage/" + f.main.ManageToken
	}},
	{route: "DELETE /api/v1/bookings/manage/:token", want: everyone, path: func(f *rbacFixture) string {
		return "/api/v1/bookings/manage/" + f.book().ManageToken
	}},
	{route: "POST /api/v1/bookings/manage/:token/rebook", want: everyone, path: func(f *rbacFixture) string {
		return "/api/v1/bookings/manage/" + f.book().ManageToken + "/rebook"
	}, body: func(f *rbacFixture) any { return map[string]string{"start": f.freeSlot().Format(time.RFC3339)} }},
	{route: "GET /api/v1/bookings/manage/:token/ics", want: everyone, path: func(f *rbacFixture) string {
		return "/api/v1/bookings/manage/" + f.main.ManageToken + "/ics"
	}},
	{route: "GET /calendar/:file", want: everyone, path: func(f *rbacFixture) string { return f.feedPath() }},

	// The room: join and guest links, then the room cookie.
	{route: "POST /api/v1/join/:token", want: everyone, fresh: true, path: func(f *rbacFixture) string {
		return "/api/v1/join/" + f.book().JoinToken
	}},
	{route: "POST /api/v1/guest/:token", want: everyone, fresh: true, path: func(f *rbacFixture) string {
		return "/api/v1/guest/" + f.guestToken()
	}, body: func(*rbacFixture) any { return map[string]string{"name": "Dolmetscherin Ayse"} }},
	{route: "GET /api/v1/rooms/session", want: roomOnly},
	{route: "POST /api/v1/rooms/ticket", want: roomOnly},
	// The handshake is open to all; the ticket in the first message is the credential.
	{route: "GET /api/v1/rooms/ws", want: everyone},

	// Staff sessions.
	{route: "POST /api/v1/auth/login", want: everyone, fresh: true, body: func(*rbacFixture) any {
		return map[string]string{"email": "clerk@amt.example", "password": testPassword}
	}},
	{route: "POST /api/v1/auth/logout", want: everyone, fresh: true},
	{route: "GET /api/v1/auth/me", want: staffOnly},

	// Clerks: their own appointments and cases; another clerk's look missing.
	{route: "GET /api/v1/clerk/appointments", want: staffOnly},
	{route: "GET /api/v1/clerk/appointments/:id", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/clerk/appointments/" + itoa(f.main.Appointment.ID)
	}},
	{route: "GET /api/v1/cases/:number", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/cases/" + f.main.Appointment.CaseNumber
	}},
	{route: "POST /api/v1/cases/:number/notes", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/cases/" + f.main.Appointment.CaseNumber + "/notes"
	}, body: func(*rbacFixture) any { return map[string]string{"text": "Unterlagen vollständig."} }},
	{route: "POST /api/v1/cases/:number/status", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/cases/" + f.done.Appointment.CaseNumber + "/status"
	}, body: func(*rbacFixture) any { return map[string]string{"status": "done"} }},
	{route: "POST /api/v1/clerk/appointments/:id/ticket", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/clerk/appointments/" + itoa(f.main.Appointment.ID) + "/ticket"
	}},
	{route: "POST /api/v1/clerk/appointments/:id/guest-link", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/clerk/appointments/" + itoa(f.main.Appointment.ID) + "/guest-link"
	}},
	{route: "GET /api/v1/clerk/appointments/:id/waiting", want: ownOnly, path: func(f *rbacFixture) string {
		return "/api/v1/clerk/appointments/" + itoa(f.main.Appointment.ID) + "/waiting"
	}},
	{route: "GET /api/v1/clerk/waiting/stream", want: staffOnly},
	{route: "POST /api/v1/clerk/calendar-feed", want: staffOnly},
	{route: "DELETE /api/v1/clerk/calendar-feed", want: staffOnly},

	// Administration.
	{route: "GET /api/v1/admin/users", want: adminOnly},
	{route: "POST /api/v1/admin/users", want: adminOnly, body: func(f *rbacFixture) any {
		return map[string]any{"email": f.email(), "name": "Herr Neu", "password": testPassword, "role": "clerk"}
	}},
	{route: "PATCH /api/v1/admin/users/:id", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/users/" + itoa(f.spareUser)
	}, body: func(*rbacFixture) any { return map[string]any{"name": "Herr Umbenannt"} }},
	{route: "GET /api/v1/admin/services", want: adminOnly},
	{route: "POST /api/v1/admin/services", want: adminOnly, body: func(*rbacFixture) any { return spareService }},
	{route: "PUT /api/v1/admin/services/:id", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/services/" + itoa(f.spareService)
	}, body: func(*rbacFixture) any { return spareService }},
	{route: "DELETE /api/v1/admin/services/:id", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/services/" + itoa(f.unusedService)
	}},
	{route: "GET /api/v1/admin/services/:id/hours", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/services/" + itoa(f.spareService) + "/hours"
	}},
	{route: "POST /api/v1/admin/services/:id/hours", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/services/" + itoa(f.spareService) + "/hours"
	}, body: func(f *rbacFixture) any {
		return map[string]any{"clerk_id": f.otherID, "weekday": 2, "start": "14:00", "end": "15:00"}
	}},
	{route: "PUT /api/v1/admin/hours/:id", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/hours/" + itoa(f.spareHours)
	}, body: func(f *rbacFixture) any {
		return map[string]any{"clerk_id": f.spareUser, "weekday": 1, "start": "08:00", "end": "10:00"}
	}},
	{route: "DELETE /api/v1/admin/hours/:id", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/hours/" + itoa(f.spareHours)
	}},
	{route: "GET /api/v1/admin/closures", want: adminOnly},
	{route: "POST /api/v1/admin/closures", want: adminOnly, body: func(f *rbacFixture) any {
		return map[string]string{"date": f.today.AddDays(300).String(), "reason": "Betriebsausflug"}
	}},
	{route: "DELETE /api/v1/admin/closures/:id", want: adminOnly, path: func(f *rbacFixture) string {
		return "/api/v1/admin/closures/" + itoa(f.spareClosure)
	}},
	{route: "GET /api/v1/admin/mail", want: adminOnly},
	// The fixture's mails are pending, not failed: the admin passes the check and hears 409.
	{route: "POST /api/v1/admin/mail/:id/retry", want: who(rbac401, rbac401, rbac403, rbac403, rbacPass),
		path: func(*rbacFixture) string { return "/api/v1/admin/mail/1/retry" }},
	{route: "GET /api/v1/admin/audit", want: adminOnly},
	{route: "GET /api/v1/admin/archive", want: adminOnly},
	// Whether the archive may take a case over yet is not an access question.
	{route: "POST /api/v1/admin/cases/:number/archive", want: who(rbac401, rbac401, rbac403, rbac403, rbacPass),
		path: func(f *rbacFixture) string {
			return "/api/v1/admin/cases/" + f.done.Appointment.CaseNumber + "/archive"
		}},

	// Unknown paths: the admin group checks the role before it says "not found".
	{route: echo.RouteNotFound + " /*", want: who(rbac404, rbac404, rbac404, rbac404, rbac404),
		path: func(*rbacFixture) string { return "/no/such/page" }},
	{route: echo.RouteNotFound + " /api/v1", want: who(rbac404, rbac404, rbac404, rbac404, rbac404)},
	{route: echo.RouteNotFound + " /api/v1/*", want: who(rbac404, rbac404, rbac404, rbac404, rbac404),
		path: func(*rbacFixture) string { return "/api/v1/no-such-thing" }},
	{route: echo.RouteNotFound + " /api/v1/admin", want: who(rbac401, rbac401, rbac403, rbac403, rbac404)},
	{route: echo.RouteNotFound + " /api/v1/admin/*", want: who(rbac401, rbac401, rbac403, rbac403, rbac404),
		path: func(*rbacFixture) string { return "/api/v1/admin/no-such-thing" }},
}

var spareService = map[string]any{"name": "Ersatz", "description": "Nur für Tests", "duration_minutes": 20,
	"horizon_days": 10, "published": false}

// rbacPageRules: every page is public, and so is every asset of the
// current version.
func rbacPageRules() []rbacRule {
	paths := httpapi.PagePaths()
	rules := make([]rbacRule, 0, len(paths)+1)
	for _, p := range paths {
		rules = append(rules, rbacRule{route: "GET " + p, want: everyone, path: func(f *rbacFixture) string {
			return strings.NewReplacer(":token", "x", ":id", itoa(f.main.Appointment.ID)).Replace(p)
		}})
	}
	return append(rules, rbacRule{route: "GET /assets/:version/*", want: everyone,
		path: func(f *rbacFixture) string { return assetBase(f) + "/js/api.js" }})
}

// assetBase is the versioned asset path the start page links to.
func assetBase(f *rbacFixture) string {
	f.t.Helper()
	_, page := f.env.client().do("GET", "/", nil, nil)
	base := regexp.MustCompile(`/assets/[0-9a-f]+`).Find(page)
	if base == nil {
		f.t.Fatalf("start page names no asset version: %.300s", page)
	}
	return string(base)
}

// TestRBACMatrix asks every route of the app as each actor, with real
// objects, and compares the status with the rule for that route.
func TestRBACMatrix(t *testing.T) {
	f := newRBACFixture(t)
	rules := append(slices.Clip(rbacRules), rbacPageRules()...)

	registered := map[string]bool{}
	for _, r := range f.env.app.api.Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	listed := map[string]bool{}
	for _, r := range rules {
		if listed[r.route] {
			t.Errorf("route %s has two rules", r.route)
		}
		listed[r.route] = true
		if !registered[r.route] {
			t.Errorf("rule for %s, which the app no longer registers", r.route)
		}
	}
	for r := range registered {
		if !listed[r] {
			t.Errorf("new route without a rule: %s (add it to rbacRules)", r)
		}
	}

	for _, r := range rules {
		t.Run(r.route, func(t *testing.T) {
			for actor := range actorCount {
				method, path, body := r.request(f)
				status, raw := f.send(f.actor(actor, r.fresh), method, path, body)
				if !r.want[actor].holds(status) {
					t.Errorf("%s: %s %s: status %d, want %s: %.300s", actorNames[actor], method, path, status, r.want[actor], raw)
					continue
				}
				if strings.HasPrefix(path, "/api/") && (status == 401 || status == 403 || status == 404) {
					var e apiErr
					if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" {
						t.Errorf("%s: %s %s: refusal without a JSON error body: %.300s", actorNames[actor], method, path, raw)
					}
				}
			}
		})
	}
}

// TestForgedRequests: every state-changing route, taken from the same
// rules, refuses a request that a foreign page makes the browser of its
// most privileged actor send (issue 14, point 10), and every staff route
// refuses one without the session's CSRF token.
func TestForgedRequests(t *testing.T) {
	f := newRBACFixture(t)
	rules := append(slices.Clip(rbacRules), rbacPageRules()...)
	for _, r := range rules {
		method, pattern, _ := strings.Cut(r.route, " ")
		if (method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions) && pattern != httpapi.SignalingPath || method == echo.RouteNotFound {
			continue
		}
		t.Run(r.route, func(t *testing.T) {
			actor := actorAnon
			for _, a := range []int{actorAdmin, actorClerk, actorCitizen} {
				if r.want[a] == rbacOK || r.want[a] == rbacPass {
					actor = a
					break
				}
			}
			req := func(c *client, origin string) (int, []byte) {
				method, path, body := r.request(f)
				return f.sendFrom(c, origin, method, path, body)
			}
			if status, raw := req(f.actor(actor, r.fresh), "https://evil.example"); status != http.StatusForbidden {
				t.Errorf("%s from a foreign page: status %d, want 403: %.300s", actorNames[actor], status, raw)
			}
			if r.want[actorAnon] != rbac401 || (actor != actorAdmin && actor != actorClerk) {
				return // not a staff route
			}
			noToken := *f.actor(actor, r.fresh)
			noToken.csrf = ""
			if status, raw := req(&noToken, f.env.srv.URL); status != http.StatusForbidden {
				t.Errorf("%s without the CSRF token: status %d, want 403: %.300s", actorNames[actor], status, raw)
			}
		})
	}
}

// rbacFixture is an office on real time (the room's join window is open)
// with clerk A's appointments, another clerk B and an admin.
type rbacFixture struct {
	t     *testing.T
	env   *testEnv
	today booking.Date

	serviceID, otherID, spareUser int64
	spareService, spareHours      int64
	unusedService                 int64 // deleted by the admin
	spareClosure                  int64
	main, done                    booking.BookingResult // clerk A's; done has its status changed
	clients                       [actorCount]*client
	emails                        int
}

func newRBACFixture(t *testing.T) *rbacFixture {
	env := newTestEnvClock(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 0 }, time.Now)
	admin := env.login(testAdminEmail)
	svc, _ := openNow(env, admin)
	f := &rbacFixture{t: t, env: env, serviceID: svc, today: booking.DateOf(time.Now().In(env.cfg.Location()))}
	var u idJSON
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "b@amt.example", "name": "Herr Becker",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &u)
	f.otherID = u.ID
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "spare@amt.example", "name": "Ersatz",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &u)
	f.spareUser = u.ID
	admin.mustDo("POST", "/api/v1/admin/services", spareService, http.StatusCreated, &u)
	f.spareService = u.ID
	admin.mustDo("POST", "/api/v1/admin/services", spareService, http.StatusCreated, &u)
	f.unusedService = u.ID
	admin.mustDo("POST", "/api/v1/admin/services/"+itoa(f.spareService)+"/hours", map[string]any{"clerk_id": f.spareUser,
		"weekday": 1, "start": "08:00", "end": "09:00"}, http.StatusCreated, &u)
	f.spareHours = u.ID
	admin.mustDo("POST", "/api/v1/admin/closures", map[string]string{"date": f.today.AddDays(301).String()}, http.StatusCreated, &u)
	f.spareClosure = u.ID
	f.main, f.done = f.book(), f.book()

	citizen := env.client()
	citizen.mustDo("POST", "/api/v1/join/"+f.main.JoinToken, nil, http.StatusOK, nil)
	f.clients = [actorCount]*client{
		actorAnon: env.client(), actorCitizen: citizen, actorOther: env.login("b@amt.example"),
		actorClerk: env.login("clerk@amt.example"), actorAdmin: admin,
	}
	return f
}

// actor is the actor's client; fresh gives a new session of the same kind.
func (f *rbacFixture) actor(actor int, fresh bool) *client {
	if !fresh {
		return f.clients[actor]
	}
	switch actor {
	case actorCitizen:
		c := f.env.client()
		c.mustDo("POST", "/api/v1/join/"+f.book().JoinToken, nil, http.StatusOK, nil)
		return c
	case actorOther:
		return f.env.login("b@amt.example")
	case actorClerk:
		return f.env.login("clerk@amt.example")
	case actorAdmin:
		return f.env.login(testAdminEmail)
	}
	return f.env.client()
}

func (f *rbacFixture) email() string {
	f.emails++
	return fmt.Sprintf("buerger%d@example.org", f.emails)
}

// freeSlot is the first free slot of the main service that starts a
// minute or more from now.
func (f *rbacFixture) freeSlot() time.Time {
	f.t.Helper()
	slots, err := f.env.app.office.FreeSlots(context.Background(), f.serviceID, f.today, f.today.AddDays(1))
	if err != nil {
		f.t.Fatal(err)
	}
	for _, s := range slots {
		if time.Until(s.Start) > time.Minute {
			return s.Start
		}
	}
	f.t.Fatal("no free slot left")
	return time.Time{}
}

// book books a free slot with clerk A directly through the office, so the
// fixture does not depend on the public form's own checks.
func (f *rbacFixture) book() booking.BookingResult {
	f.t.Helper()
	res, err := f.env.app.office.Book(context.Background(), booking.BookingRequest{ServiceID: f.serviceID,
		Start: f.freeSlot(), Name: "Erika Mustermann", Email: f.email(), Consent: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// feedPath is a live calendar feed of clerk A.
func (f *rbacFixture) feedPath() string {
	var out struct {
		URL string `json:"url"`
	}
	f.clients[actorClerk].mustDo("POST", "/api/v1/clerk/calendar-feed", nil, http.StatusCreated, &out)
	return pathOf(f.t, out.URL)
}

// guestToken is a new one-time guest invitation to the main appointment.
func (f *rbacFixture) guestToken() string {
	var link httpapi.GuestLink
	f.clients[actorClerk].mustDo("POST", "/api/v1/clerk/appointments/"+itoa(f.main.Appointment.ID)+"/guest-link",
		nil, http.StatusCreated, &link)
	return lastSegment(link.URL)
}

// send makes the request as the browser of c would: same Origin, JSON,
// the CSRF header when c has a staff session. Event streams are only
// opened, and the websocket path gets a real handshake.
func (f *rbacFixture) send(c *client, method, path string, body any) (int, []byte) {
	f.t.Helper()
	return f.sendFrom(c, f.env.srv.URL, method, path, body)
}

// sendFrom is send as from a page of origin.
func (f *rbacFixture) sendFrom(c *client, origin, method, path string, body any) (int, []byte) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := f.env.srv.URL
	if path == httpapi.SignalingPath {
		d := websocket.Dialer{Jar: c.http.Jar}
		conn, resp, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(base, "http")+path, http.Header{"Origin": {origin}})
		if err == nil {
			conn.Close()
		}
		if resp == nil {
			f.t.Fatalf("websocket %s: %v", path, err)
		}
		return resp.StatusCode, nil
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			f.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, r)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp.StatusCode, nil
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, raw
}
