package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// MethodLabel names a request method for metrics and logs. Clients may
// send any token as a method; each new one would be a new series kept
// forever, so only the standard methods are named and the rest are "OTHER".
func MethodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

// RouteLabel is the registered pattern that answered ("/*" for unknown
// paths), never the raw path, so clients cannot add series either.
func RouteLabel(c echo.Context) string {
	if route := c.Path(); route != "" {
		return route
	}
	return "unmatched"
}
