package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestTrustedProxiesExactly: X-Forwarded-For is believed only from the
// configured proxies; a client on loopback or a private network that
// forges it is limited by its real address.
func TestTrustedProxiesExactly(t *testing.T) {
	const perMinute = 3
	tests := []struct {
		name    string
		proxies []string
		limited bool // the forging client from 127.0.0.1 runs into the limit
	}{
		{"none configured", []string{}, true},
		{"private range configured", []string{"10.0.0.0/8"}, true},
		{"loopback is the proxy", []string{"127.0.0.1/32"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, "sqlite", func(c *Config) {
				c.RateLimitPerMinute = perMinute
				c.TrustedProxies = tt.proxies
			})
			h := env.app.Handler()
			limited := 0
			for i := range 3 * perMinute {
				req := httptest.NewRequest(http.MethodGet, "/api/v1/bookings/manage/no-such-token", nil)
				req.RemoteAddr = "127.0.0.1:40000"
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code == http.StatusTooManyRequests {
					limited++
				}
			}
			if got := limited > 0; got != tt.limited {
				t.Fatalf("%d of %d requests limited, want limited=%v", limited, 3*perMinute, tt.limited)
			}
		})
	}
}
