package frontend

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
)

// layoutFile is the shell in pages/ that owns the <head> of every page;
// every other file there is a page that fills it in.
const layoutFile = "layout.html"

// pageData is what the layout needs beyond a page's own definitions.
type pageData struct {
	Assets string // versioned asset base path, e.g. "/assets/0123456789abcdef"
	Zone   string // the office's IANA time zone, in which pages show every time
}

// Pages renders every page in static's pages/ into the layout once, with
// assets as the asset base path and zone as the office's IANA time zone
// (e.g. "Europe/Berlin"), and returns file name -> HTML. A page
// defines "title", "script" and "main"; a page lacking one fails here, at
// startup, not in the browser.
func Pages(static fs.FS, assets, zone string) (map[string][]byte, error) {
	layout, err := template.ParseFS(static, "pages/"+layoutFile)
	if err != nil {
		return nil, fmt.Errorf("frontend: layout: %w", err)
	}
	files, err := fs.Glob(static, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("frontend: pages: %w", err)
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		name := path.Base(f)
		if name == layoutFile {
			continue
		}
		b, err := renderPage(static, layout, f, pageData{Assets: assets, Zone: zone})
		if err != nil {
			return nil, fmt.Errorf("frontend: page %s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}

// renderPage parses one page file into a copy of the layout and executes it.
func renderPage(static fs.FS, layout *template.Template, file string, data pageData) ([]byte, error) {
	t, err := layout.Clone()
	if err != nil {
		return nil, err
	}
	if _, err := t.ParseFS(static, file); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, layoutFile, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
