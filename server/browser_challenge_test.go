package server

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestBrowserChallengeSolveTime solves booking challenges of the default
// difficulty with the booking page's worker in headless Chromium, checks
// each answer and logs the median solve time: the figure behind the
// default max_number (docs/api.md). Speed is not asserted; machines differ.
func TestBrowserChallengeSolveTime(t *testing.T) {
	env := browserEnv(t, nil)
	b := newBrowser(t, env.srv.URL)
	p := b.tab("citizen")
	p.open("/")
	type solved struct {
		Ms        float64 `json:"ms"`
		Number    int64   `json:"number"`
		Salt      string  `json:"salt"`
		Challenge string  `json:"challenge"`
	}
	const runs = 9
	got := eval[[]solved](p, `(async () => {
		const src = [...document.scripts].find((s) => s.src.endsWith("/js/book.js")).src;
		const out = [];
		for (let i = 0; i < `+strconv.Itoa(runs)+`; i++) {
			const ch = await (await fetch("/api/v1/bookings/challenge")).json();
			const w = new Worker(src.replace(/book\.js$/, "altcha-worker.js"), { type: "module" });
			const t0 = performance.now();
			const res = await new Promise((ok) => { w.onmessage = (e) => ok(e.data); w.postMessage(ch); });
			out.push({ ms: performance.now() - t0, number: res.number ?? -1, salt: ch.salt, challenge: ch.challenge });
			w.terminate();
		}
		return out;
	})()`)
	if len(got) != runs {
		t.Fatalf("%d results, want %d", len(got), runs)
	}
	var ms []float64
	var numbers, total float64
	for _, s := range got {
		sum := sha256.Sum256([]byte(s.Salt + strconv.FormatInt(s.Number, 10)))
		if hex.EncodeToString(sum[:]) != s.Challenge {
			t.Fatalf("the worker answered %d, which does not solve %+v", s.Number, s)
		}
		ms = append(ms, s.Ms)
		numbers += float64(s.Number + 1)
		total += s.Ms
	}
	slices.Sort(ms)
	max := defaultBookingChallenge().MaxNumber
	rate := numbers / total * 1000 // hashes per second
	t.Logf("booking challenge, max_number %d, headless Chromium: median solve %s over %d runs; %.0f hashes/s, so %s on average (max_number/2) and %s at worst",
		max, time.Duration(ms[runs/2]*float64(time.Millisecond)).Round(time.Millisecond), runs, rate,
		time.Duration(float64(max)/2/rate*float64(time.Second)).Round(time.Millisecond),
		time.Duration(float64(max)/rate*float64(time.Second)).Round(time.Millisecond))
}
