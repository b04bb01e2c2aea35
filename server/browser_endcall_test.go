package server

import "testing"

// TestBrowserEndForEveryoneAsksAndReopens: a clerk who left rejoins; "end
// for everyone" asks in a dialog first (cancel keeps the call); once
// ended, the citizen reads that the call is paused, not over, and the
// clerk can open the room again while the slot runs, after which the
// citizen's page brings them back; a second tab taking over gives the
// first its own heading.
func TestBrowserEndForEveryoneAsksAndReopens(t *testing.T) {
	env := browserEnv(t, func(c *Config) { c.BookingChallenge.Enabled = false })
	f, b, clk := consoleFixture(t, env)
	cit := b.tab("citizen")
	cit.open(pathOf(t, f.booking.JoinURL) + "?lang=de")
	cit.wait("device check", `document.documentElement.dataset.view === "v-check" && document.getElementById("preview").videoWidth > 0`)
	cit.click("#to-waiting")
	cit.wait("waiting", `document.documentElement.dataset.room === "waiting"`)
	clk.open("/staff/console/" + itoa(f.booking.ID) + "?lang=de")
	clk.wait("citizen waiting", `document.querySelector("#waiting-list [data-admit]")`)
	clk.click("#waiting-list [data-admit]")
	cit.wait("in the call", `document.documentElement.dataset.view === "v-call"`)

	// The clerk leaves and comes back; the citizen stays in the room.
	clk.click("#btn-leave")
	clk.wait("rejoin offered", `!document.getElementById("rejoin").hidden && document.getElementById("rejoin").textContent === "Wieder beitreten"`)
	clk.click("#rejoin")
	clk.wait("clerk back in the call", `document.documentElement.dataset.room === "admitted" && document.querySelector("#call video")`)
	if v := eval[string](cit, `document.documentElement.dataset.view`); v != "v-call" {
		t.Fatalf("the clerk's leaving ended the citizen's call: %s", v)
	}

	clk.click("#end-call")
	clk.wait("asked first", `document.getElementById("end-dialog").open && document.getElementById("end-dialog").contains(document.activeElement)`)
	clk.checkpoint("console end dialog")
	clk.wait("dialog still open", `document.getElementById("end-dialog").open`)
	clk.click("#end-cancel")
	clk.wait("dialog closed, focus back", `!document.getElementById("end-dialog").open && document.activeElement.id === "end-call"`)
	if v := eval[string](cit, `document.documentElement.dataset.view`); v != "v-call" {
		t.Fatalf("cancel ended the call: citizen on %s", v)
	}

	clk.click("#end-call")
	clk.click("#end-confirm")
	cit.wait("paused screen", `document.documentElement.dataset.view === "v-end" && !document.getElementById("end-back").hidden`)
	if h := eval[string](cit, `document.getElementById("end-h1").dataset.i18n`); h != "join.endH1.paused" {
		t.Errorf("citizen heading %q, want join.endH1.paused", h)
	}
	cit.checkpoint("join paused")
	clk.wait("staff text and reopen offered", `!document.getElementById("rejoin").hidden && document.getElementById("room-status").textContent.startsWith("Sie haben das Gespräch für alle beendet.")`)
	clk.checkpoint("console ended")

	clk.click("#rejoin")
	clk.wait("room open again", `document.documentElement.dataset.room === "admitted"`)
	cit.click("#end-back")
	cit.wait("device check again", `document.documentElement.dataset.view === "v-check" && document.getElementById("preview").videoWidth > 0`)
	cit.click("#to-waiting")
	clk.wait("citizen waiting again", `document.querySelector("#waiting-list [data-admit]")`)
	clk.click("#waiting-list [data-admit]")
	cit.wait("back in the call", `document.documentElement.dataset.view === "v-call"`)

	// The page opened again in another tab takes over: the first one says
	// so under its own heading, not "the call has ended".
	cit2 := b.tab("citizen again")
	cit2.open("/join?lang=de")
	cit2.wait("device check", `document.documentElement.dataset.view === "v-check" && document.getElementById("preview").videoWidth > 0`)
	cit2.click("#to-waiting")
	cit.wait("taken over", `document.documentElement.dataset.view === "v-end" && document.getElementById("end-h1").dataset.i18n === "join.endH1.replaced"`)
	cit.checkpoint("join replaced")
}
