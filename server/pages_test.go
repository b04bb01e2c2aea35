package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/server/httpapi"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestPagesServed: every page route answers HTML with the security
// headers; assets live under a content version and are cached for a year.
func TestPagesServed(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(env.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	var assets string
	for _, p := range []string{"/", "/book", "/join", "/join/abc", "/guest/abc", "/manage", "/manage/abc", "/staff",
		"/staff/console/1", "/admin", "/barrierefreiheit", "/datenschutz"} {
		resp, body := get(p)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: security headers missing: %v", p, resp.Header)
		}
		m := regexp.MustCompile(`/assets/[0-9a-f]{16}/css/app.css`).FindString(body)
		if m == "" || strings.Contains(body, "{{assets}}") {
			t.Fatalf("%s: asset path not filled in", p)
		}
		assets = m
	}
	resp, _ := get(assets)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("asset: %d %v", resp.StatusCode, resp.Header)
	}
	js := strings.Replace(assets, "css/app.css", "js/api.js", 1)
	if resp, _ := get(js); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("module type: %v", resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/assets/0000000000000000/css/app.css", strings.Replace(assets, "css/app.css", "pages/book.html", 1),
		strings.Replace(assets, "css/app.css", "../frontend.go", 1)} {
		if resp, _ := get(p); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

// TestManageICS: the citizen's calendar file from the manage link.
func TestManageICS(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	token := lastSegment(f.booking.ManageURL)
	resp, err := http.Get(f.env.srv.URL + "/api/v1/bookings/manage/" + token + "/ics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("ics: %d %v", resp.StatusCode, resp.Header)
	}
	for _, want := range []string{"BEGIN:VEVENT", "UID:case-" + f.booking.CaseNumber, "SUMMARY:Kurz (" + f.booking.CaseNumber + ")", "BEGIN:VTIMEZONE"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("ics lacks %q:\n%s", want, body)
		}
	}
	f.env.client().mustDo("GET", "/api/v1/bookings/manage/"+strings.Repeat("A", 43)+"/ics", nil, http.StatusNotFound, nil)
}

// TestWaitingStream: the clerk's server-sent events report the waiting
// list of their appointment when the citizen enters the waiting room.
func TestWaitingStream(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	f.env.client().mustDo("GET", "/api/v1/clerk/waiting/stream", nil, http.StatusUnauthorized, nil)
	req, _ := http.NewRequestWithContext(ctx, "GET", f.env.srv.URL+"/api/v1/clerk/waiting/stream", nil)
	resp, err := f.clerk.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %v", resp.StatusCode, resp.Header)
	}
	events := make(chan httpapi.WaitingEvent, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var ev httpapi.WaitingEvent
				if json.Unmarshal([]byte(data), &ev) == nil {
					events <- ev
				}
			}
		}
		close(events)
	}()
	next := func(what string, cond func(httpapi.WaitingEvent) bool) {
		t.Helper()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("stream ended before %s", what)
				}
				if ev.AppointmentID == f.booking.ID && cond(ev) {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no event: %s", what)
			}
		}
	}
	next("today's appointment, nobody waiting", func(ev httpapi.WaitingEvent) bool { return len(ev.Waiting) == 0 })

	citizen := f.env.client()
	citizen.mustDo("POST", "/api/v1/join/"+lastSegment(f.booking.JoinURL), nil, http.StatusOK, nil)
	var ct ticketOut
	citizen.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusOK, &ct)
	cit := f.dial(t, ctx, ct.Ticket, false)
	if _, err := cit.WaitType(ctx, "joined"); err != nil {
		t.Fatal(err)
	}
	next("citizen waiting", func(ev httpapi.WaitingEvent) bool {
		return len(ev.Waiting) == 1 && ev.Waiting[0].DisplayName == "Erika Mustermann" && ev.CaseNumber == f.booking.CaseNumber
	})
	if err := cit.Send(signaling.Leave{}); err != nil {
		t.Fatal(err)
	}
	next("citizen gone", func(ev httpapi.WaitingEvent) bool { return len(ev.Waiting) == 0 })
}
