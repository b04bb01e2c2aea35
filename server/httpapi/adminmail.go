package httpapi

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

type mailStatusJSON struct {
	SMTPConfigured bool                  `json:"smtp_configured"`
	Reason         string                `json:"reason,omitempty"`
	Counts         map[string]int        `json:"counts"`
	Undelivered    []undeliveredMailJSON `json:"undelivered"`
}

// undeliveredMailJSON shows a queued mail without body and with a masked address.
type undeliveredMailJSON struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	AppointmentID int64  `json:"appointment_id"`
	Recipient     string `json:"recipient"`
	Status        string `json:"status"`
	Attempts      int    `json:"attempts"`
	LastError     string `json:"last_error,omitempty"`
	NextAttemptAt string `json:"next_attempt_at"`
	CreatedAt     string `json:"created_at"`
}

func (a *API) handleMailStatus(c echo.Context) error {
	st, err := a.office.MailStatus(c.Request().Context(), staff(c).actor())
	if err != nil {
		return err
	}
	out := mailStatusJSON{SMTPConfigured: a.smtpConfigured, Counts: map[string]int{},
		Undelivered: []undeliveredMailJSON{}}
	if !out.SMTPConfigured {
		out.Reason = "smtp_url is not configured (SPRECHSTUNDE_SMTP_URL): mails are queued and sent once it is set"
	}
	for _, s := range []booking.OutboxStatus{booking.OutboxPending, booking.OutboxSent, booking.OutboxFailed} {
		out.Counts[string(s)] = st.Counts[s]
	}
	for _, m := range st.Undelivered {
		out.Undelivered = append(out.Undelivered, undeliveredMailJSON{ID: m.ID, Kind: string(m.Kind),
			AppointmentID: m.AppointmentID, Recipient: m.RecipientMasked, Status: string(m.Status),
			Attempts: m.Attempts, LastError: m.LastError, NextAttemptAt: a.rfc3339(m.NextAttemptAt),
			CreatedAt: a.rfc3339(m.CreatedAt)})
	}
	return c.JSON(http.StatusOK, out)
}

// handleRetryMail makes a failed mail due again; the delivery loop sends it
// at once. Only a failed mail that still has its body can be retried.
func (a *API) handleRetryMail(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = a.office.RetryMail(c.Request().Context(), staff(c).actor(), id)
	if errors.Is(err, booking.ErrConflict) {
		return fieldConflict("id", "mail_not_retryable", "Only a failed mail whose text is still stored can be sent again.")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": id, "status": string(booking.OutboxPending)})
}
