package server

import (
	"net/http"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestMailRetry: a mail given up during a long relay outage keeps its
// sealed text; the admin sends it again (clerks may not), and it arrives.
// Unknown mails are 404, mails that have not failed 409.
func TestMailRetry(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			srv := startSMTP(t)
			srv.down.Store(true)
			env, clk := newAsyncEnv(t, kind, srv, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", "de")
			env.deliver()
			type mailStatus struct {
				Counts      map[string]int `json:"counts"`
				Undelivered []struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
				} `json:"undelivered"`
			}
			var st mailStatus
			admin.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusOK, &st)
			if len(st.Undelivered) != 1 || st.Undelivered[0].Status != "pending" {
				t.Fatalf("after a refused attempt: %+v", st)
			}
			id := itoa(st.Undelivered[0].ID)
			admin.mustDo("POST", "/api/v1/admin/mail/"+id+"/retry", nil, http.StatusConflict, nil) // not failed yet

			clk.add(73 * time.Hour) // beyond the mail's maximum age: the next refusal gives up
			env.deliver()
			admin = env.login(testAdminEmail) // the first session has expired meanwhile
			admin.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusOK, &st)
			if st.Counts["failed"] != 1 {
				t.Fatalf("not given up: %+v", st)
			}

			srv.down.Store(false)
			for _, tc := range []struct {
				name string
				who  *client
				path string
				want int
			}{
				{"clerk", env.login("clerk@amt.example"), "/api/v1/admin/mail/" + id + "/retry", http.StatusForbidden},
				{"anonymous", env.client(), "/api/v1/admin/mail/" + id + "/retry", http.StatusUnauthorized},
				{"unknown mail", admin, "/api/v1/admin/mail/999999/retry", http.StatusNotFound},
				{"not a number", admin, "/api/v1/admin/mail/x/retry", http.StatusNotFound},
				{"admin", admin, "/api/v1/admin/mail/" + id + "/retry", http.StatusOK},
			} {
				if code, body := tc.who.do("POST", tc.path, nil, nil); code != tc.want {
					t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.want)
				}
			}
			env.deliver()
			if got := srv.waitFor(1, 5*time.Second); len(got) != 1 || got[0].To[0] != "erika@example.org" {
				t.Fatalf("retried mail: %d mails", len(got))
			}
			admin.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusOK, &st)
			if st.Counts["failed"] != 0 || st.Counts["sent"] != 1 {
				t.Errorf("after retry: %+v", st)
			}
		})
	}
}
