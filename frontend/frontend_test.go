package frontend

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Page weight budgets, gzipped: everything a page loads (HTML, scripts,
// styles, icons, the catalog of one language). Fonts are the system's.
var budgets = map[string]int{
	"join.html":    150 << 10, // device check, waiting room and call
	"console.html": 150 << 10,
	"book.html":    100 << 10,
	"manage.html":  100 << 10,
}

// testAssets stands in for the server's versioned asset base path.
const testAssets = "/assets/0123456789abcdef"

var (
	assetRef  = regexp.MustCompile(regexp.QuoteMeta(testAssets) + `/([\w./-]+)`)
	importRef = regexp.MustCompile(`(?m)(?:^import|^export)[^"]*?from\s+"(\./[\w./-]+)"|import\("(\./[\w./-]+)"\)`)
)

// pageFiles lists everything a rendered page loads, following ES imports.
func pageFiles(t *testing.T, static fs.FS, page string, html []byte) []string {
	t.Helper()
	files := []string{"i18n/de.json"}
	queue := []string{}
	for _, m := range assetRef.FindAllStringSubmatch(string(html), -1) {
		queue = append(queue, m[1])
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if slices.Contains(files, f) {
			continue
		}
		files = append(files, f)
		if !strings.HasSuffix(f, ".js") {
			continue
		}
		src, err := fs.ReadFile(static, f)
		if err != nil {
			t.Fatalf("%s loads %s: %v", page, f, err)
		}
		for _, m := range importRef.FindAllStringSubmatch(string(src), -1) {
			queue = append(queue, path.Join(path.Dir(f), m[1]+m[2]))
		}
	}
	return files
}

func gzipSize(t *testing.T, b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Len()
}

// TestPageWeight keeps the pages light for weak phones and slow links.
func TestPageWeight(t *testing.T) {
	static, pages := mustStatic(t), mustPages(t)
	for page, limit := range budgets {
		html, ok := pages[page]
		if !ok {
			t.Fatalf("no page %s", page)
		}
		total, raw := gzipSize(t, html), len(html)
		for _, f := range pageFiles(t, static, page, html) {
			b, err := fs.ReadFile(static, f)
			if err != nil {
				t.Fatal(err)
			}
			raw += len(b)
			total += gzipSize(t, b)
		}
		t.Logf("page weight %-13s %6.1f KB gzipped (%6.1f KB raw), budget %d KB", page, float64(total)/1024, float64(raw)/1024, limit>>10)
		if total > limit {
			t.Errorf("%s weighs %d bytes gzipped, budget %d", page, total, limit)
		}
	}
}

// TestCatalogs: both languages know the same keys, and every page's
// static keys exist.
func TestCatalogs(t *testing.T) {
	static := mustStatic(t)
	load := func(lang string) map[string]string {
		b, err := fs.ReadFile(static, "i18n/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		return m
	}
	de, en := load("de"), load("en")
	for k := range de {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range en {
		if _, ok := de[k]; !ok {
			t.Errorf("de.json lacks %q", k)
		}
	}
	key := regexp.MustCompile(`data-i18n="([\w.]+)"|data-i18n-attr="\w[\w-]*:([\w.]+)"`)
	for p, b := range mustPages(t) {
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if k := m[1] + m[2]; de[k] == "" {
				t.Errorf("%s uses unknown key %q", p, k)
			}
		}
	}
}

// TestNoInlineCode: the CSP forbids inline script and style, and pages
// load nothing from other origins: neither the files nor the pages
// rendered from them.
func TestNoInlineCode(t *testing.T) {
	static := mustStatic(t)
	unsafeJS := regexp.MustCompile(`setAttribute\("style"|\.innerHTML\s*=\s*[^A-Z\s]|\beval\(|new Function`)
	bad := regexp.MustCompile(`(?i)<script>|<script(?:\s[^>]*)?>[^<\s]|<style|\sstyle=|\son[a-z]+=|https?://|javascript:`)
	for p, b := range mustPages(t) {
		if m := bad.Find(b); m != nil {
			t.Errorf("rendered %s: %q", p, m)
		}
	}
	err := fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".js")) {
			return err
		}
		b, _ := fs.ReadFile(static, p)
		if strings.HasSuffix(p, ".js") {
			// Scripts may name URLs in comments; they must not build inline handlers or styles.
			if unsafeJS.Match(b) {
				t.Errorf("%s: inline style, eval or dynamic HTML", p)
			}
			return nil
		}
		if m := bad.Find(b); m != nil {
			t.Errorf("%s: %q", p, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestImports: the package only embeds files and renders the pages.
func TestImports(t *testing.T) {
	allowed := []string{"bytes", "embed", "fmt", "html/template", "io/fs", "path"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); !slices.Contains(allowed, p) {
				t.Errorf("%s imports %s; only %v are allowed", name, p, allowed)
			}
		}
	}
}

// mustPages renders the pages as the server does.
func mustPages(t *testing.T) map[string][]byte {
	t.Helper()
	pages, err := Pages(mustStatic(t), testAssets, "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func mustStatic(t *testing.T) fs.FS {
	t.Helper()
	static, err := Static()
	if err != nil {
		t.Fatal(err)
	}
	return static
}
