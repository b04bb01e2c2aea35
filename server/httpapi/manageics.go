package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/server/ical"
	"github.com/sprechstunde/sprechstunde/server/mailer"
)

// handleManageICS offers the booking as a calendar file for the citizen's
// own calendar (confirmation and manage pages). It carries the same UID as
// the mailed invitation, so importing both keeps one entry. The join link
// is not in it: only its hash is stored. Its texts are in the booking's
// language.
func (a *API) handleManageICS(c echo.Context) error {
	ap, err := a.office.ByManageToken(c.Request().Context(), c.Param("token"))
	if err != nil {
		return manageError(err)
	}
	title, noLink := mailer.CalendarTexts(ap.Locale)
	if s, err := a.office.Service(c.Request().Context(), ap.ServiceID); err == nil && s.Name != "" {
		title = s.Name
	}
	loc := a.cfg.Location
	cal := ical.NewCalendar("", loc, ical.AppointmentYears(ap, loc)...)
	ical.AddEvent(cal, loc, ical.Event{
		UID: ical.CaseUID(ap.CaseNumber, mailer.Domain(a.cfg.PublicURL)), Sequence: ap.Sequence, Start: ap.Start, End: ap.End,
		Summary:     title + " (" + ap.CaseNumber + ")",
		Description: noLink,
		Alarm:       a.office.JoinEarly(), // when the join link opens
	}, a.now())
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="termin-`+ap.CaseNumber+`.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(cal.Serialize()))
}
