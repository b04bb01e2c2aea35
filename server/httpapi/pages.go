package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sprechstunde/sprechstunde/frontend"
)

// pageRoutes maps the browser's page paths to the embedded page files.
// Join and manage tokens arrive in the path once; the page exchanges or
// stores them and replaces the address (see docs/frontend.md).
var pageRoutes = []struct{ path, file string }{
	{"/", "book.html"},
	{"/book", "book.html"},
	{"/manage", "manage.html"},
	{"/manage/:token", "manage.html"},
	{"/join", "join.html"},
	{"/join/:token", "join.html"},
	{"/guest/:token", "join.html"},
	{"/staff", "staff.html"},
	{"/staff/console/:id", "console.html"},
	{"/admin", "admin.html"},
	{"/barrierefreiheit", "barrierefreiheit.html"},
	{"/datenschutz", "datenschutz.html"},
	{"/impressum", "impressum.html"},
}

// notFoundFile is the page browsers get for an unknown address.
const notFoundFile = "notfound.html"

// PagePaths lists the paths the browser pages are served at.
func PagePaths() []string {
	out := make([]string, len(pageRoutes))
	for i, r := range pageRoutes {
		out[i] = r.path
	}
	return out
}

// pageSet is the rendered pages and the content-addressed asset tree.
type pageSet struct {
	static fs.FS
	prefix string            // "/assets/<hash>", changes with any asset
	pages  map[string][]byte // file name -> HTML rendered with the prefix
}

// newPageSet hashes all embedded files into one version: ES modules import
// each other by relative path, so they share one versioned directory.
func newPageSet(static fs.FS, zone string) (*pageSet, error) {
	h := sha256.New()
	err := fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ps := &pageSet{static: static, prefix: "/assets/" + hex.EncodeToString(h.Sum(nil))[:16]}
	if ps.pages, err = frontend.Pages(static, ps.prefix, zone); err != nil {
		return nil, err
	}
	for _, r := range append(pageRoutes, struct{ path, file string }{"", notFoundFile}) {
		if ps.pages[r.file] == nil {
			return nil, fmt.Errorf("httpapi: no page %s", r.file)
		}
	}
	return ps, nil
}

// registerPages adds the page and asset routes to e.
func (a *API) registerPages(e *echo.Echo) error {
	static, err := frontend.Static()
	if err != nil {
		return fmt.Errorf("httpapi: embedded pages: %w", err)
	}
	ps, err := newPageSet(static, a.zoneName())
	if err != nil {
		return fmt.Errorf("httpapi: embedded pages: %w", err)
	}
	for _, r := range pageRoutes {
		e.GET(r.path, ps.page(r.file))
	}
	a.notFoundPage = ps.pages[notFoundFile]
	e.GET("/assets/:version/*", ps.asset, middleware.Gzip())
	return nil
}

func (ps *pageSet) page(file string) echo.HandlerFunc {
	body := ps.pages[file]
	return func(c echo.Context) error {
		h := c.Response().Header()
		// Pages are small and name the current asset version: always revalidate.
		h.Set("Cache-Control", "no-cache")
		return c.Blob(http.StatusOK, "text/html; charset=utf-8", body)
	}
}

// asset serves an embedded file under its version for a year; other
// versions are gone (a page from before a deploy reloads itself).
func (ps *pageSet) asset(c echo.Context) error {
	if "/assets/"+c.Param("version") != ps.prefix {
		return echo.ErrNotFound
	}
	name := path.Clean(c.Param("*"))
	if strings.HasPrefix(name, "pages/") || !fs.ValidPath(name) {
		return echo.ErrNotFound
	}
	b, err := fs.ReadFile(ps.static, name)
	if err != nil {
		return echo.ErrNotFound
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if path.Ext(name) == ".js" {
		ctype = "text/javascript; charset=utf-8"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, ctype, b)
}
