package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

type bookingOut struct {
	ID         int64  `json:"id"`
	CaseNumber string `json:"case_number"`
	ServiceID  int64  `json:"service_id"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Status     string `json:"status"`
	JoinURL    string `json:"join_url"`
	ManageURL  string `json:"manage_url"`
}

type slotOut struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Available int    `json:"available"`
}

// lastSegment is a link's token: its last path segment, without the
// ?lang= the citizen's links carry.
func lastSegment(u string) string {
	u, _, _ = strings.Cut(u, "?")
	return u[strings.LastIndexByte(u, '/')+1:]
}

// TestJourney walks an office from setup to a note on a case, as an
// integrator would, on both databases.
func TestJourney(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			env := newTestEnv(t, kind, nil)
			admin := env.login(testAdminEmail)
			clerkID, svcID := env.office(admin, "clerk@amt.example")
			admin.mustDo("POST", "/api/v1/admin/closures", map[string]any{"date": "2026-04-06"}, http.StatusCreated, nil)

			citizen := env.client()
			var services []map[string]any
			citizen.mustDo("GET", "/api/v1/services", nil, http.StatusOK, &services)
			if len(services) != 1 || services[0]["name"] != "Beratung" || services[0]["duration_minutes"] != float64(30) {
				t.Fatalf("services: %v", services)
			}
			var slots []slotOut
			citizen.mustDo("GET", "/api/v1/services/"+itoa(svcID)+"/slots?from=2026-03-30&to=2026-04-06", nil, http.StatusOK, &slots)
			// Monday 30 March has 6 slots from 09:00 (CEST, +02:00); Monday 6 April is closed.
			if len(slots) != 6 || slots[0].Start != "2026-03-30T09:00:00+02:00" || slots[0].End != "2026-03-30T09:30:00+02:00" || slots[0].Available != 1 {
				t.Fatalf("slots: %+v", slots)
			}
			var b bookingOut
			citizen.mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svcID, "start": slots[0].Start,
				"name": "Erika Mustermann", "email": "erika@example.org", "consent": true, "topic": "Wohngeld", "language": "de"},
				http.StatusCreated, &b)
			if b.CaseNumber != "2026-000001" || b.Start != slots[0].Start || !strings.HasPrefix(b.JoinURL, env.cfg.PublicURL+"/join/") ||
				!strings.HasPrefix(b.ManageURL, env.cfg.PublicURL+"/manage/") || len(lastSegment(b.JoinURL)) < 22 {
				t.Fatalf("booking: %+v", b)
			}
			var again apiErr
			citizen.mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svcID, "start": slots[0].Start,
				"name": "Max", "email": "max@example.org", "consent": true}, http.StatusConflict, &again)
			if again.Error.Code != "slot_taken" {
				t.Fatalf("second booking: %+v", again)
			}
			citizen.mustDo("GET", "/api/v1/services/"+itoa(svcID)+"/slots?from=2026-03-30&to=2026-03-30", nil, http.StatusOK, &slots)
			if len(slots) != 5 {
				t.Fatalf("booked slot still offered: %+v", slots)
			}

			manage := "/api/v1/bookings/manage/" + lastSegment(b.ManageURL)
			var m bookingOut
			citizen.mustDo("GET", manage, nil, http.StatusOK, &m)
			if m.ID != b.ID || m.CaseNumber != b.CaseNumber || m.ServiceID != svcID || m.Status != "booked" || m.Start != b.Start {
				t.Fatalf("manage: %+v", m)
			}

			clerk := env.login("clerk@amt.example")
			var appts []map[string]any
			clerk.mustDo("GET", "/api/v1/clerk/appointments?from=2026-03-30&to=2026-03-30", nil, http.StatusOK, &appts)
			if len(appts) != 1 || appts[0]["citizen_name"] != "Erika Mustermann" || appts[0]["case_number"] != b.CaseNumber ||
				appts[0]["service_id"] != float64(svcID) || appts[0]["status"] != "booked" {
				t.Fatalf("appointments: %v", appts)
			}
			clerk.mustDo("POST", "/api/v1/cases/"+b.CaseNumber+"/notes", map[string]any{"text": "Unterlagen fehlen noch."}, http.StatusCreated, nil)
			var cs struct {
				CaseNumber string `json:"case_number"`
				Status     string `json:"status"`
				ClerkID    int64  `json:"clerk_id"`
				Notes      []struct {
					ID        int64  `json:"id"`
					Text      string `json:"text"`
					AuthorID  int64  `json:"author_id"`
					CreatedAt string `json:"created_at"`
				} `json:"notes"`
				Events []struct {
					Type string `json:"type"`
					At   string `json:"at"`
				} `json:"events"`
			}
			clerk.mustDo("GET", "/api/v1/cases/"+b.CaseNumber, nil, http.StatusOK, &cs)
			if cs.ClerkID != clerkID || cs.Status != "booked" || len(cs.Notes) != 1 || cs.Notes[0].Text != "Unterlagen fehlen noch." ||
				cs.Notes[0].AuthorID != clerkID || cs.Notes[0].CreatedAt == "" || len(cs.Events) != 2 ||
				cs.Events[0].Type != "booked" || cs.Events[1].Type != "note_added" {
				t.Fatalf("case: %+v", cs)
			}

			citizen.mustDo("DELETE", manage, nil, http.StatusNoContent, nil)
			citizen.mustDo("DELETE", manage, nil, http.StatusNoContent, nil) // idempotent
			citizen.mustDo("GET", manage, nil, http.StatusOK, &m)
			if m.Status != "cancelled" {
				t.Fatalf("after cancel: %+v", m)
			}
			citizen.mustDo("GET", "/api/v1/services/"+itoa(svcID)+"/slots?from=2026-03-30&to=2026-03-30", nil, http.StatusOK, &slots)
			if len(slots) != 6 {
				t.Fatalf("cancel did not free the slot: %d slots", len(slots))
			}
			clerk.mustDo("GET", "/api/v1/cases/"+b.CaseNumber, nil, http.StatusOK, &cs)
			if cs.Status != "cancelled" || cs.Events[len(cs.Events)-1].Type != "cancelled" {
				t.Fatalf("case after cancel: %+v", cs)
			}

			clerk.mustDo("POST", "/api/v1/auth/logout", nil, http.StatusNoContent, nil)
			clerk.mustDo("GET", "/api/v1/clerk/appointments", nil, http.StatusUnauthorized, nil)
		})
	}
}

// TestAccessControl checks authentication, roles, CSRF and case ownership
// on every staff endpoint.
func TestAccessControl(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	env.office(admin, "a@amt.example")
	var other idJSON
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "b@amt.example", "name": "B",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &other)
	var b bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": 1, "start": "2026-03-30T09:00:00+02:00",
		"name": "E", "email": "e@example.org", "consent": true}, http.StatusCreated, &b)

	anon := env.client()
	clerkB := env.login("b@amt.example")
	noCSRF := env.login("a@amt.example")
	noCSRF.csrf = ""
	adminRoutes := []struct{ method, path string }{
		{"GET", "/api/v1/admin/users"}, {"POST", "/api/v1/admin/users"}, {"PATCH", "/api/v1/admin/users/1"},
		{"GET", "/api/v1/admin/services"}, {"POST", "/api/v1/admin/services"}, {"PUT", "/api/v1/admin/services/1"},
		{"GET", "/api/v1/admin/services/1/hours"}, {"POST", "/api/v1/admin/services/1/hours"}, {"DELETE", "/api/v1/admin/hours/1"},
		{"GET", "/api/v1/admin/closures"}, {"POST", "/api/v1/admin/closures"}, {"DELETE", "/api/v1/admin/closures/1"},
	}
	for _, r := range adminRoutes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			if got, _ := anon.do(r.method, r.path, "{}", nil); got != http.StatusUnauthorized {
				t.Errorf("anonymous: %d", got)
			}
			if got, _ := clerkB.do(r.method, r.path, "{}", nil); got != http.StatusForbidden {
				t.Errorf("clerk: %d", got)
			}
		})
	}
	staffRoutes := []struct {
		name, method, path string
		who                *client
		want               int
	}{
		{"anonymous appointments", "GET", "/api/v1/clerk/appointments", anon, 401},
		{"anonymous case", "GET", "/api/v1/cases/" + b.CaseNumber, anon, 401},
		{"other clerk's case", "GET", "/api/v1/cases/" + b.CaseNumber, clerkB, 404},
		{"note on other clerk's case", "POST", "/api/v1/cases/" + b.CaseNumber + "/notes", clerkB, 404},
		{"other clerk's calendar", "GET", "/api/v1/clerk/appointments?clerk_id=2", clerkB, 403},
		{"note without CSRF", "POST", "/api/v1/cases/" + b.CaseNumber + "/notes", noCSRF, 403},
		{"admin reads any case", "GET", "/api/v1/cases/" + b.CaseNumber, admin, 200},
		{"logout without CSRF", "POST", "/api/v1/auth/logout", noCSRF, 403},
	}
	for _, r := range staffRoutes {
		t.Run(r.name, func(t *testing.T) {
			got, raw := r.who.do(r.method, r.path, `{"text":"x"}`, nil)
			if got != r.want {
				t.Errorf("status %d, want %d: %s", got, r.want, raw)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		var e apiErr
		env.client().mustDo("POST", "/api/v1/auth/login", map[string]string{"email": testAdminEmail, "password": "wrong password!"}, 401, &e)
		env.client().mustDo("POST", "/api/v1/auth/login", map[string]string{"email": "nobody@amt.example", "password": "wrong password!"}, 401, nil)
		if e.Error.Code != "invalid_credentials" {
			t.Errorf("code %q", e.Error.Code)
		}
	})
	t.Run("deactivated user loses session", func(t *testing.T) {
		admin.mustDo("PATCH", "/api/v1/admin/users/"+itoa(other.ID), map[string]any{"active": false}, 200, nil)
		clerkB.mustDo("GET", "/api/v1/clerk/appointments", nil, 401, nil)
		env.client().mustDo("POST", "/api/v1/auth/login", map[string]string{"email": "b@amt.example", "password": testPassword}, 401, nil)
	})
}

func TestSessionCookie(t *testing.T) {
	tests := []struct {
		publicURL, name string
		secure          bool
	}{
		{"http://localhost:8080", "sprechstunde_session", false},
		{"https://termine.amt.example", "__Host-sprechstunde_session", true},
	}
	for _, tt := range tests {
		t.Run(tt.publicURL, func(t *testing.T) {
			env := newTestEnv(t, "sqlite", func(c *Config) { c.PublicURL = tt.publicURL })
			req, _ := http.NewRequest("POST", env.srv.URL+"/api/v1/auth/login",
				strings.NewReader(`{"email":"`+testAdminEmail+`","password":"`+testPassword+`"}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cs := resp.Cookies()
			if len(cs) != 1 || cs[0].Name != tt.name || !cs[0].HttpOnly || cs[0].Secure != tt.secure ||
				cs[0].SameSite != http.SameSiteLaxMode || cs[0].Path != "/" || len(cs[0].Value) < 22 {
				t.Fatalf("cookie: %+v", cs)
			}
		})
	}
}
