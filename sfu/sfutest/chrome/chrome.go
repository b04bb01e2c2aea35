// Package chrome starts headless Debian Chromium for WebRTC tests: fake
// camera and microphone, autoplay, and media kept on loopback. Only tests
// import it, so the binary carries no browser automation.
package chrome

import (
	"fmt"
	"os"

	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package installs the browser.
const Path = "/usr/bin/chromium"

// Options returns allocator options for a fresh profile in dataDir with a
// window of width × height. It fails, never skips, when Chromium is
// missing: make test installs it.
func Options(dataDir string, width, height int) ([]chromedp.ExecAllocatorOption, error) {
	if _, err := os.Stat(Path); err != nil {
		return nil, fmt.Errorf("chromium is required (make test installs it): %w", err)
	}
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.UserDataDir(dataDir),
		chromedp.WindowSize(width, height),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("allow-loopback-in-peer-connection", true),
		// Keep chromedp's default list and also stop mDNS host names, which
		// would send multicast and hide the loopback candidates.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,WebRtcHideLocalIpsWithMdns"),
	), nil
}
