package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/server/httpapi"
)

// TestMetricLabelsBounded: invented methods and random paths add no
// metric series and no memory per request; they share "OTHER" and "/*".
func TestMetricLabelsBounded(t *testing.T) {
	env := newTestEnv(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 0 })
	h := env.app.Handler()
	rng := rand.New(rand.NewPCG(1, 2))
	send := func(n int) {
		for range n {
			method := fmt.Sprintf("Z%08dAAAA", rng.IntN(1e8))
			path := fmt.Sprintf("/x/%d", rng.Int64())
			switch rng.IntN(3) {
			case 0:
				path = "/api/v1/services" // a real route, an invented method
			case 1:
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, path, nil)
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}

	send(500) // every label combination the stream can produce exists now
	series, heap := httpSeries(t, env.app.metrics), heapInUse()
	send(5000)
	if got := httpSeries(t, env.app.metrics); got != series {
		t.Errorf("HTTP metric series grew from %d to %d", series, got)
	}
	// Before the labels were bounded, each request kept about 13 KB.
	if grown := heapInUse() - heap; grown > 4<<20 {
		t.Errorf("heap grew by %d bytes over 5000 requests", grown)
	}

	for _, tt := range []struct{ in, want string }{
		{"GET", "GET"}, {"PATCH", "PATCH"}, {"TRACE", "TRACE"}, {"get", "OTHER"}, {"Z00001AAAA", "OTHER"}, {"", "OTHER"},
	} {
		if got := httpapi.MethodLabel(tt.in); got != tt.want {
			t.Errorf("MethodLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFloodLogsQuietly: a stream of invented methods, unknown paths and
// rate-limited requests writes nothing at info level, and the access log
// never repeats a method a client made up.
func TestFloodLogsQuietly(t *testing.T) {
	env := newTestEnv(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 1 })
	var level slog.LevelVar
	var out lockedBuffer
	app, err := NewApp(context.Background(), env.cfg, slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: &level})),
		WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Close() })
	h := app.Handler()
	out.reset() // what starting up said
	for i := range 300 {
		for _, req := range []*http.Request{
			httptest.NewRequest(fmt.Sprintf("ZINVENTED%d", i), "/api/v1/services", nil),
			httptest.NewRequest(http.MethodGet, fmt.Sprintf("/x/%d", i), nil),
			httptest.NewRequest(http.MethodGet, "/api/v1/bookings/manage/no-such-token", nil), // 429 after the first
		} {
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	if info := out.reset(); info != "" {
		t.Errorf("the flood was logged at info level:\n%.500s", info)
	}
	level.Set(slog.LevelDebug)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("ZINVENTED", "/api/v1/services", nil))
	if debug := out.reset(); !strings.Contains(debug, "method=OTHER") || strings.Contains(debug, "ZINVENTED") {
		t.Errorf("access log line: %s", debug)
	}
}

// lockedBuffer collects log output written from any goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// reset returns what was written so far and forgets it.
func (b *lockedBuffer) reset() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// httpSeries counts the series of the HTTP request figures.
func httpSeries(t *testing.T, m *metrics) int {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range families {
		if strings.HasPrefix(f.GetName(), "sprechstunde_http_") {
			n += len(f.GetMetric())
		}
	}
	return n
}

// heapInUse is the live heap after a full collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
