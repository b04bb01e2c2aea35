package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/password"
)

// apiError is an error with its HTTP answer already decided.
type apiError struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter, when set, becomes the Retry-After header (429, 503).
	RetryAfter time.Duration
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newAPIError(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

func fieldError(field, reason string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "invalid input",
		Fields: map[string]string{field: reason}}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// toAPIError is the one place where errors become HTTP statuses.
func toAPIError(err error) *apiError {
	var ae *apiError
	var ve *booking.ValidationError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &ve):
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "invalid input", Fields: ve.Fields}
	case errors.Is(err, booking.ErrSlotTaken):
		return newAPIError(http.StatusConflict, "slot_taken", "No clerk is free at that time any more; please choose another slot.")
	case errors.Is(err, booking.ErrTooManyBookings):
		return newAPIError(http.StatusConflict, "too_many_bookings", "This e-mail address already has the maximum number of open appointments.")
	case errors.Is(err, booking.ErrNotFound):
		return newAPIError(http.StatusNotFound, "not_found", "Not found.")
	case errors.Is(err, booking.ErrExpired):
		return newAPIError(http.StatusGone, "expired", "This link has expired.")
	case errors.Is(err, booking.ErrTooLate):
		return newAPIError(http.StatusConflict, "too_late", "The appointment has already begun.")
	case errors.Is(err, booking.ErrServiceInUse):
		return newAPIError(http.StatusConflict, "service_in_use", "This service has appointments; unpublish it instead of deleting it.")
	case errors.Is(err, booking.ErrConflict):
		return newAPIError(http.StatusConflict, "conflict", "The request conflicts with stored data.")
	case errors.Is(err, booking.ErrForbidden):
		return newAPIError(http.StatusForbidden, "forbidden", "You may not do this.")
	case errors.Is(err, password.ErrBusy):
		return &apiError{Status: http.StatusServiceUnavailable, Code: "busy",
			Message: "Too many sign-ins at once; please try again in a moment.", RetryAfter: time.Second}
	case errors.Is(err, booking.ErrUnauthenticated):
		return newAPIError(http.StatusUnauthorized, "unauthenticated", "Please log in.")
	case errors.As(err, &he):
		return fromEchoError(he)
	case errors.Is(err, context.Canceled):
		return newAPIError(499, "canceled", "The request was canceled.")
	}
	return nil
}

func fromEchoError(he *echo.HTTPError) *apiError {
	code := map[int]string{
		http.StatusNotFound:              "not_found",
		http.StatusMethodNotAllowed:      "method_not_allowed",
		http.StatusRequestEntityTooLarge: "body_too_large",
		http.StatusTooManyRequests:       "rate_limited",
		http.StatusUnauthorized:          "unauthenticated",
		http.StatusForbidden:             "forbidden",
		http.StatusUnsupportedMediaType:  "unsupported_media_type",
	}[he.Code]
	if code == "" {
		if he.Code >= 500 {
			return nil
		}
		code = "bad_request"
	}
	return newAPIError(he.Code, code, http.StatusText(he.Code)+".")
}

// handleError answers every failed request with the JSON error body. Errors
// it cannot map are logged (they carry IDs, never personal data) and become
// a generic 500.
func (a *API) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ae := toAPIError(err)
	if ae == nil {
		a.log.ErrorContext(c.Request().Context(), "request failed", "route", c.Path(), "err", err)
		ae = newAPIError(http.StatusInternalServerError, "internal", "Something went wrong on our side.")
	}
	switch {
	case ae.RetryAfter > 0:
		c.Response().Header().Set("Retry-After", strconv.Itoa(retrySeconds(ae.RetryAfter)))
	case ae.Status == http.StatusTooManyRequests:
		c.Response().Header().Set("Retry-After", "60")
	}
	body := errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message, Fields: ae.Fields}}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	if ae.Status == http.StatusNotFound && a.wantsPage(c) {
		_ = c.Blob(http.StatusNotFound, "text/html; charset=utf-8", a.notFoundPage)
		return
	}
	_ = c.JSON(ae.Status, body)
}
