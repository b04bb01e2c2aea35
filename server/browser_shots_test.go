package server

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotDir is where `make screenshots` wants PNGs of every page state
// (SPRECHSTUNDE_SCREENSHOTS); empty means none are taken.
func screenshotDir() string { return os.Getenv("SPRECHSTUNDE_SCREENSHOTS") }

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// screenshots writes the page at desktop and at 390 px phone width.
func (tb *tab) screenshots(state string) {
	tb.t.Helper()
	dir := screenshotDir()
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(state), "-"), "-")
	for _, v := range []struct {
		name   string
		w, h   int64
		mobile bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if v.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		tb.do("viewport", chromedp.EmulateViewport(v.w, v.h, opts...), chromedp.Sleep(300*time.Millisecond))
		png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			tb.t.Fatalf("screenshot %s: %v", state, err)
		}
		if err := os.WriteFile(filepath.Join(dir, slug+"-"+v.name+".png"), png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
	tb.do("viewport", chromedp.ResetViewport())
}
