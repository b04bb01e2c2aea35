package server

import (
	"fmt"
	"testing"
)

// hostileNext are next= values (as they stand in the query) that browsers
// resolve to another site, or to a path that would lead there.
var hostileNext = []string{
	"/%5Cevil.example/x",
	"/%5C%5Cevil.example/x",
	"/%09/evil.example/x",
	"/%0A/evil.example/x",
	"//evil.example/x",
	"/%2F%2Fevil.example/x",
	"/.//evil.example/x",
	"https://evil.example/x",
	"javascript:alert(1)",
	"%2F%2Fevil.example",
}

// TestBrowserLoginNext: after signing in, the staff page follows next only
// to a path on this site. Each hostile value is checked by the function
// the page uses and by a real sign-in that must stay on the origin.
func TestBrowserLoginNext(t *testing.T) {
	env := browserEnv(t, nil)
	b := newBrowser(t, env.srv.URL)
	tb := b.tab("staff")
	tb.open("/staff")

	importLogin := `import(new URL("login.js", document.querySelector('script[type=module]').src))`
	for _, tt := range []struct{ next, want string }{
		{"/admin", "/admin"},
		{"/console?case=7#notes", "/console?case=7#notes"},
		{"/%5Cevil.example/x", "/%5Cevil.example/x"}, // still encoded: a path here
		{"/\\evil.example/x", ""},
		{"/\t/evil.example/x", ""},
		{"//evil.example/x", ""},
		{"///evil.example", ""},
		{"/.//evil.example/x", ""},
		{"https://evil.example/x", ""},
		{"javascript:alert(1)", ""},
		{"", ""},
	} {
		got := eval[string](tb, fmt.Sprintf(`%s.then(m => m.safeNext(%s, location.origin) ?? "")`, importLogin, jsString(tt.next)))
		if got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}

	for _, next := range hostileNext {
		t.Run(next, func(t *testing.T) {
			tb.open("/staff?next=" + next)
			tb.wait("login form", `document.documentElement.dataset.view === "v-login"`)
			tb.fill("#l-email", testAdminEmail)
			tb.fill("#l-password", testPassword)
			tb.click("#login-form button[type=submit]")
			tb.wait("staff page on this site", fmt.Sprintf(`location.origin === %s && location.pathname === "/staff" && document.documentElement.dataset.view === "v-calendar"`,
				jsString(env.srv.URL)))
			tb.wait("signed out", `fetch("/api/v1/auth/me").then(r => r.json()).then(me =>
				fetch("/api/v1/auth/logout", {method: "POST", headers: {"X-CSRF-Token": me.csrf_token}})).then(r => r.status === 204)`)
		})
	}

	tb.open("/staff?next=/admin") // a path on this site is still followed
	tb.wait("login form", `document.documentElement.dataset.view === "v-login"`)
	tb.fill("#l-email", testAdminEmail)
	tb.fill("#l-password", testPassword)
	tb.click("#login-form button[type=submit]")
	tb.wait("admin page", `location.pathname === "/admin" && document.documentElement.dataset.view === "v-admin"`)
}
