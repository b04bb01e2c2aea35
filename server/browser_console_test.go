package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// consoleFixture books the first slot of openNow for a citizen and signs
// the clerk in; the console tab is not opened yet.
func consoleFixture(t *testing.T, env *testEnv) (*roomFixture, *browser, *tab) {
	t.Helper()
	admin := env.login(testAdminEmail)
	svc, slots := openNow(env, admin)
	f := &roomFixture{env: env, admin: admin}
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": slots[0].Start,
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, &f.booking)
	b := newBrowser(t, env.srv.URL)
	clk := b.tab("console")
	clk.signIn("clerk@amt.example")
	return f, b, clk
}

// TestBrowserConsoleSinceInOfficeZone: the console's "waiting since" is the
// citizen's arrival on the office's wall clock, although the media server
// reports it in UTC and the browser runs in another zone.
func TestBrowserConsoleSinceInOfficeZone(t *testing.T) {
	env := browserEnv(t, func(c *Config) {
		c.BookingChallenge.Enabled = false // booked over the API
		c.Timezone = "Asia/Kolkata"        // +05:30: neither UTC nor a whole hour off it
	})
	f, _, clk := consoleFixture(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	clk.open("/staff/console/" + itoa(f.booking.ID) + "?lang=de")
	clk.wait("clerk connected", `document.documentElement.dataset.room === "admitted"`)

	loc := env.cfg.Location()
	before := time.Now().In(loc)
	f.joinAndDial(t, ctx, env.client())
	clk.wait("citizen waiting", `document.querySelector("#waiting-list [data-admit]")`)
	after := time.Now().In(loc)
	got := eval[string](clk, `document.querySelector("#waiting-list li").textContent`)
	if !strings.Contains(got, "seit "+before.Format("15:04")+" Uhr") && !strings.Contains(got, "seit "+after.Format("15:04")+" Uhr") {
		t.Errorf("waiting item %q, want the arrival %s (office time)", got, before.Format("15:04"))
	}
}
