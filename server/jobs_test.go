package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, mustLoc("Europe/Berlin"))
	if err != nil {
		panic(err)
	}
	return t
}

// TestRemindersAcrossDST runs the reminder job at chosen instants around
// the change to summer time (29 March 2026, 02:00 CET -> 03:00 CEST).
func TestRemindersAcrossDST(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			srv := startSMTP(t)
			env, clk := newAsyncEnv(t, kind, srv, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			early := env.book(svc, "2026-03-30T09:00:00+02:00", "frueh@example.org", "de")
			clk.set(at("2026-03-29 10:00")) // booked less than 24 h ahead: only the 1 h reminder
			late := env.book(svc, "2026-03-30T09:30:00+02:00", "spaet@example.org", "en")
			env.deliver()
			srv.waitFor(2, 5*time.Second)

			steps := []struct {
				now  string
				want int
			}{
				{"2026-03-29 08:59", 0},
				{"2026-03-29 09:00", 1}, // exactly 24 h before 09:00 CEST, one hour less on the wall clock's other side
				{"2026-03-29 09:05", 0}, // already queued
				{"2026-03-29 10:01", 0}, // late: 24 h mark lay before its booking
				{"2026-03-30 07:59", 0},
				{"2026-03-30 08:00", 1},
				{"2026-03-30 08:30", 1},
				{"2026-03-30 09:00", 0}, // early has begun
			}
			for _, s := range steps {
				t.Run(s.now, func(t *testing.T) {
					clk.set(at(s.now))
					n, err := env.app.office.SendReminders(context.Background(), clk.now())
					if err != nil || n != s.want {
						t.Fatalf("reminders at %s: %d, %v; want %d", s.now, n, err, s.want)
					}
				})
			}
			env.deliver()
			got := srv.waitFor(5, 5*time.Second)[2:]
			want := []struct{ to, text, join string }{
				{"frueh@example.org", "Ihr Termin beginnt in 24 Stunden.", early.JoinURL},
				{"frueh@example.org", "Ihr Termin beginnt in einer Stunde.", early.JoinURL},
				{"spaet@example.org", "Your appointment starts in 1 hour.", late.JoinURL},
			}
			for i, w := range want {
				m := got[i]
				if m.To[0] != w.to || !strings.Contains(m.Text, w.text) || !strings.Contains(m.Text, w.join) || m.ICS != "" {
					t.Errorf("reminder %d to %v: %q", i, m.To, m.Text)
				}
			}
		})
	}
}

// TestNoShowJob: unjoined appointments become no_show after end plus
// grace; joined ones stay.
func TestNoShowJob(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			env, clk := newAsyncEnv(t, kind, nil, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			absent := env.book(svc, "2026-03-30T09:00:00+02:00", "a@example.org", "de")
			present := env.book(svc, "2026-03-30T09:30:00+02:00", "p@example.org", "de")
			if err := env.app.office.MarkJoined(context.Background(), present.ID, at("2026-03-30 09:31")); err != nil {
				t.Fatal(err)
			}
			for _, s := range []struct {
				now  string
				want int
			}{{"2026-03-30 09:44", 0}, {"2026-03-30 09:46", 1}, {"2026-03-30 11:00", 0}} {
				clk.set(at(s.now))
				if n, err := env.app.office.MarkNoShows(context.Background(), clk.now()); err != nil || n != s.want {
					t.Fatalf("at %s: %d, %v; want %d", s.now, n, err, s.want)
				}
			}
			admin = env.login(testAdminEmail) // the clock moved past the first session
			for num, want := range map[string]string{absent.CaseNumber: "no_show", present.CaseNumber: "booked"} {
				var cs caseOut
				admin.mustDo("GET", "/api/v1/cases/"+num, nil, http.StatusOK, &cs)
				if cs.Status != want {
					t.Errorf("case %s: %s, want %s", num, cs.Status, want)
				}
			}
		})
	}
}

// TestRetention deletes exactly what is due, spares archived cases and
// records each deletion by class and count only.
func TestRetention(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			env, clk := newAsyncEnv(t, kind, nil, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			a := env.book(svc, "2026-03-30T09:00:00+02:00", "a@example.org", "de")
			b := env.book(svc, "2026-03-30T10:00:00+02:00", "b@example.org", "de")
			c := env.book(svc, "2026-04-20T09:00:00+02:00", "c@example.org", "de")
			admin.mustDo("POST", "/api/v1/cases/"+a.CaseNumber+"/notes", map[string]any{"text": "Unterlagen fehlen"}, http.StatusCreated, nil)
			for _, x := range []bookingOut{a, b, c} {
				admin.mustDo("POST", "/api/v1/cases/"+x.CaseNumber+"/status", map[string]any{"status": "done"}, http.StatusOK, nil)
			}
			day := 24 * time.Hour
			endA := at("2026-03-30 09:30")
			run := func(now time.Time, want map[string]int) {
				t.Helper()
				clk.set(now)
				got, err := env.app.office.ApplyRetention(context.Background(), now)
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("at %s: %s = %d, want %d (all %v)", now, k, got[k], v, got)
					}
				}
			}
			named := func(id int64) bool {
				var name string
				env.rawSQL().Raw("SELECT citizen_name FROM appointments WHERE id = ?", id).Scan(&name)
				return name != ""
			}
			run(endA.Add(90*day-time.Minute), map[string]int{"citizen_data": 0})
			run(endA.Add(90*day+time.Minute), map[string]int{"citizen_data": 1})
			if named(a.ID) || !named(b.ID) || !named(c.ID) {
				t.Fatalf("after 90 days: a %v b %v c %v", named(a.ID), named(b.ID), named(c.ID))
			}
			run(endA.Add(730*day+2*time.Hour), map[string]int{"citizen_data": 2, "archive_offer": 2, "case": 0})
			admin = env.login(testAdminEmail) // the clock moved past the first session
			admin.mustDo("POST", "/api/v1/admin/cases/"+b.CaseNumber+"/archive", nil, http.StatusNoContent, nil)
			var offers []map[string]string
			admin.mustDo("GET", "/api/v1/admin/archive", nil, http.StatusOK, &offers)
			if len(offers) != 1 || offers[0]["case_number"] != a.CaseNumber {
				t.Fatalf("offers: %v", offers)
			}
			run(endA.Add(820*day+3*time.Hour), map[string]int{"case": 1, "archive_offer": 1})
			admin = env.login(testAdminEmail)
			admin.mustDo("GET", "/api/v1/cases/"+a.CaseNumber, nil, http.StatusNotFound, nil)
			admin.mustDo("GET", "/api/v1/cases/"+b.CaseNumber, nil, http.StatusOK, nil)
			admin.mustDo("GET", "/api/v1/cases/"+c.CaseNumber, nil, http.StatusOK, nil)
			var notes int64
			env.rawSQL().Raw("SELECT count(*) FROM notes").Scan(&notes)
			if notes != 0 {
				t.Errorf("%d notes outlived their case", notes)
			}

			var log []httpapi.AuditEntry
			admin.mustDo("GET", "/api/v1/admin/audit?limit=500", nil, http.StatusOK, &log)
			var retention []string
			for _, e := range log {
				if e.Action == "retention_deleted" {
					retention = append(retention, e.Object+" "+e.Detail)
				}
			}
			want := "class:case count=1|class:archive_offer count=1|class:archive_offer count=2|class:citizen_data count=2|class:citizen_data count=1"
			if strings.Join(retention, "|") != want {
				t.Errorf("retention audit:\n got %s\nwant %s", strings.Join(retention, "|"), want)
			}
		})
	}
}
