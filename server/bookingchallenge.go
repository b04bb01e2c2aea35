package server

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/server/altcha"
)

// challengeKeyInfo labels the challenge key derived from the secret key, so
// it is independent of the encryption key derived from the same secret.
const challengeKeyInfo = "sprechstunde booking challenge v1"

// setupBookingChallenge prepares the proof of work of public booking;
// without booking_challenge.enabled it stays nil and bookings need none.
// Processes sharing a secret key accept each other's challenges.
func (a *App) setupBookingChallenge(secret []byte) error {
	cfg := a.cfg.BookingChallenge
	if !cfg.Enabled {
		return nil
	}
	key, err := hkdf.Key(sha256.New, secret, nil, challengeKeyInfo, 32)
	if err != nil {
		return fmt.Errorf("server: booking challenge key: %w", err)
	}
	a.challenge, err = altcha.New(key, altcha.Options{MaxNumber: cfg.MaxNumber, TTL: cfg.TTL, Now: a.now})
	if err != nil {
		return fmt.Errorf("server: booking challenge: %w", err)
	}
	return nil
}

// handleBookingChallenge hands out a challenge; 204 when none is needed.
func (a *App) handleBookingChallenge(c echo.Context) error {
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
func (a *App) checkBookingChallenge(solution string) error {
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
