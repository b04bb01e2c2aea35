package server

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// Bounds of TestResourceBounds. They are generous: they tell a bounded
// server from one that keeps something per hostile request, or hashes
// every password of a flood at once (64 at 19 MiB each).
const (
	resourceGoroutineSlack = 20
	resourceHeapPerKind    = 8 << 20   // live heap a kind of flood may leave behind
	resourceMemGrowth      = 64 << 20  // memory held after all floods, over the baseline
	resourceLoginHeapPeak  = 512 << 20 // Go heap at its highest during the login flood
)

// TestResourceBounds sends a few thousand hostile requests of each kind an
// anonymous client or an admitted participant can send (issue 14):
// invented HTTP methods on random paths, repeated join-link exchanges,
// parallel logins with wrong passwords and signaling bursts. Afterwards
// goroutines settle back near the baseline and memory stays within a
// bound; the heap's peak during the login flood is bounded too. The per-IP
// limit is off, as it would be for an attacker with many addresses.
func TestResourceBounds(t *testing.T) {
	env := newTestEnvClock(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 0 }, time.Now)
	admin := env.login(testAdminEmail)
	svc, _ := openNow(env, admin)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	appt := resourceBooking(t, env, svc)
	cit := admittedCitizen(t, ctx, env, appt)

	hostile := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer hostile.CloseIdleConnections()
	base := takeResources(t)
	t.Logf("baseline: %s", base)

	kinds := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"invented methods", func(t *testing.T) {
			flood(t, 10000, 16, func(i int, rng *rand.Rand) (*http.Request, error) {
				return http.NewRequest(randomToken(rng, 'Z', 12+rng.IntN(40)), env.srv.URL+"/"+randomToken(rng, 'x', 8)+"/"+strconv.Itoa(i), nil)
			}, hostile, func(status int) bool { return status < 500 })
		}},
		{"join exchanges", func(t *testing.T) {
			flood(t, 3000, 8, func(int, *rand.Rand) (*http.Request, error) {
				return http.NewRequest(http.MethodPost, env.srv.URL+"/api/v1/join/"+appt.JoinToken, nil)
			}, hostile, func(status int) bool { return status < 500 })
		}},
		{"login flood", func(t *testing.T) {
			resetPeakRSS(t)
			peak := watchHeapPeak()
			emails := []string{testAdminEmail, "clerk@amt.example", "nobody@amt.example"}
			// Hashing costs the server tens of milliseconds per attempt (far
			// more under the race detector): the flood runs 64 at a time for
			// a fixed time, or until 2,000 attempts were answered.
			lctx, lcancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer lcancel()
			n := floodUntil(t, lctx, 2000, 64, func(i int, _ *rand.Rand) (*http.Request, error) {
				body := fmt.Sprintf(`{"email":%q,"password":"wrong password %d"}`, emails[i%len(emails)], i)
				req, err := http.NewRequest(http.MethodPost, env.srv.URL+"/api/v1/auth/login", strings.NewReader(body))
				if err == nil {
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Origin", env.srv.URL)
				}
				return req, err
			}, hostile, func(status int) bool { return status == 401 || status == 429 || status == 503 })
			heapPeak := peak()
			t.Logf("login flood: %d attempts answered, heap peak %d MiB, resident peak %d MiB",
				n, heapPeak>>20, readProcStatus(t, "VmHWM")>>20)
			if heapPeak > resourceLoginHeapPeak {
				t.Errorf("login flood: heap peak %d MiB (bound %d MiB): concurrent hashing is not bounded", heapPeak>>20, resourceLoginHeapPeak>>20)
			}
		}},
		{"signaling bursts", func(t *testing.T) {
			for burst := range 10 {
				for i := range 300 {
					if err := cit.Send(signaling.Chat{Text: "flood " + strconv.Itoa(burst) + "/" + strconv.Itoa(i)}); err != nil {
						t.Errorf("burst %d: connection closed after %d messages: %v", burst, i, err)
						return
					}
				}
			}
			// The connection stays (docs/signaling.md): once the bucket
			// refills, a chat comes back to its sender.
			pctx, pcancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer pcancel()
			for {
				if err := cit.Send(signaling.Chat{Text: "probe"}); err != nil {
					t.Errorf("connection closed after the bursts: %v", err)
					return
				}
				wctx, wcancel := context.WithTimeout(pctx, 500*time.Millisecond)
				_, err := cit.WaitFor(wctx, func(m signaling.Message) bool { c, ok := m.(*signaling.Chat); return ok && c.Text == "probe" })
				wcancel()
				if err == nil {
					return
				}
				if pctx.Err() != nil {
					t.Errorf("no chat comes back after the bursts: %v", err)
					return
				}
			}
		}},
	}
	// Whatever a flood started ends again (hashes of the login flood that
	// were under way finish first) before its traces are measured.
	settle := func(what string) {
		sctx, scancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer scancel()
		hostile.CloseIdleConnections()
		waitFor(t, sctx, "goroutines to settle after "+what, func() bool {
			return runtime.NumGoroutine() <= base.goroutines+resourceGoroutineSlack
		})
	}
	prev := base
	for _, k := range kinds {
		k.run(t)
		settle(k.name)
		now := takeResources(t)
		t.Logf("after %s: %s", k.name, now)
		if grew := int64(now.heap) - int64(prev.heap); grew > resourceHeapPerKind {
			t.Errorf("%s: live heap grew by %d MiB (bound %d MiB)", k.name, grew>>20, resourceHeapPerKind>>20)
		}
		prev = now
	}

	end := takeResources(t)
	t.Logf("at the end: %s", end)
	if grew := int64(end.held()) - int64(base.held()); grew > resourceMemGrowth {
		t.Errorf("memory held grew by %d MiB after the floods (bound %d MiB): %s; baseline %s", grew>>20, resourceMemGrowth>>20, end, base)
	}
}

// resourceBooking books the next slot with the clerk of openNow.
func resourceBooking(t *testing.T, env *testEnv, svc int64) booking.BookingResult {
	t.Helper()
	loc := env.cfg.Location()
	today := booking.DateOf(time.Now().In(loc))
	slots, err := env.app.office.FreeSlots(context.Background(), svc, today, today.AddDays(1))
	if err != nil || len(slots) == 0 {
		t.Fatalf("no slots: %v", err)
	}
	for _, s := range slots {
		if time.Until(s.Start) > time.Minute {
			res, err := env.app.office.Book(context.Background(), booking.BookingRequest{ServiceID: svc, Start: s.Start,
				Name: "Erika Mustermann", Email: "erika@example.org", Consent: true})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
	}
	t.Fatal("no slot a minute away")
	return booking.BookingResult{}
}

// admittedCitizen brings the citizen of appt into the room, admitted by
// the clerk, without media.
func admittedCitizen(t *testing.T, ctx context.Context, env *testEnv, appt booking.BookingResult) *sfutest.Client {
	t.Helper()
	wsURL := "ws" + strings.TrimPrefix(env.srv.URL, "http") + httpapi.SignalingPath
	dial := func(ticket string) *sfutest.Client {
		c, err := sfutest.Dial(ctx, sfutest.ClientConfig{URL: wsURL, Credential: ticket})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}
	citizen := env.client()
	var info httpapi.RoomInfo
	citizen.mustDo("POST", "/api/v1/join/"+appt.JoinToken, nil, http.StatusOK, &info)
	var ct, st ticketOut
	citizen.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusOK, &ct)
	cit := dial(ct.Ticket)
	env.login("clerk@amt.example").mustDo("POST", "/api/v1/clerk/appointments/"+itoa(appt.Appointment.ID)+"/ticket", nil, http.StatusOK, &st)
	clerk := dial(st.Ticket)
	if _, err := clerk.WaitFor(ctx, func(m signaling.Message) bool { w, ok := m.(*signaling.WaitingList); return ok && len(w.Waiting) == 1 }); err != nil {
		t.Fatalf("citizen not waiting: %v", err)
	}
	if err := clerk.Send(signaling.Admit{ParticipantID: info.ParticipantID}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*sfutest.Client{"citizen": cit, "clerk": clerk} {
		if err := c.WaitConnected(ctx); err != nil {
			t.Fatalf("%s not connected: %v", name, err)
		}
	}
	return cit
}

// flood sends n requests from workers goroutines and checks each status.
func flood(t *testing.T, n, workers int, mk func(int, *rand.Rand) (*http.Request, error), c *http.Client, ok func(int) bool) {
	t.Helper()
	floodUntil(t, context.Background(), n, workers, mk, c, ok)
}

// floodUntil is flood that stops early when ctx ends; it returns how many
// requests were answered.
func floodUntil(t *testing.T, ctx context.Context, n, workers int, mk func(int, *rand.Rand) (*http.Request, error), c *http.Client, ok func(int) bool) int {
	t.Helper()
	var next, answered atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	bad := map[int]int{}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 14))
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				req, err := mk(i, rng)
				if err != nil {
					t.Error(err)
					return
				}
				resp, err := c.Do(req.WithContext(ctx))
				if err != nil {
					if ctx.Err() == nil {
						t.Errorf("request %d: %v", i, err)
					}
					return
				}
				resp.Body.Close()
				answered.Add(1)
				if !ok(resp.StatusCode) {
					mu.Lock()
					bad[resp.StatusCode]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for status, count := range bad {
		t.Errorf("%d answers with status %d", count, status)
	}
	return int(answered.Load())
}

// randomToken is an HTTP token of n characters starting with first.
func randomToken(rng *rand.Rand, first byte, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	b[0] = first
	for i := 1; i < n; i++ {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// resources is a measurement of this process: the server runs in it.
type resources struct {
	rss        uint64 // VmRSS
	retained   uint64 // memory the Go runtime holds and has not returned
	heap       uint64 // live heap after a collection
	goroutines int
}

// held is resident memory, or under the race detector (whose shadow
// memory is never returned to the system) what the Go runtime holds.
func (r resources) held() uint64 {
	if raceDetector() {
		return r.retained
	}
	return r.rss
}

func (r resources) String() string {
	return fmt.Sprintf("RSS %d MiB, Go runtime %d MiB, live heap %d MiB, %d goroutines",
		r.rss>>20, r.retained>>20, r.heap>>20, r.goroutines)
}

// takeResources collects garbage, returns freed memory to the system and
// then reads resident memory, live heap and goroutines.
func takeResources(t *testing.T) resources {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return resources{rss: readProcStatus(t, "VmRSS"), retained: ms.Sys - ms.HeapReleased,
		heap: ms.HeapAlloc, goroutines: runtime.NumGoroutine()}
}

// watchHeapPeak samples the heap (live and not yet collected objects)
// until the returned function is called, which returns the highest value.
func watchHeapPeak() func() uint64 {
	sample := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			rtmetrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}

// raceDetector reports whether the test binary was built with -race.
func raceDetector() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// readProcStatus reads a size field (kB) of /proc/self/status in bytes.
func readProcStatus(t *testing.T, field string) uint64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return kb << 10
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// resetPeakRSS starts VmHWM afresh from the current resident size
// (proc(5), clear_refs "5").
func resetPeakRSS(t *testing.T) {
	t.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("reset the resident peak: %v", err)
	}
}
