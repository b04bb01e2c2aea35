package storetest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// FastHasher is a salted SHA-256 password hasher for tests that exercise
// storage and rules, not password hashing; argon2id at 19 MiB per call would
// dominate their run time. Production uses the argon2id hasher in server.
type FastHasher struct{}

const salt = "storetest-salt:"

// Hash implements booking.PasswordHasher.
func (FastHasher) Hash(pw string) (string, error) {
	sum := sha256.Sum256([]byte(salt + pw))
	return hex.EncodeToString(sum[:]), nil
}

// Verify implements booking.PasswordHasher.
func (h FastHasher) Verify(hash, pw string) (bool, error) {
	want, _ := h.Hash(pw)
	return subtle.ConstantTimeCompare([]byte(hash), []byte(want)) == 1, nil
}
