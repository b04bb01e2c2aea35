package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowserConfirmationWithoutMail: with no SMTP relay configured the
// confirmation page does not claim a mail was sent; it tells the citizen
// to keep the links.
func TestBrowserConfirmationWithoutMail(t *testing.T) {
	env := browserEnv(t, func(c *Config) { c.BookingChallenge.Enabled = false })
	admin := env.login(testAdminEmail)
	var u, s idJSON
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "clerk@amt.example", "name": "Frau Schmidt",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &u)
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Kurzberatung", "duration_minutes": 10,
		"min_notice_minutes": 0, "horizon_days": 3, "published": true}, http.StatusCreated, &s)
	for wd := 1; wd <= 7; wd++ {
		admin.mustDo("POST", "/api/v1/admin/services/"+itoa(s.ID)+"/hours", map[string]any{"clerk_id": u.ID, "weekday": wd,
			"start": "00:00", "end": "24:00"}, http.StatusCreated, nil)
	}
	p := newBrowser(t, env.srv.URL).tab("citizen")
	p.open("/?lang=de")
	p.click("[data-service]")
	p.wait("times", `document.documentElement.dataset.view === "v-slots" && document.querySelectorAll("#day-times .time").length > 2`)
	eval[bool](p, `([...document.querySelectorAll("#day-times .time")].find((b) => new Date(b.dataset.start) - Date.now() > 120000).click(), true)`)
	p.wait("form", `document.documentElement.dataset.view === "v-form"`)
	p.fill("#f-name", "Erika Mustermann")
	p.fill("#f-email", "erika@example.org")
	p.click("#f-consent")
	p.click("#book-submit")
	p.wait("confirmation", `document.documentElement.dataset.view === "v-done"`)
	intro := eval[string](p, `document.getElementById("done-intro").textContent`)
	if strings.Contains(intro, "geschickt") || !strings.Contains(intro, "nicht schicken") {
		t.Errorf("confirmation without SMTP says %q", intro)
	}
	p.axeCheck("confirmation without mail [de]")
}
