// Package altcha issues and checks proof-of-work challenges in the ALTCHA
// format (SHA-256), so that standard ALTCHA widgets and our own worker can
// solve them. The server draws a secret number n, publishes
// SHA-256(salt+n) with an HMAC of it; the client finds n by trying numbers
// from 0 to maxnumber. Checking costs one hash and one HMAC; a solution is
// accepted once, until its challenge expires.
package altcha

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the only hash offered and accepted.
const Algorithm = "SHA-256"

// saltBytes is the random part of a salt, as in the reference libraries.
const saltBytes = 12

// Challenge is what a client fetches and solves.
type Challenge struct {
	Algorithm string `json:"algorithm"`
	Challenge string `json:"challenge"` // hex SHA-256(salt + number)
	MaxNumber int64  `json:"maxnumber"`
	Salt      string `json:"salt"`      // hex random part, "?expires=<unix>&"
	Signature string `json:"signature"` // hex HMAC-SHA256(key, challenge)
}

// Errors of Verify; each is wrapped with detail.
var (
	ErrMalformed = errors.New("altcha: malformed solution")
	ErrAlgorithm = errors.New("altcha: unsupported algorithm")
	ErrInvalid   = errors.New("altcha: wrong solution")
	ErrExpired   = errors.New("altcha: challenge expired")
	ErrReplayed  = errors.New("altcha: solution already used")
	ErrFull      = errors.New("altcha: too many solutions in use")
)

// Options configure a Guard.
type Options struct {
	MaxNumber int64            // the secret number is drawn from 0..MaxNumber
	TTL       time.Duration    // how long a challenge may be solved and used
	MaxUsed   int              // used solutions remembered; 0 means DefaultMaxUsed
	Now       func() time.Time // nil means time.Now
}

// DefaultMaxUsed bounds the replay memory: about 100 bytes per entry.
const DefaultMaxUsed = 100_000

// Guard creates challenges and accepts each solution once. It is safe for
// concurrent use.
type Guard struct {
	key       []byte
	maxNumber int64
	ttl       time.Duration
	now       func() time.Time
	used      *usedSet
}

// New returns a Guard signing with key (at least 32 bytes).
func New(key []byte, opt Options) (*Guard, error) {
	switch {
	case len(key) < 32:
		return nil, fmt.Errorf("altcha: key has %d bytes, want at least 32", len(key))
	case opt.MaxNumber < 1:
		return nil, fmt.Errorf("altcha: max number %d, want at least 1", opt.MaxNumber)
	case opt.TTL <= 0:
		return nil, fmt.Errorf("altcha: ttl %s, want a positive duration", opt.TTL)
	}
	if opt.MaxUsed <= 0 {
		opt.MaxUsed = DefaultMaxUsed
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Guard{key: key, maxNumber: opt.MaxNumber, ttl: opt.TTL, now: opt.Now, used: newUsedSet(opt.MaxUsed)}, nil
}

// Create returns a fresh challenge that expires after the TTL.
func (g *Guard) Create() (Challenge, error) {
	raw := make([]byte, saltBytes)
	if _, err := rand.Read(raw); err != nil {
		return Challenge{}, fmt.Errorf("altcha: salt: %w", err)
	}
	n, err := rand.Int(rand.Reader, big.NewInt(g.maxNumber+1))
	if err != nil {
		return Challenge{}, fmt.Errorf("altcha: number: %w", err)
	}
	// The trailing "&" ends the parameters, so digits moved from the
	// number into the salt cannot change the expiry.
	salt := hex.EncodeToString(raw) + "?expires=" + strconv.FormatInt(g.now().Add(g.ttl).Unix(), 10) + "&"
	ch := hashHex(salt, n.Int64())
	return Challenge{Algorithm: Algorithm, Challenge: ch, MaxNumber: g.maxNumber, Salt: salt, Signature: g.sign(ch)}, nil
}

// Verify checks a client's base64 solution and marks it used.
func (g *Guard) Verify(payload string) error {
	s, err := decodeSolution(payload)
	if err != nil {
		return err
	}
	if s.Algorithm != Algorithm {
		return fmt.Errorf("%w %q, want %s", ErrAlgorithm, s.Algorithm, Algorithm)
	}
	if !hmac.Equal([]byte(hashHex(s.Salt, *s.Number)), []byte(s.Challenge)) {
		return fmt.Errorf("%w: the number does not solve the challenge", ErrInvalid)
	}
	if !hmac.Equal([]byte(g.sign(s.Challenge)), []byte(s.Signature)) {
		return fmt.Errorf("%w: the signature does not match", ErrInvalid)
	}
	expires, err := saltExpiry(s.Salt)
	if err != nil {
		return err
	}
	now := g.now()
	if now.After(expires) {
		return fmt.Errorf("%w at %s", ErrExpired, expires.UTC().Format(time.RFC3339))
	}
	return g.used.add(now, s.Challenge, expires)
}

func (g *Guard) sign(challenge string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte(challenge))
	return hex.EncodeToString(m.Sum(nil))
}

func hashHex(salt string, n int64) string {
	sum := sha256.Sum256([]byte(salt + strconv.FormatInt(n, 10)))
	return hex.EncodeToString(sum[:])
}

// saltExpiry reads the expires parameter every challenge of ours carries.
func saltExpiry(salt string) (time.Time, error) {
	_, query, ok := strings.Cut(salt, "?")
	if !ok {
		return time.Time{}, fmt.Errorf("%w: the salt has no expiry", ErrMalformed)
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: salt parameters: %w", ErrMalformed, err)
	}
	unix, err := strconv.ParseInt(params.Get("expires"), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: the salt has no valid expiry", ErrMalformed)
	}
	return time.Unix(unix, 0), nil
}
