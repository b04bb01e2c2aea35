package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserLanguages: a browser that prefers Ukrainian gets Ukrainian
// pages on a first visit; ?lang=tr shows the booking page in Turkish; an
// Arabic page runs right to left with no axe violations; staff pages stay
// German or English whatever was chosen; a citizen who books on the
// English pages, without touching the conversation language, gets the
// confirmation in English with links that open the pages in English.
func TestBrowserLanguages(t *testing.T) {
	sink := startSMTP(t)
	env := browserEnv(t, func(c *Config) {
		c.BookingChallenge.Enabled = false
		c.SMTPURL, c.MailFrom = sink.url(), "termine@amt.example"
	})
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

	b := newBrowser(t, env.srv.URL, chromedp.Flag("accept-lang", "uk-UA,uk,de"))
	p := b.tab("citizen")
	p.open("/")
	if got := eval[string](p, `document.documentElement.lang`); got != "uk" {
		t.Errorf("first visit with Accept-Language uk: page in %q", got)
	}

	p.open("/?lang=tr")
	if got := eval[string](p, `document.querySelector("h1").textContent`); got != "Video görüşme randevusu alın" {
		t.Errorf("?lang=tr: heading %q", got)
	}
	p.screenshots("book [tr]")
	p.open("/staff?lang=tr")
	if got := eval[string](p, `document.documentElement.lang`); got != "de" && got != "en" {
		t.Errorf("staff page in %q", got)
	}

	p.open("/?lang=ar")
	if got := eval[string](p, `document.dir + " " + getComputedStyle(document.querySelector("main")).direction`); got != "rtl rtl" {
		t.Errorf("Arabic page: dir and direction %q, want rtl", got)
	}
	if w := eval[int](p, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("Arabic page %d px wider than the window", w)
	}
	p.axeCheck("booking page [ar]")
	p.screenshots("book [ar]")
	// Times as in the mails: Western digits, 24-hour clock.
	p.click("[data-service]")
	p.wait("times [ar]", `document.querySelectorAll("#day-times .time").length > 0`)
	if got := eval[string](p, `document.querySelector("#day-times .time").textContent.trim()`); !regexp.MustCompile(`^\d\d:\d\d$`).MatchString(got) {
		t.Errorf("Arabic time button %q, want 24-hour Western digits", got)
	}
	p.open("/datenschutz") // the choice holds on the next page
	if got := eval[string](p, `document.documentElement.lang + " " + document.dir`); got != "ar rtl" {
		t.Errorf("next page after choosing Arabic: %q", got)
	}
	p.axeCheck("privacy notice [ar]")
	p.screenshots("privacy notice [ar]")

	// Every citizen language: the static pages pass axe-core and show no
	// catalog key in place of a text.
	for _, lang := range []string{"tr", "ar", "uk", "ru", "pl"} {
		for _, page := range []string{"/", "/datenschutz", "/barrierefreiheit", "/impressum"} {
			p.open(page + "?lang=" + lang)
			if raw := eval[[]string](p, `[...document.querySelectorAll("[data-i18n]")].filter((e) => e.textContent === e.dataset.i18n).map((e) => e.dataset.i18n)`); len(raw) > 0 {
				t.Errorf("%s [%s] shows keys: %v", page, lang, raw)
			}
			p.axeCheck(page + " [" + lang + "]")
		}
	}

	p.open("/?lang=en")
	p.click("[data-service]")
	p.wait("times", `document.documentElement.dataset.view === "v-slots" && document.querySelectorAll("#day-times .time").length > 0`)
	eval[bool](p, `([...document.querySelectorAll("#day-times .time")].find((b) => new Date(b.dataset.start) - Date.now() > 120000).click(), true)`)
	p.wait("form", `document.documentElement.dataset.view === "v-form"`)
	p.fill("#f-name", "Jean Dupont")
	p.fill("#f-email", "jean@example.org")
	p.click("#f-consent")
	p.click("#book-submit")
	p.wait("confirmation", `document.documentElement.dataset.view === "v-done"`)
	p.screenshots("book confirmation [en]")
	shown := eval[string](p, `document.getElementById("join-link").href`)
	if !strings.HasSuffix(shown, "?lang=en") {
		t.Errorf("join link on the confirmation: %s", shown)
	}

	env.deliver()
	m := sink.waitFor(1, 10*time.Second)[0]
	if !strings.HasPrefix(m.Subject, "Appointment confirmed") || !strings.Contains(m.Text, "Join the video consultation") {
		t.Errorf("confirmation of an English booking: %q\n%s", m.Subject, m.Text)
	}
	if !strings.Contains(m.Text, shown) {
		t.Errorf("mail lacks the join link %s:\n%s", shown, m.Text)
	}

	// The link from the mail opens the join page in English even where the
	// browser had chosen German.
	eval[bool](p, `(localStorage.setItem("lang", "de"), true)`)
	p.open(strings.TrimPrefix(shown, env.cfg.PublicURL))
	if got := eval[string](p, `document.documentElement.lang`); got != "en" {
		t.Errorf("join link opened the page in %q", got)
	}
}
