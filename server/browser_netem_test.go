package server

import (
	"context"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest/chrome"
)

// TestBrowserBadNetwork: the citizen's Chromium sits in a network
// namespace whose link loses 5 % of packets and delays the rest by 150 ms,
// each way; the clerk's sits in another namespace with a clean link. Both
// go through the real pages, server and SFU: the citizen waits, the clerk
// admits, and each page keeps decoding the other's video for several
// seconds. Needs root (make test runs as root) and fails without.
func TestBrowserBadNetwork(t *testing.T) {
	citizenNet := newNetLink(t, impairment{loss: 0.05, delay: 150 * time.Millisecond})
	clerkNet := newNetLink(t, impairment{}, citizenNet.hostIP)

	// The server listens on the citizen link's host side; the SFU binds and
	// announces both links' host sides only, and checks candidates in the
	// two links' private networks only (none by default).
	ln, err := net.Listen("tcp", net.JoinHostPort(citizenNet.hostIP, "0"))
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	env := newTestEnvClock(t, "sqlite", func(c *Config) {
		c.PublicURL = base
		c.RateLimitPerMinute = 0
		c.SFU.LoopbackOnly = false
		c.SFU.ListenIPs = []string{citizenNet.hostIP, clerkNet.hostIP}
		c.SFU.TurnEnabled = false
		c.SFU.ICEAllowedPrivateNetworks = []string{citizenNet.network(), clerkNet.network()}
	}, time.Now)
	srv := httptest.NewUnstartedServer(env.app.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	admin := loginAt(t, base, testAdminEmail)
	svc, _ := openNow(env, admin)
	appt := resourceBooking(t, env, svc)

	cit := newBrowserIn(t, base, citizenNet).tab("citizen")
	clk := newBrowserIn(t, base, clerkNet).tab("clerk")

	cit.open("/join/" + appt.JoinToken)
	cit.wait("device check", `location.pathname === "/join" && document.documentElement.dataset.view === "v-check"`)
	cit.wait("camera preview", `document.getElementById("preview").videoWidth > 0 && document.getElementById("conn-status").dataset.ok === "1"`)
	cit.click("#to-waiting")
	cit.wait("waiting", `document.documentElement.dataset.room === "waiting"`)

	clk.open("/staff")
	clk.wait("login form", `document.documentElement.dataset.view === "v-login"`)
	clk.fill("#l-email", "clerk@amt.example")
	clk.fill("#l-password", testPassword)
	clk.click("#login-form button[type=submit]")
	clk.wait("calendar", `document.documentElement.dataset.view === "v-calendar"`)
	clk.open("/staff/console/" + itoa(appt.Appointment.ID))
	clk.wait("citizen in waiting list", `document.querySelector("#waiting-list [data-admit]")`)
	clk.wait("clerk connected", `document.documentElement.dataset.room === "admitted"`)
	clk.click("#waiting-list [data-admit]")
	cit.wait("in the call", `document.documentElement.dataset.view === "v-call"`)

	// Decoding goes on: several times in a row, each page decodes dozens
	// of new frames (a few seconds of video at the fake camera's rate).
	for round := range 3 {
		for _, p := range []*tab{cit, clk} {
			p.wait("frames", `window.sprechstunde.room.quality().then((q) => q && q.framesDecoded > 0 && q.frameWidth > 0)`)
			before := eval[int](p, `window.sprechstunde.room.quality().then((q) => q.framesDecoded)`)
			p.wait("more frames", `window.sprechstunde.room.quality().then((q) => q.framesDecoded >= `+itoa(int64(before+40))+`)`)
			if round == 2 {
				t.Logf("%s decoded %d frames", p.name, eval[int](p, `window.sprechstunde.room.quality().then((q) => q.framesDecoded)`))
			}
		}
	}
	if lost := citizenNet.lost.Load(); lost == 0 {
		t.Errorf("the citizen's link lost none of %d packets", citizenNet.carried.Load())
	} else {
		t.Logf("the citizen's link lost %d of %d packets", lost, citizenNet.carried.Load())
	}
}

// newBrowserIn starts headless Chromium inside the link's namespace;
// chromedp talks to it over the pipes it inherits, not over the network.
func newBrowserIn(t *testing.T, base string, l *netLink) *browser {
	t.Helper()
	opts, err := chrome.Options(t.TempDir(), 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, chromedp.ExecPath(l.chromiumIn(t, chrome.Path)),
		// Camera, microphone and WebRTC need a secure context; only
		// loopback is one without TLS.
		chromedp.Flag("unsafely-treat-insecure-origin-as-secure", base))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start chromium in %s: %v", l.ns, err)
	}
	return &browser{t: t, base: base, root: root}
}
