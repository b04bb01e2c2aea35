package server

import (
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserKeyboardOnly books an appointment and enters the waiting room
// with Tab, Enter, Space and the arrow keys only: no clicks.
func TestBrowserKeyboardOnly(t *testing.T) {
	env := browserEnv(t, nil)
	admin := env.login(testAdminEmail)
	openNow(env, admin)

	b := newBrowser(t, env.srv.URL)
	p := b.tab("keyboard")
	p.open("/")
	p.wait("services", `document.querySelector("[data-service]")`)

	// The skip link comes first and leads to the content.
	p.key(kb.Tab)
	p.wait("skip link focused", `document.activeElement.classList.contains("skip")`)

	p.tabTo("[data-service]")
	p.key(kb.Enter)
	p.wait("week", `document.querySelector("#week-days button")`)
	// Arrow keys move between the days of the week.
	p.tabTo("#week-days button")
	p.key(kb.ArrowRight)
	p.wait("arrow moved focus", `document.activeElement === document.querySelectorAll("#week-days button")[1]`)
	p.key(kb.ArrowLeft)
	p.wait("arrow moved back", `document.activeElement === document.querySelectorAll("#week-days button")[0]`)
	p.tabTo("#day-times .time")
	p.key(kb.ArrowDown)
	p.wait("arrow in times", `document.activeElement === document.querySelectorAll("#day-times .time")[1]`)
	p.key(kb.ArrowUp)
	// The first time can start within seconds, and booking it as the clock
	// passes its start would be refused: arrow on to the first that is a
	// minute away (as in TestBrowserJourney).
	skip := eval[int](p, `(() => { const ts = [...document.querySelectorAll("#day-times .time")];
		const i = ts.findIndex((b) => new Date(b.dataset.start) - Date.now() > 60000);
		return i < 0 ? ts.length - 1 : i; })()`)
	for range skip {
		p.key(kb.ArrowDown)
	}
	p.key(kb.Enter)
	p.wait("form", `document.documentElement.dataset.view === "v-form"`)

	p.tabTo("#f-name")
	p.key("Erika Tastatur")
	p.tabTo("#f-email")
	p.key("erika@example.org")
	p.tabTo("#f-consent")
	p.key(" ")
	p.wait("consent checked", `document.getElementById("f-consent").checked`)
	p.tabTo("#book-submit")
	p.key(kb.Enter)
	p.wait("confirmation", `document.documentElement.dataset.view === "v-done"`)

	// Follow the join link from the confirmation, then into the waiting room.
	p.tabTo("#join-link")
	p.key(kb.Enter)
	p.wait("device check", `location.pathname === "/join" && document.documentElement.dataset.view === "v-check"`)
	p.tabTo("#to-waiting")
	p.key(kb.Enter)
	p.wait("waiting", `document.documentElement.dataset.room === "waiting"`)
	p.wait("status announced", `document.getElementById("wait-status").textContent.length > 10`)
}
