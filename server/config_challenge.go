package server

import "time"

// BookingChallengeConfig sets the proof of work of public booking (see
// docs/api.md): a challenge the booking page solves in a web worker while
// the citizen types, which makes scripted slot hoarding cost CPU time.
type BookingChallengeConfig struct {
	Enabled bool `yaml:"enabled"`
	// MaxNumber is the difficulty: on average a client tries half of it.
	MaxNumber int64         `yaml:"max_number"`
	TTL       time.Duration `yaml:"ttl"` // how long a challenge stays solvable and usable
}

// maxChallengeNumber keeps the work within what a phone solves at all.
const maxChallengeNumber = 10_000_000

func defaultBookingChallenge() BookingChallengeConfig {
	return BookingChallengeConfig{Enabled: true, MaxNumber: 50_000, TTL: 10 * time.Minute}
}

func (c *Config) validateBookingChallenge(bad func(key, format string, args ...any)) {
	b := c.BookingChallenge
	if b.MaxNumber < 1 || b.MaxNumber > maxChallengeNumber {
		bad("booking_challenge.max_number", "want 1 to %d, got %d", maxChallengeNumber, b.MaxNumber)
	}
	// The replay memory keeps each used solution for one TTL: bound it.
	if b.TTL < time.Minute || b.TTL > 24*time.Hour {
		bad("booking_challenge.ttl", "want 1m to 24h, got %s", b.TTL)
	}
}
