package server

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// browserEnv is an application on real time (the media server's clock)
// without the per-IP rate limit: every tab comes from 127.0.0.1. The
// booking page solves the default booking challenge in its worker.
func browserEnv(t *testing.T, change func(*Config)) *testEnv {
	return newTestEnvClock(t, "sqlite", func(c *Config) {
		c.RateLimitPerMinute = 0
		c.BookingChallenge = defaultBookingChallenge()
		if change != nil {
			change(c)
		}
	}, time.Now)
}

// pathOf strips scheme and host from a link the API returned.
func pathOf(t *testing.T, link string) string {
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// TestBrowserJourney walks the whole product through its pages: the admin
// sets up a clerk, a service and hours; a citizen books, looks at the
// manage page, passes the device check and waits; the clerk sees them live,
// admits them, both see each other's video and chat; the clerk writes a
// note that survives a reload, invites an interpreter and ends the call.
// Every state is checked with axe-core in German and English.
func TestBrowserJourney(t *testing.T) {
	env := browserEnv(t, nil)
	b := newBrowser(t, env.srv.URL)

	// Admin: sign-in redirects from /admin to the staff login and back.
	adm := b.tab("admin")
	adm.open("/admin")
	adm.wait("login form", `location.pathname === "/staff" && document.documentElement.dataset.view === "v-login"`)
	adm.checkpoint("staff login")
	adm.fill("#l-email", testAdminEmail)
	adm.fill("#l-password", testPassword)
	adm.click("#login-form button[type=submit]")
	adm.wait("admin page", `location.pathname === "/admin" && document.documentElement.dataset.ready === "1" && document.documentElement.dataset.view === "v-admin"`)
	adm.wait("user list", `document.querySelector("#users-table tbody tr")`)
	adm.fill("#u-name", "Frau Schmidt")
	adm.fill("#u-email", "clerk@amt.example")
	adm.fill("#u-password", testPassword)
	adm.click("#user-create")
	adm.wait("clerk created", `document.querySelector("#users-table").textContent.includes("clerk@amt.example")`)
	adm.fill("#s-name", "Kurzberatung")
	adm.fill("#s-desc", "Fragen zu Anträgen")
	adm.fill("#s-duration", "10")
	adm.fill("#s-notice", "0")
	adm.fill("#s-horizon", "2")
	adm.click("#s-published")
	adm.click("#service-save")
	adm.wait("service created", `document.querySelector("#services-table").textContent.includes("Kurzberatung")`)
	eval[bool](adm, `(() => { const s = document.getElementById("h-clerk");
		s.value = [...s.options].find((o) => o.textContent === "Frau Schmidt").value; return true; })()`)
	for d := range 7 {
		adm.click("#h-wd-" + string(rune('1'+d)))
	}
	adm.fill("#h-start", "00:00")
	adm.fill("#h-end", "24:00")
	adm.click("#hours-add")
	adm.wait("hours added", `document.querySelectorAll("#hours-table tbody tr").length === 7`)
	adm.checkpoint("admin")

	// Citizen books through the pages.
	cit := b.tab("citizen")
	cit.open("/")
	cit.wait("services", `document.querySelector("[data-service]")`)
	cit.checkpoint("book services")
	cit.click("[data-service]")
	cit.wait("free times", `document.querySelector("#day-times .time")`)
	cit.checkpoint("book slots")
	// The first time can start within seconds (the notice is 0, so that the
	// call below is within its join window); booking it as the clock passes
	// its start would be refused. Take the first that is a minute away.
	eval[bool](cit, `(() => { const ts = [...document.querySelectorAll("#day-times .time")];
		(ts.find((b) => new Date(b.dataset.start) - Date.now() > 60000) || ts[ts.length - 1]).click();
		return true; })()`)
	cit.wait("form", `document.documentElement.dataset.view === "v-form"`)
	cit.click("#book-submit")
	cit.wait("field errors", `document.getElementById("f-name").getAttribute("aria-invalid") === "true" && !document.getElementById("err-consent").hidden`)
	cit.checkpoint("book form errors")
	cit.fill("#f-name", "Erika Mustermann")
	cit.fill("#f-email", "erika@example.org")
	cit.fill("#f-topic", "Wohngeld")
	cit.click("#f-consent")
	cit.click("#book-submit")
	cit.wait("confirmation", `document.documentElement.dataset.view === "v-done"`)
	cit.checkpoint("book confirmation")
	joinURL := eval[string](cit, `document.getElementById("join-link").href`)
	manageURL := eval[string](cit, `document.getElementById("manage-link").href`)
	caseNo := eval[string](cit, `document.getElementById("done-case").textContent`)
	if ics := eval[int](cit, `fetch(document.getElementById("ics-link").href).then((r) => r.text()).then((s) => s.includes("BEGIN:VEVENT") ? 1 : 0)`); ics != 1 {
		t.Error("the .ics download has no event")
	}

	// Manage page: the token leaves the address bar.
	cit.open(pathOf(t, manageURL))
	cit.wait("booking shown", `location.pathname === "/manage" && document.getElementById("m-status") && document.getElementById("m-status").textContent !== ""`)
	cit.checkpoint("manage")
	cit.click("#rebook-btn")
	cit.wait("rebook picker", `document.querySelector("#rebook-area #week-days button")`)
	cit.checkpoint("manage rebook")

	// Join: device check, then the waiting room.
	cit.open(pathOf(t, joinURL))
	cit.wait("device check", `location.pathname === "/join" && document.documentElement.dataset.view === "v-check"`)
	cit.wait("camera preview", `document.getElementById("preview").videoWidth > 0 && document.getElementById("conn-status").dataset.ok === "1"`)
	cit.checkpoint("join device check")
	cit.click("#to-waiting")
	cit.wait("waiting", `document.documentElement.dataset.room === "waiting"`)
	cit.checkpoint("join waiting room")

	// Clerk: the admin signs out, the clerk signs in and sees the citizen waiting.
	clk := b.tab("clerk")
	clk.open("/staff")
	clk.wait("calendar", `document.documentElement.dataset.view === "v-calendar"`)
	// The sign-out button sits below the calendar, which is still loading
	// and moves it: a mouse click at its old place once landed elsewhere.
	eval[bool](clk, `(document.getElementById("logout").click(), true)`)
	clk.wait("login form", `document.documentElement.dataset.ready === "1" && document.documentElement.dataset.view === "v-login"`)
	clk.fill("#l-email", "clerk@amt.example")
	clk.fill("#l-password", testPassword)
	clk.click("#login-form button[type=submit]")
	clk.wait("appointment in calendar", `document.querySelector("#cal-body").textContent.includes("Erika Mustermann")`)
	clk.wait("live waiting", `document.querySelector("#waiting-now").textContent.includes("Erika Mustermann")`)
	clk.checkpoint("staff calendar day")
	clk.click("#view-week")
	clk.wait("week view", `document.querySelector("#cal-body").textContent.includes("Erika Mustermann") && document.getElementById("view-week").getAttribute("aria-pressed") === "true"`)
	clk.checkpoint("staff calendar week")
	clk.click("#waiting-now a")
	clk.wait("console", `location.pathname.startsWith("/staff/console/") && document.documentElement.dataset.view === "v-console"`)
	clk.wait("citizen in waiting list", `document.querySelector("#waiting-list [data-admit]")`)
	clk.wait("clerk connected", `document.documentElement.dataset.room === "admitted"`)
	clk.checkpoint("console waiting")

	// Admit: both decode the other's video.
	clk.click("#waiting-list [data-admit]")
	cit.wait("in the call", `document.documentElement.dataset.view === "v-call"`)
	for _, p := range []*tab{cit, clk} {
		p.wait("first frames", `window.sprechstunde.room.quality().then((q) => q && q.framesDecoded > 0 && q.frameWidth > 0)`)
		first := eval[int](p, `window.sprechstunde.room.quality().then((q) => q.framesDecoded)`)
		p.wait("more frames", `window.sprechstunde.room.quality().then((q) => q.framesDecoded > `+itoa(int64(first))+`)`)
	}
	cit.wait("first frame shown", `window.sprechstunde.firstFrameAt > 0`)
	joinMS := eval[int64](cit, `window.sprechstunde.firstFrameAt`) - eval[int64](clk, `window.sprechstunde.admitAt`)
	t.Logf("join time (admit click to first remote frame at the citizen): %d ms", joinMS)

	// Chat both ways.
	cit.fill("#chat-input", "Guten Tag!")
	cit.click("#chat-send")
	clk.wait("chat at clerk", `document.getElementById("chat-log").textContent.includes("Guten Tag!")`)
	clk.fill("#chat-input", "Willkommen.")
	clk.click("#chat-send")
	cit.wait("chat at citizen", `document.getElementById("chat-log").textContent.includes("Willkommen.")`)
	cit.checkpoint("call citizen")
	clk.checkpoint("console call")

	// Notes: a draft survives a reload; a saved note is on the timeline after one.
	clk.fill("#note-text", "Antrag vollständig, Bescheid folgt.")
	clk.open(clk.path())
	clk.wait("draft restored", `document.getElementById("note-text").value === "Antrag vollständig, Bescheid folgt."`)
	clk.click("#note-save")
	clk.wait("note on timeline", `document.getElementById("timeline").textContent.includes("Antrag vollständig")`)
	clk.open(clk.path())
	clk.wait("note after reload", `document.getElementById("timeline").textContent.includes("Antrag vollständig")`)
	clk.wait("clerk back in the room", `document.documentElement.dataset.room === "admitted"`)

	// Interpreter invitation: a one-time guest link.
	clk.click("#invite")
	clk.wait("guest link", `document.getElementById("invite-url").value.includes("/guest/")`)
	guestURL := eval[string](clk, `document.getElementById("invite-url").value`)
	gst := b.tab("guest")
	gst.open(pathOf(t, guestURL))
	gst.wait("guest form", `location.pathname === "/join" && document.documentElement.dataset.view === "v-guest"`)
	gst.click("#guest-form button[type=submit]")
	gst.wait("guest name error", `document.getElementById("g-name").getAttribute("aria-invalid") === "true"`)
	gst.checkpoint("guest name")
	gst.fill("#g-name", "Dolmetscherin Ayse")
	gst.click("#guest-form button[type=submit]")
	gst.wait("guest device check", `document.documentElement.dataset.view === "v-check"`)
	gst.do("close guest", chromedpClose())

	// The clerk ends the call; the citizen sees the end screen.
	clk.click("#end-call")
	clk.wait("asked first", `document.getElementById("end-dialog").open`)
	clk.click("#end-confirm")
	cit.wait("end screen", `document.documentElement.dataset.view === "v-end"`)
	cit.checkpoint("join end")
	clk.click("#mark-done")
	clk.wait("case done", `document.getElementById("case-status").textContent.includes("erledigt")`)
	clk.checkpoint("console after call")
	var cs struct {
		Status string `json:"status"`
	}
	env.login("clerk@amt.example").mustDo("GET", "/api/v1/cases/"+caseNo, nil, 200, &cs)
	if cs.Status != "done" {
		t.Errorf("case status %q, want done", cs.Status)
	}

	// The text pages.
	for _, p := range []string{"/barrierefreiheit", "/datenschutz"} {
		cit.open(p)
		cit.wait("content", `document.querySelectorAll("main p").length > 2`)
		cit.checkpoint(strings.TrimPrefix(p, "/"))
	}
}

// path is the current path and query of the tab.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, `location.pathname + location.search`)
}
