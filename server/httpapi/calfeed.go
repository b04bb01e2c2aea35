package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/ical"
	"github.com/sprechstunde/sprechstunde/server/mailer"
)

// handleRotateFeed creates or replaces the clerk's secret calendar URL.
func (a *API) handleRotateFeed(c echo.Context) error {
	token, err := a.office.RotateCalendarFeed(c.Request().Context(), staff(c).actor())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"url": a.cfg.PublicURL + "/calendar/" + token + ".ics"})
}

func (a *API) handleRevokeFeed(c echo.Context) error {
	if err := a.office.RevokeCalendarFeed(c.Request().Context(), staff(c).actor()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleCalendarFeed serves a clerk's upcoming appointments as iCalendar.
// Entries name case number and service only: feeds end up in third-party
// calendar apps, so no citizen data goes in.
func (a *API) handleCalendarFeed(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return notFound()
	}
	ctx := c.Request().Context()
	list, err := a.office.CalendarFeed(ctx, token)
	if err != nil {
		return err
	}
	loc := a.cfg.Location
	now := a.now()
	years := []int{now.In(loc).Year(), now.In(loc).Year() + 1}
	cal := ical.NewCalendar("", loc, years...)
	cal.SetXWRCalName("Sprechstunde")
	names := map[int64]string{}
	for _, ap := range list {
		if _, seen := names[ap.ServiceID]; !seen {
			if s, err := a.office.Service(ctx, ap.ServiceID); err == nil {
				names[ap.ServiceID] = s.Name
			}
		}
		ical.AddEvent(cal, loc, ical.Event{UID: ical.CaseUID(ap.CaseNumber, mailer.Domain(a.cfg.PublicURL)), Sequence: ap.Sequence,
			Start: ap.Start, End: ap.End, Summary: feedSummary(names[ap.ServiceID], ap)}, now)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(cal.Serialize()))
}

func feedSummary(service string, ap booking.Appointment) string {
	if service == "" {
		return ap.CaseNumber
	}
	return service + " (" + ap.CaseNumber + ")"
}
