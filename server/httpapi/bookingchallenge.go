package httpapi

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/server/altcha"
)

// handleBookingChallenge hands out a challenge; 204 when none is needed.
func (a *API) handleBookingChallenge(c echo.Context) error {
	if a.challenge == nil {
		return c.NoContent(http.StatusNoContent)
	}
	ch, err := a.challenge.Create()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

// checkBookingChallenge accepts the solution of a booking request once.
// Every refusal is a 400 naming the field, so the page can solve anew.
func (a *API) checkBookingChallenge(solution string) error {
	if a.challenge == nil {
		return nil
	}
	if solution == "" {
		return challengeError("is required: the solution of GET /api/v1/bookings/challenge")
	}
	err := a.challenge.Verify(solution)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, altcha.ErrFull):
		a.log.Warn("booking challenge: too many solutions in use; refusing bookings until some expire")
		return newAPIError(http.StatusTooManyRequests, "rate_limited", "Too many bookings at the moment; please try again in a minute.")
	case errors.Is(err, altcha.ErrExpired):
		return challengeError("has expired: solve a new challenge")
	case errors.Is(err, altcha.ErrReplayed):
		return challengeError("was already used: solve a new challenge")
	case errors.Is(err, altcha.ErrAlgorithm):
		return challengeError("must use " + altcha.Algorithm)
	case errors.Is(err, altcha.ErrInvalid):
		return challengeError("does not solve a challenge of this server")
	}
	return challengeError("must be the base64-encoded JSON solution of a challenge")
}

func challengeError(reason string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "challenge_failed",
		Message: "The security check of the booking failed; please try again.",
		Fields:  map[string]string{"altcha": reason}}
}
