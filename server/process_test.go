package server

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// buildBinary compiles the real program once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sprechstunde-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "sprechstunde")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/sprechstunde/sprechstunde")
	cmd.Stderr = os.Stderr
	return bin, cmd.Run()
})

var listenLine = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startProcess runs the binary on dsn and returns its base URL; extra
// holds further KEY=value environment entries.
func startProcess(t *testing.T, dsn string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "SPRECHSTUNDE_DATABASE="+dsn, "SPRECHSTUNDE_DATA_DIR="+testDataDir(t, dsn), "SPRECHSTUNDE_HTTP_ADDR=127.0.0.1:0",
		"SPRECHSTUNDE_ADMIN_EMAIL="+testAdminEmail, "SPRECHSTUNDE_ADMIN_PASSWORD="+testPassword,
		"SPRECHSTUNDE_RATE_LIMIT_PER_MINUTE=0", "SPRECHSTUNDE_MAX_BOOKINGS_PER_EMAIL=0", "SPRECHSTUNDE_DEMO=false",
		"SPRECHSTUNDE_BOOKING_CHALLENGE_ENABLED=false")
	for k, v := range localMedia {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extra...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, "http://" + a
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	return nil, ""
}

// TestBookingSurvivesKill9: every booking answered 201 is still there
// after the server is killed without warning in the middle of a rush.
func TestBookingSurvivesKill9(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dsn := storetest.DSN(t, kind)
			cmd, base := startProcess(t, dsn)
			admin := loginAt(t, base, testAdminEmail)
			_, svc := setupOffice(admin, "clerk@amt.example", []int{1, 2, 3, 4, 5, 6, 7}, "00:00", "24:00")

			var slots []slotOut
			today := time.Now().Format(time.DateOnly)
			to := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
			newClient(t, base).mustDo("GET", "/api/v1/services/"+itoa(svc)+"/slots?from="+today+"&to="+to, nil, 200, &slots)
			if len(slots) < 50 {
				t.Fatalf("only %d slots", len(slots))
			}
			var mu sync.Mutex
			var confirmed []bookingOut
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cl := newClient(t, base)
					for i := w; i < len(slots) && ctx.Err() == nil; i += 8 {
						var b bookingOut
						got, _, _ := cl.tryDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": slots[i].Start,
							"name": "E", "email": "k@example.org", "consent": true}, &b)
						if got == http.StatusCreated {
							mu.Lock()
							confirmed = append(confirmed, b)
							mu.Unlock()
						}
					}
				}()
			}
			// Kill once a few bookings went through, while others are in flight.
			for {
				mu.Lock()
				n := len(confirmed)
				mu.Unlock()
				if n >= 20 {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			cancel()
			wg.Wait()

			_, base2 := startProcess(t, dsn)
			cl := newClient(t, base2)
			for _, b := range confirmed {
				var m bookingOut
				cl.mustDo("GET", "/api/v1/bookings/manage/"+lastSegment(b.ManageURL), nil, 200, &m)
				if m.ID != b.ID || m.Status != "booked" || m.Start != b.Start {
					t.Fatalf("after kill: %+v, want %+v", m, b)
				}
			}
			t.Logf("%s: %d confirmed bookings all present after kill -9", kind, len(confirmed))
		})
	}
}
