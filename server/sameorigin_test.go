package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestSameOriginWrites: login (and every other state-changing API route)
// takes only JSON declared as such, and only from this origin, so a
// foreign page cannot sign a clerk's browser into another account. Clients
// that send no Origin (integrations, curl) still work.
func TestSameOriginWrites(t *testing.T) {
	env := newTestEnv(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 0 })
	own := env.srv.URL
	body := `{"email":"` + testAdminEmail + `","password":"` + testPassword + `"}`
	tests := []struct {
		name, path, contentType string
		header                  map[string]string
		want                    int
		code                    string
	}{
		{"json", "/api/v1/auth/login", "application/json", nil, http.StatusOK, ""},
		{"json with charset", "/api/v1/auth/login", "application/json; charset=utf-8", nil, http.StatusOK, ""},
		{"own origin", "/api/v1/auth/login", "application/json",
			map[string]string{"Origin": own, "Sec-Fetch-Site": "same-origin"}, http.StatusOK, ""},
		{"public_url origin", "/api/v1/auth/login", "application/json",
			map[string]string{"Origin": env.cfg.PublicURL}, http.StatusOK, ""},
		{"text/plain", "/api/v1/auth/login", "text/plain", nil, http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{"form", "/api/v1/auth/login", "application/x-www-form-urlencoded", nil, http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{"no content type", "/api/v1/auth/login", "", nil, http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{"foreign origin", "/api/v1/auth/login", "application/json",
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "cross_origin"},
		{"null origin", "/api/v1/auth/login", "application/json",
			map[string]string{"Origin": "null"}, http.StatusForbidden, "cross_origin"},
		{"cross-site fetch", "/api/v1/auth/login", "application/json",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden, "cross_origin"},
		{"foreign origin, text/plain", "/api/v1/auth/login", "text/plain",
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "cross_origin"},
		{"public booking, foreign origin", "/api/v1/bookings", "application/json",
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "cross_origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, own+tt.path, strings.NewReader(body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e apiErr
			_ = json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != tt.want || e.Error.Code != tt.code {
				t.Fatalf("status %d code %q, want %d %q", resp.StatusCode, e.Error.Code, tt.want, tt.code)
			}
			if tt.want != http.StatusOK && len(resp.Cookies()) > 0 {
				t.Fatalf("a refused login set cookies: %v", resp.Cookies())
			}
		})
	}
}
