package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestUnknownAddressAnswers: a browser asking for an unknown page gets the
// site's HTML 404 page; API clients and the API paths keep the JSON error.
func TestUnknownAddressAnswers(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	for _, tc := range []struct {
		name, path, accept string
		wantType, wantBody string
	}{
		{"browser unknown page", "/nirgends", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html", `data-page="notfound"`},
		{"browser unknown staff page", "/staff/nichts", "text/html", "text/html", `data-page="notfound"`},
		{"api client unknown page", "/nirgends", "application/json", "application/json", `"code":"not_found"`},
		{"browser unknown api path", "/api/v1/nirgends", "text/html", "application/json", `"code":"not_found"`},
		{"browser unknown asset", "/assets/0000000000000000/x.css", "text/html", "application/json", `"code":"not_found"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, env.srv.URL+tc.path, nil)
			req.Header.Set("Accept", tc.accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.wantType) ||
				!strings.Contains(string(b), tc.wantBody) {
				t.Fatalf("%d %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
			if tc.wantType == "text/html" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Errorf("404 page without security headers: %v", resp.Header)
			}
		})
	}
}

// TestPageTrailingSlash: a page address with a trailing slash, such as a
// join link a mail program extended, leads to the page; the API keeps its
// exact paths.
func TestPageTrailingSlash(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct{ path, wantLocation string }{
		{"/join/abc123/", "/join/abc123"},
		{"/join/abc123/?lang=en", "/join/abc123?lang=en"},
		{"/staff/", "/staff"},
		{"/manage/tok/", "/manage/tok"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := noFollow.Get(env.srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tc.wantLocation {
				t.Fatalf("%d Location %q, want 301 %q", resp.StatusCode, resp.Header.Get("Location"), tc.wantLocation)
			}
			resp, err = http.Get(env.srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("after redirect: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		})
	}
	resp, err := noFollow.Get(env.srv.URL + "/api/v1/services/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/api/v1/services/: %d, want 404 (no redirect for the API)", resp.StatusCode)
	}
}
