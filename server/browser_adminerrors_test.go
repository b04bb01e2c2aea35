package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestBrowserAdminErrorsSpeakGerman: the API's field reasons are English;
// the German admin forms show the catalog's German text for the field
// instead. The Impressum shows the configured office, an unknown address
// the site's own 404 page; both pass axe in German and English.
func TestBrowserAdminErrorsSpeakGerman(t *testing.T) {
	env := browserEnv(t, func(c *Config) {
		c.Office = OfficeConfig{Name: "Bürgeramt Musterstadt", Address: "Markt 1\n12345 Musterstadt",
			AccessibilityContact: "barrierefrei@musterstadt.example"}
	})
	tb := adminPage(t, env)

	for _, tc := range []struct {
		name, fill, value, submit, box, key string
	}{
		{"short password", "#u-password", "kurz", "#user-create", "#err-upassword", "field.password"},
		{"duration out of range", "#s-duration", "1000", "#service-save", "#err-sduration", "field.duration_minutes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fill == "#u-password" {
				tb.fill("#u-name", "Erika Beispiel")
				tb.fill("#u-email", "erika@amt.example")
			} else {
				tb.fill("#s-name", "Wohngeld")
			}
			tb.fill(tc.fill, tc.value)
			tb.click(tc.submit)
			tb.wait("field error shown", fmt.Sprintf(`!document.querySelector(%q).hidden`, tc.box))
			got := eval[string](tb, fmt.Sprintf(`document.querySelector(%q).textContent`, tc.box))
			want := eval[string](tb, fmt.Sprintf(`fetch(new URL("../i18n/de.json", [...document.scripts].find(s => s.src.includes("/js/")).src)).then(r => r.json()).then(c => c[%q])`, tc.key))
			if want == "" || got != want {
				t.Errorf("%s shows %q, want the German catalog text %q", tc.box, got, want)
			}
		})
	}
	tb.axeCheck("admin form errors [de]")

	tb.open("/impressum")
	tb.wait("office details", `!!document.querySelector("#office-details")`)
	if got := eval[string](tb, `document.querySelector("#office-details").innerText`); !containsAll(got, "Bürgeramt Musterstadt", "12345 Musterstadt") {
		t.Errorf("Impressum does not show the office: %q", got)
	}
	if got := eval[string](tb, `[...document.querySelectorAll("footer a")].map(a => a.href).join(" ")`); !containsAll(got, "mailto:barrierefrei%40musterstadt.example", "/impressum") {
		t.Errorf("footer links: %q", got)
	}
	tb.a11y("impressum")

	tb.open("/gibt-es-nicht")
	tb.wait("404 page", `document.querySelector("h1") && document.querySelector("h1").textContent === "Diese Seite gibt es nicht"`)
	tb.a11y("not found")
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
