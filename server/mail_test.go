package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// testClock is a settable clock for jobs and backoff.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
func (c *testClock) add(d time.Duration) { c.set(c.now().Add(d)) }

// newAsyncEnv is newTestEnv with a settable clock and, if srv is given,
// mail delivery to it. Jobs are not started: tests run them directly.
func newAsyncEnv(t *testing.T, kind string, srv *testSMTP, change func(*Config)) (*testEnv, *testClock) {
	t.Helper()
	dsn := storetest.DSN(t, kind)
	env := map[string]string{
		"SPRECHSTUNDE_DATABASE":       dsn,
		"SPRECHSTUNDE_DATA_DIR":       testDataDir(t, dsn),
		"SPRECHSTUNDE_ADMIN_EMAIL":    testAdminEmail,
		"SPRECHSTUNDE_ADMIN_PASSWORD": testPassword,
		"SPRECHSTUNDE_MAIL_FROM":      "termine@amt.example",

		"SPRECHSTUNDE_BOOKING_CHALLENGE_ENABLED": "false", // as in newTestEnv
	}
	for k, v := range localMedia {
		env[k] = v
	}
	if srv != nil {
		env["SPRECHSTUNDE_SMTP_URL"] = srv.url()
	}
	cfg, err := Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&cfg)
	}
	clk := &testClock{t: testNow}
	app, err := NewApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.bootstrap(context.Background(), io.Discard); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(app.Handler())
	t.Cleanup(func() { hs.Close(); _ = app.Close() })
	return &testEnv{t: t, app: app, srv: hs, cfg: cfg}, clk
}

func (e *testEnv) deliver() {
	e.t.Helper()
	if err := e.app.deliverMail(context.Background()); err != nil {
		e.t.Fatalf("deliver: %v", err)
	}
}

// book books in lang, for a conversation in lang.
func (e *testEnv) book(svc int64, start, email, lang string) bookingOut {
	e.t.Helper()
	return e.bookIn(svc, start, email, lang, lang)
}

// bookIn books from pages in locale for a conversation in language.
func (e *testEnv) bookIn(svc int64, start, email, language, locale string) bookingOut {
	e.t.Helper()
	var b bookingOut
	e.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": start,
		"name": "Erika <b>Mustermann</b>", "email": email, "consent": true, "topic": "Wohngeld", "language": language, "locale": locale},
		http.StatusCreated, &b)
	return b
}

// TestMailJourney follows one booking through confirmation, rebooking and
// cancellation and checks each mail as a mail client would see it.
func TestMailJourney(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			srv := startSMTP(t)
			env, _ := newAsyncEnv(t, kind, srv, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			b := env.book(svc, "2026-03-30T09:00:00+02:00", "erika@example.org", "de")
			env.deliver()

			conf := srv.waitFor(1, 5*time.Second)[0]
			checkMail(t, conf, mailWant{to: "erika@example.org", subject: "Terminbestätigung – Vorgang " + b.CaseNumber,
				text:   []string{"Montag, 30. März 2026, 09:00–09:30 Uhr (Europe/Berlin)", b.JoinURL, b.ManageURL},
				method: "REQUEST", seq: "0", start: "2026-03-30T09:00:00+02:00", uid: "case-" + b.CaseNumber + "@localhost"})
			if !strings.Contains(conf.ICS, "BEGIN:VALARM") || !strings.Contains(conf.ICS, "BEGIN:VTIMEZONE") {
				t.Errorf("ics lacks alarm or zone:\n%s", conf.ICS)
			}
			if strings.Contains(conf.HTML, "<b>Mustermann") {
				t.Errorf("html not escaped")
			}

			var moved bookingOut
			env.client().mustDo("POST", "/api/v1/bookings/manage/"+lastSegment(b.ManageURL)+"/rebook",
				map[string]any{"start": "2026-03-30T10:00:00+02:00"}, http.StatusOK, &moved)
			if moved.CaseNumber != b.CaseNumber || moved.ID != b.ID || moved.Start != "2026-03-30T10:00:00+02:00" ||
				moved.JoinURL != b.JoinURL || moved.ManageURL != b.ManageURL {
				t.Fatalf("rebooked: %+v, was %+v", moved, b)
			}
			env.deliver()
			rebooked := srv.waitFor(2, 5*time.Second)[1]
			checkMail(t, rebooked, mailWant{to: "erika@example.org", subject: "Termin verschoben – Vorgang " + b.CaseNumber,
				text: []string{"10:00–10:30 Uhr", b.JoinURL}, method: "REQUEST", seq: "1",
				start: "2026-03-30T10:00:00+02:00", uid: "case-" + b.CaseNumber + "@localhost"})

			env.client().mustDo("DELETE", "/api/v1/bookings/manage/"+lastSegment(b.ManageURL), nil, http.StatusNoContent, nil)
			env.deliver()
			got := srv.waitFor(4, 5*time.Second)
			byTo := map[string]*gotMail{}
			for _, m := range got[2:] {
				byTo[m.To[0]] = m
			}
			cancel, note := byTo["erika@example.org"], byTo["clerk@amt.example"]
			if cancel == nil || note == nil {
				t.Fatalf("cancellation mails: %v", byTo)
			}
			checkMail(t, cancel, mailWant{to: "erika@example.org", subject: "Termin abgesagt – Vorgang " + b.CaseNumber,
				method: "CANCEL", seq: "2", start: "2026-03-30T10:00:00+02:00", uid: "case-" + b.CaseNumber + "@localhost"})
			for _, m := range []*gotMail{cancel, note} {
				if strings.Contains(m.Text+m.HTML, "/join/") {
					t.Errorf("cancellation %q carries a join link", m.Subject)
				}
			}
			if strings.Contains(note.Text, "Erika") || !strings.Contains(note.Text, b.CaseNumber) || note.ICS != "" {
				t.Errorf("clerk note: %q", note.Text)
			}

			// A conversation in French booked from the English pages: the mail
			// follows the pages.
			en := env.bookIn(svc, "2026-03-30T11:00:00+02:00", "jean@example.org", "fr", "en")
			if !strings.HasSuffix(en.JoinURL, "?lang=en") || !strings.HasSuffix(en.ManageURL, "?lang=en") {
				t.Errorf("links do not carry the booking's language: %s %s", en.JoinURL, en.ManageURL)
			}
			env.deliver()
			enMail := srv.waitFor(5, 5*time.Second)[4]
			checkMail(t, enMail, mailWant{to: "jean@example.org", subject: "Appointment confirmed – case " + en.CaseNumber,
				text: []string{"Monday, 30 March 2026, 11:00–11:30 (Europe/Berlin)", en.JoinURL}, method: "REQUEST", seq: "0",
				start: "2026-03-30T11:00:00+02:00", uid: "case-" + en.CaseNumber + "@localhost"})

			ids := map[string]bool{}
			for _, m := range srv.all() {
				if m.MessageID == "" || ids[m.MessageID] {
					t.Errorf("missing or repeated Message-ID %q", m.MessageID)
				}
				ids[m.MessageID] = true
			}
			var bodies int64
			env.rawSQL().Raw("SELECT count(*) FROM mail_outbox WHERE payload <> ''").Scan(&bodies)
			if bodies != 0 {
				t.Errorf("%d delivered mails keep their body", bodies)
			}
			var st struct {
				SMTPConfigured bool           `json:"smtp_configured"`
				Counts         map[string]int `json:"counts"`
			}
			admin.mustDo("GET", "/api/v1/admin/mail", nil, http.StatusOK, &st)
			if !st.SMTPConfigured || st.Counts["sent"] != 5 || st.Counts["pending"] != 0 {
				t.Errorf("admin mail status: %+v", st)
			}
			var cs caseOut
			admin.mustDo("GET", "/api/v1/cases/"+b.CaseNumber, nil, http.StatusOK, &cs)
			if types := eventTypes(cs); types != "booked,rebooked,cancelled" {
				t.Errorf("timeline: %s", types)
			}
		})
	}
}

type caseOut struct {
	Status string `json:"status"`
	Events []struct {
		Type   string `json:"type"`
		Detail string `json:"detail"`
	} `json:"events"`
}

func eventTypes(c caseOut) string {
	var out []string
	for _, e := range c.Events {
		out = append(out, e.Type)
	}
	return strings.Join(out, ",")
}

type mailWant struct {
	to, subject string
	text        []string // substrings of the plain-text part (also checked in HTML when a URL)
	method, seq string
	start, uid  string
}

func checkMail(t *testing.T, m *gotMail, w mailWant) {
	t.Helper()
	if len(m.To) != 1 || m.To[0] != w.to || m.Subject != w.subject {
		t.Errorf("mail to %v %q, want %s %q", m.To, m.Subject, w.to, w.subject)
	}
	for _, s := range w.text {
		if !strings.Contains(m.Text, s) {
			t.Errorf("%q: text lacks %q:\n%s", m.Subject, s, m.Text)
		}
		if strings.HasPrefix(s, "http") && !strings.Contains(m.HTML, s) {
			t.Errorf("%q: html lacks %q", m.Subject, s)
		}
	}
	if w.method == "" {
		return
	}
	method, ev := m.calendar(t)
	if method != w.method || !strings.Contains(m.ICSType, "method="+w.method) {
		t.Errorf("%q: ics method %q (%s), want %s", m.Subject, method, m.ICSType, w.method)
	}
	if got := prop(ev, ics.ComponentPropertySequence); got != w.seq {
		t.Errorf("%q: SEQUENCE %s, want %s", m.Subject, got, w.seq)
	}
	if got := prop(ev, ics.ComponentPropertyUniqueId); got != w.uid {
		t.Errorf("%q: UID %s, want %s", m.Subject, got, w.uid)
	}
	if tz := ev.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "Europe/Berlin" {
		t.Errorf("%q: DTSTART TZID %v", m.Subject, tz)
	}
	start, err := ev.GetStartAt()
	want, _ := time.Parse(time.RFC3339, w.start)
	if err != nil || !start.Equal(want) {
		t.Errorf("%q: DTSTART %v (%v), want %v", m.Subject, start, err, want)
	}
}
