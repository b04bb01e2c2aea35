package server

import (
	"strings"
	"testing"
	"time"
)

// adminPage signs the admin in through the login page and opens /admin in German.
func adminPage(t *testing.T, env *testEnv) *tab {
	t.Helper()
	tb := newBrowser(t, env.srv.URL).tab("admin")
	tb.open("/staff?lang=de&next=/admin")
	tb.wait("login form", `document.documentElement.dataset.view === "v-login"`)
	tb.fill("#l-email", testAdminEmail)
	tb.fill("#l-password", testPassword)
	tb.click("#login-form button[type=submit]")
	tb.wait("admin page", `location.pathname === "/admin" && document.documentElement.dataset.view === "v-admin"`)
	return tb
}

// TestBrowserOutbox: the admin page warns while mail cannot be sent, lists
// a failed mail with its masked recipient and reason, and sends it again.
func TestBrowserOutbox(t *testing.T) {
	t.Run("without SMTP", func(t *testing.T) {
		env, _ := newAsyncEnv(t, "sqlite", nil, nil)
		admin := env.login(testAdminEmail)
		_, svc := env.office(admin, "clerk@amt.example")
		env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", "de")
		tb := adminPage(t, env)
		tb.wait("SMTP banner", `!document.getElementById("smtp-banner").hidden`)
		tb.wait("queued mail listed", `!!document.querySelector("#outbox tr[data-mail]")`)
		row := eval[string](tb, `document.querySelector("#outbox tr[data-mail]").textContent`)
		if !strings.Contains(row, "Buchungsbestätigung") || !strings.Contains(row, "e***@") || strings.Contains(row, "erika@") ||
			!strings.Contains(row, "wartet") {
			t.Errorf("queued mail row: %q", row)
		}
		if eval[bool](tb, `!!document.querySelector("#outbox button[data-retry]")`) {
			t.Error("a waiting mail offers a retry")
		}
		tb.axeCheck("admin outbox without SMTP [de]")
	})

	t.Run("failed mail retried", func(t *testing.T) {
		srv := startSMTP(t)
		srv.down.Store(true)
		env, clk := newAsyncEnv(t, "sqlite", srv, nil)
		admin := env.login(testAdminEmail)
		_, svc := env.office(admin, "clerk@amt.example")
		env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", "de")
		env.deliver()
		clk.add(73 * time.Hour) // the next refusal gives up
		env.deliver()
		srv.down.Store(false)

		tb := adminPage(t, env)
		if !eval[bool](tb, `document.getElementById("smtp-banner").hidden`) {
			t.Error("SMTP banner shown although SMTP is configured")
		}
		tb.wait("failed mail with retry", `!!document.querySelector("#outbox button[data-retry]")`)
		row := eval[string](tb, `document.querySelector("#outbox tr[data-mail]").textContent`)
		if !strings.Contains(row, "gescheitert") || !strings.Contains(row, "421") {
			t.Errorf("failed mail row: %q", row)
		}
		tb.click("#outbox button[data-retry]")
		tb.wait("retry confirmed", `document.getElementById("outbox-status").textContent.includes("erneut gesendet")`)
		tb.wait("mail waiting again", `!document.querySelector("#outbox button[data-retry]")`)
		env.deliver()
		if got := srv.waitFor(1, 5*time.Second); len(got) != 1 {
			t.Fatalf("retried mail not delivered: %d", len(got))
		}
	})
}
