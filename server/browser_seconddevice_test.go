package server

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestBrowserStaffSecondDevice: a citizen waiting from a second device is
// flagged in the calendar's live waiting list as in the console, and the
// arrival is announced as such, in German and English.
func TestBrowserStaffSecondDevice(t *testing.T) {
	env := browserEnv(t, func(c *Config) { c.BookingChallenge.Enabled = false }) // booked over the API
	admin := env.login(testAdminEmail)
	svc, slots := openNow(env, admin)
	f := &roomFixture{env: env, admin: admin}
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": slots[0].Start,
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, &f.booking)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	b := newBrowser(t, env.srv.URL)
	clk := b.tab("console")
	clk.signIn("clerk@amt.example")

	// The citizen's first device waits and is admitted in the console.
	_, first := f.joinAndDial(t, ctx, env.client())
	clk.open("/staff/console/" + itoa(f.booking.ID))
	clk.wait("clerk connected", `document.documentElement.dataset.room === "admitted"`)
	clk.wait("citizen waiting", `document.querySelector("#waiting-list [data-admit]")`)
	clk.click("#waiting-list [data-admit]")
	if _, err := first.WaitType(ctx, "admitted"); err != nil {
		t.Fatalf("first device not admitted: %v", err)
	}

	// The same join link opened in another browser waits as a second device.
	cal := b.tab("calendar")
	cal.open("/staff?lang=de")
	cal.wait("calendar", `document.documentElement.dataset.view === "v-calendar"`)
	f.joinAndDial(t, ctx, env.client())
	clk.wait("console flags the second device", `document.querySelector("#waiting-list [data-second-device]")`)
	cal.wait("calendar flags the second device", `document.querySelector("#waiting-now [data-second-device]")?.textContent.startsWith("Zweites Gerät")`)
	cal.wait("arrival announced as a second device", `document.getElementById("live-status").textContent.includes("zweiten Gerät")`)
	cal.a11y("staff calendar second device")
	cal.switchLang("en")
	cal.wait("flag in English", `document.querySelector("#waiting-now [data-second-device]").textContent.startsWith("Second device")`)
	cal.wait("announcement in English", `document.getElementById("live-status").textContent.includes("second device")`)
}

// signIn signs in on the staff page with the test password and waits for
// the calendar.
func (tb *tab) signIn(email string) {
	tb.t.Helper()
	tb.open("/staff")
	tb.wait("login form", `document.documentElement.dataset.view === "v-login"`)
	tb.fill("#l-email", email)
	tb.fill("#l-password", testPassword)
	tb.click("#login-form button[type=submit]")
	tb.wait("calendar", `document.documentElement.dataset.view === "v-calendar"`)
}
