package server

import (
	"net/http"
	"testing"
)

// TestCaseNotesNameTheirAuthor: the case file names who wrote each note
// (the clerk, an admin), in the case and in the answer to a new note.
func TestCaseNotesNameTheirAuthor(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	env.office(admin, "a@amt.example")
	var b bookingOut
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": 1, "start": "2026-03-30T09:00:00+02:00",
		"name": "E", "email": "e@example.org", "consent": true}, http.StatusCreated, &b)
	clerk := env.login("a@amt.example")
	type note struct {
		Text       string `json:"text"`
		AuthorName string `json:"author_name"`
	}
	var created note
	clerk.mustDo("POST", "/api/v1/cases/"+b.CaseNumber+"/notes", map[string]any{"text": "vom Sachbearbeiter"}, http.StatusCreated, &created)
	if created.AuthorName != "Clerk a@amt.example" {
		t.Errorf("new note's author %q", created.AuthorName)
	}
	admin.mustDo("POST", "/api/v1/cases/"+b.CaseNumber+"/notes", map[string]any{"text": "von der Leitung"}, http.StatusCreated, nil)
	var cs struct {
		Notes []note `json:"notes"`
	}
	clerk.mustDo("GET", "/api/v1/cases/"+b.CaseNumber, nil, http.StatusOK, &cs)
	want := map[string]string{"vom Sachbearbeiter": "Clerk a@amt.example", "von der Leitung": "Administrator"} // the bootstrap admin
	if len(cs.Notes) != len(want) {
		t.Fatalf("notes %+v", cs.Notes)
	}
	for _, n := range cs.Notes {
		if n.AuthorName != want[n.Text] || n.AuthorName == "" {
			t.Errorf("note %q by %q, want %q", n.Text, n.AuthorName, want[n.Text])
		}
	}
}
