package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/frontend"
)

// TestMailJoinEarlyFromConfig: the confirmation states the configured
// join_early, in the booking's language, not a fixed 15 minutes, and its
// invitation and the calendar download remind then.
func TestMailJoinEarlyFromConfig(t *testing.T) {
	for _, tc := range []struct {
		early         time.Duration
		lang          string
		want, notWant string
		trigger       string
	}{
		{30 * time.Minute, "de", "ab 30 Minuten vor Beginn", "15 Minuten", "TRIGGER:-PT30M"},
		{30 * time.Minute, "en", "from 30 minutes before the start", "15 minutes", "TRIGGER:-PT30M"},
		{time.Hour, "de", "ab einer Stunde vor Beginn", "Minuten vor", "TRIGGER:-PT60M"},
		{15 * time.Minute, "en", "from 15 minutes before the start", "", "TRIGGER:-PT15M"},
	} {
		t.Run(tc.early.String()+"/"+tc.lang, func(t *testing.T) {
			srv := startSMTP(t)
			env, _ := newAsyncEnv(t, "sqlite", srv, func(c *Config) { c.JoinEarly = tc.early })
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			b := env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", tc.lang)
			_, download := env.client().do("GET", "/api/v1/bookings/manage/"+lastSegment(b.ManageURL)+"/ics", nil, nil)
			if !strings.Contains(string(download), tc.trigger) {
				t.Errorf("calendar download lacks %s:\n%s", tc.trigger, download)
			}
			env.deliver()
			m := srv.waitFor(1, 5*time.Second)[0]
			for _, part := range []string{m.Text, m.HTML} {
				if !strings.Contains(part, tc.want) || (tc.notWant != "" && strings.Contains(part, tc.notWant)) {
					t.Errorf("mail says neither %q nor only that, without %q:\n%s", tc.want, tc.notWant, part)
				}
			}
			if !strings.Contains(m.ICS, tc.trigger) {
				t.Errorf("invitation lacks %s:\n%s", tc.trigger, m.ICS)
			}
		})
	}
}

// TestCatalogsTakeJoinEarly: the page's "too early" text takes the minutes
// from the room's not_before (join.js), so no catalog fixes them.
func TestCatalogsTakeJoinEarly(t *testing.T) {
	static, err := frontend.Static()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		b, err := static.Open("i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		err = json.NewDecoder(b).Decode(&cat)
		b.Close()
		if err != nil {
			t.Fatal(err)
		}
		if s := cat["end.too_early"]; !strings.Contains(s, "{minutes}") {
			t.Errorf("%s: end.too_early = %q, want the {minutes} placeholder", lang, s)
		}
		for k, s := range cat {
			if strings.Contains(s, "15 Minuten") || strings.Contains(s, "15 minutes") {
				t.Errorf("%s: %s fixes join_early: %q", lang, k, s)
			}
		}
	}
}
