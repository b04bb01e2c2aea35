package server

import (
	"regexp"
	"strings"
	"testing"
)

// TestBrowserTimelineSpeaksPlainly renders a case timeline with every kind
// of event as the server records it (role and reason codes in the detail,
// Go durations, several events in one second) and checks what a clerk
// reads: sentences in German and English, no codes, newest first with the
// recording order kept within a second, and the room's technical steps
// folded into a closed disclosure.
func TestBrowserTimelineSpeaksPlainly(t *testing.T) {
	env := browserEnv(t, nil)
	b := newBrowser(t, env.srv.URL)
	tb := b.tab("timeline")
	tb.open("/datenschutz?lang=de")
	const render = `import(new URL("js/timeline.js", [...document.scripts].find(s => s.src.includes("/js/")).src.replace(/js\/[^/]+$/, ""))).then(m => {
		const ol = document.createElement("ol");
		document.querySelector("main").append(ol);
		m.renderTimeline(ol, {notes: [{text: "Unterlagen besprochen", created_at: "2026-03-30T09:20:00+02:00"}], events: [
			{type: "booked", at: "2026-03-20T12:00:00+01:00"},
			{type: "room_joined", at: "2026-03-30T09:00:05+02:00", detail: "citizen"},
			{type: "room_admitted", at: "2026-03-30T09:01:00+02:00", detail: "citizen"},
			{type: "call_started", at: "2026-03-30T09:01:00+02:00"},
			{type: "note_added", at: "2026-03-30T09:20:00+02:00"},
			{type: "call_ended", at: "2026-03-30T09:13:04+02:00", detail: "12m3s"},
			{type: "room_closed", at: "2026-03-30T09:13:04+02:00", detail: "closed_by_clerk"},
			{type: "status_changed", at: "2026-03-30T09:14:00+02:00", detail: "done"},
			{type: "rebooked", at: "2026-03-21T08:00:00+01:00", detail: "by citizen"},
			{type: "brand_new_kind", at: "2026-03-30T09:15:00+02:00", detail: "x_y"},
		]});
		const details = document.getElementById("timeline-details");
		return JSON.stringify({main: [...ol.children].map(li => li.textContent), open: details.open,
			folded: [...details.querySelectorAll("li")].map(li => li.textContent)});
	})`
	// Codes as the server records them; English sentences may use the words.
	raw := regexp.MustCompile(`[a-z]+_[a-z]+|\((citizen|clerk|done)\)|: (citizen|done)|by citizen|12m3s|timeline\.`)
	for _, lang := range []string{"de", "en"} {
		tb.switchLang(lang)
		got := eval[string](tb, render)
		if m := raw.FindString(got); m != "" {
			t.Errorf("%s: raw code %q on the timeline: %s", lang, m, got)
		}
		var want []string
		if lang == "de" {
			want = []string{"Sonstiger Eintrag", "Als erledigt abgeschlossen", "Gespräch beendet nach 12 Minuten", "Gespräch begonnen",
				"Termin von der Bürgerin oder dem Bürger verschoben", "Termin gebucht"}
		} else {
			want = []string{"Other entry", "Closed as done", "Conversation ended after 12 minutes", "Conversation started",
				"Appointment moved by the citizen", "Appointment booked"}
		}
		last := -1
		for _, w := range want {
			i := strings.Index(got, w)
			if i < 0 || i < last {
				t.Errorf("%s: %q missing or out of order (newest first): %s", lang, w, got)
			}
			last = i
		}
		for _, folded := range []string{"ins Gespräch gelassen", "let into the conversation"} {
			if strings.Contains(got, folded) && !strings.Contains(got[strings.Index(got, `"folded"`):], folded) {
				t.Errorf("%s: a technical step is not folded away: %s", lang, got)
			}
		}
		if !strings.Contains(got, `"open":false`) {
			t.Errorf("%s: the technical details are open by default: %s", lang, got)
		}
		eval[bool](tb, `(document.querySelectorAll("main > ol, #timeline-details").forEach(e => e.remove()), true)`)
	}
	tb.switchLang("de")
}
