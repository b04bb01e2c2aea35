package server

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// scrape fetches url with an optional bearer token.
func scrape(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestMetrics: requests, jobs and the media server show up by route
// pattern and name only; a token, when set, is required.
func TestMetrics(t *testing.T) {
	const token = "scrape-me-not"
	env := newTestEnv(t, "sqlite", func(c *Config) { c.MetricsToken = token })
	if err := env.app.StartJobs(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.app.StopJobs)
	ms := httptest.NewServer(env.app.metrics.handler(env.cfg.MetricsToken))
	t.Cleanup(ms.Close)

	cl := env.client()
	cl.mustDo("GET", "/api/v1/services", nil, 200, nil)
	secret := "manage-token-that-must-not-leak-0123456789"
	cl.mustDo("GET", "/api/v1/bookings/manage/"+secret, nil, 404, nil)
	cl.mustDo("GET", "/no/such/"+secret, nil, 404, nil)

	t.Run("token required", func(t *testing.T) {
		for _, tok := range []string{"", "wrong"} {
			if code, _ := scrape(t, ms.URL+"/metrics", tok); code != http.StatusUnauthorized {
				t.Errorf("token %q: status %d, want 401", tok, code)
			}
		}
		if code, _ := scrape(t, ms.URL+"/other", token); code != http.StatusNotFound {
			t.Errorf("/other: status %d, want 404", code)
		}
	})

	t.Run("figures", func(t *testing.T) {
		var body string
		deadline := time.Now().Add(10 * time.Second)
		for {
			var code int
			code, body = scrape(t, ms.URL+"/metrics", token)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			if strings.Contains(body, `sprechstunde_job_runs_total{job="reminders",result="ok"}`) || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		for _, want := range []string{
			`sprechstunde_http_requests_total{code="200",method="GET",route="/api/v1/services"} 1`,
			`sprechstunde_http_requests_total{code="404",method="GET",route="/api/v1/bookings/manage/:token"} 1`,
			`sprechstunde_http_requests_total{code="404",method="GET",route="/*"} 1`,
			`sprechstunde_http_request_duration_seconds_count{method="GET",route="/api/v1/services"} 1`,
			`sprechstunde_job_runs_total{job="reminders",result="ok"}`,
			`sprechstunde_job_last_success_timestamp_seconds{job="reminders"}`,
			`sprechstunde_mails_delivered_total 0`,
			`sprechstunde_sfu_rooms 0`,
			`sprechstunde_sfu_participants{state="waiting"} 0`,
			`sprechstunde_sfu_participants{state="admitted"} 0`,
			`sprechstunde_sfu_forwarded_packets_total 0`,
			`sprechstunde_sfu_send_dropped_total 0`,
			`go_goroutines `,
			`process_resident_memory_bytes `,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		for _, leak := range []string{secret, testAdminEmail} {
			if strings.Contains(body, leak) {
				t.Errorf("metrics contain %q", leak)
			}
		}
	})
}

// TestMetricsListener: serve opens metrics_addr apart from the public port,
// and the public port has no /metrics.
func TestMetricsListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // free again for the server; nothing else binds it meanwhile
	_, base := startProcess(t, storetest.DSN(t, "sqlite"), "SPRECHSTUNDE_METRICS_ADDR="+addr)
	if code, _ := scrape(t, base+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("public /metrics: status %d, want 404", code)
	}
	code, body := scrape(t, "http://"+addr+"/metrics", "")
	if code != http.StatusOK || !strings.Contains(body, "sprechstunde_sfu_rooms 0") {
		t.Fatalf("metrics listener: status %d, body %.300s", code, body)
	}
}
