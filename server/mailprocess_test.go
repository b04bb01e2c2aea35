package server

import (
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestMailSurvivesKill9: the real binary is killed while it delivers
// confirmations to a slow relay. After a restart every mail arrives, and
// at most the one in flight at the kill arrives twice, with the same
// Message-ID (the relay had accepted it, we had not yet marked it sent).
func TestMailSurvivesKill9(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			srv := startSMTP(t)
			srv.delay.Store(int64(100 * time.Millisecond))
			dsn := storetest.DSN(t, kind)
			mailEnv := []string{"SPRECHSTUNDE_SMTP_URL=" + srv.url(), "SPRECHSTUNDE_MAIL_FROM=termine@amt.example",
				"SPRECHSTUNDE_MAIL_LEASE=2s", "SPRECHSTUNDE_MAIL_POLL_INTERVAL=200ms"}
			cmd, base := startProcess(t, dsn, mailEnv...)
			admin := loginAt(t, base, testAdminEmail)
			_, svc := setupOffice(admin, "clerk@amt.example", []int{1, 2, 3, 4, 5, 6, 7}, "00:00", "24:00")
			var slots []slotOut
			from, to := time.Now().Format(time.DateOnly), time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
			newClient(t, base).mustDo("GET", "/api/v1/services/"+itoa(svc)+"/slots?from="+from+"&to="+to, nil, 200, &slots)
			const n = 12
			if len(slots) < n {
				t.Fatalf("only %d slots", len(slots))
			}
			var cases []string
			cl := newClient(t, base)
			for i := range n {
				var b bookingOut
				cl.mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": slots[i].Start,
					"name": "E", "email": "k" + itoa(int64(i)) + "@example.org", "consent": true}, http.StatusCreated, &b)
				cases = append(cases, b.CaseNumber)
			}
			srv.waitFor(3, 20*time.Second)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			before := len(srv.all())
			if before >= n {
				t.Fatalf("all %d mails went out before the kill; slow the relay down", before)
			}

			startProcess(t, dsn, mailEnv...)
			deadline := time.Now().Add(30 * time.Second)
			ids := map[string]int{}
			for {
				ids = map[string]int{}
				for _, m := range srv.all() {
					ids[m.MessageID]++
				}
				if len(ids) >= n || time.Now().After(deadline) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			got := srv.all()
			dups := len(got) - len(ids)
			if len(ids) != n || dups > 1 {
				t.Fatalf("%d distinct mails of %d, %d duplicates", len(ids), n, dups)
			}
			subjects := ""
			for _, m := range got {
				subjects += m.Subject + "\n"
			}
			for _, c := range cases {
				if !strings.Contains(subjects, c) {
					t.Errorf("no mail for case %s", c)
				}
			}
			t.Logf("%s: %d mails before kill -9, all %d after restart, %d duplicate(s)", kind, before, n, dups)
		})
	}
}
