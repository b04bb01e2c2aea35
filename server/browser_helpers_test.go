package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest/chrome"
)

// Browser tests drive the real pages in headless Chromium with a fake
// camera and microphone. Chromium and axe-core are required: make test
// installs both (scripts/install-test-deps.sh); a missing one fails.

// axeTags are the rule sets of WCAG 2.1 level A and AA.
const axeTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa"]`

// browser is one headless Chromium; tabs share its cookies and storage.
type browser struct {
	t    *testing.T
	base string
	root context.Context
	axe  string // axe.min.js source

	mu       sync.Mutex
	problems []string // uncaught exceptions and CSP violations in any tab
}

// newBrowser starts Chromium; extra options (such as the browser's
// languages) come after the shared ones.
func newBrowser(t *testing.T, base string, extra ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	opts, err := chrome.Options(t.TempDir(), 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, extra...)
	dir, _ := moduleRoot(t)
	axe, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is required for the accessibility checks (make test installs it with npm): %v", err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, base: base, root: root, axe: string(axe)}
}

// tab is one page of the browser.
type tab struct {
	b    *browser
	t    *testing.T
	name string
	ctx  context.Context
}

func (b *browser) tab(name string) *tab {
	ctx, cancel := chromedp.NewContext(b.root)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open tab %s: %v", name, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleException || strings.Contains(m.Text, "Content Security Policy") {
				b.mu.Lock()
				b.problems = append(b.problems, name+": "+m.Text)
				b.mu.Unlock()
			}
		}
	}()
	b.t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, p := range b.problems {
			b.t.Errorf("page problem: %s", p)
		}
		b.problems = nil
	})
	return &tab{b: b, t: b.t, name: name, ctx: ctx}
}

func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v\n%s", tb.name, what, err, tb.snapshot())
	}
}

// open loads a page and waits until its catalog is applied.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("navigate "+path, chromedp.Navigate(tb.b.base+path))
	tb.wait("page ready", `document.documentElement.dataset.ready === "1"`)
}

// eval runs JavaScript (awaiting promises) and decodes the result.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: eval %s: %v", tb.name, expr, err)
	}
	return v
}

// wait polls a JavaScript condition; a promise is awaited (Boolean of a
// promise would always be true).
func (tb *tab) wait(what, cond string) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Promise.resolve("+cond+").then(Boolean)", chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: timed out waiting for %s (%s): %v\n%s", tb.name, what, cond, err, tb.snapshot())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// snapshot is the visible text of the page, for failure messages.
func (tb *tab) snapshot() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 3*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 1500)`))
	return s
}

func (tb *tab) click(css string) {
	tb.t.Helper()
	tb.do("click "+css, chromedp.Click(chromedp.CSS(css)))
}

func (tb *tab) fill(css, text string) {
	tb.t.Helper()
	eval[bool](tb, fmt.Sprintf(`(document.querySelector(%q).value = "", true)`, css))
	tb.do("fill "+css, chromedp.SendKeys(chromedp.CSS(css), text))
}

func (tb *tab) key(keys string) { tb.t.Helper(); tb.do("key", chromedp.KeyEvent(keys)) }

// tabTo presses Tab until the focused element matches the CSS selector.
func (tb *tab) tabTo(css string) {
	tb.t.Helper()
	for range 80 {
		if eval[bool](tb, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, css)) {
			return
		}
		tb.key(kb.Tab)
	}
	tb.t.Fatalf("%s: Tab never reached %s\n%s", tb.name, css, tb.snapshot())
}

// a11y runs axe-core for WCAG 2.1 A/AA in German, switches the page to
// English with its own switch, runs it again and switches back.
func (tb *tab) a11y(state string) {
	tb.t.Helper()
	for _, lang := range []string{"de", "en"} {
		if eval[string](tb, `document.documentElement.lang`) != lang {
			tb.switchLang(lang)
		}
		tb.axeCheck(state + " [" + lang + "]")
	}
	tb.switchLang("de")
}

func (tb *tab) switchLang(lang string) {
	tb.t.Helper()
	if eval[string](tb, `document.documentElement.lang`) == lang {
		return
	}
	// The switch is a <select>: choose as a keyboard user would, then let
	// the page hear the change.
	eval[bool](tb, fmt.Sprintf(`(() => { const s = document.getElementById("lang-switch"); s.value = %q;
		s.dispatchEvent(new Event("change")); return true })()`, lang))
	tb.wait("language "+lang, fmt.Sprintf(`document.documentElement.lang === %q`, lang))
}

func (tb *tab) axeCheck(state string) {
	tb.t.Helper()
	if !eval[bool](tb, `typeof window.axe === "object"`) {
		eval[any](tb, tb.b.axe+";true")
	}
	type violation struct {
		ID    string   `json:"id"`
		Help  string   `json:"help"`
		Nodes []string `json:"nodes"`
	}
	vs := eval[[]violation](tb, `axe.run(document, {runOnly: {type: "tag", values: `+axeTags+`}, resultTypes: ["violations"]})
		.then((r) => r.violations.map((v) => ({id: v.id, help: v.help,
			nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary)})))`)
	for _, v := range vs {
		tb.t.Errorf("axe %s: %s (%s): %s", state, v.ID, v.Help, strings.Join(v.Nodes, " | "))
	}
}

// checkpoint checks a page state for accessibility and, when asked to,
// writes screenshots of it (see TestBrowserJourney and make screenshots).
func (tb *tab) checkpoint(state string) {
	tb.t.Helper()
	tb.a11y(state)
	tb.screenshots(state)
}

// chromedpClose closes the tab's page (ends its media and sockets).
func chromedpClose() chromedp.Action[chromedp.Void] {
	return chromedp.Navigate("about:blank")
}
