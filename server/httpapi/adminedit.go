package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

// handleUpdateHours: PUT /admin/hours/:id with the body of adding hours;
// the entry stays with its service.
func (a *API) handleUpdateHours(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req hoursInputJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	start, end, err := parseHoursTimes(req)
	if err != nil {
		return err
	}
	h, err := a.office.UpdateOpeningHours(c.Request().Context(), staff(c).actor(), booking.OpeningHours{
		ID: id, ClerkID: int64(req.ClerkID), Weekday: req.Weekday, Start: start, End: end})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toHoursJSON(h))
}

// parseHoursTimes reads start and end, naming each field that is no time.
func parseHoursTimes(req hoursInputJSON) (start, end booking.ClockTime, err error) {
	v := &booking.ValidationError{}
	start, perr := booking.ParseClock(req.Start)
	if perr != nil {
		v.Add("start", "must be a time like 09:00")
	}
	end, perr = booking.ParseClock(req.End)
	if perr != nil {
		v.Add("end", "must be a time like 12:00")
	}
	return start, end, v.Err()
}

// handleDeleteService: DELETE /admin/services/:id; 409 service_in_use
// while appointments refer to it.
func (a *API) handleDeleteService(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := a.office.DeleteService(c.Request().Context(), staff(c).actor(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
