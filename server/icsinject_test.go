package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/mailer"
)

// TestAdminTextRefusesControls: a line break or other control character
// in an admin's text field is refused with the field named, so it never
// reaches calendars or mail headers; CRLF in a multi-line field is taken
// as a line end.
func TestAdminTextRefusesControls(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	clerkID, svc := env.office(admin, "clerk@amt.example")
	service := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "description": desc, "duration_minutes": 30, "horizon_days": 30}
	}
	tests := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"service name CR", "POST", "/api/v1/admin/services", service("Beratung\rSUMMARY:x", ""), "name"},
		{"service name LF", "POST", "/api/v1/admin/services", service("Beratung\nX", ""), "name"},
		{"service name tab", "POST", "/api/v1/admin/services", service("Beratung\tX", ""), "name"},
		{"service name escape", "POST", "/api/v1/admin/services", service("Beratung\x1b[31m", ""), "name"},
		{"service name C1", "POST", "/api/v1/admin/services", service("Beratung\u0085X", ""), "name"},
		{"service name line separator", "POST", "/api/v1/admin/services", service("Beratung\u2028X", ""), "name"},
		{"service update name", "PUT", "/api/v1/admin/services/" + itoa(svc), service("A\rB", ""), "name"},
		{"description bare CR", "POST", "/api/v1/admin/services", service("Beratung", "a\rb"), "description"},
		{"description NUL", "POST", "/api/v1/admin/services", service("Beratung", "a\x00b"), "description"},
		{"closure reason", "POST", "/api/v1/admin/closures", map[string]any{"date": "2026-04-07", "reason": "Feiertag\r\nX"}, "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiErr
			status, raw := admin.do(tt.method, tt.path, tt.body, &e)
			if status/100 != 4 || e.Error.Fields[tt.field] == "" {
				t.Fatalf("status %d, want 4xx naming %q: %s", status, tt.field, raw)
			}
		})
	}
	t.Run("staff names are cleaned", func(t *testing.T) {
		// Display names lose control characters (booking.DisplayName) before they are checked.
		var u struct{ Name string }
		admin.mustDo("PATCH", "/api/v1/admin/users/"+itoa(clerkID), map[string]any{"name": "N\r\nX\x1b"}, http.StatusOK, &u)
		if u.Name != "N X" {
			t.Fatalf("name %q", u.Name)
		}
	})
	t.Run("description CRLF", func(t *testing.T) {
		var out struct{ Description string }
		admin.mustDo("POST", "/api/v1/admin/services", service("Beratung", "Zeile 1\r\nZeile 2"), http.StatusCreated, &out)
		if out.Description != "Zeile 1\nZeile 2" {
			t.Fatalf("description %q", out.Description)
		}
	})
}

// injected is a service name as it might sit in a database written before
// validation refused it: every line break would start a property.
const injected = "Beratung\rATTACH:https://evil.example/x\r\nX-INJ-A:1\nX-INJ-B:2\u2028X-INJ-C:3\x00"

// checkNoInjection parses body as a mail client would and fails if a
// property other than the expected ones appears or a summary lost its text.
func checkNoInjection(t *testing.T, body string) {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	evs := cal.Events()
	if len(evs) == 0 {
		t.Fatalf("no event:\n%s", body)
	}
	for _, ev := range evs {
		summaries := 0
		for _, p := range ev.Properties {
			if strings.HasPrefix(p.IANAToken, "X-INJ") || p.IANAToken == "ATTACH" {
				t.Errorf("injected property %s:\n%s", p.IANAToken, body)
			}
			if p.IANAToken == string(ics.ComponentPropertySummary) {
				summaries++
				if !strings.Contains(p.Value, "X-INJ-C:3") || strings.ContainsAny(p.Value, "\r\n\x00") {
					t.Errorf("summary %q", p.Value)
				}
			}
		}
		if summaries != 1 {
			t.Errorf("%d summaries:\n%s", summaries, body)
		}
		for _, al := range ev.Alarms() {
			for _, p := range al.Properties {
				if strings.HasPrefix(p.IANAToken, "X-INJ") || p.IANAToken == "ATTACH" {
					t.Errorf("injected alarm property %s:\n%s", p.IANAToken, body)
				}
			}
		}
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", "\n"), "\r") {
		t.Errorf("bare CR in:\n%q", body)
	}
}

// TestICSEscapesStoredText: a service name with line breaks that is already
// in the database reaches the manage download, the clerk feed and the mailed
// invitation as one escaped SUMMARY.
func TestICSEscapesStoredText(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	_, svc := env.office(admin, "clerk@amt.example")
	if err := env.rawSQL().Exec("UPDATE services SET name = ? WHERE id = ?", injected, svc).Error; err != nil {
		t.Fatal(err)
	}
	var b bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": "2026-03-30T09:00:00+02:00",
		"name": "E", "email": "e@example.org", "consent": true}, http.StatusCreated, &b)

	t.Run("manage download", func(t *testing.T) {
		body, _ := getFeed(t, env.srv.URL+"/api/v1/bookings/manage/"+lastSegment(b.ManageURL)+"/ics", http.StatusOK)
		checkNoInjection(t, body)
	})
	t.Run("clerk feed", func(t *testing.T) {
		clerk := env.login("clerk@amt.example")
		var feed struct{ URL string }
		clerk.mustDo("POST", "/api/v1/clerk/calendar-feed", nil, http.StatusCreated, &feed)
		body, _ := getFeed(t, env.srv.URL+strings.TrimPrefix(feed.URL, env.cfg.PublicURL), http.StatusOK)
		checkNoInjection(t, body)
	})
	t.Run("mail", func(t *testing.T) {
		r := mailer.NewRenderer(mailer.Options{PublicURL: env.cfg.PublicURL, From: env.cfg.MailFrom, Location: env.cfg.Location(),
			Now: func() time.Time { return testNow }})
		ap, err := env.app.office.ByManageToken(context.Background(), lastSegment(b.ManageURL))
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []booking.MailKind{booking.MailConfirmation, booking.MailCancellation} {
			m, err := r.Render(booking.MailData{Kind: kind, To: "e@example.org", Language: "de", Appointment: ap,
				ServiceName: injected, JoinToken: "j", ManageToken: "m"})
			if err != nil {
				t.Fatal(err)
			}
			checkNoInjection(t, m.Calendar)
			if strings.ContainsAny(m.Subject, "\r\n") || strings.Contains(m.Text, "\rATTACH") {
				t.Errorf("mail %q: subject %q, text %q", kind, m.Subject, m.Text)
			}
		}
	})
}
