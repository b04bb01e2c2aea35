package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/mailer"
)

type publicServiceJSON struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	Description     string `json:"description"`
	DurationMinutes int    `json:"duration_minutes"`
}

func (a *API) handlePublicServices(c echo.Context) error {
	list, err := a.office.Services(c.Request().Context(), true)
	if err != nil {
		return err
	}
	out := make([]publicServiceJSON, len(list))
	for i, s := range list {
		out[i] = publicServiceJSON{ID: s.ID, Name: s.Name, Description: s.Description, DurationMinutes: s.DurationMinutes}
	}
	return c.JSON(http.StatusOK, out)
}

type slotJSON struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Available int    `json:"available"`
}

func (a *API) handleSlots(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	from, to, err := a.dateRange(c, 6)
	if err != nil {
		return err
	}
	slots, err := a.office.FreeSlots(c.Request().Context(), id, from, to)
	if err != nil {
		return err
	}
	out := make([]slotJSON, len(slots))
	for i, s := range slots {
		out[i] = slotJSON{Start: a.rfc3339(s.Start), End: a.rfc3339(s.End), Available: s.Available}
	}
	return c.JSON(http.StatusOK, out)
}

type bookingRequestJSON struct {
	ServiceID flexID `json:"service_id"`
	Start     string `json:"start"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Consent   bool   `json:"consent"`
	Topic     string `json:"topic"`
	Language  string `json:"language"` // conversation language
	Locale    string `json:"locale"`   // language of the pages and mails
	Altcha    string `json:"altcha"`   // proof-of-work solution, see bookingchallenge.go
}

type bookingJSON struct {
	ID         int64  `json:"id"`
	CaseNumber string `json:"case_number"`
	ServiceID  int64  `json:"service_id"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Status     string `json:"status"`
	JoinURL    string `json:"join_url,omitempty"`
	ManageURL  string `json:"manage_url,omitempty"`
}

// bookedJSON is the answer to a booking: it also says whether mail can be
// sent at all, so the confirmation page does not promise a mail that waits
// for an SMTP relay nobody configured.
type bookedJSON struct {
	bookingJSON
	MailDelivery bool `json:"mail_delivery"`
}

func (a *API) toBookingJSON(ap booking.Appointment) bookingJSON {
	return bookingJSON{ID: ap.ID, CaseNumber: ap.CaseNumber, ServiceID: ap.ServiceID,
		Start: a.rfc3339(ap.Start), End: a.rfc3339(ap.End), Status: string(ap.Status)}
}

func (a *API) handleBook(c echo.Context) error {
	var req bookingRequestJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	// Before any other work: the proof of work is what makes a booking
	// attempt cost the client something.
	if err := a.checkBookingChallenge(req.Altcha); err != nil {
		return err
	}
	start, err := time.Parse(time.RFC3339, req.Start)
	if err != nil && req.Start != "" {
		return fieldError("start", "must be an RFC 3339 time such as 2026-12-01T10:30:00+01:00")
	}
	res, err := a.office.Book(c.Request().Context(), booking.BookingRequest{
		ServiceID: int64(req.ServiceID), Start: start, Name: req.Name, Email: req.Email,
		Consent: req.Consent, Topic: req.Topic, Language: req.Language, Locale: req.Locale,
	})
	if err != nil {
		return err
	}
	out := a.toBookingJSON(res.Appointment)
	out.JoinURL = mailer.JoinURL(a.cfg.PublicURL, res.JoinToken, res.Appointment.Locale)
	out.ManageURL = mailer.ManageURL(a.cfg.PublicURL, res.ManageToken, res.Appointment.Locale)
	a.log.Info("appointment booked", "appointment", res.Appointment.ID, "case", res.Appointment.CaseNumber)
	return c.JSON(http.StatusCreated, bookedJSON{bookingJSON: out, MailDelivery: a.smtpConfigured})
}

func (a *API) handleManageGet(c echo.Context) error {
	ap, err := a.office.ByManageToken(c.Request().Context(), c.Param("token"))
	if err != nil {
		return manageError(err)
	}
	return c.JSON(http.StatusOK, a.toBookingJSON(ap))
}

func (a *API) handleManageCancel(c echo.Context) error {
	ap, err := a.office.CancelByToken(c.Request().Context(), c.Param("token"))
	if err != nil {
		return manageError(err)
	}
	a.log.Info("appointment cancelled by citizen", "appointment", ap.ID)
	return c.NoContent(http.StatusNoContent)
}

// manageError words a bad manage link for a citizen.
func manageError(err error) error {
	if errors.Is(err, booking.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "not_found", "This link is not valid. Please use the link from your confirmation e-mail.")
	}
	return err
}
