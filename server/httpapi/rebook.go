package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/server/mailer"
)

type rebookRequestJSON struct {
	Start string `json:"start"`
}

// handleManageRebook moves a booking to another slot; the answer has the
// shape of the booking answer, with the same links.
func (a *API) handleManageRebook(c echo.Context) error {
	var req rebookRequestJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	start, err := time.Parse(time.RFC3339, req.Start)
	if err != nil && req.Start != "" {
		return fieldError("start", "must be an RFC 3339 time such as 2026-12-01T10:30:00+01:00")
	}
	res, err := a.office.RebookByToken(c.Request().Context(), c.Param("token"), start)
	if err != nil {
		return manageError(err)
	}
	out := a.toBookingJSON(res.Appointment)
	if res.JoinToken != "" {
		out.JoinURL = mailer.JoinURL(a.cfg.PublicURL, res.JoinToken, res.Appointment.Locale)
	}
	out.ManageURL = mailer.ManageURL(a.cfg.PublicURL, res.ManageToken, res.Appointment.Locale)
	a.log.Info("appointment rebooked", "appointment", res.Appointment.ID, "sequence", res.Appointment.Sequence)
	return c.JSON(http.StatusOK, out)
}
