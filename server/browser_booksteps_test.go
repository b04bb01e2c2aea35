package server

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserBookingStepsPhone books on a 390 px phone: the browser's back
// button steps back through the booking (form -> times) without leaving
// the page, a time lost to another booking disappears from the picker at
// once, and the confirmation's values keep a readable column with whole
// words.
func TestBrowserBookingStepsPhone(t *testing.T) {
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

	p := newBrowser(t, env.srv.URL).tab("phone")
	p.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile))
	p.open("/?lang=de") // the long German labels squeezed the values
	p.click("[data-service]")
	p.wait("times", `document.documentElement.dataset.view === "v-slots" && document.querySelectorAll("#day-times .time").length > 2`)
	// A time a minute away at least, so that the clock cannot pass it.
	pick := `[...document.querySelectorAll("#day-times .time")].find((b) => new Date(b.dataset.start) - Date.now() > 120000)`
	first := eval[string](p, pick+`.dataset.start`)

	// Back from the form returns to the picker, on the same page.
	eval[bool](p, `(`+pick+`.click(), true)`)
	p.wait("form", `document.documentElement.dataset.view === "v-form"`)
	eval[bool](p, `(history.back(), true)`)
	p.wait("picker after back", `document.documentElement.dataset.view === "v-slots" && location.pathname === "/"`)

	// Somebody else books the time; the page still offers it until told.
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": s.ID, "start": first,
		"name": "Max Muster", "email": "max@example.org", "consent": true}, http.StatusCreated, nil)
	sel := `#day-times .time[data-start="` + first + `"]`
	p.click(sel)
	p.wait("form again", `document.documentElement.dataset.view === "v-form"`)
	p.fill("#f-name", "Erika Mustermann")
	p.fill("#f-email", "erika@example.org")
	p.click("#f-consent")
	p.click("#book-submit")
	p.wait("lost race: back at the times without the taken one",
		`document.documentElement.dataset.view === "v-slots" && !document.getElementById("slots-notice").hidden && `+
			`document.querySelector("#day-times .time") && !document.querySelector(`+jsString(sel)+`)`)
	if got := eval[string](p, `document.activeElement.id`); got != "slots-notice" {
		t.Errorf("focus on %q after the lost race, want the notice", got)
	}

	// Another time books; the confirmation fits the phone.
	second := `#day-times .time[data-start="` + eval[string](p, pick+`.dataset.start`) + `"]`
	p.click(second)
	p.wait("form for another time", `document.documentElement.dataset.view === "v-form"`)
	p.click("#book-submit")
	p.wait("confirmation", `document.documentElement.dataset.view === "v-done"`)
	for _, problem := range eval[[]string](p, confirmationLayoutProblems) {
		t.Errorf("confirmation at 390 px: %s", problem)
	}
	p.axeCheck("booking confirmation phone")
	booked := eval[string](p, `document.getElementById("done-case").textContent`)
	if booked == "" {
		t.Fatal("no case number on the confirmation")
	}

	// Back from the confirmation leads to the picker, not to the form.
	eval[bool](p, `(history.back(), true)`)
	p.wait("picker after the confirmation, without the booked time", `document.documentElement.dataset.view === "v-slots" && `+
		`location.pathname === "/" && document.querySelector("#day-times .time") && !document.querySelector(`+jsString(second)+`)`)
}

// confirmationLayoutProblems lists value cells narrower than 120 px, words
// split over two lines (links may break anywhere) and horizontal overflow.
const confirmationLayoutProblems = `(() => {
	const bad = [];
	if (document.documentElement.scrollWidth > innerWidth) bad.push("page wider than the screen: " + document.documentElement.scrollWidth);
	for (const dd of document.querySelectorAll("#done-box dd")) {
		const w = dd.getBoundingClientRect().width;
		if (w < 120) bad.push("value column " + Math.round(w) + " px: " + dd.textContent);
		const walk = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode());) {
			if (n.parentElement.closest("a")) continue;
			for (const m of n.data.matchAll(/\S+/g)) {
				const r = document.createRange();
				r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
				if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) bad.push("word broken: " + m[0]);
			}
		}
	}
	return bad;
})()`
