package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestMailOutage: while the relay refuses, mails wait with a growing
// backoff and the admin sees why; once it is back, each mail arrives
// exactly once.
func TestMailOutage(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			srv := startSMTP(t)
			srv.down.Store(true)
			env, clk := newAsyncEnv(t, kind, srv, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			starts := []string{"2026-03-30T09:00:00+02:00", "2026-03-30T09:30:00+02:00", "2026-03-30T10:00:00+02:00"}
			for i, s := range starts {
				env.book(svc, s, "b"+itoa(int64(i))+"@example.org", "de")
			}
			for range 3 { // three attempts each, with time passing between them
				clk.add(time.Hour)
				env.deliver()
			}
			var st struct {
				Counts      map[string]int `json:"counts"`
				Undelivered []struct {
					Attempts  int    `json:"attempts"`
					LastError string `json:"last_error"`
					Recipient string `json:"recipient"`
				} `json:"undelivered"`
			}
			admin.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusOK, &st)
			if st.Counts["pending"] != 3 || len(st.Undelivered) != 3 {
				t.Fatalf("while down: %+v", st)
			}
			for _, u := range st.Undelivered {
				if u.Attempts != 3 || !strings.Contains(u.LastError, "421") || strings.Contains(u.LastError, "example.org") ||
					!strings.HasPrefix(u.Recipient, "b***@") {
					t.Errorf("undelivered: %+v", u)
				}
			}
			if n := len(srv.all()); n != 0 {
				t.Fatalf("%d mails got through a refusing relay", n)
			}

			srv.down.Store(false)
			env.deliver() // backoff not over yet: nothing is sent early
			if n := len(srv.all()); n != 0 {
				t.Fatalf("%d mails sent before their backoff ended", n)
			}
			clk.add(time.Hour)
			env.deliver()
			env.deliver()
			got := srv.waitFor(3, 5*time.Second)
			seen := map[string]int{}
			for _, m := range got {
				seen[m.To[0]]++
			}
			if len(got) != 3 || len(seen) != 3 {
				t.Fatalf("after outage: %d mails to %v", len(got), seen)
			}
		})
	}
}

// TestMailWithoutSMTP: without smtp_url mails stay queued and the admin is told.
func TestMailWithoutSMTP(t *testing.T) {
	env, _ := newAsyncEnv(t, "sqlite", nil, nil)
	admin := env.login(testAdminEmail)
	_, svc := env.office(admin, "clerk@amt.example")
	env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", "de")
	env.deliver()
	var st struct {
		SMTPConfigured bool           `json:"smtp_configured"`
		Reason         string         `json:"reason"`
		Counts         map[string]int `json:"counts"`
	}
	admin.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusOK, &st)
	if st.SMTPConfigured || !strings.Contains(st.Reason, "SPRECHSTUNDE_SMTP_URL") || st.Counts["pending"] != 1 {
		t.Fatalf("status: %+v", st)
	}
	clerk := env.login("clerk@amt.example")
	clerk.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusForbidden, nil)
}
