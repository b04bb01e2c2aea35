package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// rfc3339 renders an instant with the office's offset, as the API promises.
func (a *API) rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(a.cfg.Location).Format(time.RFC3339)
}

// dateRange reads ?from=YYYY-MM-DD&to=YYYY-MM-DD; missing values default
// to today and today plus defaultDays.
func (a *API) dateRange(c echo.Context, defaultDays int) (booking.Date, booking.Date, error) {
	today := booking.DateOf(a.now().In(a.cfg.Location))
	from, to := today, today.AddDays(defaultDays)
	var err error
	if s := c.QueryParam("from"); s != "" {
		if from, err = booking.ParseDate(s); err != nil {
			return from, to, fieldError("from", "must be a date like 2026-12-01")
		}
		if c.QueryParam("to") == "" {
			to = from.AddDays(defaultDays)
		}
	}
	if s := c.QueryParam("to"); s != "" {
		if to, err = booking.ParseDate(s); err != nil {
			return from, to, fieldError("to", "must be a date like 2026-12-07")
		}
	}
	if to.Before(from) {
		return from, to, fieldError("to", "must not be before from")
	}
	return from, to, nil
}

func notFound() error { return newAPIError(http.StatusNotFound, "not_found", "Not found.") }
