package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestCalendarFeed: a clerk's secret feed lists their booked appointments
// without citizen data; rotating or revoking ends the old URL.
func TestCalendarFeed(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			env, _ := newAsyncEnv(t, kind, nil, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			b := env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", "de")
			cancelled := env.book(svc, "2026-03-30T10:00:00+02:00", "max@example.org", "de")
			env.client().mustDo("DELETE", "/api/v1/bookings/manage/"+lastSegment(cancelled.ManageURL), nil, http.StatusNoContent, nil)

			clerk := env.login("clerk@amt.example")
			var feed struct{ URL string }
			clerk.mustDo("POST", "/api/v1/clerk/calendar-feed", nil, http.StatusCreated, &feed)
			path := strings.TrimPrefix(feed.URL, env.cfg.PublicURL)
			body, ctype := getFeed(t, env.srv.URL+path, http.StatusOK)
			if !strings.HasPrefix(ctype, "text/calendar") {
				t.Fatalf("content type %q", ctype)
			}
			cal, err := ics.ParseCalendar(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			evs := cal.Events()
			if len(evs) != 1 || prop(evs[0], ics.ComponentPropertyUniqueId) != "case-"+b.CaseNumber+"@localhost" {
				t.Fatalf("events: %s", body)
			}
			if start, err := evs[0].GetStartAt(); err != nil || !start.Equal(mustTime(b.Start)) {
				t.Errorf("start %v %v", start, err)
			}
			for _, secret := range []string{"Erika", "erika@example.org", "Wohngeld"} {
				if strings.Contains(body, secret) {
					t.Errorf("feed leaks %q", secret)
				}
			}

			var again struct{ URL string }
			clerk.mustDo("POST", "/api/v1/clerk/calendar-feed", nil, http.StatusCreated, &again)
			getFeed(t, env.srv.URL+path, http.StatusNotFound)
			newPath := strings.TrimPrefix(again.URL, env.cfg.PublicURL)
			getFeed(t, env.srv.URL+newPath, http.StatusOK)
			clerk.mustDo("DELETE", "/api/v1/clerk/calendar-feed", nil, http.StatusNoContent, nil)
			getFeed(t, env.srv.URL+newPath, http.StatusNotFound)
		})
	}
}

func getFeed(t *testing.T, url string, want int) (string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET feed: %d, want %d: %s", resp.StatusCode, want, b)
	}
	return string(b), resp.Header.Get("Content-Type")
}
