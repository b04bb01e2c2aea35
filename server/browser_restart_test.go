package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// restartable is the application as a process that can be stopped and
// started again on the same address, database and data directory.
type restartable struct {
	t    *testing.T
	cfg  Config
	addr string
	app  *App
	stop func()
}

func newRestartable(t *testing.T) *restartable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dsn := storetest.DSN(t, "sqlite")
	env := map[string]string{
		"SPRECHSTUNDE_PUBLIC_URL":                "http://" + ln.Addr().String(),
		"SPRECHSTUNDE_DATABASE":                  dsn,
		"SPRECHSTUNDE_DATA_DIR":                  testDataDir(t, dsn),
		"SPRECHSTUNDE_ADMIN_EMAIL":               testAdminEmail,
		"SPRECHSTUNDE_ADMIN_PASSWORD":            testPassword,
		"SPRECHSTUNDE_BOOKING_CHALLENGE_ENABLED": "false",
	}
	for k, v := range localMedia {
		env[k] = v
	}
	cfg, err := Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.RateLimitPerMinute = 0 // every tab comes from 127.0.0.1
	r := &restartable{t: t, cfg: cfg, addr: ln.Addr().String()}
	r.start(ln)
	return r
}

// start runs what serve runs, minus the jobs: open, bootstrap, close calls
// left open, answer HTTP until stopped; stopping shuts down in serve's order.
func (r *restartable) start(ln net.Listener) {
	r.t.Helper()
	ctx := context.Background()
	app, err := NewApp(ctx, r.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(time.Now))
	if err != nil {
		r.t.Fatal(err)
	}
	if err := app.bootstrap(ctx, io.Discard); err != nil {
		r.t.Fatal(err)
	}
	app.closeDanglingCalls(ctx)
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Serve(sctx, ln) }()
	r.app = app
	r.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			r.t.Errorf("serve: %v", err)
		}
		_ = app.closeMedia() // tells every page: room_closed shutting_down
		_ = app.Close()
	})
	r.t.Cleanup(r.stop)
}

func (r *restartable) restart() {
	r.t.Helper()
	r.stop()
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.start(ln)
}

// evalOK evaluates a condition as tab.wait does.
func evalOK(tb *tab, cond string) (bool, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[bool]("Promise.resolve("+cond+").then(Boolean)", chromedp.EvalAwaitPromise))
}

// roomState describes the page's room client for failure messages.
func roomState(tb *tab) string {
	ctx, cancel := context.WithTimeout(tb.ctx, 3*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const r = window.sprechstunde.room, out = { state: r.state, states: window.sprechstunde.states, pc: r.pc && r.pc.connectionState, inbound: [] };
		if (r.pc) (await r.pc.getStats()).forEach((s) => { if (s.type === "inbound-rtp") out.inbound.push([s.kind, s.framesDecoded, s.packetsReceived]); });
		return JSON.stringify(out); })()`, chromedp.EvalAwaitPromise))
	return s
}

// waitUntil is tab.wait with a deadline of the caller's.
func (tb *tab) waitUntil(deadline time.Time, what, cond string) {
	tb.t.Helper()
	for {
		if ok, err := evalOK(tb, cond); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: %s not reached in time (%s)\n%s\n%s", tb.name, what, cond, roomState(tb), tb.snapshot())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// decodingAgain: the page's current PeerConnection decodes the other's
// video and keeps doing so.
func decodingAgain(p *tab, deadline time.Time) {
	p.t.Helper()
	p.waitUntil(deadline, "frames", `window.sprechstunde.room.quality().then((q) => q && q.framesDecoded > 0 && q.frameWidth > 0)`)
	first := eval[int](p, `window.sprechstunde.room.quality().then((q) => q.framesDecoded)`)
	p.waitUntil(deadline, "more frames", `window.sprechstunde.room.quality().then((q) => q.framesDecoded > `+itoa(int64(first))+`)`)
}

// TestBrowserRestartMidCall: citizen and clerk are in a call through the
// real pages when the server stops and a new one starts on the same
// address and database. Both pages come back into the call on their own
// and decode video again within 10 s, and the citizen is not put in the
// waiting room again: the room session and its admission are stored.
func TestBrowserRestartMidCall(t *testing.T) {
	r := newRestartable(t)
	base := "http://" + r.addr
	admin := loginAt(t, base, testAdminEmail)
	var u, s idJSON
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "clerk@amt.example", "name": "Frau Schmidt",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, &u)
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Kurz", "duration_minutes": 10,
		"horizon_days": 2, "published": true}, http.StatusCreated, &s)
	for wd := 1; wd <= 7; wd++ {
		admin.mustDo("POST", "/api/v1/admin/services/"+itoa(s.ID)+"/hours", map[string]any{"clerk_id": u.ID, "weekday": wd,
			"start": "00:00", "end": "24:00"}, http.StatusCreated, nil)
	}
	today := time.Now().In(r.cfg.Location())
	var slots []slotOut
	newClient(t, base).mustDo("GET", "/api/v1/services/"+itoa(s.ID)+"/slots?from="+today.Format(time.DateOnly)+
		"&to="+today.AddDate(0, 0, 1).Format(time.DateOnly), nil, http.StatusOK, &slots)
	var bk bookingOut
	newClient(t, base).mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": s.ID, "start": slots[0].Start,
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, &bk)

	b := newBrowser(t, base)
	cit := b.tab("citizen")
	cit.open(pathOf(t, bk.JoinURL))
	cit.wait("device check", `location.pathname === "/join" && document.documentElement.dataset.view === "v-check"`)
	cit.wait("camera preview", `document.getElementById("preview").videoWidth > 0`)
	cit.click("#to-waiting")
	cit.wait("waiting", `document.documentElement.dataset.room === "waiting"`)

	clk := b.tab("clerk")
	clk.open("/staff")
	clk.wait("login form", `document.documentElement.dataset.view === "v-login"`)
	clk.fill("#l-email", "clerk@amt.example")
	clk.fill("#l-password", testPassword)
	clk.click("#login-form button[type=submit]")
	clk.wait("calendar", `document.documentElement.dataset.view === "v-calendar"`)
	clk.open("/staff/console/" + itoa(bk.ID) + "?case=" + bk.CaseNumber)
	clk.wait("citizen in waiting list", `document.querySelector("#waiting-list [data-admit]")`)
	clk.wait("clerk connected", `document.documentElement.dataset.room === "admitted"`)
	clk.click("#waiting-list [data-admit]")
	cit.wait("in the call", `document.documentElement.dataset.view === "v-call"`)
	for _, p := range []*tab{cit, clk} {
		decodingAgain(p, time.Now().Add(20*time.Second))
		eval[bool](p, `(window.sprechstunde.states = [], window.sprechstunde.room.on("state", (s) => window.sprechstunde.states.push(s)), true)`)
	}

	r.restart()
	back := time.Now().Add(10 * time.Second)
	for _, p := range []*tab{cit, clk} {
		p.waitUntil(back, "reconnect seen", `window.sprechstunde.states.includes("reconnecting")`)
		p.waitUntil(back, "admitted again", `document.documentElement.dataset.room === "admitted"`)
		decodingAgain(p, back)
	}
	if states := eval[[]string](cit, `window.sprechstunde.states`); strings.Contains(strings.Join(states, " "), "waiting") {
		t.Errorf("citizen went through %v: put in the waiting room again", states)
	}
	if eval[bool](clk, `!!document.querySelector("#waiting-list [data-admit]")`) {
		t.Error("the clerk sees someone waiting after the restart")
	}
	var cs struct {
		Events []struct {
			Type   string `json:"type"`
			Detail string `json:"detail"`
		} `json:"events"`
	}
	loginAt(t, base, "clerk@amt.example").mustDo("GET", "/api/v1/cases/"+bk.CaseNumber, nil, http.StatusOK, &cs)
	admitted := 0
	for _, e := range cs.Events {
		if e.Type == "room_admitted" && strings.HasPrefix(e.Detail, "citizen") {
			admitted++
		}
	}
	if admitted != 1 {
		t.Errorf("citizen admitted %d times on the timeline, want 1", admitted)
	}
}
