package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
)

// loginReq is a login request as a browser on this origin sends it.
func loginReq(email, password string) *http.Request {
	body, _ := json.Marshal(httpapi.LoginRequest{Email: email, Password: password})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// serveIn answers req in process.
func serveIn(env *testEnv, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	env.app.Handler().ServeHTTP(rec, req)
	return rec
}

// TestHashGateBoundsParallelLogins: however many logins arrive at once,
// no more hashes run than the gate has slots; the rest wait or get 503.
func TestHashGateBoundsParallelLogins(t *testing.T) {
	const slots, parallel = 2, 24
	env := newTestEnv(t, "sqlite", func(c *Config) {
		c.RateLimitPerMinute = 0
		c.PasswordHashConcurrency = slots
	})
	var most, hashes atomic.Int64
	env.app.hashes.Held = func(running int) {
		hashes.Add(1)
		for cur := most.Load(); int64(running) > cur && !most.CompareAndSwap(cur, int64(running)); cur = most.Load() {
		}
	}
	var wg sync.WaitGroup
	codes := make([]int, parallel)
	for i := range parallel {
		wg.Go(func() {
			// One name each, so the account throttle stays out of it;
			// unknown names are hashed against the dummy hash.
			email := fmt.Sprintf("nobody%d@amt.example", i)
			if i == 0 {
				email = testAdminEmail
			}
			codes[i] = serveIn(env, loginReq(email, testPassword)).Code
		})
	}
	wg.Wait()
	answered := 0
	for i, code := range codes {
		switch code {
		case http.StatusOK, http.StatusUnauthorized:
			answered++
		case http.StatusServiceUnavailable:
		default:
			t.Errorf("login %d: status %d", i, code)
		}
	}
	if most.Load() > slots {
		t.Errorf("%d hashes ran at once, want at most %d", most.Load(), slots)
	}
	if hashes.Load() < int64(answered) {
		t.Errorf("%d logins answered but only %d hashes went through the gate", answered, hashes.Load())
	}
}

// TestHashGateBusy: with every slot taken, a login (known or unknown
// address) and a password change are answered 503 with Retry-After at
// once, not queued for the whole flood.
func TestHashGateBusy(t *testing.T) {
	env := newTestEnv(t, "sqlite", func(c *Config) {
		c.RateLimitPerMinute = 0
		c.PasswordHashConcurrency = 1
	})
	admin := env.login(testAdminEmail)
	gate := env.app.hashes
	gate.Wait = 10 * time.Millisecond
	entered, release := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	gate.Held = func(int) {
		if first.CompareAndSwap(false, true) {
			close(entered)
			<-release
		}
	}
	holder := make(chan int, 1)
	go func() { holder <- serveIn(env, loginReq(testAdminEmail, testPassword)).Code }()
	<-entered // the only slot is held until release

	tests := []struct {
		name string
		req  *http.Request
	}{
		{"login known address", loginReq(testAdminEmail, testPassword)},
		{"login unknown address", loginReq("nobody@amt.example", testPassword)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serveIn(env, tt.req)
			var body apiErr
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			if rec.Code != http.StatusServiceUnavailable || body.Error.Code != "busy" || rec.Header().Get("Retry-After") != "1" {
				t.Fatalf("status %d, Retry-After %q, body %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
			}
		})
	}
	t.Run("new account", func(t *testing.T) {
		code, raw := admin.do("POST", "/api/v1/admin/users", map[string]any{
			"email": "new@amt.example", "name": "Neu", "password": testPassword, "role": "clerk",
		}, nil)
		if code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503: %s", code, raw)
		}
	})
	close(release)
	if code := <-holder; code != http.StatusOK {
		t.Errorf("the login holding the slot: status %d", code)
	}
}

// TestAccountThrottle: consecutive failures for one account make it wait
// a growing delay (429 with Retry-After, nothing hashed), while another
// account signs in as usual; after the wait the right password works.
func TestAccountThrottle(t *testing.T) {
	clock := &testClock{t: testNow}
	env := newTestEnvClock(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 0 }, clock.now)
	admin := env.login(testAdminEmail)
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{
		"email": "clerk@amt.example", "name": "Schmidt", "password": testPassword, "role": "clerk",
	}, http.StatusCreated, nil)

	const victim = "Admin@AMT.example " // normalised like the login does
	attempt := func(t *testing.T, want int, retryAfter string) {
		t.Helper()
		rec := serveIn(env, loginReq(victim, "wrong password, again"))
		if rec.Code != want || rec.Header().Get("Retry-After") != retryAfter {
			t.Fatalf("status %d Retry-After %q, want %d %q: %s", rec.Code, rec.Header().Get("Retry-After"), want, retryAfter, rec.Body)
		}
		if code := serveIn(env, loginReq("clerk@amt.example", testPassword)).Code; code != http.StatusOK {
			t.Fatalf("the other account: status %d", code)
		}
	}
	for range httpapi.LoginFreeFailures {
		attempt(t, http.StatusUnauthorized, "")
	}
	for _, delay := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		attempt(t, http.StatusUnauthorized, "") // this failure starts the delay
		attempt(t, http.StatusTooManyRequests, fmt.Sprint(delay.Seconds()))
		clock.add(delay - time.Second)
		attempt(t, http.StatusTooManyRequests, "1")
		clock.add(time.Second)
	}
	if code := serveIn(env, loginReq(victim, testPassword)).Code; code != http.StatusOK {
		t.Fatalf("right password after the wait: status %d", code)
	}
	attempt(t, http.StatusUnauthorized, "") // the success cleared the count
}

// TestAccountThrottleParallel: guesses for one account sent all at once
// get no more passwords checked than the same guesses sent one by one.
func TestAccountThrottleParallel(t *testing.T) {
	env := newTestEnv(t, "sqlite", func(c *Config) {
		c.RateLimitPerMinute = 0
		c.PasswordHashConcurrency = 8
	})
	const parallel = 24
	codes := make(chan int, parallel)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() { codes <- serveIn(env, loginReq(testAdminEmail, "a guess")).Code })
	}
	wg.Wait()
	close(codes)
	checked := 0
	for code := range codes {
		switch code {
		case http.StatusUnauthorized:
			checked++
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		default:
			t.Errorf("status %d", code)
		}
	}
	if checked > httpapi.LoginFreeFailures+1 {
		t.Fatalf("%d of %d parallel guesses were checked, want at most %d", checked, parallel, httpapi.LoginFreeFailures+1)
	}
}

// TestRefusedLoginsAudited: a thousand rate-limited login attempts from
// one address leave one audit entry per minute with their count.
func TestRefusedLoginsAudited(t *testing.T) {
	clock := &testClock{t: testNow}
	env := newTestEnvClock(t, "sqlite", nil, clock.now) // default limit: 10 logins a minute
	ctx := context.Background()
	flood := func() int {
		refused := 0
		for range 1000 {
			req := loginReq("someone@amt.example", "guess")
			req.RemoteAddr = "198.51.100.7:40000"
			rec := serveIn(env, req)
			if rec.Code == http.StatusTooManyRequests {
				refused++
				if rec.Header().Get("Retry-After") == "" {
					t.Fatal("429 without Retry-After")
				}
			}
		}
		return refused
	}
	var want []string
	for minute := range 2 {
		n := flood()
		if n < 900 {
			t.Fatalf("minute %d: only %d of 1000 attempts refused", minute, n)
		}
		want = append(want, fmt.Sprintf("count=%d minute=%s", n, clock.now().Truncate(time.Minute).UTC().Format(time.RFC3339)))
		clock.add(time.Minute)
		env.app.api.FlushRefusedLogins(ctx)
	}

	entries, err := env.app.store.AuditPage(ctx, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(entries) - 1; i >= 0; i-- { // oldest first
		e := entries[i]
		if e.Action != booking.ActionLoginRateLimited {
			continue
		}
		if e.Object != "source:198.51.100.0/24" {
			t.Errorf("object %q", e.Object)
		}
		got = append(got, e.Detail)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("audit entries %q, want %q", got, want)
	}
}
