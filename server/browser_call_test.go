package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestBrowserCallTilesAndWaitingRoom: the waiting citizen sees their own
// picture, learns that the clerk is there and reads the clerk's preset
// note in their own language; in the call every tile names the person and
// their role, and a muted microphone and a camera turned off show on the
// tile the others see, as does the ring while they speak; a shared screen
// is not covered by the self view. A tile is pinned large from the
// keyboard, fullscreen keeps the controls, an interpreter without camera
// gets a named tile, and arrivals and leaves are announced.
// Waiting room and call pass axe in both languages.
func TestBrowserCallTilesAndWaitingRoom(t *testing.T) {
	env := browserEnv(t, func(c *Config) { c.BookingChallenge.Enabled = false })
	f, b, clk := consoleFixture(t, env)

	cit := b.tab("citizen")
	cit.open(pathOf(t, f.booking.JoinURL))
	cit.wait("device check", `document.documentElement.dataset.view === "v-check"`)
	cit.wait("camera preview", `document.getElementById("preview").videoWidth > 0`)
	cit.click("#to-waiting")
	cit.wait("waiting", `document.documentElement.dataset.room === "waiting"`)
	cit.wait("no clerk yet", `document.getElementById("clerk-presence").dataset.present === "0"`)
	cit.wait("self view", `document.getElementById("wait-self").videoWidth > 0`)

	clk.open("/staff/console/" + itoa(f.booking.ID))
	clk.wait("clerk connected", `document.documentElement.dataset.room === "admitted"`)
	clk.wait("citizen waiting", `document.querySelector("#waiting-list [data-note] [data-preset]")`)
	cit.wait("clerk there", `document.getElementById("clerk-presence").dataset.present === "1"`)
	// A preset arrives in the citizen's language, whatever the clerk's.
	clk.switchLang("de")
	cit.switchLang("en")
	clk.click(`#waiting-list [data-preset="in_5_min"]`)
	cit.wait("the clerk's note", `document.getElementById("wait-note").dataset.preset === "in_5_min" && document.getElementById("wait-note").textContent.includes("I will be with you in 5 minutes.")`)
	cit.switchLang("de")
	cit.wait("the note in German", `document.getElementById("wait-note").textContent.includes("Ich bin in 5 Minuten bei Ihnen.")`)
	cit.checkpoint("waiting room with the clerk's note")
	clk.checkpoint("console with a note sent")

	clk.click("#waiting-list [data-admit]")
	cit.wait("in the call", `document.documentElement.dataset.view === "v-call"`)
	citizenPID := eval[string](cit, `window.sprechstunde.room.participantId`)
	tile := `document.querySelector('#remotes .tile[data-participant="` + citizenPID + `"]:not([data-screen])')`
	clk.wait("the citizen's tile named", tile+` && `+tile+`.querySelector(".tile-name").textContent === "Erika Mustermann" && `+tile+`.querySelector(".tile-role").dataset.i18n === "call.role.citizen"`)
	cit.wait("the clerk's tile named", `(() => { const f = document.querySelector("#remotes .tile");
		return f && f.querySelector(".tile-name").textContent !== "" && f.querySelector(".tile-role").dataset.i18n === "call.role.clerk"; })()`)

	// The citizen mutes; the button says the new state and the next action,
	// and the clerk's tile of the citizen shows the muted microphone.
	if got := eval[string](cit, `document.querySelector("#btn-mic span").dataset.i18n`); got != "call.micIsOn" {
		t.Errorf("mic button before = %q", got)
	}
	if eval[bool](clk, tile+`.querySelector("[data-mic-off]").hidden`) != true {
		t.Error("the citizen's tile shows a muted microphone before muting")
	}
	// The fake microphone beeps: the ring comes on while it sounds.
	clk.wait("the citizen speaking", tile+`.hasAttribute("data-speaking") && !`+tile+`.querySelector(".tile-speaking").hidden`)
	cit.click("#btn-mic")
	cit.wait("mic button says muted", `document.getElementById("btn-mic").getAttribute("aria-pressed") === "true" && document.querySelector("#btn-mic span").dataset.i18n === "call.micIsOff"`)
	clk.wait("muted on the clerk's tile", `!`+tile+`.querySelector("[data-mic-off]").hidden`)
	clk.wait("no ring while muted", `!`+tile+`.hasAttribute("data-speaking")`)
	cit.click("#btn-cam")
	cit.wait("camera button says off", `document.getElementById("btn-cam").getAttribute("aria-pressed") === "true" && document.querySelector("#btn-cam span").dataset.i18n === "call.camIsOff"`)
	clk.wait("camera off on the clerk's tile", `!`+tile+`.querySelector("[data-cam-off]").hidden`)

	// Pin the citizen's tile large with the keyboard only.
	clk.tabTo(`#remotes .tile[data-participant="` + citizenPID + `"] .tile-pin`)
	clk.key(kb.Enter)
	clk.wait("tile pinned", tile+`.hasAttribute("data-pinned") && `+tile+`.querySelector(".tile-pin").getAttribute("aria-pressed") === "true"`)

	// An interpreter joins without camera or microphone: named on a tile
	// all the same, and the citizen hears of the arrival.
	clk.click("#invite")
	clk.wait("guest link", `document.getElementById("invite-url").value.includes("/guest/")`)
	token := lastSegment(eval[string](clk, `document.getElementById("invite-url").value`))
	guest := env.client()
	guest.mustDo("POST", "/api/v1/guest/"+token, map[string]string{"name": "Dolmetscherin Ayse"}, http.StatusOK, nil)
	var gt ticketOut
	guest.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusOK, &gt)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	g := f.dial(t, ctx, gt.Ticket, false)
	j, err := g.WaitType(ctx, signaling.TypeJoined)
	if err != nil {
		t.Fatal(err)
	}
	guestPID := j.(*signaling.Joined).ParticipantID
	clk.click(`#waiting-list [data-admit="` + guestPID + `"]`)
	clk.wait("the interpreter's tile", `(() => { const f = document.querySelector('#remotes .tile[data-participant="`+guestPID+`"]');
		return f && f.querySelector(".tile-name").textContent === "Dolmetscherin Ayse" && f.querySelector(".tile-role").dataset.i18n === "call.role.guest"; })()`)
	cit.wait("the interpreter's arrival announced", `document.getElementById("call-events").textContent.includes("Dolmetscherin Ayse")`)

	// The citizen shares a screen: at the clerk it gets a wide tile and
	// the self view leaves the picture instead of covering it.
	cit.click("#btn-screen")
	cit.wait("sharing", `document.getElementById("btn-screen").getAttribute("aria-pressed") === "true"`)
	clk.wait("screen tile", `(() => { const s = document.querySelector("#remotes .tile[data-screen] video"); if (!s || s.videoWidth === 0) return false;
		const a = s.getBoundingClientRect(), b = document.getElementById("local-video").getBoundingClientRect();
		return b.top >= a.bottom || b.bottom <= a.top || b.left >= a.right || b.right <= a.left; })()`)
	cit.click("#btn-screen")
	clk.wait("screen tile gone", `!document.querySelector("#remotes .tile[data-screen]")`)

	// Fullscreen shows the stage with its controls; the button says so and
	// leaves it again.
	clk.click("#btn-full")
	clk.wait("stage fullscreen", `document.fullscreenElement && document.fullscreenElement.id === "call-view" && document.getElementById("btn-full").getAttribute("aria-pressed") === "true"`)
	clk.click("#btn-full")
	clk.wait("fullscreen left", `!document.fullscreenElement && document.getElementById("btn-full").getAttribute("aria-pressed") === "false"`)

	cit.checkpoint("call with tiles")
	clk.checkpoint("console call with tiles")

	// The citizen leaves: the clerk reads it, visibly and in the live region.
	cit.click("#btn-leave")
	clk.wait("leave announced", `document.getElementById("call-events").dataset.i18n === "call.leftBy" && document.getElementById("call-events").textContent.includes("Erika Mustermann")`)
}
