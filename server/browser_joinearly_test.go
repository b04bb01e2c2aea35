package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBrowserTooEarlySaysJoinEarly: a citizen who comes before the room
// opens is told so before the device check, under its own heading, with
// the configured join_early (not a fixed 15 minutes) and the opening time
// on the office's clock.
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
	cit.open(pathOf(t, bk.JoinURL) + "?lang=de")
	// Said before the device check, under its own heading.
	cit.wait("too early", `location.pathname === "/join" && document.documentElement.dataset.view === "v-early"`)
	if h := eval[string](cit, `document.querySelector("#v-early h1").textContent`); h != "Der Warteraum ist noch nicht geöffnet" {
		t.Errorf("heading %q", h)
	}
	at, _ := time.Parse(time.RFC3339, start)
	opens := at.Add(-30 * time.Minute).In(env.cfg.Location()).Format("15:04")
	if got := eval[string](cit, `document.getElementById("early-text").textContent`); !strings.Contains(got, "30 Minuten") || !strings.Contains(got, "um "+opens+" Uhr") {
		t.Errorf("too-early text %q, want 30 Minuten and the opening at %s", got, opens)
	}
	if eval[bool](cit, `!!document.getElementById("preview").srcObject`) {
		t.Error("the device check started although the room is not open")
	}
	cit.checkpoint("join too early")
}
