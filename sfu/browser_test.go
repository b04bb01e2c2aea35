package sfu_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest/chrome"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

type videoStats struct {
	FramesDecoded int `json:"framesDecoded"`
	FrameWidth    int `json:"frameWidth"`
}

// TestBrowsersExchangeVideo: two headless Chromium pages join one room
// through the SFU (clerk auto-admits the citizen) and each decodes the
// other's video.
func TestBrowsersExchangeVideo(t *testing.T) {
	opts, err := chrome.Options(t.TempDir(), 640, 480)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sfutest.LoopbackConfig()
	auth, rec := sfutest.NewAuthorizer(), sfutest.NewRecorder()
	s, err := sfu.New(cfg, auth, rec, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	srv := sfutest.NewServer(s, http.FileServer(http.Dir("testdata")))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Close(ctx)
		srv.Close()
	})
	now := time.Now()
	for _, g := range []sfu.Grant{
		{RoomID: "b", ParticipantID: "clerk", Role: signaling.RoleClerk, DisplayName: "Frau Amt"},
		{RoomID: "b", ParticipantID: "citizen", Role: signaling.RoleCitizen, DisplayName: "Herr Bürger"},
	} {
		g.NotBefore, g.NotAfter = now.Add(-time.Minute), now.Add(time.Hour)
		auth.Add("cred-"+g.ParticipantID, g)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	clerkCtx, cancelClerk := chromedp.NewContext(allocCtx)
	defer cancelClerk()
	if _, err := chromedp.Run(clerkCtx, chromedp.Navigate(srv.URL+"/browser.html?cred=cred-clerk&autoadmit=1")); err != nil {
		t.Fatalf("clerk page: %v", err)
	}
	citCtx, cancelCit := chromedp.NewContext(clerkCtx) // second tab, same browser
	defer cancelCit()
	if _, err := chromedp.Run(citCtx, chromedp.Navigate(srv.URL+"/browser.html?cred=cred-citizen")); err != nil {
		t.Fatalf("citizen page: %v", err)
	}

	for _, p := range []struct {
		name string
		ctx  context.Context
	}{{"clerk", clerkCtx}, {"citizen", citCtx}} {
		t.Run(p.name+" decodes remote video", func(t *testing.T) {
			read := func() *videoStats {
				v, err := chromedp.Run(p.ctx, chromedp.Evaluate[*videoStats](`window.inboundVideo()`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("getStats: %v", err)
				}
				return v
			}
			var first *videoStats
			waitFor(ctx, t, "first decoded frames", func() bool {
				first = read()
				return first != nil && first.FramesDecoded > 0 && first.FrameWidth > 0
			})
			waitFor(ctx, t, "more decoded frames", func() bool {
				second := read()
				return second.FramesDecoded > first.FramesDecoded && second.FrameWidth > 0
			})
		})
	}
	st, err := chromedp.Run(citCtx, chromedp.Evaluate[map[string]any](`window.sfuState`))
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := st["errors"].([]any); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
