package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBrowserTooEarlySaysJoinEarly: a citizen who comes before the room
// opens is told the configured join_early, not a fixed 15 minutes.
func TestBrowserTooEarlySaysJoinEarly(t *testing.T) {
	env := browserEnv(t, func(c *Config) {
		c.JoinEarly = 30 * time.Minute
		c.BookingChallenge.Enabled = false // booked over the API below
	})
	svc, slots := openNow(env, env.login(testAdminEmail))
	start := ""
	for _, s := range slots {
		if at, err := time.Parse(time.RFC3339, s.Start); err == nil && time.Until(at) > time.Hour {
			start = s.Start
			break
		}
	}
	if start == "" {
		t.Fatal("no slot more than an hour ahead")
	}
	var bk bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": start,
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, &bk)

	cit := newBrowser(t, env.srv.URL).tab("citizen")
	cit.open(pathOf(t, bk.JoinURL))
	cit.wait("device check", `location.pathname === "/join" && document.documentElement.dataset.view === "v-check"`)
	cit.wait("camera preview", `document.getElementById("preview").videoWidth > 0`)
	cit.click("#to-waiting")
	cit.wait("refused as too early", `document.documentElement.dataset.view === "v-end"`)
	if got := eval[string](cit, `document.getElementById("end-reason").textContent`); !strings.Contains(got, "30 Minuten") {
		t.Errorf("end page says %q, want 30 Minuten", got)
	}
}
