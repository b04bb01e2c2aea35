package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestForeignCaseLooksMissing: a clerk must not learn whether a case
// number or appointment ID exists when it is not theirs, so every case and
// appointment route answers another clerk's case exactly like a missing one.
func TestForeignCaseLooksMissing(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	env.office(admin, "a@amt.example")
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "b@amt.example", "name": "B",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, nil)
	var b bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": 1, "start": "2026-03-30T09:00:00+02:00",
		"name": "E", "email": "e@example.org", "consent": true}, http.StatusCreated, &b)
	clerkB := env.login("b@amt.example")

	routes := []struct {
		name, method, path string
		body               any
	}{
		{"case", "GET", "/api/v1/cases/%s", nil},
		{"note", "POST", "/api/v1/cases/%s/notes", map[string]string{"text": "x"}},
		{"status", "POST", "/api/v1/cases/%s/status", map[string]string{"status": "done"}},
		{"ticket", "POST", "/api/v1/clerk/appointments/%d/ticket", nil},
		{"guest link", "POST", "/api/v1/clerk/appointments/%d/guest-link", nil},
		{"waiting", "GET", "/api/v1/clerk/appointments/%d/waiting", nil},
		{"appointment", "GET", "/api/v1/clerk/appointments/%d", nil},
	}
	for _, r := range routes {
		t.Run(r.name, func(t *testing.T) {
			foreign, missing := fmt.Sprintf(r.path, b.ID), fmt.Sprintf(r.path, 99999)
			if strings.Contains(r.path, "%s") {
				foreign, missing = fmt.Sprintf(r.path, b.CaseNumber), fmt.Sprintf(r.path, "2026-099999")
			}
			gotF, rawF := clerkB.do(r.method, foreign, r.body, nil)
			gotM, rawM := clerkB.do(r.method, missing, r.body, nil)
			if gotF != http.StatusNotFound || gotF != gotM || !bytes.Equal(rawF, rawM) {
				t.Fatalf("other clerk's: %d %s; missing: %d %s", gotF, rawF, gotM, rawM)
			}
		})
	}
}
