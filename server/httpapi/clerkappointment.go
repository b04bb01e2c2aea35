package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleClerkAppointment gives the console one appointment of the clerk:
// the case context (citizen, topic, conversation language, service, time)
// and its case number, also when the room is closed.
func (a *API) handleClerkAppointment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ap, err := a.office.ClerkAppointment(c.Request().Context(), staff(c).actor(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, appointmentJSON{ID: ap.ID, CaseNumber: ap.CaseNumber, Start: a.rfc3339(ap.Start), End: a.rfc3339(ap.End),
		Status: string(ap.Status), CitizenName: ap.CitizenName, ServiceID: ap.ServiceID, ClerkID: ap.ClerkID,
		Topic: ap.Topic, Language: ap.Language})
}
