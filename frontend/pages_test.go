package frontend

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"
)

// TestPagesShareLayout: every rendered page has exactly one document
// shell and one <head> holding the shared elements and its own title key
// and controller, in that order and nothing else.
func TestPagesShareLayout(t *testing.T) {
	tests := []struct{ page, title, script string }{
		{"admin.html", "admin.title", "admin.js"},
		{"barrierefreiheit.html", "barrierefreiheit.title", "content.js"},
		{"book.html", "book.title", "book.js"},
		{"console.html", "console.title", "console.js"},
		{"datenschutz.html", "datenschutz.title", "content.js"},
		{"impressum.html", "impressum.title", "content.js"},
		{"join.html", "join.title", "join.js"},
		{"manage.html", "manage.title", "manage.js"},
		{"notfound.html", "notfound.title", "content.js"},
		{"staff.html", "staff.title", "staff.js"},
	}
	pages := mustPages(t)
	var names []string
	for _, tt := range tests {
		names = append(names, tt.page)
	}
	if got := slices.Sorted(maps.Keys(pages)); !slices.Equal(got, names) {
		t.Fatalf("pages = %v, want %v", got, names)
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			b := pages[tt.page]
			if !bytes.HasPrefix(b, []byte("<!doctype html>\n<html lang=\"de\" data-zone=\"Europe/Berlin\">\n<head>\n")) {
				t.Errorf("starts with %.60q", b)
			}
			counts, head := scanPage(t, b)
			for _, tag := range []string{"html", "head", "body", "main", "title", "script", "link", "meta"} {
				want := map[string]int{"link": 2, "meta": 2}[tag]
				if want == 0 {
					want = 1
				}
				if counts[tag] != want {
					t.Errorf("%d <%s>, want %d", counts[tag], tag, want)
				}
			}
			want := []string{
				`meta charset="utf-8"`,
				`meta name="viewport" content="width=device-width, initial-scale=1"`,
				fmt.Sprintf(`title data-i18n=%q`, tt.title),
				fmt.Sprintf(`link rel="icon" href="%s/img/icon.svg" type="image/svg+xml"`, testAssets),
				fmt.Sprintf(`link rel="stylesheet" href="%s/css/app.css"`, testAssets),
				fmt.Sprintf(`script type="module" src="%s/js/%s"`, testAssets, tt.script),
			}
			if !slices.Equal(head, want) {
				t.Errorf("head:\n%s\nwant:\n%s", strings.Join(head, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// scanPage counts the start tags of a page and lists the elements inside
// its <head> as `name attr="value" ...`.
func scanPage(t *testing.T, b []byte) (map[string]int, []string) {
	t.Helper()
	counts := map[string]int{}
	var head []string
	inHead := false
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return counts, head
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			counts[tok.Data]++
			if tok.Data == "head" {
				inHead = true
			} else if inHead {
				el := tok.Data
				for _, a := range tok.Attr {
					el += fmt.Sprintf(" %s=%q", a.Key, a.Val)
				}
				head = append(head, el)
			}
		case html.EndTagToken:
			if z.Token().Data == "head" {
				inHead = false
			}
		}
	}
}

// TestPageFilesLeaveHeadToLayout: the layout is the one owner of the
// document shell; a page file holds only its own definitions.
func TestPageFilesLeaveHeadToLayout(t *testing.T) {
	static := mustStatic(t)
	shell := regexp.MustCompile(`(?i)<!doctype|<html|<head|</head|<body|<main|<meta|<link|<title|<script`)
	files, err := fs.Glob(static, "pages/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "pages/"+layoutFile {
			continue
		}
		b, err := fs.ReadFile(static, f)
		if err != nil {
			t.Fatal(err)
		}
		if m := shell.Find(b); m != nil {
			t.Errorf("%s has %q; the shell and <head> belong to %s", f, m, layoutFile)
		}
	}
}

// TestPagesRefuseIncompletePage: a page that lacks one of its
// definitions, or a broken template, stops the server at startup.
func TestPagesRefuseIncompletePage(t *testing.T) {
	layout, err := fs.ReadFile(mustStatic(t), "pages/"+layoutFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, page string }{
		{"no script", `{{define "title"}}x.title{{end}}{{define "main"}}<p></p>{{end}}`},
		{"no title", `{{define "script"}}x.js{{end}}{{define "main"}}<p></p>{{end}}`},
		{"no main", `{{define "title"}}x.title{{end}}{{define "script"}}x.js{{end}}`},
		{"unclosed action", `{{define "title"}}x.title{{end}}{{define "script"}}x.js{{end}}{{define "main"}}{{{{end}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			static := fstest.MapFS{
				"pages/" + layoutFile: {Data: layout},
				"pages/x.html":        {Data: []byte(tt.page)},
			}
			if _, err := Pages(static, testAssets, "Europe/Berlin"); err == nil || !strings.Contains(err.Error(), "x.html") {
				t.Errorf("err = %v, want one naming x.html", err)
			}
		})
	}
}
