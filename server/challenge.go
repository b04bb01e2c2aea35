package server

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"

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
