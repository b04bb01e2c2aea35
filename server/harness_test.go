package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// testNow is a Friday; the Monday after (2026-03-30) lies past a DST change.
var testNow = time.Date(2026, 3, 27, 8, 0, 0, 0, mustLoc("Europe/Berlin"))

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

const (
	testAdminEmail = "admin@amt.example"
	testPassword   = "correct horse battery staple"
)

type testEnv struct {
	t   *testing.T
	app *App
	srv *httptest.Server
	cfg Config

	sqlOnce sync.Once // rawSQL
	sql     *gorm.DB
}

// localMedia keeps a test's media server on loopback and free ports.
var localMedia = map[string]string{
	"SPRECHSTUNDE_SFU_UDP_PORT":                 "0",
	"SPRECHSTUNDE_SFU_TCP_PORT":                 "0",
	"SPRECHSTUNDE_SFU_TURN_PORT":                "0",
	"SPRECHSTUNDE_SFU_LOOPBACK_ONLY":            "true",
	"SPRECHSTUNDE_SFU_TURN_ALLOW_PRIVATE_PEERS": "true",
	// Loopback candidates are refused unless allowed.
	"SPRECHSTUNDE_SFU_ICE_ALLOWED_PRIVATE_NETWORKS": "127.0.0.0/8",
}

// newTestEnv starts the whole application on a fresh database of kind with
// an admin from config; change adjusts the config first.
func newTestEnv(t *testing.T, kind string, change func(*Config)) *testEnv {
	t.Helper()
	return newTestEnvClock(t, kind, change, func() time.Time { return testNow })
}

// newTestEnvClock is newTestEnv with a given clock (time.Now for tests
// that talk to the media server, which runs on real time).
func newTestEnvClock(t *testing.T, kind string, change func(*Config), now func() time.Time) *testEnv {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dsn := storetest.DSN(t, kind)
	env := map[string]string{
		"SPRECHSTUNDE_PUBLIC_URL":     "http://" + ln.Addr().String(),
		"SPRECHSTUNDE_DATABASE":       dsn,
		"SPRECHSTUNDE_DATA_DIR":       testDataDir(t, dsn),
		"SPRECHSTUNDE_ADMIN_EMAIL":    testAdminEmail,
		"SPRECHSTUNDE_ADMIN_PASSWORD": testPassword,
		// Tests not about the booking challenge book without one; those
		// about it, and the browser tests, turn it on.
		"SPRECHSTUNDE_BOOKING_CHALLENGE_ENABLED": "false",
	}
	for k, v := range localMedia {
		env[k] = v
	}
	cfg, err := Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := NewApp(context.Background(), cfg, log, WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.bootstrap(context.Background(), io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(app.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() { srv.Close(); _ = app.Close() })
	return &testEnv{t: t, app: app, srv: srv, cfg: cfg}
}

// client is one browser or integrator with its own cookies and CSRF token.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (e *testEnv) client() *client { return newClient(e.t, e.srv.URL) }

func (e *testEnv) login(email string) *client { return loginAt(e.t, e.srv.URL, email) }

// loginAt returns a client of the server at base logged in as email.
func loginAt(t *testing.T, base, email string) *client {
	t.Helper()
	c := newClient(t, base)
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	c.mustDo(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": testPassword}, http.StatusOK, &out)
	c.csrf = out.CSRFToken
	return c
}

// do sends body (JSON-encoded unless it is a string) and decodes the answer
// into out when given; it returns the status and the raw body.
func (c *client) do(method, path string, body any, out any) (int, []byte) {
	c.t.Helper()
	status, raw, err := c.tryDo(method, path, body, out)
	if err != nil {
		c.t.Fatal(err)
	}
	return status, raw
}

// tryDo is do for servers that may vanish: transport errors are returned.
func (c *client) tryDo(method, path string, body any, out any) (int, []byte, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		buf, _ := json.Marshal(b)
		r = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, fmt.Errorf("%s %s: decode %q: %w", method, path, raw, err)
		}
	}
	return resp.StatusCode, raw, nil
}

func (c *client) mustDo(method, path string, body any, want int, out any) []byte {
	c.t.Helper()
	got, raw := c.do(method, path, body, out)
	if got != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, raw)
	}
	return raw
}

// apiErr is the error body every 4xx carries.
type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

type idJSON struct {
	ID int64 `json:"id"`
}

func (e *testEnv) office(admin *client, clerkEmail string) (clerkID, serviceID int64) {
	return setupOffice(admin, clerkEmail, []int{1}, "09:00", "12:00")
}

// setupOffice creates a clerk with the given weekly hours for a new
// 30-minute service and returns their IDs.
func setupOffice(admin *client, clerkEmail string, weekdays []int, start, end string) (clerkID, serviceID int64) {
	admin.t.Helper()
	var u, s idJSON
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": clerkEmail, "name": "Clerk " + clerkEmail,
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &u)
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Beratung", "description": "Allgemein",
		"duration_minutes": 30, "buffer_minutes": 0, "min_notice_minutes": 60, "horizon_days": 30, "published": true}, http.StatusCreated, &s)
	for _, wd := range weekdays {
		admin.mustDo("POST", "/api/v1/admin/services/"+itoa(s.ID)+"/hours", map[string]any{"clerk_id": u.ID, "weekday": wd,
			"start": start, "end": end}, http.StatusCreated, nil)
	}
	return u.ID, s.ID
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// openNow gives a clerk ("Frau Schmidt", clerk@amt.example) round-the-clock
// hours for a new ten-minute service without notice, so that on real time
// a slot starts within minutes and its join window is open. It returns the
// service and its free slots of today and tomorrow.
func openNow(env *testEnv, admin *client) (serviceID int64, slots []slotOut) {
	env.t.Helper()
	var u, s idJSON
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "clerk@amt.example", "name": "Frau Schmidt",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &u)
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Kurz", "duration_minutes": 10,
		"horizon_days": 2, "published": true}, http.StatusCreated, &s)
	for wd := 1; wd <= 7; wd++ {
		admin.mustDo("POST", "/api/v1/admin/services/"+itoa(s.ID)+"/hours", map[string]any{"clerk_id": u.ID, "weekday": wd,
			"start": "00:00", "end": "24:00"}, http.StatusCreated, nil)
	}
	today := time.Now().In(env.cfg.Location())
	env.client().mustDo("GET", "/api/v1/services/"+itoa(s.ID)+"/slots?from="+today.Format(time.DateOnly)+
		"&to="+today.AddDate(0, 0, 1).Format(time.DateOnly), nil, http.StatusOK, &slots)
	return s.ID, slots
}
