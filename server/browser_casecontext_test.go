package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowserConsoleCaseContext: the console opened without ?case= (a
// bookmark, a link from elsewhere) finds the case from the appointment and
// shows its context (citizen, topic, conversation language, service,
// time); while the room is not open it offers no "end for everyone". The
// calendar shows the interpreter need beside the citizen; notes name
// their author. An appointment that is not the clerk's gets staff words.
func TestBrowserConsoleCaseContext(t *testing.T) {
	env := browserEnv(t, func(c *Config) { c.BookingChallenge.Enabled = false })
	admin := env.login(testAdminEmail)
	svc, slots := openNow(env, admin)
	var bk bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": slots[len(slots)-1].Start,
		"name": "Erika Mustermann", "email": "erika@example.org", "topic": "Wohngeld", "language": "tr", "consent": true},
		http.StatusCreated, &bk)

	env.login("clerk@amt.example").mustDo("POST", "/api/v1/cases/"+bk.CaseNumber+"/notes", map[string]any{"text": "Antrag liegt vor."}, http.StatusCreated, nil)

	clk := newBrowser(t, env.srv.URL).tab("console")
	clk.signIn("clerk@amt.example")
	clk.open("/staff/console/" + itoa(bk.ID) + "?lang=de")
	clk.wait("case context", `!document.getElementById("case-context").hidden`)
	facts := eval[string](clk, `document.getElementById("case-facts").textContent`)
	for _, want := range []string{"Erika Mustermann", "Wohngeld", "Türkisch", "Kurz"} {
		if !strings.Contains(facts, want) {
			t.Errorf("case context %q lacks %q", facts, want)
		}
	}
	clk.wait("case found without ?case=", `document.getElementById("console-h1").textContent.includes(`+jsString(bk.CaseNumber)+`) && document.getElementById("case-status").textContent.startsWith("Stand des Vorgangs")`)
	clk.wait("room not open: nothing to end", `document.getElementById("room-status").textContent.startsWith("Der Raum öffnet am") && document.getElementById("end-call").hidden`)
	clk.wait("note names its author", `document.querySelector("#timeline li.note")?.textContent.startsWith("Notiz von Frau Schmidt,")`)
	clk.checkpoint("console case context")

	// An appointment that is not the clerk's: staff words, nothing to end.
	clk.open("/staff/console/99999?lang=de")
	clk.wait("staff text for a missing appointment", `document.getElementById("room-status").textContent.includes("nicht zu Ihren Terminen") && document.getElementById("end-call").hidden && document.getElementById("case-context").hidden`)
	if txt := eval[string](clk, `document.querySelector("main").textContent`); strings.Contains(txt, "E-Mail") {
		t.Errorf("console for a missing appointment speaks to citizens: %q", txt)
	}

	clk.open("/staff?lang=de")
	clk.click("#view-week")
	clk.wait("interpreter need in the calendar", `document.querySelector("#cal-body [data-language=tr]")?.textContent === "Gesprächssprache: Türkisch"`)
}
