package booking

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// SecretKeySize is the length of the office's secret key (AES-256).
const SecretKeySize = 32

// Sealer encrypts the few secrets that must be readable again later (the
// join token for reminders, queued mails) with AES-256-GCM, so a copy of
// the database alone does not reveal them.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer builds a Sealer from a SecretKeySize-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("booking: secret key must be %d bytes, got %d", SecretKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("booking: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("booking: gcm: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain; purpose is bound as additional data so a sealed
// join token cannot be passed off as a mail body and vice versa.
func (s *Sealer) Seal(purpose string, plain []byte) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("booking: nonce: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, plain, []byte(purpose))
	return base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts what Seal produced for the same purpose.
func (s *Sealer) Open(purpose, sealed string) ([]byte, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, fmt.Errorf("booking: sealed value: %w", err)
	}
	n := s.aead.NonceSize()
	if len(raw) < n {
		return nil, errors.New("booking: sealed value too short")
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return nil, fmt.Errorf("booking: open sealed value: %w", err)
	}
	return plain, nil
}
