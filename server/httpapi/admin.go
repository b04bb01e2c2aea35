package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

type createUserJSON struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func (a *API) handleCreateUser(c echo.Context) error {
	var req createUserJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := a.office.CreateUser(c.Request().Context(), staff(c).actor(), booking.NewUser{
		Email: req.Email, Name: req.Name, Password: req.Password, Role: booking.Role(req.Role)})
	if err != nil {
		if isConflict(err) {
			return fieldConflict("email", "email_taken", "A staff account with this e-mail address exists.")
		}
		return err
	}
	a.log.Info("staff account created", "user", u.ID, "by", staff(c).user.ID)
	return c.JSON(http.StatusCreated, toAdminUserJSON(u))
}

type adminUserJSON struct {
	userJSON
	Active bool `json:"active"`
}

func toAdminUserJSON(u booking.User) adminUserJSON {
	return adminUserJSON{userJSON: toUserJSON(u), Active: u.Active}
}

func (a *API) handleListUsers(c echo.Context) error {
	list, err := a.office.Users(c.Request().Context(), staff(c).actor())
	if err != nil {
		return err
	}
	out := make([]adminUserJSON, len(list))
	for i, u := range list {
		out[i] = toAdminUserJSON(u)
	}
	return c.JSON(http.StatusOK, out)
}

type updateUserJSON struct {
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Active   *bool   `json:"active"`
	Password *string `json:"password"`
}

func (a *API) handleUpdateUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req updateUserJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ch := booking.UserChange{Name: req.Name, Active: req.Active, Password: req.Password}
	if req.Role != nil {
		r := booking.Role(*req.Role)
		ch.Role = &r
	}
	u, err := a.office.UpdateUser(c.Request().Context(), staff(c).actor(), id, ch)
	if err != nil {
		return err
	}
	a.log.Info("staff account changed", "user", u.ID, "by", staff(c).user.ID)
	return c.JSON(http.StatusOK, toAdminUserJSON(u))
}

type serviceJSON struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Description      string `json:"description"`
	DurationMinutes  int    `json:"duration_minutes"`
	BufferMinutes    int    `json:"buffer_minutes"`
	MinNoticeMinutes int    `json:"min_notice_minutes"`
	HorizonDays      int    `json:"horizon_days"`
	Published        bool   `json:"published"`
}

type serviceInputJSON struct {
	Name             string `json:"name"`
	Description      string `json:"description"`
	DurationMinutes  int    `json:"duration_minutes"`
	BufferMinutes    int    `json:"buffer_minutes"`
	MinNoticeMinutes int    `json:"min_notice_minutes"`
	HorizonDays      int    `json:"horizon_days"`
	Published        bool   `json:"published"`
}

func (in serviceInputJSON) domain(id int64) booking.Service {
	return booking.Service{ID: id, Name: in.Name, Description: in.Description, DurationMinutes: in.DurationMinutes,
		BufferMinutes: in.BufferMinutes, MinNoticeMinutes: in.MinNoticeMinutes, HorizonDays: in.HorizonDays, Published: in.Published}
}

func toServiceJSON(s booking.Service) serviceJSON {
	return serviceJSON{ID: s.ID, Name: s.Name, Description: s.Description, DurationMinutes: s.DurationMinutes,
		BufferMinutes: s.BufferMinutes, MinNoticeMinutes: s.MinNoticeMinutes, HorizonDays: s.HorizonDays, Published: s.Published}
}

func (a *API) handleAdminServices(c echo.Context) error {
	list, err := a.office.Services(c.Request().Context(), false)
	if err != nil {
		return err
	}
	out := make([]serviceJSON, len(list))
	for i, s := range list {
		out[i] = toServiceJSON(s)
	}
	return c.JSON(http.StatusOK, out)
}

func (a *API) handleCreateService(c echo.Context) error {
	var req serviceInputJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	s, err := a.office.CreateService(c.Request().Context(), staff(c).actor(), req.domain(0))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toServiceJSON(s))
}

func (a *API) handleUpdateService(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req serviceInputJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	s, err := a.office.UpdateService(c.Request().Context(), staff(c).actor(), req.domain(id))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toServiceJSON(s))
}

type hoursJSON struct {
	ID        int64  `json:"id"`
	ServiceID int64  `json:"service_id"`
	ClerkID   int64  `json:"clerk_id"`
	Weekday   int    `json:"weekday"`
	Start     string `json:"start"`
	End       string `json:"end"`
}

type hoursInputJSON struct {
	ClerkID flexID `json:"clerk_id"`
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

func toHoursJSON(h booking.OpeningHours) hoursJSON {
	return hoursJSON{ID: h.ID, ServiceID: h.ServiceID, ClerkID: h.ClerkID, Weekday: h.Weekday, Start: h.Start.String(), End: h.End.String()}
}

func (a *API) handleAddHours(c echo.Context) error {
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
	h, err := a.office.AddOpeningHours(c.Request().Context(), staff(c).actor(), booking.OpeningHours{
		ServiceID: id, ClerkID: int64(req.ClerkID), Weekday: req.Weekday, Start: start, End: end})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toHoursJSON(h))
}

func (a *API) handleListHours(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.office.OpeningHours(c.Request().Context(), staff(c).actor(), id)
	if err != nil {
		return err
	}
	out := make([]hoursJSON, len(list))
	for i, h := range list {
		out[i] = toHoursJSON(h)
	}
	return c.JSON(http.StatusOK, out)
}

func (a *API) handleDeleteHours(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := a.office.DeleteOpeningHours(c.Request().Context(), staff(c).actor(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type closureJSON struct {
	ID      int64  `json:"id"`
	Date    string `json:"date"`
	ClerkID int64  `json:"clerk_id,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

type closureInputJSON struct {
	Date    string `json:"date"`
	ClerkID flexID `json:"clerk_id"`
	Reason  string `json:"reason"`
}

func (a *API) handleAddClosure(c echo.Context) error {
	var req closureInputJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	d, err := booking.ParseDate(req.Date)
	if err != nil {
		return fieldError("date", "must be a date like 2026-12-24")
	}
	cl, err := a.office.AddClosure(c.Request().Context(), staff(c).actor(), booking.Closure{Date: d, ClerkID: int64(req.ClerkID), Reason: req.Reason})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, closureJSON{ID: cl.ID, Date: cl.Date.String(), ClerkID: cl.ClerkID, Reason: cl.Reason})
}

func (a *API) handleListClosures(c echo.Context) error {
	from, to, err := a.dateRange(c, 365)
	if err != nil {
		return err
	}
	list, err := a.office.Closures(c.Request().Context(), staff(c).actor(), from, to)
	if err != nil {
		return err
	}
	out := make([]closureJSON, len(list))
	for i, cl := range list {
		out[i] = closureJSON{ID: cl.ID, Date: cl.Date.String(), ClerkID: cl.ClerkID, Reason: cl.Reason}
	}
	return c.JSON(http.StatusOK, out)
}

func (a *API) handleDeleteClosure(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := a.office.DeleteClosure(c.Request().Context(), staff(c).actor(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
