package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/server/altcha"
)

// solveChallenge fetches a booking challenge as c and solves it by brute
// force, as the booking page's worker does.
func (c *client) solveChallenge() (altcha.Challenge, int64) {
	c.t.Helper()
	var ch altcha.Challenge
	c.mustDo("GET", "/api/v1/bookings/challenge", nil, http.StatusOK, &ch)
	for n := range ch.MaxNumber + 1 {
		sum := sha256.Sum256([]byte(ch.Salt + strconv.FormatInt(n, 10)))
		if hex.EncodeToString(sum[:]) == ch.Challenge {
			return ch, n
		}
	}
	c.t.Fatalf("challenge %+v has no solution", ch)
	return ch, 0
}

// solvedChallenge is the payload of a solved challenge, for a booking.
func (c *client) solvedChallenge() string {
	c.t.Helper()
	ch, n := c.solveChallenge()
	return challengePayload(c.t, ch, n)
}

func challengePayload(t *testing.T, ch altcha.Challenge, n int64) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"algorithm": ch.Algorithm, "challenge": ch.Challenge, "number": n,
		"salt": ch.Salt, "signature": ch.Signature, "took": 1})
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// TestBookingChallenge: with the challenge on, a booking without a valid,
// fresh and unused solution is refused with 400 naming the field altcha,
// before anything is booked; with one it books.
func TestBookingChallenge(t *testing.T) {
	clk := &testClock{t: testNow}
	env := newTestEnvClock(t, "sqlite", func(c *Config) {
		c.BookingChallenge = BookingChallengeConfig{Enabled: true, MaxNumber: 500, TTL: 10 * time.Minute}
		c.RateLimitPerMinute = 0
	}, clk.now)
	admin := env.login(testAdminEmail)
	_, svc := env.office(admin, "clerk@amt.example")
	c := env.client()
	book := func(start string, solution *string) (int, apiErr) {
		body := map[string]any{"service_id": svc, "start": start, "name": "Erika Mustermann",
			"email": "erika@example.org", "consent": true}
		if solution != nil {
			body["altcha"] = *solution
		}
		var e apiErr
		st, _ := c.do("POST", "/api/v1/bookings", body, &e)
		return st, e
	}
	ptr := func(s string) *string { return &s }
	var used string
	tests := []struct {
		name     string
		solution func() *string
		want     int
		reason   string // in fields.altcha
	}{
		{"missing", func() *string { return nil }, 400, "is required"},
		{"empty", func() *string { return ptr("") }, 400, "is required"},
		{"not base64", func() *string { return ptr("%%%") }, 400, "base64"},
		{"not JSON", func() *string { return ptr(base64.StdEncoding.EncodeToString([]byte("{"))) }, 400, "base64"},
		{"wrong number", func() *string { ch, n := c.solveChallenge(); return ptr(challengePayload(t, ch, n+1)) }, 400, "does not solve"},
		{"tampered signature", func() *string {
			ch, n := c.solveChallenge()
			ch.Signature = strings.Repeat("a", 64)
			return ptr(challengePayload(t, ch, n))
		}, 400, "does not solve"},
		{"wrong algorithm", func() *string {
			ch, n := c.solveChallenge()
			ch.Algorithm = "SHA-1"
			return ptr(challengePayload(t, ch, n))
		}, 400, "SHA-256"},
		{"expired", func() *string {
			p := c.solvedChallenge()
			clk.add(10*time.Minute + 2*time.Second)
			return &p
		}, 400, "expired"},
		{"valid", func() *string { used = c.solvedChallenge(); return &used }, 201, ""},
		{"replayed", func() *string { return &used }, 400, "already used"},
	}
	starts := []string{"2026-03-30T09:00:00+02:00", "2026-03-30T09:30:00+02:00"}
	booked := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, e := book(starts[booked], tt.solution())
			if st != tt.want {
				t.Fatalf("status %d, want %d: %+v", st, tt.want, e)
			}
			if st == http.StatusCreated {
				booked++
				return
			}
			if e.Error.Code != "challenge_failed" || !strings.Contains(e.Error.Fields["altcha"], tt.reason) {
				t.Errorf("error %+v, want fields.altcha with %q", e.Error, tt.reason)
			}
		})
	}
	var appts []map[string]any
	env.login("clerk@amt.example").mustDo("GET", "/api/v1/clerk/appointments?from=2026-03-30&to=2026-03-30", nil, http.StatusOK, &appts)
	if len(appts) != 1 {
		t.Errorf("%d appointments booked, want exactly the one with a valid solution", len(appts))
	}
}

// TestBookingChallengeEndpoint: the challenge is never cached, counts
// against the public per-IP limit, and is 204 when the office runs
// without; then bookings need no solution.
func TestBookingChallengeEndpoint(t *testing.T) {
	get := func(env *testEnv) *http.Response {
		t.Helper()
		resp, err := http.Get(env.srv.URL + "/api/v1/bookings/challenge")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	on := newTestEnv(t, "sqlite", func(c *Config) {
		c.BookingChallenge = defaultBookingChallenge()
		c.RateLimitPerMinute = 2
	})
	var ch map[string]any
	on.client().mustDo("GET", "/api/v1/bookings/challenge", nil, http.StatusOK, &ch)
	if ch["algorithm"] != "SHA-256" || ch["maxnumber"] != float64(defaultBookingChallenge().MaxNumber) ||
		len(ch["challenge"].(string)) != 64 || !strings.Contains(ch["salt"].(string), "?expires=") || len(ch["signature"].(string)) != 64 {
		t.Errorf("challenge %v", ch)
	}
	if resp := get(on); resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("second challenge: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp := get(on); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("third challenge within a minute at 2 per minute: %d, want 429", resp.StatusCode)
	}

	off := newTestEnv(t, "sqlite", nil) // the harness turns it off
	if resp := get(off); resp.StatusCode != http.StatusNoContent {
		t.Errorf("challenge while off: %d, want 204", resp.StatusCode)
	}
	admin := off.login(testAdminEmail)
	_, svc := off.office(admin, "clerk@amt.example")
	off.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": "2026-03-30T09:00:00+02:00",
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, nil)
}
