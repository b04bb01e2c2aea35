package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// wantsPage tells a browser navigating to an unknown address, which gets
// the site's 404 page, from an API client, which keeps the JSON error.
func (a *API) wantsPage(c echo.Context) bool {
	r := c.Request()
	if a.notFoundPage == nil || r.Method != http.MethodGet || !isPagePath(r.URL.Path) {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// isPagePath is false for the API and the assets, whose clients read JSON
// or files, never a page.
func isPagePath(p string) bool {
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/assets/") && p != "/healthz"
}

// pageSlash redirects a page address with a trailing slash to the address
// without it: mail programs and people add one to links such as /join/{token}.
func pageSlash() echo.MiddlewareFunc {
	return middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		RedirectCode: http.StatusMovedPermanently,
		Skipper: func(c echo.Context) bool {
			r := c.Request()
			return (r.Method != http.MethodGet && r.Method != http.MethodHead) || !isPagePath(r.URL.Path)
		},
	})
}
